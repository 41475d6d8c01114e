package results

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// writerEnv makes this test binary a writer that dies mid-write: it fills
// a temporary directory for dir/name, says so on stdout and waits to be
// killed.
const writerEnv = "GOSSIPBENCH_TEST_WRITER"

func TestMain(m *testing.M) {
	if target := os.Getenv(writerEnv); target != "" {
		dir, name := filepath.Split(target)
		_, err := writeAtomically(dir, name, func(tmp string) error {
			if err := os.WriteFile(filepath.Join(tmp, SummaryFile), []byte("half"), 0o644); err != nil {
				return err
			}
			fmt.Println("filling")
			select {} // until SIGKILL
		})
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// tmpDirs lists what writers of name left in dir.
func tmpDirs(t *testing.T, dir, name string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix(name)) {
			out = append(out, e.Name())
		}
	}
	return out
}

// A writer killed with SIGKILL mid-write leaves its temporary directory;
// the next write of that name removes it, and writes its own result.
func TestWriteRemovesWhatKilledWritersLeft(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), writerEnv+"="+filepath.Join(dir, "x"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "filling\n" {
		cmd.Process.Kill()
		t.Fatalf("writer said %q", line)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if left := tmpDirs(t, dir, "x"); len(left) != 1 {
		t.Fatalf("the killed writer left %v, want its one temporary directory", left)
	}
	if _, err := writeAtomically(dir, "x", writeSummary("new")); err != nil {
		t.Fatal(err)
	}
	if left := tmpDirs(t, dir, "x"); len(left) != 0 {
		t.Errorf("stale temporary directories remain: %v", left)
	}
	wantSummaryText(t, filepath.Join(dir, "x"), "new")
}

// A writer that is still at work keeps its temporary directory while
// another writer of the same name comes and goes; both finish, the last
// to swap winning.
func TestWriteKeepsALiveWritersDirectory(t *testing.T) {
	dir := t.TempDir()
	filled, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := writeAtomically(dir, "x", func(tmp string) error {
			if err := writeSummary("first")(tmp); err != nil {
				return err
			}
			close(filled)
			<-release
			return nil
		})
		first <- err
	}()
	<-filled
	if _, err := writeAtomically(dir, "x", writeSummary("second")); err != nil {
		t.Fatal(err)
	}
	if left := tmpDirs(t, dir, "x"); len(left) != 1 {
		t.Fatalf("temporary directories %v, want the live writer's one", left)
	}
	wantSummaryText(t, filepath.Join(dir, "x"), "second")
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("the live writer failed: %v", err)
	}
	wantSummaryText(t, filepath.Join(dir, "x"), "first")
	if left := tmpDirs(t, dir, "x"); len(left) != 0 {
		t.Errorf("temporary directories remain: %v", left)
	}
}

// Writers of one new name at once all succeed, and the result is one of
// theirs, whole.
func TestConcurrentWritersOfANewName(t *testing.T) {
	dir := t.TempDir()
	for round := 0; round < 20; round++ {
		name := fmt.Sprintf("n%d", round)
		const writers = 6
		var ready, wg sync.WaitGroup
		ready.Add(writers)
		errs := make([]error, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[w] = writeAtomically(dir, name, func(tmp string) error {
					err := writeSummary(fmt.Sprint(w))(tmp)
					ready.Done()
					ready.Wait() // every writer filled before any swaps
					return err
				})
			}()
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("writer %d of %s: %v", w, name, err)
			}
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, name)); len(entries) != 1 {
			t.Fatalf("%s holds %v, want one writer's summary.json", name, entries)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 20 {
		t.Errorf("%d entries, want the 20 results and no temporary directories", len(entries))
	}
}

// Cancelling before the swap abandons the write: no result, no
// temporary directory, and an earlier result untouched.
func TestWriteCancelledBeforeTheSwap(t *testing.T) {
	dir := t.TempDir()
	if _, err := writeAtomically(dir, "x", writeSummary("earlier")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := writeDir(ctx, dir, "x", func(tmp string) error {
		cancel() // the interrupt arrives mid-write
		return writeSummary("new")(tmp)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	wantSummaryText(t, filepath.Join(dir, "x"), "earlier")
	if left := tmpDirs(t, dir, "x"); len(left) != 0 {
		t.Errorf("temporary directories remain: %v", left)
	}
}

func TestCheckOutDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A link to nowhere: mkdir would fail on it with "file exists".
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "gone"), dangling); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(dir, "linked")
	if err := os.Symlink(dir, linked); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{dir, ""},
		{linked, linked + " is a symbolic link to " + dir + "; nothing is written through a symlink"},
		{linked + "/", linked + " is a symbolic link to "},
		{dangling, dangling + " is a symbolic link to " + filepath.Join(dir, "gone") + ", which does not exist"},
		{filepath.Join(dangling, "sub"), dangling + " is a symbolic link to "},
		{filepath.Join(dir, "new", "deeper"), ""},
		{"", "the output directory is empty"},
		{file, file + " is a file, not a directory"},
		{filepath.Join(file, "sub"), file + " is a file, not a directory"},
	} {
		err := CheckOutDir(c.dir)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckOutDir(%q) = %v, want %q", c.dir, err, c.want)
		}
	}
}

func writeSummary(text string) func(tmp string) error {
	return func(tmp string) error { return os.WriteFile(filepath.Join(tmp, SummaryFile), []byte(text), 0o644) }
}

func wantSummaryText(t *testing.T, dir, want string) {
	t.Helper()
	if got, err := os.ReadFile(filepath.Join(dir, SummaryFile)); err != nil || string(got) != want {
		t.Fatalf("%s/summary.json = %q, %v; want %q", dir, got, err, want)
	}
}

func TestReplaceDirFallback(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "new"), filepath.Join(dir, "dst")
	for _, d := range []string{src, dst} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "who"), []byte(filepath.Base(d)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := replaceDir(src, dst); err != nil {
		t.Fatal(err)
	}
	if who, _ := os.ReadFile(filepath.Join(dst, "who")); string(who) != "new" {
		t.Fatalf("dst holds %q", who)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}
