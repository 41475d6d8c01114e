package replay

import (
	"fmt"
	"strconv"

	"github.com/gossipbench/gossipbench/internal/results"
)

// notes explain what a replay cannot show by itself: a mongering trial's
// rumors, and a free-running one's rounds and the messages it lacks.
func notes(rf *results.ReplayFile, d *pageData) []string {
	return append(append(faultNotes(rf, d), mongerNotes(rf)...), freeNotes(rf, d)...)
}

// mongerNotes say what the colours follow when a trial mongers rumors: a
// node knows several, or stops spreading, and the page draws one state.
func mongerNotes(rf *results.ReplayFile) []string {
	p := &rf.Params
	if !p.Mongering() {
		return nil
	}
	var out []string
	if n := p.RumorCount(); n > 1 {
		every := fmt.Sprintf("one injected every %d rounds", p.Rumors.Every)
		switch p.Rumors.Every {
		case 0:
			every = "all injected in round 0"
		case 1:
			every = "one injected every round"
		}
		out = append(out, fmt.Sprintf("%d rumors, %s: nodes are coloured by the first (rumor 0, "+
			"from the source); the messages drawn are all of the round's, whichever rumors they carried, and a message "+
			"is useful when it taught its receiver any rumor.", n, every))
	}
	if p.Stop.Rule != "" {
		out = append(out, "Stop rule "+p.Stop.Rule+": an informed node stops spreading once the rule removes it; "+
			"the page colours it informed either way, and the scenario page's charts show the infective and removed counts.")
	}
	return out
}

// freeNotes explain a free-running replay: what its rounds are, and how
// many of its messages it lacks and why.
func freeNotes(rf *results.ReplayFile, d *pageData) []string {
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

// faultNotes say what the faults over time are and how the page draws
// them: who went down and came back, each partition, churn.
func faultNotes(rf *results.ReplayFile, d *pageData) []string {
	var out []string
	nodes, back, kept := map[int32]bool{}, 0, 0
	for i := 0; i+3 < len(d.Outages); i += 4 {
		nodes[d.Outages[i]] = true
		if d.Outages[i+2] >= 0 {
			back++
			kept += int(d.Outages[i+3])
		}
	}
	if back > 0 {
		out = append(out, fmt.Sprintf("Nodes down and back: %d nodes went down (%d times), %d came back, %d of them with their state and %d empty. "+
			"A node is drawn down (×) from the round it went down to the round before it came back; one that came back empty is "+
			"uninformed again until it learns again.", len(nodes), len(d.Outages)/4, back, kept, back-kept))
	}
	for _, f := range rf.Params.Failures {
		if f.Recover > 0 {
			out = append(out, "Failure: "+f.String()+".")
		}
	}
	for i, p := range d.Partitions {
		what := fmt.Sprintf("Partition %d: %d groups from round %d", i+1, p.Groups, p.Round)
		if p.Heal > 0 {
			what += fmt.Sprintf(", healed at the start of round %d", p.Heal)
		} else {
			what += ", never healed"
		}
		if p.Oneway {
			what += "; one-way: messages from group 0 to the others fail, the reverse pass"
		}
		out = append(out, what+". While it stands each group is drawn in its own region, group 0 leftmost, "+
			"and the messages it cut are drawn red and dashed, stopped at the cut line.")
	}
	if ch := rf.Params.Churn; ch.On() {
		out = append(out, "Churn "+ch.Rates()+"; a node that leaves comes back empty.")
	}
	return out
}
