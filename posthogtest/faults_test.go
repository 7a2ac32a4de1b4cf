package posthogtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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

// AfterCommit runs the request (the organization is created) and then
// answers the fault's status; the log keeps the request's own status.
func TestFaultAfterCommitAnswersStatusOnceCommitted(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c := fastClient(t, srv, srv.NewAPIKey("*"))
	ctx := context.Background()
	srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, Status: http.StatusInternalServerError, AfterCommit: true})
	_, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "Committed 500"})
	if !errors.Is(err, posthogapi.ErrServer) || !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a 500 matching ErrOutcomeUnknown", err)
	}
	srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, Status: http.StatusCreated, Body: `{"id": "`, AfterCommit: true})
	_, err = c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "Committed garbage"})
	var de *posthogapi.DecodeError
	if !errors.As(err, &de) || de.StatusCode != http.StatusCreated || !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a DecodeError of a 201 matching ErrOutcomeUnknown", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Status != http.StatusCreated || reqs[1].Status != http.StatusCreated {
		t.Fatalf("requests = %+v, want two that created", reqs)
	}
	found := map[string]int{}
	for o, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		found[o.Name]++
	}
	if found["Committed 500"] != 1 || found["Committed garbage"] != 1 {
		t.Errorf("organizations = %v, want each committed once", found)
	}
}

// TruncateBody sends the request's own status and headers, then half the
// body it announced, and closes the connection.
func TestFaultTruncateBodyCutsAfterStatus(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, TruncateBody: true})
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/api/organizations/", strings.NewReader(`{"name":"Cut"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPServer().Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("status %d, read error %v, want 201 and an unexpected EOF", resp.StatusCode, err)
	}
	if resp.ContentLength <= 0 || int64(len(b)) != resp.ContentLength/2 {
		t.Errorf("read %d bytes of a %d-byte answer, want half", len(b), resp.ContentLength)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusCreated {
		t.Errorf("requests = %+v, want one that created", reqs)
	}
}
