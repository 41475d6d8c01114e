package static

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// scene is what every chart of a summary shares: the swept keys, each
// point's values, label and colour.
type scene struct {
	sum  *results.Summary
	keys []sweepKey // the swept keys in the summary's order; empty without a sweep

	labels []string      // per point: its values, e.g. "4" or "push, 1k"
	colors []color.NRGBA // per point, the same in every chart
	// For grids: the series a point belongs to (its values of every key but
	// the last) and its index among the series' names.
	series      []int
	seriesNames []string
	seriesColor []color.NRGBA
}

// sweepKey is one swept key with its distinct values in order of first
// appearance.
type sweepKey struct {
	name    string
	values  []string           // distinct texts
	index   map[string]int     // text -> position in values
	numbers map[string]float64 // text -> number, when every value is one
	numeric bool
	text    []string // per point
}

func newScene(sum *results.Summary) *scene {
	sc := &scene{sum: sum}
	n := len(sum.Points)
	params := make([]map[string]any, n)
	for i, p := range sum.Points {
		params[i] = paramMap(p)
	}
	for _, name := range sum.Sweep {
		k := sweepKey{name: name, index: map[string]int{}, numbers: map[string]float64{}, numeric: true, text: make([]string, n)}
		for i, p := range sum.Points {
			txt, num, isNum := pointValue(p, params[i], name)
			k.text[i] = txt
			if _, seen := k.index[txt]; !seen {
				k.index[txt] = len(k.values)
				k.values = append(k.values, txt)
			}
			if isNum {
				k.numbers[txt] = num
			} else {
				k.numeric = false
			}
		}
		sc.keys = append(sc.keys, k)
	}

	sc.labels = make([]string, n)
	for i, p := range sum.Points {
		switch {
		case len(sc.keys) == 0 && n == 1:
			sc.labels[i] = "mean"
		case len(sc.keys) == 0:
			sc.labels[i] = p.ID
		default:
			parts := make([]string, len(sc.keys))
			for j, k := range sc.keys {
				parts[j] = k.display(k.text[i])
			}
			sc.labels[i] = strings.Join(parts, ", ")
		}
	}

	sc.colors = make([]color.NRGBA, n)
	if len(sc.keys) < 2 {
		for i := range sum.Points {
			sc.colors[i] = palette[i%len(palette)]
		}
		return sc
	}
	// A grid: one hue per series, a shade per value of the last key, from
	// light (first value) to dark (last).
	last := sc.keys[len(sc.keys)-1]
	sc.series = make([]int, n)
	seen := map[string]int{}
	for i := range sum.Points {
		parts := make([]string, len(sc.keys)-1)
		for j, k := range sc.keys[:len(sc.keys)-1] {
			parts[j] = k.display(k.text[i])
		}
		name := strings.Join(parts, ", ")
		s, ok := seen[name]
		if !ok {
			s = len(sc.seriesNames)
			seen[name] = s
			sc.seriesNames = append(sc.seriesNames, name)
			sc.seriesColor = append(sc.seriesColor, palette[s%len(palette)])
		}
		sc.series[i] = s
		sc.colors[i] = shade(sc.seriesColor[s], last.index[last.text[i]], len(last.values))
	}
	return sc
}

// grid tells whether the summary sweeps several keys.
func (sc *scene) grid() bool { return len(sc.keys) > 1 }

// legendTitle names what the point labels show.
func (sc *scene) legendTitle() string {
	names := make([]string, len(sc.keys))
	for i, k := range sc.keys {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}

// display formats a value for a legend or a tick label.
func (k *sweepKey) display(txt string) string {
	if v, ok := k.numbers[txt]; ok && k.numeric {
		return formatNumber(v)
	}
	return txt
}

// paramMap is a point's parameters keyed by their JSON names.
func paramMap(p results.PointSummary) map[string]any {
	data, err := json.Marshal(p.Params)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return m
}

// pointValue is a point's value of a swept key: from its parameters when
// they hold the key, else from its ID ("key=value,key=value").
func pointValue(p results.PointSummary, params map[string]any, key string) (txt string, num float64, isNum bool) {
	if v, ok := params[key]; ok {
		switch v := v.(type) {
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64), v, true
		case string:
			return v, 0, false
		case bool:
			return strconv.FormatBool(v), 0, false
		}
	}
	for _, part := range strings.Split(p.ID, ",") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(k) == key {
			v = strings.TrimSpace(v)
			if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return v, f, true
			}
			return v, 0, false
		}
	}
	return "?", 0, false
}

