package node

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// guard is the one place where a request from outside is checked before any
// handler sees it (Guard, for the node's options).
func (n *Node) guard(next http.Handler) http.Handler {
	return Guard(GuardOptions{Token: n.opts.ControlToken, Hosts: n.opts.Hosts}, next)
}

// GuardOptions are what Guard checks a request against.
type GuardOptions struct {
	// Token, if set, must come with every /control/ request as
	// "Authorization: Bearer TOKEN".
	Token string
	// Hosts are the names (or name:port) accepted besides loopback names
	// and IPs and the IP a request came in on.
	Hosts []string
}

// Guard checks every request from outside before next sees it: a node's
// port, and any other local server of gossipbench's (the live page's), is
// reachable from every web page the user opens, so besides the token it
// refuses what only a browser tricked by a page would send: a Host that is
// not the server's (DNS rebinding) and a cross-origin state change (CSRF).
// Content types are checked by Only, body sizes by DecodeJSON.
func Guard(opts GuardOptions, next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	want := "Bearer " + opts.Token
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostAllowed(opts.Hosts, r) {
			writeError(w, http.StatusForbidden, "Host %q is not this server's address; "+
				"it answers to its loopback names and IPs and to --allow-host", r.Host)
			return
		}
		if err := csrf.Check(r); err != nil {
			writeError(w, http.StatusForbidden, "refused: %v", err)
			return
		}
		if opts.Token != "" && strings.HasPrefix(r.URL.Path, "/control/") &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(want)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gossipbench node control"`)
			writeError(w, http.StatusUnauthorized, "the control endpoints need Authorization: Bearer <token>")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed accepts a Host naming the port the request came in on with a
// loopback name or IP, the IP it came in on, or a name in hosts (from
// Options.Hosts). A name from DNS is accepted only from that list: a
// page's own name resolved to 127.0.0.1 is how DNS rebinding gets in.
func hostAllowed(hosts []string, r *http.Request) bool {
	for _, h := range hosts {
		if strings.EqualFold(r.Host, h) {
			return true
		}
	}
	name, port, err := net.SplitHostPort(r.Host)
	if err != nil { // no port: the default one
		name, port = strings.TrimSuffix(strings.TrimPrefix(r.Host, "["), "]"), "80"
	}
	local, _ := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if local != nil && port != portOf(local) {
		return false
	}
	ip := net.ParseIP(name)
	switch {
	case ip != nil:
		return ip.IsLoopback() || local != nil && ip.Equal(local.IP)
	case loopbackHost(name):
		return true
	}
	for _, h := range hosts {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

func portOf(a *net.TCPAddr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

// jsonBody reports whether a request body is declared as JSON. Requiring it
// keeps out the bodies a web page can send without asking (text/plain,
// forms), since such requests skip the browser's preflight.
func jsonBody(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// decode reads a size-limited JSON body strictly: member names exactly as
// documented, no unknown or duplicate member, valid UTF-8, nothing after the
// value (encoding/json accepts the first three and silently repairs the
// UTF-8). It answers 413 or 400 itself and reports false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	err := strictJSON(http.MaxBytesReader(w, r.Body, maxBody), v)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body larger than %d bytes", tooBig.Limit)
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "bad JSON body: %v", err)
		return false
	}
	return true
}

// strictJSON decodes one JSON value from r into v, refusing what decode
// documents and any list longer than maxList; it reads what comes from
// outside, requests and peers' answers.
func strictJSON(r io.Reader, v any) error {
	return jsonv2.UnmarshalRead(r, v, jsonv2.RejectUnknownMembers(true), boundedLists)
}

// maxList bounds every list a node reads (messages, digests, peers): no
// node holds more messages, and no cluster has more nodes. The bound is
// checked while decoding, so a megabyte of "", cannot first become a
// slice of 350,000 strings.
const maxList = MaxMessages

var boundedLists = jsonv2.WithUnmarshalers(jsonv2.JoinUnmarshalers(
	jsonv2.UnmarshalFromFunc(boundedList[string]),
	jsonv2.UnmarshalFromFunc(boundedList[int32]),
	jsonv2.UnmarshalFromFunc(boundedList[Message])))

func boundedList[T any](dec *jsontext.Decoder, out *[]T) error {
	if dec.PeekKind() != '[' {
		return errors.ErrUnsupported // null or a wrong kind: decoded, or refused, as usual
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	list := []T{}
	for dec.PeekKind() != ']' {
		if len(list) == maxList {
			return fmt.Errorf("a list holds at most %d entries", maxList)
		}
		var x T
		if err := jsonv2.UnmarshalDecode(dec, &x); err != nil {
			return err
		}
		list = append(list, x)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*out = list
	return nil
}

// checkPeer refuses a peer the node must not post to. A peer is a bare base
// URL, http://HOST[:PORT]: credentials would be forwarded with every
// message, and a query or fragment has no meaning here. Unless the node was
// started with RemotePeers (and so with a token), HOST is a loopback IP or
// localhost, so that /control/config cannot aim the node at other machines.
func (n *Node) checkPeer(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("peer %q: %w", raw, err)
	}
	if bare := (&url.URL{Scheme: "http", Host: u.Host}).String(); u.Host == "" || raw != bare {
		return fmt.Errorf("peer %q must be a bare http://HOST:PORT, without user, path, query or fragment", raw)
	}
	if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("peer %q: the port must be from 1 to 65535", raw)
		}
	}
	if !n.opts.RemotePeers && !loopbackHost(u.Hostname()) {
		return fmt.Errorf("peer %q is not on this machine (127.0.0.1, ::1, localhost); "+
			"a node gossips beyond it only when started with remote peers allowed", raw)
	}
	return nil
}

// Only answers 405, with Allow, to any other method than method, and 415
// to a state-changing request whose body is not declared application/json:
// the rules of the node's own endpoints, for other gossipbench servers.
func Only(method string, h http.HandlerFunc) http.HandlerFunc { return only(method, h) }

// DecodeJSON reads a request body as the node's endpoints do (see decode):
// at most 1 MiB, strict JSON. It answers 413 or 400 itself and reports
// false.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) bool { return decode(w, r, v) }

// WriteJSON sends v as the node's endpoints send their answers.
func WriteJSON(w http.ResponseWriter, code int, v any) { writeJSON(w, code, v) }

// WriteError sends an ErrorResponse with code.
func WriteError(w http.ResponseWriter, code int, format string, args ...any) {
	writeError(w, code, format, args...)
}
