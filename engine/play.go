package engine

// Play hands fn the trace's rounds as the engine that made it did: the
// inverse of a Recorder, which fed them builds the same Trace (replay,
// graph facts and rumor sources included). A finished run streams to its
// sinks through it, so what reads a stream reads a run kept whole alike.
// Two older forms come back upgraded: a replay with crashes but no
// outages (before faults over time) as outages that never end, and rumor
// sources beyond what the rows' Rumors count in the last round.
func (tr *Trace) Play(fn func(Round) error) error {
	var split *replayRounds
	if tr.Replay != nil {
		split = tr.Replay.rounds(len(tr.Rounds))
	}
	injected := 0
	for r, row := range tr.Rounds {
		rd := Round{RoundStats: row}
		if r < len(tr.PerRumor) {
			rd.PerRumor = tr.PerRumor[r]
		}
		if r == 0 {
			rd.Informed, rd.Graph = []int32{int32(tr.Source)}, tr.Graph
		}
		// Rumors counts those injected by the round's end, the first of
		// them (rumor 0) at round 0 whatever the row says.
		k := min(max(row.Rumors, 1), len(tr.RumorSources))
		if r == len(tr.Rounds)-1 {
			k = len(tr.RumorSources)
		}
		for ; injected < k; injected++ {
			rd.Injected = append(rd.Injected, int32(tr.RumorSources[injected]))
		}
		if split != nil {
			rd.Informed, rd.Failed = split.informed[r], split.failed[r]
			rd.Recovered, rd.Forgot, rd.Split = split.back[r], split.forgot[r], split.splits[r]
			if r < len(tr.Replay.Edges) {
				rd.Edges = tr.Replay.Edges[r]
			}
			if r < len(tr.Replay.Unrecorded) {
				rd.Unrecorded = tr.Replay.Unrecorded[r]
			}
		}
		if err := fn(rd); err != nil {
			return err
		}
	}
	return nil
}

// replayRounds is a Replay split back into the rounds it was recorded from.
type replayRounds struct {
	informed, failed, back, forgot [][]int32
	splits                         []*Split
}

func (rep *Replay) rounds(n int) *replayRounds {
	s := &replayRounds{informed: make([][]int32, n), failed: make([][]int32, n),
		back: make([][]int32, n), forgot: make([][]int32, n), splits: make([]*Split, n)}
	at := func(rows [][]int32, r int32, v int32) {
		if r >= 0 && int(r) < n {
			rows[r] = append(rows[r], v)
		}
	}
	for v, r := range rep.FirstInformed {
		at(s.informed, r, int32(v))
	}
	for _, l := range rep.Relearned {
		at(s.informed, l[1], l[0])
	}
	// Every outage, in the order they started; CrashedAt is the first of
	// each node's, and all there is in a replay from before outages.
	for _, o := range rep.Outages {
		at(s.failed, o.Down, o.Node)
		if o.Up >= 0 {
			at(s.back, o.Up, o.Node)
			if !o.Keep {
				at(s.forgot, o.Up, o.Node)
			}
		}
	}
	if len(rep.Outages) == 0 {
		for v, r := range rep.CrashedAt {
			at(s.failed, r, int32(v))
		}
	}
	for i := range rep.Partitions {
		if r := rep.Partitions[i].Round; r >= 0 && int(r) < n {
			s.splits[r] = &rep.Partitions[i]
		}
	}
	return s
}
