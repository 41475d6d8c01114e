// Package assets holds the pinned front-end files reports need, embedded so
// that a report opens offline, from file://, with nothing fetched.
package assets

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is where pages find the assets, relative to the results directory.
const Dir = "assets"

//go:embed echarts.min.js LICENSE-echarts NOTICE-echarts VERSIONS
var files embed.FS

// FS is the embedded assets.
func FS() fs.FS { return files }

// WriteTo copies every asset into dir/assets/.
func WriteTo(dir string) error {
	out := filepath.Join(dir, Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
