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
	{"live", "start a cluster of real nodes and watch messages spread in the browser", liveCmd},
	{"node", "run one gossip node (HTTP API) in this process", nodeCmd},
	{"version", "print the version", versionCmd},
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return commandError("no command given")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" { // help COMMAND: that command's help
			if c := findCommand(args[1]); c != nil {
				return c.run([]string{"--help"}, stdout, stderr)
			}
			return commandError(fmt.Sprintf("unknown command %q", args[1]))
		}
		usage(stdout)
		return nil
	case "--version", "-version", "-v":
		return versionCmd(args[1:], stdout, stderr)
	}
	if c := findCommand(args[0]); c != nil {
		return c.run(args[1:], stdout, stderr)
	}
	return commandError(fmt.Sprintf("unknown command %q", args[0]))
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// commandError is a missing or unknown command: the reason, then the
// commands in one line rather than the whole help.
func commandError(reason string) error {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return usageError{msg: reason, hint: "Usage: gossipbench COMMAND [flags] [args]; commands: " + strings.Join(names, ", ") +
		"\nRun 'gossipbench help' for what each does."}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gossipbench measures gossip protocols: rounds and messages until every node knows.")
	fmt.Fprintln(w, "\nUsage: gossipbench COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'gossipbench COMMAND --help' for a command's flags.")
}

// usageError is bad usage: exit code 2. hint, printed after the reason,
// says where the usage is, for mistakes in the command line's shape.
type usageError struct{ msg, hint string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return usageError{msg: fmt.Sprintf(format, args...)}
}

// argsErrorf is a usage error in a command's flags or arguments: the
// reason, then where to find the command's usage.
func argsErrorf(fs *flag.FlagSet, format string, args ...any) error {
	return usageError{msg: fmt.Sprintf(format, args...),
		hint: fmt.Sprintf("Run 'gossipbench %s --help' for the flags and arguments.", fs.Name())}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	msg, hint := err.Error(), ""
	var ue usageError
	var ie *experiments.InvalidError
	var re *results.ResultError
	code := exitFailed
	switch {
	case errors.As(err, &ue):
		code = exitBadUser
		hint = ue.hint
	case errors.As(err, &ie):
		code = exitBadUser
		msg = ie.Error()
	case errors.As(err, &re): // results are input too
		code = exitBadUser
	}
	if msg != "" {
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintln(stderr, "gossipbench: "+line)
		}
	}
	if hint != "" {
		fmt.Fprintln(stderr, hint)
	}
	return code
}

// parseArgs parses flags and returns the positional arguments. Flags may
// come after positional arguments too ("run scenarios/x.yaml -j 2"), which
// the flag package alone does not allow. --help prints to stdout and returns
// flag.ErrHelp; a bad flag is a usage error that says why, and where the
// usage is, instead of the flag package's whole usage before the reason.
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
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, argsErrorf(fs, "%s: %v", fs.Name(), err)
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
		fmt.Fprintf(fs.Output(), "Usage: gossipbench %s\n", synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}
