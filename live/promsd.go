package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/outdir"
)

// SDCluster is the cluster label of every target in the Prometheus
// file_sd file (docs/prometheus.yml selects on it).
const SDCluster = "gossipbench-live"

// sdGroup is one target group of a Prometheus file_sd file: one node, so
// that each carries its own node_id label.
type sdGroup struct {
	Targets []string          `json:"targets"`
	Labels  map[string]string `json:"labels"`
}

// openSD opens the directory of the file_sd file for writing (through
// internal/outdir: in it and never through a symlink).
func openSD(path string) (*outdir.Dir, string, error) {
	name := filepath.Base(path)
	if err := outdir.CheckName(name); err != nil || strings.HasSuffix(path, "/") {
		return nil, "", fmt.Errorf("%w %s: want a file's path", ErrTargetsFile, path)
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, "", fmt.Errorf("%w %s: is a directory, a symlink or another special file", ErrTargetsFile, path)
	}
	d, err := outdir.Open(filepath.Dir(path))
	if err != nil {
		return nil, "", fmt.Errorf("%w %s: %w", ErrTargetsFile, path, err)
	}
	return d, name, nil
}

// ErrTargetsFile is wrapped by the errors of a PrometheusSD path live
// cannot write: the user's to fix.
var ErrTargetsFile = errors.New("prometheus-sd")

// writeSD rewrites the file_sd file with the alive nodes, in one rename,
// so Prometheus never reads half a file; call with clMu held.
func (s *Server) writeSD() error {
	if s.sd == nil {
		return nil
	}
	groups := []sdGroup{}
	for i, u := range s.c.URLs() {
		if !s.c.Alive(i) {
			continue // a crashed node is no target: its process is gone
		}
		groups = append(groups, sdGroup{Targets: []string{strings.TrimPrefix(u, "http://")},
			Labels: map[string]string{"node_id": strconv.Itoa(i), "cluster": SDCluster}})
	}
	data, err := json.MarshalIndent(groups, "", "  ")
	if err != nil {
		return err
	}
	if err := s.sd.WriteFile(s.sdName, append(data, '\n')); err != nil {
		return fmt.Errorf("%w: writing the Prometheus targets: %w", ErrTargetsFile, err)
	}
	return nil
}
