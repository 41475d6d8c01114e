package meanfield

import (
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

func TestFirstRoundIsExact(t *testing.T) {
	// One informed node, n = 101, fanout 4, loss 0.25: push reaches 4 peers
	// of which 3 expected arrive; pull needs request and answer (q²) from
	// the 100 uninformed nodes, each hitting the source with 1/100 per pick.
	q := 0.75
	for _, c := range []struct {
		mode engine.Mode
		want float64
	}{
		{engine.Push, 1 + 100*(1-math.Pow(1-q*4.0/100, 1))},
		{engine.Pull, 1 + 100*(1-math.Pow(1-q*q/100, 4))},
		{engine.PushPull, 1 + 100*(1-math.Pow(1-q*4.0/100, 1)*math.Pow(1-q*q/100, 4))},
	} {
		got := Curve(Params{Nodes: 101, Mode: c.mode, Fanout: 4, Loss: 0.25}, 1)[1].Informed
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%v: round 1 informed %v, want %v", c.mode, got, c.want)
		}
	}
}

func TestCurveShape(t *testing.T) {
	for _, mode := range engine.Modes() {
		p := Params{Nodes: 1000, Mode: mode, Fanout: 2, Loss: 0.1, Failures: []engine.Failure{{Round: 3, Fraction: 0.25}}}
		c := Curve(p, 60)
		for r := 1; r < len(c); r++ {
			if c[r].Informed > c[r].Alive+1e-9 {
				t.Fatalf("%v round %d: informed %v > alive %v", mode, r, c[r].Informed, c[r].Alive)
			}
			if r != 3 && c[r].Informed < c[r-1].Informed {
				t.Fatalf("%v round %d: informed fell without a crash", mode, r)
			}
		}
		if c[2].Alive != 1000 || c[3].Alive != 750 {
			t.Fatalf("%v: alive %v then %v, want 1000 then 750", mode, c[2].Alive, c[3].Alive)
		}
		if c[60].Alive-c[60].Informed > 1e-6 {
			t.Fatalf("%v: %v nodes still uninformed after 60 rounds", mode, c[60].Alive-c[60].Informed)
		}
	}
}

// The model's own rounds-to-full for push, fanout 1, agrees with Pittel's
// log2 n + ln n + O(1) as n grows.
func TestPredictPushFollowsPittel(t *testing.T) {
	for _, n := range []int{1_000, 100_000, 10_000_000} {
		got := Predict(Params{Nodes: n, Mode: engine.Push, Fanout: 1}, 1000).RoundsToFull
		want := math.Log2(float64(n)) + math.Log(float64(n)) + 1.2
		if math.Abs(got-want) > 0.5 {
			t.Errorf("n=%d: %v rounds, Pittel %v", n, got, want)
		}
	}
}

func TestPredictUnreachable(t *testing.T) {
	p := Predict(Params{Nodes: 1000, Mode: engine.Push, Fanout: 1}, 5)
	if !math.IsNaN(p.RoundsTo99) || p.RoundsToFull != 5 {
		t.Fatalf("5 rounds cannot reach 99%%: got %+v", p)
	}
}
