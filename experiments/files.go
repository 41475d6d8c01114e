package experiments

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// fileSink writes rounds.csv, trials.csv and the replays into a results
// directory being filled, as trials stream in. rounds.csv and trials.csv
// hold the trials in sweep and trial order whatever order they end in, so
// that they are the same bytes for every -j: a trial's rows are kept as
// CSV text while it runs; when it ends, its rows and its trials.csv row go
// into the files if every trial before it is there, else into a spill file
// beside them, from which they are copied once they are. What it keeps is
// the trials in flight and where each spilled one lies.
type fileSink struct {
	out     *results.Out
	dir     string
	run     *Run
	rounds  *os.File
	trials  *os.File
	rumors  *os.File // nil without a point of many rumors
	w, tw   *bufio.Writer
	rw      *bufio.Writer
	row     bytes.Buffer // a trials.csv row being encoded
	rowCSV  *csv.Writer
	spill   *os.File
	spilled int64
	live    map[int]*trialRows
	ready   map[int]span // ended, waiting for the trials before them
	next    int          // the next trial, in file order, to go in
	replays map[int]*engine.Recorder
}

type trialRows struct {
	buf   bytes.Buffer
	cw    *csv.Writer
	rows  []engine.RoundStats // for the trial's metrics
	graph *engine.GraphFacts  // round 0's, for the graph's metrics
	rumor [][]engine.RumorStats
	rbuf  bytes.Buffer // its rumors.csv rows
	rcw   *csv.Writer
}

// span is where a spilled trial lies: n bytes of rounds.csv rows from
// off, then its trials.csv row of tn bytes, then rn bytes of rumors.csv
// rows.
type span struct{ off, n, tn, rn int64 }

const spillFile = ".rounds.spill"

func newFileSink(out *results.Out, run *Run) (fs *fileSink, err error) {
	fs = &fileSink{out: out, dir: out.Dir(), run: run, live: map[int]*trialRows{},
		ready: map[int]span{}, replays: map[int]*engine.Recorder{}}
	fs.rowCSV = csv.NewWriter(&fs.row)
	defer func() {
		if err != nil {
			fs.closeFiles()
		}
	}()
	sweep := run.Scenario.SweepKeys()
	if fs.rounds, fs.w, err = createCSV(out, results.RoundsFile, results.RoundsHeader(sweep)); err != nil {
		return nil, err
	}
	if fs.trials, fs.tw, err = createCSV(out, results.TrialsFile, results.TrialsHeader(sweep)); err != nil {
		return nil, err
	}
	for _, p := range run.Points {
		if p.Params.RumorCount() > 1 {
			if fs.rumors, fs.rw, err = createCSV(out, results.RumorsFile, results.RumorsHeader(sweep)); err != nil {
				return nil, err
			}
			break
		}
	}
	return fs, nil
}

// createCSV creates a new file of the result and writes its header.
func createCSV(out *results.Out, name string, header []string) (*os.File, *bufio.Writer, error) {
	f, err := out.Create(name)
	if err != nil {
		return nil, nil, err
	}
	w := bufio.NewWriter(f)
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, w, nil
}

func (fs *fileSink) seq(point, trial int) int { return point*fs.run.Scenario.Trials + trial }

func (fs *fileSink) Record(rec Record) error {
	seq := fs.seq(rec.Point, rec.Trial)
	tr := fs.live[seq]
	if tr == nil {
		tr = &trialRows{}
		tr.cw = csv.NewWriter(&tr.buf)
		tr.rcw = csv.NewWriter(&tr.rbuf)
		fs.live[seq] = tr
	}
	p := fs.run.Points[rec.Point]
	if err := tr.cw.Write(results.AppendRoundRow(nil, p.ID, rec.Trial, rec.RoundStats)); err != nil {
		return err
	}
	tr.rows = append(tr.rows, rec.RoundStats)
	if rec.PerRumor != nil {
		tr.rumor = append(tr.rumor, rec.PerRumor)
		for i, rs := range rec.PerRumor {
			if err := tr.rcw.Write(results.AppendRumorRow(nil, p.ID, rec.Trial, rec.RoundStats.Round, i, rs)); err != nil {
				return err
			}
		}
	}
	if rec.Graph != nil {
		tr.graph = rec.Graph
	}
	if rec.Trial == results.ReplayTrial && p.Params.Nodes <= fs.run.Scenario.Replay.MaxNodes {
		r := fs.replays[rec.Point]
		if r == nil {
			r = engine.NewRecorder(p.Params.Nodes, true)
			fs.replays[rec.Point] = r
		}
		r.Round(rec.Round)
	}
	return nil
}

