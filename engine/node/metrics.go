package node

import (
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
)

// Metric names, shared with whoever reads /metrics back.
const (
	MetricSent       = "gossip_messages_sent_total"
	MetricDelivered  = "gossip_messages_delivered_total"
	MetricLost       = "gossip_messages_lost_total"
	MetricFailed     = "gossip_messages_failed_total"
	MetricDeliveries = "gossip_deliveries_total"
	MetricBytes      = "gossip_bytes_total"
	MetricKnown      = "gossip_messages_known"
	MetricRounds     = "gossip_rounds_total"
	MetricLatency    = "gossip_exchange_duration_seconds"
	MetricDelay      = "gossip_propagation_delay_seconds"
	// MetricLogged is the number (Event.Seq) of the last event the node
	// had logged when its counters were read, in the same snapshot: the
	// messages of the events up to it are counted, those after it not.
	MetricLogged = "gossip_log_events_total"
)

// Message kinds as metric labels: a pull or pushpull exchange is a request
// and an answer.
const (
	LabelPush    = "push"
	LabelRequest = "request"
	LabelAnswer  = "answer"
)

// metrics live in the node's own registry, never the global one, so many
// nodes in one process keep separate counts.
type metrics struct {
	reg     *prometheus.Registry
	tally   *tally
	bytes   *prometheus.CounterVec
	known   prometheus.Gauge
	rounds  prometheus.Counter
	latency *prometheus.HistogramVec
	delay   prometheus.Histogram
}

func newMetrics(withRuntime bool) *metrics {
	var labels prometheus.Labels // the node label is added when gathered: relabelled
	kind := []string{"kind"}
	m := &metrics{
		reg:   prometheus.NewRegistry(),
		tally: newTally(labels),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricBytes, ConstLabels: labels,
			Help: "Bytes on the wire of this node's outgoing gossip connections."}, []string{"direction"}),
		known: prometheus.NewGauge(prometheus.GaugeOpts{Name: MetricKnown, ConstLabels: labels,
			Help: "Messages this node knows."}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Name: MetricRounds, ConstLabels: labels,
			Help: "Gossip rounds this node has run."}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: MetricLatency, ConstLabels: labels,
			Help:    "Time from sending a gossip request to having its answer, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}, kind),
		delay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: MetricDelay, ConstLabels: labels,
			Help:    "Seconds from a message's entry into the cluster (POST /data at some node) to this node learning it.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 18)}),
	}
	m.reg.MustRegister(m.tally, m.bytes, m.known, m.rounds, m.latency, m.delay)
	m.bytes.WithLabelValues("sent")
	m.bytes.WithLabelValues("received")
	if withRuntime {
		// A node in its own process also reports that process.
		m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// tally counts the messages of the exchanges this node starts: its pushes
// and requests, and the answers to its requests. Each message is counted
// once, by the node that learns how it ended, and a whole exchange is added
// under the lock Collect takes too: every scrape sees whole exchanges, so
// sent = delivered + lost + failed and delivered = useful + redundant hold
// in each scrape, also while the node gossips. Counted at both ends (the
// sender its sends, the receiver its receipts), a scrape of many nodes mixes
// messages half counted.
type tally struct {
	mu     sync.Mutex
	byKind [len(kindLabels)]RoundReport // indexed by engine.MessageKind

	dSent, dDelivered, dLost, dFailed, dDeliveries, dLogged *prometheus.Desc
	logged                                                  func() uint64 // the log's last event number
}

// kindLabels are the kind label's values, indexed by engine.MessageKind.
var kindLabels = [...]string{engine.KindPush: LabelPush, engine.KindRequest: LabelRequest, engine.KindAnswer: LabelAnswer}

func newTally(node prometheus.Labels) *tally {
	desc := func(name, help, label string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{label}, node)
	}
	return &tally{
		dSent: desc(MetricSent, "Messages of the exchanges this node started, by kind: its pushes and requests, "+
			"and the answers to its requests.", "kind"),
		dDelivered: desc(MetricDelivered, "Messages of this node's exchanges that arrived, by kind.", "kind"),
		dLost: desc(MetricLost, "Messages of this node's exchanges dropped by injected loss, by kind "+
			"(a lost request has no answer).", "kind"),
		dFailed: desc(MetricFailed, "Messages of this node's exchanges the peer did not take: down, hung, "+
			"an error or nonsense answered, timed out.", "kind"),
		dDeliveries: desc(MetricDeliveries, "Delivered messages of this node's exchanges: useful (taught "+
			"their receiver something) or redundant.", "result"),
		dLogged: prometheus.NewDesc(MetricLogged, "Events this node has logged (the seq of the last in GET /log), "+
			"read with the counters above: they count the messages of the events up to it.", nil, node),
	}
}

// addLocked counts one exchange's messages, all at once; the caller holds
// t.mu.
func (t *tally) addLocked(msgs []engine.Edge) {
	for _, e := range msgs {
		t.byKind[e.Kind].count([]engine.Edge{e}, false)
	}
}

func (t *tally) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{t.dSent, t.dDelivered, t.dLost, t.dFailed, t.dDeliveries, t.dLogged} {
		ch <- d
	}
}

// Collect reports one consistent snapshot, zero series included, so
// readers see 0, not nothing.
func (t *tally) Collect(ch chan<- prometheus.Metric) {
	t.mu.Lock()
	byKind := t.byKind
	var logged uint64
	if t.logged != nil {
		logged = t.logged()
	}
	t.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(t.dLogged, prometheus.CounterValue, float64(logged))
	counter := func(d *prometheus.Desc, v int, label string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), label)
	}
	var useful, redundant int
	for k, label := range kindLabels {
		c := byKind[k]
		counter(t.dSent, c.Sent, label)
		counter(t.dDelivered, c.Delivered, label)
		counter(t.dLost, c.Lost, label)
		counter(t.dFailed, c.Failed, label)
		useful += c.Useful
		redundant += c.Redundant
	}
	counter(t.dDeliveries, useful, "useful")
	counter(t.dDeliveries, redundant, "redundant")
}

// relabelled is the node's registry as /metrics serves it: every series
// gets the label node="ID", the ID the node has now. A node started
// without --id and configured as node 5 reports node="5"; a label fixed
// at start would stay "0".
type relabelled struct {
	reg *prometheus.Registry
	id  *atomic.Int64
}

func (r relabelled) Gather() ([]*dto.MetricFamily, error) {
	fams, err := r.reg.Gather()
	name, id := "node", strconv.FormatInt(r.id.Load(), 10)
	for _, f := range fams {
		for _, m := range f.Metric {
			m.Label = append(m.Label, &dto.LabelPair{Name: &name, Value: &id})
			sort.Slice(m.Label, func(i, j int) bool { return m.Label[i].GetName() < m.Label[j].GetName() })
		}
	}
	return fams, err
}
