package results

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// checkKeys refuses what encoding/json lets through silently in a result
// file: a key given twice in one object (the last would win, where
// another reader of the file may take the first) and a key that names a
// field only up to case ("UNRECORDED" decoded as unrecorded). It walks
// data's tokens beside v's type; keys no field has are left alone, as the
// decoder leaves them, and so is the inside of a type that decodes itself.
func checkKeys(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are not needed, only skipped
	var skip json.RawMessage
	if err := walkKeys(dec, reflect.TypeOf(v), &skip); err != nil {
		var ke *keyError
		if errors.As(err, &ke) {
			return fmt.Errorf("%s: %s", where(ke.at), ke.msg)
		}
		return err
	}
	return nil
}

// keyError is a refused key; its path is built as it unwinds, so that the
// walk spends nothing on paths while all is well.
type keyError struct{ at, msg string }

func (e *keyError) Error() string { return e.at + ": " + e.msg }

func under(err error, step string) error {
	if ke, ok := err.(*keyError); ok {
		ke.at = step + ke.at
	}
	return err
}

// plain says whether values of t hold no object: they are skipped whole,
// which is many times faster than token by token (a replay is mostly
// arrays of numbers). An object where t has none fails the decode anyway.
func plain(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Slice, reflect.Array, reflect.Pointer:
		return plain(t.Elem())
	}
	return false
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func walkKeys(dec *json.Decoder, t reflect.Type, skip *json.RawMessage) error {
	if plain(t) {
		return dec.Decode(skip)
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
		t = nil
	}
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = jsonFields(t)
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := tok.(string)
			if seen[key] {
				return &keyError{msg: fmt.Sprintf("key %q given twice", key)}
			}
			seen[key] = true
			var sub reflect.Type
			switch {
			case fields != nil:
				if ft, ok := fields[key]; ok {
					sub = ft
				} else if name, ok := foldedField(fields, key); ok {
					return &keyError{msg: fmt.Sprintf("key %q, want %q (keys are matched exactly)", key, name)}
				}
			case t != nil && t.Kind() == reflect.Map:
				sub = t.Elem()
			}
			if err := walkKeys(dec, sub, skip); err != nil {
				return under(err, "."+key)
			}
		}
		_, err = dec.Token() // }
		return err
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkKeys(dec, elem, skip); err != nil {
				return under(err, fmt.Sprintf("[%d]", i))
			}
		}
		_, err = dec.Token() // ]
		return err
	}
	return nil
}

func where(at string) string {
	if at == "" {
		return "the top level"
	}
	return strings.TrimPrefix(at, ".")
}

// jsonFields maps the JSON names of a struct's fields, those of embedded
// structs promoted, to their types, as encoding/json names them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := fields[k]; !ok {
						fields[k] = v
					}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

func foldedField(fields map[string]reflect.Type, key string) (string, bool) {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name, true
		}
	}
	return "", false
}
