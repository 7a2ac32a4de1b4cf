package posthogapi

// Harness for the reliability tests (reliability_test.go, RELIABILITY.md):
// figures, a capturing logger and canary scanner, a body-tracking
// transport, and pipeNet, an in-memory network that runs a real
// http.Server and a real http.Transport inside a synctest bubble.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// ----- figures ---------------------------------------------------------------

var figures = struct {
	sync.Mutex
	m     map[string]int64
	order []string
}{m: map[string]int64{}}

// ReliabilityFigure adds n to a named figure printed after a -v run. It is
// exported (in a test file) for the e2e tests of package posthogapi_test.
func ReliabilityFigure(name string, n int64) {
	figures.Lock()
	defer figures.Unlock()
	if _, ok := figures.m[name]; !ok {
		figures.order = append(figures.order, name)
	}
	figures.m[name] += n
}

// ReliabilityFigureMax raises a named figure to n if n is larger.
func ReliabilityFigureMax(name string, n int64) {
	figures.Lock()
	defer figures.Unlock()
	if _, ok := figures.m[name]; !ok {
		figures.order = append(figures.order, name)
		figures.m[name] = n
	}
	figures.m[name] = max(figures.m[name], n)
}

func figuresReport() string {
	figures.Lock()
	defer figures.Unlock()
	if len(figures.m) == 0 {
		return ""
	}
	names := append([]string(nil), figures.order...)
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("RELIABILITY FIGURES\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-58s %d\n", n, figures.m[n])
	}
	return b.String()
}

// ----- canary scanning -------------------------------------------------------

// Secrets the tests plant; none may show up in any log line or error text.
const (
	sigCanary      = "SIGCANARYsig0123456789"   // presigned URL signature
	queryKeyCanary = "QKEYCANARYqkey0123456789" // personal_api_key query value
)

var canaries = []string{testKey, "CANARY"}

// canaryCount counts the canary occurrences in s.
func canaryCount(s string) int {
	n := 0
	for _, c := range canaries {
		n += strings.Count(s, c)
	}
	return n
}

// scanText records one scanned text (a log line or an error rendering) and
// fails the test if a canary is in it.
func scanText(t *testing.T, kind, s string) {
	t.Helper()
	ReliabilityFigure("secrets: "+kind+" scanned", 1)
	if n := canaryCount(s); n > 0 {
		ReliabilityFigure("secrets: canary occurrences in logs and errors", int64(n))
		t.Errorf("in %s:", kind)
		assertNoCanary(t, s)
	} else {
		ReliabilityFigure("secrets: canary occurrences in logs and errors", 0)
	}
}

// scanErr scans every rendering of err: %v, %+v, and the raw body of an
// *APIError.
func scanErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	scanText(t, "error strings", err.Error())
	scanText(t, "error strings", fmt.Sprintf("%+v", err))
	var ae *APIError
	if errors.As(err, &ae) {
		scanText(t, "error strings", string(ae.Body))
		scanText(t, "error strings", ae.Type+ae.Code+ae.Detail+ae.Attr+ae.Path)
	}
	var te *TransportError
	if errors.As(err, &te) {
		scanText(t, "error strings", te.Path)
	}
	var de *DecodeError
	if errors.As(err, &de) {
		scanText(t, "error strings", de.Path)
	}
}

// logCapture is a slog handler (debug level) that keeps every line.
type logCapture struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	h     slog.Handler
	lines *[]string
}

func newLogCapture() *logCapture {
	c := &logCapture{lines: new([]string)}
	c.h = slog.NewJSONHandler(&c.buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return c
}

func (c *logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (c *logCapture) Handle(ctx context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Reset()
	if err := c.h.Handle(ctx, r); err != nil {
		return err
	}
	*c.lines = append(*c.lines, c.buf.String())
	return nil
}
func (c *logCapture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *logCapture) WithGroup(string) slog.Handler      { return c }

func (c *logCapture) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), *c.lines...)
}

// relEnv is one reliability test's environment: a capturing logger scanned
// at the end, and a goroutine leak check.
type relEnv struct {
	t    *testing.T
	logs *logCapture
}

// newRel sets up the environment. With leakCheck, goleak.VerifyNone runs
// after every other cleanup (servers closed) and ignores goroutines that
// existed before the test.
func newRel(t *testing.T, leakCheck bool) *relEnv {
	t.Helper()
	r := &relEnv{t: t, logs: newLogCapture()}
	if leakCheck {
		opt := goleak.IgnoreCurrent()
		t.Cleanup(func() {
			ReliabilityFigure("leaks: goroutine leak checks (goleak.VerifyNone)", 1)
			if err := goleak.Find(opt); err != nil {
				ReliabilityFigure("leaks: tests with leaked goroutines", 1)
				t.Errorf("goroutine leak: %v", err)
			} else {
				ReliabilityFigure("leaks: tests with leaked goroutines", 0)
			}
		})
	}
	t.Cleanup(func() {
		for _, l := range r.logs.all() {
			scanText(t, "log lines", l)
		}
	})
	return r
}

func (r *relEnv) logger() *slog.Logger { return slog.New(r.logs) }

// ----- body tracking ---------------------------------------------------------

// bodyTracker wraps a transport and records every response body, how much
// of it was read, and whether it was closed.
type bodyTracker struct {
	base   http.RoundTripper
	mu     sync.Mutex
	bodies []*trackedBody
}

type trackedBody struct {
	rc     io.ReadCloser
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *trackedBody) Close() error {
	b.closed.Store(true)
	return b.rc.Close()
}

