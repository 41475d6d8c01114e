package replay

import (
	"fmt"
	"strconv"

	"github.com/gossipbench/gossipbench/internal/results"
)

// notes explain a free-running replay: what its rounds are, and how many
// of its messages it lacks and why.
func notes(rf *results.ReplayFile, d *pageData) []string {
	if !rf.Params.FreeRunning() || d.NoEdges != "" {
		return nil
	}
	out := []string{fmt.Sprintf("Free running: every node gossips on its own timer, and a round is one interval of %s. "+
		"A message is in the round whose counts hold it (the first read of its sender's counters after its exchange ended). "+
		"Who is informed is read just after the counters, so a useful message's receiver is informed by the end of its round; "+
		"a node can also turn informed a round before its useful message is drawn, when that exchange was still under way. "+
		"Useful and redundant are the sender's view.", rf.Params.HTTP.Interval)}
	drawn, missed := 0, 0
	for r, flat := range d.Rounds {
		drawn += len(flat) / 4
		if r < len(d.Unrecorded) {
			missed += d.Unrecorded[r]
		}
	}
	if missed > 0 {
		out = append(out, fmt.Sprintf("%d of the trial's %d messages (%s) are counted but not drawn: "+
			"a node's event log (GET /log) keeps only its most recent events, and these were dropped before the harness read them. "+
			"The rounds they are missing from say how many.", missed, missed+drawn, percent(missed, missed+drawn)))
	}
	return out
}

func percent(a, b int) string {
	p := 100 * float64(a) / float64(b)
	if p < 1 {
		return strconv.FormatFloat(p, 'f', 1, 64) + " %"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + " %"
}
