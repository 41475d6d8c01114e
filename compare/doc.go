// Package compare diffs two sets of gossipbench results, BASE and NEW: per
// scenario, sweep point and metric, both means, the change, and whether it
// is beyond noise, with the test used and its p-value. Gates turn chosen
// significant changes into a failure for CI. It reads result files only,
// never runs an engine.
//
// # Statistics
//
// Per-trial metrics (rounds_to_50/90/99/full, messages_per_node,
// redundancy, residue, failed_fraction, and for the http engine
// bytes_per_node, bytes_per_message, seconds_per_round) use Welch's t-test on summary.json's n, mean and sd,
// with Welch–Satterthwaite degrees of freedom; rounds_to_* only count the
// trials that got there, so their n can be below the trial count. With
// Options.Test = MannWhitneyU they use the Mann-Whitney U test on the
// per-trial values rebuilt from rounds.csv instead (normal approximation,
// tie and continuity corrected). wall_seconds (manifest.json) and
// seconds_per_round, times rounds.csv does not hold, always use Welch. When both sides have sd 0 the result is "exact": p 1 for equal
// means, 0 otherwise. The converged fraction uses Fisher's exact test when
// any expected cell count is below 5, the pooled two-proportion z-test
// otherwise. A side with fewer than 2 trials is not tested ("none").
// Every p-value is two-sided; a change is significant when p < alpha. For
// the times (wall_seconds, seconds_per_round) the means must also differ by more than 1 ms and by more
// than 5 % of BASE's mean (WallFloorSeconds, WallFloorPercent): below that a
// change is machine noise however small p is. No
// correction is made for testing many metrics and points at once, which is
// why the default alpha is 0.01.
//
// # JSON output (format 1)
//
// Report is written as is, every row included (the text, markdown and
// HTML tables list only changed rows unless Report.ShowAll), so its field
// names are the interface:
//
//	{"format": 1, "base": "results-main", "new": "results", "alpha": 0.01,
//	 "test": "welch_t",                     // or "mann_whitney_u": what was asked for
//	 "verdict": "1 significant change, 1 gate tripped",
//	 "significant": 1,                      // significant changes, wall time excluded
//	 "wall_significant": 0,                 // points whose wall time changed significantly
//	 "gates": [{"gate": "rounds_to_full>+5%", "metric": "rounds_to_full",
//	            "threshold": 5, "percent": true,
//	            "tripped": [{"scenario": "loss", "point": "loss=0.1", "base": 6.1, "new": 7.2,
//	                         "delta": 1.1, "delta_pct": 18.0, "p": 1e-9, "test": "welch_t"}]}],
//	 "warnings": [],                        // e.g. a missing manifest.json
//	 "scenarios": [{"name": "loss", "status": "both",   // or "only_base", "only_new"
//	   "notes": ["BASE has seed 1, NEW has seed 2"], // what differs between the runs
//	   "warnings": ["sweep keys differ: BASE has sweep keys fanout, NEW has sweep keys mode"],
//	   "points": [{"id": "loss=0.1", "status": "both", "notes": ["BASE has loss 0, NEW has loss 0.3"],
//	     "metrics": [{"metric": "rounds_to_full",
//	       "base": {"n": 30, "mean": 6.1, "sd": 0.3}, "new": {"n": 30, "mean": 7.2, "sd": 0.5},
//	       "delta": 1.1, "delta_pct": 18.0, "test": "welch_t", "p": 1e-9,
//	       "significant": true, "worse": true, "gates_tripped": ["rounds_to_full>+5%"]}]}]}]}
//
// Points and scenarios are in BASE's order followed by those only in NEW;
// metrics in the order of Metrics(). "worse" is true for a significant
// change in the direction the metric is worse in (up for costs such as
// rounds and messages, down for converged). Scenario notes list the
// parameters that differ and are not swept (seed, trials, failures,
// http.*: every parameter in summary.json's params), point notes the swept
// ones. "base" or "new" is null where that side
// lacks the metric; "delta_pct" is null when BASE's mean is 0 and NEW's is
// not; "p" is null when nothing could be tested (test "none"). The
// converged metric's sides also carry "count", the converged trials, with
// "n" the trials and "mean" the fraction. Numbers have 10 significant
// digits. Test names: welch_t, mann_whitney_u, exact, fisher_exact,
// two_proportion_z, none.
package compare
