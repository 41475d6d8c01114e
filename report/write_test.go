package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// outsideFile is a file outside the results directory a symlink points
// to; the test checks it keeps its contents.
func outsideFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "precious")
	if err := os.WriteFile(path, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	os.RemoveAll(link)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// Symlinks planted in a results directory (downloaded from CI) never make
// report write outside it: a symlinked file is replaced by the file, a
// symlinked directory is refused and its scenario reported.
func TestRenderNeverWritesThroughSymlinks(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"single": sampleScenarios["single"], "grid": sampleScenarios["grid"]})
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	secret := outsideFile(t)
	symlink(t, secret, filepath.Join(root, "assets", "VERSIONS"))
	symlink(t, secret, filepath.Join(root, "single", "charts", "convergence.svg"))
	symlink(t, secret, filepath.Join(root, "single", "index.html"))
	outsideDir := t.TempDir()
	symlink(t, outsideDir, filepath.Join(root, "grid", "charts"))

	out, err := Render(root)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "symlink") || !strings.Contains(err.Error(), "grid") {
		t.Errorf("want an input error naming grid's symlinked charts, got %v", err)
	}
	if out == nil || len(out.Scenarios) != 1 {
		t.Fatalf("rendered %+v, want single only (err %v)", out, err)
	}
	if got, _ := os.ReadFile(secret); string(got) != "precious" {
		t.Errorf("report wrote through a symlink into %s: %.40q", secret, got)
	}
	if entries, _ := os.ReadDir(outsideDir); len(entries) != 0 {
		t.Errorf("report wrote %d files into a symlinked charts directory", len(entries))
	}
	for _, f := range []string{"assets/VERSIONS", "single/charts/convergence.svg", "single/index.html"} {
		if st, err := os.Lstat(filepath.Join(root, f)); err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s is not a regular file again: %v", f, err)
		}
	}
	// A symlinked assets directory: the report stops, nothing written there.
	symlink(t, outsideDir, filepath.Join(root, "assets"))
	if _, err := Render(root); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Errorf("symlinked assets/: got %v", err)
	}
	if entries, _ := os.ReadDir(outsideDir); len(entries) != 0 {
		t.Errorf("report wrote %d files into a symlinked assets directory", len(entries))
	}
}

// A results directory named like the report's own files (made before the
// names were reserved, or by hand) is refused, not rendered into.
func TestRenderRefusesReservedNames(t *testing.T) {
	root := t.TempDir()
	dir := resultstest.Write(t, root, resultstest.Scenario, false)
	if err := os.Rename(dir, filepath.Join(root, "assets")); err != nil {
		t.Fatal(err)
	}
	resultstest.Write(t, root, sampleScenarios["single"], false)
	out, err := Render(root)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("want an input error about the reserved name, got %v", err)
	}
	if out == nil || len(out.Scenarios) != 1 {
		t.Fatalf("rendered %+v, want single only (err %v)", out, err)
	}
	if _, err := os.Stat(filepath.Join(root, "assets", "index.html")); err == nil {
		t.Error("rendered a scenario page into assets/")
	}
}

// A file where a downloaded result should have a directory (charts), or a
// directory where report puts a page, is the result's fault like a
// symlink: that scenario is reported and left out, the others rendered.
// It used to stop the whole report as a write failure (exit 1), leaving
// every scenario unrendered. In assets/, it stops the report as bad input.
func TestRenderLeavesOutWhatIsInTheWay(t *testing.T) {
	for name, plant := range map[string]func(root string) error{
		"charts is a file":    func(root string) error { return os.WriteFile(filepath.Join(root, "sample", "charts"), nil, 0o644) },
		"index.html is a dir": func(root string) error { return os.Mkdir(filepath.Join(root, "sample", "index.html"), 0o755) },
		"a chart is a dir": func(root string) error {
			return os.MkdirAll(filepath.Join(root, "sample", "charts", "sweep.svg"), 0o755)
		},
		"replay page is a dir": func(root string) error {
			return os.MkdirAll(filepath.Join(root, "sample", "replay", "fanout=1.html"), 0o755)
		},
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			writeResults(t, root, map[string]string{"single": sampleScenarios["single"], "sample": sampleScenarios["sample"]})
			if err := plant(root); err != nil {
				t.Fatal(err)
			}
			out, err := Render(root)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "sample") {
				t.Errorf("want an input error naming grid, got %v", err)
			}
			if out == nil || len(out.Scenarios) != 1 || !strings.Contains(out.Scenarios[0], "single") {
				t.Fatalf("rendered %+v, want single only (err %v)", out, err)
			}
			if _, err := os.Stat(filepath.Join(root, "sample", "index.html", "x")); err == nil {
				t.Error("wrote into the directory in the way")
			}
		})
	}
	root := t.TempDir()
	writeResults(t, root, map[string]string{"single": sampleScenarios["single"]})
	os.WriteFile(filepath.Join(root, "assets"), nil, 0o644)
	var ie *InputError
	if _, err := Render(root); !errors.As(err, &ie) {
		t.Errorf("assets is a file: got %v, want an *InputError", err)
	}
}
