// Package redislimit shares one PostHog API key's rate budget between
// processes through Redis: a posthogapi.Limiter for clients that run as
// several replicas, cron jobs or CI pipelines with the same key.
//
// Every request is counted atomically (a Lua script) in the same sliding
// windows as PostHog's throttle, 480 requests in any minute and 4800 in any
// hour unless configured otherwise, and a 429 wait learned by any process is
// honoured by every process. The key itself is never stored: Redis holds
// only a SHA-256 hash of it in its key names.
//
// What happens when Redis is down or slow is the caller's choice, made in
// New: FallbackLocal keeps going with an in-process posthogapi.RateLimiter
// (holding this process to its share of the budget) and logs a warning;
// FailClosed fails the call. Every Redis call has a bounded wait
// (WithTimeout).
//
// It is its own module so that the core module does not depend on Redis.
package redislimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/redis/go-redis/v9"
)

// Fallback chooses what a Limiter does while Redis is unavailable (an error
// or no answer within the timeout).
type Fallback int

const (
	// FallbackLocal paces this process with an in-process
	// posthogapi.RateLimiter holding it to its share of the budget (see
	// WithProcesses), logs a warning when Redis goes away and a note when
	// it is back. With several processes it starts as if the others had
	// filled the shortest window: nothing goes until that window has passed
	// since the last request booked in Redis.
	FallbackLocal Fallback = iota + 1
	// FailClosed fails every call while Redis is unavailable with an error
	// wrapping ErrUnavailable; nothing is sent.
	FailClosed
)

func (f Fallback) String() string {
	switch f {
	case FallbackLocal:
		return "local"
	case FailClosed:
		return "fail-closed"
	}
	return "Fallback(" + strconv.Itoa(int(f)) + ")"
}

// Defaults.
const (
	// DefaultKeyPrefix starts the names of the Redis keys.
	DefaultKeyPrefix = "posthogapi:ratelimit:"
	// DefaultTimeout bounds each Redis call.
	DefaultTimeout = 500 * time.Millisecond
	// DefaultRetryInterval is how long a Limiter leaves Redis alone after
	// a failure before trying it again.
	DefaultRetryInterval = time.Second
	// DefaultMargin lengthens every window, so that requests booked
	// exactly a window apart still arrive at PostHog a window apart when
	// the network delays the earlier one more than the later one.
	DefaultMargin = 100 * time.Millisecond
)

// ErrUnavailable is wrapped by the error Acquire returns with FailClosed
// while Redis is unavailable.
var ErrUnavailable = errors.New("redislimit: Redis unavailable")

// Limiter is a posthogapi.Limiter whose budget and pauses live in Redis,
// shared by every Limiter (in any process) made for the same API key, key
// prefix and Redis. Pass it to each client with posthogapi.WithRateLimiter.
// It is safe for concurrent use and starts no goroutines; it does not own
// the Redis client.
type Limiter struct {
	rdb           redis.UniversalClient
	fallback      Fallback
	windows       []posthogapi.RateWindow
	prefix        string
	timeout       time.Duration
	retryInterval time.Duration
	processes     int
	margin        time.Duration
	logger        *slog.Logger
	local         *posthogapi.RateLimiter

	// keyID names the API key in Redis and in logs: a SHA-256 prefix.
	keyID string
	// Redis keys: booked send times, paused-until, member counter.
	sendsKey, pauseKey, seqKey string
	// windowArgs are the script's window arguments (requests, µs).
	windowArgs []any
	// shortest is the shortest window as counted (its length plus the
	// margin): how long the fallback waits after the last slot Redis
	// booked when several processes share the key.
	shortest time.Duration

	// onLocalGrant, when set (by the benchmarks), is called each time the
	// fallback limiter lets a request go.
	onLocalGrant func()

	mu sync.Mutex
	// downUntil: Redis failed; do not try it again before then.
	downUntil time.Time
	// downSince is when the current outage was first seen: a call that
	// started before it and succeeded does not end the outage.
	downSince time.Time
	down      bool
	lastErr   error
	// lastSlot is the latest send time Redis booked for this process; each
	// booking is at or after every slot already in the set, so it is the
	// key's latest slot as Redis last reported it.
	lastSlot time.Time
	// lastSent is when this process last let a request booked in Redis
	// go: later than its slot when the process was slow to wake, or
	// checked a dead Redis for a pause first.
	lastSent time.Time
}

// Option configures a Limiter.
type Option func(*Limiter) error

