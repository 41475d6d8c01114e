package compare

import (
	"strings"
	"testing"
)

func TestParseGate(t *testing.T) {
	good := []struct {
		spec, canon string
	}{
		{"rounds_to_full>+5%", "rounds_to_full>+5%"},
		{"rounds_to_full>5%", "rounds_to_full>+5%"},
		{" messages_per_node > +10% ", "messages_per_node>+10%"},
		{"converged<-1%", "converged<-1%"},
		{"converged<1%", "converged<-1%"},
		{"rounds_to_99>+0.5", "rounds_to_99>+0.5"},
		{"wall_seconds>.25", "wall_seconds>+0.25"},
		{"redundancy>0", "redundancy>+0"},
	}
	for _, c := range good {
		g, err := ParseGate(c.spec)
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if g.String() != c.canon {
			t.Errorf("%q parsed as %s, want %s", c.spec, g, c.canon)
		}
	}
	bad := []struct{ spec, msg string }{
		{"rounds_to_full", "want METRIC>CHANGE"},
		{"rounds>+5%", `unknown metric "rounds"; allowed: rounds_to_50, rounds_to_90, rounds_to_99, rounds_to_full, messages_per_node, redundancy, residue, failed_fraction, bytes_per_node, bytes_per_message, seconds_per_round, graph_degree_mean, graph_degree_min, graph_degree_max, graph_source_component, graph_connected, graph_diameter, graph_diameter_exact, rounds_to_quiet, last_informed_round, mean_informed_round, rounds_to_999, rounds_to_reconverge, cut_messages, cut_fraction, converged, wall_seconds`},
		{"rounds_to_full>+5%%", "is not a change"},
		{"rounds_to_full>inf", "is not a change"},
		{"rounds_to_full>", "is not a change"},
		{"rounds_to_full>=5%", "is not a change"},
		{"rounds_to_full>-5%", "contradicts"},
		{"converged<+1%", "contradicts"},
	}
	for _, c := range bad {
		if _, err := ParseGate(c.spec); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want one containing %q", c.spec, err, c.msg)
		}
	}
}

func TestGateTrips(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	row := func(metric string, base, delta float64, sig bool) *Row {
		r := &Row{Metric: metric, Base: &Sample{N: 30, Mean: base}, New: &Sample{N: 30, Mean: base + delta},
			Delta: f(delta), Significant: sig, P: f(0.5)}
		if base != 0 {
			r.DeltaPct = f(100 * delta / base)
		}
		return r
	}
	cases := []struct {
		gate string
		row  *Row
		want bool
	}{
		{"rounds_to_full>+5%", row("rounds_to_full", 10, 1, true), true},
		{"rounds_to_full>+5%", row("rounds_to_full", 10, 0.5, true), false}, // exactly 5 % is not beyond
		{"rounds_to_full>+5%", row("rounds_to_full", 10, 1, false), false},  // noise never trips
		{"rounds_to_full>+5%", row("rounds_to_full", 10, -1, true), false},  // wrong direction
		{"rounds_to_full>+5%", row("rounds_to_99", 10, 1, true), false},     // other metric
		{"rounds_to_99>+0.5", row("rounds_to_99", 10, 0.6, true), true},
		{"rounds_to_99>+0.5", row("rounds_to_99", 10, 0.4, true), false},
		{"converged<-1%", row("converged", 1, -0.1, true), true},
		{"converged<-1%", row("converged", 1, 0.1, true), false},
		{"residue>+5%", row("residue", 0, 0.01, true), true}, // from 0, any increase is beyond any %
		{"redundancy>0", row("redundancy", 0.5, 0.001, true), true},
	}
	for _, c := range cases {
		g, err := ParseGate(c.gate)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.trips(c.row); got != c.want {
			t.Errorf("%s on %s delta %g significant %v: trips %v, want %v", c.gate, c.row.Metric, *c.row.Delta, c.row.Significant, got, c.want)
		}
	}
}
