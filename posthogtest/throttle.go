package posthogtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// RateWindow is one sliding window of the server's throttle: at most
// Requests requests with one key in any span of Per.
type RateWindow struct {
	Requests int
	Per      time.Duration
}

// throttle counts each key's requests in sliding windows.
type throttle struct {
	windows []RateWindow
	longest time.Duration
	seen    map[string][]time.Time
	// admitted logs every admitted request's time per key, and throttled
	// counts the 429s per key, for ThrottleLog.
	admitted  map[string][]time.Time
	throttled map[string]int
}

func newThrottle(windows []RateWindow) *throttle {
	t := &throttle{seen: map[string][]time.Time{}, admitted: map[string][]time.Time{}, throttled: map[string]int{}}
	for _, w := range windows {
		if w.Requests > 0 && w.Per > 0 {
			t.windows = append(t.windows, w)
			t.longest = max(t.longest, w.Per)
		}
	}
	return t
}

// admit records the request against the key's budget, or answers 429 as
// PostHog's throttle does and returns false.
// PostHog: posthog/rate_limit.py PersonalApiKeyRateThrottle.allow_request
// (DRF SimpleRateThrottle: a sliding window of request times per key and
// scope; BurstRateThrottle 480/minute, SustainedRateThrottle 4800/hour).
func (rc *reqCtx) admit() bool {
	t := rc.s.throttle
	if t == nil {
		return true
	}
	now := rc.s.clock()
	hist := t.seen[rc.key.key]
	// Drop what is older than the longest window.
	i := 0
	for i < len(hist) && now.Sub(hist[i]) >= t.longest {
		i++
	}
	hist = hist[i:]
	wait := time.Duration(0)
	for _, w := range t.windows {
		in := 0
		for _, h := range hist {
			if now.Sub(h) < w.Per {
				in++
			}
		}
		if in >= w.Requests {
			recent := hist[len(hist)-in:]
			wait = max(wait, recent[len(recent)-w.Requests].Add(w.Per).Sub(now))
		}
	}
	if wait > 0 {
		t.seen[rc.key.key] = hist
		t.throttled[rc.key.key]++
		secs := int(math.Ceil(wait.Seconds()))
		rc.w.Header().Set("Retry-After", strconv.Itoa(secs))
		rc.error(http.StatusTooManyRequests, "throttled_error", "throttled", throttledDetail(secs), "")
		return false
	}
	t.seen[rc.key.key] = append(hist, now)
	t.admitted[rc.key.key] = append(t.admitted[rc.key.key], now)
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

// ThrottleLog returns, for one API key, the times (by the server's clock)
// at which the throttle admitted a request, oldest first, and how many
// requests it answered with 429. Both are empty without a rate limit
// (WithRateLimit, WithRateWindows).
func (s *Server) ThrottleLog(apiKey string) (admitted []time.Time, throttled int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.throttle == nil {
		return nil, 0
	}
	return append([]time.Time(nil), s.throttle.admitted[apiKey]...), s.throttle.throttled[apiKey]
}
