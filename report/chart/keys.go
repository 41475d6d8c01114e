package chart

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// key is one swept key with its distinct values in order of first
// appearance.
type key struct {
	name    string
	values  []string           // distinct texts
	index   map[string]int     // text -> position in values
	numbers map[string]float64 // text -> number, when every value is one
	numeric bool
	text    []string // per point
}

func sweepKeys(sum *results.Summary) []key {
	n := len(sum.Points)
	params := make([]map[string]any, n)
	for i, p := range sum.Points {
		params[i] = paramMap(p)
	}
	var keys []key
	for _, name := range sum.Sweep {
		k := key{name: name, index: map[string]int{}, numbers: map[string]float64{}, numeric: true, text: make([]string, n)}
		for i, p := range sum.Points {
			txt, num, isNum := pointValue(p, params[i], name)
			k.text[i] = txt
			if _, seen := k.index[txt]; !seen {
				k.index[txt] = len(k.values)
				k.values = append(k.values, txt)
			}
			if isNum {
				k.numbers[txt] = num
			} else {
				k.numeric = false
			}
		}
		keys = append(keys, k)
	}
	return stopLast(keys)
}

// stopLast moves a swept stop-rule limit (stop.k, stop.mult) to the end
// of the keys, where the sweep charts put their x axis: residue and
// traffic are read against the limit (Demers et al.'s tables), whatever
// order the file swept in; the other keys keep theirs.
func stopLast(keys []key) []key {
	for i, k := range keys {
		if (k.name == "stop.k" || k.name == "stop.mult") && i < len(keys)-1 {
			out := append(append(append([]key(nil), keys[:i]...), keys[i+1:]...), k)
			return out
		}
	}
	return keys
}

// display formats a value for a legend or a tick label.
func (k *key) display(txt string) string {
	if v, ok := k.numbers[txt]; ok && k.numeric {
		return FormatNumber(v)
	}
	return txt
}

// log tells whether a numeric key reads better on a log axis: node
// counts spanning a decade, or any positive values spanning two.
func (k *key) log() bool {
	if !k.numeric || len(k.values) < 2 {
		return false
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range k.numbers {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo <= 0 {
		return false
	}
	return k.name == "nodes" && hi/lo >= 10 || hi/lo >= 100
}

// axis is the axis a key is drawn on: numeric (log where it spans
// decades) with a tick at each value when there are few, else categorical.
func (k *key) axis() Axis {
	a := Axis{Label: KeyLabel(k.name), Min: nan, Max: nan, Digits: 2}
	if !k.numeric {
		a.Categorical = true
		for i, v := range k.values {
			a.Ticks = append(a.Ticks, Tick{Value: float64(i), Label: v})
		}
		return a
	}
	if k.log() {
		a.Scale = Log
		a.Label += " (log scale)"
	}
	a.Integer = true
	for _, v := range k.numbers {
		if v != math.Trunc(v) {
			a.Integer = false
		}
	}
	if len(k.values) <= 12 {
		for _, t := range k.values {
			a.Ticks = append(a.Ticks, Tick{Value: k.numbers[t], Label: FormatNumber(k.numbers[t])})
		}
	}
	return a
}

// x is point i's position on the key's axis.
func (k *key) x(i int) float64 {
	if !k.numeric {
		return float64(k.index[k.text[i]])
	}
	return k.numbers[k.text[i]]
}

// KeyLabel names a swept key with its unit, for an axis.
func KeyLabel(key string) string {
	if s, ok := map[string]string{
		"fanout":     "fanout (peers contacted per round)",
		"loss":       "message loss probability",
		"nodes":      "nodes",
		"mode":       "gossip mode",
		"engine":     "engine",
		"max_rounds": "round limit (rounds)",
		// Rumor mongering (docs/design.md, "Stop rules").
		"stop.k":             "stop rule's k (contacts; coin: 1/probability)",
		"stop.mult":          "RetransmitMult (transmits L = mult·⌈log10(n+1)⌉)",
		"rumors.count":       "rumors",
		"rumors.every":       "rounds between rumors",
		"packet.max_rumors":  "rumors per message (budget)",
		"anti_entropy.every": "rounds between anti-entropy exchanges",
	}[key]; ok {
		return s
	}
	return key
}

// paramMap is a point's parameters keyed by their JSON names.
func paramMap(p results.PointSummary) map[string]any {
	data, err := json.Marshal(p.Params)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return m
}

// pointValue is a point's value of a swept key: from its parameters when
// they hold the key, else from its ID ("key=value,key=value").
func pointValue(p results.PointSummary, params map[string]any, key string) (txt string, num float64, isNum bool) {
	if v, ok := params[key]; ok {
		switch v := v.(type) {
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64), v, true
		case string:
			return v, 0, false
		case bool:
			return strconv.FormatBool(v), 0, false
		}
	}
	for _, part := range strings.Split(p.ID, ",") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(k) == key {
			v = strings.TrimSpace(v)
			if f, err := strconv.ParseFloat(v, 64); err == nil && finite(f) {
				return v, f, true
			}
			return v, 0, false
		}
	}
	return "?", 0, false
}

// FormatNumber prints a number compactly: 0.05, 8, 1k, 2.5k, 100k, 1M.
func FormatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9 && isRound(v/1e9):
		return trimFloat(v/1e9) + "G"
	case a >= 1e6 && isRound(v/1e6):
		return trimFloat(v/1e6) + "M"
	case a >= 1e3 && isRound(v/1e3):
		return trimFloat(v/1e3) + "k"
	}
	if a != 0 && (a >= 1e7 || a < 1e-3) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// isRound tells whether v has at most two decimals.
func isRound(v float64) bool { return math.Abs(v*100-math.Round(v*100)) < 1e-6 }

func trimFloat(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func failVerb(kind string) string {
	switch kind {
	case "crash":
		return "crash"
	case "hang":
		return "hang"
	case "garbage":
		return "answer garbage"
	}
	return "fail (" + kind + ")"
}

func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + " %"
}
