package node

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metric names, shared with whoever reads /metrics back.
const (
	MetricSent       = "gossip_messages_sent_total"
	MetricReceived   = "gossip_messages_received_total"
	MetricLost       = "gossip_messages_lost_total"
	MetricFailed     = "gossip_messages_failed_total"
	MetricDeliveries = "gossip_deliveries_total"
	MetricBytes      = "gossip_bytes_total"
	MetricKnown      = "gossip_messages_known"
	MetricRounds     = "gossip_rounds_total"
	MetricLatency    = "gossip_exchange_duration_seconds"
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
	reg        *prometheus.Registry
	sent       *prometheus.CounterVec
	received   *prometheus.CounterVec
	lost       *prometheus.CounterVec
	failed     *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	bytes      *prometheus.CounterVec
	known      prometheus.Gauge
	rounds     prometheus.Counter
	latency    *prometheus.HistogramVec
}

func newMetrics(id int, withRuntime bool) *metrics {
	labels := prometheus.Labels{"node": strconv.Itoa(id)}
	kind := []string{"kind"}
	m := &metrics{
		reg: prometheus.NewRegistry(),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricSent, ConstLabels: labels,
			Help: "Gossip messages this node sent, by kind (push, request, answer)."}, kind),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricReceived, ConstLabels: labels,
			Help: "Gossip messages delivered to this node, by kind."}, kind),
		lost: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricLost, ConstLabels: labels,
			Help: "Messages of this node's exchanges dropped by injected loss: its requests and pushes, and answers to them."}, kind),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricFailed, ConstLabels: labels,
			Help: "Messages of this node's exchanges that could not be delivered (peer down, error, timeout)."}, kind),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricDeliveries, ConstLabels: labels,
			Help: "Messages delivered to this node: useful (taught it something) or redundant."}, []string{"result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricBytes, ConstLabels: labels,
			Help: "Bytes on the wire of this node's outgoing gossip connections."}, []string{"direction"}),
		known: prometheus.NewGauge(prometheus.GaugeOpts{Name: MetricKnown, ConstLabels: labels,
			Help: "Messages this node knows."}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Name: MetricRounds, ConstLabels: labels,
			Help: "Gossip rounds this node has run."}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: MetricLatency, ConstLabels: labels,
			Help:    "Time from sending a gossip request to having its answer, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}, kind),
	}
	m.reg.MustRegister(m.sent, m.received, m.lost, m.failed, m.deliveries, m.bytes, m.known, m.rounds, m.latency)
	for _, k := range []string{LabelPush, LabelRequest, LabelAnswer} {
		// Zero series exist from the start, so readers see 0, not nothing.
		m.sent.WithLabelValues(k)
		m.received.WithLabelValues(k)
		m.lost.WithLabelValues(k)
		m.failed.WithLabelValues(k)
	}
	m.deliveries.WithLabelValues("useful")
	m.deliveries.WithLabelValues("redundant")
	m.bytes.WithLabelValues("sent")
	m.bytes.WithLabelValues("received")
	if withRuntime {
		// A node in its own process also reports that process.
		m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

func (m *metrics) delivered(useful bool) {
	if useful {
		m.deliveries.WithLabelValues("useful").Inc()
	} else {
		m.deliveries.WithLabelValues("redundant").Inc()
	}
}
