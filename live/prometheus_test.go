package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// prometheusServer is Debian's prometheus, scraping the targets of sdFile
// every second; it returns the server's base URL.
func prometheusServer(t *testing.T, sdFile string) string {
	t.Helper()
	path, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("prometheus is not installed; .ci/run installs it (apt-get install prometheus)")
		}
		t.Skip("prometheus is not installed (apt-get install prometheus)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	// The shipped config, pointed at this test's file and scraping faster.
	shipped, err := os.ReadFile("../docs/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Global struct {
			ScrapeInterval string `yaml:"scrape_interval"`
			ScrapeTimeout  string `yaml:"scrape_timeout"`
		} `yaml:"global"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			FileSDConfigs []struct {
				Files           []string `yaml:"files"`
				RefreshInterval string   `yaml:"refresh_interval"`
			} `yaml:"file_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(shipped, &doc); err != nil || len(doc.ScrapeConfigs) != 1 || len(doc.ScrapeConfigs[0].FileSDConfigs) != 1 {
		t.Fatalf("docs/prometheus.yml: %v, or not one job with one file_sd_config: %+v", err, doc)
	}
	doc.Global.ScrapeInterval, doc.Global.ScrapeTimeout = "1s", "1s"
	doc.ScrapeConfigs[0].FileSDConfigs[0].Files = []string{sdFile}
	doc.ScrapeConfigs[0].FileSDConfigs[0].RefreshInterval = "1s"
	conf, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(path, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	eventually(t, "prometheus ready", func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

// query is the single number an instant PromQL query answers (NaN-free:
// -1 for an empty answer).
func query(t *testing.T, base, q string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Data.Result) == 0 {
		return -1
	}
	s, _ := body.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// eventually polls cond until it holds; the deadline only bounds a broken
// test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("no %s within 60s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Prometheus scrapes a live cluster through the file_sd file live writes:
// every node is an up target, a crash and a restart rewrite the file, and
// the scraped sums equal what /api/state and the nodes say.
func TestPrometheusScrapesLive(t *testing.T) {
	sd := filepath.Join(t.TempDir(), "targets.json")
	o := testOptions(6)
	o.PrometheusSD = sd
	s := startLive(t, o)
	prom := prometheusServer(t, sd)
	up := `count(up{job="gossipbench", cluster="gossipbench-live"} == 1)`
	eventually(t, "6 targets up", func() bool { return query(t, prom, up) == 6 })

	ev := stream(t, s)
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "scraped"}, &sent)
	until(t, ev, "the message everywhere", fullySpread(t, sent.ID))
	// Push nodes that know nothing send nothing: after a reset the
	// counters stand still, and every reader must agree on them.
	mustCall(t, s, http.MethodPost, PathReset, nil, nil)
	direct := func() float64 {
		total := 0.0
		s.clMu.Lock()
		defer s.clMu.Unlock()
		for i := range o.Nodes {
			c, err := s.c.Counters(t.Context(), i)
			if err != nil {
				t.Fatal(err)
			}
			total += c.Sent
		}
		return total
	}
	var nodes, api, scraped float64
	eventually(t, "the scraped sum equal to the nodes' and the API's", func() bool {
		nodes, api = direct(), state(t, s).Counters.Sent
		scraped = query(t, prom, `sum(gossip_messages_sent_total{cluster="gossipbench-live"})`)
		return nodes > 0 && nodes == api && api == scraped
	})
	t.Logf("sent: nodes %v, /api/state %v, prometheus %v", nodes, api, scraped)
	for _, m := range []string{"delivered", "lost", "failed"} {
		got := query(t, prom, fmt.Sprintf(`sum(gossip_messages_%s_total{cluster="gossipbench-live"})`, m))
		var want float64
		switch c := state(t, s).Counters; m {
		case "delivered":
			want = c.Delivered
		case "lost":
			want = c.Lost
		case "failed":
			want = c.Failed
		}
		if got != want && !(got == -1 && want == 0) {
			t.Errorf("%s: prometheus %v, /api/state %v", m, got, want)
		}
	}
	if by := query(t, prom, `count(count by (node_id, node) (gossip_messages_sent_total{cluster="gossipbench-live"}))`); by != 6 {
		t.Errorf("%v distinct (node_id, node) pairs, want 6: the node label must be the node's ID", by)
	}
	// Every query of the shipped Grafana dashboard is PromQL this
	// Prometheus runs, and answers with data from these nodes (a rate
	// once two scrapes hold the series).
	for _, q := range dashboardQueries(t) {
		eventually(t, "an answer to the dashboard's "+q, func() bool { return answers(t, prom, q) })
	}
	mustCall(t, s, http.MethodPost, "/api/nodes/4/crash", nil, nil)
	eventually(t, "5 targets after the crash", func() bool { return query(t, prom, `count(up{cluster="gossipbench-live"})`) == 5 })
	mustCall(t, s, http.MethodPost, "/api/nodes/4/restart", nil, nil)
	eventually(t, "6 targets up after the restart", func() bool { return query(t, prom, up) == 6 })
}

// dashboardQueries are the shipped dashboard's PromQL expressions, with
// its variables as Grafana fills them in.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			q := strings.NewReplacer("$cluster", SDCluster, "$__rate_interval", "1m").Replace(tg.Expr)
			out = append(out, q)
		}
	}
	if len(out) < 8 {
		t.Fatalf("the dashboard has %d queries, want one per panel at least", len(out))
	}
	return out
}

// answers reports whether an instant query succeeds with a sample.
func answers(t *testing.T, base, q string) bool {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Status != "success" {
		t.Errorf("%s: %s", q, body.Error)
	}
	return len(body.Data.Result) > 0
}
