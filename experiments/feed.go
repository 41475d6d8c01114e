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
// rounds.
func feedTrace(sk Sink, point, trial int, tr *engine.Trace) error {
	var first, crashed [][]int32
	if rep := tr.Replay; rep != nil {
		first, crashed = make([][]int32, len(tr.Rounds)), make([][]int32, len(tr.Rounds))
		for v, r := range rep.FirstInformed {
			if r >= 0 && int(r) < len(first) {
				first[r] = append(first[r], int32(v))
			}
		}
		for v, r := range rep.CrashedAt {
			if r >= 0 && int(r) < len(crashed) {
				crashed[r] = append(crashed[r], int32(v))
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
