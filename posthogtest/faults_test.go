package posthogtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func fastClient(t *testing.T, srv *posthogtest.Server, key string) *posthogapi.Client {
	t.Helper()
	c, err := srv.Client(key, posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetryWait(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// DropConnection runs the request in full, then loses the answer.
func TestFaultDropConnectionRunsRequest(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c := fastClient(t, srv, srv.NewAPIKey("*"))
	srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, DropConnection: true})
	_, err := c.Organizations.Create(context.Background(), &posthogapi.OrganizationCreate{Name: "Dropped"})
	if !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Status != http.StatusCreated {
		t.Fatalf("requests = %+v, want one that created the organization", reqs)
	}
	found := 0
	for o, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if o.Name == "Dropped" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("organization created %d times", found)
	}
}

// Status faults answer PostHog's error body; Times bounds them.
func TestFaultStatusAndTimes(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c := fastClient(t, srv, srv.NewAPIKey("*"))
	srv.InjectFault(posthogtest.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, RetryAfter: "0", Times: 2,
		Body: `{"type":"throttled_error","code":"throttled","detail":"Request was throttled.","attr":null}`})
	if _, err := c.Organizations.GetCurrent(context.Background()); err != nil {
		t.Fatalf("GET after two 429s: %v", err)
	}
	srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, Status: http.StatusServiceUnavailable, Times: 5})
	_, err := c.Organizations.Create(context.Background(), &posthogapi.OrganizationCreate{Name: "x"})
	if !errors.Is(err, posthogapi.ErrServer) || !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
		t.Fatalf("POST err = %v", err)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	want := []int{429, 429, 200, 503}
	if len(statuses) != len(want) {
		t.Fatalf("statuses = %v, want %v", statuses, want)
	}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses = %v, want %v", statuses, want)
		}
	}
}

// A delayed request ends when its client gives up: the handler does not
// outlive the request (goleak in TestMain checks it).
func TestFaultDelayEndsWithTheRequest(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c := fastClient(t, srv, srv.NewAPIKey("*"))
	srv.InjectFault(posthogtest.Fault{Method: http.MethodGet, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Organizations.GetCurrent(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}
