package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/compare"
	"github.com/gossipbench/gossipbench/internal/outdir"
)

// repeated collects a flag given several times. Gates are parsed after
// the flags, so a bad one gets one clear line rather than the flag
// package's message buried above the whole usage text.
type repeated []string

func (r *repeated) String() string     { return "" }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

func compareCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "compare [flags] BASE NEW\n\n"+
		"BASE and NEW are a scenario's results directory (results/fanout) or a results\n"+
		"directory holding several; scenarios match by name, sweep points by ID.\n"+
		"Exit codes: 0 no gate tripped, 1 a gate tripped, 2 bad usage or unreadable results.", stderr)
	format := fs.String("format", "text", "output `FORMAT`: text, markdown or json")
	html := fs.String("html", "", "also write a self-contained HTML page with BASE and NEW curves overlaid to `FILE` (nothing else is written)")
	alpha := fs.Float64("alpha", compare.DefaultAlpha, "significance level: a change counts when p < `ALPHA`")
	all := fs.Bool("all", false, "list every row; by default the tables show only significant changes and tripped gates, and say how many rows they hid (json always holds every row)")
	test := fs.String("test", "welch", "statistical `TEST` for the per-trial metrics: welch (from summary.json) or mann-whitney (from rounds.csv)")
	var gateSpecs repeated
	fs.Var(&gateSpecs, "fail-on", "exit 1 on a significant change beyond `GATE`, e.g. 'rounds_to_full>+5%' or 'rounds_to_99>+0.5'; repeatable.\n"+
		"Metrics: "+strings.Join(compare.Metrics(), ", "))
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return argsErrorf(fs, "compare takes two results directories, BASE and NEW; got %d", len(pos))
	}
	write := map[string]func(*compare.Report, io.Writer) error{
		"text": (*compare.Report).WriteText, "markdown": (*compare.Report).WriteMarkdown, "json": (*compare.Report).WriteJSON,
	}[*format]
	if write == nil {
		return usageErrorf("--format must be text, markdown or json, got %q", *format)
	}
	if !(*alpha > 0 && *alpha < 1) {
		return usageErrorf("--alpha must be between 0 and 1, got %g", *alpha)
	}
	if *html != "" {
		if err := checkPagePath(*html); err != nil {
			return err
		}
	}
	opt := compare.Options{Alpha: *alpha}
	for _, spec := range gateSpecs {
		g, err := compare.ParseGate(spec)
		if err != nil {
			return usageErrorf("--fail-on: %v", err)
		}
		opt.Gates = append(opt.Gates, g)
	}
	switch *test {
	case "welch":
		opt.Test = compare.Welch
	case "mann-whitney", "mw":
		opt.Test = compare.MannWhitneyU
	default:
		return usageErrorf("--test must be welch or mann-whitney, got %q", *test)
	}

	rep, err := compare.Compare(pos[0], pos[1], opt)
	var ie *compare.InputError
	if errors.As(err, &ie) {
		return usageErrorf("%v", err)
	}
	if err != nil {
		return err
	}
	rep.ShowAll = *all
	if err := write(rep, stdout); err != nil {
		return err
	}
	if *html != "" {
		if err := rep.WriteHTML(*html); err != nil {
			return err
		}
	}
	var tripped []string
	for _, g := range rep.Gates {
		if len(g.Tripped) > 0 {
			tripped = append(tripped, g.Spec)
		}
	}
	if len(tripped) > 0 {
		return fmt.Errorf("compare: gates tripped: %s", strings.Join(tripped, ", "))
	}
	return nil
}

// checkPagePath refuses an --html naming a directory ("out/", ".", an
// existing directory) before anything is printed: the page would otherwise
// land inside it under the directory's own name ("out/out"), or fail after
// the tables were written.
func checkPagePath(path string) error {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) ||
		outdir.CheckName(filepath.Base(path)) != nil {
		return usageErrorf("--html %s: want a file name, not a directory", path)
	}
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		return usageErrorf("--html %s: is a directory; want a file name", path)
	}
	return nil
}
