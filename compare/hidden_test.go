package compare

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// By default the tables list only rows that changed or tripped a gate and
// count the rest; ShowAll lists them all. Loss 0.3 moves the rounds and
// messages but not residue (0 on both sides, "exact"), which must hide.
func TestUnchangedRowsHidden(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", true)
	nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\nloss: 0.3\n", true)
	rep, err := Compare(base, nw, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	changed, unchanged := 0, 0
	for _, r := range rep.Scenarios[0].Points[0].Rows {
		if r.Changed() {
			changed++
		} else {
			unchanged++
		}
	}
	if changed == 0 || unchanged == 0 || row(t, rep, "demo", "base", "residue").Changed() {
		t.Fatalf("%d changed, %d unchanged rows: the case needs both, residue unchanged", changed, unchanged)
	}
	hiddenLine := hiddenText(unchanged)
	page := filepath.Join(t.TempDir(), "cmp.html")
	outputs := func() map[string]string {
		var txt, md bytes.Buffer
		if err := rep.WriteText(&txt); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteHTML(page); err != nil {
			t.Fatal(err)
		}
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"text": txt.String(), "markdown": md.String(), "html": string(html)}
	}
	for format, out := range outputs() {
		if strings.Contains(out, "residue") || !strings.Contains(out, "rounds_to_full") {
			t.Errorf("%s: residue listed or rounds_to_full missing by default", format)
		}
		if !strings.Contains(out, hiddenLine) {
			t.Errorf("%s lacks %q", format, hiddenLine)
		}
	}
	rep.ShowAll = true
	for format, out := range outputs() {
		if !strings.Contains(out, "residue") || strings.Contains(out, "unchanged row") {
			t.Errorf("%s with ShowAll: residue missing or rows hidden", format)
		}
	}
}