// WithWindows replaces PostHog's budget (posthogapi.DefaultRateWindows)
// with the given sliding windows, such as a scaled-down pair for tests.
// Every process sharing the key must use the same windows.
func WithWindows(windows ...posthogapi.RateWindow) Option {
	return func(l *Limiter) error {
		if len(windows) == 0 {
			return fmt.Errorf("%w: no windows", posthogapi.ErrInvalidArgument)
		}
		for _, w := range windows {
			if w.Requests <= 0 || w.Per < time.Millisecond {
				return fmt.Errorf("%w: window %d per %v: need at least 1 request per millisecond or longer", posthogapi.ErrInvalidArgument, w.Requests, w.Per)
			}
		}
		l.windows = append([]posthogapi.RateWindow(nil), windows...)
		return nil
	}
}

// WithKeyPrefix sets the start of the Redis key names (default
// DefaultKeyPrefix).
func WithKeyPrefix(prefix string) Option {
	return func(l *Limiter) error {
		l.prefix = prefix
		return nil
	}
}

// WithTimeout bounds each Redis call (default DefaultTimeout); past it,
// Redis counts as unavailable and the Fallback applies.
func WithTimeout(d time.Duration) Option {
	return func(l *Limiter) error {
		if d <= 0 {
			return fmt.Errorf("%w: timeout must be positive", posthogapi.ErrInvalidArgument)
		}
		l.timeout = d
		return nil
	}
}

// WithRetryInterval sets how long the Limiter leaves Redis alone after a
// failure (falling back or failing at once) before trying it again (default
// DefaultRetryInterval).
func WithRetryInterval(d time.Duration) Option {
	return func(l *Limiter) error {
		if d <= 0 {
			return fmt.Errorf("%w: retry interval must be positive", posthogapi.ErrInvalidArgument)
		}
		l.retryInterval = d
		return nil
	}
}

// WithProcesses tells the Limiter how many processes share the key (default
// 1). With FallbackLocal, each process then keeps to 1/n of every window
// while Redis is unavailable, so that together they stay within the budget,
// and (n > 1) waits at the start of an outage until the shortest window has
// passed since its last request booked in Redis: the window may be full of
// the others' requests, which it never saw. Windows longer than the
// shortest are not waited out: their share only holds for what is sent in
// the outage.
func WithProcesses(n int) Option {
	return func(l *Limiter) error {
		if n <= 0 {
			return fmt.Errorf("%w: processes must be positive", posthogapi.ErrInvalidArgument)
		}
		l.processes = n
		return nil
	}
}

// WithMargin sets how much longer than its length each window is counted
// (default DefaultMargin): the slack for requests whose trips to PostHog
// take different times. 0 counts the windows exactly.
func WithMargin(d time.Duration) Option {
	return func(l *Limiter) error {
		if d < 0 {
			return fmt.Errorf("%w: negative margin", posthogapi.ErrInvalidArgument)
		}
		l.margin = d
		return nil
	}
}

// WithLogger sets where the Limiter logs Redis going away and coming back
// (default slog.Default()). The API key is never logged; the key's hash
// prefix is, as key_id.
func WithLogger(logger *slog.Logger) Option {
	return func(l *Limiter) error {
		if logger != nil {
			l.logger = logger
		}
		return nil
	}
}

// New returns a Limiter for apiKey, counting in Redis through rdb. apiKey is
// hashed at once and not kept. fallback (FallbackLocal or FailClosed) says
// what to do while Redis is unavailable; there is no default.
//
// rdb must have ContextTimeoutEnabled set (redis.Options,
// redis.ClusterOptions, ...): the Limiter bounds each Redis call with a
// context deadline, which go-redis otherwise ignores.
func New(rdb redis.UniversalClient, apiKey string, fallback Fallback, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, fmt.Errorf("%w: redislimit: nil Redis client", posthogapi.ErrInvalidArgument)
	}
	if apiKey == "" {
		return nil, fmt.Errorf("%w: redislimit: empty API key", posthogapi.ErrInvalidArgument)
	}
	if fallback != FallbackLocal && fallback != FailClosed {
		return nil, fmt.Errorf("%w: redislimit: choose FallbackLocal or FailClosed", posthogapi.ErrInvalidArgument)
	}
	if !contextTimeoutEnabled(rdb) {
		return nil, fmt.Errorf("%w: redislimit: the Redis client needs ContextTimeoutEnabled so that each call's wait is bounded", posthogapi.ErrInvalidArgument)
	}
	l := &Limiter{
		rdb:           rdb,
		fallback:      fallback,
		windows:       posthogapi.DefaultRateWindows(),
		prefix:        DefaultKeyPrefix,
		timeout:       DefaultTimeout,
		retryInterval: DefaultRetryInterval,
		processes:     1,
		margin:        DefaultMargin,
		logger:        slog.Default(),
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(l); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256([]byte(apiKey))
	l.keyID = hex.EncodeToString(sum[:16])
	// The hash tag {…} keeps the three keys in one slot of a cluster.
	base := l.prefix + "{" + l.keyID + "}:"
	l.sendsKey, l.pauseKey, l.seqKey = base+"sends", base+"paused", base+"seq"
	share := make([]posthogapi.RateWindow, len(l.windows))
	for i, w := range l.windows {
		l.windowArgs = append(l.windowArgs, w.Requests, (w.Per + l.margin).Microseconds())
		share[i] = posthogapi.RateWindow{Requests: max(w.Requests/l.processes, 1), Per: w.Per + l.margin}
		if i == 0 || w.Per+l.margin < l.shortest {
			l.shortest = w.Per + l.margin
		}
	}
	l.local = posthogapi.NewRateLimiterWindows(share...)
	return l, nil
}

