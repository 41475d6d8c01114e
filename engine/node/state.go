package node

import (
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Bounds of one GET /state answer. A page ends at MaxStatePage messages or
// once its JSON could pass stateBudget, whichever comes first, so no
// request makes the node build more than about 1 MiB, whatever it holds.
const (
	MaxStatePage = 1000
	stateBudget  = 1 << 20
)

// jsonSize bounds the bytes encoding/json writes for s. Sizing by len(s)
// alone is wrong sixfold: a control or invalid byte, and < > &, take six
// (\u00XX, \ufffd, \u003c). It never undercounts (a test holds it to
// json.Marshal); it overcounts \n, \t and the like, which take two.
func jsonSize(s string) int {
	size := 2 // the quotes
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\':
				size += 2
			case b < 0x20 || b == '<' || b == '>' || b == '&':
				size += 6
			default:
				size++
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 || r == '\u2028' || r == '\u2029' {
			size += 6
		} else {
			size += w
		}
		i += w
	}
	return size
}

// State is everything the node knows, in the order learned (for callers in
// this process; GET /state pages it).
func (n *Node) State() State {
	n.mu.Lock()
	defer n.mu.Unlock()
	st := State{Node: n.cfg.ID, Round: n.round, Count: len(n.known), Messages: make([]Known, 0, len(n.order))}
	for _, id := range n.order {
		st.Messages = append(st.Messages, *n.known[id])
	}
	return st
}

// StatePage is at most limit messages learned after the one with ID after
// ("" for the first page), cut short to stay within stateBudget.
func (n *Node) StatePage(after string, limit int) (State, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	start := 0
	if after != "" {
		k, ok := n.known[after]
		if !ok {
			return State{}, fmt.Errorf("after=%q is no message this node knows (reset since?); start again without after", after)
		}
		start = k.pos + 1
	}
	st := State{Node: n.cfg.ID, Round: n.round, Count: len(n.known), Messages: []Known{}}
	size := 0
	for _, id := range n.order[start:] {
		k := n.known[id]
		cost := jsonSize(k.Data) + jsonSize(k.ID) + 96 // the round, the time and the names
		if len(st.Messages) == limit || len(st.Messages) > 0 && size+cost > stateBudget {
			st.Next = st.Messages[len(st.Messages)-1].ID
			break
		}
		size += cost
		st.Messages = append(st.Messages, *k)
	}
	return st, nil
}

func (n *Node) handleState(w http.ResponseWriter, r *http.Request) {
	limit, ok := queryLimit(w, r, MaxStatePage, MaxStatePage)
	if !ok {
		return
	}
	st, err := n.StatePage(r.URL.Query().Get("after"), limit)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// queryLimit reads ?limit=N (def if absent, at most max); it answers 400
// itself and reports false.
func queryLimit(w http.ResponseWriter, r *http.Request, def, max int) (int, bool) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, true
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		writeError(w, http.StatusBadRequest, "limit must be a positive integer, got %q", s)
		return 0, false
	}
	return min(v, max), true
}
