package experiments

import (
	"reflect"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// The mongering keys reach the params and the engine's configuration.
func TestValidMongering(t *testing.T) {
	s := mustLoadValid(t, "mongering.yaml")
	q := s.Params
	// memberlist-wan sets fanout 4 and would set a round of 0.5 s and
	// stop transmits; the file's stop: and round_seconds override those.
	want := results.Params{Stop: results.StopParams{Rule: "counter", K: 2, Feedback: true, Reset: true},
		Rumors: results.RumorsParams{Count: 5, Every: 3}, Packet: results.PacketParams{MaxRumors: 2},
		AntiEntropy: results.AntiEntropyParams{Every: 10}, Preset: "memberlist-wan", RoundSeconds: 1.5, Fanout: 4}
	got := results.Params{Stop: q.Stop, Rumors: q.Rumors, Packet: q.Packet, AntiEntropy: q.AntiEntropy,
		Preset: q.Preset, RoundSeconds: q.RoundSeconds, Fanout: q.Fanout}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("params %+v\nwant   %+v", got, want)
	}
	c := s.Config(s.Points()[0], 0, false)
	wantStop := engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true, Reset: true}
	if c.Stop != wantStop || c.Rumors != (engine.Rumors{Count: 5, Every: 3}) || c.Packet.MaxRumors != 2 || c.AntiEntropy.Every != 10 || c.Fanout != 4 {
		t.Errorf("Config: stop %+v rumors %+v packet %+v anti-entropy %+v fanout %d", c.Stop, c.Rumors, c.Packet, c.AntiEntropy, c.Fanout)
	}
	if !c.Mongering() {
		t.Error("Config.Mongering() is false")
	}
}

// Each preset sets memberlist's defaults (config.go of hashicorp/memberlist).
func TestPresets(t *testing.T) {
	for _, tt := range []struct {
		name           string
		fanout, mult   int
		interval       time.Duration
		wantTransmits  int // L on 100 nodes: mult·⌈log10 101⌉ = mult·3
		wantRoundInSec float64
	}{
		{"memberlist-lan", 3, 4, 200 * time.Millisecond, 12, 0.2},
		{"memberlist-wan", 4, 4, 500 * time.Millisecond, 12, 0.5},
		{"memberlist-local", 3, 2, 100 * time.Millisecond, 6, 0.1},
	} {
		s := mustParse(t, "name: p\nnodes: 100\npreset: "+tt.name+"\n")
		q := s.Params
		if q.Fanout != tt.fanout || q.Stop != (results.StopParams{Rule: "transmits", Mult: tt.mult}) || q.RoundSeconds != tt.wantRoundInSec || q.Preset != tt.name {
			t.Errorf("%s: fanout %d, stop %+v, round_seconds %g, preset %q", tt.name, q.Fanout, q.Stop, q.RoundSeconds, q.Preset)
		}
		if got := s.Config(s.Points()[0], 0, false).Stop.Transmits(100); got != tt.wantTransmits {
			t.Errorf("%s: transmit limit on 100 nodes %d, want %d", tt.name, got, tt.wantTransmits)
		}
		pr, _ := results.PresetNamed(tt.name)
		if pr.GossipInterval != tt.interval {
			t.Errorf("%s: GossipInterval %s, want %s", tt.name, pr.GossipInterval, tt.interval)
		}
	}
	// The file's keys win, before the preset or after it, and a sweep
	// of the preset's mult gives the points their own.
	s := mustLoadValid(t, "preset_override.yaml")
	if s.Fanout != 5 || s.Stop.Rule != "transmits" || s.RoundSeconds != 0.1 {
		t.Errorf("preset_override: fanout %d, stop %+v, round_seconds %g", s.Fanout, s.Stop, s.RoundSeconds)
	}
	for i, p := range s.Points() {
		if p.Params.Stop.Mult != i+1 || p.ID != "stop.mult="+[]string{"1", "2", "3"}[i] {
			t.Errorf("point %s: mult %d", p.ID, p.Params.Stop.Mult)
		}
	}
}

