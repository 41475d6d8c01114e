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

// feedTrace streams one trace's rounds as the engine did (engine.Trace.Play).
func feedTrace(sk Sink, point, trial int, tr *engine.Trace) error {
	return tr.Play(func(rd engine.Round) error {
		return sk.Record(Record{Point: point, Trial: trial, Round: rd})
	})
}
