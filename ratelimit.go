package posthogapi

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// PostHog's per-key API budget for personal API keys on PostHog Cloud
// (BurstRateThrottle and SustainedRateThrottle).
const (
	DefaultRequestsPerMinute = 480
	DefaultRequestsPerHour   = 4800
)

// RateLimiter paces requests on the client side so that a key stays within
// PostHog's budget, and spreads the news of a 429: once one call is told to
// wait, every call sharing the limiter waits too instead of hammering.
//
// One RateLimiter may be shared by several clients that use the same key
// (pass it to each with WithRateLimiter). It is safe for concurrent use.
type RateLimiter struct {
	minute *rate.Limiter
	hour   *rate.Limiter
	gate   retryGate
}

// NewRateLimiter returns a limiter preset to PostHog's budget: 480 requests a
// minute and 4800 an hour.
func NewRateLimiter() *RateLimiter {
	return NewRateLimiterWith(DefaultRequestsPerMinute, DefaultRequestsPerHour)
}

// NewRateLimiterWith returns a limiter allowing perMinute requests a minute
// and perHour an hour (0 or less: no limit on that window). Each window
// starts with its full budget as a burst, as PostHog's throttle does.
func NewRateLimiterWith(perMinute, perHour int) *RateLimiter {
	l := &RateLimiter{}
	if perMinute > 0 {
		l.minute = rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)
	}
	if perHour > 0 {
		l.hour = rate.NewLimiter(rate.Limit(float64(perHour)/3600), perHour)
	}
	return l
}

// Wait blocks until a request may be sent or ctx ends.
func (l *RateLimiter) Wait(ctx context.Context) error {
	if err := l.gate.wait(ctx); err != nil {
		return err
	}
	if l.minute != nil {
		if err := l.minute.Wait(ctx); err != nil {
			return err
		}
	}
	if l.hour != nil {
		if err := l.hour.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

// WithRateLimiter paces the client's requests with l, and shares 429 waits
// with every other client using l. Without it the client still makes its own
// goroutines wait after a 429, but does not pace itself.
func WithRateLimiter(l *RateLimiter) Option {
	return func(c *config) error {
		c.limiter = l
		if l != nil {
			c.gate = &l.gate
		}
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

// wait blocks until the gate is open or ctx ends.
func (g *retryGate) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		until := g.until
		g.mu.Unlock()
		d := time.Until(until)
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
