// The files a result may lack, which merge writes when the shards have
// them: trials.csv (results older than it) and rumors.csv (only with a
// point of many rumors).

package merge

import (
	"fmt"
	"path/filepath"

	"github.com/gossipbench/gossipbench/internal/results"
)

// trialsProblems names each shard with trials.csv when the first has
// none, or without it when the first has it: shards of one build have the
// file or not alike, so a mix is a shard that lost its file.
func trialsProblems(shards []*shardDir) []string {
	var problems []string
	ref := shards[0]
	for _, sd := range shards {
		if sd.res.HasTrials() != ref.res.HasTrials() {
			with, without := ref.dir, sd.dir
			if sd.res.HasTrials() {
				with, without = sd.dir, ref.dir
			}
			problems = append(problems, fmt.Sprintf("%s has %s, %s has none", with, results.TrialsFile, without))
		}
	}
	return problems
}

// A shard has rumors.csv exactly when one of its points has many rumors
// (a run writes it for the points it runs, so a shard of only one-rumor
// points, or of none, has no file). When some shard has the file, a shard
// with a point of many rumors that lacks it lost it: merged without it,
// its rumors' delays would be counted from round 0 instead of from each
// rumor's injection. When none has it (a build before rumors.csv) the
// merge has none either, as the run would have had.

// anyRumors says whether some shard has rumors.csv, and so the merge.
func anyRumors(shards []*shardDir) bool {
	for _, sd := range shards {
		if sd.res.HasRumors() {
			return true
		}
	}
	return false
}

// rumorsProblems names each shard that lacks rumors.csv while another
// has it and one of its own points needs it.
func rumorsProblems(shards []*shardDir) []string {
	var with *shardDir
	for _, sd := range shards {
		if sd.res.HasRumors() {
			with = sd
			break
		}
	}
	if with == nil {
		return nil
	}
	var problems []string
	for _, sd := range shards {
		if sd.res.HasRumors() {
			continue
		}
		for _, p := range sd.sum.Points {
			if p.Params.RumorCount() > 1 {
				problems = append(problems, fmt.Sprintf("%s has %s, %s has none, but its point %s has %d rumors",
					with.dir, results.RumorsFile, filepath.Join(sd.dir, results.RumorsFile), p.ID, p.Params.RumorCount()))
				break
			}
		}
	}
	return problems
}

// writeRumors interleaves the shards' rumors.csv in sweep order, as
// writeTrials does trials.csv. Every row is checked as it is read
// (RumorsScanner), which holds each shard's file to its rounds.csv. A
// shard without the file has no point of many rumors (rumorsProblems),
// so it has no rows to give.
func (set *ShardSet) writeRumors(w *results.RoundsWriter) error {
	scanners := make([]rowScanner, len(set.shards))
	for i, sd := range set.shards {
		if !sd.res.HasRumors() {
			continue
		}
		s, err := sd.res.ScanRumors()
		if err != nil {
			return err
		}
		scanners[i] = rumorRows{s}
	}
	return set.interleave(w, results.RumorsFile, scanners)
}
