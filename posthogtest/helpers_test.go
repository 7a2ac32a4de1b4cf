package posthogtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The shared helpers of the package's tests: a server per test, raw
// requests to it (call, rawCall, areaDCall differ only in how they read the
// answer), handlers run as the default user's browser session.

// newTestServer starts a Server with opts for one test; it is closed when
// the test ends.
func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// rawRequest sends one request to s through client: body as JSON (no body
// when ""), key as a bearer token (no Authorization header when ""). It
// returns the answer's status, headers and body.
func rawRequest(t *testing.T, s *Server, client *http.Client, key, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, raw
}

// jsonObject decodes an answer that must be a JSON object (nil when the
// answer is empty).
func jsonObject(t *testing.T, method, path string, raw []byte) map[string]any {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: answer %q is not a JSON object", method, path, raw)
	}
	return m
}

// call sends a raw request to srv and decodes the JSON answer.
func call(t *testing.T, srv *Server, key, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	st, h, raw := rawRequest(t, srv, http.DefaultClient, key, method, path, body)
	return st, h, jsonObject(t, method, path, raw)
}

// rawCall sends a request to srv with key and decodes the JSON answer (nil
// for an empty body).
func rawCall(t *testing.T, srv *Server, key, method, path, body string) (int, map[string]any) {
	t.Helper()
	st, _, raw := rawRequest(t, srv, http.DefaultClient, key, method, path, body)
	return st, jsonObject(t, method, path, raw)
}

// noRedirects is a client that returns a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// areaDCall sends a raw request with key and returns the status and the
// decoded JSON body (nil when the body is not a JSON object). A redirect is
// not followed: its body is {"location": <Location>}.
func areaDCall(t *testing.T, s *Server, key, method, path, body string) (int, map[string]any) {
	t.Helper()
	st, h, raw := rawRequest(t, s, noRedirects, key, method, path, body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if st == http.StatusFound {
		m = map[string]any{"location": h.Get("Location")}
	}
	return st, m
}

// wantError fails unless the answer is status with PostHog's error body
// carrying code and attr ("" for null).
func wantError(t *testing.T, status int, body map[string]any, wantStatus int, code, attr string) {
	t.Helper()
	if status != wantStatus || body["code"] != code {
		t.Errorf("got %d %v, want %d code %s", status, body, wantStatus, code)
		return
	}
	if attr == "" && body["attr"] != nil || attr != "" && body["attr"] != attr {
		t.Errorf("attr = %v, want %q", body["attr"], attr)
	}
}

// callHandler runs h directly as the default user (for routes that reject
// personal API keys before the handler runs).
func callHandler(t *testing.T, s *Server, h handler, method, target, body string, pathValues map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range pathValues {
		r.SetPathValue(k, v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rc := &reqCtx{s: s, w: w, r: r, body: []byte(body), key: &apiKey{user: s.defUser}, user: s.defUser}
	h(rc)
	return w
}

// sessionCall runs h for one request as the default user would through a
// browser session (the authentication that the actions closed to personal
// API keys accept), and decodes the JSON answer. pathValues are name, value
// pairs for the route's wildcards.
func sessionCall(t *testing.T, s *Server, h handler, method, target, body string, pathValues ...string) (int, map[string]any) {
	t.Helper()
	pv := map[string]string{}
	for i := 0; i+1 < len(pathValues); i += 2 {
		pv[pathValues[i]] = pathValues[i+1]
	}
	w := callHandler(t, s, h, method, target, body, pv)
	var out map[string]any
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: answer %q is not a JSON object: %v", method, target, w.Body.String(), err)
		}
	}
	return w.Code, out
}
