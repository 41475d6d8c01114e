package experiments

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// Costs the estimate uses, measured on this code (see
// TestMemoryEstimateIsAnUpperBound) and rounded up. Slices that grow by
// appending count twice their length.
const (
	simBytesPerNode     = 2 // three bitsets and up to memory.MaxWorkers more, plus slack
	crashBytesPerNode   = 4 // the list of alive nodes a crash draws from
	stampBytesPerNode   = 4 // the peer picker's stamps, fanout > 32 only
	httpBytesPerNode    = 256 << 10
	processBytesPerNode = 16 << 20
	baseBytes           = 64 << 20 // the program itself
	// The Go runtime lets the heap reach 4 MiB before it first collects,
	// and holds up to twice the live heap: no run takes less.
	heapFloorBytes = 8 << 20

	// Kept from a trial's end to the end of the write (the Summarizer):
	// its metrics and its informed count per round, in a slice that grows
	// by appending. While a trial runs, its rows are held three times: as
	// engine.RoundStats (88 bytes) for its metrics by the Summarizer and
	// by the file sink (for trials.csv), and as CSV text.
	keptTrialBytes  = 512
	keptRoundBytes  = 2 * 4
	roundBytes      = 88
	csvRoundBytes   = 64
	minRoundsBytes  = 6144
	replayNodeBytes = 8          // first-informed and crashed-at rounds
	edgeListBytes   = 2 * 8      // kind file's edges, kept by the scenario, in a slice grown by appending
	replayEdgeBytes = 2 * 12     // engine.Edge
	replayRoundByte = 2 * 24     // a slice per round
	pointBytes      = 4 << 10    // a point's summary, its metrics and timings
	curveRoundBytes = 2 * 9 * 8  // summary.json's curve arrays
	trialSumBytes   = 11 * 8 * 4 // each metric's sample, sorted copies, while summarizing a point
	trialTextBytes  = 2 * 10 * 8 // the trial's wall time in manifest.json, encoded

	// Written one file at a time, then dropped. encoding/json builds a
	// file whole in a buffer that doubles, and indents it into another.
	curveTextBytes  = 4 * 9 * 32 // a round of the curve in summary.json, indented
	pointTextBytes  = 4 * 4 << 10
	fileEdgeBytes   = 16 + 3*24 // [4]int32, then "[from,to,kind,outcome]," in the JSON buffer
	fileRoundBytes  = 24 + 3*4
	settleRounds    = 4096 // mean-field rounds computed per point at most
	boundSlack      = 2    // trials run longer than expected: bounds are twice the expectation
	boundSlackExtra = 16   // plus this many rounds
)

// MemoryEstimate is how many bytes running the scenario needs at most with
// parallel trials at once. Trials stream to the files as they run (see
// docs/design.md, "Data flow"): what stays is each trial's metrics and
// informed counts per round, and the replay of every point that records
// one; on top come the trials in flight with their rows while running, or
// the summary and the largest file being encoded while writing.
func (s *Scenario) MemoryEstimate(parallel int) uint64 {
	var kept, inFlight, summary, summaryText, worstPoint, worstFile float64
	trials := float64(s.Trials)
	for _, p := range s.Points() {
		n := float64(p.Params.Nodes)
		b := s.bound(p)
		kept += trials * (keptTrialBytes + keptRoundBytes*b.rounds)
		rows := math.Max(minRoundsBytes, 2*(2*roundBytes+csvRoundBytes)*b.rounds)
		inFlight = math.Max(inFlight, (s.trialBytes(p)+rows)*float64(parallel))
		summary += pointBytes + curveRoundBytes*b.rounds + trialTextBytes*trials
		summaryText += pointTextBytes + curveTextBytes*b.rounds
		worstPoint = math.Max(worstPoint, trialSumBytes*trials)
		if p.Params.Nodes <= s.Replay.MaxNodes {
			kept += replayNodeBytes*n + replayEdgeBytes*b.msgs + replayRoundByte*b.rounds
			worstFile = math.Max(worstFile, fileEdgeBytes*b.msgs+fileRoundBytes*b.rounds+8*n)
		}
	}
	write := summary + math.Max(worstPoint, math.Max(summaryText, worstFile))
	kept += edgeListBytes * float64(len(s.edges))
	return uint64(kept+math.Max(inFlight, write)) + heapFloorBytes + baseBytes
}

