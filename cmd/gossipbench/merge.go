package main

import "io"

// mergeCmd is being written (issue 5).
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	return usageErrorf("merge is not built yet")
}
