package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// Caps on the files of a result. Results are downloaded from CI and so
// untrusted: a cap keeps a hostile or damaged file from exhausting memory,
// and is far above what a run within the scenario limits writes.
const (
	maxSummaryBytes  = 256 << 20
	maxManifestBytes = 64 << 20
	maxReplayBytes   = 256 << 20
	maxRoundsBytes   = 4 << 30
	maxTrialsBytes   = 4 << 30
)

// MaxScenarioBytes caps a scenario file, the one a run reads and the copy
// it keeps as scenario.yaml alike (experiments.MaxScenarioBytes is this).
const MaxScenarioBytes = 1 << 20

// snapshotAttempts bounds how often OpenResult starts over because a run
// replaced the directory while it was being opened. One retry is almost
// always enough; the bound only stops a livelock against a writer that
// never pauses.
const snapshotAttempts = 20

// ResultError is a result that cannot be used as it is: a missing,
// oversized, symlinked, corrupt or inconsistent file. Path names the file
// (or directory) at fault. It is bad input, so commands exit 2 on it.
type ResultError struct {
	Path string
	Err  error
}

func (e *ResultError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ResultError) Unwrap() error { return e.Err }

func resultErrorf(path, format string, args ...any) error {
	return &ResultError{Path: path, Err: fmt.Errorf(format, args...)}
}

// errReplaced: the directory being read was swapped for another result (a
// run finished) between two steps; OpenResult starts over.
var errReplaced = errors.New("replaced while being read")

// ResultDir is one scenario's results directory, read as one snapshot. A run
// swaps a result directory whole (see replaceDir), so every file is opened
// through the one directory handle OpenResult opened; the files stay
// readable after a swap removes them, and a ResultDir never mixes two runs.
// summary.json and manifest.json are decoded and checked before OpenResult
// returns; rounds.csv and replays are checked as they are read.
type ResultDir struct {
	Dir      string
	Summary  *Summary
	Manifest *Manifest // nil when manifest.json is missing
	Scenario []byte    // scenario.yaml as run; nil when missing

	info    fs.FileInfo // of Dir, when opened
	rounds  *os.File    // nil when missing
	trials  *os.File    // nil when missing (results older than trials.csv)
	rumors  *os.File    // nil when missing (no point of many rumors, or older results)
	edges   *os.File    // EdgesFile, when a point is of kind file
	replays map[string]*os.File
	points  map[string]*PointSummary

	sentMu sync.Mutex
	sent   map[string]trialSent // see replaySent; nil until rounds.csv was read through
}

// OpenResult opens a scenario's results directory. Its errors are
// *ResultError, naming the file, except for failures of the system.
// Close the ResultDir when done.
func OpenResult(dir string) (*ResultDir, error) {
	for range snapshotAttempts {
		r, err := openSnapshot(dir)
		if !errors.Is(err, errReplaced) {
			return r, err
		}
	}
	return nil, fmt.Errorf("%s: replaced %d times while being read; try again", dir, snapshotAttempts)
}

