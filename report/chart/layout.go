package chart

import (
	"fmt"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// layout is what every chart of a summary shares: which panel each point
// is drawn in, and its label and colour there.
type layout struct {
	sum    *results.Summary
	keys   []key
	panels []group
	labels []string // per point: its values of the keys not given by its panel
	colors []string // per point, the same in every chart
	// legendTitle names what the labels are.
	legendTitle string
	trials      *Trials // never nil
}

// group is the points of one panel.
type group struct {
	title  string
	points []int
}

func newLayout(sum *results.Summary) *layout {
	l := &layout{sum: sum, keys: sweepKeys(sum), trials: NewTrials()}
	n := len(sum.Points)
	l.labels, l.colors = make([]string, n), make([]string, n)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	shown := l.keys // the keys a label spells
	switch {
	case len(l.keys) > 1:
		first := &l.keys[0]
		for _, v := range first.values {
			g := group{title: first.name + " = " + first.display(v)}
			for i := range sum.Points {
				if first.text[i] == v {
					g.points = append(g.points, i)
				}
			}
			l.panels = append(l.panels, g)
		}
		shown = l.keys[1:]
	default:
		l.panels = []group{{points: all}}
	}
	names := make([]string, len(shown))
	for j, k := range shown {
		names[j] = k.name
	}
	l.legendTitle = strings.Join(names, ", ")
	// A colour per distinct label, so a label looks the same in every panel.
	colour := map[string]string{}
	for i, p := range sum.Points {
		switch {
		case len(l.keys) == 0 && n == 1:
			l.labels[i] = ""
		case len(l.keys) == 0:
			l.labels[i] = p.ID
		default:
			parts := make([]string, len(shown))
			for j := range shown {
				parts[j] = shown[j].display(shown[j].text[i])
			}
			l.labels[i] = strings.Join(parts, ", ")
		}
		c, ok := colour[l.labels[i]]
		if !ok {
			c = Colour(len(colour))
			colour[l.labels[i]] = c
		}
		l.colors[i] = c
	}
	return l
}

// single tells whether the summary has one point: its series are named
// for what they show, not for the point.
func (l *layout) single() bool { return len(l.sum.Points) == 1 }

// name is point i's series name: its label, or what the line shows.
func (l *layout) name(i int, single string) string {
	if l.single() || l.labels[i] == "" {
		return single
	}
	return l.labels[i]
}

// trials is "30 trials" when every point ran as many, else "trials".
func (l *layout) trialCount() string {
	n := -1
	for _, p := range l.sum.Points {
		if n == -1 {
			n = p.Trials
		} else if n != p.Trials {
			return "trials"
		}
	}
	if n == 1 {
		return "1 trial"
	}
	if n > 1 {
		return fmt.Sprintf("%d trials", n)
	}
	return "trials"
}

// details is what a chart's subtitle says besides the description: the
// engine and the trials.
func (l *layout) details() string {
	var parts []string
	if l.sum.Engine != "" {
		parts = append(parts, l.sum.Engine+" engine")
	}
	if t := l.trialCount(); t != "trials" {
		if len(l.sum.Points) > 1 {
			t += " per point"
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, ", ")
}
