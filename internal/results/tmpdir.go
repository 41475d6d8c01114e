package results

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gossipbench/gossipbench/internal/outdir"
)

// CheckOutDir tells before a run whether results can go under dir: it must
// be a directory, or not exist yet below one, so that a mistyped --out fails
// at once rather than after the whole run. run, report and merge all check
// their --out with it.
//
// dir may not be a symbolic link, even to a directory: nothing is written
// through a symlink (a results directory from elsewhere may hold one
// planted where an --out is given). The directories above it are the
// user's file system (a linked home) and are followed.
func CheckOutDir(dir string) error {
	if dir == "" {
		return errors.New("the output directory is empty; give one, e.g. --out results")
	}
	dir = filepath.Clean(dir) // "link/" is the link's target to Lstat
	if target, err := os.Readlink(dir); err == nil {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return fmt.Errorf("%s is a symbolic link to %s; nothing is written through a symlink: give the directory itself", dir, target)
		}
	}
	for p := dir; ; {
		st, err := os.Stat(p)
		switch {
		case err == nil && st.IsDir():
			return nil
		case err == nil && p == dir:
			return fmt.Errorf("%s is a file, not a directory", dir)
		case err == nil:
			return fmt.Errorf("%s cannot be created: %s is a file, not a directory", dir, p)
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("%s: %w", dir, err)
		}
		// A link to nowhere cannot be created through: mkdir says only
		// "file exists".
		if target, err := os.Readlink(p); err == nil {
			if p == dir {
				return fmt.Errorf("%s is a symbolic link to %s, which does not exist", dir, target)
			}
			return fmt.Errorf("%s cannot be created: %s is a symbolic link to %s, which does not exist", dir, p, target)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// tmpPrefix starts the name of every temporary directory a writer of
// dir/name makes beside it.
func tmpPrefix(name string) string { return "." + name + ".tmp-" }

// writeAtomically is writeDir for callers with nothing to cancel.
func writeAtomically(dir, name string, fill func(tmp string) error) (string, error) {
	return writeDir(context.Background(), dir, name, fill)
}

// writeDir fills a temporary directory beside dir/name and swaps it into
// place. Until the swap, cancelling ctx abandons the write: the temporary
// directory is removed and dir/name is left as it was. Once swapped, the
// result is complete, and writeDir succeeds whatever ctx says.
//
// Writers hold a shared lock on dir while their temporary directory exists;
// temporary directories left by writers that died (SIGKILL, power loss) are
// removed by the next writer that can take the lock exclusively, which
// proves no writer is alive.
func writeDir(ctx context.Context, dir, name string, fill func(tmp string) error) (string, error) {
	if err := outdir.CheckName(name); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	final := filepath.Join(dir, name)
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	unlock, err := lockOutDir(dir, func() { removeStale(dir, name) })
	if err != nil {
		return "", fmt.Errorf("results: locking %s: %w", dir, err)
	}
	defer unlock()
	tmp, err := os.MkdirTemp(dir, tmpPrefix(name))
	if err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once swapped in, unless it then holds the old result
	if err := fill(tmp); err != nil {
		return "", fmt.Errorf("results: writing %s: %w", final, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := replaceDir(tmp, final); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	return final, nil
}

// removeStale removes the temporary directories of dir/name. Only call it
// holding the exclusive lock: then their writers are gone.
func removeStale(dir, name string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the write that follows reports what is wrong with dir
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), tmpPrefix(name)) {
			_ = os.RemoveAll(filepath.Join(dir, e.Name())) // best effort: the next writer tries again
		}
	}
}

// replaceDir moves src to dst, replacing whatever dst holds. Where the
// system can swap two directories in one step it does, so readers see the
// old result or the new one, never neither; the old one, then in src, is
// removed. Concurrent writers of one dst all succeed, the last swap
// winning: a dst that appears between the attempt to swap and the rename
// is swapped with on the next turn.
func replaceDir(src, dst string) error {
	for {
		err := exchangeDirs(src, dst)
		switch {
		case err == nil:
			_ = os.RemoveAll(src) // the old result; a leftover is removed as stale later
			return nil
		case errors.Is(err, errors.ErrUnsupported):
			return moveAside(src, dst)
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		// Nothing at dst yet. rename(2) replaces an empty directory and
		// refuses a full one, which another writer just put there.
		err = os.Rename(src, dst)
		if err == nil || !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, syscall.EEXIST) {
			return err
		}
	}
}

// moveAside replaces dst where directories cannot be swapped: the old dst
// is moved aside first and put back if the second rename fails.
func moveAside(src, dst string) error {
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return err
	}
	_ = os.RemoveAll(old)
	return nil
}
