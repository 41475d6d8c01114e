// Package echart puts a go-echarts chart into a page: an element and the
// script that draws into it.
//
// go-echarts' own snippets cannot hold text from result files: they write
// the options as JSON without HTML escaping, so a point ID holding
// </script> ends the script element, and they turn any string wrapped in
// __f__ into raw code, so an ID like __f__alert(1)__f__ runs. Here the
// options go through html/template's JS escaping instead, which keeps
// every string a string, and code (a tooltip formatter) is ours, passed
// apart from the data.
package echart

import (
	"bytes"
	"fmt"
	"html/template"
)

// Chart is a go-echarts chart (charts.Line, charts.BoxPlot, ...).
type Chart interface {
	Validate()
	JSON() map[string]any
}

var snippet = template.Must(template.New("chart").Parse(
	`<div class="container"><div class="item" id="{{.ID}}" style="width:100%;height:{{.Height}}"></div></div>
<script>
"use strict";
(function () {
  var chart = echarts.init(document.getElementById({{.ID}}), "white", { renderer: "canvas" });
  var option = {{.Option}};
{{.Setup}}
  chart.setOption(option);
})();
</script>`))

// HTML renders c into the element with the given id and CSS height. setup
// is our own script, run with option bound before the chart draws it (to
// set a formatter, which options as data cannot hold); it must escape, with
// echarts.format.encodeHTML, any name it puts into HTML.
func HTML(id, height string, c Chart, setup template.JS) (template.HTML, error) {
	c.Validate()
	var buf bytes.Buffer
	err := snippet.Execute(&buf, struct {
		ID, Height string
		Option     map[string]any
		Setup      template.JS
	}{id, height, c.JSON(), setup})
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", id, err)
	}
	return template.HTML(buf.String()), nil
}
