package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/gossipbench/gossipbench/experiments"
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
	Summary  *experiments.Summary
	Manifest *experiments.Manifest // nil when manifest.json is missing
	points   map[string]*experiments.PointSummary
	walls    map[string]experiments.Stats // per point ID, from the manifest
	trials   map[string]trialSamples      // per point ID, from rounds.csv; loaded on demand
	shard    string                       // "2/3" for a run --shard result, else ""
}

// side is every scenario found under BASE or NEW, by name.
type side struct {
	Root      string
	Single    bool // Root is itself a scenario's directory
	Scenarios map[string]*result
	Warnings  []string
}

// loadSide reads a scenario's results directory, or every one directly under
// a results directory. It never skips a directory that looks like a result
// but is broken: a comparison that silently lost a scenario would pass.
func loadSide(root string) (*side, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, inputErrorf("%s: %v", root, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return nil, inputErrorf("%s: not a directory (give a scenario's results directory or a results directory)", root)
	}
	s := &side{Root: root, Scenarios: map[string]*result{}}
	var dirs []string
	if isResult(root) {
		s.Single = true
		dirs = []string{root}
	} else {
		entries, err := os.ReadDir(root)
		if err != nil {
			return nil, inputErrorf("%s: %v", root, err)
		}
		for _, e := range entries {
			sub := filepath.Join(root, e.Name())
			if e.IsDir() && e.Name()[0] != '.' && isResult(sub) { // .name.tmp-* are runs being written
				dirs = append(dirs, sub)
			}
		}
		if len(dirs) == 0 {
			return nil, inputErrorf("%s: no results here (no %s in it or in its subdirectories)", root, experiments.SummaryFile)
		}
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		r, warn, err := loadResult(dir)
		if err != nil {
			return nil, err
		}
		s.Warnings = append(s.Warnings, warn...)
		if other, dup := s.Scenarios[r.Summary.Name]; dup {
			return nil, inputErrorf("%s and %s both hold scenario %q", other.Dir, dir, r.Summary.Name)
		}
		s.Scenarios[r.Summary.Name] = r
	}
	return s, nil
}

// isResult: a directory with any of the files run writes. One with a
// manifest but no summary is a broken result, reported by loadResult.
func isResult(dir string) bool {
	for _, f := range []string{experiments.SummaryFile, experiments.ManifestFile, experiments.ScenarioFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

func loadResult(dir string) (*result, []string, error) {
	r := &result{Dir: dir, points: map[string]*experiments.PointSummary{}, walls: map[string]experiments.Stats{}}
	path := filepath.Join(dir, experiments.SummaryFile)
	r.Summary = &experiments.Summary{}
	data, err := readVersioned(path, r.Summary)
	if err != nil {
		return nil, nil, err
	}
	// Read here rather than from Summary, so that compare keeps working
	// whatever shape experiments gives its shard type.
	var sh struct {
		Shard *struct{ Index, Count int } `json:"shard"`
	}
	if json.Unmarshal(data, &sh) == nil && sh.Shard != nil {
		r.shard = fmt.Sprintf("%d/%d", sh.Shard.Index, sh.Shard.Count)
	}
	if err := checkSummary(path, r.Summary); err != nil {
		return nil, nil, err
	}
	for i := range r.Summary.Points {
		p := &r.Summary.Points[i]
		r.points[p.ID] = p
	}
	var warnings []string
	mpath := filepath.Join(dir, experiments.ManifestFile)
	m := &experiments.Manifest{}
	switch _, err := readVersioned(mpath, m); {
	case errors.Is(err, fs.ErrNotExist):
		warnings = append(warnings, fmt.Sprintf("%s: missing; no wall times for %s", mpath, r.Summary.Name))
	case err != nil:
		return nil, nil, err
	default:
		r.Manifest = m
		for _, pt := range m.Points {
			r.walls[pt.ID] = pt.WallSeconds
		}
	}
	return r, warnings, nil
}

// readVersioned decodes a schema-1 JSON file. The schema is checked before
// the rest is decoded, so a file from a newer gossipbench is refused as
// such rather than with a confusing type error.
func readVersioned(path string, v any) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &InputError{fmt.Errorf("%s: missing: %w", path, fs.ErrNotExist)}
	}
	if err != nil {
		return nil, inputErrorf("%s: %v", path, errors.Unwrap(err))
	}
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, inputErrorf("%s: not valid JSON (truncated or corrupt?): %v", path, err)
	}
	if head.Schema == nil {
		return nil, inputErrorf("%s: no \"schema\" field; not a gossipbench result file", path)
	}
	if *head.Schema != experiments.SchemaVersion {
		return nil, inputErrorf("%s: schema %d, this gossipbench reads schema %d", path, *head.Schema, experiments.SchemaVersion)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, inputErrorf("%s: %v", path, err)
	}
	return data, nil
}

// checkSummary catches what JSON decoding lets through but would make the
// statistics lie: unnamed or repeated points, impossible counts.
func checkSummary(path string, s *experiments.Summary) error {
	if s.Name == "" {
		return inputErrorf("%s: no scenario name", path)
	}
	seen := map[string]bool{}
	for i, p := range s.Points {
		if p.ID == "" {
			return inputErrorf("%s: points[%d] has no id", path, i)
		}
		if seen[p.ID] {
			return inputErrorf("%s: point %q appears twice", path, p.ID)
		}
		seen[p.ID] = true
		if p.Trials < 0 || p.Converged < 0 || p.Converged > p.Trials {
			return inputErrorf("%s: point %q: %d converged of %d trials", path, p.ID, p.Converged, p.Trials)
		}
		for name, st := range p.Metrics {
			if st.N < 0 || st.N > p.Trials || st.SD < 0 {
				return inputErrorf("%s: point %q: metric %s has n %d, sd %g", path, p.ID, name, st.N, st.SD)
			}
		}
	}
	return nil
}
