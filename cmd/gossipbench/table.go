package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gossipbench/gossipbench/experiments"
)

// printTable is the short report after a run: enough to see the shape of
// the result without opening a file.
func printTable(w io.Writer, s *experiments.Scenario, sum *experiments.Summary, res *experiments.Result, dir string) {
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t\n", p.ID,
			mean(p.Metrics, experiments.RoundsTo50), mean(p.Metrics, experiments.RoundsTo99),
			meanCI(p.Metrics, experiments.RoundsToFull), opt(p.Theory.RoundsToFull),
			mean(p.Metrics, experiments.MessagesPerNode), p.Converged, p.Trials)
	}
	tw.Flush()
}

func mean(m map[string]experiments.Stats, name string) string {
	st, ok := m[name]
	if !ok || st.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", st.Mean)
}

func meanCI(m map[string]experiments.Stats, name string) string {
	st, ok := m[name]
	if !ok || st.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f ±%.1f", st.Mean, (st.CI95[1]-st.CI95[0])/2)
}

func opt(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *f)
}
