package protocol

import "github.com/gossipbench/gossipbench/engine"

// Tally counts one round's messages as Classify judged them, and keeps
// them as replay edges when asked.
type Tally struct {
	Stats  engine.RoundStats
	Edges  []engine.Edge
	Record bool
}

// Add counts one message.
func (t *Tally) Add(from, to int32, kind engine.MessageKind, out engine.Outcome) {
	st := &t.Stats
	st.Sent++
	switch out {
	case engine.Useful:
		st.Delivered++
		st.Useful++
		st.New++
	case engine.Redundant:
		st.Delivered++
		st.Redundant++
	case engine.Lost:
		st.Lost++
	case engine.Failed:
		st.Failed++
	}
	if t.Record {
		t.Edges = append(t.Edges, engine.Edge{From: from, To: to, Kind: kind, Outcome: out})
	}
}
