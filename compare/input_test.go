package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
	"github.com/gossipbench/gossipbench/report/assets"
)

// Every kind of bad input is an *InputError that names the file at fault.
func TestBadInput(t *testing.T) {
	good := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	summary, _ := os.ReadFile(filepath.Join(good, results.SummaryFile))
	manifest, _ := os.ReadFile(filepath.Join(good, results.ManifestFile))
	var parsed struct{ Points []json.RawMessage }
	json.Unmarshal(summary, &parsed)
	point := string(parsed.Points[0])
	// broken copies the good result and applies a change to the copy.
	broken := func(change func(dir string)) string {
		dir := filepath.Join(t.TempDir(), "demo")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, results.SummaryFile), summary, 0o644)
		os.WriteFile(filepath.Join(dir, results.ManifestFile), manifest, 0o644)
		change(dir)
		return dir
	}
	write := func(name, data string) func(string) {
		return func(dir string) { os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644) }
	}
	cases := []struct {
		name, path, file, msg string
	}{
		{"missing dir", filepath.Join(good, "nope"), "nope", "no such file or directory"},
		{"a file", filepath.Join(good, results.SummaryFile), results.SummaryFile, "not a directory"},
		{"empty dir", t.TempDir(), "", "no results here"},
		{"truncated summary", broken(write(results.SummaryFile, string(summary[:len(summary)/2]))),
			results.SummaryFile, "not valid JSON (truncated or corrupt?)"},
		{"empty summary", broken(write(results.SummaryFile, "")), results.SummaryFile, "not valid JSON"},
		{"newer schema", broken(write(results.SummaryFile, strings.Replace(string(summary), `"schema": 2`, `"schema": 3`, 1))),
			results.SummaryFile, "schema 3, this gossipbench reads schema 2"},
		{"older schema", broken(write(results.SummaryFile, strings.Replace(string(summary), `"schema": 2`, `"schema": 1`, 1))),
			results.SummaryFile, "schema 1, written by an older gossipbench; this one reads schema 2 only: run the scenario again"},
		{"no schema", broken(write(results.SummaryFile, `{"name": "demo", "points": []}`)), results.SummaryFile, `no "schema" field`},
		{"wrong types", broken(write(results.SummaryFile, `{"schema": 2, "name": "demo", "points": {"id": 3}}`)),
			results.SummaryFile, "cannot unmarshal"},
		{"repeated point", broken(write(results.SummaryFile, `{"schema": 2, "name": "demo", "points": [`+point+`, `+point+`]}`)),
			results.SummaryFile, `point "base" appears twice`},
		{"impossible counts", broken(write(results.SummaryFile, regexp.MustCompile(`"converged": [0-9]+`).ReplaceAllString(string(summary), `"converged": 31`))),
			results.SummaryFile, "31 converged of 30 trials"},
		{"truncated manifest", broken(write(results.ManifestFile, string(manifest[:20]))), results.ManifestFile, "not valid JSON"},
		{"manifest schema", broken(write(results.ManifestFile, `{"schema": 7}`)), results.ManifestFile, "schema 7"},
		{"summary missing", broken(func(dir string) { os.Remove(filepath.Join(dir, results.SummaryFile)) }),
			results.SummaryFile, "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compare(good, c.path, options(Welch))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v, want *InputError", err, err)
			}
			if !strings.Contains(err.Error(), filepath.Join(c.path, c.file)) && !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q does not name %s", err, filepath.Join(c.path, c.file))
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q lacks %q", err, c.msg)
			}
		})
	}

	// In a results directory holding many, a broken one is not skipped.
	root := t.TempDir()
	resultstest.Write(t, root, resultstest.Scenario, false)
	os.MkdirAll(filepath.Join(root, "half"), 0o755)
	os.WriteFile(filepath.Join(root, "half", results.ManifestFile), manifest, 0o644)
	if _, err := Compare(good, root, options(Welch)); err == nil || !strings.Contains(err.Error(), filepath.Join(root, "half", results.SummaryFile)) {
		t.Errorf("half-written result: %v", err)
	}

	// A missing manifest only costs the wall times.
	noManifest := broken(func(dir string) { os.Remove(filepath.Join(dir, results.ManifestFile)) })
	rep, err := Compare(good, noManifest, options(Welch))
	if err != nil || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "manifest.json: missing; no wall times") {
		t.Errorf("missing manifest: %v %q", err, rep.Warnings)
	}
}

// Mann-Whitney needs rounds.csv: a missing one is bad input, one that does
// not reproduce summary.json falls back to Welch with a warning.
func TestMannWhitneyNeedsRounds(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 5\n", false)
	rounds := filepath.Join(nw, results.RoundsFile)
	data, _ := os.ReadFile(rounds)
	// Drop trial 0.
	var kept []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasPrefix(line, "base,0,") {
			kept = append(kept, line)
		}
	}
	os.WriteFile(rounds, []byte(strings.Join(kept, "")), 0o644)
	rep, err := Compare(base, nw, options(MannWhitneyU))
	if err != nil {
		t.Fatal(err)
	}
	if r := row(t, rep, "demo", "base", "rounds_to_full"); r.Test != Welch {
		t.Errorf("test %s, want the Welch fallback", r.Test)
	}
	if w := rep.Scenarios[0].Warnings; len(w) == 0 || !strings.Contains(w[0], rounds+": does not reproduce summary.json's rounds_to_50; Welch t used for it") {
		t.Errorf("warnings %q", w)
	}
	os.Remove(rounds)
	var ie *InputError
	if _, err := Compare(base, nw, options(MannWhitneyU)); !errors.As(err, &ie) || !strings.Contains(err.Error(), rounds) {
		t.Errorf("missing rounds.csv: %v", err)
	}
}

