package redislimit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
	"github.com/redis/go-redis/v9"
)

// rawKey is a canary: the tests look for it in Redis and in logs.
const rawKey = "phx_CANARYredisLIMITcanary0123456789abcdef"

// newLimiter makes a Limiter on its own Redis client (as a separate process
// would have), with the test's own key prefix.
func newLimiter(t *testing.T, srv *redisServer, fb Fallback, opts ...Option) *Limiter {
	t.Helper()
	base := []Option{WithKeyPrefix("test:" + t.Name() + ":")}
	l, err := New(srv.client(t), rawKey, fb, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

// bookedTimes reads the booked send times (µs, Redis clock) in order.
func bookedTimes(t *testing.T, rdb *redis.Client, l *Limiter) []int64 {
	t.Helper()
	zs, err := rdb.ZRangeWithScores(context.Background(), l.sendsKey, 0, -1).Result()
	if err != nil {
		t.Fatalf("ZRANGE: %v", err)
	}
	out := make([]int64, len(zs))
	for i, z := range zs {
		out[i] = int64(z.Score)
	}
	return out
}

// TestWindowAccountingExact has four "processes" (separate Limiters on
// separate Redis clients) with four goroutines each acquire 40 slots in two
// small windows, then checks the booked send times in Redis: every Acquire
// is counted once, and no span of a window's length holds more than its
// budget. (A third, huge window keeps every booking in Redis for the check
// and never binds.)
func TestWindowAccountingExact(t *testing.T) {
	windows := []posthogapi.RateWindow{{Requests: 4, Per: 100 * time.Millisecond}, {Requests: 10, Per: 400 * time.Millisecond}, {Requests: 1_000_000, Per: time.Minute}}
	const procs, goroutines, each = 4, 4, 3
	var lims []*Limiter
	for range procs {
		lims = append(lims, newLimiter(t, sharedRedis, FailClosed, WithWindows(windows...), WithMargin(0)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, procs*goroutines*each)
	for _, l := range lims {
		for range goroutines {
			wg.Go(func() {
				for range each {
					if _, err := l.Acquire(context.Background(), posthogapi.WaitCaps{}); err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Acquire: %v", err)
	}
	rdb := sharedRedis.client(t)
	sends := bookedTimes(t, rdb, lims[0])
	if len(sends) != procs*goroutines*each {
		t.Fatalf("%d sends booked, want %d (one per Acquire)", len(sends), procs*goroutines*each)
	}
	if !slices.IsSorted(sends) {
		t.Fatal("booked times out of order")
	}
	for _, w := range windows[:2] {
		per := w.Per.Microseconds()
		for i := w.Requests; i < len(sends); i++ {
			if gap := sends[i] - sends[i-w.Requests]; gap < per {
				t.Errorf("window %d per %v: sends %d and %d only %dµs apart", w.Requests, w.Per, i-w.Requests, i, gap)
			}
		}
	}
}

// TestWaitCapsNotBooked checks the caps: a budget wait above MaxBudgetWait
// is not waited nor booked, and comes back as ErrWaitTooLong with the wait.
func TestWaitCapsNotBooked(t *testing.T) {
	l := newLimiter(t, sharedRedis, FailClosed, WithWindows(posthogapi.RateWindow{Requests: 2, Per: time.Hour}), WithMargin(0))
	ctx := context.Background()
	for range 2 {
		if _, err := l.Acquire(ctx, posthogapi.WaitCaps{MaxBudgetWait: time.Second}); err != nil {
			t.Fatalf("Acquire: %v", err)
		}
	}
	d, err := l.Acquire(ctx, posthogapi.WaitCaps{MaxBudgetWait: time.Second})
	if !errors.Is(err, posthogapi.ErrWaitTooLong) || d <= 59*time.Minute || d > time.Hour {
		t.Fatalf("third Acquire = %v, %v; want ErrWaitTooLong with about an hour", d, err)
	}
	if n := len(bookedTimes(t, sharedRedis.client(t), l)); n != 2 {
		t.Errorf("%d booked, want 2 (a refused wait books nothing)", n)
	}
}

// TestPauseSharedAcrossProcesses checks that a 429 wait told to one Limiter
// holds back another (a separate process) for as long, and that a pause
// above MaxPause fails at once with ErrWaitTooLong.
func TestPauseSharedAcrossProcesses(t *testing.T) {
	a := newLimiter(t, sharedRedis, FailClosed)
	b := newLimiter(t, sharedRedis, FailClosed)
	ctx := context.Background()
	a.Pause(ctx, time.Now().Add(5*time.Second))
	d, err := b.Acquire(ctx, posthogapi.WaitCaps{MaxPause: time.Second})
	if !errors.Is(err, posthogapi.ErrWaitTooLong) || d <= time.Second || d > 5*time.Second {
		t.Fatalf("Acquire during a 5 s pause with a 1 s cap = %v, %v; want ErrWaitTooLong with the remaining pause", d, err)
	}
	// A shorter pause does not shorten the longer one.
	a.Pause(ctx, time.Now().Add(time.Millisecond))
	if d, err := b.Acquire(ctx, posthogapi.WaitCaps{MaxPause: time.Second}); !errors.Is(err, posthogapi.ErrWaitTooLong) {
		t.Fatalf("after a shorter pause: %v, %v; want the 5 s pause kept", d, err)
	}

	c := newLimiter(t, sharedRedis, FailClosed, WithKeyPrefix("test:"+t.Name()+":short:"))
	e := newLimiter(t, sharedRedis, FailClosed, WithKeyPrefix("test:"+t.Name()+":short:"))
	until := time.Now().Add(300 * time.Millisecond)
	c.Pause(ctx, until)
	if _, err := e.Acquire(ctx, posthogapi.WaitCaps{MaxPause: time.Second}); err != nil {
		t.Fatalf("Acquire during a short pause: %v", err)
	}
	if now := time.Now(); now.Before(until.Add(-time.Millisecond)) {
		t.Errorf("Acquire returned %v before the pause ended", until.Sub(now))
	}
}

// TestClientsShareBudgetAndPauseThroughRedis runs posthogapi clients, each
// with its own Limiter, against posthogtest: a 429 one client gets is
// honoured by the other, and the shared budget keeps both within the
// server's throttle.
func TestClientsShareBudgetAndPauseThroughRedis(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.WithRateWindows(posthogtest.RateWindow{Requests: 6, Per: 500 * time.Millisecond}))
	defer srv.Close()
	key := srv.NewAPIKey("*")
	org := srv.DefaultOrganization().ID
	var clients []*posthogapi.Client
	for range 3 {
		l, err := New(sharedRedis.client(t), key, FailClosed, WithKeyPrefix("test:"+t.Name()+":"),
			WithWindows(posthogapi.RateWindow{Requests: 6, Per: 500 * time.Millisecond}), WithMargin(200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		c, err := srv.Client(key, posthogapi.WithRateLimiter(l))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			for range 6 {
				if _, err := c.Organizations.Get(context.Background(), org); err != nil {
					t.Errorf("Get: %v", err)
				}
			}
		})
	}
	wg.Wait()
	admitted, throttled := srv.ThrottleLog(key)
	if len(admitted) != 18 || throttled != 0 {
		t.Errorf("server admitted %d and throttled %d, want 18 and 0", len(admitted), throttled)
	}

	// A 429 with Retry-After: 3 reaches one client; the other, sharing
	// nothing but Redis, does not send during the wait.
	srv.InjectFault(posthogtest.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, RetryAfter: "3"})
	short, err := srv.Client(key, posthogapi.WithRateLimiter(mustLimiter(t, key)), posthogapi.WithMaxRetryWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var rle *posthogapi.RateLimitError
	if _, err := short.Organizations.Get(context.Background(), org); !errors.As(err, &rle) {
		t.Fatalf("Get answered 429 with a wait above MaxRetryWait: %v, want *RateLimitError", err)
	}
	before := len(srv.Requests())
	other, err := srv.Client(key, posthogapi.WithRateLimiter(mustLimiter(t, key)), posthogapi.WithMaxRetryWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Organizations.Get(context.Background(), org); !errors.As(err, &rle) || rle.RetryAfter <= time.Second {
		t.Fatalf("other process during the pause: %v, want a *RateLimitError without sending", err)
	}
	if n := len(srv.Requests()) - before; n != 0 {
		t.Errorf("other process sent %d requests during the pause", n)
	}
}

func mustLimiter(t *testing.T, key string) *Limiter {
	t.Helper()
	l, err := New(sharedRedis.client(t), key, FailClosed, WithKeyPrefix("test:"+t.Name()+":"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFallbackLocalWhenRedisStops stops Redis mid-run: the Limiter goes on
// with the in-process limiter at this process's share (counting the sends
// it made through Redis), logs one warning without the API key, and uses
// Redis again once it is back.
func TestFallbackLocalWhenRedisStops(t *testing.T) {
	rs := startRedis(t)
	var logs syncBuffer
	l := newLimiter(t, rs, FallbackLocal, WithWindows(posthogapi.RateWindow{Requests: 8, Per: time.Minute}), WithProcesses(4),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), WithTimeout(200*time.Millisecond), WithRetryInterval(50*time.Millisecond))
	ctx := context.Background()
	caps := posthogapi.WaitCaps{MaxBudgetWait: time.Second}
	if _, err := l.Acquire(ctx, caps); err != nil {
		t.Fatalf("Acquire with Redis up: %v", err)
	}
	port, _ := strconv.Atoi(rs.addr[strings.LastIndex(rs.addr, ":")+1:])
	rs.stop()
	// Four processes share the key: the fallback starts as if the others
	// had filled the window, a minute after the slot Redis last booked.
	if d, err := l.Acquire(ctx, caps); !errors.Is(err, posthogapi.ErrWaitTooLong) || d < 50*time.Second {
		t.Fatalf("Acquire in fallback = %v, %v; want ErrWaitTooLong (the shared window may be full)", d, err)
	}
	out := logs.String()
	if strings.Count(out, "falling back to the in-process limiter") != 1 || !strings.Contains(out, "level=WARN") || !strings.Contains(out, "key_id="+l.KeyID()) {
		t.Errorf("want one warning naming the key's hash; logs:\n%s", out)
	}
	if strings.Contains(out, rawKey) {
		t.Error("the API key is in the logs")
	}
	// Redis comes back on the same port: the Limiter uses it again.
	rs2, err := startRedisIn(t.TempDir(), port)
	if err != nil {
		t.Fatalf("restarting redis-server: %v", err)
	}
	defer rs2.stop()
	time.Sleep(60 * time.Millisecond) // past the retry interval
	if _, err := l.Acquire(ctx, caps); err != nil {
		t.Fatalf("Acquire after Redis is back: %v", err)
	}
	if n := len(bookedTimes(t, rs2.client(t), l)); n != 1 {
		t.Errorf("%d sends booked in the restarted Redis, want 1", n)
	}
	if !strings.Contains(logs.String(), "Redis available again") {
		t.Errorf("no note that Redis is back; logs:\n%s", logs.String())
	}
}

// TestFailClosedWhenRedisStops stops Redis mid-run with FailClosed: the
// call fails with ErrUnavailable, says so, names neither key nor secret,
// and a client sends nothing.
func TestFailClosedWhenRedisStops(t *testing.T) {
	rs := startRedis(t)
	srv := posthogtest.NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	l, err := New(rs.client(t), key, FailClosed, WithTimeout(200*time.Millisecond), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := srv.Client(key, posthogapi.WithRateLimiter(l))
	if err != nil {
		t.Fatal(err)
	}
	org := srv.DefaultOrganization().ID
	if _, err := c.Organizations.Get(context.Background(), org); err != nil {
		t.Fatalf("Get with Redis up: %v", err)
	}
	rs.stop()
	before := len(srv.Requests())
	_, err = c.Organizations.Get(context.Background(), org)
	var te *posthogapi.TransportError
	if !errors.As(err, &te) || !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "fail closed") {
		t.Fatalf("Get with Redis stopped = %v; want a *TransportError wrapping ErrUnavailable", err)
	}
	if strings.Contains(err.Error(), key) {
		t.Error("the API key is in the error")
	}
	if n := len(srv.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent with Redis down and FailClosed", n)
	}
	// Pause with Redis down returns (bounded) and keeps the pause locally.
	l.Pause(context.Background(), time.Now().Add(time.Minute))
}

// hangingRedis accepts connections and never answers.
func hangingRedis(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

// TestBoundedWaitWhenRedisHangs points the Limiter at a server that accepts
// and never answers: each mode gives its answer instead of hanging (the
// test has no deadline of its own but the Limiter's timeout; a hang fails
// it by the test binary's timeout).
func TestBoundedWaitWhenRedisHangs(t *testing.T) {
	addr := hangingRedis(t)
	for _, fb := range []Fallback{FallbackLocal, FailClosed} {
		t.Run(fb.String(), func(t *testing.T) {
			rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1})
			defer rdb.Close()
			l, err := New(rdb, rawKey, fb, WithTimeout(100*time.Millisecond), WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Acquire(context.Background(), posthogapi.WaitCaps{})
			switch fb {
			case FallbackLocal:
				if err != nil {
					t.Errorf("FallbackLocal against a hung Redis: %v", err)
				}
			case FailClosed:
				var ne net.Error
				timedOut := errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
				if !errors.Is(err, ErrUnavailable) || !timedOut {
					t.Errorf("FailClosed against a hung Redis: %v; want ErrUnavailable after the timeout", err)
				}
			}
			l.Pause(context.Background(), time.Now().Add(time.Second))
		})
	}
}

// TestKeyNeverStored scans every key and value the Limiter wrote for the
// raw API key: only its hash may appear.
func TestKeyNeverStored(t *testing.T) {
	rs := startRedis(t)
	l := newLimiter(t, rs, FailClosed)
	ctx := context.Background()
	for range 3 {
		if _, err := l.Acquire(ctx, posthogapi.WaitCaps{}); err != nil {
			t.Fatal(err)
		}
	}
	l.Pause(ctx, time.Now().Add(time.Minute))
	rdb := rs.client(t)
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Errorf("keys = %q, want the three of one API key", keys)
	}
	for _, k := range keys {
		if strings.Contains(k, rawKey) || strings.Contains(k, rawKey[4:20]) {
			t.Errorf("key %q holds the API key", k)
		}
		if !strings.Contains(k, l.KeyID()) {
			t.Errorf("key %q is not named by the key's hash", k)
		}
		dump, err := rdb.Dump(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(dump, rawKey) || strings.Contains(dump, rawKey[4:20]) {
			t.Errorf("value of %q holds the API key", k)
		}
	}
}

// TestNewValidates checks New's refusals: no fallback chosen, a client that
// would ignore the timeout, bad options.
func TestNewValidates(t *testing.T) {
	ok := sharedRedis.client(t)
	loose := redis.NewClient(&redis.Options{Addr: sharedRedis.addr})
	defer loose.Close()
	for name, f := range map[string]func() (*Limiter, error){
		"no fallback":      func() (*Limiter, error) { return New(ok, rawKey, 0) },
		"no context bound": func() (*Limiter, error) { return New(loose, rawKey, FailClosed) },
		"empty key":        func() (*Limiter, error) { return New(ok, "", FailClosed) },
		"nil client":       func() (*Limiter, error) { return New(nil, rawKey, FailClosed) },
		"zero window":      func() (*Limiter, error) { return New(ok, rawKey, FailClosed, WithWindows(posthogapi.RateWindow{})) },
		"zero timeout":     func() (*Limiter, error) { return New(ok, rawKey, FailClosed, WithTimeout(0)) },
		"zero processes":   func() (*Limiter, error) { return New(ok, rawKey, FailClosed, WithProcesses(0)) },
	} {
		if _, err := f(); !errors.Is(err, posthogapi.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		} else if strings.Contains(err.Error(), rawKey) {
			t.Errorf("%s: the key is in the error", name)
		}
	}
}

// TestFallbackStartsFullThenKeepsShare: with several processes, the
// fallback lets nothing go until the shortest window has passed since the
// last slot Redis booked (the others may have filled it), then keeps this
// process to its share; one process goes on at once.
func TestFallbackStartsFullThenKeepsShare(t *testing.T) {
	win := posthogapi.RateWindow{Requests: 8, Per: 2 * time.Second}
	ctx := context.Background()
	short := posthogapi.WaitCaps{MaxBudgetWait: time.Millisecond}

	rs := startRedis(t)
	l := newLimiter(t, rs, FallbackLocal, WithWindows(win), WithMargin(0), WithProcesses(4),
		WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), WithTimeout(200*time.Millisecond), WithRetryInterval(time.Minute))
	if _, err := l.Acquire(ctx, short); err != nil {
		t.Fatalf("Acquire with Redis up: %v", err)
	}
	rs.stop()
	if _, err := l.Acquire(ctx, short); !errors.Is(err, posthogapi.ErrWaitTooLong) {
		t.Fatalf("first fallback Acquire = %v, want ErrWaitTooLong (the shared window may be full)", err)
	}
	// Without a cap it waits the window out, then the share is 8/4 = 2.
	for i := range 2 {
		if _, err := l.Acquire(ctx, posthogapi.WaitCaps{}); err != nil {
			t.Fatalf("fallback Acquire %d after the window: %v", i+1, err)
		}
	}
	if _, err := l.Acquire(ctx, short); !errors.Is(err, posthogapi.ErrWaitTooLong) {
		t.Fatalf("third fallback Acquire in the window = %v, want ErrWaitTooLong (the share of 2 is used)", err)
	}

	// One process: its local limiter saw every send, so no start wait.
	rs1 := startRedis(t)
	l1 := newLimiter(t, rs1, FallbackLocal, WithWindows(win), WithMargin(0),
		WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), WithTimeout(200*time.Millisecond), WithRetryInterval(time.Minute))
	if _, err := l1.Acquire(ctx, short); err != nil {
		t.Fatalf("Acquire with Redis up: %v", err)
	}
	rs1.stop()
	if _, err := l1.Acquire(ctx, short); err != nil {
		t.Fatalf("fallback Acquire of a single process: %v", err)
	}
}
