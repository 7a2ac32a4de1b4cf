package posthogapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestFidelity14_ThrottleDetailAndRetryAfter(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := start
	srv := e2eStart(t, posthogtest.WithRateLimit(1, 0), posthogtest.WithClock(func() time.Time { return now }))
	key := srv.NewAPIKey("organization:read")
	if st, _, _ := rawCall(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
		t.Fatal(st)
	}
	now = start.Add(59 * time.Second)
	st, h, body := rawCall(t, srv, key, "GET", "/api/organizations/", "")
	if st != 429 || h.Get("Retry-After") != "1" || body["detail"] != "Request was throttled. Expected available in 1 second." {
		t.Errorf("throttled: %d %v %v", st, h, body)
	}
	srv.InjectFault(posthogtest.Fault{Status: 429})
	if st, h, _ := rawCall(t, srv, key, "GET", "/api/organizations/", ""); st != 429 || h.Get("Retry-After") == "" {
		t.Errorf("injected 429 without Retry-After: %d %v", st, h)
	}
}

func TestFidelity14_DatabaseUnavailable(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t)
	org := srv.DefaultOrganization().ID
	c := retryingClient(t, srv, srv.NewAPIKey("*"), posthogapi.WithMaxRetries(2))

	// The body as the newest server sends it.
	srv.InjectFault(posthogtest.FaultDatabaseUnavailable("GET", "", 1))
	st, h, body := rawCall(t, srv, srv.NewAPIKey("*"), "GET", "/api/organizations/", "")
	if st != 503 || h.Get("Retry-After") != "1" || body["type"] != "server_error" || body["code"] != "database_unavailable" {
		t.Fatalf("503: %d %v %v", st, h, body)
	}

	// A GET waits and is retried.
	srv.ResetRequests()
	srv.InjectFault(posthogtest.FaultDatabaseUnavailable("GET", "/api/organizations/", 1))
	if _, err := c.Organizations.Get(ctx, org); err != nil {
		t.Fatalf("GET after a 503: %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("GET sent %d times, want 2", n)
	}

	// A write is outcome-unknown and never re-sent, even when it committed.
	srv.ResetRequests()
	srv.InjectFault(posthogtest.Fault{Method: "POST", DatabaseUnavailable: true, CommitFirst: true})
	_, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Committed"})
	if !errors.Is(err, posthogapi.ErrOutcomeUnknown) || !errors.Is(err, posthogapi.ErrServer) {
		t.Fatalf("write answered 503: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("write sent %d times, want 1", n)
	}
	roles, err := c.Roles.List(ctx, org, nil)
	if err != nil || roles.Count != 1 {
		t.Errorf("roles after the 503 = %+v, %v (the write committed)", roles, err)
	}
}
