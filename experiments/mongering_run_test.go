package experiments

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// A tiny stop-rule scenario of many rumors runs through the runner into
// a result whose summary.json the reader takes, with the mongering
// metrics and the rumors' summary consistent with the rows.
func TestMongeringRunEndToEnd(t *testing.T) {
	s := mustParse(t, `name: monger
nodes: 50
trials: 4
fanout: 2
max_rounds: 60
stop: {rule: counter, k: 2, feedback: true}
rumors: {count: 3, every: 2}
sweep:
  stop.k: [1, 3]
`)
	out := t.TempDir()
	w, err := Runner{Engines: testEngines, Parallel: 2}.RunTo(context.Background(), out, s, RunInfo{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	r, err := results.OpenResult(filepath.Join(out, "monger"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	traces, err := r.Rounds()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.CheckTrials(); err != nil {
		t.Fatal(err)
	}
	if len(r.Summary.Points) != 2 || len(w.Summary.Points) != 2 {
		t.Fatalf("%d points", len(r.Summary.Points))
	}
	for _, p := range r.Summary.Points {
		if p.Params.Stop.Rule != "counter" || p.Params.Rumors.Count != 3 {
			t.Errorf("point %s params %+v", p.ID, p.Params)
		}
		for _, m := range []string{results.RoundsToQuiet, results.LastInformedRound, results.MeanInformedRound, results.Residue, results.MessagesPerNode} {
			if st, ok := p.Metrics[m]; !ok || st.N != 4 {
				t.Errorf("point %s: %s %+v (present %v), want 4 trials", p.ID, m, st, ok)
			}
		}
		// Every trial ends quiet (a stop rule, rounds to spare): its
		// last row has no infective pair, at the round summary.json says.
		quiet := p.Metrics[results.RoundsToQuiet]
		sum := 0
		for _, tr := range traces[p.ID] {
			// rumors.csv gives the trial its rumors back.
			if len(tr.PerRumor) != len(tr.Rounds) || len(tr.PerRumor[len(tr.PerRumor)-1]) != 3 {
				t.Errorf("point %s: a trial read back with %d rounds of rumors for %d rounds", p.ID, len(tr.PerRumor), len(tr.Rounds))
			}
			f := tr.Final()
			if f.Infective != 0 || f.Rumors != 3 || f.Infective+f.Removed != f.Informed {
				t.Errorf("point %s: a trial ends %+v", p.ID, f)
			}
			sum += f.Round
		}
		if math.Abs(quiet.Mean-float64(sum)/4) > 1e-9 {
			t.Errorf("point %s: rounds_to_quiet mean %g, the rows' last rounds %g", p.ID, quiet.Mean, float64(sum)/4)
		}
		// t_last ≤ quiet: nobody learns once nobody spreads.
		if last := p.Metrics[results.LastInformedRound]; last.Max > quiet.Max {
			t.Errorf("point %s: last_informed_round up to %g after quiet at most %g", p.ID, last.Max, quiet.Max)
		}
		rs := p.Rumors
		if rs == nil || len(rs.PerRumor) != 3 || rs.Delay99.N+rs.Missed != 12 {
			t.Fatalf("point %s: rumors %+v", p.ID, rs)
		}
		for i, rp := range rs.PerRumor {
			if rp.InjectedAt != 2*i || rp.Residue.N != 4 {
				t.Errorf("point %s rumor %d: %+v", p.ID, i, rp)
			}
		}
	}
	// A larger k leaves fewer nodes uninformed (Demers: 0.18 for k=1,
	// lower for more), here by any margin: 4 trials of 50 nodes.
	k1, k3 := r.Summary.Points[0].Metrics[results.Residue], r.Summary.Points[1].Metrics[results.Residue]
	if !(k3.Mean < k1.Mean) {
		t.Errorf("residue k=1 %g, k=3 %g: want k=3 lower", k1.Mean, k3.Mean)
	}
}

// rumors.csv, as rounds.csv and trials.csv, is the same bytes for every
// -j: trials that end out of order are spilled and put back in order.
func TestRumorsFileSameBytesForEveryParallel(t *testing.T) {
	s := mustParse(t, "name: par\nnodes: 60\ntrials: 7\nstop: {rule: coin, k: 2}\nrumors: {count: 4, every: 1}\nsweep:\n  packet.max_rumors: [1, 3]\n")
	var first map[string][]byte
	for _, par := range []int{1, 4} {
		out := t.TempDir()
		if _, err := (Runner{Engines: testEngines, Parallel: par}).RunTo(context.Background(), out, s, RunInfo{Parallel: par}); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, name := range []string{results.RoundsFile, results.TrialsFile, results.RumorsFile} {
			data, err := os.ReadFile(filepath.Join(out, "par", name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = data
		}
		if first == nil {
			first = files
			continue
		}
		for name, data := range files {
			if !bytes.Equal(data, first[name]) {
				t.Errorf("%s differs between -j 1 and -j %d", name, par)
			}
		}
	}
}
