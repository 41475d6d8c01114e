package topology

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Limits of an edge-list file (kind file). A file is read whole into
// memory and travels with every result, so a cap keeps a mistake (or
// /dev/zero behind a symlink) from exhausting either; 10^7 edges is a
// 2·10^6-node graph of degree 10, far beyond what a file is for.
const (
	MaxEdgesBytes = 64 << 20
	MaxEdges      = 10_000_000
	maxLineBytes  = 4096
)

// ReadEdges reads an edge list on n nodes: one edge `u v` per line, the
// two node ids non-negative integers below n separated by spaces or tabs;
// `#` starts a comment, to the end of the line; blank lines are skipped.
// Its errors name the line ("line 7: ..."): a malformed line, an id not
// below n, a self-loop, an edge listed twice (in either orientation,
// naming the earlier line), a file beyond MaxEdgesBytes or MaxEdges. The
// edges come back in file order, as written; CheckEdges holds for them.
func ReadEdges(r io.Reader, n int) ([][2]int32, error) {
	cr := &countingReader{r: io.LimitReader(r, MaxEdgesBytes+1)}
	// Beyond the cap every other complaint (a line cut short) is moot.
	tooBig := func(err error) error {
		if cr.n > MaxEdgesBytes {
			return fmt.Errorf("more than %d bytes (64 MiB); an edge list is at most that", MaxEdgesBytes)
		}
		return err
	}
	sc := bufio.NewScanner(cr)
	sc.Buffer(make([]byte, 0, maxLineBytes), maxLineBytes)
	var out [][2]int32
	var lines []int32 // of each edge, for the duplicates' message
	line := 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if i := bytes.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := bytes.Fields(text)
		if len(fields) == 0 {
			continue
		}
		e, err := parseEdge(fields, n)
		if err != nil {
			return nil, tooBig(firstError(out, lines, fmt.Errorf("line %d: %w", line, err)))
		}
		if len(out) == MaxEdges {
			return nil, tooBig(fmt.Errorf("line %d: more than %d edges; an edge list holds at most that many", line, MaxEdges))
		}
		out = append(out, e)
		lines = append(lines, int32(line))
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line %d: longer than %d bytes; is this an edge list?", line+1, maxLineBytes)
		} else {
			err = fmt.Errorf("reading after line %d: %w", line, err)
		}
		return nil, tooBig(firstError(out, lines, err))
	}
	if err := tooBig(duplicate(out, lines)); err != nil {
		return nil, err
	}
	return out, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// parseEdge reads the fields of one line.
func parseEdge(fields [][]byte, n int) ([2]int32, error) {
	if len(fields) != 2 {
		return [2]int32{}, fmt.Errorf("want one edge, two node ids `u v`, got %d fields %q", len(fields), shorten(bytes.Join(fields, []byte(" "))))
	}
	var e [2]int32
	for i, f := range fields {
		v, err := strconv.ParseUint(string(f), 10, 31)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return e, fmt.Errorf("node %s is not below nodes (%d)", shorten(f), n)
			}
			return e, fmt.Errorf("%q is not a node id (a non-negative integer)", shorten(f))
		}
		if v >= uint64(n) {
			return e, fmt.Errorf("node %d is not below nodes (%d)", v, n)
		}
		e[i] = int32(v)
	}
	if e[0] == e[1] {
		return e, fmt.Errorf("%d %d is a self-loop; a node cannot neighbour itself", e[0], e[1])
	}
	return e, nil
}

func shorten(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// firstError is err, unless an edge before it is a duplicate,
// which comes first in the file.
func firstError(edges [][2]int32, lines []int32, err error) error {
	if dup := duplicate(edges, lines); dup != nil {
		return dup
	}
	return err
}

// duplicate finds the edge listed twice whose second listing comes first:
// sorting the edges' keys finds whether there is one in O(m log m)
// without a map of every edge; only then a second pass names the lines.
func duplicate(edges [][2]int32, lines []int32) error {
	key := func(e [2]int32) uint64 {
		return uint64(min(e[0], e[1]))<<32 | uint64(max(e[0], e[1]))
	}
	keys := make([]uint64, len(edges))
	for i, e := range edges {
		keys[i] = key(e)
	}
	slices.Sort(keys)
	dups := map[uint64]int{} // key -> index of its first listing, once seen
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			dups[keys[i]] = -1
		}
	}
	if len(dups) == 0 {
		return nil
	}
	for i, e := range edges {
		k := key(e)
		first, ok := dups[k]
		switch {
		case !ok:
		case first < 0:
			dups[k] = i
		default:
			f := edges[first]
			return fmt.Errorf("line %d: edge %d %d is listed already, at line %d (%d %d); an edge is listed once, in either orientation",
				lines[i], e[0], e[1], lines[first], f[0], f[1])
		}
	}
	return nil
}
