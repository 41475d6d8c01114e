package results

// MaxSummaryBytes lets the external tests build a summary.json just over
// the cap.
const MaxSummaryBytes = maxSummaryBytes
