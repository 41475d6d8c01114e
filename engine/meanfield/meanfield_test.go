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

// referenceCurve and referencePredict run the recurrence for every one of
// maxRounds rounds, as Predict did before it stopped at the settled state.
func referenceCurve(p Params, rounds int) []State {
	n, f, q := float64(p.Nodes), float64(p.Fanout), 1-p.Loss
	st := State{Informed: 1, Alive: n, Infective: 1}
	out := []State{st}
	for r := 1; r <= rounds; r++ {
		for _, fl := range p.Failures {
			if fl.Round == r && st.Alive > 0 {
				k := math.Min(float64(fl.CrashCount(p.Nodes)), st.Alive)
				st.Informed *= (st.Alive - k) / st.Alive
				st.Alive -= k
			}
		}
		I, A := st.Informed, st.Alive
		stay := 1.0
		if p.Mode == engine.Push || p.Mode == engine.PushPull {
			stay *= math.Pow(1-q*f/(n-1), I)
		}
		if p.Mode == engine.Pull || p.Mode == engine.PushPull {
			stay *= math.Pow(1-q*q*I/(n-1), f)
		}
		if p.Mode == engine.Push {
			st.Sent = I * f
		} else {
			st.Sent = A * f * (1 + q*(A-1)/(n-1))
		}
		st.Informed = I + (A-I)*(1-stay)
		st.Infective = st.Informed
		out = append(out, st)
	}
	return out
}

func referencePredict(p Params, maxRounds int) Prediction {
	c := referenceCurve(p, maxRounds)
	var pr Prediction
	var msgs float64
	for t := 0; t < maxRounds; t++ {
		running := 1 - math.Exp(-(c[t].Alive - c[t].Informed))
		pr.RoundsToFull += running
		msgs += running * c[t+1].Sent
	}
	pr.MessagesPerNode = msgs / float64(p.Nodes)
	return pr
}

// Stopping at the settled state changes the prediction by rounding only,
// and makes its cost independent of max_rounds for a point that converges.
func TestPredictStopsWhenSettled(t *testing.T) {
	for _, p := range []Params{
		{Nodes: 1000, Mode: engine.Push, Fanout: 1},
		{Nodes: 1000, Mode: engine.Push, Fanout: 1, Loss: 0.5}, // settles one ulp short of full
		{Nodes: 100_000, Mode: engine.Pull, Fanout: 2, Loss: 0.2, Failures: []engine.Failure{{Round: 30, Fraction: 0.3}}},
		{Nodes: 50, Mode: engine.PushPull, Fanout: 3, Loss: 0.9},
		{Nodes: 10, Mode: engine.Push, Fanout: 1, Loss: 1}, // never spreads
	} {
		const maxRounds = 200_000
		got, want := Predict(p, maxRounds), referencePredict(p, maxRounds)
		for _, v := range [][2]float64{{got.RoundsToFull, want.RoundsToFull}, {got.MessagesPerNode, want.MessagesPerNode}} {
			if math.Abs(v[0]-v[1]) > 1e-9*math.Abs(v[1]) {
				t.Errorf("%+v: %v, running every round gives %v", p, v[0], v[1])
			}
		}
		if len(got.Curve) > 2000 {
			t.Errorf("%+v: %d rounds computed of %d; it settles long before", p, len(got.Curve), maxRounds)
		}
		full := referenceCurve(p, maxRounds)
		for r := range full {
			if At(got.Curve, r) != full[r] {
				t.Fatalf("%+v: round %d is %+v, want %+v", p, r, At(got.Curve, r), full[r])
			}
		}
	}
}
