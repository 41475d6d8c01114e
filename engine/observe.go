package engine

import "context"

// Round is one finished round as an engine reports it, the moment it ends.
type Round struct {
	RoundStats
	// Informed are the nodes informed in this round, Failed those that
	// failed at its start. Round 0's Informed is the source, always; the
	// rest is filled in only when the trial records a replay.
	Informed []int32
	Failed   []int32
	// Recovered came back at the round's start (recoveries and churn
	// joins), after which Failed went down; Split is the partition that
	// starts in the round. Replay only, as Failed.
	Recovered []int32
	Forgot    []int32 // those of Recovered that came back empty
	Split     *Split
	Edges     []Edge // the round's messages, replay only
	// Unrecorded are messages counted in RoundStats that Edges lacks: an
	// engine that cannot see every message it counts (free running reads
	// the nodes' bounded logs) says how many it missed. 0 elsewhere.
	Unrecorded int
	// PerRumor are each rumor's counts at the end of the round, in a trial
	// of more than one rumor (nil otherwise: RoundStats says it all).
	// Injected are the nodes the round's new rumors start at, in rumor
	// order (round 0's first is the source, also in Informed).
	PerRumor []RumorStats
	Injected []int32
	// Graph are the facts of the trial's graph, in round 0 of a trial on
	// any topology but the complete graph; nil elsewhere.
	Graph *GraphFacts
}

// Observer receives a trial's rounds in order, from the goroutine running
// the trial, as they end: the stream every sink reads (result files,
// progress, a live view). It must not keep the slices past the call
// unless it owns them: engines hand each round's slices over and never
// touch them again.
type Observer interface {
	Round(Round)
}

// ObserverFunc adapts a function to an Observer.
type ObserverFunc func(Round)

func (f ObserverFunc) Round(r Round) { f(r) }

// Recorder is an Observer that keeps the whole trial as a Trace: for tests,
// replays and one-off runs. Runs of many trials stream instead.
type Recorder struct {
	Trace Trace
	nodes int
	// open is each down node's outage in Trace.Replay.Outages, until the
	// node comes back: closing one is a lookup, not a search, under churn.
	open map[int32]int
}

// NewRecorder records a trial of n nodes; replay says whether to keep the
// per-node replay too.
func NewRecorder(n int, replay bool) *Recorder {
	rec := &Recorder{nodes: n}
	if replay {
		rec.Trace.Replay = NewReplay(n)
	}
	return rec
}

func (rec *Recorder) Round(r Round) {
	tr := &rec.Trace
	if r.Round == 0 && len(r.Informed) > 0 {
		tr.Source = int(r.Informed[0])
	}
	if r.Graph != nil {
		tr.Graph = r.Graph
	}
	tr.Rounds = append(tr.Rounds, r.RoundStats)
	if r.PerRumor != nil {
		tr.PerRumor = append(tr.PerRumor, r.PerRumor)
	}
	for _, v := range r.Injected {
		tr.RumorSources = append(tr.RumorSources, int(v))
	}
	rep := tr.Replay
	if rep == nil {
		return
	}
	for _, v := range r.Informed {
		if rep.FirstInformed[v] < 0 {
			rep.FirstInformed[v] = int32(r.Round)
		} else {
			rep.Relearned = append(rep.Relearned, [2]int32{v, int32(r.Round)})
		}
	}
	rec.outages(r)
	if r.Split != nil {
		rep.Partitions = append(rep.Partitions, *r.Split)
	}
	if r.Round > 0 {
		rep.Edges = append(rep.Edges, r.Edges)
		rep.Unrecorded = append(rep.Unrecorded, r.Unrecorded)
	}
}

// outages closes the outages of the nodes that came back in r, then opens
// those of the nodes that went down in it.
func (rec *Recorder) outages(r Round) {
	rep := rec.Trace.Replay
	// Forgot is a part of Recovered: those close first, without their
	// state, and the rest of Recovered after them, with it.
	for _, v := range r.Forgot {
		rec.closeOutage(v, r.Round, false)
	}
	for _, v := range r.Recovered {
		rec.closeOutage(v, r.Round, true)
	}
	for _, v := range r.Failed {
		if rep.CrashedAt[v] < 0 {
			rep.CrashedAt[v] = int32(r.Round)
		}
		if rec.open == nil {
			rec.open = make(map[int32]int)
		}
		rec.open[v] = len(rep.Outages)
		rep.Outages = append(rep.Outages, Outage{Node: v, Down: int32(r.Round), Up: -1})
	}
}

// closeOutage ends node v's open outage at round r, if it has one.
func (rec *Recorder) closeOutage(v int32, r int, keep bool) {
	if i, ok := rec.open[v]; ok {
		o := &rec.Trace.Replay.Outages[i]
		o.Up, o.Keep = int32(r), keep
		delete(rec.open, v)
	}
}

// Collect runs one trial of e and returns it whole.
func Collect(ctx context.Context, e Engine, cfg Config) (*Trace, error) {
	rec := NewRecorder(cfg.Nodes, cfg.Replay)
	if err := e.Run(ctx, cfg, rec); err != nil {
		return nil, err
	}
	return &rec.Trace, nil
}
