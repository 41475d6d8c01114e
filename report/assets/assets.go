// Package assets holds the pinned front-end files reports need, embedded so
// that a report opens offline, from file://, with nothing fetched.
package assets

import (
	"embed"
	"io/fs"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Dir is where pages find the assets, relative to the results directory.
// It is a name no scenario may take.
const Dir = results.AssetsDir

//go:embed echarts.min.js LICENSE-echarts NOTICE-echarts VERSIONS
var files embed.FS

// FS is the embedded assets.
func FS() fs.FS { return files }

// Each calls write with every asset's name and contents, for writing
// into Dir.
func Each(write func(name string, data []byte) error) error {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return err
		}
		if err := write(e.Name(), data); err != nil {
			return err
		}
	}
	return nil
}

// ECharts is echarts.min.js, for pages that inline it to stand alone.
// TestEChartsInlines checks it can sit in a script element.
func ECharts() []byte {
	b, err := files.ReadFile("echarts.min.js")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return b
}
