package experiments

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// The scalar readers report a problem and return ok=false when a value does
// not fit; the message always says what is allowed.

func (d *decoder) int(n *yaml.Node, field string, lo, hi int) (int, bool) {
	want := "an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	if n.Kind != yaml.ScalarNode {
		d.fail(n, field, "must be %s, got %s", want, describe(n))
		return 0, false
	}
	var v int64
	switch n.Tag {
	case "!!int":
		if err := n.Decode(&v); err != nil {
			d.fail(n, field, "must be %s, got %s", want, describe(n))
			return 0, false
		}
	case "!!float": // 1e6 is a fine way to write a million nodes
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e18 {
			d.fail(n, field, "must be %s, got %s", want, describe(n))
			return 0, false
		}
		v = int64(f)
	default:
		d.fail(n, field, "must be %s, got %s", want, describe(n))
		return 0, false
	}
	if v < int64(lo) || v > int64(hi) {
		d.fail(n, field, "must be %s, got %s", want, describe(n))
		return 0, false
	}
	return int(v), true
}

func (d *decoder) uint64(n *yaml.Node, field string) (uint64, bool) {
	var v uint64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		d.fail(n, field, "must be a non-negative integer, got %s", describe(n))
		return 0, false
	}
	return v, true
}

// fraction reads a number in [lo, hi) or (lo, hi], as the bounds say.
func (d *decoder) fraction(n *yaml.Node, field string, loOpen, hiOpen bool) (float64, bool) {
	lb, rb := "[", "]"
	if loOpen {
		lb = "("
	}
	if hiOpen {
		rb = ")"
	}
	want := "a number in " + lb + "0, 1" + rb
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
		d.fail(n, field, "must be %s, got %s", want, describe(n))
		return 0, false
	}
	var v float64
	if err := n.Decode(&v); err != nil || math.IsNaN(v) ||
		v < 0 || v > 1 || (loOpen && v == 0) || (hiOpen && v == 1) {
		d.fail(n, field, "must be %s, got %s", want, describe(n))
		return 0, false
	}
	return v, true
}

func (d *decoder) text(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.fail(n, field, "must be text, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) oneOf(n *yaml.Node, field string, allowed ...string) (string, bool) {
	if n.Kind == yaml.ScalarNode && contains(allowed, n.Value) {
		return n.Value, true
	}
	d.fail(n, field, "must be one of %s, got %s", strings.Join(allowed, ", "), describe(n))
	return "", false
}

func (d *decoder) duration(n *yaml.Node, field string, min time.Duration) (results.Duration, bool) {
	want := "a duration such as 50ms or 1s"
	if min > 0 {
		want += ", at least " + min.String()
	} else {
		want += ", 0 or more"
	}
	if n.Kind == yaml.ScalarNode {
		if v, err := time.ParseDuration(n.Value); err == nil && v >= min {
			return results.Duration(v), true
		}
	}
	d.fail(n, field, "must be %s, got %s", want, describe(n))
	return 0, false
}

func (d *decoder) bool(n *yaml.Node, field string) (bool, bool) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		d.fail(n, field, "must be true or false, got %s", describe(n))
		return false, false
	}
	return v, true
}

// number reads a finite number; what range fits is for the caller.
func (d *decoder) number(n *yaml.Node, field string) (float64, bool) {
	var v float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") || n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		d.fail(n, field, "must be a number, got %s", describe(n))
		return 0, false
	}
	return v, true
}
