package results

import (
	"fmt"
	"math"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// The graph metrics: facts of the graph a trial ran on (engine.GraphFacts,
// which engines give in round 0 off the complete graph), so that a result
// says what its overlay was like. They are metrics like the others, per
// trial with their statistics in summary.json, because every trial draws
// its own graph (docs/design.md, "Graph facts").
const (
	GraphDegreeMean      = "graph_degree_mean"
	GraphDegreeMin       = "graph_degree_min"
	GraphDegreeMax       = "graph_degree_max"
	GraphSourceComponent = "graph_source_component" // a share of nodes
	GraphConnected       = "graph_connected"        // 1 or 0: the mean is the share of trials connected
	GraphDiameter        = "graph_diameter"
	GraphDiameterExact   = "graph_diameter_exact" // 1 or 0
)

// graphMetrics are the graph metrics, in table order: appended to Metrics.
var graphMetrics = []Metric{
	graphMetric(GraphDegreeMean, "mean degree", "neighbours per node, the mean over the nodes", 2,
		func(g *engine.GraphFacts) float64 { return g.DegreeMean }),
	graphMetric(GraphDegreeMin, "min degree", "neighbours of the node with fewest", 1,
		func(g *engine.GraphFacts) float64 { return float64(g.DegreeMin) }),
	graphMetric(GraphDegreeMax, "max degree", "neighbours of the node with most", 1,
		func(g *engine.GraphFacts) float64 { return float64(g.DegreeMax) }),
	graphShare(GraphSourceComponent, "source part", "share of the nodes in the source's component, the source included", 3,
		func(g *engine.GraphFacts) float64 { return float64(g.SourceComponent) / float64(g.Nodes) }),
	graphShare(GraphConnected, "connected", "1 if the graph is connected, else 0: the mean is the share of trials on a connected graph", 2,
		func(g *engine.GraphFacts) float64 { return bit(g.Connected()) }),
	graphMetric(GraphDiameter, "diameter", "hops: the largest distance within the source's component; exact when graph_diameter_exact is 1, else (large graphs) a lower bound from a few breadth-first sweeps", 1,
		func(g *engine.GraphFacts) float64 { return float64(g.Diameter) }),
	graphShare(GraphDiameterExact, "diameter exact", "1 if graph_diameter is exact, 0 if it is a lower bound", 2,
		func(g *engine.GraphFacts) float64 { return bit(g.DiameterExact) }),
}

func graphMetric(name, label, unit string, digits int, of func(*engine.GraphFacts) float64) Metric {
	return Metric{Name: name, Label: label, Unit: unit, Digits: digits, Graph: true,
		Of: func(t Trial) (float64, bool) {
			if t.Trace.Graph == nil || t.Trace.Graph.Nodes == 0 {
				return 0, false
			}
			return of(t.Trace.Graph), true
		}}
}

func graphShare(name, label, unit string, digits int, of func(*engine.GraphFacts) float64) Metric {
	m := graphMetric(name, label, unit, digits, of)
	m.Share = true
	return m
}

func bit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// IsComplete says whether the point ran on the complete graph: kind
// complete, or none in results written before topologies.
func (t TopologyParams) IsComplete() bool { return engine.Topology{Kind: t.Kind}.IsComplete() }

// checkDegrees is what any set of graphs on nodes nodes has: min <= mean
// <= max degree, and no more neighbours than the other nodes. slack
// forgives the rounding of means.
func checkDegrees(lo, mean, hi float64, nodes int, slack float64) error {
	switch {
	case lo > mean+slack || mean > hi+slack:
		return fmt.Errorf("degrees: min %g, mean %g, max %g: want min <= mean <= max", lo, mean, hi)
	case hi > float64(nodes-1):
		return fmt.Errorf("%s %g: more neighbours than the %d other nodes", GraphDegreeMax, hi, nodes-1)
	}
	return nil
}

// graphIntegers are the graph metrics whose per-trial values are counts.
var graphIntegers = []string{GraphDegreeMin, GraphDegreeMax, GraphDiameter, GraphConnected, GraphDiameterExact}

// checkGraphStats refuses graph metrics on the complete graph (its trials
// have none: absent, not 0) and statistics no set of graphs has: the
// graph metrics of a point come from the same trials, so they count the
// same n, and per trial min degree <= mean degree <= max degree, which
// holds of their means, minima and maxima too.
func checkGraphStats(p *PointSummary) error {
	n := -1
	for _, m := range Metrics {
		st, ok := p.Metrics[m.Name]
		if !m.Graph || !ok {
			continue
		}
		if p.Params.Topology.IsComplete() {
			return fmt.Errorf("metric %s on the complete graph, which has no graph facts", m.Name)
		}
		if n >= 0 && st.N != n {
			return fmt.Errorf("metric %s counts %d trials, another graph metric %d: they come from the same graphs", m.Name, st.N, n)
		}
		n = st.N
	}
	lo, mean, hi := p.Metrics[GraphDegreeMin], p.Metrics[GraphDegreeMean], p.Metrics[GraphDegreeMax]
	if lo.N == 0 || mean.N == 0 || hi.N == 0 {
		return nil
	}
	slack := 1e-9 * math.Max(1, hi.Max)
	for _, c := range [][3]float64{{lo.Mean, mean.Mean, hi.Mean}, {lo.Min, mean.Min, hi.Min}, {lo.Max, mean.Max, hi.Max}} {
		if err := checkDegrees(c[0], c[1], c[2], p.Params.Nodes, slack); err != nil {
			return err
		}
	}
	return nil
}

// checkGraphRow is checkGraphStats for one trial's cells of trials.csv,
// values by metric name ("" absent): none on the complete graph; all or
// none elsewhere; counts whole, 0/1 flags 0 or 1, min <= mean <= max
// degree, and a connected graph's source part the whole.
func checkGraphRow(p *PointSummary, values map[string]string, num map[string]float64) error {
	given := 0
	for _, m := range graphMetrics {
		if values[m.Name] != "" {
			given++
		}
	}
	switch {
	case given == 0:
		return nil
	case p.Params.Topology.IsComplete():
		return fmt.Errorf("graph facts on the complete graph, which has none")
	case given != len(graphMetrics):
		return fmt.Errorf("%d of the %d graph metrics: a trial has all or none", given, len(graphMetrics))
	}
	for _, name := range graphIntegers {
		if v := num[name]; v != math.Trunc(v) {
			return fmt.Errorf("%s %g: want a whole number", name, v)
		}
	}
	if err := checkDegrees(num[GraphDegreeMin], num[GraphDegreeMean], num[GraphDegreeMax], p.Params.Nodes, 0); err != nil {
		return err
	}
	switch {
	case num[GraphConnected] == 1 && num[GraphSourceComponent] != 1:
		return fmt.Errorf("connected, but the source's component holds %g of the nodes", num[GraphSourceComponent])
	}
	return nil
}

// GraphText is a point's graph facts in one compact cell, for the tables:
// "deg 8 (8–8), 30/30 connected, diameter 7", the source's part where not
// every trial's graph was connected, "≥" before a diameter that is a lower
// bound; "-" on the complete graph.
func GraphText(p *PointSummary) string {
	mean, ok := p.Metrics[GraphDegreeMean]
	if !ok || mean.N == 0 {
		return "-"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "deg %s (%s–%s)", trimZeros(mean.Mean, 2), trimZeros(p.Metrics[GraphDegreeMin].Min, 0), trimZeros(p.Metrics[GraphDegreeMax].Max, 0))
	conn := p.Metrics[GraphConnected]
	fmt.Fprintf(&b, ", %d/%d connected", int(math.Round(conn.Mean*float64(conn.N))), conn.N)
	if conn.Mean < 1 {
		fmt.Fprintf(&b, " (source part %.3f)", p.Metrics[GraphSourceComponent].Mean)
	}
	bound := ""
	if p.Metrics[GraphDiameterExact].Mean < 1 {
		bound = "≥"
	}
	fmt.Fprintf(&b, ", diameter %s%s", bound, trimZeros(p.Metrics[GraphDiameter].Mean, 1))
	return b.String()
}

// trimZeros prints x with up to digits decimals, without trailing zeros:
// 8, not 8.00, for a regular graph's degree.
func trimZeros(x float64, digits int) string {
	s := fmt.Sprintf("%.*f", digits, x)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
