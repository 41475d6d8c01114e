package cluster

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine/node"
)

// processes are nodes running as child processes, one each.
type processes struct {
	command []string
	token   string // handed to every child in $GOSSIPBENCH_TOKEN
	mu      sync.Mutex
	cmds    []*exec.Cmd
	done    []chan struct{} // closed when the process has been waited for
}

// startupTimeout bounds how long a child may take to say where it listens.
const startupTimeout = 20 * time.Second

func startProcesses(ctx context.Context, n int, command []string, token string) (*processes, []string, error) {
	if len(command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, nil, err
		}
		command = []string{exe, "node"}
	}
	p := &processes{command: command, token: token, cmds: make([]*exec.Cmd, n), done: make([]chan struct{}, n)}
	urls := make([]string, n)
	for i := 0; i < n; i++ {
		url, err := p.start(ctx, i, command)
		if err != nil {
			return p, urls, fmt.Errorf("node %d: %w", i, err)
		}
		urls[i] = url
	}
	return p, urls, nil
}

// start runs one child on a free port and reads its first line, "...
// listening on URL".
func (p *processes) start(ctx context.Context, i int, command []string) (string, error) {
	return p.startAt(ctx, i, command, "127.0.0.1:0")
}

// startAt is start on the address listen: a node that comes back during a
// trial keeps its address, which its peers were configured with.
func (p *processes) startAt(ctx context.Context, i int, command []string, listen string) (string, error) {
	args := append(append([]string(nil), command[1:]...), "--listen", listen, "--id", strconv.Itoa(i))
	cmd := exec.Command(command[0], args...)
	cmd.Stderr = os.Stderr
	cmd.Env = childEnviron(os.Environ(), p.token)
	cmd.SysProcAttr = childAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmds[i], p.done[i] = cmd, done
	p.mu.Unlock()
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, out) // keep the pipe drained until the child exits
		cmd.Wait()
		close(done)
	}()
	select {
	case l, ok := <-line:
		fields := strings.Fields(l)
		if !ok || len(fields) == 0 || !strings.HasPrefix(fields[len(fields)-1], "http://") {
			return "", fmt.Errorf("node process did not say where it listens (got %q)", l)
		}
		return fields[len(fields)-1], nil
	case <-time.After(startupTimeout):
		return "", fmt.Errorf("node process did not start within %v", startupTimeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// reap waits for crashed children, which exit on their own.
func (p *processes) reap(ids []int) {
	for _, i := range ids {
		select {
		case <-p.done[i]:
		case <-time.After(5 * time.Second):
			p.cmds[i].Process.Kill()
			<-p.done[i]
		}
	}
}

// stop ends every child: politely, then for sure.
func (p *processes) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, cmd := range p.cmds {
		if cmd != nil && cmd.Process != nil {
			cmd.Process.Signal(os.Interrupt)
		}
	}
	deadline := time.NewTimer(3 * time.Second)
	defer deadline.Stop()
	late := false
	for i, d := range p.done {
		if d == nil {
			continue
		}
		if !late {
			select {
			case <-d:
				continue
			case <-deadline.C:
				late = true
			}
		}
		p.cmds[i].Process.Kill()
		<-d
	}
}

// childEnviron is this process's environment with the control token replaced
// by the cluster's: a child that found the user's own $GOSSIPBENCH_TOKEN
// would demand a token the harness does not know.
func childEnviron(env []string, token string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, node.TokenEnv+"=") {
			out = append(out, kv)
		}
	}
	return append(out, node.TokenEnv+"="+token)
}
