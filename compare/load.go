package compare

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// InputError is bad input: a missing directory, a file that cannot be read
// or parsed, a schema this build does not read. The CLI exits 2 on it. The
// message always names the file.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// result is one scenario's results directory as compare needs it.
type result struct {
	Dir      string
	Summary  *results.Summary
	Manifest *results.Manifest // nil when manifest.json is missing
	points   map[string]*results.PointSummary
	walls    map[string]results.Stats // per point ID, from the manifest
	trials   map[string]trialSamples  // per point ID, from rounds.csv; nil unless Mann-Whitney and rounds.csv is there
	shard    string                   // "2/3" for a run --shard result, else ""
	files    *results.ResultDir       // for rounds.csv
}

// side is every scenario found under BASE or NEW, by name.
type side struct {
	Root      string
	Single    bool // Root is itself a scenario's directory
	Scenarios map[string]*result
	Warnings  []string
}

// close releases the files of the side's results.
func (s *side) close() {
	for _, r := range s.Scenarios {
		r.files.Close()
	}
}

// loadSide reads a scenario's results directory, or every one directly under
// a results directory. It never skips a directory that looks like a result
// but is broken: a comparison that silently lost a scenario would pass.
func loadSide(root string, samples bool) (*side, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, inputErrorf("%s: %v", root, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return nil, inputErrorf("%s: not a directory (give a scenario's results directory or a results directory)", root)
	}
	dirs, single, err := results.FindResults(root)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	if len(dirs) == 0 {
		return nil, inputErrorf("%s: no results here (no %s in it or in its subdirectories)", root, results.SummaryFile)
	}
	s := &side{Root: root, Single: single, Scenarios: map[string]*result{}}
	for _, dir := range dirs {
		r, warn, err := loadResult(dir, samples)
		if err != nil {
			s.close()
			return nil, err
		}
		s.Warnings = append(s.Warnings, warn...)
		if other, dup := s.Scenarios[r.Summary.Name]; dup {
			r.files.Close()
			s.close()
			return nil, inputErrorf("%s and %s both hold scenario %q", other.Dir, dir, r.Summary.Name)
		}
		s.Scenarios[r.Summary.Name] = r
	}
	return s, nil
}

// loadResult opens a result and reads its rows through, keeping each
// trial's metric values when samples (Mann-Whitney needs them).
func loadResult(dir string, samples bool) (*result, []string, error) {
	rd, err := results.OpenResult(dir)
	var re *results.ResultError
	if errors.As(err, &re) {
		return nil, nil, &InputError{Err: err}
	}
	if err != nil {
		return nil, nil, err
	}
	r := &result{Dir: dir, Summary: rd.Summary, Manifest: rd.Manifest, files: rd,
		points: map[string]*results.PointSummary{}, walls: map[string]results.Stats{}}
	if sh := rd.Summary.Shard; sh != nil {
		r.shard = sh.String()
	}
	for i := range r.Summary.Points {
		p := &r.Summary.Points[i]
		r.points[p.ID] = p
	}
	// Every row is read through, as report reads it, so that compare refuses
	// what report refuses, rounds.csv and trials.csv streamed; a
	// Mann-Whitney test takes its trials from the same pass.
	keep := func(string, *engine.Trace) error { return nil }
	if samples && rd.Require(results.RoundsFile) == nil {
		r.trials, keep = map[string]trialSamples{}, r.addTrial
	}
	if err := rd.CheckRows(keep); err != nil {
		rd.Close()
		if errors.As(err, &re) {
			return nil, nil, &InputError{Err: err}
		}
		return nil, nil, err
	}
	var warnings []string
	if r.Manifest == nil {
		warnings = append(warnings, fmt.Sprintf("%s: missing; no wall times for %s", filepath.Join(dir, results.ManifestFile), r.Summary.Name))
	} else {
		for _, pt := range r.Manifest.Points {
			r.walls[pt.ID] = pt.WallSeconds
		}
	}
	return r, warnings, nil
}
