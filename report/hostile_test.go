package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// A spoilt result is refused before any of its pages is written, with an
// *InputError naming the file; the other scenarios still render; nothing
// lands outside the results.
func TestHostileResultsAreRefusedWhole(t *testing.T) {
	cases := []struct {
		name, file, old, new, msg string
	}{
		// issue 9 item 9: ratio panicked on curves of different lengths.
		{"curve lengths", results.SummaryFile, `"alive_mean": [`, `"alive_mean": [1, `, "rounds but"},
		// item 3: this wrote outside/x.html.
		{"replay path", results.SummaryFile, `"replay": "replay/fanout=1.json"`, `"replay": "../../outside/x.json"`, `replay "../../outside/x.json"`},
		// item 10: this tried to allocate 51 GB, 20000000 wrote 60 MB.
		{"first_informed huge", "replay/fanout=1.json", `"first_informed":[`, `"first_informed":[2147483647,`, "first_informed"},
		{"first_informed 20M", "replay/fanout=1.json", `"first_informed":[`, `"first_informed":[20000000,`, "first_informed"},
		// The page links trials.csv: a bad one is refused as a bad rounds.csv is.
		{"trials.csv row", results.TrialsFile, ",true,", ",maybe,", `measured "maybe"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			root := filepath.Join(base, "a", "results")
			writeResults(t, root, map[string]string{"sample": sampleScenarios["sample"], "single": sampleScenarios["single"]})
			path := filepath.Join(root, "sample", c.file)
			data, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(data, []byte(c.old)) {
				t.Fatalf("%s lacks %s: %v", path, c.old, err)
			}
			if c.file != results.SummaryFile { // replace node 0's round, keeping the node count
				data = regexp.MustCompile(`"first_informed":\[-?[0-9]+,`).ReplaceAll(data, []byte(c.old))
			}
			os.WriteFile(path, bytes.Replace(data, []byte(c.old), []byte(c.new), 1), 0o644)
			// A real replay where the traversal leads, as an attacker would place it.
			os.MkdirAll(filepath.Join(base, "a", "outside"), 0o755)
			replay, _ := os.ReadFile(filepath.Join(root, "sample", "replay", "fanout=1.json"))
			os.WriteFile(filepath.Join(base, "a", "outside", "x.json"), replay, 0o644)

			out, err := Render(root)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want an *InputError naming %s with %q", err, path, c.msg)
			}
			if out == nil || len(out.Scenarios) != 1 {
				t.Fatalf("rendered %+v, want the good scenario", out)
			}
			for _, f := range []string{"index.html", "charts", "replay/fanout=1.html", "replay/fanout=2.html"} {
				if _, err := os.Stat(filepath.Join(root, "sample", f)); err == nil {
					t.Errorf("sample/%s written from a bad result", f)
				}
			}
			filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
				if rel, _ := filepath.Rel(root, p); strings.HasPrefix(rel, "..") && !d.IsDir() && !strings.HasSuffix(p, "x.json") {
					t.Errorf("%s written outside the results", p)
				}
				return nil
			})
		})
	}
}

// Results written before trials.csv render, without a link to it; with
// it, the page links it. A symlinked trials.csv is not followed: the
// scenario is refused, naming the file.
func TestTrialsFileIsOptionalNeverFollowed(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"sample": sampleScenarios["sample"], "single": sampleScenarios["single"]})
	os.Remove(filepath.Join(root, "single", results.TrialsFile))
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("s3cr3t"), 0o600)
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	link := `<a href="trials.csv">trials.csv</a>`
	if page, _ := os.ReadFile(filepath.Join(root, "single", "index.html")); bytes.Contains(page, []byte(link)) || !bytes.Contains(page, []byte("rounds.csv")) {
		t.Error("the page of a result without trials.csv links one")
	}
	if page, _ := os.ReadFile(filepath.Join(root, "sample", "index.html")); !bytes.Contains(page, []byte(link)) {
		t.Error("the page does not link trials.csv")
	}
	if err := os.Symlink(secret, filepath.Join(root, "single", results.TrialsFile)); err != nil {
		t.Fatal(err)
	}
	out, err := Render(root)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), filepath.Join(root, "single", results.TrialsFile)+": a symbolic link") {
		t.Fatalf("error %v, want one naming the symlinked trials.csv", err)
	}
	if out == nil || len(out.Scenarios) != 1 {
		t.Fatalf("rendered %+v, want the other scenario", out)
	}
}

// Issue 9 item 23: report while a run replaces the same result failed in
// 27 of 27 overlaps. Here a real run's write (experiments.Write, the swap
// runs use) replaces the result each time a Render starts, so the two
// overlap: every Render succeeds, and the pages left describe the result
// in place.
func TestRenderWhileRunReplaces(t *testing.T) {
	root := t.TempDir()
	yaml := func(seed int) string {
		return fmt.Sprintf("name: demo\nnodes: 200\nfanout: 2\ntrials: 4\nreplay: {max_nodes: 200}\nsweep: {mode: [push, pull]}\nseed: %d\n", seed)
	}
	resultstest.Write(t, root, yaml(1), false)
	const renders = 8
	starting := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range starting {
			resultstest.Write(t, root, yaml(2+i%2), false)
		}
	}()
	for i := range renders {
		starting <- i
		if _, err := Render(root); err != nil {
			t.Errorf("render %d: %v", i, err)
		}
	}
	close(starting)
	wg.Wait()
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	var sum results.Summary
	if err := json.Unmarshal([]byte(read(t, root, "demo", results.SummaryFile)), &sum); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("--seed %d ", sum.Seed); !strings.Contains(read(t, root, "demo", "index.html"), want) {
		t.Errorf("demo/index.html lacks %q: a page of another result", want)
	}
}

// A run replacing the result again and again, faster than a report
// renders, made every attempt see a replaced result: the report gave up
// after its attempts and exited 1. Here the writer never pauses while the
// renders run; each must still succeed.
func TestRenderWhileRunReplacesWithoutPause(t *testing.T) {
	root := t.TempDir()
	yaml := "name: demo\nnodes: 200\nfanout: 2\ntrials: 4\nreplay: {max_nodes: 200}\nsweep: {mode: [push, pull]}\n"
	s, err := experiments.Parse("demo.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	res, err := experiments.Runner{Engines: map[string]engine.Engine{"memory": memory.Engine{}}}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	man := experiments.NewManifest(res, sum, results.Host{Name: "test"}, 1, []string{"gossipbench", "run", "demo.yaml"})
	if _, err := experiments.Write(root, res, sum, man); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var writes sync.WaitGroup
	writes.Add(1)
	go func() {
		defer writes.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := experiments.Write(root, res, sum, man); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := range 3 {
		if _, err := Render(root); err != nil {
			t.Errorf("render %d: %v", i, err)
		}
	}
	close(stop)
	writes.Wait()
}