// trialBytes is what one trial of p uses while it runs, beyond what it
// keeps.
func (s *Scenario) trialBytes(p Point) float64 {
	n := float64(p.Params.Nodes)
	trial := simBytesPerNode * n
	if cfg := s.Config(p, 0, false); cfg.World() {
		// A trial on the World (mongering, or faults over time): per
		// rumor and node a protocol.RumorState, beside the bits.
		trial += float64(protocol.WorldBytes(p.Params.Nodes, cfg.Rumors.N(), p.Params.Fanout))
	}
	// The trial's graph (drawn for each trial); a file's edges are the
	// scenario's, counted once (MemoryEstimate).
	trial += float64(topology.Bytes(s.Config(p, 0, false).Topology, p.Params.Nodes))
	if len(s.Failures) > 0 {
		trial += crashBytesPerNode * n
	}
	if p.Params.Fanout > 32 {
		trial += stampBytesPerNode * n
	}
	switch {
	case p.Params.Engine != "memory" && s.HTTP.Processes:
		trial += processBytesPerNode * n
	case p.Params.Engine != "memory":
		trial += httpBytesPerNode * n
	}
	return trial
}

// runBound is how long a trial of a point runs and how many messages its
// replay records, high enough for memory's sake.
type runBound struct{ rounds, msgs float64 }

// bound takes the expectations from the mean-field model: a trial is still
// running after round t only if a node is uninformed then, so by Markov's
// inequality with probability at most the expected uninformed count U_t.
// Where the model has not settled within settleRounds (a very lossy point)
// every trial is taken to run to max_rounds with every node sending every
// round; this keeps the cost of the estimate independent of max_rounds.
func (s *Scenario) bound(p Point) runBound {
	cfg := s.Config(p, 0, false)
	maxRounds := cfg.MaxRounds
	perRound := float64(p.Params.Nodes * p.Params.Fanout)
	if p.Params.Mode != engine.Push {
		perRound *= 2 // requests and answers
	}
	limit := min(maxRounds, settleRounds)
	c := meanfield.Trajectory(meanfield.FromConfig(cfg), limit)
	last := len(c) - 1
	if last == limit && limit < maxRounds {
		return runBound{rounds: float64(maxRounds + 1), msgs: float64(maxRounds) * perRound}
	}
	running := func(t int) float64 { return math.Min(1, c[t].Alive-c[t].Informed) }
	var rounds, msgs float64
	for t := 0; t < min(maxRounds, last); t++ {
		rounds += running(t)
		msgs += running(t) * c[t+1].Sent
	}
	if k := float64(maxRounds - last); k > 0 { // settled: the same every round
		rounds += k * running(last)
		msgs += k * running(last) * c[last].Sent
	}
	rounds = math.Min(float64(maxRounds+1), boundSlack*(1+rounds)+boundSlackExtra)
	return runBound{rounds: rounds, msgs: math.Min(boundSlack*msgs, (rounds-1)*perRound)}
}

// CheckMemory refuses a run that cannot fit in available bytes, saying what
// it needs and what to change.
func (s *Scenario) CheckMemory(parallel int, available uint64) error {
	need := s.MemoryEstimate(parallel)
	if available == 0 || float64(need) <= 0.8*float64(available) {
		return nil
	}
	return fmt.Errorf("%s needs about %s of memory with -j %d, and %s is available; "+
		"lower -j, nodes, topology.degree, or replay.max_nodes (replays of large points cost the most)",
		s.File, bytesText(need), parallel, bytesText(available))
}

// AvailableMemory is what the machine can give a new run now (Linux:
// MemAvailable, within the cgroup's limit); 0 when unknown.
func AvailableMemory() uint64 {
	avail := meminfo("/proc/meminfo", "MemAvailable:")
	if limit := cgroupLimit(); limit > 0 && (avail == 0 || limit < avail) {
		avail = limit
	}
	return avail
}

func meminfo(path, key string) uint64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 && fields[0] == key {
			kb, _ := strconv.ParseUint(fields[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func cgroupLimit() uint64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0 // "max": no limit
	}
	return v
}

func bytesText(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", b>>10)
}
