package report

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// snapshot is every file under root and its contents.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		files[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A full disk made report replace a good index.html with "0 scenarios".
// Here writes fail for real: RLIMIT_FSIZE makes the kernel refuse to grow
// any file past 64 KiB (EFBIG; Go ignores SIGXFSZ), which the large files
// (ECharts, replay pages, PNGs) reach and the small ones do not. Every
// file of the good report must be as it was, and no temporary left.
func TestRenderFailingWriteReplacesNothing(t *testing.T) {
	root := renderSample(t)
	before := snapshot(t, root)

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	limit := old
	limit.Cur = 64 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("cannot lower RLIMIT_FSIZE: %v", err)
	}
	_, err := Render(root)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if err == nil {
		t.Fatal("Render succeeded although files could not grow past 64 KiB")
	}
	t.Log(err)
	after := snapshot(t, root)
	for path, data := range before {
		if after[path] != data {
			t.Errorf("%s changed (%d bytes, was %d)", path, len(after[path]), len(data))
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("%s left behind", path)
		}
	}
}
