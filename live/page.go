package live

import (
	"embed"
	"net/http"

	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/report/assets"
)

// The page and its script, embedded: it needs nothing from the network
// (ECharts comes from report/assets).
//
//go:embed page/index.html page/live.js page/live.css
var pageFS embed.FS

// servePage serves the page at / and its files beside it.
func servePage(mux *http.ServeMux) {
	file := func(name, ctype string, data func() ([]byte, error)) http.HandlerFunc {
		return node.Only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			b, err := data()
			if err != nil {
				writeError(w, http.StatusInternalServerError, "%v", err)
				return
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			// Nothing but this origin: the page fetches no other.
			w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
			w.Write(b)
		})
	}
	embedded := func(name string) func() ([]byte, error) {
		return func() ([]byte, error) { return pageFS.ReadFile(name) }
	}
	mux.HandleFunc("/live.js", file("live.js", "text/javascript; charset=utf-8", embedded("page/live.js")))
	mux.HandleFunc("/live.css", file("live.css", "text/css; charset=utf-8", embedded("page/live.css")))
	mux.HandleFunc("/echarts.min.js", file("echarts.min.js", "text/javascript; charset=utf-8",
		func() ([]byte, error) { return assets.ECharts(), nil }))
	index := file("index.html", "text/html; charset=utf-8", embedded("page/index.html"))
	mux.HandleFunc("/{$}", index)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such page %s; the live page is at /", r.URL.Path)
	})
}
