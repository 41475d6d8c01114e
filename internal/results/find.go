package results

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// IsResult reports whether dir looks like a scenario's results: it holds
// one of the files run writes. One with a manifest but no summary is a
// broken result, which OpenResult then explains.
func IsResult(dir string) bool {
	for _, f := range []string{SummaryFile, ManifestFile, ScenarioFile} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// FindResults lists the scenario results in root, sorted: root itself if
// it is one (single is then true), else every directory directly in it
// that looks like one (IsResult). Broken results are listed, not skipped,
// so that nothing silently drops out of a report, comparison or merge;
// so are links to directories, which OpenResult refuses. Hidden entries
// are runs being written (.name.tmp-*) and are left out.
func FindResults(root string) (dirs []string, single bool, err error) {
	if IsResult(root) {
		return []string{root}, true, nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, false, statError(root, err)
	}
	for _, e := range entries {
		sub := filepath.Join(root, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(sub); err == nil && st.IsDir() {
				dirs = append(dirs, sub)
			}
			continue
		}
		if e.IsDir() && IsResult(sub) {
			dirs = append(dirs, sub)
		}
	}
	sort.Strings(dirs)
	return dirs, false, nil
}
