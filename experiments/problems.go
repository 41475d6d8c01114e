package experiments

import (
	"fmt"
	"strings"

	"github.com/gossipbench/gossipbench/internal/termtext"
)

// InvalidError lists every problem found in a scenario file, each with the
// line and field it is about, so a user fixes them all in one go.
type InvalidError struct {
	File     string
	Problems []Problem
	Sets     []string // the run --set texts, which a negative Line names
}

// Problem is one thing wrong in a scenario file.
type Problem struct {
	Line  int    // 0 when the problem has no single line (a missing field); -i for the i-th --set
	Field string // "fanout", "sweep.loss[2]", "failures[0].round"; empty for syntax
	Msg   string
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.format(e.File, e.Sets))
	}
	return b.String()
}

func (p Problem) format(file string, sets []string) string {
	s := file
	switch {
	case p.Line > 0:
		s += fmt.Sprintf(":%d", p.Line)
	case p.Line < 0 && -p.Line <= len(sets):
		s += ": --set " + sets[-p.Line-1]
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	// A field is a key of the file, as its YAML spells it, escapes and all;
	// a --set is as typed: neither may drive the terminal.
	return termtext.Escape(s + ": " + p.Msg)
}
