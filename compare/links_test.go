package compare

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// The page links to each side's scenario page by a relative, escaped link
// that resolves, from the page's directory, to that very file; a side with
// no report is named instead of linked.
func TestHTMLLinksToBothReports(t *testing.T) {
	root := t.TempDir()
	base := resultstest.Write(t, filepath.Join(root, `a b#c?d&"e`), resultstest.Scenario+"seed: 1\n", false)
	nw := resultstest.Write(t, filepath.Join(root, "x:y"), resultstest.Scenario+"seed: 2\n", false)
	if err := os.WriteFile(filepath.Join(base, results.IndexPage), []byte("base report"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(base, nw, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(root, "out", "deep"), root} {
		page := filepath.Join(dir, "cmp.html")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteHTML(page); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		links := regexp.MustCompile(`<a href="([^"]*)">BASE `).FindAllStringSubmatch(string(data), -1)
		if len(links) != 1 {
			t.Fatalf("%s: %d links to BASE's report, want 1", page, len(links))
		}
		href := strings.ReplaceAll(links[0][1], "&amp;", "&") // attribute escaping
		u, err := url.Parse(href)
		if err != nil || u.Scheme != "" || u.IsAbs() || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("%s: href %q is not a plain relative path (%v)", page, href, err)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(u.Path)))
		if err != nil || string(got) != "base report" {
			t.Errorf("%s: href %q does not lead to BASE's report: %v", page, href, err)
		}
		if strings.Contains(string(data), `>NEW <code>`) || !strings.Contains(string(data), "has no report page (<code>gossipbench report</code> writes one)") {
			t.Errorf("%s: NEW, which has no report, is linked or not named", page)
		}
	}
	// A relative path whose first segment holds a colon must not read as a
	// scheme ("x:y/demo/index.html").
	if h := reportHref(filepath.Join(root, "p.html"), filepath.Join(root, "x:y", "index.html")); h != "./x:y/index.html" {
		t.Errorf("href %q", h)
	}
}
