package echart

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/report/chart"
)

var hostile = []string{
	`</script><script>alert(1)</script>`,
	`</SCRIPT ><img src=x onerror=alert(2)>`,
	`__f__alert(3)__f__`,
	`<!--<script>`,
	"'\"\\\u2028\u2029&",
}

// specJSON is the data the script hands to setup.js.
var specJSON = regexp.MustCompile(`(?s)\}\)\((.*)\);\n</script>`)

func hostileChart() chart.Chart {
	c := chart.Chart{Name: "c1", LegendTitle: hostile[1],
		X: chart.Axis{Label: hostile[0], Min: math.NaN(), Max: math.NaN(), Categorical: true},
		Y: chart.Axis{Label: hostile[2], Min: 0, Max: math.NaN()}}
	for i, name := range hostile {
		c.X.Ticks = append(c.X.Ticks, chart.Tick{Value: float64(i), Label: name})
		c.Panels = append(c.Panels, chart.Panel{Title: name, Markers: []chart.Marker{{X: 1, Label: name}, {X: 0, Band: true, To: math.Inf(1), Label: name}},
			Series: []chart.Series{{Name: name, Kind: chart.Points, Color: chart.Colour(i), X: []float64{0, 1}, Y: []float64{1, 2},
				Lo: []float64{0.5, 1.5}, Hi: []float64{1.5, 2.5}, Interval: name}}})
	}
	return c
}

// Names, titles, ticks and labels from files stay strings: the script
// element holds no markup, and its data decode back to exactly the
// strings that went in.
func TestHostileStringsStayData(t *testing.T) {
	html, err := Render(hostileChart(), "300px")
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if n := strings.Count(strings.ToLower(s), "<script"); n != 1 {
		t.Errorf("%d <script in the snippet, want 1:\n%s", n, s)
	}
	if n := strings.Count(strings.ToLower(s), "</script"); n != 1 {
		t.Errorf("%d </script in the snippet, want 1", n)
	}
	if strings.Contains(s, "<!--") || strings.Contains(s, "<img") {
		t.Errorf("markup got through:\n%s", s)
	}
	if script := s[strings.Index(s, "<script>"):]; strings.Contains(script, "\u2028") {
		t.Errorf("a line separator got into the script:\n%s", script)
	}
	m := specJSON.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no data in\n%s", s)
	}
	var sp struct {
		Panels []struct {
			Option struct {
				Title  struct{ Text string }
				Series []struct {
					Name     string
					MarkLine struct{ Data []struct{ Name string } }
				}
				XAxis []struct {
					Name string
					Data []string
				}
			}
			Series []struct{ Name, Interval string }
		}
	}
	if err := json.Unmarshal([]byte(m[1]), &sp); err != nil {
		t.Fatalf("the data are not JSON: %v\n%s", err, m[1])
	}
	if len(sp.Panels) != len(hostile) {
		t.Fatalf("%d panels, want %d", len(sp.Panels), len(hostile))
	}
	for i, name := range hostile {
		o := sp.Panels[i].Option
		if o.Title.Text != name {
			t.Errorf("panel %d: title %+v, want %q", i, o.Title, name)
		}
		if len(o.Series) < 3 || o.Series[0].Name != name || o.Series[1].Name != name ||
			len(o.Series[2].MarkLine.Data) != 1 || o.Series[2].MarkLine.Data[0].Name != name {
			t.Errorf("panel %d: series %+v, want the points, their bars and the marker named %q", i, o.Series, name)
		}
		if sp.Panels[i].Series[0].Interval != name {
			t.Errorf("panel %d: meta %+v", i, sp.Panels[i].Series)
		}
		if len(o.XAxis) != 1 || o.XAxis[0].Name != hostile[0] || strings.Join(o.XAxis[0].Data, "|") != strings.Join(hostile, "|") {
			t.Errorf("x axis %+v", o.XAxis)
		}
	}
}

// A chart's legend lists every name once, with the name as text.
func TestLegendIsText(t *testing.T) {
	html, err := Render(hostileChart(), "300px")
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if n := strings.Count(s, `class="legend-item"`); n != len(hostile) {
		t.Errorf("%d legend entries, want %d", n, len(hostile))
	}
	if !strings.Contains(s, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</button>") {
		t.Errorf("the legend does not show the name as text:\n%s", s)
	}
}

// NaN never reaches the JSON (it cannot hold one): it becomes a gap.
func TestNaNIsAGap(t *testing.T) {
	c := chart.Chart{Name: "n", X: chart.Axis{Min: math.NaN(), Max: math.NaN()}, Y: chart.Axis{Min: math.NaN(), Max: math.NaN()},
		Panels: []chart.Panel{{Series: []chart.Series{
			{Name: "a", Kind: chart.Line, X: []float64{0, 1, 2}, Y: []float64{1, math.NaN(), math.Inf(1)}},
			{Name: "a", Kind: chart.Band, X: []float64{0, 1, 2}, Lo: []float64{0, math.NaN(), 1}, Hi: []float64{2, 2, 2}},
			{Name: "b", Kind: chart.Points, X: []float64{0, 1}, Y: []float64{1, 2}, Lo: []float64{math.NaN(), 1}, Hi: []float64{2, 3}},
		}}}}
	html, err := Render(c, "1px")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(html); !strings.Contains(s, `[1,\"-\",\"-\",\"-\"]`) && !strings.Contains(s, `[1,"-","-","-"]`) {
		t.Errorf("no gap for the missing value:\n%s", s)
	}
}
