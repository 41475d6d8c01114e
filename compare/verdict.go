package compare

import (
	"fmt"
	"strings"
)

// verdict is the one line on top: what moved, what tripped, what is missing.
func (rep *Report) verdict() string {
	var onlyBase, onlyNew, scBase, scNew int
	for _, sc := range rep.Scenarios {
		switch sc.Status {
		case OnlyBase:
			scBase++
		case OnlyNew:
			scNew++
		}
		for _, pt := range sc.Points {
			switch {
			case sc.Status == Both && pt.Status == OnlyBase:
				onlyBase++
			case sc.Status == Both && pt.Status == OnlyNew:
				onlyNew++
			}
			timed := false // wall_seconds or seconds_per_round: one point either way
			for _, r := range pt.Rows {
				if r.Significant && timing(r.Metric) {
					timed = true
				} else if r.Significant {
					rep.Significant++
				}
			}
			if timed {
				rep.WallChanges++
			}
		}
	}
	parts := []string{plural(rep.Significant, "significant change")}
	if rep.Significant == 0 {
		parts[0] = "no significant change"
	}
	if rep.WallChanges > 0 {
		parts = append(parts, fmt.Sprintf("wall time differs at %s", plural(rep.WallChanges, "point")))
	}
	switch t := rep.Tripped(); {
	case len(rep.Gates) == 0:
	case t == 0:
		parts = append(parts, "no gate tripped")
	case len(rep.Gates) == 1:
		parts = append(parts, "1 gate tripped")
	default:
		parts = append(parts, fmt.Sprintf("%d of %d gates tripped", t, len(rep.Gates)))
	}
	for _, c := range []struct {
		n    int
		what string
	}{{scBase, "scenario"}, {onlyBase, "point"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.what)+" only in BASE")
		}
	}
	for _, c := range []struct {
		n    int
		what string
	}{{scNew, "scenario"}, {onlyNew, "point"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.what)+" only in NEW")
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
