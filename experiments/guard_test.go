package experiments

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The estimate must not promise less than a run takes: run a replayed
// 100,000-node pull point and sample the heap while it runs.
func TestMemoryEstimateIsAnUpperBound(t *testing.T) {
	s := mustParse(t, "name: big\nnodes: 100000\nmode: pull\nfanout: 2\ntrials: 1\nreplay: {max_nodes: 100000}\nfailures: [{round: 2, crash: 0.1}]\n")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	res, err := Runner{Engines: testEngines, Parallel: 1}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	_ = NewReplayFile(s.Name, res.Points[0].Point, res.Points[0].Traces[0])
	close(done)
	used := peak.Load() - base
	est := s.MemoryEstimate(1) - baseBytes
	t.Logf("estimate %s, sampled peak %s", bytesText(est), bytesText(used))
	if est < used {
		t.Fatalf("estimate %d bytes is below the %d bytes the run took", est, used)
	}
	if est > 8*used {
		t.Fatalf("estimate %d bytes is over 8 times the %d bytes the run took: it would refuse runs that fit", est, used)
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
