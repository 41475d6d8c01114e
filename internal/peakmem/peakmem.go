// Package peakmem measures, for tests, the most memory a piece of work made
// the process hold: the kernel's high-water mark of the resident set
// (VmHWM), reset before the work starts, so no sampling can miss the peak.
// Where /proc cannot do this the test is skipped, not passed.
package peakmem

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// Of runs work and returns how far the resident set rose above where it
// was when work started.
func Of(t testing.TB, work func()) uint64 {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak resident set: %v", err)
	}
	base := status(t, "VmRSS")
	work()
	return status(t, "VmHWM") - base
}

// status reads a size in bytes from /proc/self/status.
func status(t testing.TB, key string) uint64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status: peak memory is not measurable here")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key+":" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skipf("no %s in /proc/self/status", key)
	return 0
}
