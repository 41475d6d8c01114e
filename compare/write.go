package compare

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as aligned tables, one per scenario.
func (rep *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "BASE %s\nNEW  %s\n", rep.Base, rep.New)
	fmt.Fprintf(bw, "alpha %g; %s\n", rep.Alpha, rep.testsText())
	for _, wa := range rep.Warnings {
		fmt.Fprintf(bw, "warning: %s\n", printable(wa))
	}
	fmt.Fprintf(bw, "\n%s\n", rep.Verdict)
	for _, sc := range rep.Scenarios {
		fmt.Fprintf(bw, "\n== %s", printable(sc.Name))
		if s := statusText(sc.Status); s != "" {
			fmt.Fprintf(bw, " (%s)", s)
		}
		fmt.Fprintln(bw)
		for _, n := range append(sc.Notes, sc.pointNotes()...) {
			fmt.Fprintf(bw, "note: %s\n", printable(n))
		}
		for _, wa := range sc.Warnings {
			fmt.Fprintf(bw, "warning: %s\n", printable(wa))
		}
		if sc.Status != Both {
			for _, pt := range sc.Points {
				fmt.Fprintf(bw, "  %s\n", pt.ID)
			}
			continue
		}
		var table bytes.Buffer
		tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "point\tmetric\tbase\tnew\tdelta\tdelta %\tp\ttest")
		lines, hidden := 0, 0
		for _, pt := range sc.Points {
			if pt.Status != Both {
				fmt.Fprintf(tw, "%s\t(%s)\t\t\t\t\t\t\t\n", pt.ID, statusText(pt.Status))
				lines++
				continue
			}
			rows, h := rep.shown(pt)
			hidden += h
			lines += len(rows)
			for i, r := range rows {
				id := ""
				if i == 0 {
					id = pt.ID
				}
				c := r.cells()
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, r.Metric, c.Base, c.New, c.Delta, c.DeltaPct, c.P, c.Test, c.Mark)
			}
		}
		tw.Flush()
		if lines == 0 {
			table.Reset() // a header over nothing
		}
		for _, line := range strings.SplitAfter(table.String(), "\n") {
			bw.WriteString(strings.TrimRight(line, " \n")) // no padding after the last cell
			if line != "" {
				bw.WriteString("\n")
			}
		}
		if hidden > 0 {
			fmt.Fprintln(bw, hiddenText(hidden))
		}
	}
	fmt.Fprintf(bw, "\n%s\n", Legend)
	rep.writeGates(bw, "  ", "")
	return bw.Flush()
}

// writeGates lists every gate and where it tripped.
func (rep *Report) writeGates(w io.Writer, bullet, esc string) {
	if len(rep.Gates) == 0 {
		return
	}
	if esc == "md" {
		fmt.Fprint(w, "\n**Gates**\n\n")
	} else {
		fmt.Fprintln(w, "\ngates:")
	}
	for _, g := range rep.Gates {
		if len(g.Tripped) == 0 {
			fmt.Fprintf(w, "%s%s: not tripped\n", bullet, mdIf(esc, g.Spec))
			continue
		}
		for _, t := range g.Tripped {
			fmt.Fprintf(w, "%s%s: TRIPPED at %s\n", bullet, mdIf(esc, g.Spec), mdIf(esc, tripText(t)))
		}
	}
}

// WriteMarkdown writes a GitHub-flavoured report for CI job summaries: the
// verdict first, then a table per scenario.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "**gossipbench compare: %s**\n\n", md(rep.Verdict))
	fmt.Fprintf(bw, "BASE %s → NEW %s; alpha %g; %s.\n", md(rep.Base), md(rep.New), rep.Alpha, md(rep.testsText()))
	for _, wa := range rep.Warnings {
		fmt.Fprintf(bw, "\n> warning: %s\n", md(wa))
	}
	for _, sc := range rep.Scenarios {
		fmt.Fprintf(bw, "\n### %s", md(sc.Name))
		if s := statusText(sc.Status); s != "" {
			fmt.Fprintf(bw, " (%s)", s)
		}
		fmt.Fprintln(bw)
		var notes []string
		for _, n := range append(sc.Notes, sc.pointNotes()...) {
			notes = append(notes, "- note: "+md(n))
		}
		for _, wa := range sc.Warnings {
			notes = append(notes, "- **warning**: "+md(wa))
		}
		if sc.Status != Both {
			for _, pt := range sc.Points {
				notes = append(notes, "- "+md(pt.ID))
			}
		}
		if len(notes) > 0 {
			fmt.Fprintf(bw, "\n%s\n", strings.Join(notes, "\n"))
		}
		if sc.Status != Both {
			continue
		}
		var table strings.Builder
		hidden := 0
		for _, pt := range sc.Points {
			if pt.Status != Both {
				fmt.Fprintf(&table, "| %s | *%s* | | | | | | | |\n", md(pt.ID), statusText(pt.Status))
				continue
			}
			rows, h := rep.shown(pt)
			hidden += h
			for i, r := range rows {
				id := ""
				if i == 0 {
					id = md(pt.ID)
				}
				c := r.cells()
				mark := c.Mark
				if mark != "~" && mark != "" {
					mark = "**" + mark + "**"
				}
				fmt.Fprintf(&table, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", id, r.Metric,
					c.Base, c.New, c.Delta, c.DeltaPct, md(c.P), c.Test, mark)
			}
		}
		if table.Len() > 0 {
			fmt.Fprintln(bw, "\n| point | metric | base | new | delta | delta % | p | test | |")
			fmt.Fprintln(bw, "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
			bw.WriteString(table.String())
		}
		if hidden > 0 {
			fmt.Fprintf(bw, "\n%s\n", md(hiddenText(hidden)))
		}
	}
	fmt.Fprintf(bw, "\n%s\n", Legend)
	rep.writeGates(bw, "- ", "md")
	return bw.Flush()
}

// WriteJSON writes the report as indented JSON (see Report).
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func mdIf(esc, s string) string {
	if esc == "md" {
		return md(s)
	}
	return s
}

// md escapes text that came from files (names, point IDs, paths) so it
// stays text in a markdown table: no cell breaks, links, emphasis or HTML,
// and nothing a terminal acts on (printable).
var mdReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "#", `\#`, "\n", " ", "\r", " ")

func md(s string) string { return mdReplacer.Replace(printable(s)) }
