package static

import (
	"math"

	"gonum.org/v1/plot"

	"github.com/gossipbench/gossipbench/report/chart"
)

// A log axis holds log10 of the data on a linear scale, its ticks
// labelled with the values: gonum's LogScale places the axis label by the
// arithmetic middle of the range, which squeezed the plot, and panics on
// a value <= 0, which this way is a gap like any missing value.

// scaleOf maps a value onto the axis: log10 on a log axis.
func scaleOf(a chart.Axis) func(float64) float64 {
	if a.Scale != chart.Log {
		return func(v float64) float64 { return v }
	}
	return func(v float64) float64 {
		if v <= 0 {
			return math.NaN()
		}
		return math.Log10(v)
	}
}

// onAxes is s with every value mapped onto the axes.
func onAxes(s chart.Series, sx, sy func(float64) float64) chart.Series {
	each := func(vs []float64, f func(float64) float64) []float64 {
		out := make([]float64, len(vs))
		for i, v := range vs {
			out[i] = f(v)
		}
		return out
	}
	s.X, s.Y, s.Lo, s.Hi = each(s.X, sx), each(s.Y, sy), each(s.Lo, sy), each(s.Hi, sy)
	samples := make([][]float64, len(s.Samples))
	for i, xs := range s.Samples {
		samples[i] = each(xs, sy)
	}
	s.Samples = samples
	return s
}

// setAxis gives one axis of every panel the chart's range and ticks, so
// small multiples compare at a glance. A bound the chart leaves NaN comes
// from the data of all panels, padded by 5 % of the span (a log axis
// without set ticks by whole decades instead), except the end of an x
// axis with a set start, such as rounds, which runs to its data.
func setAxis(plots []*plot.Plot, axisOf func(*plot.Plot) *plot.Axis, a chart.Axis, isX bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range plots {
		ax := axisOf(p)
		if finite(ax.Min) && finite(ax.Max) && ax.Min <= ax.Max {
			lo, hi = math.Min(lo, ax.Min), math.Max(hi, ax.Max)
		}
	}
	to := scaleOf(a)
	log := a.Scale == chart.Log
	if lo > hi { // no data
		lo, hi = 0, 1
	}
	if a.Categorical {
		lo, hi = -0.5, float64(len(a.Ticks))-0.5
	} else {
		lo, hi = padded(lo, hi, a, isX, to)
	}
	var ticks plot.Ticker
	switch {
	case len(a.Ticks) > 0:
		ts := make(plot.ConstantTicks, len(a.Ticks))
		for i, t := range a.Ticks {
			ts[i] = plot.Tick{Value: to(t.Value), Label: t.Label}
		}
		ticks = ts
	case log:
		ticks = logTicks{}
	case a.Integer:
		ticks = intTicks{}
	case a.Fraction && lo == 0 && hi == 1:
		ticks = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 0.25, Label: "0.25"},
			{Value: 0.5, Label: "0.5"}, {Value: 0.75, Label: "0.75"}, {Value: 1, Label: "1"}}
	default:
		ticks = niceTicks{}
	}
	for _, p := range plots {
		ax := axisOf(p)
		ax.Min, ax.Max, ax.Tick.Marker = lo, hi, ticks
	}
}

// padded is the data's range [lo, hi] (on the axis already) with the
// chart's fixed bounds, through to, and the padding setAxis describes.
func padded(lo, hi float64, a chart.Axis, isX bool, to func(float64) float64) (float64, float64) {
	freeLo, freeHi := !finite(to(a.Min)), !finite(to(a.Max))
	if !freeLo {
		lo = to(a.Min)
	}
	if !freeHi {
		hi = to(a.Max)
	}
	if hi <= lo { // one value: a unit around it
		if freeLo {
			lo -= 0.5
		}
		if freeHi || !freeLo {
			hi = lo + 1
		}
	}
	if a.Scale == chart.Log && len(a.Ticks) == 0 {
		if freeLo {
			lo = math.Floor(lo)
		}
		if freeHi {
			hi = math.Ceil(hi)
		}
		return lo, hi
	}
	pad := (hi - lo) * 0.05
	if freeLo {
		lo -= pad
	}
	if freeHi && !(isX && !freeLo) {
		hi += pad
	}
	return lo, hi
}

// niceTicks are gonum's default ticks with compact labels (1k, 2.5M).
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = chart.FormatNumber(cleanZero(ts[i].Value))
		}
	}
	return ts
}

// intTicks mark whole numbers only (rounds, fanout), at a step of 1, 2 or
// 5 times a power of ten giving 4 to 10 labels, with minor ticks between.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: math.Round(lo), Label: chart.FormatNumber(cleanZero(math.Round(lo)))}}
	}
	step := intStep(hi - lo)
	// Minor ticks halfway, where that is a whole number.
	minor := step / 2
	if minor != math.Trunc(minor) {
		minor = 0
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: chart.FormatNumber(cleanZero(v))})
	}
	if minor > 0 {
		for v := math.Ceil(lo/minor) * minor; v <= hi+1e-9; v += minor {
			if math.Mod(v, step) != 0 {
				ts = append(ts, plot.Tick{Value: v})
			}
		}
	}
	return ts
}

// intStep is the smallest of 1, 2, 5, 10, 20, 50, ... that cuts span into
// at most 8 steps.
func intStep(span float64) float64 {
	for e := 0.0; e < 15; e++ {
		for _, m := range []float64{1, 2, 5} {
			if s := m * math.Pow(10, e); span/s <= 8 {
				return s
			}
		}
	}
	return math.Pow(10, math.Ceil(math.Log10(span/8)))
}

// logTicks mark the powers of ten on an axis of log10 values, with minor
// ticks at 2..9 times them; where fewer than two powers fall in the
// range, 2 and 5 times them are labelled too.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	var ts []plot.Tick
	majors := 0
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for m := 1.0; m < 10; m++ {
			if v := e + math.Log10(m); v >= lo-1e-9 && v <= hi+1e-9 {
				if m == 1 {
					majors++
				}
				ts = append(ts, plot.Tick{Value: v, Label: chart.FormatNumber(m * math.Pow(10, e))})
			}
		}
	}
	for i := range ts {
		m := math.Round(math.Pow(10, ts[i].Value-math.Floor(ts[i].Value+1e-9)))
		if !(m == 1 || majors < 2 && (m == 2 || m == 5)) {
			ts[i].Label = ""
		}
	}
	return ts
}

// cleanZero turns -0 and float noise around 0 into 0.
func cleanZero(v float64) float64 {
	if math.Abs(v) < 1e-12 {
		return 0
	}
	return v
}
