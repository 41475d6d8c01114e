package experiments

import "strings"

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
