package chart

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Trials are what the charts take from the trials themselves (rounds.csv
// and the per-rumor counts, as the results reader gives them back as
// engine.Traces) where summary.json has no statistic of it: the rounds
// to full of each converged trial, for the distribution chart, and for
// rumor mongering the mean infective and removed counts per round and
// each rumor's delay to 99 %. The page and the static files read them
// the same way, so they draw the same.
type Trials struct {
	RoundsToFull map[string][]float64 // per point ID, converged trials only
	States       map[string]*States
	// Delays[id][i] are rumor i's delays to 99 % (rounds from its
	// injection to the first round at whose end 99 % of the alive nodes
	// knew it) in the trials where it got there.
	Delays map[string][][]float64
	// Stuck[id][i] counts the trials where rumor i never got to 99 %.
	Stuck map[string][]int
	// Curves[id] are each rumor's mean informed fraction per round, for
	// the points of many rumors.
	Curves map[string]*RumorCurves
}

// States are the mean infective and removed node-rumor pairs per round
// over a point's trials, a trial that stopped counting with its final
// state in later rounds (as summary.json's curve holds it).
type States struct {
	Infective, Removed []float64
	sumI, sumR         []float64
	finalI, finalR     []float64 // per trial
	// Counted says some round had an infective or removed pair: results
	// written before rounds.csv had the columns read back as zeros, which
	// the charts must not draw as a rumor nobody spreads.
	Counted bool
}

// NewTrials is an empty Trials, to Add to.
func NewTrials() *Trials {
	return &Trials{RoundsToFull: map[string][]float64{}, States: map[string]*States{},
		Delays: map[string][][]float64{}, Stuck: map[string][]int{}, Curves: map[string]*RumorCurves{}}
}

// Add takes one trial of point p.
func (t *Trials) Add(p *results.PointSummary, tr *engine.Trace) {
	if len(tr.Rounds) == 0 {
		return
	}
	if r, ok := tr.RoundsTo(1); ok {
		t.RoundsToFull[p.ID] = append(t.RoundsToFull[p.ID], float64(r))
	}
	if !mongers(p) {
		return
	}
	st := t.States[p.ID]
	if st == nil {
		st = &States{}
		t.States[p.ID] = st
	}
	for len(st.sumI) < len(tr.Rounds) {
		// A round no earlier trial reached: they count with their final state.
		st.sumI, st.sumR = append(st.sumI, sum(st.finalI)), append(st.sumR, sum(st.finalR))
	}
	f := tr.Final()
	for r := range st.sumI {
		row := f
		if r < len(tr.Rounds) {
			row = tr.Rounds[r]
		}
		st.sumI[r] += float64(row.Infective)
		st.sumR[r] += float64(row.Removed)
		st.Counted = st.Counted || row.Infective+row.Removed > 0
	}
	st.finalI, st.finalR = append(st.finalI, float64(f.Infective)), append(st.finalR, float64(f.Removed))
	n := float64(len(st.finalI))
	st.Infective, st.Removed = scale(st.sumI, 1/n), scale(st.sumR, 1/n)
	t.addDelays(p, tr)
	t.addCurves(p, tr)
}

// addDelays takes each rumor's delay to 99 % of a trial of many rumors,
// as results.RumorDelays counts it.
func (t *Trials) addDelays(p *results.PointSummary, tr *engine.Trace) {
	delays, _ := results.RumorDelays(tr, &p.Params)
	if delays == nil {
		return
	}
	if t.Delays[p.ID] == nil {
		t.Delays[p.ID], t.Stuck[p.ID] = make([][]float64, len(delays)), make([]int, len(delays))
	}
	for i, d := range delays {
		if i >= len(t.Delays[p.ID]) {
			break
		}
		if math.IsNaN(d) {
			t.Stuck[p.ID][i]++
			continue
		}
		t.Delays[p.ID][i] = append(t.Delays[p.ID][i], d)
	}
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func scale(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return sum(xs) / float64(len(xs))
}

// rumorDelays is each rumor's delay to 99 % against its index, a line of
// means with their 95 % intervals per point: with a small message budget
// the late rumors wait behind the early ones (memberlist's queue), and
// the line climbs.
func (l *layout) rumorDelays() *Chart {
	c := Chart{Name: "rumor-delays", Title: "Delay to 99 % of each rumor",
		Note: "Rounds from a rumor's injection until 99 % of the alive nodes know it, by the rumor's index (injection order): " +
			"means over the trials where it got there, with their 95 % confidence intervals (bars).",
		X: Axis{Label: "rumor (index, injection order)", Min: nan, Max: nan, Integer: true, Digits: 0},
		Y: Axis{Label: "rounds from injection to 99 %", Min: 0, Max: nan, Digits: 1}}
	if secs := roundSeconds(l.sum); secs > 0 {
		c.Note += " A round is " + seconds(secs) + "."
	}
	var stuck []string
	drawn := l.perRumor(&c, func(i int) []Series {
		p := &l.sum.Points[i]
		d := l.rumorStats(p)
		if d == nil {
			return nil
		}
		s := Series{Name: l.name(i, "mean of "+l.trialCount()), Kind: Points, Color: l.colors[i], Connect: true, Interval: "95 % CI"}
		for r, st := range d {
			if st.N == 0 {
				continue
			}
			s.X, s.Y = append(s.X, float64(r)), append(s.Y, st.Mean)
			s.Lo, s.Hi = append(s.Lo, st.CI95[0]), append(s.Hi, st.CI95[1])
		}
		n := 0
		for _, k := range l.trials.Stuck[p.ID] {
			n += k
		}
		if p.Rumors != nil {
			n = p.Rumors.Missed
		}
		if n > 0 {
			stuck = append(stuck, p.ID)
		}
		if len(s.X) == 0 {
			return nil
		}
		return []Series{s}
	})
	if !drawn {
		return nil
	}
	if len(stuck) > 0 {
		c.Note += " Some rumors never reached 99 % in some trials (points " + joinIDs(stuck) + "); their means leave those trials out."
	}
	return &c
}

// rumorStats are each rumor's delay to 99 % over a point's trials: from
// summary.json (its rumors' per_rumor), else from the trials; nil for a
// point of one rumor.
func (l *layout) rumorStats(p *results.PointSummary) []results.Stats {
	if p.Rumors != nil {
		out := make([]results.Stats, len(p.Rumors.PerRumor))
		for i, r := range p.Rumors.PerRumor {
			out[i] = r.Delay99
		}
		return out
	}
	d := l.trials.Delays[p.ID]
	if d == nil {
		return nil
	}
	out := make([]results.Stats, len(d))
	for i, xs := range d {
		out[i] = results.Describe(xs)
	}
	return out
}

// rumorDelaySpread is the distribution of the delay to 99 % over every
// rumor of every trial, a box per point: the spread of waits a user of
// the cluster sees.
func (l *layout) rumorDelaySpread() *Chart {
	c := Chart{Name: "rumor-delay-spread", Title: "Distribution of the delay to 99 % over rumors",
		Note:        "Every rumor of every trial that got to 99 %: minimum, quartiles and maximum of the rounds from its injection.",
		LegendTitle: l.legendTitle,
		Y:           Axis{Label: "rounds from injection to 99 %", Min: nan, Max: nan, Integer: true, Digits: 1},
		X:           Axis{Label: l.legendTitle, Min: nan, Max: nan, Categorical: true}}
	if c.X.Label == "" {
		c.X.Label = "point"
	}
	samples := map[string][]float64{}
	for id, d := range l.trials.Delays {
		for _, xs := range d {
			samples[id] = append(samples[id], xs...)
		}
	}
	if len(samples) > 0 {
		return l.boxes(c, samples)
	}
	return l.spreadMarks(c)
}

// spreadMarks draws the delays' distribution from summary.json's rumors
// where the trials' samples are not at hand (rounds.csv holds no
// per-rumor counts): per point its median (circle) with a bar from the
// minimum to the maximum, and its 90th percentile (square).
func (l *layout) spreadMarks(c Chart) *Chart {
	c.Note = "Every rumor of every trial that got to 99 %: the median of the rounds from its injection (circle), " +
		"the minimum to the maximum (bar) and the 90th percentile (square)."
	c.Y.Min = 0
	drawn := false
	at := map[string]int{}
	for _, g := range l.panels {
		p := Panel{Title: g.title}
		for _, i := range g.points {
			pt := &l.sum.Points[i]
			label := l.labels[i]
			if label == "" {
				label = "all trials"
			}
			x, ok := at[label]
			if !ok {
				x = len(at)
				at[label] = x
				c.X.Ticks = append(c.X.Ticks, Tick{Value: float64(x), Label: label})
			}
			if pt.Rumors == nil || pt.Rumors.Delay99.N == 0 {
				continue
			}
			d := pt.Rumors.Delay99
			drawn = true
			p.Series = append(p.Series,
				Series{Name: l.name(i, "median"), Kind: Points, Glyph: Circle, Color: l.colors[i], Interval: "minimum–maximum",
					X: []float64{float64(x)}, Y: []float64{d.Median}, Lo: []float64{d.Min}, Hi: []float64{d.Max}},
				Series{Name: "90th percentile", Kind: Points, Glyph: Square, Color: l.colors[i], Faint: true,
					X: []float64{float64(x)}, Y: []float64{d.P90}})
		}
		c.Panels = append(c.Panels, p)
	}
	if !drawn {
		return nil
	}
	return &c
}

// perRumor fills c's panels with each point's series; false when no
// point has any.
func (l *layout) perRumor(c *Chart, series func(i int) []Series) bool {
	drawn := false
	for _, g := range l.panels {
		p := Panel{Title: g.title}
		for _, i := range g.points {
			s := series(i)
			drawn = drawn || len(s) > 0
			p.Series = append(p.Series, s...)
		}
		c.Panels = append(c.Panels, p)
	}
	c.LegendTitle = l.legendTitle
	return drawn
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		out += id
	}
	return out
}
