package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// printTable is the short report after a run: enough to see the shape of
// the result without opening a file.
func printTable(w io.Writer, s *experiments.Scenario, sum *results.Summary, res *experiments.Run, dir string) {
	name := sum.Name
	if sum.Shard != nil {
		name = fmt.Sprintf("%s (shard %s of %d points)", name, sum.Shard, len(s.Points()))
	}
	fmt.Fprintf(w, "%s: %s x %s on %s in %.2fs -> %s\n",
		name, results.Count(len(sum.Points), "point"), results.Count(s.Trials, "trial"), sum.Engine, res.Duration.Seconds(), dir)
	if len(sum.Points) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := results.Columns(true, sum.Points)
	fmt.Fprint(tw, "point\t")
	for _, c := range cols {
		fmt.Fprint(tw, c.Label, "\t")
	}
	fmt.Fprint(tw, "converged\t\n")
	for i := range sum.Points {
		p := &sum.Points[i]
		fmt.Fprint(tw, p.ID, "\t")
		for _, c := range cols {
			fmt.Fprint(tw, c.Cell(p), "\t")
		}
		fmt.Fprint(tw, results.ConvergedText(p), "\t\n")
	}
	tw.Flush()
}
