module github.com/gossipbench/gossipbench

go 1.26.0

require (
	gonum.org/v1/gonum v0.17.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/sys v0.50.0
