package cluster

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The http engine in lockstep and the simulator keep the same semantics,
// so over many trials their distributions agree. Seeds are fixed; the
// significance level is 0.001, so a real difference shows and chance
// does not.
func TestAgreesWithMemoryEngine(t *testing.T) {
	checkNoLeaks(t)
	const trials = 40
	modes := []engine.Mode{engine.PushPull}
	if !testing.Short() {
		modes = engine.Modes()
	}
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			cfg := engine.Config{Nodes: 100, Mode: mode, Fanout: 1, Loss: 0.1, MaxRounds: 200, Source: -1,
				Failures: []engine.Failure{{Round: 3, Fraction: 0.05}}}
			e := &Engine{}
			defer e.Close()
			httpRounds, httpMsgs := sample(t, e, cfg, trials, 1000)
			memRounds, memMsgs := sample(t, memory.Engine{}, cfg, trials, 2000)
			for _, c := range []struct {
				name string
				a, b []float64
			}{{"rounds to full", httpRounds, memRounds}, {"messages per node", httpMsgs, memMsgs}} {
				d, dCrit := ksTest(c.a, c.b)
				p := welchP(c.a, c.b)
				t.Logf("%s: http mean %.2f, memory mean %.2f; KS D %.3f (critical %.3f); Welch p %.3f",
					c.name, stat.Mean(c.a, nil), stat.Mean(c.b, nil), d, dCrit, p)
				if d > dCrit || p < 0.001 {
					t.Errorf("%s: the engines differ", c.name)
				}
			}
			// The same tests tell a real difference: memory with three
			// times the loss.
			worse := cfg
			worse.Loss = 0.3
			worseRounds, _ := sample(t, memory.Engine{}, worse, trials, 3000)
			if d, dCrit := ksTest(httpRounds, worseRounds); d <= dCrit {
				t.Errorf("KS cannot tell loss 0.1 from 0.3 (D %.3f, critical %.3f)", d, dCrit)
			}
		})
	}
}

func sample(t *testing.T, e engine.Engine, cfg engine.Config, trials int, seed0 uint64) (rounds, msgs []float64) {
	t.Helper()
	for i := 0; i < trials; i++ {
		cfg.Seed = seed0 + uint64(i)
		tr, err := engine.Collect(context.Background(), e, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := tr.RoundsTo(1)
		if !ok {
			r = cfg.MaxRounds
		}
		rounds = append(rounds, float64(r))
		msgs = append(msgs, tr.MessagesPerNode(cfg.Nodes))
	}
	return rounds, msgs
}

// ksTest is the two-sample Kolmogorov-Smirnov statistic and its critical
// value at the 0.001 level.
func ksTest(a, b []float64) (d, crit float64) {
	a, b = sorted(a), sorted(b)
	d = stat.KolmogorovSmirnov(a, nil, b, nil)
	n, m := float64(len(a)), float64(len(b))
	c := math.Sqrt(-math.Log(0.001/2) / 2)
	return d, c * math.Sqrt((n+m)/(n*m))
}

// welchP is the two-sided p-value of Welch's t-test for equal means.
func welchP(a, b []float64) float64 {
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	na, nb := float64(len(a)), float64(len(b))
	se2 := va/na + vb/nb
	if se2 == 0 {
		if ma == mb {
			return 1
		}
		return 0
	}
	tv := (ma - mb) / math.Sqrt(se2)
	df := se2 * se2 / ((va/na)*(va/na)/(na-1) + (vb/nb)*(vb/nb)/(nb-1))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(tv))
}

func sorted(x []float64) []float64 {
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	return y
}
