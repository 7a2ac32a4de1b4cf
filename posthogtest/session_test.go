package posthogtest

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// sessionCall runs h for one request as the default user would through a
// browser session (the authentication that the actions closed to personal
// API keys accept), and decodes the JSON answer. pathValues are name, value
// pairs for the route's wildcards.
func sessionCall(t *testing.T, s *Server, h handler, method, target, body string, pathValues ...string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(pathValues); i += 2 {
		r.SetPathValue(pathValues[i], pathValues[i+1])
	}
	w := httptest.NewRecorder()
	s.mu.Lock()
	rc := &reqCtx{s: s, w: w, r: r, body: []byte(body), key: &apiKey{user: s.defUser}, user: s.defUser}
	h(rc)
	s.mu.Unlock()
	var out map[string]any
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: answer %q is not a JSON object: %v", method, target, w.Body.String(), err)
		}
	}
	return w.Code, out
}
