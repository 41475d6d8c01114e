// Package echart draws a report/chart description with go-echarts: a
// legend, and an ECharts instance per panel, connected so that the legend
// and the tooltips act on every panel at once.
//
// go-echarts' own snippets cannot hold text from result files: they write
// the options as JSON without HTML escaping, so a point ID holding
// </script> ends the script element, and they turn any string wrapped in
// __f__ into raw code, so an ID like __f__alert(1)__f__ runs. Here the
// options go through html/template's JS escaping instead, which keeps
// every string a string; the code (formatters, the error bars' drawing) is
// ours, in setup.js, passed apart from the data.
package echart

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"

	"github.com/gossipbench/gossipbench/report/chart"
)

// setup.js turns the data of a chart into ECharts instances: it is the
// only code on the page a chart brings, and it escapes, with
// echarts.format.encodeHTML, every name it puts into HTML.
//
//go:embed setup.js
var setupJS string

var snippet = template.Must(template.New("chart").Parse(
	`<div class="echart" id="{{.ID}}">
{{- if .Legend}}<div class="legend" id="{{.ID}}-legend">{{if .LegendTitle}}<span class="legend-title">{{.LegendTitle}}:</span> {{end}}
{{- range .Legend}}<button type="button" class="legend-item" aria-pressed="true" data-name="{{.Name}}">
<svg class="legend-swatch" width="28" height="12" viewBox="0 0 28 12" aria-hidden="true">
{{- if .Band}}<rect x="0" y="1" width="28" height="10" fill="{{.Color}}" fill-opacity="0.2"/>{{end}}
{{- if .Line}}<line x1="0" y1="6" x2="28" y2="6" stroke="{{.Color}}" stroke-width="2"{{if .Dashed}} stroke-dasharray="5 3"{{else if .Dotted}} stroke-dasharray="2 2"{{end}}{{if .Faint}} stroke-opacity="0.55"{{end}}/>{{end}}
{{- if .Bar}}<line x1="14" y1="0" x2="14" y2="12" stroke="{{.Color}}" stroke-width="1.5"/>{{end}}
{{- if eq .Mark "circle"}}<circle cx="14" cy="6" r="3.5" fill="{{.Color}}"/>{{end}}
{{- if eq .Mark "square"}}<rect x="10.5" y="2.5" width="7" height="7" fill="{{.Color}}"/>{{end}}
{{- if eq .Mark "dash"}}<rect x="7" y="4.5" width="14" height="3" fill="{{.Color}}"/>{{end}}
{{- if eq .Mark "box"}}<rect x="8" y="2" width="12" height="8" fill="{{.Color}}" fill-opacity="0.25" stroke="{{.Color}}"/>{{end -}}
</svg>{{.Name}}</button>{{end}}</div>{{end}}
<div class="panels{{if .Multi}} multi{{end}}">{{range .Spec.Panels}}<div class="panel" id="{{.ID}}" style="height:{{$.Height}}"></div>{{end}}</div>
</div>
<script>
"use strict";
(function (spec) {
{{.Setup}}
})({{.Spec}});
</script>`))

// Render draws c, each panel the given CSS height, as an element and the
// script that fills it. The element's ID is c.Name; its panels' are
// c.Name-p0, c.Name-p1, ...
func Render(c chart.Chart, height string) (template.HTML, error) {
	sp, err := build(c)
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", c.Name, err)
	}
	v := struct {
		ID, Height, LegendTitle string
		Legend                  []legendItem
		Multi                   bool
		Spec                    spec
		Setup                   template.JS
	}{ID: c.Name, Height: height, LegendTitle: c.LegendTitle, Legend: legend(c), Multi: len(c.Panels) > 1,
		Spec: sp, Setup: template.JS(setupJS)}
	var buf bytes.Buffer
	if err := snippet.Execute(&buf, v); err != nil {
		return "", fmt.Errorf("chart %s: %w", c.Name, err)
	}
	return template.HTML(buf.String()), nil
}

// legendItem is a legend entry and how its swatch looks.
type legendItem struct {
	Name, Color                 string
	Line, Dashed, Dotted, Faint bool
	Band, Bar                   bool
	Mark                        string // "circle", "square", "dash", "box" or ""
}

// legend is c's entries; none when every series is a box (the axis names
// the boxes) or there is nothing to tell apart.
func legend(c chart.Chart) []legendItem {
	var out []legendItem
	boxes := true
	for _, e := range c.Legend() {
		s := e.Series
		it := legendItem{Name: e.Name, Color: s.Color, Dashed: s.Dashed, Dotted: s.Dotted, Faint: s.Faint, Band: e.Band}
		if e.Shared {
			it.Color = chart.Muted
		}
		switch s.Kind {
		case chart.Line, chart.Band:
			it.Line = true
			boxes = false
		case chart.Points:
			it.Line, it.Mark = s.Connect, [...]string{"circle", "square", "dash"}[s.Glyph]
			it.Bar = s.Lo != nil && s.Glyph != chart.Dash
			boxes = false
		case chart.Box:
			it.Mark = "box"
		}
		out = append(out, it)
	}
	if boxes {
		return nil
	}
	return out
}
