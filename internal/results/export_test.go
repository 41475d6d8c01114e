package results

// MaxSummaryBytes lets the external tests build a summary.json just over
// the cap.
const MaxSummaryBytes = maxSummaryBytes

// CheckReplay lets the external tests hold a replay to a point directly.
var CheckReplay = checkReplay
