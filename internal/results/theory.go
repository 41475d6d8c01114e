package results

import (
	"encoding/json"
	"fmt"

	"github.com/gossipbench/gossipbench/engine/meanfield"
)

// TheorySource is where the point's theory comes from, as tables label it:
// "" for the mean-field model of the complete graph (and for a point
// without theory), else the asymptotic result meanfield.Source names for
// its kind of graph. It is derived, not stored, so that a summary built
// in memory and one read back say the same.
func (p *PointSummary) TheorySource() string {
	if p.Theory == nil {
		return ""
	}
	return meanfield.Source(p.Params.Topology.Kind)
}

// MarshalJSON writes theory_source as TheorySource derives it: whoever
// builds a PointSummary need not know the field exists, and a summary
// written with theory_source names the result its params select.
func (p PointSummary) MarshalJSON() ([]byte, error) {
	type plain PointSummary // without this method
	p.TheoryFrom = p.TheorySource()
	return json.Marshal(plain(p))
}

// checkTheory holds a point's theory to the model its graph has: on the
// complete graph the mean-field model (and its curve); off it, only an
// asymptotic rounds_to_full, on the kinds a result exists for, named by
// theory_source, and no curve: the complete graph's would be wrong there.
func checkTheory(p *PointSummary) error {
	switch {
	case p.Theory == nil && p.NoTheory == "":
		return fmt.Errorf("theory is null, and no_theory does not say why")
	case p.Theory != nil && p.NoTheory != "":
		return fmt.Errorf("no_theory says %q, but there is a theory", p.NoTheory)
	case p.TheoryFrom != p.TheorySource():
		return fmt.Errorf("theory_source %q, but the theory of this point is %q", p.TheoryFrom, p.TheorySource())
	}
	if p.Theory == nil || p.Params.Topology.IsComplete() {
		return nil
	}
	kind := p.Params.Topology.Kind
	if p.TheorySource() == "" {
		return fmt.Errorf("a theory on a %s graph, for which none is known", kind)
	}
	// The writer lists every metric the model could predict, null where
	// it has none; off the complete graph only rounds_to_full has a value.
	for name, v := range p.Theory {
		if name != RoundsToFull && v != nil {
			return fmt.Errorf("theory of %s on a %s graph: the result there gives %s only", name, kind, RoundsToFull)
		}
	}
	return nil
}
