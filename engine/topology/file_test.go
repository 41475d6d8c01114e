package topology

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestReadEdges(t *testing.T) {
	in := "# a triangle and a tail\n\n0 1\n1\t2   # the second\n  2 0\n3 2\n"
	got, err := ReadEdges(strings.NewReader(in), 5)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int32{{0, 1}, {1, 2}, {2, 0}, {3, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadEdges = %v, want %v", got, want)
	}
	if err := CheckEdges(got, 5); err != nil {
		t.Errorf("CheckEdges of what ReadEdges read: %v", err)
	}
	// No final newline, no edges at all: both fine.
	if got, err := ReadEdges(strings.NewReader("0 1"), 2); err != nil || len(got) != 1 {
		t.Errorf("without a final newline: %v, %v", got, err)
	}
	if got, err := ReadEdges(strings.NewReader("# nothing\n\n"), 2); err != nil || len(got) != 0 {
		t.Errorf("only comments: %v, %v", got, err)
	}
}

func TestReadEdgesRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"one id", "0 1\n2\n", 5, `line 2: want one edge, two node ids ` + "`u v`" + `, got 1 fields "2"`},
		{"three ids", "0 1 2\n", 5, `line 1: want one edge, two node ids ` + "`u v`" + `, got 3 fields "0 1 2"`},
		{"negative", "# x\n0 -1\n", 5, `line 2: "-1" is not a node id (a non-negative integer)`},
		{"not a number", "a b\n", 5, `line 1: "a" is not a node id (a non-negative integer)`},
		{"fraction", "1 2.5\n", 5, `line 1: "2.5" is not a node id (a non-negative integer)`},
		{"id out of range", "0 1\n\n\n\n\n\n12 3\n", 10, "line 7: node 12 is not below nodes (10)"},
		{"id beyond int32", "0 99999999999\n", 10, "line 1: node 99999999999 is not below nodes (10)"},
		{"self-loop", "0 1\n4 4\n", 5, "line 2: 4 4 is a self-loop; a node cannot neighbour itself"},
		{"duplicate", "0 1\n1 2\n0 1\n", 5, "line 3: edge 0 1 is listed already, at line 1 (0 1); an edge is listed once, in either orientation"},
		{"reversed duplicate", "0 1\n2 3\n3 2\n", 5, "line 3: edge 3 2 is listed already, at line 2 (2 3); an edge is listed once, in either orientation"},
		// The first problem in the file is the one reported.
		{"duplicate before a bad line", "0 1\n1 0\nx y\n", 5, "line 2: edge 1 0 is listed already, at line 1 (0 1); an edge is listed once, in either orientation"},
		{"bad line before a duplicate", "0 1\nx y\n1 0\n", 5, `line 2: "x" is not a node id (a non-negative integer)`},
		{"long line", "0 1\n" + strings.Repeat("1", 5000) + "\n", 5, "line 2: longer than 4096 bytes; is this an edge list?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadEdges(strings.NewReader(tt.in), tt.n)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ReadEdges = %v, %v; want error %q", got, err, tt.want)
			}
		})
	}
}

// endless is a reader that never ends: /dev/zero, or a huge file.
type endless struct{ line []byte }

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.line[i%len(e.line)]
	}
	return len(p), nil
}

func TestReadEdgesCapsTheFile(t *testing.T) {
	want := "more than 67108864 bytes (64 MiB); an edge list is at most that"
	// Comments only: no edge limit reached, the bytes are.
	if _, err := ReadEdges(endless{[]byte("# padding padding padding\n")}, 10); err == nil || err.Error() != want {
		t.Errorf("endless comments: %v, want %q", err, want)
	}
	// Zeros: one endless line.
	if _, err := ReadEdges(io.LimitReader(endless{[]byte{0}}, 1<<20), 10); err == nil || !strings.Contains(err.Error(), "line 1: longer than") {
		t.Errorf("zeros: %v", err)
	}
}

func TestReadEdgesCapsTheEdges(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 10^7 edges")
	}
	// Short lines: the edge cap is reached within the byte cap. The
	// edges repeat, but the cap speaks first.
	in := strings.Repeat("0 1\n", MaxEdges+1)
	_, err := ReadEdges(strings.NewReader(in), 2)
	if want := "line 10000001: more than 10000000 edges; an edge list holds at most that many"; err == nil || err.Error() != want {
		t.Errorf("ReadEdges of MaxEdges+1 edges: %v, want %q", err, want)
	}
}
