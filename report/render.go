package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/atomicfile"
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
func Render(root string) (*Rendered, error) {
	dirs, single, err := experiments.FindResults(root)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if single {
		// A single scenario's directory: render the whole results dir it is in.
		root = filepath.Dir(root)
		if dirs, _, err = experiments.FindResults(root); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	out := &Rendered{Index: filepath.Join(root, "index.html")}
	var results []*Result
	var errs []error
	for _, dir := range dirs {
		r, err := renderDir(dir, out)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, r)
	}
	if err := assets.WriteTo(root); err != nil {
		return nil, fmt.Errorf("report: writing assets: %w", err)
	}
	err = writeFile(out.Index, func(w io.Writer) error { return writeIndex(w, results, version.Get().String()) })
	if err != nil {
		errs = append(errs, fmt.Errorf("report: %w", err))
	}
	return out, errors.Join(errs...)
}

func renderScenario(r *Result, out *Rendered) error {
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
		err = writeFile(filepath.Join(r.Dir, page), func(w io.Writer) error {
			return replay.Page(w, rf, title, "../index.html")
		})
		if err != nil {
			return err
		}
		replays[p.ID] = page
		out.Replays++
	}
	chartsDir := filepath.Join(r.Dir, "charts")
	if err := os.MkdirAll(chartsDir, 0o755); err != nil {
		return err
	}
	static, err := static.Charts(chartsDir, r.Summary)
	if err != nil {
		return fmt.Errorf("%s: static charts: %w", r.Dir, err)
	}
	out.Charts += 2 * len(static)
	page := filepath.Join(r.Dir, "index.html")
	if err := writeFile(page, func(w io.Writer) error { return writeScenarioPage(w, r, replays, static) }); err != nil {
		return err
	}
	out.Scenarios = append(out.Scenarios, page)
	return nil
}

// writeFile renders into memory and then replaces path in one rename, so a
// failed render never leaves half a page.
func writeFile(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.WriteFile(path, buf.Bytes(), 0o644)
}

// InputError is a result directory that could not be read: a missing,
// truncated or corrupt file, which it names. The other results are still
// rendered.
type InputError struct{ Err error }

func (e *InputError) Error() string { return "report: " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }
