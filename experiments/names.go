package experiments

import (
	"regexp"
	"slices"
	"strings"
)

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidName reports whether name may name a scenario. Scenario files and
// result readers share it because a name becomes a directory, results/<name>/:
// a name read back from a downloaded summary.json is as untrusted as one
// typed into a scenario file.
func ValidName(name string) bool { return validName.MatchString(name) }

// pointValue is the text of one swept value as Points prints it: integers,
// floats in Go's 'g' format (1e-05) and the names of modes and engines.
var pointValue = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.+-]{0,39}$`)

// ValidPointID reports whether id has the shape Points gives IDs: "base",
// or key=value pairs of distinct sweepable keys joined by commas. An ID
// names a replay file (replay/<id>.json), so this is also what keeps a
// point ID from naming a path.
func ValidPointID(id string) bool {
	if id == "base" {
		return true
	}
	seen := map[string]bool{}
	for _, pair := range strings.Split(id, ",") {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || seen[key] || !slices.Contains(SweepableKeys, key) || !pointValue.MatchString(value) {
			return false
		}
		seen[key] = true
	}
	return true
}
