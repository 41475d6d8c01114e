// Package leaktest checks that a test leaves no goroutines and no open
// files behind: the real servers, nodes and processes the engine and live
// tests start must all be gone when a test ends.
package leaktest

import (
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Wait bounds how long Check waits for goroutines and files to go. It
// returns as soon as they are gone; the bound is long for a busy machine.
const Wait = 30 * time.Second

// Check counts the goroutines and open files now and, when the test ends,
// waits (polling, up to Wait) until there are at most slack more of each;
// else it fails the test with every goroutine's stack and the open files.
// Without /proc/self/fd it checks goroutines only.
func Check(t testing.TB, slack int) {
	t.Helper()
	g0, fd0 := runtime.NumGoroutine(), openFiles()
	t.Cleanup(func() {
		if t.Skipped() {
			return
		}
		http.DefaultClient.CloseIdleConnections()
		deadline := time.Now().Add(Wait)
		for {
			g, fd := runtime.NumGoroutine(), openFiles()
			if g <= g0+slack && fd <= fd0+slack {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("leak: goroutines %d -> %d, open files %d -> %d after %v\nfiles: %s\n%s",
					g0, g, fd0, fd, Wait, listFiles(), buf)
				return
			}
			time.Sleep(20 * time.Millisecond) // a poll, not a sync point: the loop ends on the condition
		}
	})
}

func openFiles() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}

func listFiles() string {
	ents, _ := os.ReadDir("/proc/self/fd")
	var out []string
	for _, e := range ents {
		l, _ := os.Readlink("/proc/self/fd/" + e.Name())
		out = append(out, e.Name()+"->"+l)
	}
	return strings.Join(out, " ")
}
