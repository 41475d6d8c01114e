// Package report will turn result files into HTML pages and static charts.
// It reads only what experiments writes to results/, never runs an engine,
// so any earlier result can be rendered again. See DESIGN.md.
package report
