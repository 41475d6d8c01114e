package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/termtext"
)

// Cells are a row's formatted values, shared by the text, markdown and
// HTML tables so they always agree.
type Cells struct {
	Base, New, Delta, DeltaPct, P, Test, Mark string
}

// cells formats a row. Mark is ~ for no significant change, ↑ or ↓ for a
// significant increase or decrease, * for a significant change of shape
// with equal means (rank tests can see one), followed by ! when the row
// tripped a gate; blank when the row could not be tested.
func (r *Row) cells() Cells {
	c := Cells{Base: "-", New: "-", Delta: "-", DeltaPct: "-", P: "-", Test: testLabel(r.Test)}
	if r.Base != nil {
		c.Base = sampleText(r.Metric, r.Base)
	}
	if r.New != nil {
		c.New = sampleText(r.Metric, r.New)
	}
	if r.Delta != nil {
		c.Delta = signed(*r.Delta)
	}
	if r.DeltaPct != nil {
		c.DeltaPct = pctText(*r.DeltaPct)
	}
	if r.P != nil {
		c.P = pText(*r.P)
	}
	switch {
	case r.P == nil:
	case !r.Significant:
		c.Mark = "~"
	case *r.Delta > 0:
		c.Mark = "↑"
	case *r.Delta < 0:
		c.Mark = "↓"
	default:
		c.Mark = "*"
	}
	if len(r.Gates) > 0 {
		c.Mark += "!"
	}
	return c
}

// sampleText is a side's mean; the converged fraction also shows its
// counts, since 29/30 says more than 0.967, and a rounds mean over only
// the trials that got there says how many did.
func sampleText(metric string, s *Sample) string {
	switch {
	case metric == Converged && s.Count != nil:
		return fmt.Sprintf("%s (%d/%d)", num(s.Mean), *s.Count, s.N)
	case s.trials > 0 && s.N < s.trials:
		return fmt.Sprintf("%s (n %d)", num(s.Mean), s.N)
	}
	return num(s.Mean)
}

// num prints about four significant digits without exponents for the
// usual ranges (rounds, messages per node, fractions, seconds).
func num(x float64) string {
	a := math.Abs(x)
	var s string
	switch {
	case x == 0:
		return "0"
	case a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		s = strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 10:
		s = strconv.FormatFloat(x, 'f', 2, 64)
	case a >= 1:
		s = strconv.FormatFloat(x, 'f', 3, 64)
	default:
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func signed(x float64) string {
	if x > 0 {
		return "+" + num(x)
	}
	return num(x)
}

// pctText keeps small changes visible: -0.02% rather than -0.0%.
func pctText(pct float64) string {
	switch a := math.Abs(pct); {
	case pct == 0:
		return "0%"
	case a < 0.1:
		return fmt.Sprintf("%+.1g%%", pct)
	}
	return fmt.Sprintf("%+.1f%%", pct)
}

func pText(p float64) string {
	switch {
	case p == 0:
		return "0"
	case p < 1e-4:
		return "<0.0001"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

func statusText(status string) string {
	switch status {
	case OnlyBase:
		return "only in BASE"
	case OnlyNew:
		return "only in NEW"
	}
	return ""
}

// tripText describes one tripped gate for people: where and by how much.
func tripText(t Trip) string {
	pct := ""
	if t.DeltaPct != nil {
		pct = ", " + pctText(*t.DeltaPct)
	}
	return fmt.Sprintf("scenario %s, point %s: BASE %s, NEW %s (%s%s, p %s, %s)", t.Scenario, t.Point, num(t.Base), num(t.New),
		signed(t.Delta), pct, pText(t.P), testLabel(t.Test))
}

// testsText names the tests the report used, for the header.
func (rep *Report) testsText() string {
	if rep.Test == MannWhitneyU {
		return "Mann-Whitney U on per-trial values from rounds.csv (Welch t for wall time and seconds per round, which rounds.csv lacks), Fisher exact or two-proportion z for converged"
	}
	return "Welch t on summary.json's n, mean and sd (wall time: manifest.json), Fisher exact or two-proportion z for converged"
}

// Legend explains the marks.
const Legend = "↑/↓ significant increase/decrease (p < alpha), ~ no significant change, ! a gate tripped"

// pointNotes are the points' parameter changes, one line each.
func (sc *Scenario) pointNotes() []string {
	var out []string
	for _, pt := range sc.Points {
		for _, n := range pt.Notes {
			out = append(out, pt.ID+": "+n)
		}
	}
	return out
}

// printable escapes the characters of text from result files that a
// terminal or an editor would act on rather than show (termtext.Escape).
// Every line of text and markdown output that holds such text goes
// through it.
func printable(s string) string { return termtext.Escape(s) }
