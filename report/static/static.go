// Package static draws the charts report/chart describes, with
// gonum.org/v1/plot, each as a PNG and an SVG 800 px wide.
//
// It decides nothing about what a chart shows, only how it looks on
// paper: the series, axes, colours and markers are report/chart's, which
// the scenario page draws with go-echarts too (docs/design.md, "Packages").
// The output holds no timestamps or random IDs: the same summary always
// gives the same bytes, which keeps golden tests stable.
package static

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// Chart base names, as Charts returns them (report/chart's Chart.Name).
// Each is written as NAME.png and NAME.svg.
const (
	Convergence   = "convergence"    // informed fraction per round, p5-p95 band, mean-field theory
	Overhead      = "overhead"       // messages sent per round
	Cumulative    = "cumulative"     // cumulative messages sent per node
	Redundancy    = "redundancy"     // redundant share of deliveries per round
	Distribution  = "distribution"   // rounds to full of each converged trial, a box per point
	Sweep         = "sweep"          // rounds to 99% and to all against the swept value
	SweepMessages = "sweep-messages" // messages per node against the swept value
)

// Image size: 600 pt wide, which is 800 px at 96 dpi, the resolution
// browsers assume for CSS pixels, so the SVG is the same size in a
// browser. A chart of one row of panels is 375 pt (500 px) high; each
// further row adds rowHeight.
const (
	Width     = 600 * vg.Inch / 72
	Height    = 375 * vg.Inch / 72
	rowHeight = 210 * vg.Inch / 72
	DPI       = 96
)

// Charts writes the static charts of one scenario into dir, each as PNG
// and SVG, and returns the base names written (e.g. "convergence",
// "sweep"). roundsToFull (point ID to its converged trials' rounds to
// full, report.Result's RoundsToFull) adds the distribution chart; nil
// leaves it out. Every file is staged and all are renamed into place once
// every chart has rendered, so a failure leaves dir as it was.
func Charts(dir string, sum *results.Summary, roundsToFull map[string][]float64) ([]string, error) {
	d, err := outdir.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close() // removes what is staged if Commit is not reached
	names, err := Draw(sum, roundsToFull, d.Stage)
	if err != nil {
		return nil, err
	}
	if err := d.Commit(); err != nil {
		return nil, fmt.Errorf("static charts of %q: %w", sum.Name, err)
	}
	return names, nil
}

// Draw is Charts handing each file (NAME.png, NAME.svg) to write instead
// of writing it into a directory.
func Draw(sum *results.Summary, roundsToFull map[string][]float64, write func(file string, data []byte) error) ([]string, error) {
	t := chart.NewTrials()
	if roundsToFull != nil {
		t.RoundsToFull = roundsToFull
	}
	return DrawOf(sum, t, write)
}

// DrawOf is Draw with everything the charts take from the trials
// (chart.Trials), as the scenario page has it.
func DrawOf(sum *results.Summary, trials *chart.Trials, write func(file string, data []byte) error) ([]string, error) {
	if sum == nil {
		return nil, errors.New("static charts: no summary")
	}
	if len(sum.Points) == 0 {
		return nil, fmt.Errorf("static charts for %q: the summary has no points", sum.Name)
	}
	set := chart.ScenarioOf(sum, trials)
	var written []string
	for _, ch := range set.Charts {
		fig := newFigure(set, ch)
		if err := writeFigure(write, ch.Name, fig); err != nil {
			return written, fmt.Errorf("static chart %s of %q: %w", ch.Name, sum.Name, err)
		}
		written = append(written, ch.Name)
	}
	return written, nil
}

// writeFigure renders fig twice, as NAME.png and NAME.svg.
func writeFigure(write func(string, []byte) error, name string, fig *figure) error {
	h := fig.height()
	img := vgimg.NewWith(vgimg.UseWH(Width, h), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(colorWhite))
	if err := fig.draw(draw.New(img)); err != nil {
		return err
	}
	if err := encode(write, name+".png", vgimg.PngCanvas{Canvas: img}, nil); err != nil {
		return err
	}
	svg := vgsvg.New(Width, h)
	if err := fig.draw(draw.New(svg)); err != nil {
		return err
	}
	return encode(write, name+".svg", svg, svgFonts)
}

// svgFonts gives the SVG's font a fallback: vgsvg names only the font it
// measured with, Liberation Sans, which many machines lack; Arial and
// Helvetica have the same metrics.
var svgFonts = strings.NewReplacer("font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")

func encode(write func(string, []byte) error, file string, w io.WriterTo, r *strings.Replacer) error {
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return err
	}
	data := buf.Bytes()
	if r != nil {
		data = []byte(r.Replace(buf.String()))
	}
	return write(file, data)
}
