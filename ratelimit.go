package posthogapi

import (
	"context"
	"errors"
	"sync"
	"time"
)

// PostHog's per-key API budget for personal API keys on PostHog Cloud
// (BurstRateThrottle and SustainedRateThrottle).
const (
	DefaultRequestsPerMinute = 480
	DefaultRequestsPerHour   = 4800
)

// maxGateBlock bounds how long one 429 answer can hold back the other calls
// sharing a client or a RateLimiter (PostHog's longest throttle window is an
// hour), so that one bogus Retry-After cannot stop a client for days.
const maxGateBlock = time.Hour

// Limiter decides when the clients sharing it may send their next request.
// A Client with a Limiter (WithRateLimiter) consults it before every
// attempt and tells it of every wait PostHog asks for with a 429, so that the
// limiter can hold back every caller that shares it, in this process or, for
// a limiter backed by shared storage (the module
// github.com/hogkit/posthogapi/redislimit), in other processes too.
//
// RateLimiter is the in-process implementation. Implementations must be safe
// for concurrent use.
type Limiter interface {
	// Acquire blocks until one more request may be sent, counts it against
	// the budget and returns (0, nil). It waits out any pause learned from
	// a 429 (Pause) first.
	//
	// A wait above a cap in caps is not waited: Acquire returns at once
	// with the remaining wait and an error wrapping ErrWaitTooLong, and
	// counts nothing; the client then fails the call with a
	// *RateLimitError. Any other error (ctx's, or the limiter failing)
	// fails the call, and nothing is sent.
	Acquire(ctx context.Context, caps WaitCaps) (time.Duration, error)
	// Pause holds back every request sent through the limiter until until:
	// PostHog answered 429 and asked to wait. A pause never shortens a
	// longer one. Pause does not block for long; a limiter that cannot
	// record the pause where it is shared keeps it locally.
	Pause(ctx context.Context, until time.Time)
}

// WaitCaps bounds how long Limiter.Acquire may wait (0: no bound).
type WaitCaps struct {
	// MaxPause bounds the wait for a pause learned from a 429. The client
	// passes its MaxRetryWait.
	MaxPause time.Duration
	// MaxBudgetWait bounds the wait for the budget. The client passes its
	// MaxRetryElapsed.
	MaxBudgetWait time.Duration
}

// ErrWaitTooLong is wrapped by the error a Limiter returns when a request
// would have to wait longer than the caller's cap (see WaitCaps).
var ErrWaitTooLong = errors.New("posthogapi: limiter wait above the cap")

// RateWindow is one sliding window of a rate budget: at most Requests
// requests in any span of Per.
type RateWindow struct {
	Requests int
	Per      time.Duration
}

// DefaultRateWindows returns PostHog's per-key budget as windows: 480
// requests a minute and 4800 an hour.
func DefaultRateWindows() []RateWindow {
	return []RateWindow{{DefaultRequestsPerMinute, time.Minute}, {DefaultRequestsPerHour, time.Hour}}
}

// RateLimiter paces requests on the client side so that a key stays within
// PostHog's budget, and spreads the news of a 429: once one call is told to
// wait, every call sharing the limiter waits too instead of hammering.
//
// The budget is counted the way PostHog's throttle counts it: a sliding
// window over the times of the last requests, so that no 60-second window
// holds more than the per-minute budget and no hour more than the per-hour
// budget (a token bucket would let twice the per-minute budget through in a
// client's first minute).
//
// One RateLimiter may be shared by several clients that use the same key
// (pass it to each with WithRateLimiter). It is safe for concurrent use. It
// implements Limiter within one process; to share a key's budget between
// processes, see the module github.com/hogkit/posthogapi/redislimit.
type RateLimiter struct {
	mu      sync.Mutex
	windows []rateWindow
	// ring holds the send times of the last len(ring) requests, oldest at
	// head; times never decrease.
	ring []time.Time
	head int
	n    int
	last time.Time

	gate retryGate
}

type rateWindow struct {
	n int
	d time.Duration
}

// NewRateLimiter returns a limiter preset to PostHog's budget: 480 requests a
// minute and 4800 an hour.
func NewRateLimiter() *RateLimiter {
	return NewRateLimiterWith(DefaultRequestsPerMinute, DefaultRequestsPerHour)
}

// NewRateLimiterWith returns a limiter allowing perMinute requests in any
// 60-second window and perHour in any hour (0 or less: no limit on that
// window). Each window starts with its full budget, as PostHog's throttle
// does.
func NewRateLimiterWith(perMinute, perHour int) *RateLimiter {
	return NewRateLimiterWindows(RateWindow{perMinute, time.Minute}, RateWindow{perHour, time.Hour})
}

// NewRateLimiterWindows returns a limiter allowing, for each window, at most
// w.Requests requests in any span of w.Per (windows with Requests or Per at
// 0 or less are ignored). Each window starts with its full budget.
func NewRateLimiterWindows(windows ...RateWindow) *RateLimiter {
	l := &RateLimiter{}
	size := 0
	for _, w := range windows {
		if w.Requests > 0 && w.Per > 0 {
			l.windows = append(l.windows, rateWindow{w.Requests, w.Per})
			size = max(size, w.Requests)
		}
	}
	l.ring = make([]time.Time, size)
	return l
}

