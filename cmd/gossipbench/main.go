// Command gossipbench runs gossip-protocol experiments described by YAML
// scenarios and writes their results. See README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Exit codes, as docs/design.md, "CLI", fixes them.
const (
	exitOK      = 0
	exitFailed  = 1 // the run itself failed
	exitBadUser = 2 // bad usage or bad input
)

func main() {
	os.Exit(exitCode(run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"run", "run scenarios and write results/<name>/", runCmd},
	{"report", "write HTML pages and charts for results/ (index.html)", reportCmd},
	{"compare", "compare two results (BASE NEW): what moved, and is it beyond noise", compareCmd},
	{"merge", "join the results of run --shard into one results directory", mergeCmd},
	{"node", "run one gossip node (HTTP API) in this process", nodeCmd},
	{"version", "print the version", versionCmd},
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return usageErrorf("no command given")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return usageErrorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gossipbench measures gossip protocols: rounds and messages until every node knows.")
	fmt.Fprintln(w, "\nUsage: gossipbench COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'gossipbench COMMAND --help' for a command's flags.")
}

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	msg := err.Error()
	var ue usageError
	var ie *experiments.InvalidError
	var re *results.ResultError
	code := exitFailed
	switch {
	case errors.As(err, &ue):
		code = exitBadUser
	case errors.As(err, &ie):
		code = exitBadUser
		msg = ie.Error()
	case errors.As(err, &re): // results are input too
		code = exitBadUser
	}
	if msg == "" { // already explained
		return code
	}
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintln(stderr, "gossipbench: "+line)
	}
	return code
}

// parseArgs parses flags and returns the positional arguments. Flags may
// come after positional arguments too ("run scenarios/x.yaml -j 2"), which
// the flag package alone does not allow. --help prints to stdout and returns
// flag.ErrHelp; a bad flag has already been explained by the flag package
// and returns a silent usage error.
func parseArgs(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, flag.ErrHelp
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gossipbench %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
