package results_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/cluster"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// schemaFile is the JSON Schema of summary.json that the README points to:
// readers in other languages check their input against it, so it must
// accept what runs write and refuse what they never write.
const schemaFile = "../../docs/summary.schema.json"

func summarySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("summary.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("summary.schema.json")
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	return s
}

func validate(s *jsonschema.Schema, raw []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// realSummaries runs scenarios that between them write every optional key
// of summary.json: a sweep with failures, a point the model does not cover
// (no_theory, null theory), a run without a sweep, and the shipped
// classroom scenario.
func realSummaries(t *testing.T) map[string][]byte {
	t.Helper()
	classroom, err := os.ReadFile("../../scenarios/classroom.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runs := map[string]string{
		"sweep": "name: sweep\nnodes: 200\nmode: push\ntrials: 4\nfailures:\n  - {round: 3, crash: 0.2}\n" +
			"sweep:\n  fanout: [1, 2]\n  mode: [push, pull]\n",
		"notheory":  "name: notheory\nnodes: 50\nmode: push\ntrials: 3\nfailures:\n  - {round: 1, crash: 0.95}\n",
		"classroom": string(classroom),
		// Rumor mongering: its params, metrics and the rumors' summary,
		// with a rumor that never reaches 99 % (n 0) at k 1 on a lossy run.
		"mongering": "name: mongering\nnodes: 40\ntrials: 3\nloss: 0.3\npreset: memberlist-local\n" +
			"stop: {rule: counter, k: 1}\nrumors: {count: 3, every: 1}\npacket: {max_rumors: 1}\nanti_entropy: {every: 5}\n",
	}
	out := map[string][]byte{}
	for name, yaml := range runs {
		d := resultstest.WriteFile(t, filepath.Join(dir, name), name+".yaml", yaml, false)
		raw, err := os.ReadFile(filepath.Join(d, results.SummaryFile))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = raw
	}
	// The http engine writes the metrics of the wire, which memory runs
	// leave out.
	s := mustParse(t, "name: wire\nengine: http\nnodes: 10\nfanout: 2\ntrials: 2\n")
	res, err := experiments.Runner{Engines: map[string]engine.Engine{"http": &cluster.Engine{}}}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	d, err := experiments.Write(dir, res, sum, experiments.NewManifest(res, sum, results.Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	if out["wire"], err = os.ReadFile(filepath.Join(d, results.SummaryFile)); err != nil {
		t.Fatal(err)
	}
	// A shard's summary says which shard it is.
	s = mustParse(t, "name: shard\nnodes: 50\ntrials: 2\nsweep:\n  fanout: [1, 2, 3]\n")
	res, err = experiments.Runner{Engines: testEngines, Shard: &results.Shard{Index: 2, Count: 2}}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum = experiments.Summarize(res)
	if d, err = experiments.Write(dir, res, sum, experiments.NewManifest(res, sum, results.Host{}, 1, nil)); err != nil {
		t.Fatal(err)
	}
	if out["shard"], err = os.ReadFile(filepath.Join(d, results.SummaryFile)); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSchemaAcceptsRealSummaries(t *testing.T) {
	s := summarySchema(t)
	sums := realSummaries(t)
	for name, raw := range sums {
		if err := validate(s, raw); err != nil {
			t.Errorf("%s: summary.json does not match %s: %v", name, schemaFile, err)
		}
	}
	// The runs must write the keys the schema makes optional, or the test
	// above says nothing about them.
	for name, key := range map[string]string{"sweep": `"sweep_values"`, "notheory": `"no_theory"`, "classroom": `"replay"`,
		"wire": `"` + results.SecondsPerRound + `"`, "shard": `"shard"`} {
		if !bytes.Contains(sums[name], []byte(key)) {
			t.Errorf("%s: summary.json has no %s key", name, key)
		}
	}
	if !bytes.Contains(sums["sweep"], []byte(`"failures"`)) || !bytes.Contains(sums["notheory"], []byte(`"theory": null`)) {
		t.Error("the runs no longer write failures and a null theory")
	}
}

// TestSchemaRejectsBrokenSummaries breaks a real summary in the ways a
// hand edit or an older writer would and wants each refused.
func TestSchemaRejectsBrokenSummaries(t *testing.T) {
	s := summarySchema(t)
	good := realSummaries(t)["sweep"]
	for _, c := range []struct {
		name string
		edit func(top map[string]any, p map[string]any)
	}{
		{"schema 1", func(top, _ map[string]any) { top["schema"] = 1 }},
		{"no points", func(top, _ map[string]any) { delete(top, "points") }},
		{"unknown top-level key", func(top, _ map[string]any) { top["colour"] = "red" }},
		{"engine misspelt", func(top, _ map[string]any) { top["engine"] = "memroy" }},
		{"curve as rows", func(_, p map[string]any) { p["curve"] = []any{map[string]any{"round": 0, "informed_mean": 1}} }},
		{"unknown metric", func(_, p map[string]any) {
			p["metrics"].(map[string]any)["speed"] = p["metrics"].(map[string]any)["residue"]
		}},
		{"stats without ci95", func(_, p map[string]any) { delete(p["metrics"].(map[string]any)["residue"].(map[string]any), "ci95") }},
		{"params without http", func(_, p map[string]any) { delete(p["params"].(map[string]any), "http") }},
		{"interval as a number", func(_, p map[string]any) {
			p["params"].(map[string]any)["http"].(map[string]any)["interval"] = 50
		}},
		{"failure kind unknown", func(top, _ map[string]any) {
			top["failures"].([]any)[0].(map[string]any)["kind"] = "explode"
		}},
		{"theory null without no_theory", func(_, p map[string]any) { p["theory"] = nil }},
		{"no_theory beside a theory", func(_, p map[string]any) { p["no_theory"] = "because" }},
		{"negative trials", func(_, p map[string]any) { p["trials"] = -1 }},
		{"memory point with bytes on the wire", func(_, p map[string]any) {
			p["metrics"].(map[string]any)[results.BytesPerNode] = p["metrics"].(map[string]any)["residue"]
		}},
		{"memory point with seconds per round", func(_, p map[string]any) {
			p["metrics"].(map[string]any)[results.SecondsPerRound] = p["metrics"].(map[string]any)["residue"]
		}},
		{"shard 0", func(top, _ map[string]any) { top["shard"] = map[string]any{"index": 0, "count": 2} }},
		{"one node", func(_, p map[string]any) { p["params"].(map[string]any)["nodes"] = 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var top map[string]any
			if err := json.Unmarshal(good, &top); err != nil {
				t.Fatal(err)
			}
			c.edit(top, top["points"].([]any)[0].(map[string]any))
			raw, err := json.Marshal(top)
			if err != nil {
				t.Fatal(err)
			}
			err = validate(s, raw)
			if err == nil {
				t.Fatalf("the schema accepts a summary with %s", c.name)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Error("empty validation error")
			}
		})
	}
}
