package report

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// reproduce is the command that runs a result's scenario again. Its paths
// are the result directory as report was given it, so the command works
// copy-pasted in the directory report ran in (the page says so), and
// --out names the results directory the result sits in: the rerun
// replaces the result with the same numbers, not a copy nested one level
// down (results/results/) as a bare "run" from inside it would write.
func reproduce(r *Result) string {
	file := filepath.Join(r.Dir, results.ScenarioFile)
	if strings.HasPrefix(file, "-") { // or run would take it for a flag
		file = "./" + file
	}
	cmd := fmt.Sprintf("gossipbench run --seed %d --trials %d", r.Summary.Seed, r.Manifest.Trials)
	// The engine as run: --engine on the first run is not in the
	// scenario file's copy. A scenario that sweeps engine names them all.
	if !slices.Contains(r.Summary.Sweep, "engine") {
		cmd += " --engine " + shellQuote(r.Summary.Engine)
	}
	if sh := r.Summary.Shard; sh != nil {
		cmd += " --shard " + sh.String()
	}
	return cmd + " --out " + shellQuote(filepath.Dir(r.Dir)) + " " + shellQuote(file)
}

// shellCommand is a command line as a POSIX shell would take it back:
// each argument one word (shellQuote), so the page's "As run:" pastes as
// the arguments the run was given.
func shellCommand(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = shellQuote(a)
	}
	return strings.Join(words, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./,=:@%+-]+$`)

// shellQuote makes a path or an argument one word for a POSIX shell: a
// directory with a space or a quote in its name, a --set value with '&',
// must still paste as one argument.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
