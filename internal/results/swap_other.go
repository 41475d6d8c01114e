//go:build !linux

package results

import "errors"

func exchangeDirs(a, b string) error { return errors.ErrUnsupported }
