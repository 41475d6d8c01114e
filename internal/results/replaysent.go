package results

import (
	"fmt"
	"hash/fnv"
)

// trialSent is what rounds.csv says the replayed trial sent: its rounds,
// and a hash of its sent counts in round order. A replay's messages per
// round, those it draws and those it counts as unrecorded, must be these
// counts (docs/design.md, "Results schema"); a hash keeps the check's
// memory at one entry a point, however long the trials.
type trialSent struct {
	rounds int
	total  int64
	hash   uint64
}

// sentHash folds one round's count into h, round after round.
func sentHash(h uint64, sent int64) uint64 {
	f := fnv.New64a()
	var b [16]byte
	for i := range 8 {
		b[i], b[8+i] = byte(h>>(8*i)), byte(sent>>(8*i))
	}
	f.Write(b[:])
	return f.Sum64()
}

// note counts a row of rounds.csv if it is of a replayed trial.
func (s *RoundsScanner) note() {
	p := s.points[s.Point]
	if s.sent == nil || s.Trial != ReplayTrial || p.Replay == "" {
		return
	}
	t := s.sent[s.Point]
	t.rounds++
	t.total += int64(s.Row.Sent)
	t.hash = sentHash(t.hash, int64(s.Row.Sent))
	s.sent[s.Point] = t
}

// replaySent is trialSent per point with a replay. A scan of rounds.csv
// read to its end (report's, for its charts) leaves it behind; without one,
// it reads rounds.csv through once.
func (r *ResultDir) replaySent() (map[string]trialSent, error) {
	r.sentMu.Lock()
	sent := r.sent
	r.sentMu.Unlock()
	if sent != nil {
		return sent, nil
	}
	s, err := r.ScanRounds()
	if err != nil {
		return nil, err
	}
	for {
		ok, err := s.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return s.sent, nil
		}
	}
}

// keepSent keeps what a scan read to its end found.
func (r *ResultDir) keepSent(sent map[string]trialSent) {
	r.sentMu.Lock()
	defer r.sentMu.Unlock()
	r.sent = sent
}

// checkReplaySent holds a replay's messages to its trial's sent counts.
// Free-running replays written before their messages were recorded
// (Unrecorded nil) draw none, and are only held to the trial's rounds.
func checkReplaySent(rf *ReplayFile, want trialSent) error {
	if rf.Trial != ReplayTrial {
		return fmt.Errorf("the replay of trial %d; a replay is of trial %d", rf.Trial, ReplayTrial)
	}
	if len(rf.Rounds) != want.rounds {
		return fmt.Errorf("%d rounds, but trial %d has %d in %s", len(rf.Rounds), ReplayTrial, want.rounds, RoundsFile)
	}
	if rf.Params.FreeRunning() && rf.Unrecorded == nil {
		return nil
	}
	var got trialSent
	for r, edges := range rf.Rounds {
		n := int64(len(edges))
		if r < len(rf.Unrecorded) {
			n += int64(rf.Unrecorded[r])
		}
		got.total += n
		got.hash = sentHash(got.hash, n)
	}
	if got.total == want.total && got.hash != want.hash {
		return fmt.Errorf("its messages per round (drawn and unrecorded) are not the sent counts of trial %d in %s: the same %d in all, in other rounds",
			ReplayTrial, RoundsFile, got.total)
	}
	if got.total != want.total {
		return fmt.Errorf("its messages per round (%d in all, drawn and unrecorded) are not the sent counts of trial %d in %s (%d in all)",
			got.total, ReplayTrial, RoundsFile, want.total)
	}
	return nil
}
