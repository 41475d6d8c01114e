package results

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/gossipbench/gossipbench/engine"
)

// Replay reads and checks the replay of a point.
func (r *ResultDir) Replay(pointID string) (*ReplayFile, error) {
	_, rf, err := r.ReplayData(pointID)
	return rf, err
}

// ReplayData is Replay with the file's bytes, for copying them unchanged.
func (r *ResultDir) ReplayData(pointID string) ([]byte, *ReplayFile, error) {
	p := r.points[pointID]
	if p == nil || p.Replay == "" {
		return nil, nil, fmt.Errorf("%s: point %q has no replay", filepath.Join(r.Dir, SummaryFile), pointID)
	}
	path := filepath.Join(r.Dir, p.Replay)
	f := r.replays[pointID]
	if f == nil {
		return nil, nil, resultErrorf(path, "missing (%s lists it)", SummaryFile)
	}
	data, err := io.ReadAll(io.NewSectionReader(f, 0, maxReplayBytes+1))
	if err != nil {
		return nil, nil, resultErrorf(path, "%w", err)
	}
	if len(data) > maxReplayBytes {
		return nil, nil, resultErrorf(path, "more than the %d bytes this file may hold", maxReplayBytes)
	}
	var rf ReplayFile
	if err := decodeJSON(path, data, &rf); err != nil {
		return nil, nil, err
	}
	if err := checkReplay(&rf, p, r.Summary.Name); err != nil {
		return nil, nil, &ResultError{Path: path, Err: err}
	}
	sent, err := r.replaySent()
	if err != nil {
		return nil, nil, err
	}
	if err := checkReplaySent(&rf, sent[pointID]); err != nil {
		return nil, nil, &ResultError{Path: path, Err: err}
	}
	return data, &rf, nil
}

// checkReplay holds a replay to its point: its nodes, and rounds within
// the rounds it recorded, so that nothing sized from it (the page's
// per-round arrays) grows beyond the file itself.
func checkReplay(rf *ReplayFile, p *PointSummary, scenario string) error {
	n := p.Params.Nodes
	switch {
	case rf.Scenario != scenario || rf.Point != p.ID:
		return fmt.Errorf("the replay of %s / %s, not of %s / %s", rf.Scenario, rf.Point, scenario, p.ID)
	case n > MaxReplay || rf.Params.Nodes != n:
		return fmt.Errorf("%d nodes; point %s has %d and replays hold at most %d", rf.Params.Nodes, p.ID, n, MaxReplay)
	case len(rf.FirstInformed) != n || len(rf.CrashedAt) != n:
		return fmt.Errorf("%d nodes but %d first_informed and %d crashed_at entries", n, len(rf.FirstInformed), len(rf.CrashedAt))
	case rf.Source < 0 || rf.Source >= n:
		return fmt.Errorf("source %d outside 0..%d", rf.Source, n-1)
	case len(rf.Rounds) < 1 || len(rf.Rounds) > p.Params.MaxRounds+1:
		return fmt.Errorf("%d rounds; max_rounds is %d", len(rf.Rounds), p.Params.MaxRounds)
	}
	last := int32(len(rf.Rounds) - 1)
	for _, a := range []struct {
		name string
		v    []int32
	}{{"first_informed", rf.FirstInformed}, {"crashed_at", rf.CrashedAt}} {
		for node, r := range a.v {
			if r < -1 || r > last {
				return fmt.Errorf("%s[%d] is round %d; the replay has rounds 0..%d (-1: never)", a.name, node, r, last)
			}
		}
	}
	switch {
	case rf.Unrecorded != nil && !p.Params.FreeRunning():
		return fmt.Errorf("unrecorded messages in a replay of %s, not of free-running http nodes", p.Params.Engine)
	case rf.Unrecorded != nil && len(rf.Unrecorded) != len(rf.Rounds):
		return fmt.Errorf("%d rounds but %d unrecorded counts", len(rf.Rounds), len(rf.Unrecorded))
	}
	// A round sends at most a request and its answer from every node to
	// every other.
	maxSent := 2 * int64(n) * int64(n-1)
	for r, u := range rf.Unrecorded {
		if u < 0 || int64(u) > maxSent || r == 0 && u != 0 {
			return fmt.Errorf("unrecorded[%d] is %d; a count from 0 to %d (0 in round 0)", r, u, maxSent)
		}
	}
	kinds, outcomes := len(rf.Kinds), len(rf.Outcomes)
	if kinds == 0 {
		kinds = len(engine.KindNames)
	}
	if outcomes == 0 {
		outcomes = len(engine.OutcomeNames)
	}
	for r, edges := range rf.Rounds {
		for i, e := range edges {
			if e[0] < 0 || int(e[0]) >= n || e[1] < 0 || int(e[1]) >= n || e[2] < 0 || int(e[2]) >= kinds || e[3] < 0 || int(e[3]) >= outcomes {
				return fmt.Errorf("rounds[%d][%d]: message %v: nodes are 0..%d, kinds 0..%d, outcomes 0..%d", r, i, e, n-1, kinds-1, outcomes-1)
			}
		}
	}
	if err := checkReplayFaults(rf, p); err != nil {
		return err
	}
	return CheckReplayGraph(rf, n)
}
