package outdir

import (
	"path/filepath"
	"strings"
)

// Within reports whether path is dir or below it, compared as the files
// are reached: both resolved, symlinks and "..", where they exist (path may
// not exist yet; the part that does is resolved). Writers use it to keep
// an output directory out of the results they read (report --out, merge
// --out).
func Within(path, dir string) bool {
	rel, err := filepath.Rel(resolve(dir), resolve(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	for d, rest := abs, ""; ; d, rest = filepath.Dir(d), filepath.Join(filepath.Base(d), rest) {
		if real, err := filepath.EvalSymlinks(d); err == nil {
			return filepath.Join(real, rest)
		}
		if d == filepath.Dir(d) {
			return abs
		}
	}
}
