package merge

import (
	"errors"
	"fmt"
	"os"

	"github.com/gossipbench/gossipbench/internal/results"
)

// OpenShardSets reads what was given to merge. Each argument is one
// scenario's shard results, or a directory holding several (the --out
// directory of run --shard). When every argument is a scenario's results
// they must be the shards of that one scenario; when some are directories
// of results, the scenarios found are grouped by name and each group is
// merged on its own. Every group is checked before the first is written,
// and every problem found is reported.
func OpenShardSets(args []string) ([]*ShardSet, error) {
	if len(args) == 0 {
		return nil, mergeErrorf("no shard directories to merge")
	}
	var dirs []string
	var problems []string
	grouped := false
	for _, arg := range args {
		if st, err := os.Stat(arg); err != nil || !st.IsDir() {
			problems = append(problems, fmt.Sprintf("%s is not a directory", arg))
			continue
		}
		found, single, err := results.FindResults(arg)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case len(found) == 0:
			problems = append(problems, fmt.Sprintf("%s holds no results (no %s in it or in a directory in it)", arg, results.SummaryFile))
		}
		dirs = append(dirs, found...)
		grouped = grouped || !single
	}
	opened, problems := openAll(dirs, problems)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	groups := [][]*results.ResultDir{opened}
	if grouped {
		groups = nil
		at := map[string]int{}
		for _, r := range opened {
			i, ok := at[r.Summary.Name]
			if !ok {
				i = len(groups)
				at[r.Summary.Name] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], r)
		}
	}
	var sets []*ShardSet
	for _, g := range groups {
		set, err := openShards(g)
		var me *MergeError
		switch {
		case errors.As(err, &me):
			problems = append(problems, me.Problems...)
		case err != nil:
			closeAll(opened)
			return nil, err
		default:
			sets = append(sets, set)
		}
	}
	if len(problems) > 0 {
		closeAll(opened)
		return nil, &MergeError{problems}
	}
	return sets, nil
}

// openAll opens every result of dirs, adding a problem for each that
// cannot be read to problems; when there are any, it closes what it opened.
func openAll(dirs []string, problems []string) ([]*results.ResultDir, []string) {
	var opened []*results.ResultDir
	for _, dir := range dirs {
		r, err := results.OpenResult(dir)
		if err != nil {
			problems = append(problems, notResults(dir, err).Error())
			continue
		}
		opened = append(opened, r)
	}
	if len(problems) > 0 {
		closeAll(opened)
		return nil, problems
	}
	return opened, nil
}
