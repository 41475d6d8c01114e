package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
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
func Render(root string) (*Rendered, error) { return RenderTo(root, "") }

// RenderTo is Render writing into dest instead (report --out): dest gets
// index.html, assets/ and <name>/ per scenario, laid out as Render lays
// them in root, and root is only read, so a read-only or downloaded
// result is reported elsewhere. dest is created if missing; "" is root.
func RenderTo(root, dest string) (*Rendered, error) {
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
	// (With dest elsewhere no page goes inside them; the lock still
	// spares rendering again.)
	if dest != "" {
		if err := outsideResults(dest, dirs); err != nil {
			return nil, err
		}
	}
	unlock, err := results.HoldResults(root)
	if err != nil {
		return nil, fmt.Errorf("report: locking %s: %w", root, err)
	}
	defer unlock()
	if dest == "" {
		dest = root
	}
	for attempt := 1; ; attempt++ {
		out, read, err := renderOnce(dest, dirs)
		if attempt < renderAttempts && replaced(read) {
			continue // see renderAttempts: where dir cannot be locked
		}
		return out, err
	}
}

// renderOnce renders every scenario of dirs and the index into dest,
// returning the results it read, to see whether a run replaced one
// meanwhile.
func renderOnce(dest string, dirs []string) (*Rendered, []*results.ResultDir, error) {
	d, err := outdir.Open(dest)
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	defer d.Close()
	out := &Rendered{Index: filepath.Join(dest, results.IndexPage)}
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
	charts, err := static.DrawOf(r.Summary, r.chartTrials(), func(file string, data []byte) error {
		if err := d.Stage(name+"/charts/"+file, data); err != nil {
			return &writeError{err}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: static charts: %w", r.Dir, err)
	}
	page := name + "/" + results.IndexPage
	files := filesHref(d.Path(), name, r.Dir)
	if err := stage(d, page, func(w io.Writer) error { return writeScenarioPage(w, r, replays, charts, files) }); err != nil {
		return err
	}
	out.Replays += len(replays)
	out.Charts += 2 * len(charts)
	out.Scenarios = append(out.Scenarios, filepath.Join(d.Path(), filepath.FromSlash(page)))
	return nil
}

// filesHref is the URL, relative to the scenario page out/<name>/index.html,
// of the directory holding the result's own files (summary.json, ...),
// ending in a slash; "" when the page is in it. Relative, so that the
// pages and the results can move together; a URL is resolved by its
// text, so the path is taken by its text too, never through links.
func filesHref(out, name, dir string) string {
	page, err1 := filepath.Abs(filepath.Join(out, name))
	res, err2 := filepath.Abs(dir)
	if err := errors.Join(err1, err2); err != nil {
		return ""
	}
	rel, err := filepath.Rel(page, res)
	if err != nil { // another volume: only an absolute URL reaches it
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(res) + "/"}).String()
	}
	if rel == "." {
		return ""
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p) // a '#' or '?' in a name is not the URL's
	}
	href := strings.Join(parts, "/") + "/"
	if parts[0] != ".." {
		href = "./" + href // "a:b/" would read as a scheme
	}
	return href
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

// outsideResults refuses a --out directory in one of the results being
// read: the index would land over that scenario's page, and the pages of
// every scenario among its files, which report only reads.
func outsideResults(dest string, dirs []string) error {
	for _, dir := range dirs {
		if outdir.Within(dest, dir) {
			return &InputError{Err: fmt.Errorf("--out %s is inside the result %s, whose files report only reads; choose a directory outside it", dest, dir)}
		}
	}
	return nil
}

// InputError is a result directory that could not be read: a missing,
// truncated or corrupt file, which it names. The other results are still
// rendered.
type InputError struct{ Err error }

func (e *InputError) Error() string { return "report: " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
