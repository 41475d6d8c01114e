package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/merge"
)

// mergeCmd joins the shards that run --shard wrote into whole results.
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", "merge [flags] SHARD_DIR...\n\n"+
		"Joins the results of 'gossipbench run --shard I/N' into DIR/<name>/, the same\n"+
		"files a run without --shard writes. A SHARD_DIR is one scenario's shard\n"+
		"results (shards/1/fanout) or the --out directory of a sharded run (shards/1),\n"+
		"whose scenarios are then merged each on its own.", stderr)
	out := fs.String("out", "results", "write the merged results to `DIR`/<scenario name>/")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	dirs, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return argsErrorf(fs, "merge needs the shard directories to join")
	}
	if err := results.CheckOutDir(*out); err != nil {
		return usageErrorf("--out: %v", err)
	}
	sets, err := merge.OpenShardSets(dirs)
	if err != nil {
		return mergeError(err)
	}
	defer func() {
		for _, set := range sets {
			set.Close()
		}
	}()
	if err := merge.CheckOut(*out, sets); err != nil {
		return mergeError(err)
	}
	for _, set := range sets {
		dir, err := set.Write(*out, append([]string{"gossipbench", "merge"}, args...))
		if err != nil {
			return mergeError(err)
		}
		if !*quiet {
			fmt.Fprintf(stdout, "%s: merged %d shards, %d points -> %s\n", set.Name, len(set.Shards()), len(set.Points()), dir)
		}
	}
	return nil
}

// mergeError makes bad shards a usage error: exit 2.
func mergeError(err error) error {
	var me *merge.MergeError
	if !errors.As(err, &me) {
		return err
	}
	lines := strings.Split(err.Error(), "\n")
	for i := range lines {
		lines[i] = "merge: " + lines[i]
	}
	return usageErrorf("%s", strings.Join(lines, "\n"))
}
