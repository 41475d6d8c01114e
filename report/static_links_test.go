package report

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// The static chart links read "(PNG, SVG)": no gap between a link and the
// comma or parenthesis after it, measured in the browser, where a margin
// on the links once drew "(PNG , SVG )".
func TestStaticLinksHaveNoGap(t *testing.T) {
	root := renderSample(t)
	b := newBrowser(t)
	const gaps = `Array.from(document.querySelectorAll('.static a')).map(function (a) {
  var n = a.nextSibling;
  if (!n || n.nodeType !== 3 || n.length === 0) return -1;
  var r = document.createRange();
  r.setStart(n, 0);
  r.setEnd(n, 1);
  return r.getBoundingClientRect().left - a.getBoundingClientRect().right;
})`
	var got []float64
	var text string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+filepath.Join(root, "sample", "index.html")),
		chromedp.WaitReady(`.static`),
		chromedp.Evaluate(gaps, &got),
		chromedp.Text(`.static span`, &text),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no static chart links on the page")
	}
	for i, g := range got {
		if g < 0 || g > 0.5 {
			t.Errorf("link %d: %.1f px between it and the text after it (-1: no text after it), want none", i, g)
		}
	}
	if want := "convergence (PNG, SVG)"; text != want {
		t.Errorf("first static entry reads %q, want %q", text, want)
	}
	check(t, b)
}
