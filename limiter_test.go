package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// recordingLimiter is a Limiter that records what the client tells it and
// answers from a script.
type recordingLimiter struct {
	mu       sync.Mutex
	acquires []WaitCaps
	pauses   []time.Time
	// answer, when set, decides each Acquire's result.
	answer func(n int) (time.Duration, error)
}

func (l *recordingLimiter) Acquire(_ context.Context, caps WaitCaps) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acquires = append(l.acquires, caps)
	if l.answer != nil {
		return l.answer(len(l.acquires))
	}
	return 0, nil
}

func (l *recordingLimiter) Pause(_ context.Context, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pauses = append(l.pauses, until)
}

// TestLimiterConsultedBeforeEveryAttemptAndToldOf429 checks the Limiter
// contract: one Acquire per attempt (retries included), with the client's
// caps, and one Pause per 429 carrying PostHog's wait.
func TestLimiterConsultedBeforeEveryAttemptAndToldOf429(t *testing.T) {
	lim := &recordingLimiter{}
	c, mt := newMockClient(t, WithRateLimiter(lim), WithMaxRetryWait(2*time.Second), WithMaxRetryElapsed(time.Minute))
	var hits int
	mt.RegisterResponder(http.MethodGet, api(testOrg.String()+"/"), func(r *http.Request) (*http.Response, error) {
		hits++
		if hits == 1 {
			resp := httpmock.NewStringResponse(http.StatusTooManyRequests, `{"type":"throttled_error","code":"throttled","detail":"Request was throttled. Expected available in 1 seconds."}`)
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		}
		return httpmock.NewStringResponse(http.StatusOK, `{"id":"`+testOrg.String()+`","name":"Acme"}`), nil
	})
	before := time.Now()
	if _, err := c.Organizations.Get(context.Background(), OrganizationID(testOrg)); err != nil {
		t.Fatalf("Get: %v", err)
	}
	lim.mu.Lock()
	defer lim.mu.Unlock()
	if len(lim.acquires) != 2 || hits != 2 {
		t.Fatalf("acquires = %d for %d attempts, want one per attempt (2)", len(lim.acquires), hits)
	}
	for _, caps := range lim.acquires {
		if caps != (WaitCaps{MaxPause: 2 * time.Second, MaxBudgetWait: time.Minute}) {
			t.Errorf("caps = %+v, want the client's MaxRetryWait and MaxRetryElapsed", caps)
		}
	}
	if len(lim.pauses) != 1 {
		t.Fatalf("pauses = %d, want 1 (one 429)", len(lim.pauses))
	}
	if p := lim.pauses[0]; p.Before(before.Add(time.Second)) || p.After(time.Now().Add(time.Second)) {
		t.Errorf("pause until %v, want about a second after the 429", p)
	}
}

// TestLimiterWaitTooLongBecomesRateLimitError checks that a Limiter's
// ErrWaitTooLong fails the call with a *RateLimitError carrying the wait,
// and that any other Limiter error fails it with a *TransportError wrapping
// it; nothing is sent either way.
func TestLimiterWaitTooLongBecomesRateLimitError(t *testing.T) {
	errDown := errors.New("shared store unreachable")
	lim := &recordingLimiter{answer: func(n int) (time.Duration, error) {
		if n == 1 {
			return 42 * time.Second, ErrWaitTooLong
		}
		return 0, errDown
	}}
	c, mt := newMockClient(t, WithRateLimiter(lim))
	mt.RegisterResponder(http.MethodGet, api(testOrg.String()+"/"), httpmock.NewStringResponder(200, `{}`))
	_, err := c.Organizations.Get(context.Background(), OrganizationID(testOrg))
	var rle *RateLimitError
	if !errors.As(err, &rle) || rle.RetryAfter != 42*time.Second {
		t.Fatalf("err = %v, want a *RateLimitError with RetryAfter 42s", err)
	}
	_, err = c.Organizations.Get(context.Background(), OrganizationID(testOrg))
	var te *TransportError
	if !errors.As(err, &te) || !errors.Is(err, errDown) {
		t.Fatalf("err = %v, want a *TransportError wrapping the limiter's error", err)
	}
	assertNoCanary(t, err.Error())
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestWithRateLimiterNilPointer checks that a nil *RateLimiter means no
// limiter rather than a Limiter that panics.
func TestWithRateLimiterNilPointer(t *testing.T) {
	var l *RateLimiter
	c, mt := newMockClient(t, WithRateLimiter(l))
	mt.RegisterResponder(http.MethodGet, api(testOrg.String()+"/"), httpmock.NewStringResponder(200, `{"id":"`+testOrg.String()+`"}`))
	if _, err := c.Organizations.Get(context.Background(), OrganizationID(testOrg)); err != nil {
		t.Fatalf("Get: %v", err)
	}
}

// TestRateLimiterWindowsCustom checks NewRateLimiterWindows over virtual
// time: no span of any window's length holds more than its budget, and the
// budget is used (each request goes out as soon as the windows allow).
func TestRateLimiterWindowsCustom(t *testing.T) {
	l := NewRateLimiterWindows(RateWindow{3, time.Second}, RateWindow{5, 10 * time.Second}, RateWindow{0, time.Hour})
	now := time.Unix(1_700_000_000, 0)
	var sends []time.Time
	for range 12 {
		at, ok := l.reserve(now, 0)
		if !ok {
			t.Fatal("reserve refused without a cap")
		}
		sends = append(sends, at)
	}
	for _, w := range []RateWindow{{3, time.Second}, {5, 10 * time.Second}} {
		for i := w.Requests; i < len(sends); i++ {
			if sends[i].Sub(sends[i-w.Requests]) < w.Per {
				t.Errorf("window %v: request %d at %v, %v after request %d", w, i, sends[i].Sub(now), sends[i].Sub(sends[i-w.Requests]), i-w.Requests)
			}
		}
	}
	// 5 at once, then 5 more exactly 10 s later, then 2 at 20 s.
	want := []time.Duration{0, 0, 0, 1 * time.Second, 1 * time.Second, 10 * time.Second, 10 * time.Second, 10 * time.Second, 11 * time.Second, 11 * time.Second, 20 * time.Second, 20 * time.Second}
	for i, at := range sends {
		if got := at.Sub(now); got != want[i] {
			t.Errorf("send %d at +%v, want +%v", i, got, want[i])
		}
	}
}
