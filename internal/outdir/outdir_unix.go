//go:build unix

package outdir

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// fdDir is a directory descriptor. Every lookup from it uses O_NOFOLLOW,
// which makes the kernel refuse a symlink as the last component, and the
// paths looked up are single components, so no symlink is ever followed.
// (openat2's RESOLVE_NO_SYMLINKS would do the same in one call, but only on
// Linux 5.6 and later.)
type fdDir struct{ f *os.File }

func openRoot(path string) (handle, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return fdDir{os.NewFile(uintptr(fd), path)}, nil
}

func (d fdDir) fd() int { return int(d.f.Fd()) }

func (d fdDir) mkdir(name string) (handle, error) {
	if err := unix.Mkdirat(d.fd(), name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
		return nil, err
	}
	fd, err := unix.Openat(d.fd(), name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, symlinkError(d, name, err)
	}
	return fdDir{os.NewFile(uintptr(fd), name)}, nil
}

func (d fdDir) create(name string, data []byte) error {
	fd, err := unix.Openat(d.fd(), name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	// The mode does not depend on the umask: pages are for sharing.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d fdDir) rename(from, to string) error { return unix.Renameat(d.fd(), from, d.fd(), to) }

func (d fdDir) remove(name string) { _ = unix.Unlinkat(d.fd(), name, 0) }

func (d fdDir) isDir(name string) bool {
	var st unix.Stat_t
	return unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR
}

func (d fdDir) close() error { return d.f.Close() }

// symlinkError names the usual reasons an O_NOFOLLOW|O_DIRECTORY open
// fails: a symlink (ELOOP on Linux, and ENOTDIR or EMLINK elsewhere), or
// another kind of file (ENOTDIR).
func symlinkError(d fdDir, name string, err error) error {
	var st unix.Stat_t
	if unix.Fstatat(d.fd(), name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFLNK:
			return ErrSymlink
		case unix.S_IFDIR:
		default:
			return ErrNotDir
		}
	}
	return err
}
