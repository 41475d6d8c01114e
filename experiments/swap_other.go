//go:build !linux

package experiments

import "errors"

func exchangeDirs(a, b string) error { return errors.ErrUnsupported }
