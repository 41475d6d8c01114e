//go:build !unix

package outdir

import (
	"os"
	"path/filepath"
)

// pathDir is a directory by name, for systems without openat: each step
// is checked with Lstat first, which refuses symlinks that are there when
// it looks (not one swapped in between).
type pathDir struct{ path string }

func openRoot(path string) (handle, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return pathDir{path}, nil
}

func (d pathDir) mkdir(name string) (handle, error) {
	p := filepath.Join(d.path, name)
	if err := os.Mkdir(p, 0o755); err != nil && !os.IsExist(err) {
		return nil, err
	}
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if st.Mode()&os.ModeSymlink != 0 {
		return nil, ErrSymlink
	}
	if !st.IsDir() {
		return nil, ErrNotDir
	}
	return pathDir{p}, nil
}

func (d pathDir) create(name string, data []byte) error {
	f, err := os.OpenFile(filepath.Join(d.path, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d pathDir) rename(from, to string) error {
	return os.Rename(filepath.Join(d.path, from), filepath.Join(d.path, to))
}

func (d pathDir) remove(name string) { _ = os.Remove(filepath.Join(d.path, name)) }

func (d pathDir) isDir(name string) bool {
	st, err := os.Lstat(filepath.Join(d.path, name))
	return err == nil && st.IsDir()
}

func (d pathDir) close() error { return nil }
