package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// The design document is cited by section from code comments and the
// README; these tests keep the citations pointing at sections that exist,
// and the document's examples equal to what the code reads and writes.

const (
	repoRoot   = "../.."
	designFile = repoRoot + "/docs/design.md"
)

var (
	designHeading = regexp.MustCompile(`(?m)^#{2,4} (.+)$`)
	// docs/design.md, "Round semantics" (a citation may wrap across
	// comment lines; see joinComment).
	designCite   = regexp.MustCompile(`docs/design\.md, (?:section )?"([^"]+)"`)
	designAnchor = regexp.MustCompile(`docs/design\.md#([\w-]+)|\]\(#([\w-]+)\)`)
	// A line break inside a comment: the newline and the next line's
	// comment marker.
	commentBreak = regexp.MustCompile(`[ \t]*\n[ \t]*(?://|#)?[ \t]*`)
)

// designSections are the headings of docs/design.md, and their GitHub
// anchors.
func designSections(t *testing.T) (headings, anchors map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(designFile)
	if err != nil {
		t.Fatal(err)
	}
	headings, anchors = map[string]bool{}, map[string]bool{}
	for _, m := range designHeading.FindAllStringSubmatch(string(data), -1) {
		headings[m[1]] = true
		anchors[anchor(m[1])] = true
	}
	return headings, anchors
}

// anchor is GitHub's anchor of a heading: lower case, punctuation dropped,
// spaces as hyphens.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestDesignCitationsExist(t *testing.T) {
	headings, anchors := designSections(t)
	cited := 0
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "results" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".yaml":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := commentBreak.ReplaceAllString(string(data), " ")
		for _, m := range designCite.FindAllStringSubmatch(text, -1) {
			cited++
			if !headings[m[1]] {
				t.Errorf("%s cites docs/design.md, %q: no such section", path, m[1])
			}
		}
		for _, m := range designAnchor.FindAllStringSubmatch(text, -1) {
			a := m[1] + m[2]
			if m[2] != "" && filepath.Clean(path) != filepath.Clean(designFile) {
				continue // a link within another document
			}
			if !anchors[a] {
				t.Errorf("%s links to docs/design.md#%s: no such section", path, a)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited < 10 {
		t.Errorf("found %d citations of docs/design.md; the pattern no longer matches how code cites it", cited)
	}
}

func TestDesignCitationCheckFails(t *testing.T) {
	headings, _ := designSections(t)
	text := commentBreak.ReplaceAllString("// see docs/design.md, \"Round\n// semantics\" and docs/design.md, \"No such\"", " ")
	var found []string
	for _, m := range designCite.FindAllStringSubmatch(text, -1) {
		found = append(found, m[1])
	}
	if len(found) != 2 || !headings[found[0]] || headings[found[1]] {
		t.Errorf("citations %q: want a wrapped one that exists and one that does not", found)
	}
}

// section is the text of the section under heading, up to the next heading
// of its level or above.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("%s has no heading %q", designFile, heading)
	}
	rest := doc[i+len(heading)+2:]
	level := len(strings.Fields(heading)[0])
	if j := regexp.MustCompile(`(?m)^#{1,` + strconv.Itoa(level) + `} `).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return rest
}

// firstBlock is the first fenced code block of a text.
func firstBlock(t *testing.T, text, lang string) string {
	t.Helper()
	open := "```" + lang + "\n"
	i := strings.Index(text, open)
	if i < 0 {
		t.Fatalf("no ```%s block", lang)
	}
	body := text[i+len(open):]
	j := strings.Index(body, "```")
	if j < 0 {
		t.Fatalf("unclosed ```%s block", lang)
	}
	return body[:j]
}

func TestDesignScenarioExampleIsTheTestedOne(t *testing.T) {
	doc, err := os.ReadFile(designFile)
	if err != nil {
		t.Fatal(err)
	}
	got := firstBlock(t, section(t, string(doc), "## Scenario file"), "yaml")
	file, err := os.ReadFile(repoRoot + "/experiments/testdata/valid/design_example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := strings.Cut(string(file), "\n") // its first line says where it comes from
	if got != want {
		t.Errorf("the example in docs/design.md, \"Scenario file\", differs from experiments/testdata/valid/design_example.yaml:\n%s\nwant:\n%s", got, want)
	}
	if _, err := experiments.Parse("design.md", []byte(got)); err != nil {
		t.Errorf("the example does not load: %v", err)
	}
}

func TestDesignRoundsHeader(t *testing.T) {
	doc, err := os.ReadFile(designFile)
	if err != nil {
		t.Fatal(err)
	}
	block := firstBlock(t, section(t, string(doc), "### rounds.csv"), "")
	header, _, _ := strings.Cut(block, "\n")
	if want := strings.Join(results.RoundsHeader([]string{"fanout"}), ","); header != want {
		t.Errorf("docs/design.md, \"rounds.csv\": header %q, rounds.csv has %q", header, want)
	}
}
