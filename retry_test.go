package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// sequence answers each call with the next status of statuses (the last one
// repeats) and counts calls.
func sequence(hits *atomic.Int32, header http.Header, body string, statuses ...int) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		n := int(hits.Add(1)) - 1
		st := statuses[min(n, len(statuses)-1)]
		b := body
		if st < 300 {
			b = orgJSON
		}
		r := httpmock.NewStringResponse(st, b)
		if st >= 300 {
			for k, v := range header {
				r.Header[k] = v
			}
		}
		return r, nil
	}
}

const serverErr = `{"type":"server_error","code":"error","detail":"A server error occurred.","attr":null}`
const throttled = `{"type":"throttled_error","code":"throttled","detail":"Request was throttled. Expected available in 0 seconds.","attr":null}`

func TestRetryGETOn503(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("GET", api(orgID.String()+"/"), sequence(&hits, nil, serverErr, 503, 503, 200))
	o, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
	if hits.Load() != 3 {
		t.Fatalf("hits = %d, want 3", hits.Load())
	}
}

func TestRetryGETGivesUpAfterMax(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(2))
	var hits atomic.Int32
	mt.RegisterResponder("GET", api(orgID.String()+"/"), sequence(&hits, nil, serverErr, 503))
	_, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrServer) || apiErr.Attempts != 3 || apiErr.Detail != "A server error occurred." {
		t.Fatalf("err = %v (%+v)", err, apiErr)
	}
	if hits.Load() != 3 {
		t.Fatalf("hits = %d, want 3", hits.Load())
	}
}

func TestNoRetryPOSTOn500(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		c, mt := newMockClient(t)
		var hits atomic.Int32
		mt.RegisterResponder("POST", api(""), sequence(&hits, nil, serverErr, status, 201))
		_, err := c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "x"})
		if !errors.Is(err, ErrServer) {
			t.Fatalf("%d: err = %v", status, err)
		}
		if hits.Load() != 1 {
			t.Fatalf("%d: POST sent %d times", status, hits.Load())
		}
	}
}

func TestNoRetryPATCHOn502(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("PATCH", api(orgID.String()+"/"), sequence(&hits, nil, "<html>bad gateway</html>", 502, 200))
	_, err := c.Organizations.Update(context.Background(), OrganizationID(orgID), &OrganizationUpdate{Name: Ptr("x")})
	if !errors.Is(err, ErrServer) || hits.Load() != 1 {
		t.Fatalf("err = %v, hits = %d", err, hits.Load())
	}
}

func TestRetryPOSTOn429(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("POST", api(""), sequence(&hits, http.Header{"Retry-After": {"0"}}, throttled, 429, 201))
	o, err := c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
	if hits.Load() != 2 {
		t.Fatalf("hits = %d, want 2", hits.Load())
	}
}

func TestRetryAfterAboveCapReturnsAtOnce(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetryWait(10*time.Second))
	var hits atomic.Int32
	mt.RegisterResponder("GET", api(orgID.String()+"/"), sequence(&hits, http.Header{"Retry-After": {"3600"}}, throttled, 429, 200))
	start := time.Now()
	_, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
	var re *RateLimitError
	if !errors.As(err, &re) || re.RetryAfter != time.Hour || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d, want 1", hits.Load())
	}
	// Not a speed assertion: the call must not have slept the hour (or the cap).
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("waited %v", d)
	}
}

func TestRetryAfterDetailAboveCap(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetryWait(time.Second))
	var hits atomic.Int32
	mt.RegisterResponder("GET", api(orgID.String()+"/"), sequence(&hits, nil,
		`{"type":"throttled_error","code":"throttled","detail":"Request was throttled. Expected available in 45 seconds.","attr":null}`, 429, 200))
	_, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
	var re *RateLimitError
	if !errors.As(err, &re) || re.RetryAfter != 45*time.Second || hits.Load() != 1 {
		t.Fatalf("err = %v, hits = %d", err, hits.Load())
	}
}

func TestContextCancelDuringBackoff(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetryWait(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hits atomic.Int32
	mt.RegisterResponder("GET", api(orgID.String()+"/"), func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		time.AfterFunc(50*time.Millisecond, cancel) // the caller gives up while the client waits 30 s
		r := httpmock.NewStringResponse(503, serverErr)
		r.Header.Set("Retry-After", "30")
		return r, nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := c.Organizations.Get(ctx, OrganizationID(orgID))
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("cancel did not interrupt the backoff")
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d", hits.Load())
	}
}

func TestPOSTRetriedAfterConnectFailure(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("POST", api(""), func(*http.Request) (*http.Response, error) {
		if hits.Add(1) == 1 {
			return nil, &netOpError
		}
		return httpmock.NewStringResponse(201, orgJSON), nil
	})
	if _, err := c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Fatalf("hits = %d", hits.Load())
	}
}

func TestPOSTLostResponseNotRetried(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("POST", api(""), func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return nil, errors.New("connection reset by peer")
	})
	_, err := c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "x"})
	if !errors.Is(err, ErrOutcomeUnknown) || hits.Load() != 1 {
		t.Fatalf("err = %v, hits = %d", err, hits.Load())
	}
	var te *TransportError
	if !errors.As(err, &te) || !te.OutcomeUnknown {
		t.Fatalf("err = %#v", err)
	}
}

func TestDELETERetriedThen404IsSuccess(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	mt.RegisterResponder("DELETE", api(orgID.String()+"/"), sequence(&hits, nil,
		`{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}`, 502, 404))
	if err := c.Organizations.Delete(context.Background(), OrganizationID(orgID)); err != nil {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 2 {
		t.Fatalf("hits = %d", hits.Load())
	}
}

func TestRetriedBodyIdentical(t *testing.T) {
	c, mt := newMockClient(t)
	var bodies []string
	mt.RegisterResponder("PUT", api(orgID.String()+"/"), func(req *http.Request) (*http.Response, error) {
		b := make([]byte, req.ContentLength)
		_, _ = req.Body.Read(b)
		bodies = append(bodies, string(b))
		if len(bodies) < 3 {
			return httpmock.NewStringResponse(503, serverErr), nil
		}
		return httpmock.NewStringResponse(200, orgJSON), nil
	})
	if _, err := c.Organizations.Replace(context.Background(), OrganizationID(orgID), &OrganizationCreate{Name: "Same bytes"}); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 || bodies[0] != bodies[1] || bodies[1] != bodies[2] || bodies[0] != `{"name":"Same bytes"}` {
		t.Fatalf("bodies = %q", bodies)
	}
}

// TestPolicyFor: the per-call policy, decided in one place from the
// request: which methods may be re-sent after an unknown outcome, when a
// 404 is a DELETE's success, and which call does not follow redirects.
func TestPolicyFor(t *testing.T) {
	for _, tc := range []struct {
		r    request
		want policy
	}{
		{request{method: http.MethodGet}, policy{resendUnknown: true, followRedirects: true}},
		{request{method: http.MethodGet, noRedirect: true}, policy{resendUnknown: true}},
		{request{method: http.MethodPut}, policy{resendUnknown: true, followRedirects: true}},
		{request{method: http.MethodDelete}, policy{resendUnknown: true, goneIsDone: true, followRedirects: true}},
		{request{method: http.MethodPost}, policy{followRedirects: true}},
		{request{method: http.MethodPatch}, policy{followRedirects: true}},
	} {
		if got := policyFor(&tc.r); got != tc.want {
			t.Errorf("policyFor(%s, noRedirect %v) = %+v, want %+v", tc.r.method, tc.r.noRedirect, got, tc.want)
		}
	}
}
