// Package outdir writes files inside an output directory and nowhere else.
//
// Result directories are downloaded from CI, so anything below the output
// directory may be a symlink planted to make a write land elsewhere. os.Root
// is not enough: it follows symlinks that stay inside the root. Here every
// path is resolved one component at a time from the directory's descriptor
// with O_NOFOLLOW, so no symlink is ever followed, and every file is written
// under a temporary name and renamed over its final name, which replaces a
// symlink there instead of writing through it.
//
// Writes can be staged and committed together: a failed write (a full disk)
// then leaves every earlier file as it was, instead of a good page replaced
// by a worse one.
package outdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrSymlink is returned for a path through or onto a symlink, which
// outdir never follows.
var ErrSymlink = errors.New("is a symlink; refusing to write through it")

// ErrNotDir and ErrIsDir are returned for a file where a directory goes
// and a directory where a file goes.
var (
	ErrNotDir = errors.New("is not a directory")
	ErrIsDir  = errors.New("is a directory")
)

// InTheWay reports whether err is something found in the output
// directory that refuses the write (a symlink, a file where a directory
// goes, a directory where a file goes), rather than a failure of the
// system such as a full disk. In a directory downloaded from elsewhere it
// is the input's fault.
func InTheWay(err error) bool {
	return errors.Is(err, ErrSymlink) || errors.Is(err, ErrNotDir) || errors.Is(err, ErrIsDir)
}

// Dir is an output directory. Its methods are not safe for concurrent use.
type Dir struct {
	path   string
	root   handle
	dirs   map[string]handle // opened subdirectories, by slash path
	staged []staged
}

type staged struct {
	dir       handle
	tmp, name string // in dir
	rel       string // for errors
}

// Open creates the directory path if needed and opens it for writing. The
// path itself is the caller's choice (a user's --out) and may go through
// symlinks; only what is below it is refused.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	h, err := openRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{path: path, root: h, dirs: map[string]handle{}}, nil
}

// Path is the directory as given to Open.
func (d *Dir) Path() string { return d.path }

// Close removes whatever is staged and not committed, and releases the
// directory.
func (d *Dir) Close() error {
	d.Rollback(0)
	for _, h := range d.dirs {
		h.close()
	}
	d.dirs = nil
	return d.root.close()
}

// WriteFile replaces rel (a slash-separated path below the directory) with
// data in one rename, creating the directories on the way.
func (d *Dir) WriteFile(rel string, data []byte) error {
	mark := d.Mark()
	if err := d.Stage(rel, data); err != nil {
		return err
	}
	s := d.staged[mark]
	d.staged = d.staged[:mark]
	if err := s.dir.rename(s.tmp, s.name); err != nil {
		s.dir.remove(s.tmp)
		return fmt.Errorf("%s: %w", filepath.Join(d.path, rel), err)
	}
	return nil
}

// Stage writes data to a temporary file beside rel, to become rel at
// Commit. Nothing a reader sees changes until then.
func (d *Dir) Stage(rel string, data []byte) error {
	full := filepath.Join(d.path, filepath.FromSlash(rel))
	parts, err := split(rel)
	if err != nil {
		return fmt.Errorf("%s: %w", full, err)
	}
	dir, err := d.mkdirs(parts[:len(parts)-1])
	if err != nil {
		return fmt.Errorf("%s: %w", full, err)
	}
	name := parts[len(parts)-1]
	if dir.isDir(name) {
		// Found now rather than at Commit, where the renames before it
		// would already have replaced their files.
		return fmt.Errorf("%s: %w", full, ErrIsDir)
	}
	tmp := "." + name + ".tmp-" + randomSuffix()
	if err := dir.create(tmp, data); err != nil {
		dir.remove(tmp)
		return fmt.Errorf("%s: %w", full, err)
	}
	d.staged = append(d.staged, staged{dir: dir, tmp: tmp, name: name, rel: rel})
	return nil
}

// Mark is a point to roll back to: the number of files staged so far.
func (d *Dir) Mark() int { return len(d.staged) }

// Rollback removes the files staged after mark.
func (d *Dir) Rollback(mark int) {
	for _, s := range d.staged[mark:] {
		s.dir.remove(s.tmp)
	}
	d.staged = d.staged[:mark]
}

// Commit renames every staged file over its final name, in the order they
// were staged. The renames need no new space, so once everything is staged
// they do not fail for a full disk.
func (d *Dir) Commit() error {
	for i, s := range d.staged {
		if err := s.dir.rename(s.tmp, s.name); err != nil {
			d.staged = d.staged[i:]
			d.Rollback(0)
			return fmt.Errorf("%s: %w", filepath.Join(d.path, s.rel), err)
		}
	}
	d.staged = d.staged[:0]
	return nil
}

// mkdirs creates and opens the directories parts below the root, refusing
// a symlink at any step.
func (d *Dir) mkdirs(parts []string) (handle, error) {
	h := d.root
	for i, p := range parts {
		key := strings.Join(parts[:i+1], "/")
		if sub, ok := d.dirs[key]; ok {
			h = sub
			continue
		}
		sub, err := h.mkdir(p)
		if err != nil {
			return nil, fmt.Errorf("directory %s: %w", key, err)
		}
		d.dirs[key] = sub
		h = sub
	}
	return h, nil
}

// split checks that rel names a place below the directory: relative, with
// no empty, "." or ".." component.
func split(rel string) ([]string, error) {
	parts := strings.Split(rel, "/")
	for _, p := range parts {
		if err := CheckName(p); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// CheckName accepts a plain file name: one path component, not "." or "..",
// so that joining it to a directory stays in that directory.
func CheckName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`+"\x00") {
		return fmt.Errorf("%q is not a plain file name", name)
	}
	return nil
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// handle is an open directory.
type handle interface {
	mkdir(name string) (handle, error)     // create if missing, then open, never through a symlink
	create(name string, data []byte) error // a new file, mode 0644
	rename(from, to string) error          // within this directory
	remove(name string)
	isDir(name string) bool // a directory, not a symlink to one
	close() error
}

// WriteFile replaces the file at path with data in one rename. path's
// directory is the caller's (a user's --html FILE); a symlink at path is
// replaced, never written through.
func WriteFile(path string, data []byte) error {
	d, err := Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.WriteFile(filepath.Base(path), data)
}

// CreateNew creates a file that must not exist yet, for filling a fresh
// temporary directory: O_EXCL refuses an existing file and a symlink alike,
// even a dangling one, so nothing is written through a planted link.
func CreateNew(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}
