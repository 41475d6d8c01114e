package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
)

func reportCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report [RESULTS_DIR]", stderr)
	quiet := fs.Bool("quiet", false, "print nothing but errors")
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
	start := time.Now()
	out, err := report.Render(dir)
	if out != nil && !*quiet {
		abs, _ := filepath.Abs(out.Index)
		fmt.Fprintf(stdout, "%s, %s, %s in %.2fs\nopen file://%s\n", results.Count(len(out.Scenarios), "scenario page"),
			results.Count(out.Replays, "replay"), results.Count(out.Charts, "static chart"), time.Since(start).Seconds(), abs)
	}
	var bad *report.InputError
	if errors.As(err, &bad) {
		return usageErrorf("%v", err) // unreadable results are bad input: exit 2
	}
	return err
}
