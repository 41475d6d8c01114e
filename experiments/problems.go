package experiments

import (
	"fmt"
	"strings"
)

// InvalidError lists every problem found in a scenario file, each with the
// line and field it is about, so a user fixes them all in one go.
type InvalidError struct {
	File     string
	Problems []Problem
}

// Problem is one thing wrong in a scenario file.
type Problem struct {
	Line  int    // 0 when the problem has no single line (a missing field)
	Field string // "fanout", "sweep.loss[2]", "failures[0].round"; empty for syntax
	Msg   string
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.format(e.File))
	}
	return b.String()
}

func (p Problem) format(file string) string {
	s := file
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	return s + ": " + p.Msg
}
