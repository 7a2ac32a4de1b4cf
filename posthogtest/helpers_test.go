package posthogtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// areaDCall sends a raw request with key and returns the status and the
// decoded JSON body (nil when the body is not a JSON object).
func areaDCall(t *testing.T, s *Server, key, method, path, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if resp.StatusCode == http.StatusFound {
		m = map[string]any{"location": resp.Header.Get("Location")}
	}
	return resp.StatusCode, m
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