// Wait blocks until a request may be sent or ctx ends, and counts the
// request against the budget. It also waits out any 429 wait learned by a
// client sharing the limiter.
func (l *RateLimiter) Wait(ctx context.Context) error {
	_, err := l.Acquire(ctx, WaitCaps{})
	return err
}

// Acquire implements Limiter: it waits out a pause, then until the budget
// allows one more request, and counts it.
func (l *RateLimiter) Acquire(ctx context.Context, caps WaitCaps) (time.Duration, error) {
	return l.pace(ctx, &l.gate, caps.MaxPause, caps.MaxBudgetWait)
}

// Pause implements Limiter: no request goes out through l before until
// (at most an hour from now).
func (l *RateLimiter) Pause(_ context.Context, until time.Time) {
	l.gate.block(capPause(until))
}

// capPause bounds a pause to maxGateBlock from now.
func capPause(until time.Time) time.Time {
	if limit := time.Now().Add(maxGateBlock); until.After(limit) {
		return limit
	}
	return until
}

// pace waits until gate is open and the budget allows one more request, and
// books it. A gate closed for longer than gateMax (> 0), or a budget wait
// longer than budgetMax (> 0), is not waited: pace returns the wait and
// ErrWaitTooLong at once. A slot booked while waiting stays counted even if
// the gate closes meanwhile and pace goes around again: that only ever makes
// the client slower, and it keeps every request sent at exactly the time the
// budget was checked for.
func (l *RateLimiter) pace(ctx context.Context, gate *retryGate, gateMax, budgetMax time.Duration) (time.Duration, error) {
	for {
		if d, err := gate.wait(ctx, gateMax); err != nil {
			return d, err
		}
		now := time.Now()
		at, ok := l.reserve(now, budgetMax)
		if !ok {
			return at.Sub(now), ErrWaitTooLong
		}
		if err := sleepUntil(ctx, at); err != nil {
			return 0, err
		}
		if !gate.closedAt(at) {
			return 0, nil
		}
	}
}

// reserve books the earliest send time at or after now. When that time is
// more than maxWait (> 0) away, nothing is booked and ok is false.
func (l *RateLimiter) reserve(now time.Time, maxWait time.Duration) (at time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at = l.earliest(now)
	if maxWait > 0 && at.Sub(now) > maxWait {
		return at, false
	}
	l.record(at)
	return at, true
}

// earliest returns the earliest time at or after t a request may be sent:
// for each window of n requests over d, the n-th most recent request must be
// at least d before it. Callers hold l.mu.
func (l *RateLimiter) earliest(t time.Time) time.Time {
	if t.Before(l.last) {
		t = l.last
	}
	for _, w := range l.windows {
		if l.n >= w.n {
			old := l.ring[(l.head+l.n-w.n)%len(l.ring)]
			if at := old.Add(w.d); at.After(t) {
				t = at
			}
		}
	}
	return t
}

// record adds a send time. Callers hold l.mu.
func (l *RateLimiter) record(t time.Time) {
	l.last = t
	if len(l.ring) == 0 {
		return
	}
	if l.n < len(l.ring) {
		l.ring[(l.head+l.n)%len(l.ring)] = t
		l.n++
		return
	}
	l.ring[l.head] = t
	l.head = (l.head + 1) % len(l.ring)
}

// WithRateLimiter paces the client's requests with l (a *RateLimiter, or a
// Limiter shared between processes such as redislimit's), and shares 429
// waits with every other client using l. Without it the client still makes
// its own goroutines wait after a 429, but does not pace itself.
//
// Waiting for the budget is part of a call (outside the per-attempt
// timeout). A request that would have to wait longer than the client's
// MaxRetryElapsed for it (the hourly budget is spent) is not sent: the call
// returns a *RateLimitError at once, with the wait as RetryAfter.
//
// A Limiter that fails (say, its shared store is unreachable and it was told
// to fail closed) fails the call with a *TransportError wrapping its error;
// nothing is sent.
func WithRateLimiter(l Limiter) Option {
	return func(c *config) error {
		if rl, ok := l.(*RateLimiter); ok && rl == nil {
			l = nil // a nil *RateLimiter means no limiter
		}
		c.limiter = l
		return nil
	}
}

// retryGate holds the time before which no request should be sent, learned
// from a 429. All goroutines that share it wait until then.
type retryGate struct {
	mu    sync.Mutex
	until time.Time
}

// block makes the gate closed until t (it never shortens a longer block).
func (g *retryGate) block(t time.Time) {
	g.mu.Lock()
	if t.After(g.until) {
		g.until = t
	}
	g.mu.Unlock()
}

func (g *retryGate) closedUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// closedAt reports whether the gate is closed at t.
func (g *retryGate) closedAt(t time.Time) bool { return g.closedUntil().After(t) }

// wait blocks until the gate is open or ctx ends. With maxWait > 0, a gate
// that stays closed longer than maxWait is not waited for: wait returns the
// remaining time and ErrWaitTooLong at once.
func (g *retryGate) wait(ctx context.Context, maxWait time.Duration) (time.Duration, error) {
	for {
		d := time.Until(g.closedUntil())
		if d <= 0 {
			return 0, nil
		}
		if maxWait > 0 && d > maxWait {
			return d, ErrWaitTooLong
		}
		if err := sleepCtx(ctx, d); err != nil {
			return 0, err
		}
	}
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sleepUntil waits until t or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error { return sleepCtx(ctx, time.Until(t)) }
