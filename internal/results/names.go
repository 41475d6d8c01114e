package results

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
// The report's own names are refused too (see Reserved).
func ValidName(name string) bool { return validName.MatchString(name) && !Reserved(name) }

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

// The names the report writes at the top of a results directory, beside
// the scenarios' directories. A scenario may not take one: its results
// would replace the report's files (a rerun of a scenario named assets
// deleted the report's script), or the report would write into them.
const (
	IndexPage = "index.html"
	AssetsDir = "assets"
)

var reservedNames = []string{IndexPage, AssetsDir}

// Reserved says whether a scenario name is one the report uses. Case is
// ignored, as the file systems of macOS and Windows ignore it.
func Reserved(name string) bool {
	for _, r := range reservedNames {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}

// ReservedNames lists the names Reserved refuses, for messages.
func ReservedNames() string { return strings.Join(reservedNames, ", ") }
