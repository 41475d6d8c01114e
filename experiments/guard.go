package experiments

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine/meanfield"
)

// Per-node costs the estimate uses, measured on this code (see
// TestMemoryEstimateIsAnUpperBound) and rounded up.
const (
	simBytesPerNode     = 1         // three bitsets, plus slack
	crashBytesPerNode   = 4         // the list of alive nodes a crash draws from
	stampBytesPerNode   = 4         // the peer picker's stamps, fanout > 32 only
	replayBytesPerNode  = 8         // first-informed and crashed-at rounds
	replayBytesPerEdge  = 2*12 + 16 // engine.Edge with slice growth, then [4]int32 in the replay file
	httpBytesPerNode    = 256 << 10
	processBytesPerNode = 16 << 20
	baseBytes           = 64 << 20 // the program itself
)

// MemoryEstimate is how many bytes running the scenario needs at most, with
// parallel trials at once: the largest point's trial times parallel, and
// its replay.
func (s *Scenario) MemoryEstimate(parallel int) uint64 {
	var worst float64
	for _, p := range s.Points() {
		n := float64(p.Params.Nodes)
		trial := simBytesPerNode * n
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
		total := trial * float64(parallel)
		if p.Params.Nodes <= s.Replay.MaxNodes {
			cfg := s.Config(p, 0, true)
			msgs := meanfield.Predict(meanfield.FromConfig(cfg), cfg.MaxRounds).MessagesPerNode * n
			total += replayBytesPerNode*n + replayBytesPerEdge*msgs
		}
		worst = math.Max(worst, total)
	}
	return uint64(worst) + baseBytes
}

// CheckMemory refuses a run that cannot fit in available bytes, saying what
// it needs and what to change.
func (s *Scenario) CheckMemory(parallel int, available uint64) error {
	need := s.MemoryEstimate(parallel)
	if available == 0 || float64(need) <= 0.8*float64(available) {
		return nil
	}
	return fmt.Errorf("%s needs about %s of memory with -j %d, and %s is available; "+
		"lower -j, nodes, or replay.max_nodes (replays of large points cost the most)",
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
