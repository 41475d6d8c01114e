package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// FuzzParse: whatever the bytes, Parse returns a scenario whose every point
// is a valid engine configuration, or an *InvalidError whose every line
// names the file; it never panics.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/valid", "testdata/invalid"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("name: x\nnodes: 1e6\nsweep: {mode: [push, pull], loss: [0, 0.5]}\n"))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err != nil {
			var inv *InvalidError
			if !errors.As(err, &inv) || len(inv.Problems) == 0 {
				t.Fatalf("error %T %v is not an InvalidError with problems", err, err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f.yaml") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		points := s.Points()
		if len(points) == 0 || len(points) > results.MaxPoints {
			t.Fatalf("%d points", len(points))
		}
		for _, p := range points {
			if err := s.Config(p, 0, false).Validate(); err != nil {
				t.Fatalf("point %s: accepted scenario gives an invalid config: %v", p.ID, err)
			}
		}
	})
}
