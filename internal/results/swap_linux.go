//go:build linux

package results

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchangeDirs swaps two paths in one step (renameat2 RENAME_EXCHANGE), so
// readers see the old result or the new one, never neither.
func exchangeDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return errors.ErrUnsupported // a file system or kernel without RENAME_EXCHANGE
	}
	return err
}
