package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/results"
)

// printTable is the short report after a run: enough to see the shape of
// the result without opening a file.
func printTable(w io.Writer, s *experiments.Scenario, sum *results.Summary, res *experiments.Result, dir string) {
	name := sum.Name
	if sum.Shard != nil {
		name = fmt.Sprintf("%s (shard %s of %d points)", name, sum.Shard, len(s.Points()))
	}
	fmt.Fprintf(w, "%s: %d points x %d trials on %s in %.2fs -> %s\n",
		name, len(sum.Points), s.Trials, sum.Engine, res.Duration.Seconds(), dir)
	if len(sum.Points) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "point\trounds 50%\trounds 99%\trounds 100%\ttheory 100%\tmsgs/node\tconverged\t")
	for _, p := range sum.Points {
		m := p.Metrics
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t\n", p.ID,
			m[results.RoundsTo50].Text(1), m[results.RoundsTo99].Text(1),
			m[results.RoundsToFull].TextCI(), results.TheoryText(p.Theory.RoundsToFull),
			m[results.MessagesPerNode].Text(1), p.Converged, p.Trials)
	}
	tw.Flush()
}
