package compare

import (
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// htmlLink is a side's report as the compare page links to it. Href is
// empty when the results directory has no report page yet.
type htmlLink struct {
	Side, Dir string
	Href      template.URL // escaped by reportHref
}

// reportLink links the page at page to dir's report page (index.html), by
// a relative link where one exists, so the page and the results can be
// moved or published together.
func reportLink(page, side, dir string) htmlLink {
	l := htmlLink{Side: side, Dir: dir}
	index := filepath.Join(dir, results.IndexPage)
	if st, err := os.Stat(index); err != nil || !st.Mode().IsRegular() {
		return l
	}
	l.Href = reportHref(page, index)
	return l
}

// reportHref is target as a URL from the directory of page: each path
// segment escaped (a directory may be called "a b#c?" or "x:y"), "./"
// first so no segment reads as a scheme, and a file: URL where no
// relative path exists (another volume on Windows).
func reportHref(page, target string) template.URL {
	from, err1 := filepath.Abs(filepath.Dir(page))
	to, err2 := filepath.Abs(target)
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		return template.URL((&url.URL{Scheme: "file", Path: filepath.ToSlash(to)}).String())
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	href := strings.Join(parts, "/")
	if !strings.HasPrefix(href, "../") {
		href = "./" + href
	}
	return template.URL(href)
}
