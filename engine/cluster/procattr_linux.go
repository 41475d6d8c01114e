package cluster

import "syscall"

// childAttr makes the kernel kill a node process if the driver dies, so no
// node outlives a crashed or killed run.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
