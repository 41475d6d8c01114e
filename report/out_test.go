package report

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// tree lists every entry below dir with what identifies its content: a
// file's size and hash, a directory's modification time (a file created
// and removed in it, a staged page, changes it), a link's target.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "link " + target
		case info.IsDir():
			out[rel] = "dir " + info.ModTime().String()
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = fmt.Sprintf("%v %x", info.Mode(), sha256.Sum256(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// report --out renders elsewhere: the results are left byte for byte as
// they were, nothing is added to them, and the pages are where they would
// be inside the results, in a directory that did not exist.
func TestRenderToLeavesResultsAlone(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "downloaded #1") // '#' ends a URL's path unless escaped
	writeResults(t, root, sampleScenarios)
	before := tree(t, root)
	dest := filepath.Join(base, "pages", "new dir")
	out, err := RenderTo(root, dest)
	if err != nil {
		t.Fatal(err)
	}
	if after := tree(t, root); !maps.Equal(before, after) {
		t.Errorf("report --out changed the results:\nbefore %v\nafter  %v", before, after)
	}
	if out.Index != filepath.Join(dest, "index.html") || len(out.Scenarios) != 3 || out.Replays != 4 {
		t.Errorf("rendered %+v", out)
	}
	for _, f := range []string{"index.html", "assets/echarts.min.js", "sample/index.html", "sample/replay/fanout=2.html",
		"sample/charts/convergence.svg", "grid/index.html", "single/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Error(err)
		}
	}
	for rel := range tree(t, dest) {
		if strings.HasSuffix(rel, ".json") || strings.HasSuffix(rel, ".csv") || strings.HasSuffix(rel, ".yaml") {
			t.Errorf("%s: a result file copied into the pages' directory", rel)
		}
	}
}

// report --out inside a scenario's result directory would write the index
// over that scenario's page and every scenario's pages into it: refused,
// as bad input, with nothing written. The results directory itself is a
// plain report, and a directory beside the scenarios is left alone by
// them.
func TestRenderToRefusesInsideAResult(t *testing.T) {
	root := filepath.Join(t.TempDir(), "results")
	writeResults(t, root, map[string]string{"single": sampleScenarios["single"]})
	before := tree(t, root)
	for _, dest := range []string{filepath.Join(root, "single"), filepath.Join(root, "single", "pages"),
		filepath.Join(root, "single", "replay")} {
		_, err := RenderTo(root, dest)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "inside the result "+filepath.Join(root, "single")) {
			t.Errorf("--out %s: error %v, want an *InputError naming the result", dest, err)
		}
		if after := tree(t, root); !maps.Equal(before, after) {
			t.Errorf("--out %s changed the results", dest)
		}
	}
	if _, err := RenderTo(root, filepath.Join(root, "pages")); err != nil {
		t.Errorf("--out beside the scenarios: %v", err)
	}
}

// A symlink planted in the --out directory is not written through: it is
// refused where report puts a directory, and nothing lands where it leads.
func TestRenderToRefusesSymlinks(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "results")
	writeResults(t, root, map[string]string{"single": sampleScenarios["single"]})
	dest, elsewhere := filepath.Join(base, "pages"), filepath.Join(base, "elsewhere")
	for _, d := range []string{dest, elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(elsewhere, filepath.Join(dest, "single")); err != nil {
		t.Fatal(err)
	}
	if _, err := RenderTo(root, dest); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Errorf("error %v, want a refused symlink", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
		t.Errorf("report wrote through the symlink: %v", entries)
	}
}

// Every link and script of every page resolves to a file, as Chromium
// resolves it, whether the pages are inside the results or elsewhere
// (report --out), with a '#' and a space in the paths.
func TestEveryLinkResolves(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "downloaded #1")
	writeResults(t, root, sampleScenarios)
	b := newBrowser(t)
	for _, dest := range []string{root, filepath.Join(base, "pages", "new dir")} {
		if _, err := RenderTo(root, dest); err != nil {
			t.Fatal(err)
		}
		var pages []string
		for rel := range tree(t, dest) {
			if strings.HasSuffix(rel, ".html") {
				pages = append(pages, rel)
			}
		}
		slices.Sort(pages)
		if len(pages) != 8 { // index, 3 scenario pages, 4 replays
			t.Fatalf("%s: %d pages %v, want 8", dest, len(pages), pages)
		}
		for _, page := range pages {
			var links []string
			err := chromedp.Run(b.Ctx,
				chromedp.Navigate((&url.URL{Scheme: "file", Path: filepath.Join(dest, page)}).String()),
				chromedp.WaitReady(`body`),
				chromedp.Evaluate(`Array.from(document.querySelectorAll('a[href], script[src], link[href], img[src]'))
  .map(function (e) { return e.href || e.src; })`, &links),
			)
			if err != nil {
				t.Fatal(err)
			}
			if len(links) < 2 {
				t.Errorf("%s: %d links %v, want the way back at least", page, len(links), links)
			}
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil {
					t.Errorf("%s: link %s: %v", page, l, err)
					continue
				}
				if u.Scheme == "data" {
					continue
				}
				if u.Scheme != "file" {
					t.Errorf("%s: link %s leaves the disk", page, l)
					continue
				}
				if _, err := os.Stat(u.Path); err != nil {
					t.Errorf("%s (in %s): link %s: %v", page, dest, l, err)
				}
			}
		}
	}
	check(t, b)
}
