package posthogtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// throttle counts each key's requests in sliding windows.
type throttle struct {
	perMinute, perHour int
	seen               map[string][]time.Time
}

// admit records the request against the key's budget, or answers 429 as
// PostHog's throttle does and returns false.
// PostHog: posthog/rate_limit.py BurstRateThrottle and
// SustainedRateThrottle.
func (rc *reqCtx) admit() bool {
	t := rc.s.throttle
	if t == nil {
		return true
	}
	now := rc.s.clock()
	hist := t.seen[rc.key.key]
	// Drop what is older than an hour.
	i := 0
	for i < len(hist) && now.Sub(hist[i]) >= time.Hour {
		i++
	}
	hist = hist[i:]
	wait := time.Duration(0)
	if t.perHour > 0 && len(hist) >= t.perHour {
		wait = max(wait, hist[len(hist)-t.perHour].Add(time.Hour).Sub(now))
	}
	if t.perMinute > 0 {
		inMinute := 0
		for _, h := range hist {
			if now.Sub(h) < time.Minute {
				inMinute++
			}
		}
		if inMinute >= t.perMinute {
			recent := hist[len(hist)-inMinute:]
			wait = max(wait, recent[len(recent)-t.perMinute].Add(time.Minute).Sub(now))
		}
	}
	if wait > 0 {
		t.seen[rc.key.key] = hist
		secs := int(math.Ceil(wait.Seconds()))
		rc.w.Header().Set("Retry-After", strconv.Itoa(secs))
		rc.error(http.StatusTooManyRequests, "throttled_error", "throttled", throttledDetail(secs), "")
		return false
	}
	t.seen[rc.key.key] = append(hist, now)
	return true
}

// throttledDetail is DRF's Throttled text, "second" when the wait is one
// (PostHog: rest_framework/exceptions.py Throttled.extra_detail_singular,
// rendered by drf-exceptions-hog handler.py, which also sets Retry-After).
func throttledDetail(secs int) string {
	if secs == 1 {
		return "Request was throttled. Expected available in 1 second."
	}
	return fmt.Sprintf("Request was throttled. Expected available in %d seconds.", secs)
}
