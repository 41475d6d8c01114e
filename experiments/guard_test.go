package experiments

import (
	"context"
	"fmt"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/peakmem"
)

// The estimate must not promise less than a run takes, from the start of
// the run to its result written: the per-round counts of every trial kept
// until then, replays, summary.json's curves and the files being encoded.
func TestMemoryEstimateIsAnUpperBound(t *testing.T) {
	cases := []struct{ what, yaml string }{
		{"long trials (per-round counts)", "name: lossy\nnodes: 2\nloss: 0.99999\nmax_rounds: 100000\ntrials: 5\n"},
		{"many trials kept", "name: many\nnodes: 50\ntrials: 10000\nsweep: {fanout: [1, 2, 3]}\n"},
		{"long max_rounds, no replay", "name: norep\nnodes: 1000\ntrials: 400\nmax_rounds: 1000000\nreplay: {max_nodes: 0}\nsweep: {loss: [0, 0.5, 0.9]}\n"},
		// The graph, drawn for every trial in flight (topology.Bytes).
		{"a random regular graph", "name: reg\nnodes: 50000\ntrials: 2\nreplay: {max_nodes: 0}\ntopology: {kind: regular, degree: 16}\n"},
		// A state per node and rumor (protocol.WorldBytes).
		{"many rumors mongered", "name: mong\nnodes: 20000\nfanout: 3\ntrials: 2\nreplay: {max_nodes: 0}\nstop: {rule: transmits, mult: 4}\nrumors: {count: 20, every: 1}\n"},
	}
	if !testing.Short() {
		cases = append(cases, struct{ what, yaml string }{"a large replay",
			"name: big\nnodes: 100000\nmode: pull\nfanout: 2\ntrials: 1\nreplay: {max_nodes: 100000}\nfailures: [{round: 2, crash: 0.1}]\n"})
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			s := mustParse(t, c.yaml)
			out := t.TempDir()
			used := peakmem.Of(t, func() {
				// What gossipbench run does: stream the trials to the files.
				r := Runner{Engines: testEngines, Parallel: 2}
				if _, err := r.RunTo(context.Background(), out, s, RunInfo{Parallel: 2}); err != nil {
					t.Fatal(err)
				}
			})
			est := s.MemoryEstimate(2) - baseBytes
			t.Logf("estimate %s, peak %s", bytesText(est), bytesText(used))
			if est < used {
				t.Fatalf("estimate %d bytes is below the %d bytes the run took", est, used)
			}
			if est > 8*used {
				t.Fatalf("estimate %d bytes is over 8 times the %d bytes the run took: it would refuse runs that fit", est, used)
			}
		})
	}
}

func TestCheckMemoryRefusesWhatCannotFit(t *testing.T) {
	s := mustParse(t, "name: huge\nnodes: 100000000\nmode: pull\nfanout: 8\nfailures: [{round: 2, crash: 0.5}]\n")
	err := s.CheckMemory(4, 512<<20)
	if err == nil {
		t.Fatal("a 100-million-node run with -j 4 fits in 512 MiB?")
	}
	for _, want := range []string{"test.yaml needs about", "with -j 4", "512 MiB is available", "lower -j, nodes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if err := s.CheckMemory(1, 64<<30); err != nil {
		t.Errorf("it fits in 64 GiB: %v", err)
	}
	if AvailableMemory() == 0 {
		t.Log("no MemAvailable on this system: the guard is off")
	}
}

// What a run keeps counts, not only its largest trial: long lossy trials
// keep a row per round, and a grid keeps every trial of every point.
func TestCheckMemoryCountsWhatRunsKeep(t *testing.T) {
	for _, c := range []struct{ what, yaml string }{
		{"5,000 trials of a million rounds", "name: lossy\nnodes: 2\nloss: 0.999999\nmax_rounds: 1000000\ntrials: 5000\n"},
		{"10,000 points x 100,000 trials", bigGrid + "trials: 100000\n"},
	} {
		s := mustParse(t, c.yaml)
		if err := s.CheckMemory(1, 16<<30); err == nil {
			t.Errorf("%s fits in 16 GiB? estimated %s", c.what, bytesText(s.MemoryEstimate(1)))
		}
	}
	// A trial of a million rounds holds its rows while it runs.
	if est := mustParse(t, "name: lossy\nnodes: 2\nloss: 0.999999\nmax_rounds: 1000000\ntrials: 5\n").MemoryEstimate(1); est < 1_000_000*roundBytes {
		t.Errorf("5 trials of a million rounds estimated at %s, less than one trial's rows", bytesText(est))
	}
}

// bigGrid is 10,000 points (25 node counts x 20 fanouts x 20 losses) that
// may each run a million rounds.
var bigGrid = func() string {
	var nodes, fanouts, losses []string
	for i := 0; i < 25; i++ {
		nodes = append(nodes, strconv.Itoa(1000+i*1000))
	}
	for i := 1; i <= 20; i++ {
		fanouts = append(fanouts, strconv.Itoa(i))
		losses = append(losses, strconv.FormatFloat(float64(i-1)*0.04, 'g', -1, 64))
	}
	return fmt.Sprintf("name: grid\nmax_rounds: 1000000\nsweep:\n  nodes: [%s]\n  fanout: [%s]\n  loss: [%s]\n",
		strings.Join(nodes, ", "), strings.Join(fanouts, ", "), strings.Join(losses, ", "))
}()

// allocated is how many bytes the heap handed out while work ran.
func allocated(work func()) uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	work()
	metrics.Read(s)
	return s[0].Value.Uint64() - before
}

// Validating and summarizing do not grow with max_rounds: the mean-field
// model stops where it settles (these points record replays, whose size
// the estimate takes from the model). Counted in bytes allocated, not in seconds, so a busy
// machine cannot fail it; computing every round would allocate 24 bytes a
// round a point (2.4 GB here).
func TestValidationDoesNotGrowWithMaxRounds(t *testing.T) {
	yaml := "name: wide\nnodes: 1000\nmax_rounds: 1000000\nsweep:\n  fanout: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n  loss: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n"
	bytes := allocated(func() {
		s := mustParse(t, yaml)
		_ = s.CheckMemory(1, 64<<30)
		one := []*engine.Trace{{Rounds: []engine.RoundStats{{Informed: 1, Alive: 1000}}}}
		p := s.Points()[0]
		_ = Summarize(&Result{Scenario: s, Points: []PointResult{{Point: p, Traces: one}}, run: &Run{Scenario: s, Points: []Point{p}}})
	})
	if bytes > 64<<20 {
		t.Fatalf("validating 100 points allocated %s; it should not depend on max_rounds", bytesText(bytes))
	}
}

// BenchmarkValidateBigGrid validates the largest grid a scenario may have,
// every point allowed a million rounds: go test -bench ValidateBigGrid
// ./experiments.
func BenchmarkValidateBigGrid(b *testing.B) {
	engines := map[string]engine.Engine{"memory": memory.Engine{}}
	for b.Loop() {
		s, err := Parse("grid.yaml", []byte(bigGrid))
		if err != nil {
			b.Fatal(err)
		}
		if err := s.CheckEngines(engines); err != nil {
			b.Fatal(err)
		}
		_ = s.CheckMemory(1, 64<<30)
	}
}
