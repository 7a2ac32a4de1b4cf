package posthogtest

import (
	"slices"
	"time"
)

// EarliestSlot returns when the n-th request (0-based) of one key may go
// out at the earliest under the windows, counted from the first request:
// the rate-limit bound of a run that sent n+1 requests, to compare a run's
// time against (with ThrottleLog's admitted times).
func EarliestSlot(n int, windows ...RateWindow) time.Duration {
	if n < 0 {
		return 0
	}
	sends := make([]time.Duration, 0, n+1)
	for i := 0; i <= n; i++ {
		var at time.Duration
		if i > 0 {
			at = sends[i-1]
		}
		for _, w := range windows {
			if w.Requests > 0 && i >= w.Requests {
				at = max(at, sends[i-w.Requests]+w.Per)
			}
		}
		sends = append(sends, at)
	}
	return sends[n]
}

// MostInWindow returns the most of times found in any span [t, t+per): how
// close a run came to a window's budget (with ThrottleLog's admitted times).
func MostInWindow(times []time.Time, per time.Duration) int {
	times = slices.Clone(times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= per {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
