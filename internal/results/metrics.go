package results

import (
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// Metric is one per-trial metric: the one definition that summary.json,
// the reader's checks, the report's tables, compare and the run table all
// take it from. Adding a metric is adding an entry to Metrics.
type Metric struct {
	Name  string // in summary.json and compare: rounds_to_full
	Label string // a table's column: "rounds 100 %"
	Unit  string // what a value counts, for people: rounds, messages, share of sent
	// Digits are the decimals tables print the mean with.
	Digits int
	// Rounds: a round count, an integer per trial within 0..max_rounds.
	Rounds bool
	// Share: a share, never above 1.
	Share bool
	// HigherIsBetter says which way is better, for compare; most metrics
	// are costs.
	HigherIsBetter bool
	// Headline: shown in the short tables too (the run table, the index).
	Headline bool
	// CI: tables show the half-width of the 95 % interval with the mean.
	CI bool
	// TheoryLabel, if set, is the column tables show the mean-field
	// model's value in, beside the metric's.
	TheoryLabel string
	// Machine: the value depends on the machine that ran the trial, not
	// only on the scenario and seed (a time). compare counts its changes
	// apart, with wall time, and only beyond its floors.
	Machine bool
	// Wire: only a point whose engine sends real messages has it
	// (Params.OnTheWire); Value gives no other point one, and the reader
	// refuses a summary.json that does.
	Wire bool
	// Graph: a fact of the trial's graph (graph.go), which only a trial
	// off the complete graph has; the reader refuses one on a complete
	// point, and tables show the group in one compact column.
	Graph bool
	// Mongering: only a point that runs rumor mongering has it
	// (Params.Mongering); Value gives no other point one.
	Mongering bool
	// Faults: only a point with faults over time has it
	// (Params.FaultsOverTime); Value gives no other point one.
	Faults bool
	// Of is a trial's value; false when the trial has none (a rounds-to
	// metric the trial never got to, bytes the engine does not measure).
	// The definitions are engine.Trace's.
	Of func(t Trial) (float64, bool)
}

// Trial is what a trial's metrics are computed from.
type Trial struct {
	*engine.Trace
	Params *Params
	// Wall is the engine's time for the trial; 0 where it is unknown (a
	// trial read back from rounds.csv), and the metrics that need it are
	// then absent.
	Wall time.Duration
}

// OnTheWire says whether the point's engine sends real messages, so that
// bytes on the wire and the time a round takes mean something: the http
// engine. The memory engine counts no bytes, and its microseconds say
// nothing about a network; its results leave those metrics out rather
// than report zeros.
func (p *Params) OnTheWire() bool { return p.Engine == "http" }

// Metric names, as they appear in summary.json.
const (
	RoundsTo50      = "rounds_to_50"
	RoundsTo90      = "rounds_to_90"
	RoundsTo99      = "rounds_to_99"
	RoundsToFull    = "rounds_to_full"
	MessagesPerNode = "messages_per_node"
	Redundancy      = "redundancy"
	Residue         = "residue"
	FailedFraction  = "failed_fraction" // failed / sent: messages to failed nodes
	BytesPerNode    = "bytes_per_node"  // http only
	BytesPerMessage = "bytes_per_message"
	SecondsPerRound = "seconds_per_round" // http only: wall time over rounds
	WallSeconds     = "wall_seconds"      // manifest.json only
)

// Metrics are the per-trial metrics, in table order, the graph's and then
// rumor mongering's last.
// Tests may append to it (and restore it) to check that a new metric
// reaches every consumer.
var Metrics = append(append(append(runMetrics, graphMetrics...), mongeringMetrics...), faultMetrics...)

var runMetrics = []Metric{
	roundsTo(RoundsTo50, "rounds 50 %", 0.5, true),
	roundsTo(RoundsTo90, "rounds 90 %", 0.9, false),
	roundsTo(RoundsTo99, "rounds 99 %", 0.99, true),
	{Name: RoundsToFull, Label: "rounds 100 %", Unit: "rounds", Digits: 1, Rounds: true, Headline: true, CI: true,
		TheoryLabel: "theory 100 %", Of: roundsToFraction(1)},
	{Name: MessagesPerNode, Label: "msgs/node", Unit: "messages sent per node", Digits: 1, Headline: true,
		Of: func(t Trial) (float64, bool) { return t.MessagesPerNode(t.Params.Nodes), true }},
	{Name: Redundancy, Label: "redundancy", Unit: "share of delivered messages that told nothing new", Digits: 3, Share: true,
		Of: func(t Trial) (float64, bool) { return t.Redundancy(), true }},
	{Name: Residue, Label: "residue", Unit: "share of alive nodes never informed", Digits: 4, Share: true,
		Of: func(t Trial) (float64, bool) { return t.Residue(), true }},
	{Name: FailedFraction, Label: "failed msgs", Unit: "share of sent messages to failed nodes", Digits: 3, Share: true,
		Of: func(t Trial) (float64, bool) { return t.FailedFraction() }},
	{Name: BytesPerNode, Label: "bytes/node", Unit: "bytes on the wire per node", Digits: 0, Headline: true, Wire: true,
		Of: func(t Trial) (float64, bool) {
			return float64(t.Totals().Bytes) / float64(t.Params.Nodes), true
		}},
	{Name: BytesPerMessage, Label: "bytes/msg", Unit: "bytes on the wire per message sent", Digits: 0, Headline: true, Wire: true,
		Of: func(t Trial) (float64, bool) {
			tot := t.Totals()
			if tot.Sent == 0 {
				return 0, false
			}
			return float64(tot.Bytes) / float64(tot.Sent), true
		}},
	{Name: SecondsPerRound, Label: "s/round", Unit: "seconds of wall time per round", Digits: 3, Headline: true, Machine: true, Wire: true,
		Of: func(t Trial) (float64, bool) {
			rounds := t.Final().Round
			if t.Wall <= 0 || rounds == 0 {
				return 0, false
			}
			return t.Wall.Seconds() / float64(rounds), true
		}},
}

func roundsTo(name, label string, frac float64, headline bool) Metric {
	return Metric{Name: name, Label: label, Unit: "rounds", Digits: 1, Rounds: true, Headline: headline, Of: roundsToFraction(frac)}
}

func roundsToFraction(frac float64) func(Trial) (float64, bool) {
	return func(t Trial) (float64, bool) {
		r, ok := t.RoundsTo(frac)
		return float64(r), ok
	}
}

// Value is a trial's value of the metric; false when the trial has none,
// which is always for a Wire metric off the wire.
func (m Metric) Value(t Trial) (float64, bool) {
	if m.Wire && !t.Params.OnTheWire() || m.Mongering && !t.Params.Mongering() || m.Faults && !t.Params.FaultsOverTime() {
		return 0, false
	}
	return m.Of(t)
}

// MetricNamed finds a registered metric.
func MetricNamed(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// MetricNames are the names of the registered metrics, in table order.
func MetricNames() []string {
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = m.Name
	}
	return names
}

// TrialMetrics are one trial's values of the per-trial metrics, by name:
// the one place summary.json, report and compare take them from. A metric
// the trial has no value for is absent.
func TrialMetrics(t Trial) map[string]float64 {
	m := map[string]float64{}
	for _, mt := range Metrics {
		if v, ok := mt.Value(t); ok {
			m[mt.Name] = v
		}
	}
	return m
}

// Text is the metric's mean as tables print it: with its digits, and the
// half-width of the 95 % interval where the metric asks for it.
func (m Metric) Text(st Stats) string {
	if m.CI {
		return st.TextCI()
	}
	return st.Text(m.Digits)
}
