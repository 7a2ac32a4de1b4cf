package posthogapi

// The per-attempt timeout is a context deadline set by authTransport (the
// http.Client has no Timeout): these tests hold it to what
// http.Client.Timeout did.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// stall blocks a handler until the client gives the request up.
func stall(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(time.Hour):
	}
}

func TestAttemptTimeout_BoundsBodyRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"id":"`))
			w.(http.Flusher).Flush()
			stall(r) // headers and half a body, then nothing
		})
		pn := newPipeNet(rec)
		defer pn.close()
		c := pn.client(t, WithTimeout(5*time.Second))
		start := time.Now()
		_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
		scanErr(t, err)
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "per-attempt timeout 5s exceeded while reading body") {
			t.Fatalf("err = %v, want a DecodeError for the body read cut off by the timeout", err)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("returned after %v, want 5s", d)
		}
		if n := rec.count(); n != 1 {
			t.Errorf("hits = %d, want 1", n)
		}
	})
}

func TestAttemptTimeout_UserClientTimeoutHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if i < 2 {
				stall(r)
				return
			}
			writeJSON(w, http.StatusOK, orgJSON)
		})
		pn := newPipeNet(rec)
		defer pn.close()
		// The caller's client's own Timeout is the per-attempt timeout.
		c, err := NewClient(testKey, WithBaseURL("http://127.0.0.1"),
			WithHTTPClient(&http.Client{Transport: pn.tr, Timeout: 2 * time.Second}),
			WithRetryWaitMin(time.Second), WithMaxRetryWait(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if got := attemptTimeout(t, c); got != 2*time.Second {
			t.Fatalf("per-attempt timeout = %v, want the client's 2s", got)
		}
		if _, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID)); err != nil {
			t.Fatalf("GET after two timed-out attempts: %v", err)
		}
		hs, _ := rec.snapshot()
		if len(hs) != 3 {
			t.Fatalf("hits = %d, want 3 (two timeouts retried)", len(hs))
		}
		for i, g := range gaps(hs) {
			// 2s of timeout, then a jittered backoff of at most 1s.
			if g < 2*time.Second || g > 3*time.Second {
				t.Errorf("gap %d = %v, want 2s timeout + at most 1s backoff", i, g)
			}
		}
	})
}

func TestAttemptTimeout_POSTNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) { stall(r) })
		pn := newPipeNet(rec)
		defer pn.close()
		c := pn.client(t, WithTimeout(3*time.Second))
		_, err := c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "Acme"})
		scanErr(t, err)
		var te *TransportError
		var ne net.Error
		if !errors.As(err, &te) || !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("err = %v, want a timed-out TransportError with ErrOutcomeUnknown", err)
		}
		if !strings.Contains(err.Error(), "per-attempt timeout 3s exceeded while awaiting headers") {
			t.Errorf("err = %v, want it to name the per-attempt timeout", err)
		}
		if n := rec.count(); n != 1 {
			t.Errorf("hits = %d, want 1", n)
		}
	})
}

func TestAttemptTimeout_RedirectWithinOneDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if i == 0 {
				time.Sleep(3 * time.Second)
				http.Redirect(w, r, r.URL.Path+"?hop=2", http.StatusFound)
				return
			}
			stall(r)
		})
		pn := newPipeNet(rec)
		defer pn.close()
		c := pn.client(t, WithTimeout(5*time.Second), WithMaxRetries(0))
		start := time.Now()
		_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("err = %v, want a timeout", err)
		}
		// One attempt, its redirect included, is bounded once (as
		// http.Client.Timeout did), not 5s per hop.
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("returned after %v, want 5s", d)
		}
		if n := rec.count(); n != 2 {
			t.Errorf("hits = %d, want 2 (the redirect followed)", n)
		}
	})
}

// slowLimiter allows every request after wait.
type slowLimiter struct{ wait time.Duration }

func (l slowLimiter) Acquire(ctx context.Context, _ WaitCaps) (time.Duration, error) {
	return 0, sleepCtx(ctx, l.wait)
}
func (slowLimiter) Pause(context.Context, time.Time) {}

func TestAttemptTimeout_LimiterWaitNotCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if i == 0 {
				phError(w, http.StatusServiceUnavailable, "server_error", "unavailable", "down")
				return
			}
			time.Sleep(time.Second)
			writeJSON(w, http.StatusOK, orgJSON)
		})
		pn := newPipeNet(rec)
		defer pn.close()
		// Each attempt waits 10s for the limiter, then 1s for the answer:
		// only the second counts against the 2s timeout.
		c := pn.client(t, WithTimeout(2*time.Second), WithRateLimiter(slowLimiter{10 * time.Second}))
		if _, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID)); err != nil {
			t.Fatalf("GET: %v", err)
		}
		if n := rec.count(); n != 2 {
			t.Errorf("hits = %d, want 2", n)
		}
	})
}

func TestAttemptTimeout_CallerCancelStopsRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) { stall(r) })
		pn := newPipeNet(rec)
		defer pn.close()
		c := pn.client(t, WithTimeout(10*time.Second))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(4*time.Second, cancel)
		start := time.Now()
		_, err := c.Organizations.Get(ctx, OrganizationID(relOrgID))
		if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "per-attempt") {
			t.Fatalf("err = %v, want the caller's cancel, not an attempt timeout", err)
		}
		if d := time.Since(start); d != 4*time.Second {
			t.Errorf("returned after %v, want 4s (at the cancel)", d)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := rec.count(); n != 1 {
			t.Errorf("hits = %d, want 1 (no retry after the caller's cancel)", n)
		}
	})
}
