// Package version tells which build of gossipbench is running, from the
// information the Go toolchain stamps into every binary.
package version

import (
	"runtime"
	"runtime/debug"
)

// Info identifies a build.
type Info struct {
	Version   string `json:"version"`          // module version, "(devel)" for a local build
	Commit    string `json:"commit,omitempty"` // VCS revision, "+dirty" when built from a modified tree
	GoVersion string `json:"go_version"`
}

// Get reads the build information; it never fails, it just knows less.
func Get() Info {
	info := Info{Version: "(devel)", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	if bi.Main.Version != "" {
		info.Version = bi.Main.Version
	}
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && info.Commit != "" {
		info.Commit += "+dirty"
	}
	return info
}

func (i Info) String() string {
	s := "gossipbench " + i.Version
	if i.Commit != "" {
		s += " (" + i.Commit + ")"
	}
	return s + " " + i.GoVersion
}
