package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
)

func reportCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report [--out DIR] [RESULTS_DIR]", stderr)
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	dest := fs.String("out", "", "write the pages and charts into `DIR` (created if missing) instead of into RESULTS_DIR,\nwhich is then only read")
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return argsErrorf(fs, "report takes one results directory, got %d", len(pos))
	}
	dir := "results"
	if len(pos) == 1 {
		dir = pos[0]
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageErrorf("%s is not a results directory (run a scenario first: gossipbench run scenarios/fanout.yaml)", dir)
	}
	if flagSet(fs, "out") {
		if err := results.CheckOutDir(*dest); err != nil {
			return usageErrorf("--out: %v", err)
		}
	}
	start := time.Now()
	out, err := report.RenderTo(dir, *dest)
	if out != nil && !*quiet {
		abs, _ := filepath.Abs(out.Index)
		page := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)} // a '#' or space in the path, escaped
		fmt.Fprintf(stdout, "%s, %s, %s in %.2fs\nopen %s\n", results.Count(len(out.Scenarios), "scenario page"),
			results.Count(out.Replays, "replay"), results.Count(out.Charts, "static chart"), time.Since(start).Seconds(), page.String())
	}
	var bad *report.InputError
	if errors.As(err, &bad) {
		return usageErrorf("%v", err) // unreadable results are bad input: exit 2
	}
	return err
}
