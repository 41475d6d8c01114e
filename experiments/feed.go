package experiments

import (
	"errors"

	"github.com/gossipbench/gossipbench/engine"
)

// Feed streams a finished run's traces to sinks, trial by trial in order:
// what Stream would have sent them.
func (res *Result) Feed(sinks ...Sink) error {
	for pi, pr := range res.Points {
		um := map[int]string{}
		for _, u := range pr.Unmeasured {
			um[u.Trial] = u.Error
		}
		for t, tr := range pr.Traces {
			var wall TrialEnd
			wall.Point, wall.Trial = pi, t
			if t < len(pr.Wall) {
				wall.Wall = pr.Wall[t]
			}
			msg, unmeasured := um[t]
			if tr == nil && !unmeasured {
				continue // never ran
			}
			if unmeasured {
				wall.Unmeasured = errors.New(msg)
			}
			for _, sk := range sinks {
				if tr != nil && !unmeasured {
					if err := feedTrace(sk, pi, t, tr); err != nil {
						return err
					}
				}
				if err := sk.End(wall); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// feedTrace streams one trace's rounds, with its replay split back into
// rounds: what a Recorder fed them builds the same replay (faults over
// time's outages, partitions and relearnings included).
func feedTrace(sk Sink, point, trial int, tr *engine.Trace) error {
	var first, crashed, back, forgot [][]int32
	var splits []*engine.Split
	if rep := tr.Replay; rep != nil {
		n := len(tr.Rounds)
		first, crashed, back, forgot = make([][]int32, n), make([][]int32, n), make([][]int32, n), make([][]int32, n)
		splits = make([]*engine.Split, n)
		for v, r := range rep.FirstInformed {
			if r >= 0 && int(r) < n {
				first[r] = append(first[r], int32(v))
			}
		}
		for _, l := range rep.Relearned {
			if r := l[1]; r >= 0 && int(r) < n {
				first[r] = append(first[r], l[0])
			}
		}
		// Every outage, in the order they started; CrashedAt is the
		// first of each node's.
		for _, o := range rep.Outages {
			if int(o.Down) < n {
				crashed[o.Down] = append(crashed[o.Down], o.Node)
			}
			if o.Up >= 0 && int(o.Up) < n {
				back[o.Up] = append(back[o.Up], o.Node)
				if !o.Keep {
					forgot[o.Up] = append(forgot[o.Up], o.Node)
				}
			}
		}
		if len(rep.Outages) == 0 {
			for v, r := range rep.CrashedAt {
				if r >= 0 && int(r) < n {
					crashed[r] = append(crashed[r], int32(v))
				}
			}
		}
		for i := range rep.Partitions {
			if r := rep.Partitions[i].Round; int(r) < n {
				splits[r] = &rep.Partitions[i]
			}
		}
	}
	for r, row := range tr.Rounds {
		rd := engine.Round{RoundStats: row}
		if r < len(tr.PerRumor) {
			rd.PerRumor = tr.PerRumor[r]
		}
		if r == 0 {
			rd.Informed = []int32{int32(tr.Source)}
		}
		if first != nil {
			rd.Informed, rd.Failed = first[r], crashed[r]
			rd.Recovered, rd.Forgot, rd.Split = back[r], forgot[r], splits[r]
			if r < len(tr.Replay.Edges) {
				rd.Edges = tr.Replay.Edges[r]
			}
			if r < len(tr.Replay.Unrecorded) {
				rd.Unrecorded = tr.Replay.Unrecorded[r]
			}
		}
		if err := sk.Record(Record{Point: point, Trial: trial, Round: rd}); err != nil {
			return err
		}
	}
	return nil
}
