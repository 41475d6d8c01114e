package results_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// writeFileResult runs a scenario of kind file (a ring of 8 with a chord)
// and writes its result, whose edge list is then beside scenario.yaml.
func writeFileResult(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "g.edges"), []byte("0 1\n1 2\n2 3\n3 4\n4 5\n5 6\n6 7\n7 0\n0 4\n"), 0o644)
	path := filepath.Join(src, "s.yaml")
	os.WriteFile(path, []byte("name: edges\nnodes: 8\ntrials: 2\ntopology: {kind: file, path: g.edges}\nsweep: {mode: [push, pull]}\n"), 0o644)
	s, err := experiments.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := experiments.Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	dir, err := experiments.Write(t.TempDir(), res, sum, experiments.NewManifest(res, sum, results.Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// A result of kind file is read with its edge list; one whose params or
// edge list are spoilt is refused, naming the file.
func TestTopologyResults(t *testing.T) {
	good := writeFileResult(t)
	r, err := results.OpenResult(good)
	if err != nil {
		t.Fatal(err)
	}
	edges, err := r.Edges()
	r.Close()
	if err != nil || len(edges) != 9 || edges[8] != [2]int32{0, 4} {
		t.Fatalf("Edges() = %v, %v", edges, err)
	}
	secret := filepath.Join(t.TempDir(), "secret.edges")
	os.WriteFile(secret, []byte("0 1 # s3cr3t\n"), 0o600)
	topo := func(change func(tp map[string]any)) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
				change(point0(m)["params"].(map[string]any)["topology"].(map[string]any))
			})
		}
	}
	edgeFile := func(content string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, results.EdgesFile), []byte(content), 0o644)
		}
	}
	cases := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		file  string // named in the error
		msg   string
	}{
		{"path traversal", topo(func(tp map[string]any) { tp["path"] = "../../secret.edges" }), results.SummaryFile,
			`topology.path "../../secret.edges": a result's edge list is its copy, "topology.edges"`},
		{"absolute path", topo(func(tp map[string]any) { tp["path"] = secret }), results.SummaryFile, "a result's edge list is its copy"},
		{"another name", topo(func(tp map[string]any) { tp["path"] = "scenario.yaml" }), results.SummaryFile, "a result's edge list is its copy"},
		{"path on a ring", topo(func(tp map[string]any) { tp["kind"], tp["degree"] = "ring", 2 }), results.SummaryFile, "kind ring takes [degree], but params set others"},
		{"unknown kind", topo(func(tp map[string]any) { tp["kind"] = "torus" }), results.SummaryFile, `topology.kind "torus": one of [complete ring`},
		{"odd ring", topo(func(tp map[string]any) { tp["kind"], tp["degree"], tp["path"] = "ring", 3, "" }), results.SummaryFile,
			"topology.degree: a ring's degree must be even"},
		{"hypercube on 8 is fine, on the sweep's IDs too, but p is not its", topo(func(tp map[string]any) {
			tp["kind"], tp["p"], tp["path"] = "hypercube", 0.5, ""
		}), results.SummaryFile, "kind hypercube takes [], but params set others"},
		{"edge list missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, results.EdgesFile)) }, results.EdgesFile, "missing"},
		{"edge list a symlink", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, results.EdgesFile))
			os.Symlink(secret, filepath.Join(dir, results.EdgesFile))
		}, results.EdgesFile, "a symbolic link"},
		{"edge list a directory", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, results.EdgesFile))
			os.Mkdir(filepath.Join(dir, results.EdgesFile), 0o755)
		}, results.EdgesFile, "not a regular file"},
		{"edge list malformed", edgeFile("0 1\n1 2 3\n"), results.EdgesFile, "line 2: want one edge"},
		{"edge list beyond the nodes", edgeFile("0 1\n1 8\n"), results.EdgesFile, "line 2: node 8 is not below nodes (8)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { refused(t, good, c.spoil, readWithEdges, c.file, c.msg) })
	}
}

// Results older than topologies have no params.topology: the complete
// graph, read as before.
func TestResultsWithoutTopologyRead(t *testing.T) {
	dir := writeResult(t, hostileYAML)
	editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
		for _, p := range m["points"].([]any) {
			delete(p.(map[string]any)["params"].(map[string]any), "topology")
		}
	})
	if err := readEverything(dir); err != nil {
		t.Fatal(err)
	}
	r, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if tp := r.Summary.Points[0].Params.Topology; tp != (results.TopologyParams{}) {
		t.Errorf("params.topology = %+v", tp)
	}
}

// A sweep of topology's keys names its points with dotted keys, and the
// reader holds the IDs and sweep_values to the params as for any key.
func TestTopologySweepResults(t *testing.T) {
	if got := strings.Join(results.SweepableKeys, " "); !strings.Contains(got, "topology.kind topology.degree topology.p topology.rewire") {
		t.Errorf("SweepableKeys = %s", got)
	}
	// Complete points of a grid over kinds and degrees keep the degree
	// their ID names.
	if err := readEverything(writeResult(t, "name: kd\nnodes: 20\ntrials: 2\nsweep: {topology.kind: [complete, ring], topology.degree: [2, 4]}\n")); err != nil {
		t.Fatal(err)
	}
	good := writeResult(t, "name: deg\nnodes: 20\ntrials: 2\ntopology: {kind: ring}\nsweep: {topology.degree: [2, 4], mode: [push, pull]}\n")
	r, err := results.OpenResult(good)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range r.Summary.Points {
		ids = append(ids, p.ID)
	}
	r.Close()
	if want := []string{"topology.degree=2,mode=push", "topology.degree=2,mode=pull", "topology.degree=4,mode=push", "topology.degree=4,mode=pull"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("IDs %q, want %q", ids, want)
	}
	for _, c := range []struct {
		name   string
		change func(m map[string]any)
		msg    string
	}{
		{"ID and params disagree", func(m map[string]any) {
			point0(m)["params"].(map[string]any)["topology"].(map[string]any)["degree"] = 6
		}, `point "topology.degree=2,mode=push": its params have topology.degree 6`},
		{"a value spelt otherwise", func(m map[string]any) {
			m["sweep_values"].([]any)[0].([]any)[0] = "2.0"
		}, `"2.0" is not a value of topology.degree as point IDs spell it`},
		{"an unknown kind swept", func(m map[string]any) {
			m["sweep"].([]any)[0] = "topology.kind"
			m["sweep_values"].([]any)[0] = []any{"torus", "ring"}
		}, `"torus" is not a value of topology.kind`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "deg")
			os.CopyFS(dir, os.DirFS(good))
			editJSON(t, filepath.Join(dir, results.SummaryFile), c.change)
			_, err := results.OpenResult(dir)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want %q", err, c.msg)
			}
		})
	}
}

// readWithEdges is readEverything and then the edge list, which only a
// reader of the graph (report's replays) parses.
func readWithEdges(dir string) error {
	err := readEverything(dir)
	if err == nil {
		var r *results.ResultDir
		if r, err = results.OpenResult(dir); err == nil {
			_, err = r.Edges()
			r.Close()
		}
	}
	return err
}
