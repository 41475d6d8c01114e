package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// RumorCurves are, for a point of many rumors, each rumor's mean informed
// fraction of the alive nodes per round over the trials read so far
// (Trace.PerRumor, from rumors.csv), summed as the trials stream past:
// it holds rumors × rounds sums and counts, never a trial's rows, so the
// report's memory does not grow with rumors.csv.
type RumorCurves struct {
	Round []int
	sum   [][]float64 // [rumor][round]: informed/alive summed over trials
	n     [][]int     // [rumor][round]: the trials that had the rumor then
	// A trial that stopped counts with its final state in later rounds,
	// as summary.json's curve holds it: the sums of the trials' final
	// fractions, per rumor, fill a round no earlier trial reached.
	finalSum []float64
	finalN   []int
}

// addCurves takes a trial of many rumors into its point's RumorCurves.
func (t *Trials) addCurves(p *results.PointSummary, tr *engine.Trace) {
	if p.Params.RumorCount() < 2 || len(tr.PerRumor) == 0 {
		return
	}
	if t.Curves[p.ID] == nil {
		t.Curves[p.ID] = &RumorCurves{}
	}
	t.Curves[p.ID].add(tr)
}

// add takes one trial's per-rumor counts; a trace without them (one
// rumor, or results older than rumors.csv) adds nothing.
func (c *RumorCurves) add(tr *engine.Trace) {
	if len(tr.PerRumor) != len(tr.Rounds) || len(tr.Rounds) == 0 {
		return
	}
	rumors := 0
	for _, row := range tr.PerRumor {
		rumors = max(rumors, len(row))
	}
	for len(c.sum) < rumors {
		c.sum, c.n = append(c.sum, make([]float64, len(c.Round))), append(c.n, make([]int, len(c.Round)))
		c.finalSum, c.finalN = append(c.finalSum, 0), append(c.finalN, 0)
	}
	for r := len(c.Round); r < len(tr.Rounds); r++ {
		c.Round = append(c.Round, tr.Rounds[r].Round)
		for i := range c.sum {
			c.sum[i], c.n[i] = append(c.sum[i], c.finalSum[i]), append(c.n[i], c.finalN[i])
		}
	}
	last := len(tr.Rounds) - 1
	for r := range c.Round {
		at := min(r, last)
		row, alive := tr.PerRumor[at], tr.Rounds[at].Alive
		if alive <= 0 {
			continue
		}
		for i, rs := range row {
			c.sum[i][r] += float64(rs.Informed) / float64(alive)
			c.n[i][r]++
		}
	}
	if alive := tr.Rounds[last].Alive; alive > 0 {
		for i, rs := range tr.PerRumor[last] {
			c.finalSum[i] += float64(rs.Informed) / float64(alive)
			c.finalN[i]++
		}
	}
}

// Rumors is how many rumors the curves have.
func (c *RumorCurves) Rumors() int { return len(c.sum) }

// Mean is rumor i's mean informed fraction per round, NaN in the rounds
// before it was injected.
func (c *RumorCurves) Mean(i int) []float64 {
	out := make([]float64, len(c.Round))
	for r := range out {
		out[r] = math.NaN()
		if c.n[i][r] > 0 {
			out[r] = c.sum[i][r] / float64(c.n[i][r])
		}
	}
	return out
}

// rumorCurves is a chart per point of many rumors with each rumor's mean
// informed fraction per round, a line per rumor coloured from light
// (rumor 0, the first injected) to dark (the last): with a small message
// budget the later rumors' curves lag behind the earlier ones'.
func (l *layout) rumorCurves() []*Chart {
	var out []*Chart
	for i := range l.sum.Points {
		p := &l.sum.Points[i]
		c := l.trials.Curves[p.ID]
		if p.Params.RumorCount() < 2 || c == nil || c.Rumors() < 2 {
			continue
		}
		title := "Spread of each rumor"
		if !l.single() {
			title += ", point " + p.ID
		}
		ch := Chart{Name: "rumor-curves-" + strconv.Itoa(i), Title: title,
			Note: fmt.Sprintf("Each rumor's informed fraction of the alive nodes per round, the mean of %s, a line per rumor "+
				"from rumor 0, the first injected (lightest), to rumor %d, the last (darkest); a trial that stopped counts with its final state.",
				l.trialCount(), c.Rumors()-1),
			LegendTitle: "rumor (injection order)",
			X:           l.roundAxis(), Y: Axis{Label: "informed nodes (fraction of alive)", Min: 0, Max: 1, Fraction: true, Digits: 1}}
		x := make([]float64, len(c.Round))
		for r, v := range c.Round {
			x[r] = float64(v)
		}
		var panel Panel
		for k := range c.Rumors() {
			name := "rumor " + strconv.Itoa(k)
			if k == 0 {
				name += " (first injected)"
			}
			panel.Series = append(panel.Series, Series{Name: name, Kind: Line, Color: Sequential(float64(k) / float64(c.Rumors()-1)),
				X: x, Y: c.Mean(k)})
		}
		panel.Markers = faultMarkers(l.sum, []int{i})
		ch.Panels = []Panel{panel}
		out = append(out, &ch)
	}
	return out
}

// sequentialStops are a perceptually ordered scale from light yellow to
// dark blue (the ends of viridis, lightened so the first line still
// shows on white).
var sequentialStops = [][3]float64{{0xd8, 0xc8, 0x3a}, {0x5e, 0xc9, 0x62}, {0x21, 0x91, 0x8c}, {0x3b, 0x52, 0x8b}, {0x44, 0x01, 0x54}}

// Sequential is the colour at t in [0, 1] along the sequential scale.
func Sequential(t float64) string {
	if !finite(t) {
		t = 0
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(sequentialStops)-1)
	j := min(int(t), len(sequentialStops)-2)
	f := t - float64(j)
	a, b := sequentialStops[j], sequentialStops[j+1]
	var rgb [3]int
	for k := range rgb {
		rgb[k] = int(math.Round(a[k] + (b[k]-a[k])*f))
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
}
