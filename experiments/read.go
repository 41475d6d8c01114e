package experiments

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ReadSummary reads dir/summary.json, refusing other schema versions.
func ReadSummary(dir string) (*Summary, error) {
	var s Summary
	if err := readJSON(filepath.Join(dir, SummaryFile), &s); err != nil {
		return nil, err
	}
	if s.Schema != SchemaVersion {
		return nil, fmt.Errorf("%s: schema %d, this gossipbench reads schema %d", filepath.Join(dir, SummaryFile), s.Schema, SchemaVersion)
	}
	return &s, nil
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	var m Manifest
	if err := readJSON(filepath.Join(dir, ManifestFile), &m); err != nil {
		return nil, err
	}
	return &m, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadReplay reads one replay file, refusing other schema versions.
func ReadReplay(path string) (*ReplayFile, error) {
	var r ReplayFile
	if err := readJSON(path, &r); err != nil {
		return nil, err
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("%s: schema %d, this gossipbench reads schema %d", path, r.Schema, SchemaVersion)
	}
	if len(r.FirstInformed) != r.Params.Nodes || len(r.CrashedAt) != r.Params.Nodes {
		return nil, fmt.Errorf("%s: %d nodes but %d first-informed and %d crashed-at entries", path,
			r.Params.Nodes, len(r.FirstInformed), len(r.CrashedAt))
	}
	return &r, nil
}