// The nested keys sweep as topology's do, in the file and by --set, and a
// point keeps what its rule takes and what its ID names.
func TestStopSweepAndSet(t *testing.T) {
	const base = "name: t\nnodes: 100\nstop: {rule: counter, k: 1, feedback: true}\n"
	for _, tt := range []struct {
		name, yaml string
		sets       []string
		ids        []string
		ks         []int
	}{
		{"file sweep", base + "sweep:\n  stop.k: [1, 2, 3, 4, 5]\n", nil,
			[]string{"stop.k=1", "stop.k=2", "stop.k=3", "stop.k=4", "stop.k=5"}, []int{1, 2, 3, 4, 5}},
		{"set one", base, []string{"stop.k=2"}, []string{"base"}, []int{2}},
		{"set a list", base, []string{"stop.k=[3,4]"}, []string{"stop.k=3", "stop.k=4"}, []int{3, 4}},
		{"set one over a sweep", base + "sweep:\n  stop.k: [1, 2]\n", []string{"stop.k=6"}, []string{"base"}, []int{6}},
		{"bools", base + "sweep:\n  stop.feedback: [false, true]\n  stop.reset: [false, true]\n", nil,
			[]string{"stop.feedback=false,stop.reset=false", "stop.feedback=false,stop.reset=true",
				"stop.feedback=true,stop.reset=false", "stop.feedback=true,stop.reset=true"}, []int{1, 1, 1, 1}},
		// The coin point keeps k; its engine config has no reset, which
		// the ID names (and the params keep).
		{"rules", "name: t\nnodes: 100\nstop: {k: 3, reset: true}\nsweep:\n  stop.rule: [counter, coin]\n", nil,
			[]string{"stop.rule=counter", "stop.rule=coin"}, []int{3, 3}},
		{"rumors", "name: t\nnodes: 100\nrumors: {count: 4}\nsweep:\n  rumors.every: [0, 5]\n  packet.max_rumors: [1, 2]\n", nil,
			[]string{"rumors.every=0,packet.max_rumors=1", "rumors.every=0,packet.max_rumors=2",
				"rumors.every=5,packet.max_rumors=1", "rumors.every=5,packet.max_rumors=2"}, []int{0, 0, 0, 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseWithSets(t, tt.yaml, tt.sets...)
			if err != nil {
				t.Fatal(err)
			}
			pts := s.Points()
			if got := pointIDs(pts); !reflect.DeepEqual(got, tt.ids) {
				t.Errorf("point IDs = %q, want %q", got, tt.ids)
			}
			for i, p := range pts {
				if p.Params.Stop.K != tt.ks[i] {
					t.Errorf("point %s: k %d, want %d", p.ID, p.Params.Stop.K, tt.ks[i])
				}
				c := s.Config(p, 0, false)
				if c.Stop.Reset && c.Stop.Rule != engine.StopCounter {
					t.Errorf("point %s: engine stop %+v has reset for a rule other than counter", p.ID, c.Stop)
				}
				if p.Params.Rumors.Count > 0 && c.Rumors.Every != p.Params.Rumors.Every {
					t.Errorf("point %s: engine rumors %+v, params %+v", p.ID, c.Rumors, p.Params.Rumors)
				}
				// What summary.json holds passes the reader's checks.
				if err := results.CheckParams(p.Params, s.SweepKeys()); err != nil {
					t.Errorf("point %s: the reader refuses its params: %v", p.ID, err)
				}
			}
		})
	}
	_, err := parseWithSets(t, base, "stop.mult=3")
	want := "test.yaml: --set stop.mult=3: stop.mult: rule counter takes no mult; mult is for transmits"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// A preset's fanout is memberlist's GossipNodes, which gossips to at most
// the other nodes: on 3 nodes the LAN preset contacts 2 (memberlist #209),
// while a fanout the file gives is held to nodes-1 as ever.
func TestPresetFanoutOnFewNodes(t *testing.T) {
	s := mustParse(t, "name: p\npreset: memberlist-lan\nsweep:\n  nodes: [3, 4, 10]\n")
	for i, want := range []int{2, 3, 3} {
		if got := s.Points()[i].Params.Fanout; got != want {
			t.Errorf("point %s: fanout %d, want %d", s.Points()[i].ID, got, want)
		}
	}
	if _, err := Parse("p.yaml", []byte("name: p\npreset: memberlist-lan\nfanout: 3\nsweep:\n  nodes: [3, 10]\n")); err == nil {
		t.Error("fanout 3 given on 3 nodes was taken")
	}
}

// stop.rule none is the wave-1 protocol, so that one sweep compares a
// stop rule with spreading forever: its point keeps no stop parameter and
// its ID says none.
func TestStopRuleNoneSweeps(t *testing.T) {
	s := mustParse(t, "name: n\nnodes: 100\nstop: {rule: counter, k: 2}\nsweep:\n  stop.rule: [none, counter]\n")
	pts := s.Points()
	if len(pts) != 2 || pts[0].ID != "stop.rule=none" || pts[0].Params.Stop != (results.StopParams{}) ||
		s.Config(pts[0], 0, false).Mongering() || pts[1].Params.Stop.K != 2 {
		t.Fatalf("points %+v", pts)
	}
}
