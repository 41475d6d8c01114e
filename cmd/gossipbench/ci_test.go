package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const workflowFile = "../../.github/workflows/gossipbench.yml"

// workflow is the part of a GitHub Actions workflow this test reads.
type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Name string `yaml:"name"`
			Uses string `yaml:"uses"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

var (
	// A command word: at the start of a line or after ; & | ( then do,
	// so that "apt-get install make" is no call of make.
	makeCall        = regexp.MustCompile(`(?:^|[;&|(]|\bthen|\bdo)\s*make\s+([^;&|<>\n]*)`)
	gossipbenchCall = regexp.MustCompile(`(?:^|[;&|(]|\bthen|\bdo)\s*(?:[\w./-]*/)?gossipbench\s+([^\s;&|<>]+)`)
	makeTarget      = regexp.MustCompile(`(?m)^([A-Za-z0-9_.-]+)\s*:(?:[^=]|$)`)
	scenarioPath    = regexp.MustCompile(`scenarios/[\w.-]+\.yaml`)
	pinnedAction    = regexp.MustCompile(`^[\w.-]+/[\w./-]+@v\d+(\.\d+){0,2}$`)
)

// The workflow may only call make targets the Makefile has and gossipbench
// commands this build registers, run scenario files that exist, and use
// actions pinned to a version tag. actionlint (make lint-workflow) checks
// the rest: syntax, expressions, action inputs, the shell scripts.
func TestWorkflowCallsWhatExists(t *testing.T) {
	data, err := os.ReadFile(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", workflowFile, err)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range makeTarget.FindAllStringSubmatch(string(makefile), -1) {
		targets[m[1]] = true
	}
	registered := map[string]bool{}
	for _, c := range commands {
		registered[c.name] = true
	}

	calledMake, calledCmd := map[string]bool{}, map[string]bool{}
	jobs := make([]string, 0, len(wf.Jobs))
	for name := range wf.Jobs {
		jobs = append(jobs, name)
	}
	sort.Strings(jobs)
	for _, job := range jobs {
		for i, step := range wf.Jobs[job].Steps {
			where := fmt.Sprintf("job %s, step %d (%s)", job, i+1, step.Name+step.Uses)
			if step.Uses != "" && !pinnedAction.MatchString(step.Uses) {
				t.Errorf("%s: action %q is not pinned to a version tag (owner/repo@vN)", where, step.Uses)
			}
			for _, line := range shellLines(step.Run) {
				for _, m := range makeCall.FindAllStringSubmatch(line, -1) {
					for _, f := range strings.Fields(m[1]) {
						if strings.HasPrefix(f, "-") || strings.Contains(f, "=") {
							continue // a flag or a variable
						}
						calledMake[f] = true
						if !targets[f] {
							t.Errorf("%s: make %s: the Makefile has no target %q", where, f, f)
						}
					}
				}
				for _, m := range gossipbenchCall.FindAllStringSubmatch(line, -1) {
					calledCmd[m[1]] = true
					if !registered[m[1]] {
						t.Errorf("%s: gossipbench %s: no such command", where, m[1])
					}
				}
				for _, p := range scenarioPath.FindAllString(line, -1) {
					if _, err := os.Stat("../../" + p); err != nil {
						t.Errorf("%s: %s does not exist", where, p)
					}
				}
			}
		}
	}
	// Guard the test itself: it must see the calls the workflow is for.
	for _, want := range []string{"build", "test", "report"} {
		if !calledMake[want] {
			t.Errorf("found no `make %s` in %s (calls seen: %v)", want, workflowFile, calledMake)
		}
	}
	for _, want := range []string{"run", "merge", "compare"} {
		if !calledCmd[want] {
			t.Errorf("found no `gossipbench %s` in %s (calls seen: %v)", want, workflowFile, calledCmd)
		}
	}
}

// shellLines splits a run script into lines, joining backslash
// continuations and dropping comments.
func shellLines(script string) []string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out []string
	for _, line := range strings.Split(script, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

func TestShellLines(t *testing.T) {
	got := shellLines("# make nothing\nmake build \\\n  test # then make report\nbin/gossipbench run x")
	want := []string{"make build    test", "bin/gossipbench run x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("shellLines = %q, want %q", got, want)
	}
	for line, want := range map[string]string{ // the first target called, if any
		"make build":                      "build",
		"cd x && make report RESULTS=r":   "report",
		"apt-get install -y git make gcc": "",
		"if true; then make test; fi":     "test",
		"for t in a; do make vet; done":   "vet",
		"bin/gossipbench merge --out r":   "",
	} {
		got := ""
		if m := makeCall.FindStringSubmatch(line); m != nil {
			got = strings.Fields(m[1])[0]
		}
		if got != want {
			t.Errorf("make in %q: %q, want %q", line, got, want)
		}
	}
	for line, want := range map[string]string{
		"bin/gossipbench run --shard 1/3":         "run",
		"./gossipbench compare a b >> out":        "compare",
		"x | gossipbench merge d":                 "merge",
		"gh run list --workflow gossipbench.yml":  "",
		"echo results of gossipbench run on main": "",
	} {
		got := ""
		if m := gossipbenchCall.FindStringSubmatch(line); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("gossipbench in %q: %q, want %q", line, got, want)
		}
	}
}
