// Package termtext makes text from outside (result files, scenario files,
// command-line values echoed in messages) safe to print on a terminal.
package termtext

import (
	"strconv"
	"strings"
	"unicode"
)

// Escape escapes, Go style (\x1b, \n, \u202e), the characters of s that a
// terminal or an editor would act on rather than show: control characters
// (escape sequences retitle, recolour or clear a terminal; a newline fakes
// a line of the output), line separators and bidirectional overrides.
func Escape(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hidden(r rune) bool { return !unicode.IsGraphic(r) }
