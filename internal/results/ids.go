package results

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// A point's ID is what compare matches points by and what pages label them
// with, so a downloaded summary.json whose ID says one thing and whose
// params another would lie about every number of that point. These checks
// hold an ID to its params and sweep_values to the texts IDs are made of.

// checkPointID refuses an ID that is not the point's own: "base" without a
// sweep, else the sweep's keys in order, each with the text of the value
// the point's params hold (ParamFields spells them as the runner does).
func checkPointID(sweep []string, p *PointSummary) error {
	if len(sweep) == 0 {
		if p.ID != "base" {
			return fmt.Errorf("not an ID of a scenario without a sweep (\"base\")")
		}
		return nil
	}
	pairs := strings.Split(p.ID, ",")
	if len(pairs) != len(sweep) {
		return fmt.Errorf("not an ID of the sweep over %v", sweep)
	}
	fields := ParamFields(p.Params)
	for i, pair := range pairs {
		key, value, _ := strings.Cut(pair, "=")
		if key == "stop.rule" && value == "none" {
			value = "" // no stop rule, as Params spell it
		}
		if key != sweep[i] {
			return fmt.Errorf("not an ID of the sweep over %v", sweep)
		}
		for _, f := range fields {
			if f.Key == key && f.Text != value {
				return fmt.Errorf("its params have %s %s", key, f.Text)
			}
		}
		if slices.Contains(PartitionKeys, key) {
			// ParamFields lists the partitions as one field.
			q := p.Params
			q.Partitions = slices.Clone(q.Partitions)
			v, ok := sweepField(reflect.ValueOf(&q).Elem(), key)
			if !ok || len(p.Params.Partitions) != 1 {
				return fmt.Errorf("its params have %d partitions, not the one %s sweeps", len(p.Params.Partitions), key)
			}
			if text := valueText(v); text != value {
				return fmt.Errorf("its params have %s %s", key, text)
			}
		}
	}
	return nil
}

// sweepValueOK is whether text is a value of the sweepable key as point IDs
// spell it: it parses as the field's type and prints back the same (so
// "push-pull" and "1e6" are refused, "pushpull" and "1000000" taken).
// Ranges are checkParams's, on the points that have the value.
func sweepValueOK(key, text string) bool {
	var p Params
	v, ok := sweepField(reflect.ValueOf(&p).Elem(), key)
	if !ok {
		return false
	}
	switch v.Interface().(type) {
	case string:
		names := Engines
		switch key {
		case "topology.kind":
			names = engine.TopologyKinds
		case "stop.rule":
			names = append(slices.Clip(StopRules), "none")
		}
		if !slices.Contains(names, text) {
			return false
		}
		if key == "stop.rule" && text == "none" {
			text = "" // the wave-1 protocol, as Params spell it
		}
		v.SetString(text)
	case engine.Mode:
		m, err := engine.ParseMode(text)
		if err != nil {
			return false
		}
		v.Set(reflect.ValueOf(m))
	case bool:
		x, err := strconv.ParseBool(text)
		if err != nil {
			return false
		}
		v.SetBool(x)
	case int:
		x, err := strconv.Atoi(text)
		if err != nil {
			return false
		}
		v.SetInt(int64(x))
	case float64:
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return false
		}
		v.SetFloat(x)
	default:
		return false // a sweepable field of a type this does not know
	}
	return valueText(v) == text
}

// sweepField is the sweepable field of v (a Params) that key names, dots
// going into nested structs as in ParamFields.
func sweepField(v reflect.Value, key string) (reflect.Value, bool) {
	head, rest, nested := strings.Cut(key, ".")
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if jsonName(f) != head {
			continue
		}
		switch {
		case nested && f.Type.Kind() == reflect.Struct:
			return sweepField(v.Field(i), rest)
		case nested && f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			// partitions.heal: the one partition's (PartitionKeys); an
			// empty list (a Params to parse into) gets one.
			if v.Field(i).Len() == 0 && v.CanSet() {
				v.Field(i).Set(reflect.MakeSlice(f.Type, 1, 1))
			}
			if v.Field(i).Len() != 1 {
				return reflect.Value{}, false
			}
			return sweepField(v.Field(i).Index(0), rest)
		case !nested && f.Tag.Get("sweep") == "true":
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}