func (bt *bodyTracker) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := bt.base.RoundTrip(req)
	if err == nil && resp.Body != nil {
		tb := &trackedBody{rc: resp.Body}
		resp.Body = tb
		bt.mu.Lock()
		bt.bodies = append(bt.bodies, tb)
		bt.mu.Unlock()
	}
	return resp, err
}

// check fails unless every body was closed; it returns the bodies' count
// and the largest number of bytes read from one.
func (bt *bodyTracker) check(t testing.TB) (n int, maxRead int64) {
	t.Helper()
	bt.mu.Lock()
	defer bt.mu.Unlock()
	for i, b := range bt.bodies {
		if !b.closed.Load() {
			t.Errorf("response body %d was not closed", i)
			ReliabilityFigure("leaks: unclosed response bodies", 1)
		}
		maxRead = max(maxRead, b.read.Load())
	}
	ReliabilityFigure("leaks: response bodies checked closed", int64(len(bt.bodies)))
	ReliabilityFigure("leaks: unclosed response bodies", 0)
	return len(bt.bodies), maxRead
}

// ----- recording handler -----------------------------------------------------

// hit is one request a test server received.
type hit struct {
	at         time.Time
	method     string
	path       string
	query      string
	host       string
	auth       string
	bodySHA    [32]byte
	bodyLen    int
	contentLen int64
}

// recorder is an http.Handler that records hits and answers with script
// (i is the 0-based index of the hit).
type recorder struct {
	mu      sync.Mutex
	hits    []hit
	commits int
	script  func(i int, w http.ResponseWriter, r *http.Request)
}

func newRecorder(script func(i int, w http.ResponseWriter, r *http.Request)) *recorder {
	return &recorder{script: script}
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	i := len(rec.hits)
	rec.hits = append(rec.hits, hit{
		at: time.Now(), method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery,
		host: r.Host, auth: r.Header.Get("Authorization"),
		bodySHA: sha256.Sum256(body), bodyLen: len(body), contentLen: r.ContentLength,
	})
	rec.mu.Unlock()
	if rec.script != nil {
		rec.script(i, w, r)
	}
}

// commit counts a server-side write (a handler that ran the request).
func (rec *recorder) commit() {
	rec.mu.Lock()
	rec.commits++
	rec.mu.Unlock()
}

func (rec *recorder) snapshot() ([]hit, int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]hit(nil), rec.hits...), rec.commits
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.hits)
}

// gaps returns the times between consecutive hits.
func gaps(hs []hit) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(hs); i++ {
		out = append(out, hs[i].at.Sub(hs[i-1].at))
	}
	return out
}

// writeJSON answers status with a JSON body.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// phError answers PostHog's error body.
func phError(w http.ResponseWriter, status int, typ, code, detail string) {
	writeJSON(w, status, fmt.Sprintf(`{"type":%q,"code":%q,"detail":%q,"attr":null}`, typ, code, detail))
}

// dropConn closes the connection without an answer (a lost response).
func dropConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

const relOrgJSON = `{"id":"0196a3b4-0000-7000-8000-000000000001","name":"Acme","slug":"acme","created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z","membership_level":15,"member_count":3}`

// ----- pipeNet: an in-memory network for synctest bubbles --------------------

// pipeNet serves a handler with a real http.Server over net.Pipe
// connections, dialled by a real http.Transport (the client's default
// transport with its pool limits). Everything runs inside the synctest
// bubble, so time is virtual. It counts connections.
type pipeNet struct {
	srv     *http.Server
	ln      *pipeListener
	tr      *http.Transport
	dials   atomic.Int64
	open    atomic.Int64
	maxOpen atomic.Int64
}

type pipeListener struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// newPipeNet starts the server; call it inside the bubble, and close it
// before the bubble ends.
func newPipeNet(h http.Handler) *pipeNet {
	p := &pipeNet{
		ln:  &pipeListener{ch: make(chan net.Conn), done: make(chan struct{})},
		srv: &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0)},
	}
	go func() { _ = p.srv.Serve(p.ln) }()
	p.tr = defaultTransport()
	p.tr.DialContext = p.dial
	p.tr.ForceAttemptHTTP2 = false
	return p
}

type countedConn struct {
	net.Conn
	p    *pipeNet
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.p.open.Add(-1) })
	return c.Conn.Close()
}

func (p *pipeNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	c1, c2 := net.Pipe()
	select {
	case p.ln.ch <- c2:
	case <-ctx.Done():
		_, _ = c1.Close(), c2.Close()
		return nil, ctx.Err()
	case <-p.ln.done:
		_, _ = c1.Close(), c2.Close()
		return nil, &net.OpError{Op: "dial", Net: "pipe", Err: errors.New("connection refused")}
	}
	p.dials.Add(1)
	n := p.open.Add(1)
	for {
		m := p.maxOpen.Load()
		if n <= m || p.maxOpen.CompareAndSwap(m, n) {
			break
		}
	}
	return &countedConn{Conn: c1, p: p}, nil
}

// close shuts the server and the transport's idle connections down, so
// that the bubble's goroutines can exit.
func (p *pipeNet) close() {
	p.tr.CloseIdleConnections()
	_ = p.srv.Close()
}

// pipeClient returns a client on the pipe network, built like a user's
// client: WithHTTPClient with a zero Timeout, so the SDK's defaults apply.
func (p *pipeNet) client(t testing.TB, opts ...Option) *Client {
	t.Helper()
	return p.clientWith(t, p.tr, opts...)
}

func (p *pipeNet) clientWith(t testing.TB, rt http.RoundTripper, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL("http://127.0.0.1"), WithHTTPClient(&http.Client{Transport: rt})}
	c, err := NewClient(testKey, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
