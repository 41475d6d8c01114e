package results_test

import "github.com/gossipbench/gossipbench/internal/resultstest"

// The reader's tests read what real runs write: the runner is the one
// writer of results that matters.

// Shared with the other readers' tests (internal/resultstest).
var (
	testEngines = resultstest.Engines
	mustParse   = resultstest.Parse
	openResult  = resultstest.Open
	editJSON    = resultstest.EditJSON
)

const gridYAML = resultstest.GridYAML
