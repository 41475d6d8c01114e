// Package results is the one definition of a result directory: the files
// a run writes (summary.json, manifest.json, rounds.csv, trials.csv,
// replays), the reader that checks every one of them before anyone uses it
// (results are downloaded from CI, so untrusted), the writer that swaps a
// result into place whole, and the statistics summaries hold. It knows nothing of
// scenario files or of running trials: report, compare and merge read
// results through it alone.
package results