func (fs *fileSink) End(e TrialEnd) error {
	seq := fs.seq(e.Point, e.Trial)
	tr := fs.live[seq]
	delete(fs.live, seq)
	var rep *engine.Recorder
	if e.Trial == results.ReplayTrial {
		rep = fs.replays[e.Point]
		delete(fs.replays, e.Point)
	}
	p := fs.run.Points[e.Point]
	var rows, rumorRows []byte
	var measured *results.Trial // nil: unmeasured, no rows, no replay
	if e.Unmeasured == nil && tr != nil {
		tr.cw.Flush()
		if err := tr.cw.Error(); err != nil {
			return err
		}
		rows = tr.buf.Bytes()
		tr.rcw.Flush()
		if err := tr.rcw.Error(); err != nil {
			return err
		}
		if fs.rw != nil {
			rumorRows = tr.rbuf.Bytes()
		}
		measured = &results.Trial{Trace: &engine.Trace{Rounds: tr.rows, Graph: tr.graph, PerRumor: tr.rumor}, Params: &p.Params, Wall: e.Wall}
		if rep != nil {
			if err := fs.writeReplay(p, &rep.Trace); err != nil {
				return err
			}
		}
	}
	fs.row.Reset()
	fs.rowCSV.Write(results.AppendTrialRow(nil, p.ID, e.Trial, fs.run.Scenario.TrialSeed(p, e.Trial), measured))
	fs.rowCSV.Flush()
	if err := fs.rowCSV.Error(); err != nil {
		return err
	}
	if seq == fs.next {
		if _, err := fs.w.Write(rows); err != nil {
			return err
		}
		if _, err := fs.tw.Write(fs.row.Bytes()); err != nil {
			return err
		}
		if fs.rw != nil {
			if _, err := fs.rw.Write(rumorRows); err != nil {
				return err
			}
		}
		fs.next++
		return fs.advance()
	}
	if fs.spill == nil {
		// Read back too; O_EXCL, as CreateNew, refuses anything there.
		f, err := os.OpenFile(filepath.Join(fs.dir, spillFile), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		fs.spill = f
	}
	n, err := fs.spill.WriteAt(rows, fs.spilled)
	if err != nil {
		return err
	}
	tn, err := fs.spill.WriteAt(fs.row.Bytes(), fs.spilled+int64(n))
	if err != nil {
		return err
	}
	rn, err := fs.spill.WriteAt(rumorRows, fs.spilled+int64(n+tn))
	if err != nil {
		return err
	}
	fs.ready[seq] = span{fs.spilled, int64(n), int64(tn), int64(rn)}
	fs.spilled += int64(n + tn + rn)
	return nil
}

// advance copies the trials that are next in file order from the spill.
func (fs *fileSink) advance() error {
	for {
		sp, ok := fs.ready[fs.next]
		if !ok {
			return nil
		}
		delete(fs.ready, fs.next)
		if _, err := io.Copy(fs.w, io.NewSectionReader(fs.spill, sp.off, sp.n)); err != nil {
			return err
		}
		if _, err := io.Copy(fs.tw, io.NewSectionReader(fs.spill, sp.off+sp.n, sp.tn)); err != nil {
			return err
		}
		if fs.rw != nil {
			if _, err := io.Copy(fs.rw, io.NewSectionReader(fs.spill, sp.off+sp.n+sp.tn, sp.rn)); err != nil {
				return err
			}
		}
		fs.next++
	}
}

func (fs *fileSink) writeReplay(p Point, tr *engine.Trace) error {
	rf := results.NewReplayFile(fs.run.Scenario.Name, p.ID, p.Params, tr)
	cfg := fs.run.Scenario.Config(p, results.ReplayTrial, true)
	g, err := results.NewReplayGraph(cfg.Topology, cfg.Nodes, cfg.Seed) // the replayed trial's graph, drawn again
	if err != nil {
		return err
	}
	rf.Graph = g
	return fs.out.Replay(rf)
}

// Close finishes rounds.csv and trials.csv once every trial has ended,
// and removes the spill file.
func (fs *fileSink) Close() error {
	err := fs.w.Flush()
	if terr := fs.tw.Flush(); err == nil {
		err = terr
	}
	if fs.rw != nil {
		if rerr := fs.rw.Flush(); err == nil {
			err = rerr
		}
	}
	if total := len(fs.run.Points) * fs.run.Scenario.Trials; err == nil && fs.next != total {
		err = errors.New("rounds.csv, trials.csv: the run ended with trials missing")
	}
	if cerr := fs.closeFiles(); err == nil {
		err = cerr
	}
	return err
}

// closeFiles closes the files and removes the spill.
func (fs *fileSink) closeFiles() error {
	var err error
	for _, f := range []*os.File{fs.rounds, fs.trials, fs.rumors} {
		if f != nil {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	}
	if fs.spill != nil {
		fs.spill.Close()
		if rerr := os.Remove(fs.spill.Name()); err == nil {
			err = rerr
		}
	}
	return err
}