// contextTimeoutEnabled reports whether go-redis honours context deadlines
// for rdb (unknown implementations are trusted).
func contextTimeoutEnabled(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return true
}

// KeyID returns the name of the API key in Redis keys and in logs: the hex
// of the first 16 bytes of its SHA-256.
func (l *Limiter) KeyID() string { return l.keyID }

// Acquire implements posthogapi.Limiter: it waits out a pause recorded in
// Redis by any process, then books the earliest send time the windows allow
// in Redis and waits until then. While Redis is unavailable it falls back
// or fails as chosen in New.
func (l *Limiter) Acquire(ctx context.Context, caps posthogapi.WaitCaps) (time.Duration, error) {
	for {
		if err := l.unavailable(); err != nil {
			if l.fallback == FailClosed {
				return 0, err
			}
			if d, err := l.awaitFallbackStart(ctx, caps); err != nil {
				return d, err
			}
			d, err := l.local.Acquire(ctx, caps)
			if err == nil && l.onLocalGrant != nil {
				l.onLocalGrant()
			}
			return d, err
		}
		status, wait, err := l.book(ctx, caps)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			l.markDown(ctx, err)
			continue
		}
		switch status {
		case statusPaused:
			if err := sleepCtx(ctx, wait); err != nil {
				return 0, err
			}
			continue
		case statusPausedTooLong, statusBudgetTooLong:
			return wait, posthogapi.ErrWaitTooLong
		}
		// Booked. Count it locally too (never waiting), so that a switch to
		// the fallback starts from this process's recent sends.
		_, _ = l.local.Acquire(ctx, posthogapi.WaitCaps{MaxPause: time.Nanosecond, MaxBudgetWait: time.Nanosecond})
		if wait <= 0 {
			l.noteSent()
			return 0, nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return 0, err
		}
		// A 429 may have paused the key while this request waited for its
		// slot: then go around (the slot stays counted, which only slows
		// the key down). The slot was booked in Redis: when Redis is
		// down, send without asking.
		if l.unavailable() != nil {
			l.noteSent()
			return 0, nil
		}
		paused, err := l.pausedFor(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			l.markDown(ctx, err)
			l.noteSent()
			return 0, nil
		}
		if paused <= 0 {
			l.noteSent()
			return 0, nil
		}
	}
}