// The page opens offline and escapes what the files say.
func TestHTML(t *testing.T) {
	hostile := `description: "<script>alert(1)</script> & <img src=x onerror=alert(2)>"` + "\n"
	yaml := strings.Replace(resultstest.Scenario, "description: pushpull, fanout 2\n", hostile, 1)
	base := resultstest.Write(t, t.TempDir(), yaml+"sweep: {fanout: [1, 2]}\n", false)
	nw := resultstest.Write(t, t.TempDir(), yaml+"loss: 0.3\nsweep: {fanout: [2, 3]}\n", false)
	rep, err := Compare(base, nw, options(Welch, "rounds_to_full>+5%"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "cmp", "compare.html")
	os.MkdirAll(filepath.Dir(out), 0o755)
	if err := rep.WriteHTML(out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	// The page stands alone: nothing but it is written beside it.
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("wrote %v beside the page", entries)
	}
	if !strings.Contains(s, string(assets.ECharts())) || strings.Contains(s, "<script src=") {
		t.Error("page does not inline ECharts")
	}
	s = strings.Replace(s, string(assets.ECharts()), "", 1) // it holds "<img"
	if strings.Contains(s, "<script>alert") || strings.Contains(s, "<img") || !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img") {
		t.Error("the description is not escaped")
	}
	if remote := regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//`).FindString(s); remote != "" {
		t.Errorf("page loads from the network: %s", remote)
	}
	// Three points, three charts: fanout=1 (BASE only), 2 (both), 3 (NEW only).
	if n := strings.Count(s, "echarts.init("); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	for _, want := range []string{"TRIPPED at scenario demo, point fanout=2", "only in BASE", "only in NEW", `"type":"dashed"`} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A shard (run --shard) holds part of a sweep: compare says so rather than
// let its missing points pass for removed ones.
func TestShardWarns(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"sweep: {fanout: [1, 2]}\n", false)
	shard := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"sweep: {fanout: [1]}\n", false)
	path := filepath.Join(shard, results.SummaryFile)
	data, _ := os.ReadFile(path)
	head := fmt.Sprintf(`"schema": %d,`, results.SchemaVersion)
	if !strings.Contains(string(data), head) {
		t.Fatalf("%s lacks %s", path, head)
	}
	os.WriteFile(path, []byte(strings.Replace(string(data), head, head+` "shard": {"index": 1, "count": 2},`, 1)), 0o644)
	rep, err := Compare(base, shard, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	want := "NEW is shard 1/2 of the sweep (run --shard): points of other shards show as only in BASE; merge the shards first"
	if w := rep.Scenarios[0].Warnings; len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q", w)
	}
}

// --html FILE where FILE is a symlink: the page replaces the link and the
// file it pointed to keeps its contents.
func TestHTMLReplacesASymlink(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	rep, err := Compare(base, base, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("precious"), 0o644)
	out := filepath.Join(t.TempDir(), "compare.html")
	if err := os.Symlink(secret, out); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteHTML(out); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(secret); string(got) != "precious" {
		t.Errorf("WriteHTML wrote through the symlink: %.40q", got)
	}
	if st, err := os.Lstat(out); err != nil || !st.Mode().IsRegular() {
		t.Errorf("%s is not the page: %v", out, err)
	}
}

// The terminal is a context too: a host name in a downloaded manifest
// holding escape sequences (which retitle, recolour or clear the terminal)
// or a newline (which fakes a line of the verdict) reached the text and
// markdown output as it was.
func TestTextEscapesControlCharacters(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	path := filepath.Join(nw, results.ManifestFile)
	var m map[string]any
	data, _ := os.ReadFile(path)
	json.Unmarshal(data, &m)
	m["host"].(map[string]any)["name"] = "evil\x1b]0;owned\x07\x1b[2J\nno significant change\u2028\u202e"
	m["version"] = "v\u009b31m"
	data, _ = json.Marshal(m)
	os.WriteFile(path, data, 0o644)
	rep, err := Compare(base, nw, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(w *strings.Builder) error{
		"text":     func(w *strings.Builder) error { return rep.WriteText(w) },
		"markdown": func(w *strings.Builder) error { return rep.WriteMarkdown(w) },
	} {
		var w strings.Builder
		if err := write(&w); err != nil {
			t.Fatal(err)
		}
		out := w.String()
		if strings.ContainsAny(out, "\x1b\x07\u009b\u2028\u202e") || strings.Contains(out, "\nno significant change\\u2028") {
			t.Errorf("%s output passes control characters through: %q", name, out)
		}
		if name == "text" && !strings.Contains(out, `evil\x1b]0;owned\a\x1b[2J\nno significant change\u2028\u202e`) {
			t.Errorf("%s output does not show the host name escaped: %q", name, out)
		}
	}
}
