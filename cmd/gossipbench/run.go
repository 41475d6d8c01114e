package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/cluster"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// engines are the engines this build carries.
var engines = map[string]engine.Engine{
	"memory": memory.Engine{},
	"http":   &cluster.Engine{},
}

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "run [flags] SCENARIO.yaml...", stderr)
	out := fs.String("out", "results", "write results to `DIR`/<scenario name>/")
	trials := fs.Int("trials", 0, "trials per sweep point (`N`), overriding the scenario's")
	seedText := fs.String("seed", "", "base `SEED` (a non-negative integer), overriding the scenario's")
	engineName := fs.String("engine", "", "engine to run on (memory, http), overriding the scenario's")
	parallel := fs.Int("j", runtime.NumCPU(), "trials to run in parallel (`N`)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	var setTexts []string
	fs.Func("set", "set a field of every scenario file given: `KEY=VALUE`, VALUE read as YAML; repeatable, a later one wins\n"+
		"(fanout=3, http.interval=100ms; fanout=[1,2,4] sweeps fanout); checked like the file, and applied in <name>/scenario.yaml",
		func(text string) error { setTexts = append(setTexts, text); return nil })
	shardText := fs.String("shard", "", "run only shard `I/N` of each sweep: the points whose index modulo N is I-1\n(for CI matrices; join the shards with gossipbench merge)")
	paths, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return argsErrorf(fs, "run needs at least one scenario file")
	}
	if flagSet(fs, "trials") && (*trials < 1 || *trials > results.MaxTrials) {
		return usageErrorf("--trials must be from 1 to %d, got %d", results.MaxTrials, *trials)
	}
	var sets []experiments.Set
	for _, text := range setTexts {
		set, err := experiments.ParseSet(text)
		if err != nil {
			return usageErrorf("%v", err)
		}
		sets = append(sets, set)
	}
	// The flags win over --set: the sets they override never reach the
	// decoder (Override applies the flags after it).
	for key, given := range map[string]bool{"trials": flagSet(fs, "trials"), "seed": *seedText != "", "engine": *engineName != ""} {
		if given {
			sets = experiments.Overridden(sets, key)
		}
	}
	if *parallel < 1 {
		return usageErrorf("-j must be at least 1, got %d", *parallel)
	}
	var seed *uint64
	if *seedText != "" {
		v, err := strconv.ParseUint(*seedText, 10, 64)
		if err != nil {
			return usageErrorf("--seed must be a non-negative integer, got %q", *seedText)
		}
		seed = &v
	}
	var shard *results.Shard
	if flagSet(fs, "shard") {
		sh, err := results.ParseShard(*shardText)
		if err != nil {
			return usageErrorf("%v", err)
		}
		shard = &sh
	}

	if err := results.CheckOutDir(*out); err != nil {
		return usageErrorf("--out: %v", err)
	}
	scenarios, err := loadScenarios(paths, sets, *trials, seed, *engineName, *parallel)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer closeEngines()
	host := hostInfo()
	for _, s := range scenarios {
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		show := chooseProgress(*quiet, stderr, s.Name, tick.C)
		first := true
		runner := experiments.Runner{Engines: engines, Parallel: *parallel, Shard: shard,
			Progress: func(done, total int) {
				if first {
					first = false
					phase(ctx, "trial")
				}
				show.update(done, total)
			}}
		phase(ctx, "run")
		writing := false
		// Rounds go to disk as trials end; an interrupt before the
		// result is in place abandons it, and once it is in place the
		// scenario is done, interrupted or not.
		w, err := runner.RunTo(ctx, *out, s, experiments.RunInfo{Host: host, Parallel: *parallel,
			Command: append([]string{"gossipbench", "run"}, args...),
			BeforeWrite: func() {
				show.finish()
				writing = true
				phase(ctx, "write")
			}})
		show.finish()
		if err != nil {
			switch {
			case ctx.Err() != nil && writing:
				return fmt.Errorf("%s: interrupted while writing; nothing written", s.Name)
			case ctx.Err() != nil:
				return fmt.Errorf("%s: interrupted; nothing written", s.Name)
			}
			return err
		}
		if !*quiet {
			printTable(stdout, s, w.Summary, w.Run, w.Dir)
		}
	}
	return nil
}

// phase is told as each scenario starts running, finishes its first trial,
// and starts writing.
// Tests set it, in a child process, to know when to send a signal instead
// of guessing with a sleep.
var phase = func(ctx context.Context, name string) {}

func hostInfo() results.Host {
	name, _ := os.Hostname()
	return results.Host{Name: name, OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU()}
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// closeEngines stops what engines keep between trials (the http engine's
// clusters), so no node outlives the command.
func closeEngines() {
	for _, e := range engines {
		if c, ok := e.(io.Closer); ok {
			c.Close()
		}
	}
}

// loadScenarios reads and checks every file before any runs, so that a
// typo in the third file does not surface after the first two have run for
// minutes. Everything it refuses is bad input: exit 2.
func loadScenarios(paths []string, sets []experiments.Set, trials int, seed *uint64, engineName string, parallel int) ([]*experiments.Scenario, error) {
	var scenarios []*experiments.Scenario
	names := map[string]string{}
	for _, p := range paths {
		s, err := experiments.Load(p, sets...)
		if err != nil {
			return nil, err
		}
		if err := s.Override(trials, seed, engineName); err != nil {
			return nil, usageErrorf("%v", err)
		}
		if err := s.CheckEngines(engines); err != nil {
			return nil, usageErrorf("%v", err)
		}
		if other, dup := names[s.Name]; dup {
			return nil, usageErrorf("%s and %s both have name %q and would write the same results", other, p, s.Name)
		}
		names[s.Name] = p
		if err := s.CheckMemory(parallel, experiments.AvailableMemory()); err != nil {
			return nil, usageErrorf("%v", err)
		}
		scenarios = append(scenarios, s)
	}
	return scenarios, nil
}
