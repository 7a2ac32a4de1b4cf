package posthogtest

import (
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := newTestServer(t, WithRateLimit(3, 0), WithClock(func() time.Time { return now }))
	key := srv.NewAPIKey("*")
	for i := 0; i < 3; i++ {
		if st, _, _ := call(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	st, h, body := call(t, srv, key, "GET", "/api/organizations/", "")
	if st != 429 || h.Get("Retry-After") != "60" || body["detail"] != "Request was throttled. Expected available in 60 seconds." {
		t.Fatalf("throttled: %d %v %v", st, h, body)
	}
	if st, _, _ := call(t, srv, srv.NewAPIKey("*"), "GET", "/api/organizations/", ""); st != 200 {
		t.Fatal("another key was throttled")
	}
	now = now.Add(time.Minute)
	if st, _, _ := call(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
		t.Fatalf("after a minute: %d", st)
	}
}
