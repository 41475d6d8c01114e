package cluster

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Counters are a node's message counters as its /metrics reports them.
type Counters struct {
	Sent, Delivered, Lost, Failed, Useful, Redundant, Bytes float64
	// Logged is one node's node.MetricLogged, read with the counts: the
	// messages of its log's events up to this number are counted. Not a
	// count: Add and Sub leave it 0.
	Logged uint64
}

// Add sums two nodes' counters.
func (a Counters) Add(b Counters) Counters {
	return Counters{Sent: a.Sent + b.Sent, Delivered: a.Delivered + b.Delivered, Lost: a.Lost + b.Lost,
		Failed: a.Failed + b.Failed, Useful: a.Useful + b.Useful, Redundant: a.Redundant + b.Redundant, Bytes: a.Bytes + b.Bytes}
}

// Sub is the change from b to a.
func (a Counters) Sub(b Counters) Counters {
	return Counters{Sent: a.Sent - b.Sent, Delivered: a.Delivered - b.Delivered, Lost: a.Lost - b.Lost,
		Failed: a.Failed - b.Failed, Useful: a.Useful - b.Useful, Redundant: a.Redundant - b.Redundant, Bytes: a.Bytes - b.Bytes}
}

// counters reads node i's /metrics, as Prometheus would scrape it.
func (c *Cluster) counters(ctx context.Context, i int) (Counters, error) {
	data, err := c.send(ctx, http.MethodGet, i, node.PathMetrics, nil)
	if err != nil {
		return Counters{}, err
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(data))
	if err != nil {
		return Counters{}, fmt.Errorf("node %d metrics: %w", i, err)
	}
	sum := func(name, label, value string) float64 {
		total := 0.0
		fam := fams[name]
		if fam == nil {
			return 0
		}
		for _, m := range fam.GetMetric() {
			match := label == ""
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label && lp.GetValue() == value {
					match = true
				}
			}
			if match {
				total += m.GetCounter().GetValue()
			}
		}
		return total
	}
	return Counters{
		Sent:      sum(node.MetricSent, "", ""),
		Delivered: sum(node.MetricDelivered, "", ""),
		Lost:      sum(node.MetricLost, "", ""),
		Failed:    sum(node.MetricFailed, "", ""),
		Useful:    sum(node.MetricDeliveries, "result", "useful"),
		Redundant: sum(node.MetricDeliveries, "result", "redundant"),
		Bytes:     sum(node.MetricBytes, "", ""),
		Logged:    uint64(sum(node.MetricLogged, "", "")),
	}, nil
}

// Totals adds up every node's counters: alive nodes as they are now,
// crashed ones as they were just before they crashed.
func (c *Cluster) Totals(ctx context.Context) (Counters, error) {
	_, total, err := c.perNode(ctx)
	return total, err
}

// perNode is every node's counters, as Totals takes them, and their sum.
func (c *Cluster) perNode(ctx context.Context) ([]Counters, Counters, error) {
	per := make([]Counters, len(c.urls))
	err := c.each(ctx, c.aliveNodes(), func(i int) error {
		cnt, err := c.counters(ctx, i)
		per[i] = cnt
		return err
	})
	if err != nil {
		return nil, Counters{}, err
	}
	var total Counters
	for i := range per {
		if !c.alive[i] {
			per[i] = c.final[i]
		}
		total = total.Add(per[i])
	}
	return per, total, nil
}