func openSnapshot(dir string) (_ *ResultDir, err error) {
	root, info, err := openDir(dir, nil)
	if err != nil {
		return nil, err
	}
	defer root.Close() // the files opened through it stay open
	r := &ResultDir{Dir: dir, info: info, replays: map[string]*os.File{}, points: map[string]*PointSummary{}}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	// Any file missing may be the directory having been swapped away:
	// r.missing tells that apart from a file that really is missing.
	data, err := r.readAll(root, SummaryFile, maxSummaryBytes)
	if err != nil {
		return nil, r.missing(err)
	}
	if r.Summary, err = decodeSummary(filepath.Join(dir, SummaryFile), data); err != nil {
		return nil, err
	}
	for i := range r.Summary.Points {
		r.points[r.Summary.Points[i].ID] = &r.Summary.Points[i]
	}
	if data, err = r.readAll(root, ManifestFile, maxManifestBytes); err == nil {
		if r.Manifest, err = decodeManifest(filepath.Join(dir, ManifestFile), data, r.Summary); err != nil {
			return nil, err
		}
	} else if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if r.Scenario, err = r.readAll(root, ScenarioFile, MaxScenarioBytes); err != nil {
		if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if r.rounds, err = open(root, dir, RoundsFile, maxRoundsBytes); err != nil {
		if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if r.trials, err = open(root, dir, TrialsFile, maxTrialsBytes); err != nil {
		if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if r.rumors, err = open(root, dir, RumorsFile, maxRumorsBytes); err != nil {
		if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := r.openReplays(root); err != nil {
		return nil, err
	}
	if r.edgeNodes() > 0 {
		// Its points name it (checkTopology): a result without it is broken.
		if r.edges, err = open(root, dir, EdgesFile, topology.MaxEdgesBytes); err != nil {
			return nil, r.missing(err)
		}
	}
	return r, nil
}

// edgeNodes is the most nodes of a point of kind file; 0 when none is.
func (r *ResultDir) edgeNodes() int {
	most := 0
	for _, p := range r.Summary.Points {
		if p.Params.Topology.Kind == engine.TopologyFile {
			most = max(most, p.Params.Nodes)
		}
	}
	return most
}

// Edges reads the edge list of the points of kind file (EdgesFile), as
// the run read it from the scenario's topology.path; nil when no point is
// of kind file. It is read anew, and checked, on every call.
func (r *ResultDir) Edges() ([][2]int32, error) {
	if r.edges == nil {
		return nil, nil
	}
	edges, err := topology.ReadEdges(io.NewSectionReader(r.edges, 0, topology.MaxEdgesBytes+1), r.edgeNodes())
	if err != nil {
		return nil, &ResultError{Path: filepath.Join(r.Dir, EdgesFile), Err: err}
	}
	return edges, nil
}

// openReplays opens the replay of every point that names one. The names
// were checked by decodeSummary: replay/<point ID>.json, a plain name.
func (r *ResultDir) openReplays(root *os.Root) error {
	var sub *os.Root
	for _, p := range r.Summary.Points {
		if p.Replay == "" {
			continue
		}
		if sub == nil {
			var err error
			if sub, _, err = openDir(filepath.Join(r.Dir, ReplayDir), root); err != nil {
				if err = r.missing(err); errors.Is(err, fs.ErrNotExist) {
					return nil // Replay explains, to whoever needs one
				}
				return err
			}
			defer sub.Close()
		}
		f, err := open(sub, filepath.Join(r.Dir, ReplayDir), p.ID+".json", maxReplayBytes)
		if err != nil {
			if err = r.missing(err); !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			continue // Replay explains, to whoever needs it
		}
		r.replays[p.ID] = f
	}
	return nil
}

// openDir opens a directory, refusing a symbolic link: path itself when
// parent is nil, else its last element inside parent. Opening and then
// comparing with what Lstat saw closes the gap in which the name could be
// swapped for a link.
func openDir(path string, parent *os.Root) (*os.Root, fs.FileInfo, error) {
	var st fs.FileInfo
	var err error
	if parent == nil {
		st, err = os.Lstat(path)
	} else {
		st, err = parent.Lstat(filepath.Base(path))
	}
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return nil, nil, resultErrorf(path, "a symbolic link; results are read only from real directories")
	}
	if !st.IsDir() {
		return nil, nil, resultErrorf(path, "not a directory")
	}
	var root *os.Root
	if parent == nil {
		root, err = os.OpenRoot(path)
	} else {
		root, err = parent.OpenRoot(filepath.Base(path))
	}
	if err != nil {
		return nil, nil, statError(path, err)
	}
	opened, err := root.Stat(".")
	if err != nil || !os.SameFile(st, opened) {
		root.Close()
		return nil, nil, errReplaced
	}
	return root, opened, nil
}

// open opens the regular file name in dir (which is at, for messages),
// refusing links, other kinds of file and files above limit bytes.
func open(dir *os.Root, at, name string, limit int64) (*os.File, error) {
	path := filepath.Join(at, name)
	st, err := dir.Lstat(name)
	if err != nil {
		return nil, statError(path, err)
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, resultErrorf(path, "a symbolic link; results are read only from regular files")
	case !st.Mode().IsRegular():
		return nil, resultErrorf(path, "not a regular file")
	case st.Size() > limit:
		return nil, resultErrorf(path, "%d bytes, more than the %d this file may hold", st.Size(), limit)
	}
	f, err := dir.Open(name)
	if err != nil {
		return nil, statError(path, err)
	}
	if opened, err := f.Stat(); err != nil || !os.SameFile(st, opened) {
		f.Close()
		return nil, errReplaced
	}
	return f, nil
}

func (r *ResultDir) readAll(dir *os.Root, name string, limit int64) ([]byte, error) {
	f, err := open(dir, r.Dir, name, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The cap again, in case the file grows after the check.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, resultErrorf(filepath.Join(r.Dir, name), "%w", err)
	}
	if int64(len(data)) > limit {
		return nil, resultErrorf(filepath.Join(r.Dir, name), "more than the %d bytes this file may hold", limit)
	}
	return data, nil
}

// statError words a failed Lstat or Open; a missing file keeps
// fs.ErrNotExist so that callers can tell it apart.
func statError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &ResultError{Path: path, Err: fmt.Errorf("missing: %w", fs.ErrNotExist)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &ResultError{Path: path, Err: err}
}

// missing turns a missing file into errReplaced when the directory no
// longer is the one opened: a run swapped in its result, and removing the
// old one took the file. Other errors pass unchanged.
func (r *ResultDir) missing(err error) error {
	if errors.Is(err, fs.ErrNotExist) && r.Changed() {
		return errReplaced
	}
	return err
}

// Changed reports whether Dir now holds another directory than the one
// read, that is, whether a run has replaced the result since.
func (r *ResultDir) Changed() bool {
	st, err := os.Lstat(r.Dir)
	return err != nil || !os.SameFile(st, r.info)
}

// Require returns a *ResultError for the first of files (ManifestFile,
// ScenarioFile, RoundsFile, TrialsFile, RumorsFile) the result lacks; a summary is
// always there.
func (r *ResultDir) Require(files ...string) error {
	for _, f := range files {
		if f == ManifestFile && r.Manifest == nil || f == ScenarioFile && r.Scenario == nil || f == RoundsFile && r.rounds == nil ||
			f == TrialsFile && r.trials == nil || f == RumorsFile && r.rumors == nil {
			return &ResultError{Path: filepath.Join(r.Dir, f), Err: fmt.Errorf("missing: %w", fs.ErrNotExist)}
		}
	}
	return nil
}

// Close releases the files the result holds open.
func (r *ResultDir) Close() error {
	if r.rounds != nil {
		r.rounds.Close()
	}
	if r.trials != nil {
		r.trials.Close()
	}
	if r.rumors != nil {
		r.rumors.Close()
	}
	if r.edges != nil {
		r.edges.Close()
	}
	for _, f := range r.replays {
		f.Close()
	}
	return nil
}

// decodeJSON decodes a file of this schema. The schema is checked before the
// rest is decoded, so a file from a newer gossipbench is refused as such
// rather than with a confusing type error.
func decodeJSON(path string, data []byte, v any) error {
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return resultErrorf(path, "not valid JSON (truncated or corrupt?): %w", err)
	}
	if head.Schema == nil {
		return resultErrorf(path, "no \"schema\" field; not a gossipbench result file")
	}
	switch {
	case *head.Schema < SchemaVersion:
		return resultErrorf(path, "schema %d, written by an older gossipbench; this one reads schema %d only: run the scenario again", *head.Schema, SchemaVersion)
	case *head.Schema != SchemaVersion:
		return resultErrorf(path, "schema %d, this gossipbench reads schema %d", *head.Schema, SchemaVersion)
	}
	if err := checkKeys(data, v); err != nil {
		return resultErrorf(path, "%w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return resultErrorf(path, "%w", err)
	}
	return nil
}
