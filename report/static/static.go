// Package static draws the static charts of a scenario's results with
// gonum.org/v1/plot, each as a PNG and an SVG of 800x500 px.
//
// It reads only an results.Summary, so any earlier result renders
// again. The output holds no timestamps or random IDs: the same summary
// always gives the same bytes, which keeps golden tests stable.
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
)

// Chart base names, as Charts returns them. Each is written as NAME.png and
// NAME.svg.
const (
	Convergence   = "convergence"    // informed fraction per round, p5-p95 band, mean-field theory
	Overhead      = "overhead"       // messages sent per round
	Cumulative    = "cumulative"     // cumulative messages sent per node
	Redundancy    = "redundancy"     // redundant share of deliveries per round
	Sweep         = "sweep"          // rounds to 99% and to all against the swept value
	SweepMessages = "sweep-messages" // messages per node against the swept value
)

// NoTheory is what a chart says in place of the theory line when the
// mean-field model does not cover the configuration.
const NoTheory = "no theory for this configuration"

// Image size: 600x375 pt, which is 800x500 px at 96 dpi, the resolution
// browsers assume for CSS pixels; the SVG is the same size in a browser.
const (
	Width  = 600 * vg.Inch / 72
	Height = 375 * vg.Inch / 72
	DPI    = 96
)

// Charts writes the static charts of one scenario into dir, each as PNG and
// SVG, and returns the file base names written (e.g. "convergence",
// "overhead", "sweep"). Charts with nothing to show are skipped: the sweep
// charts when the scenario sweeps nothing, any chart none of whose points
// has data for it.
func Charts(dir string, sum *results.Summary) ([]string, error) {
	d, err := outdir.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return Draw(sum, d.WriteFile)
}

// Draw is Charts handing each file (NAME.png, NAME.svg) to write instead
// of writing it into a directory.
func Draw(sum *results.Summary, write func(file string, data []byte) error) ([]string, error) {
	if sum == nil {
		return nil, errors.New("static charts: no summary")
	}
	if len(sum.Points) == 0 {
		return nil, fmt.Errorf("static charts for %q: the summary has no points", sum.Name)
	}
	sc := newScene(sum)
	var written []string
	for _, ch := range []struct {
		name  string
		build func(*scene) *figure
	}{
		{Convergence, convergenceChart},
		{Overhead, overheadChart},
		{Cumulative, cumulativeChart},
		{Redundancy, redundancyChart},
		{Sweep, sweepRoundsChart},
		{SweepMessages, sweepMessagesChart},
	} {
		fig := ch.build(sc)
		if fig == nil {
			continue
		}
		if err := writeFigure(write, ch.name, fig); err != nil {
			return written, fmt.Errorf("static chart %s of %q: %w", ch.name, sum.Name, err)
		}
		written = append(written, ch.name)
	}
	return written, nil
}

// writeFigure renders fig twice, as NAME.png and NAME.svg.
func writeFigure(write func(string, []byte) error, name string, fig *figure) error {
	img := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(colorWhite))
	if err := fig.draw(draw.New(img)); err != nil {
		return err
	}
	if err := encode(write, name+".png", vgimg.PngCanvas{Canvas: img}, nil); err != nil {
		return err
	}
	svg := vgsvg.New(Width, Height)
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