// formatNumber prints a number compactly: 0.05, 8, 1k, 2.5k, 100k, 1M.
func formatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9 && isRound(v/1e9):
		return trimFloat(v/1e9) + "G"
	case a >= 1e6 && isRound(v/1e6):
		return trimFloat(v/1e6) + "M"
	case a >= 1e3 && isRound(v/1e3):
		return trimFloat(v/1e3) + "k"
	}
	if a != 0 && (a >= 1e7 || a < 1e-3) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// isRound tells whether v has at most two decimals.
func isRound(v float64) bool {
	return math.Abs(v*100-math.Round(v*100)) < 1e-6
}

func trimFloat(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// Palette: Tableau 10, distinct, colour-blind aware, print friendly.
var palette = []color.NRGBA{
	{0x4e, 0x79, 0xa7, 0xff}, // blue
	{0xf2, 0x8e, 0x2b, 0xff}, // orange
	{0x59, 0xa1, 0x4f, 0xff}, // green
	{0xe1, 0x57, 0x59, 0xff}, // red
	{0xb0, 0x7a, 0xa1, 0xff}, // purple
	{0x9c, 0x75, 0x5f, 0xff}, // brown
	{0xff, 0x9d, 0xa7, 0xff}, // pink
	{0x76, 0xb7, 0xb2, 0xff}, // teal
	{0xed, 0xc9, 0x48, 0xff}, // yellow
	{0xba, 0xb0, 0xac, 0xff}, // grey
}

var (
	colorWhite = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colorInk   = color.NRGBA{0x22, 0x22, 0x22, 0xff} // text, axes
	colorMuted = color.NRGBA{0x66, 0x66, 0x66, 0xff} // subtitles, neutral series
	colorGrid  = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// shade returns the i-th of n shades of c, from lighter to darker.
func shade(c color.NRGBA, i, n int) color.NRGBA {
	if n <= 1 {
		return c
	}
	t := float64(i)/float64(n-1)*2 - 1 // -1 (lightest) .. 1 (darkest)
	mix := func(a uint8, to float64, w float64) uint8 {
		return uint8(math.Round(float64(a)*(1-w) + to*w))
	}
	if t < 0 {
		w := -t * 0.45
		return color.NRGBA{mix(c.R, 255, w), mix(c.G, 255, w), mix(c.B, 255, w), c.A}
	}
	w := t * 0.4
	return color.NRGBA{mix(c.R, 0, w), mix(c.G, 0, w), mix(c.B, 0, w), c.A}
}

// darker returns c mixed with 35% black, for a theory line drawn over the
// measured one.
func darker(c color.NRGBA) color.NRGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v) * 0.65)) }
	return color.NRGBA{f(c.R), f(c.G), f(c.B), c.A}
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(a * 255))
	return c
}

// subtitle describes the scenario under a chart's title: its description,
// which may be shortened to fit, and the engine and trials, which may not.
func (sc *scene) subtitle() (desc, tail string) {
	s := sc.sum
	var extra []string
	if s.Engine != "" {
		extra = append(extra, s.Engine+" engine")
	}
	trials := -1
	for _, p := range s.Points {
		switch {
		case trials == -1:
			trials = p.Trials
		case trials != p.Trials:
			trials = -2
		}
	}
	if trials > 0 {
		unit := "trials"
		if trials == 1 {
			unit = "trial"
		}
		if len(s.Points) > 1 {
			extra = append(extra, fmt.Sprintf("%d %s per point", trials, unit))
		} else {
			extra = append(extra, fmt.Sprintf("%d %s", trials, unit))
		}
	}
	return s.Description, strings.Join(extra, ", ")
}
