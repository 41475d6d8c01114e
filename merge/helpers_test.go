package merge_test

import "github.com/gossipbench/gossipbench/internal/resultstest"

// The shards merged in these tests are written by real sharded runs.

// Shared with the other readers' tests (internal/resultstest).
var (
	testEngines = resultstest.Engines
	mustParse   = resultstest.Parse
	openResult  = resultstest.Open
	editJSON    = resultstest.EditJSON
)

const gridYAML = resultstest.GridYAML
