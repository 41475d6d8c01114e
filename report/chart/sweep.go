package chart

import (
	"sort"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Sweep charts: a metric's mean with its 95 % confidence interval against
// the last swept key, on a numeric axis where the values are numbers (log
// where they span decades). A grid has a panel per value of its first key,
// and a series per combination of the keys between the first and the last.

// metric is one metric drawn on a sweep chart.
type metric struct {
	key, label string
	glyph      Glyph
	faint      bool // secondary: lighter when it shares a colour
}

var (
	roundsTo99      = metric{key: results.RoundsTo99, label: "rounds to 99 %", glyph: Circle, faint: true}
	roundsToFull    = metric{key: results.RoundsToFull, label: "rounds to 100 %", glyph: Square}
	messagesPerNode = metric{key: results.MessagesPerNode, label: "messages per node", glyph: Square}
	residue         = metric{key: results.Residue, label: "residue", glyph: Circle}
)

// Rounds of rumor mongering: trials with a stop rule seldom reach every
// node, so its sweep shows when the spreading ends instead.
var (
	roundsToQuiet = metric{key: results.RoundsToQuiet, label: "rounds to quiet", glyph: Square}
	lastInformed  = metric{key: results.LastInformedRound, label: "last informed round (t_last)", glyph: Circle, faint: true}
)

func (l *layout) sweepRounds() *Chart {
	ms := []metric{roundsTo99, roundsToFull}
	if anyMongers(l.sum) {
		ms = []metric{roundsTo99, lastInformed, roundsToQuiet}
	}
	c := l.sweep(Chart{Name: "sweep", Title: "Rounds to spread the rumor",
		Y: Axis{Label: "rounds", Min: 0, Max: nan, Integer: true, Digits: 1}}, ms...)
	return c
}

func (l *layout) sweepMessages() *Chart {
	return l.sweep(Chart{Name: "sweep-messages", Title: "Messages per node until the end of the run",
		Y: Axis{Label: "messages sent per node", Min: 0, Max: nan, Digits: 1}}, messagesPerNode)
}

// sweepResidue is the residue against the last swept key, for points
// that run rumor mongering: the share that never hears the rumor, which
// the stop rule trades against traffic (Demers et al. 1987, Table 1).
// Wave-1 points spread until everyone knows and have none to show.
func (l *layout) sweepResidue() *Chart {
	if !anyMongers(l.sum) {
		return nil
	}
	c := l.sweep(Chart{Name: "sweep-residue", Title: "Residue: nodes the rumor never reached",
		Y: Axis{Label: "residue (fraction of alive nodes never informed)", Min: 0, Max: nan, Fraction: true, Digits: 2}}, residue)
	if c == nil {
		return nil
	}
	// The continuous-time equation beside the points it is of (feedback
	// coin), in the neutral colour: a model of another time, not of this
	// grid's series.
	xk := &l.keys[len(l.keys)-1]
	added := false
	for j, g := range l.panels {
		s := Series{Name: continuousResidueName, Kind: Points, Glyph: Dash, Color: Muted, Theory: true}
		for _, i := range g.points {
			if v, ok := continuousResidue(&l.sum.Points[i]); ok {
				s.X, s.Y = append(s.X, xk.x(i)), append(s.Y, v)
			}
		}
		if len(s.X) > 0 {
			c.Panels[j].Series = append(c.Panels[j].Series, s)
			added = true
		}
	}
	if added {
		c.Note = strings.TrimSuffix(c.Note, ".") + "; the continuous-time residue equation s = e^(−(k+1)(1−s)) of Demers et al. (grey dashes)."
	}
	return c
}

func (l *layout) sweep(c Chart, metrics ...metric) *Chart {
	if len(l.keys) == 0 {
		return nil
	}
	xk := &l.keys[len(l.keys)-1]
	c.X = xk.axis()
	var middle []key // the keys that make a panel's series
	if len(l.keys) > 2 {
		middle = l.keys[1 : len(l.keys)-1]
	}
	names := make([]string, len(middle))
	for j, k := range middle {
		names[j] = k.name
	}
	c.LegendTitle = strings.Join(names, ", ")
	c.Note = "Means with their 95 % confidence intervals (bars)"
	if anyMeanField(l.sum) {
		c.Note += ", the mean-field theory (dashed)"
	}
	if src := asymptoticSources(l.sum); len(src) > 0 {
		c.Note += ", the asymptotic leading term of rounds to full off the complete graph (dashes: " + strings.Join(src, "; ") + "; its O(1) term is unknown)"
	}
	c.Note += "."
	c.NoTheory = NoTheory(l.sum)
	groupColour := map[string]int{}
	drawn := false
	for _, g := range l.panels {
		// The panel's series: its points grouped by their middle values.
		var order []string
		members := map[string][]int{}
		for _, i := range g.points {
			parts := make([]string, len(middle))
			for j := range middle {
				parts[j] = middle[j].display(middle[j].text[i])
			}
			name := strings.Join(parts, ", ")
			if members[name] == nil {
				order = append(order, name)
			}
			members[name] = append(members[name], i)
			if _, ok := groupColour[name]; !ok {
				groupColour[name] = len(groupColour)
			}
		}
		p := Panel{Title: g.title}
		for _, name := range order {
			idx := members[name]
			sort.SliceStable(idx, func(a, b int) bool { return xk.x(idx[a]) < xk.x(idx[b]) })
			for mi, m := range metrics {
				colour, faint := Colour(mi), false
				label := m.label
				if len(middle) > 0 {
					colour, faint = Colour(groupColour[name]), m.faint && len(metrics) > 1
					label = name + ": " + m.label
				}
				mean, th, asym := l.sweepSeries(idx, xk, m)
				if len(mean.X) > 0 {
					mean.Name, mean.Color, mean.Faint, mean.Glyph = label, colour, faint, m.glyph
					mean.Connect = !c.X.Categorical
					p.Series = append(p.Series, mean)
					drawn = true
				}
				if len(th.X) > 0 {
					th.Name, th.Color = "theory: "+label, colour
					p.Series = append(p.Series, th)
					drawn = true
				}
				if len(asym.X) > 0 {
					asym.Name, asym.Color = "asymptotic theory: "+label, colour
					p.Series = append(p.Series, asym)
					drawn = true
				}
			}
		}
		c.Panels = append(c.Panels, p)
	}
	if !drawn {
		return nil
	}
	return &c
}

// sweepSeries is a metric's means with their intervals, its mean-field
// theory, and the asymptotic theory of points off the complete graph, over
// the points idx (in x order). Points without the metric, or without a
// theory value, are left out, never drawn at 0. The asymptotic values are
// marks, never joined: a leading term with an unknown O(1) is not a curve
// to read between points, nor one with the mean-field line.
func (l *layout) sweepSeries(idx []int, xk *key, m metric) (mean, theory, asymptotic Series) {
	mean = Series{Kind: Points, Interval: "95 % CI"}
	theory = Series{Kind: Line, Dashed: true, Theory: true}
	asymptotic = Series{Kind: Points, Glyph: Dash, Theory: true}
	if !xk.numeric {
		theory.Kind, theory.Glyph = Points, Dash
	}
	for _, i := range idx {
		p := l.sum.Points[i]
		x := xk.x(i)
		if st, ok := p.Metrics[m.key]; ok && st.N > 0 && finite(st.Mean) {
			lo, hi := st.CI95[0], st.CI95[1]
			if !finite(lo) || !finite(hi) || lo > st.Mean || hi < st.Mean {
				lo, hi = nan, nan // no interval rather than a wrong one
			}
			mean.X, mean.Y = append(mean.X, x), append(mean.Y, st.Mean)
			mean.Lo, mean.Hi = append(mean.Lo, lo), append(mean.Hi, hi)
		}
		if v := p.Theory.Metric(m.key); v != nil && finite(*v) {
			if asymptoticSource(&p) != "" {
				asymptotic.X, asymptotic.Y = append(asymptotic.X, x), append(asymptotic.Y, *v)
			} else {
				theory.X, theory.Y = append(theory.X, x), append(theory.Y, *v)
			}
		}
	}
	return mean, theory, asymptotic
}

// distribution is the rounds to full of each point's converged trials, a
// box per point; samples maps point IDs to them.
func (l *layout) distribution(samples map[string][]float64) *Chart {
	c := Chart{Name: "distribution", Title: "Distribution of rounds to full",
		Note:        "Across the trials that converged: minimum, quartiles and maximum.",
		LegendTitle: l.legendTitle,
		Y:           Axis{Label: "rounds to inform all", Min: nan, Max: nan, Integer: true, Digits: 1},
		X:           Axis{Label: l.legendTitle, Min: nan, Max: nan, Categorical: true}}
	if c.X.Label == "" {
		c.X.Label = "point"
	}
	return l.boxes(c, samples)
}

// boxes draws a box per point of samples (point ID to its sample), on a
// categorical axis of the points' labels; nil when no point has one.
func (l *layout) boxes(c Chart, samples map[string][]float64) *Chart {
	at := map[string]int{}
	drawn := false
	for _, g := range l.panels {
		p := Panel{Title: g.title}
		for _, i := range g.points {
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
			xs := samples[l.sum.Points[i].ID]
			if len(xs) == 0 {
				continue
			}
			drawn = true
			p.Series = append(p.Series, Series{Name: label, Kind: Box, Color: l.colors[i],
				X: []float64{float64(x)}, Samples: [][]float64{xs}})
		}
		c.Panels = append(c.Panels, p)
	}
	if !drawn {
		return nil
	}
	return &c
}
