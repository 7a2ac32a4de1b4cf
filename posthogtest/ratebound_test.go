package posthogtest

import (
	"testing"
	"time"
)

func TestEarliestSlot(t *testing.T) {
	w := []RateWindow{{Requests: 2, Per: time.Second}, {Requests: 3, Per: time.Minute}}
	for n, want := range []time.Duration{0, 0, time.Second, time.Minute, time.Minute, time.Minute + time.Second} {
		if got := EarliestSlot(n, w...); got != want {
			t.Errorf("EarliestSlot(%d) = %v, want %v", n, got, want)
		}
	}
	if got := EarliestSlot(-1, w...); got != 0 {
		t.Errorf("EarliestSlot(-1) = %v", got)
	}
	if got := EarliestSlot(1000); got != 0 {
		t.Errorf("no windows: %v", got)
	}
}

func TestMostInWindow(t *testing.T) {
	t0 := time.Unix(0, 0)
	times := []time.Time{t0.Add(3 * time.Second), t0, t0.Add(500 * time.Millisecond), t0.Add(time.Second), t0.Add(1200 * time.Millisecond)}
	if got := MostInWindow(times, time.Second); got != 3 { // 0.5, 1.0, 1.2
		t.Errorf("got %d, want 3", got)
	}
	if got := MostInWindow(nil, time.Second); got != 0 {
		t.Errorf("empty: %d", got)
	}
	if !times[0].Equal(t0.Add(3 * time.Second)) {
		t.Error("MostInWindow reordered its argument")
	}
}
