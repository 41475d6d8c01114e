package echart

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

var hostile = []string{
	`</script><script>alert(1)</script>`,
	`</SCRIPT ><img src=x onerror=alert(2)>`,
	`__f__alert(3)__f__`,
	`<!--<script>`,
	"'\"\\\u2028\u2029&",
}

// optionJSON is the option object the script hands to ECharts.
var optionJSON = regexp.MustCompile(`(?s)var option = (.*?);\n`)

// Names, axis data and axis names from files stay strings: the script
// element holds no markup, and the options
// decode back to exactly the strings that went in.
func TestHostileStringsStayData(t *testing.T) {
	line := charts.NewLine()
	line.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Name: hostile[0]}), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true)}))
	line.SetXAxis(hostile)
	for _, name := range hostile {
		line.AddSeries(name, []opts.LineData{{Value: 1}, {Value: 2}})
	}
	html, err := HTML("c1", "300px", line, "")
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
	if strings.Contains(s, "<!--") || strings.Contains(s, "<img") || strings.Contains(s, "\u2028") {
		t.Errorf("markup or a line separator got through:\n%s", s)
	}
	m := optionJSON.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no option in\n%s", s)
	}
	var opt struct {
		Series []struct{ Name string }
		XAxis  []struct {
			Name string
			Data []string
		}
	}
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("the option is not JSON: %v\n%s", err, m[1])
	}
	for i, name := range hostile {
		if i >= len(opt.Series) || opt.Series[i].Name != name {
			t.Errorf("series %d: got %+v, want %q", i, opt.Series, name)
		}
	}
	if len(opt.XAxis) != 1 || opt.XAxis[0].Name != hostile[0] || strings.Join(opt.XAxis[0].Data, "|") != strings.Join(hostile, "|") {
		t.Errorf("x axis %+v", opt.XAxis)
	}
}

// Our own setup code goes in as it is.
func TestSetupIsCode(t *testing.T) {
	html, err := HTML("c2", "1px", charts.NewBoxPlot(), `option.tooltip.formatter = function (p) { return 1 < 2; };`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `option.tooltip.formatter = function (p) { return 1 < 2; };`) {
		t.Errorf("setup changed:\n%s", html)
	}
}
