package static

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A chart set is written whole or not at all: a file that cannot be
// written (here a directory where sweep-messages.svg goes) leaves the
// charts already there as they were, with no new chart beside them and
// no temporary file behind.
func TestChartsAtomic(t *testing.T) {
	dir := t.TempDir()
	sum := fanoutSummary()
	if _, err := Charts(dir, sum, nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	target := filepath.Join(dir, SweepMessages+".svg")
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	delete(before, SweepMessages+".svg")
	sum.Description = "changed: every chart's subtitle differs"
	if _, err := Charts(dir, sum, samples(sum)); err == nil {
		t.Fatal("Charts into a directory with a directory in the way gave no error")
	}
	after := snapshot(t, dir)
	delete(after, SweepMessages+".svg")
	if !slices.Equal(sortedKeys(after), sortedKeys(before)) {
		t.Errorf("files after a failed Charts %v, want %v", sortedKeys(after), sortedKeys(before))
	}
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("%s changed though Charts failed", name)
		}
	}

	// Into an empty directory: nothing at all.
	empty := t.TempDir()
	if err := os.Mkdir(filepath.Join(empty, Redundancy+".png"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Charts(empty, sum, nil); err == nil {
		t.Fatal("no error")
	}
	if got := sortedKeys(snapshot(t, empty)); !slices.Equal(got, []string{Redundancy + ".png"}) {
		t.Errorf("a failed Charts left %v", got)
	}
}

// snapshot is every file in dir by name (directories as nil).
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()] = nil
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
