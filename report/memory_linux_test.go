package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/peakmem"
	"github.com/gossipbench/gossipbench/internal/results"
)

// rounds.csv may hold 4 GiB; report read every row of it into memory at
// about four times the file's size before using one number per trial (a
// 400 MB file took 1.6 GB). Reading it trial by trial, report holds one
// trial at a time: here 40 trials of 25,000 rounds, a 40 MB file.
func TestLoadHoldsOneTrialOfRounds(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"single": sampleScenarios["single"]})
	dir := filepath.Join(root, "single")
	const trials, rounds = 40, 25_000
	var sum map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	p := sum["points"].([]any)[0].(map[string]any)
	p["trials"], p["converged"] = trials, 0
	p["params"].(map[string]any)["max_rounds"] = rounds
	p["params"].(map[string]any)["trials"] = trials
	p["metrics"] = map[string]any{}
	delete(p, "replay") // the trials replaced are not the replay's
	data, _ = json.Marshal(sum)
	os.WriteFile(filepath.Join(dir, results.SummaryFile), data, 0o644)
	os.Remove(filepath.Join(dir, results.TrialsFile)) // of the trials replaced; older results have none
	f, err := os.Create(filepath.Join(dir, results.RoundsFile))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, strings.Join(results.RoundsHeader(nil), ","))
	for tr := range trials {
		fmt.Fprintf(w, "base,%d,0,1,1,50,0,0,0,0,0,0,0,1,0,1,0,0,0\n", tr)
		for r := 1; r < rounds; r++ {
			fmt.Fprintf(w, "base,%d,%d,1,0,50,1,0,1,0,0,0,0,1,0,1,0,0,0\n", tr, r)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()

	used := peakmem.Of(t, func() {
		rd, err := results.OpenResult(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		if _, err := load(rd); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("rounds.csv %d MB, peak %d MB", st.Size()>>20, used>>20)
	if used > uint64(st.Size()) {
		t.Errorf("reading a %d MB rounds.csv took %d MB", st.Size()>>20, used>>20)
	}
}
