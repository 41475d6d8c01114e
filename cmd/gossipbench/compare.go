package main

import "io"

// compareCmd is being written (issue 5).
func compareCmd(args []string, stdout, stderr io.Writer) error {
	return usageErrorf("compare is not built yet")
}
