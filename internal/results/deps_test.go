package results_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The readers of results (report, compare, merge) depend on this package,
// never on the scenario decoder or the runner: a result downloaded from CI
// is read without the machinery that made it.
func TestReadersDoNotDependOnTheRunner(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "list", "-deps", "../../report/...", "../../compare/...", "../../merge/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasSuffix(pkg, "/experiments") || strings.HasPrefix(pkg, "gopkg.in/yaml") {
			t.Errorf("a reader of results depends on %s", pkg)
		}
	}
}
