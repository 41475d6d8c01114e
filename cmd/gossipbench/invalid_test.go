package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every bad scenario in the experiments package's table makes `run` exit 2
// with the file's expected errors and write nothing.
func TestRunRefusesEveryBadScenario(t *testing.T) {
	files, err := filepath.Glob("../../experiments/testdata/invalid/*.yaml")
	if err != nil || len(files) < 25 {
		t.Fatalf("%d bad scenarios (%v), want at least 25", len(files), err)
	}
	raw := t.TempDir()
	for name, data := range map[string]string{"empty.yaml": "", "garbage.yaml": "\x00\x01\xfe\xffELF"} {
		p := filepath.Join(raw, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results")
			code, stdout, stderr := gossipbench(t, "run", "--out", out, file)
			if code != exitBadUser || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			for _, want := range expected(t, file) {
				// The table's paths are relative to the experiments package.
				want = strings.Replace(want, "testdata/", "../../experiments/testdata/", 1)
				if !strings.Contains(stderr, "gossipbench: "+want+"\n") {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if !strings.Contains(stderr, file) {
				t.Errorf("stderr does not name %s:\n%s", file, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// expected reads the "# error: " lines a bad scenario file starts with.
func expected(t *testing.T, file string) []string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && strings.HasPrefix(sc.Text(), "#") {
		if rest, ok := strings.CutPrefix(sc.Text(), "# error: "); ok {
			out = append(out, rest)
		}
	}
	return out
}