// Pause implements posthogapi.Limiter: it records in Redis that no process
// may send with the key before until, and keeps the pause locally too (for
// the fallback). The Redis call is bounded by the timeout and made even when
// ctx has ended.
func (l *Limiter) Pause(ctx context.Context, until time.Time) {
	l.local.Pause(ctx, until)
	wait := time.Until(until)
	if wait <= 0 || l.unavailable() != nil {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	defer cancel()
	start := time.Now()
	// The script answers 0; anything else is not our Redis answering.
	if n, err := pauseScript.Run(rctx, l.rdb, []string{l.pauseKey}, wait.Microseconds()).Int64(); err != nil || n != 0 {
		if err == nil {
			err = fmt.Errorf("redislimit: unexpected script answer %d", n)
		}
		l.markDown(ctx, err)
		return
	}
	l.markUp(ctx, start)
}

const (
	statusBooked = iota
	statusPaused
	statusPausedTooLong
	statusBudgetTooLong
)

// book runs the acquire script, bounded by the timeout.
func (l *Limiter) book(ctx context.Context, caps posthogapi.WaitCaps) (status int, wait time.Duration, err error) {
	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	args := append([]any{caps.MaxPause.Microseconds(), caps.MaxBudgetWait.Microseconds()}, l.windowArgs...)
	start := time.Now()
	res, err := acquireScript.Run(rctx, l.rdb, []string{l.sendsKey, l.pauseKey, l.seqKey}, args...).Int64Slice()
	if err != nil {
		return 0, 0, err
	}
	if len(res) != 2 || res[0] < statusBooked || res[0] > statusBudgetTooLong {
		return 0, 0, fmt.Errorf("redislimit: unexpected script answer %v", res)
	}
	l.markUp(ctx, start)
	wait = time.Duration(res[1]) * time.Microsecond
	if res[0] == statusBooked {
		slot := time.Now().Add(wait)
		l.mu.Lock()
		if slot.After(l.lastSlot) {
			l.lastSlot = slot
		}
		l.mu.Unlock()
	}
	return int(res[0]), wait, nil
}

// noteSent records that a request booked in Redis goes out now.
func (l *Limiter) noteSent() {
	now := time.Now()
	l.mu.Lock()
	l.lastSent = later(l.lastSent, now)
	l.mu.Unlock()
}

// awaitFallbackStart starts the fallback as if the shared window were full.
// With several processes, the window may hold what the others sent through
// Redis, which this process's local limiter never saw: nothing goes until
// the shortest window has passed since the latest of the key's last slot
// as Redis reported it, this process's last request booked in Redis, and
// the start of the outage. Each process then keeps to its share. One
// process saw every send in its local limiter, so it goes on at once. The
// wait is a wait for the budget: above caps.MaxBudgetWait it returns
// ErrWaitTooLong.
func (l *Limiter) awaitFallbackStart(ctx context.Context, caps posthogapi.WaitCaps) (time.Duration, error) {
	if l.processes <= 1 {
		return 0, nil
	}
	// Requests booked before the outage may still go out while this one
	// waits, moving the start: look again after each wait.
	for {
		l.mu.Lock()
		from := later(later(l.lastSlot, l.lastSent), l.downSince).Add(l.shortest)
		l.mu.Unlock()
		wait := time.Until(from)
		if wait <= 0 {
			return 0, nil
		}
		if caps.MaxBudgetWait > 0 && wait > caps.MaxBudgetWait {
			return wait, posthogapi.ErrWaitTooLong
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// pausedFor asks Redis how long the key is still paused.
func (l *Limiter) pausedFor(ctx context.Context) (time.Duration, error) {
	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	us, err := pausedScript.Run(rctx, l.rdb, []string{l.pauseKey}).Int64()
	return time.Duration(us) * time.Microsecond, err
}

// unavailable returns the FailClosed error while Redis is considered down
// (a failure less than the retry interval ago), nil otherwise.
func (l *Limiter) unavailable() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down && time.Now().Before(l.downUntil) {
		return fmt.Errorf("%w (fail closed, the request was not sent): %w", ErrUnavailable, l.lastErr)
	}
	return nil
}

// markDown records a Redis failure; the first one of an outage is logged.
func (l *Limiter) markDown(ctx context.Context, err error) {
	l.mu.Lock()
	wasDown := l.down
	now := time.Now()
	if !wasDown {
		l.downSince = now
	}
	l.down, l.lastErr = true, err
	l.downUntil = now.Add(l.retryInterval)
	l.mu.Unlock()
	if wasDown {
		return
	}
	msg := "redislimit: Redis unavailable; failing calls (FailClosed)"
	if l.fallback == FallbackLocal {
		msg = "redislimit: Redis unavailable; falling back to the in-process limiter (FallbackLocal)"
	}
	l.logger.LogAttrs(ctx, slog.LevelWarn, msg,
		slog.String("key_id", l.keyID),
		slog.String("fallback", l.fallback.String()),
		slog.Int("processes", l.processes),
		slog.Duration("retry_in", l.retryInterval),
		slog.String("error", err.Error()))
}

// markUp records the success of a Redis call made at start; the end of an
// outage is logged. A call that started before the outage was seen ends
// nothing (it would make the logs flap).
func (l *Limiter) markUp(ctx context.Context, start time.Time) {
	l.mu.Lock()
	wasDown := l.down
	if wasDown && start.Before(l.downSince) {
		l.mu.Unlock()
		return
	}
	l.down, l.lastErr = false, nil
	l.mu.Unlock()
	if wasDown {
		l.logger.LogAttrs(ctx, slog.LevelInfo, "redislimit: Redis available again; sharing the budget through it",
			slog.String("key_id", l.keyID))
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

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
