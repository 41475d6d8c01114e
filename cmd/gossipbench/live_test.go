package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Mistakes on live's command line exit 2 before any node starts.
func TestLiveUsage(t *testing.T) {
	sweep := writeScenario(t, "name: s\nnodes: 10\nsweep:\n  fanout: [1, 2]\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"one node", []string{"live", "--nodes", "1"}, "nodes must be at least 2, got 1"},
		{"too many nodes", []string{"live", "--nodes", "5000"}, "nodes must be at most 2000"},
		{"fanout", []string{"live", "--nodes", "4", "--fanout", "4"}, "fanout must be from 1 to 3"},
		{"loss", []string{"live", "--loss", "1.5"}, "loss must be in [0, 1]"},
		{"interval", []string{"live", "--interval", "0s"}, "interval must be from 1ms"},
		{"mode", []string{"live", "--mode", "shout"}, `--mode: unknown mode "shout"`},
		{"not loopback", []string{"live", "--listen", "0.0.0.0:0"}, "listen must be a loopback address"},
		{"port", []string{"live", "--listen", "127.0.0.1:70000"}, `the port must be from 0 to 65535, got "70000"`},
		{"two files", []string{"live", "a.yaml", "b.yaml"}, "live takes at most one scenario file"},
		{"missing file", []string{"live", "no-such.yaml"}, "no-such.yaml"},
		{"sweep", []string{"live", sweep}, "the file sweeps fanout; pin it with --set fanout=VALUE"},
		{"set without file", []string{"live", "--set", "fanout=2"}, "--set sets fields of a scenario file"},
		{"bad flag", []string{"live", "--nope"}, "flag provided but not defined: -nope"},
		{"targets file a directory", []string{"live", "--prometheus-sd", os.TempDir()}, "is a directory, a symlink or another special file"},
		{"topology file", []string{"live", "--topology", "file"}, "--topology file: an edge list comes from a scenario file"},
		{"topology unknown", []string{"live", "--topology", "torus"}, `topology torus: kind: unknown topology "torus"`},
		{"ring degree odd", []string{"live", "--topology", "ring", "--degree", "3"}, "topology ring: degree: a ring's degree must be even"},
		{"hypercube of 12", []string{"live", "--topology", "hypercube"}, "nodes: a hypercube needs a power of two, got 12"},
		{"degree alone", []string{"live", "--degree", "4"}, "--degree, --p and --rewire are parameters of a --topology"},
		{"targets file ends in /", []string{"live", "--prometheus-sd", os.TempDir() + "/x/"}, "want a file's path"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := gossipbench(t, c.args...)
			if code != exitBadUser || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("something ran: %q", stdout)
			}
		})
	}
}

// gossipbench live prints its URL, serves the API there (the graph of
// --topology in the state), and on SIGTERM stops every node (processes of
// their own here, each told its row) and exits 0.
func TestLiveRunsUntilSignalled(t *testing.T) {
	scenario := writeScenario(t, "name: s\nnodes: 4\nfanout: 1\nhttp:\n  interval: 20ms\n")
	cmd := exec.Command(os.Args[0], "live", "--processes", "--fanout", "2", "--topology", "ring", "--degree", "2", scenario)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	sc := bufio.NewScanner(out)
	var lines []string
	url := ""
	for url == "" && sc.Scan() {
		lines = append(lines, sc.Text())
		if f := strings.Fields(sc.Text()); len(f) > 1 && f[0] == "open" {
			url = f[1]
		}
	}
	if url == "" || !strings.Contains(lines[0], "4 nodes (one process each) on a ring graph of degree 2, push, fanout 2, loss 0, every 20ms") {
		t.Fatalf("printed %q: want the parameters, then the URL", lines)
	}
	resp, err := http.Get(url + "api/state")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Nodes []struct {
			URL   string `json:"url"`
			Alive bool   `json:"alive"`
		} `json:"nodes"`
		Graph struct {
			Kind  string     `json:"kind"`
			Edges [][2]int32 `json:"edges"`
		} `json:"graph"`
	}
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if len(st.Nodes) != 4 || st.Graph.Kind != "ring" || len(st.Graph.Edges) != 4 {
		t.Fatalf("state lists %d nodes and the graph %+v, want 4 nodes on a ring", len(st.Nodes), st.Graph)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() {
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v; printed %q", err, lines)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20s after SIGTERM")
	}
	for _, nd := range append(st.Nodes, struct {
		URL   string `json:"url"`
		Alive bool   `json:"alive"`
	}{URL: strings.TrimSuffix(url, "/")}) {
		if conn, err := net.Dial("tcp", strings.TrimPrefix(nd.URL, "http://")); err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections after live exited", nd.URL)
		}
	}
}
