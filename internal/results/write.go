package results

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/outdir"
)

// Write puts a result in dir/name/ all at once: fill writes its files
// through an Out into a temporary directory beside it, which is then
// renamed into place, so an interrupted writer never leaves half a result
// where a good one stood. Cancelling ctx before the swap abandons the
// write (see writeDir).
func Write(ctx context.Context, dir, name string, fill func(*Out) error) (string, error) {
	return writeDir(ctx, dir, name, func(tmp string) error { return fill(&Out{dir: tmp}) })
}

// Out writes the files of one result directory while Write fills it.
// Each file is written once.
type Out struct{ dir string }

// Dir is the temporary directory being filled, for a writer that keeps
// a scratch file there; Write removes whatever is left if it fails.
func (o *Out) Dir() string { return o.dir }

// Create creates a new file of the result, for a writer that streams
// into it (rounds.csv as trials end). Like every file Out writes, it
// refuses anything already there, a planted symlink included.
func (o *Out) Create(name string) (*os.File, error) {
	return outdir.CreateNew(filepath.Join(o.dir, name))
}

// Scenario writes scenario.yaml, the exact input of the run.
func (o *Out) Scenario(raw []byte) error { return writeBytes(filepath.Join(o.dir, ScenarioFile), raw) }

// Summary writes summary.json.
func (o *Out) Summary(s *Summary) error { return writeJSON(filepath.Join(o.dir, SummaryFile), s) }

// Manifest writes manifest.json.
func (o *Out) Manifest(m *Manifest) error { return writeJSON(filepath.Join(o.dir, ManifestFile), m) }

// Rounds writes rounds.csv of a scenario sweeping sweep: its header, then
// the rows fill writes.
func (o *Out) Rounds(sweep []string, fill func(*RoundsWriter) error) error {
	return o.csvFile(RoundsFile, RoundsHeader(sweep), func(cw *csv.Writer) error {
		return fill(&RoundsWriter{cw: cw})
	})
}

// Trials writes trials.csv of a scenario sweeping sweep: its header, then
// the rows fill writes with the writer's WriteRecord.
func (o *Out) Trials(sweep []string, fill func(*RoundsWriter) error) error {
	return o.csvFile(TrialsFile, TrialsHeader(sweep), func(cw *csv.Writer) error {
		return fill(&RoundsWriter{cw: cw})
	})
}

// Rumors writes rumors.csv of a scenario sweeping sweep: its header, then
// the rows fill writes with the writer's WriteRecord.
func (o *Out) Rumors(sweep []string, fill func(*RoundsWriter) error) error {
	return o.csvFile(RumorsFile, RumorsHeader(sweep), func(cw *csv.Writer) error {
		return fill(&RoundsWriter{cw: cw})
	})
}

func (o *Out) csvFile(name string, header []string, fill func(*csv.Writer) error) error {
	return writeFile(filepath.Join(o.dir, name), func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := fill(cw); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// Replay writes a point's replay file.
func (o *Out) Replay(rf *ReplayFile) error {
	if err := os.MkdirAll(filepath.Join(o.dir, ReplayDir), 0o755); err != nil {
		return err
	}
	return writeJSONCompact(filepath.Join(o.dir, ReplayPath(rf.Point)), rf)
}

// ReplayBytes writes a point's replay file as read from another result
// (see ResultDir.ReplayData), unchanged.
func (o *Out) ReplayBytes(pointID string, data []byte) error {
	if err := os.MkdirAll(filepath.Join(o.dir, ReplayDir), 0o755); err != nil {
		return err
	}
	return writeBytes(filepath.Join(o.dir, ReplayPath(pointID)), data)
}

// RoundsWriter writes the rows of rounds.csv, one round of one trial
// each, or of trials.csv or rumors.csv (WriteRecord only).
type RoundsWriter struct {
	cw  *csv.Writer
	row []string
}

// Write writes one round of a point's trial.
func (rw *RoundsWriter) Write(point string, trial int, r engine.RoundStats) error {
	return rw.cw.Write(AppendRoundRow(rw.row[:0], point, trial, r))
}

// AppendRoundRow appends a round as rounds.csv has it (RoundsHeader) to
// row: the one place that spells a row out.
func AppendRoundRow(row []string, point string, trial int, r engine.RoundStats) []string {
	row = append(row, point)
	row = append(row, PointValues(point)...)
	row = append(row, strconv.Itoa(trial))
	for _, v := range []int{r.Round, r.Informed, r.New, r.Alive, r.Sent, r.Delivered, r.Lost, r.Failed, r.Useful, r.Redundant} {
		row = append(row, strconv.Itoa(v))
	}
	row = append(row, strconv.FormatInt(r.Bytes, 10))
	return append(row, strconv.Itoa(r.Infective), strconv.Itoa(r.Removed), strconv.Itoa(r.Rumors),
		strconv.Itoa(r.Down), strconv.Itoa(r.Recovering), strconv.Itoa(r.Cut))
}

// WriteRecord writes a row as another result's RoundsScanner,
// TrialsScanner or RumorsScanner read it.
func (rw *RoundsWriter) WriteRecord(rec []string) error { return rw.cw.Write(rec) }

func writeJSON(path string, v any) error {
	return writeFile(path, func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func writeJSONCompact(path string, v any) error {
	return writeFile(path, func(w *bufio.Writer) error { return json.NewEncoder(w).Encode(v) })
}

func writeBytes(path string, data []byte) error {
	return writeFile(path, func(w *bufio.Writer) error { _, err := w.Write(data); return err })
}

// writeFile fills a new file in a fresh temporary directory; it refuses
// to open anything already there, a planted symlink included.
func writeFile(path string, fill func(*bufio.Writer) error) error {
	f, err := outdir.CreateNew(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
