package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func open(t *testing.T, path string) *Dir {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// entries lists a directory's names, so tests see leftover temporaries.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplacesAndLeavesNothingElse(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	for _, body := range []string{"first", "second"} {
		if err := d.WriteFile("a/b/page.html", []byte(body)); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(dir, "a", "b", "page.html")); got != body {
			t.Fatalf("read %q, want %q", got, body)
		}
	}
	if names := entries(t, filepath.Join(dir, "a", "b")); len(names) != 1 {
		t.Fatalf("left behind: %v", names)
	}
	if st, _ := os.Stat(filepath.Join(dir, "a", "b", "page.html")); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode())
	}
}

// A symlink where a file goes is replaced by the file; its target, outside
// the directory, keeps its contents.
func TestSymlinkedFileIsReplacedNotFollowed(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("keep"), 0o644)
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "VERSIONS")); err != nil {
		t.Fatal(err)
	}
	if err := open(t, dir).WriteFile("VERSIONS", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, outside); got != "keep" {
		t.Errorf("the symlink's target was overwritten: %q", got)
	}
	st, err := os.Lstat(filepath.Join(dir, "VERSIONS"))
	if err != nil || st.Mode()&os.ModeSymlink != 0 || readFile(t, filepath.Join(dir, "VERSIONS")) != "new" {
		t.Errorf("VERSIONS is not the new regular file: %v %v", st, err)
	}
}

// A symlinked directory on the way is refused, whether it points outside
// or to another directory inside.
func TestSymlinkedDirectoryIsRefused(t *testing.T) {
	outside := t.TempDir()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "real"), 0o755)
	os.Mkdir(filepath.Join(dir, "s"), 0o755)
	for link, target := range map[string]string{"charts": outside, "assets": filepath.Join(dir, "real"), "rel": "real"} {
		if err := os.Symlink(target, filepath.Join(dir, "s", link)); err != nil {
			t.Fatal(err)
		}
	}
	d := open(t, dir)
	for _, rel := range []string{"s/charts/convergence.svg", "s/assets/echarts.min.js", "s/rel/x", "s/charts/deeper/x"} {
		err := d.WriteFile(rel, []byte("x"))
		if !errors.Is(err, ErrSymlink) {
			t.Errorf("%s: got %v, want ErrSymlink", rel, err)
		}
	}
	if err := d.Stage("s/charts/a.png", []byte("x")); !errors.Is(err, ErrSymlink) {
		t.Errorf("Stage: got %v, want ErrSymlink", err)
	}
	if names := entries(t, outside); len(names) != 0 {
		t.Errorf("wrote outside: %v", names)
	}
	if names := entries(t, filepath.Join(dir, "real")); len(names) != 0 {
		t.Errorf("wrote through an in-directory symlink: %v", names)
	}
}

func TestNamesStayInside(t *testing.T) {
	d := open(t, t.TempDir())
	for _, rel := range []string{"../x", "a/../../x", "/etc/x", "", "a//b", "./x", `a\..\x`} {
		if err := d.WriteFile(rel, nil); err == nil {
			t.Errorf("%q: written", rel)
		}
	}
}

// Staged files appear only at Commit; a rollback or a Close without commit
// leaves the old files and no temporaries.
func TestStageCommitRollback(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	if err := d.WriteFile("index.html", []byte("good")); err != nil {
		t.Fatal(err)
	}
	d.Stage("index.html", []byte("staged"))
	mark := d.Mark()
	d.Stage("x/dropped", []byte("dropped"))
	d.Rollback(mark)
	if got := readFile(t, filepath.Join(dir, "index.html")); got != "good" {
		t.Fatalf("staged file visible before Commit: %q", got)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "index.html")); got != "staged" {
		t.Fatalf("after Commit: %q", got)
	}
	if names := entries(t, filepath.Join(dir, "x")); len(names) != 0 {
		t.Errorf("rolled back file left: %v", names)
	}
	d.Stage("index.html", []byte("never"))
	d.Close()
	if got := readFile(t, filepath.Join(dir, "index.html")); got != "staged" {
		t.Fatalf("uncommitted file visible after Close: %q", got)
	}
	if names := entries(t, dir); len(names) != 2 {
		t.Errorf("left behind: %v", names)
	}
}

func TestCreateNewRefusesSymlinks(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	dir := t.TempDir()
	os.Symlink(outside, filepath.Join(dir, "dangling"))
	if f, err := CreateNew(filepath.Join(dir, "dangling")); err == nil {
		f.Close()
		t.Fatal("created through a dangling symlink")
	}
	if _, err := os.Lstat(outside); err == nil {
		t.Fatal("the symlink's target was created")
	}
}

// A directory where a file goes is found when staging, before any rename.
func TestStageRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "index.html"), 0o755)
	if err := open(t, dir).Stage("index.html", []byte("x")); err == nil {
		t.Fatal("staged a file over a directory")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("left behind: %v", names)
	}
}
