package assets

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// The embedded ECharts is the one VERSIONS names, byte for byte.
func TestAssetChecksum(t *testing.T) {
	versions, err := files.ReadFile("VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	sc := bufio.NewScanner(strings.NewReader(string(versions)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		data, err := files.ReadFile(f[0])
		if err != nil {
			t.Fatalf("VERSIONS names %s: %v", f[0], err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != f[len(f)-1] {
			t.Errorf("%s: sha256 %s, VERSIONS says %s", f[0], got, f[len(f)-1])
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("VERSIONS lists no file")
	}
}

// compare inlines ECharts in its page; nothing in it may end or change
// the script element it sits in.
func TestEChartsInlines(t *testing.T) {
	js := strings.ToLower(string(ECharts()))
	for _, bad := range []string{"</script", "<!--", "<script"} {
		if strings.Contains(js, bad) {
			t.Errorf("echarts.min.js holds %q and cannot be inlined", bad)
		}
	}
}
