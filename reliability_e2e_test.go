package posthogapi_test

// Reliability case 4 at scale, end to end on posthogtest: 1000 POSTs and
// 1000 PATCHes whose answers are lost after PostHog ran them. See
// RELIABILITY.md.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestReliability04_LostResponse1000Writes(t *testing.T) {
	const n = 1000
	srv := posthogtest.NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*") // legacy key: every scope
	c, err := srv.Client(key, posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetryWait(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org, err := c.Organizations.GetCurrent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()

	for i := range n {
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, DropConnection: true})
		_, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: fmt.Sprintf("lost %d", i)})
		if !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
			t.Fatalf("POST %d: err = %v, want ErrOutcomeUnknown", i, err)
		}
		if strings.Contains(fmt.Sprintf("%v %+v", err, err), key) {
			t.Fatalf("key in error: %v", err)
		}
	}
	for i := range n {
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPatch, DropConnection: true})
		name := fmt.Sprintf("renamed %d", i)
		_, err := c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: &name})
		if !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
			t.Fatalf("PATCH %d: err = %v, want ErrOutcomeUnknown", i, err)
		}
	}

	// Server side: every call ran exactly once.
	posts, patches := map[string]int{}, map[string]int{}
	for _, r := range srv.Requests() {
		switch r.Method {
		case http.MethodPost:
			if r.Status == http.StatusCreated {
				posts[r.Body]++
			}
		case http.MethodPatch:
			if r.Status == http.StatusOK {
				patches[r.Body]++
			}
		}
	}
	dup, lost := 0, 0
	for _, m := range []map[string]int{posts, patches} {
		for _, k := range m {
			dup += k - 1
		}
		lost += n - len(m)
	}
	// And the state agrees: each organization was created once.
	names := map[string]int{}
	for o, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names[o.Name]++
	}
	for i := range n {
		if k := names[fmt.Sprintf("lost %d", i)]; k != 1 {
			t.Errorf("organization %d exists %d times", i, k)
		}
	}
	t.Logf("%d lost-response POSTs and %d PATCHes: %d server commits, %d duplicated, %d lost", n, n, len(posts)+len(patches), dup, lost)
	if dup != 0 || lost != 0 {
		t.Errorf("%d duplicated and %d lost writes", dup, lost)
	}
	posthogapi.ReliabilityFigure("writes: lost-response writes (calls)", 2*n)
	posthogapi.ReliabilityFigure("writes: duplicated writes", int64(dup))
	posthogapi.ReliabilityFigure("writes: lost writes", int64(lost))
	posthogapi.ReliabilityFigure("faults: injected (total)", 2*n)
}

// TestReliability04_BaselineDefaultRetryablehttp measures the contrast:
// go-retryablehttp's default policy re-sends a POST whose answer was lost,
// so PostHog runs it once per attempt.
func TestReliability04_BaselineDefaultRetryablehttp(t *testing.T) {
	const n = 20
	srv := posthogtest.NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryWaitMin, rc.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	defer rc.HTTPClient.CloseIdleConnections()
	commits := 0
	for i := range n {
		srv.ResetRequests()
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, DropConnection: true, Times: 100})
		req, _ := retryablehttp.NewRequest(http.MethodPost, srv.URL()+"/api/organizations/", bytes.NewReader([]byte(fmt.Sprintf(`{"name":"baseline %d"}`, i))))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := rc.Do(req); err == nil {
			_ = resp.Body.Close()
		}
		for _, r := range srv.Requests() {
			if r.Status == http.StatusCreated {
				commits++
			}
		}
		srv.ClearFaults()
	}
	t.Logf("default go-retryablehttp: %d lost-response POSTs -> %d server commits (%.1f per call)", n, commits, float64(commits)/n)
	if commits <= n {
		t.Errorf("baseline did not duplicate (%d commits): the fault is not exercising retries", commits)
	}
	posthogapi.ReliabilityFigure("baseline: default go-retryablehttp, server commits for 20 lost-response POSTs", int64(commits))
}
