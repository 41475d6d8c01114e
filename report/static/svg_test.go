package static

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// svgDoc is what a test reads back from an SVG: its texts and its paths,
// decoded with encoding/xml, not with the code that wrote them.
type svgDoc struct {
	texts []svgText
	paths []svgPath
}

type svgText struct {
	x     float64
	text  string
	style string
}

type svgPath struct{ d, style string }

func readSVG(t *testing.T, file string) svgDoc {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	var open *svgText
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch tok.Name.Local {
			case "path":
				doc.paths = append(doc.paths, svgPath{attr["d"], attr["style"]})
			case "text":
				x, _ := strconv.ParseFloat(attr["x"], 64)
				open = &svgText{x: x, style: attr["style"]}
			}
		case xml.CharData:
			if open != nil {
				open.text += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" && open != nil {
				doc.texts = append(doc.texts, *open)
				open = nil
			}
		}
	}
	if root != "svg" {
		t.Fatalf("%s: root element %q, want svg", file, root)
	}
	return doc
}

// has tells whether some text is exactly s.
func (d svgDoc) has(s string) bool {
	for _, t := range d.texts {
		if t.text == s {
			return true
		}
	}
	return false
}

// count is the number of paths whose style contains every part.
func (d svgDoc) count(parts ...string) int {
	n := 0
	for _, p := range d.paths {
		ok := true
		for _, s := range parts {
			ok = ok && strings.Contains(p.style, s)
		}
		if ok {
			n++
		}
	}
	return n
}

// xTicks are the x positions of the x axis' tick marks: vertical strokes
// 4 pt long in the axis style, left to right as drawn.
func (d svgDoc) xTicks() []float64 {
	var xs []float64
	for _, p := range d.paths {
		if p.style != "fill:none;stroke:#666666;stroke-width:0.6" {
			continue
		}
		var x0, y0, x1, y1 float64
		if _, err := parseNumbers(p.d, &x0, &y0, &x1, &y1); err != nil {
			continue
		}
		if x0 == x1 && y1-y0 == 4 {
			xs = append(xs, x0)
		}
	}
	return xs
}

// parseNumbers reads a path "Mx,yLx,y" into v.
func parseNumbers(d string, v ...*float64) (int, error) {
	d = strings.NewReplacer("M", " ", "L", " ", ",", " ").Replace(d)
	f := strings.Fields(d)
	if len(f) != len(v) {
		return 0, io.ErrUnexpectedEOF
	}
	for i := range v {
		x, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return i, err
		}
		*v[i] = x
	}
	return len(v), nil
}

// checkFiles asserts that every named chart exists as a decodable PNG 800
// px wide, at least 500 high, and a well-formed SVG.
func checkFiles(t *testing.T, dir string, names []string) {
	t.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 800 || b.Dy() < 500 {
			t.Errorf("%s.png is %dx%d, want 800 wide and at least 500 high", name, b.Dx(), b.Dy())
		}
		readSVG(t, filepath.Join(dir, name+".svg"))
	}
}
