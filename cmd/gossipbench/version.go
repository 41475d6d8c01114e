package main

import (
	"fmt"
	"io"

	"github.com/gossipbench/gossipbench/internal/version"
)

func versionCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return argsErrorf(fs, "version takes no arguments")
	}
	_, err = fmt.Fprintln(stdout, version.Get())
	return err
}
