//go:build unix

package results

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockOutDir takes a shared flock on dir, held until unlock, by every
// writer while its temporary directory exists. Before that it tries the
// lock exclusively; holding it, no writer is alive (the kernel drops a dead
// process's locks), so clean may remove what dead writers left. Where dir
// cannot be locked (some network file systems) nothing is cleaned.
func lockOutDir(dir string, clean func()) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	switch err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); {
	case err == nil:
		clean()
	case errors.Is(err, unix.EWOULDBLOCK): // a live writer: leave its directory alone
	default:
		f.Close()
		return func() {}, nil
	}
	if err := unix.Flock(fd, unix.LOCK_SH); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// HoldResults takes dir's lock exclusively, waiting for the writers that
// hold it shared (runs and merges between creating their temporary
// directory and swapping it in), and keeps every writer from swapping a
// result into dir until unlock. A reader that must see results stand
// still (report, whose pages go inside them) holds it; runs wait, they do
// not fail. Where dir cannot be locked, unlock is a no-op and nothing is
// held.
func HoldResults(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return func() {}, nil
	}
	return func() { f.Close() }, nil
}
