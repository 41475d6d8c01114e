package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/version"
	"github.com/gossipbench/gossipbench/report/assets"
	"github.com/gossipbench/gossipbench/report/replay"
	"github.com/gossipbench/gossipbench/report/static"
)

// Rendered says what Render wrote.
type Rendered struct {
	Index     string   // path of index.html
	Scenarios []string // scenario pages
	Replays   int
	Charts    int // static chart files
}

// Render writes index.html into root and a page, replays and static charts
// into every scenario result directory found under root. A directory that
// cannot be read is reported, with its file, after the others are
// rendered; the index lists the good ones.
//
// Every file is staged first and all are renamed into place at the end,
// never through a symlink (see outdir): when a write fails, a full disk
// say, nothing is replaced, so a good page is never swapped for a worse one.
func Render(root string) (*Rendered, error) {
	dirs, single, err := results.FindResults(root)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if single {
		// A single scenario's directory: render the whole results dir it is in.
		root = filepath.Dir(root)
		if dirs, _, err = results.FindResults(root); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	// Runs swap results in whole, but report writes its pages inside them,
	// and a run swapping one in meanwhile leaves pages of the old result
	// in the new one. Runs that follow each other closely would do so on
	// every attempt, and a directory's inode number can come back after a
	// swap, hiding it; so report holds the runs' lock, which keeps them
	// from swapping in results (they wait) until the pages are in place.
	unlock, err := results.HoldResults(root)
	if err != nil {
		return nil, fmt.Errorf("report: locking %s: %w", root, err)
	}
	defer unlock()
	for attempt := 1; ; attempt++ {
		out, read, err := renderOnce(root, dirs)
		if attempt < renderAttempts && replaced(read) {
			continue // see renderAttempts: where dir cannot be locked
		}
		return out, err
	}
}

// renderOnce renders every scenario of dirs and the index, returning the
// results it read, to see whether a run replaced one meanwhile.
func renderOnce(root string, dirs []string) (*Rendered, []*results.ResultDir, error) {
	d, err := outdir.Open(root)
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	defer d.Close()
	out := &Rendered{Index: filepath.Join(root, results.IndexPage)}
	var loaded []*Result
	var read []*results.ResultDir
	var errs []error
	for _, dir := range dirs {
		if name := filepath.Base(dir); results.Reserved(name) {
			errs = append(errs, &InputError{Err: fmt.Errorf("%s: the name %s is the report's own; rename the directory (reserved: %s)",
				dir, name, results.ReservedNames())})
			continue
		}
		r, rd, err := renderDir(d, dir, out)
		if rd != nil {
			read = append(read, rd)
		}
		if err != nil {
			var ie *InputError
			var we *writeError
			if !errors.As(err, &ie) && errors.As(err, &we) {
				// Not the input's fault (a full disk): stop before replacing anything.
				return nil, read, fmt.Errorf("%w (nothing was replaced)", err)
			}
			errs = append(errs, err)
			continue
		}
		loaded = append(loaded, r)
	}
	if err := commit(d, loaded); err != nil {
		err = fmt.Errorf("%w (nothing was replaced)", err)
		if outdir.InTheWay(err) { // in assets/, say: no report can be written
			return nil, read, &InputError{Err: err}
		}
		return nil, read, fmt.Errorf("report: %w", err)
	}
	return out, read, errors.Join(errs...)
}

// commit stages the assets and the index of results beside the scenario
// pages already staged in d, then puts everything in place.
func commit(d *outdir.Dir, loaded []*Result) error {
	err := assets.Each(func(name string, data []byte) error { return d.Stage(assets.Dir+"/"+name, data) })
	if err == nil {
		err = stage(d, results.IndexPage, func(w io.Writer) error { return writeIndex(w, loaded, version.Get().String()) })
	}
	if err == nil {
		err = d.Commit()
	}
	return err
}

// renderScenario stages a scenario's pages and charts in d, and counts
// them in out once all are staged.
func renderScenario(d *outdir.Dir, r *Result, out *Rendered) error {
	name := filepath.Base(r.Dir)
	replays := map[string]string{}
	for _, p := range r.Summary.Points {
		if p.Replay == "" {
			continue
		}
		rf, err := r.files.Replay(p.ID)
		if err != nil {
			return err
		}
		page := strings.TrimSuffix(p.Replay, ".json") + ".html"
		title := fmt.Sprintf("%s: %s", r.Summary.Name, p.ID)
		err = stage(d, name+"/"+page, func(w io.Writer) error {
			return replay.Page(w, rf, title, "../"+results.IndexPage)
		})
		if err != nil {
			return err
		}
		replays[p.ID] = page
	}
	charts, err := static.Draw(r.Summary, r.RoundsToFull, func(file string, data []byte) error {
		if err := d.Stage(name+"/charts/"+file, data); err != nil {
			return &writeError{err}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: static charts: %w", r.Dir, err)
	}
	page := name + "/" + results.IndexPage
	if err := stage(d, page, func(w io.Writer) error { return writeScenarioPage(w, r, replays, charts) }); err != nil {
		return err
	}
	out.Replays += len(replays)
	out.Charts += 2 * len(charts)
	out.Scenarios = append(out.Scenarios, filepath.Join(d.Path(), filepath.FromSlash(page)))
	return nil
}

// stage renders into memory and stages the result as rel in d. A failed
// render is the input's fault; a failed write is a writeError.
func stage(d *outdir.Dir, rel string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(d.Path(), rel), err)
	}
	if err := d.Stage(rel, buf.Bytes()); err != nil {
		return &writeError{err}
	}
	return nil
}

// writeError is a file that could not be written (not a result that could
// not be read): it stops the whole report, so nothing is half-replaced.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// InputError is a result directory that could not be read: a missing,
// truncated or corrupt file, which it names. The other results are still
// rendered.
type InputError struct{ Err error }

func (e *InputError) Error() string { return "report: " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
