package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
	"github.com/redis/go-redis/v9"
)

// Task-level benchmarks against posthogtest with its throttle on, PostHog's
// two windows scaled down for CI time (48 per 6 s and 480 per 60 s). Each
// reports its figures with b.ReportMetric; run them once:
//
//	cd redislimit && go test -run '^$' -bench . -benchtime=1x
//
// (-short offboards fewer users in (a) and (c), for CI.)
// Nothing here asserts a time: the figures are for PERFORMANCE.md.

// Log lines (c) counts.
const (
	killedMsg   = "benchmark: redis-server killed"
	fallbackMsg = "falling back to the in-process limiter"
	backMsg     = "Redis available again"
)

// benchWindows is the budget of posthogtest and of the limiters.
var benchWindows = []posthogapi.RateWindow{{Requests: 48, Per: 6 * time.Second}, {Requests: 480, Per: time.Minute}}

// benchMargin is the limiters' slack: a burst of 48 requests reaches the
// throttle spread over a few hundred milliseconds on a loaded machine
// (connections queue, posthogtest handles one request at a time).
const benchMargin = 250 * time.Millisecond

func serverWindows() []posthogtest.RateWindow { return toServerWindows(benchWindows) }

func toServerWindows(windows []posthogapi.RateWindow) []posthogtest.RateWindow {
	out := make([]posthogtest.RateWindow, len(windows))
	for i, w := range windows {
		out[i] = posthogtest.RateWindow{Requests: w.Requests, Per: w.Per}
	}
	return out
}

// slotTime returns when the n-th request (0-based) may go out at the
// earliest under the windows, counted from the first: the rate-limit bound.
func slotTime(n int, windows []posthogapi.RateWindow) time.Duration {
	return posthogtest.EarliestSlot(n, toServerWindows(windows)...)
}

// maxInWindow returns the most times found in any span [t, t+per).
func maxInWindow(times []time.Time, per time.Duration) int {
	return posthogtest.MostInWindow(times, per)
}

// seedMembers adds n users as members of org and returns their UUIDs.
func seedMembers(srv *posthogtest.Server, org uuid.UUID, n int, tag string) []uuid.UUID {
	out := make([]uuid.UUID, n)
	for i := range n {
		u := srv.AddUser(posthogtest.UserSeed{Email: fmt.Sprintf("%s-%d@example.com", tag, i), FirstName: "U"})
		srv.AddMember(posthogapi.OrganizationID(org), u.UUID, 1)
		out[i] = uuid.UUID(u.UUID)
	}
	return out
}

// process is one simulated process: its own Redis client, Limiter and
// posthogapi client.
type process struct {
	lim    *Limiter
	client *posthogapi.Client
	// localSends records when the fallback limiter let a request go (not
	// a slot booked in Redis before it stopped).
	mu         sync.Mutex
	localSends []time.Time
}

func newProcesses(b *testing.B, rs *redisServer, srv *posthogtest.Server, key, prefix string, n int, opts ...Option) []*process {
	b.Helper()
	var out []*process
	for range n {
		base := []Option{WithKeyPrefix(prefix), WithWindows(benchWindows...), WithMargin(benchMargin), WithProcesses(n)}
		l, err := New(rs.client(b), key, FallbackLocal, append(base, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		p := &process{lim: l}
		l.onLocalGrant = func() {
			p.mu.Lock()
			p.localSends = append(p.localSends, time.Now())
			p.mu.Unlock()
		}
		p.client, err = srv.Client(key, posthogapi.WithRateLimiter(l))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// offboard deletes every user in users from org through the processes,
// goroutines per process pulling from one queue.
func offboard(b *testing.B, procs []*process, goroutines int, org uuid.UUID, users []uuid.UUID) {
	queue := make(chan uuid.UUID, len(users))
	for _, u := range users {
		queue <- u
	}
	close(queue)
	var wg sync.WaitGroup
	for _, p := range procs {
		for range goroutines {
			wg.Go(func() {
				for u := range queue {
					if err := p.client.Members.Delete(context.Background(), posthogapi.OrganizationID(org), posthogapi.UserUUID(u)); err != nil {
						b.Errorf("offboarding %s: %v", u, err)
					}
				}
			})
		}
	}
	wg.Wait()
}

// BenchmarkSharedKeyOffboarding (a): 4 processes x 16 goroutines offboard
// 288 users (144 with -short) through one key (six windows' worth). Reports the most
// requests the server admitted in any window against the budget, the 429s,
// the share of the budget used over the run, and the completion time over
// the rate-limit bound (when the last request may go out at the earliest).
func BenchmarkSharedKeyOffboarding(b *testing.B) {
	const procsN, goroutines = 4, 16
	users := 288
	if testing.Short() {
		users = 144 // three windows' worth
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := posthogtest.NewServer(posthogtest.WithRateWindows(serverWindows()...))
		key := srv.NewAPIKey("*")
		org := srv.DefaultOrganization().ID
		targets := seedMembers(srv, uuid.UUID(org), users, "off")
		procs := newProcesses(b, sharedRedis, srv, key, fmt.Sprintf("bench:%s:%d:%d:", b.Name(), i, time.Now().UnixNano()), procsN)
		b.StartTimer()
		start := time.Now()
		offboard(b, procs, goroutines, uuid.UUID(org), targets)
		elapsed := time.Since(start)
		b.StopTimer()
		admitted, throttled := srv.ThrottleLog(key)
		srv.Close()
		bound := slotTime(len(admitted)-1, benchWindows)
		for _, w := range benchWindows {
			b.ReportMetric(float64(maxInWindow(admitted, w.Per)), fmt.Sprintf("max-in-%v", w.Per))
			b.ReportMetric(float64(w.Requests), fmt.Sprintf("budget-%v", w.Per))
		}
		b.ReportMetric(float64(throttled), "429s")
		b.ReportMetric(float64(len(admitted)), "requests")
		// Budget used: requests sent over the most the windows allow in
		// the time taken (slots up to elapsed).
		allowed := 0
		for allowed < 100_000 && slotTime(allowed, benchWindows) <= elapsed {
			allowed++
		}
		b.ReportMetric(100*float64(len(admitted))/float64(allowed), "%budget-used")
		b.ReportMetric(elapsed.Seconds(), "s-completion")
		b.ReportMetric(bound.Seconds(), "s-rate-bound")
		b.ReportMetric(elapsed.Seconds()/bound.Seconds(), "x-rate-bound")
		b.StartTimer()
	}
}

// BenchmarkSharedKeyAudit (b): one process lists 10,000 members across 20
// organizations (500 each, 5 pages of 100) at +50 ms per answer, 20
// organizations at once, with the Redis limiter and with the in-process
// one. Reports the completion time over the physical limit: the larger of
// the round-trip bound with prefetch (list organizations, first page, the
// other 4 pages at once: 3 round trips) and the rate-limit bound (the
// last request's earliest slot plus one round trip). With -short (CI, so
// that it cannot rot) the organizations have 100 members each: one page,
// within the budget, bound by round trips.
func BenchmarkSharedKeyAudit(b *testing.B) {
	const orgsN, latency = 20, 50 * time.Millisecond
	perOrg := 500
	if testing.Short() {
		perOrg = 100
	}
	for _, kind := range []string{"redis", "local"} {
		b.Run("limiter="+kind, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				srv := posthogtest.NewServer(posthogtest.WithRateWindows(serverWindows()...))
				key := srv.NewAPIKey("*")
				owner := srv.DefaultUser().UUID
				def := srv.DefaultOrganization().ID
				// The default organization is one of the 20.
				orgs := []uuid.UUID{uuid.UUID(def)}
				for j := 1; j < orgsN; j++ {
					orgs = append(orgs, uuid.UUID(srv.AddOrganization(fmt.Sprintf("Org %d", j), owner).ID))
				}
				for j, o := range orgs {
					seedMembers(srv, o, perOrg-1, fmt.Sprintf("audit%d", j)) // plus the owner
				}
				srv.InjectFault(posthogtest.Fault{Delay: latency, Times: 1 << 30})
				// The in-process limiter gets the same slack, by its windows.
				var local []posthogapi.RateWindow
				for _, w := range benchWindows {
					local = append(local, posthogapi.RateWindow{Requests: w.Requests, Per: w.Per + benchMargin})
				}
				var lim posthogapi.Limiter = posthogapi.NewRateLimiterWindows(local...)
				if kind == "redis" {
					l, err := New(sharedRedis.client(b), key, FallbackLocal, WithKeyPrefix(fmt.Sprintf("bench:%s:%d:%d:", b.Name(), i, time.Now().UnixNano())),
						WithWindows(benchWindows...), WithMargin(benchMargin))
					if err != nil {
						b.Fatal(err)
					}
					lim = l
				}
				c, err := srv.Client(key, posthogapi.WithRateLimiter(lim))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				b.StartTimer()
				start := time.Now()
				var (
					wg    sync.WaitGroup
					mu    sync.Mutex
					total int
				)
				for o, err := range c.Organizations.All(ctx, nil) {
					if err != nil {
						b.Fatal(err)
					}
					wg.Go(func() {
						n := 0
						for _, err := range c.Members.All(ctx, o.ID, nil) {
							if err != nil {
								b.Errorf("members of %s: %v", o.ID, err)
								return
							}
							n++
						}
						mu.Lock()
						total += n
						mu.Unlock()
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				admitted, throttled := srv.ThrottleLog(key)
				srv.Close()
				if total != orgsN*perOrg {
					b.Errorf("audited %d members, want %d", total, orgsN*perOrg)
				}
				roundTrips := 3 * latency
				rateBound := slotTime(len(admitted)-1, benchWindows) + latency
				physical := max(roundTrips, rateBound)
				b.ReportMetric(float64(total), "members")
				b.ReportMetric(float64(len(admitted)), "requests")
				b.ReportMetric(float64(throttled), "429s")
				b.ReportMetric(elapsed.Seconds(), "s-completion")
				b.ReportMetric(physical.Seconds(), "s-physical-limit")
				b.ReportMetric(elapsed.Seconds()/physical.Seconds(), "x-physical-limit")
				b.StartTimer()
			}
		})
	}
}

// BenchmarkSharedKeyRedisStopped (c): as (a) with 192 users and FallbackLocal,
// but Redis is killed once a third of the users are done and never
// restarted. Reports the most requests any process's fallback limiter let
// go in any 6 s window against its share (48/4 = 12; slots booked in Redis
// before the kill are not the fallback's), the most the server admitted in
// any 6 s (budget 48), the writes lost (users still members) and duplicated
// (more than one DELETE of a user answered other than 429), the 429s, the
// fallback warnings logged before and after the kill (the kill is logged
// too, just before it), the "Redis available again" notes, and whether
// anything answers on the killed server's port at the end (0: nothing did;
// a note with 0 here would be a false recovery). Logs are printed with -v.
func BenchmarkSharedKeyRedisStopped(b *testing.B) {
	const procsN, goroutines = 4, 16
	users := 192
	if testing.Short() {
		users = 144
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rs := startRedis(b)
		srv := posthogtest.NewServer(posthogtest.WithRateWindows(serverWindows()...))
		key := srv.NewAPIKey("*")
		org := srv.DefaultOrganization().ID
		targets := seedMembers(srv, uuid.UUID(org), users, "stop")
		var logs syncBuffer
		logger := slog.New(slog.NewTextHandler(&logs, nil))
		// The default Redis timeout (500 ms): with 100 ms, the first burst
		// (64 connections dialled at once on a loaded machine) timed out
		// and the processes fell back before Redis was stopped, then
		// logged "Redis available again" when it answered.
		procs := newProcesses(b, rs, srv, key, "bench:stop:", procsN,
			WithLogger(logger), WithRetryInterval(500*time.Millisecond))
		stopped := make(chan struct{}, 1)
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(10 * time.Millisecond):
				}
				if adm, _ := srv.ThrottleLog(key); len(adm) >= users/3 {
					// Killed, never restarted: nothing in this benchmark
					// starts a redis-server on its port again.
					logger.Info(killedMsg, "addr", rs.addr, "admitted", len(adm))
					rs.stop()
					stopped <- struct{}{}
					return
				}
			}
		}()
		b.StartTimer()
		offboard(b, procs, goroutines, uuid.UUID(org), targets)
		b.StopTimer()
		close(done)
		select {
		case <-stopped:
		default:
			b.Fatal("Redis was never stopped")
		}
		admitted, throttled := srv.ThrottleLog(key)
		srv.Close()
		// Whether anything answers on the killed server's port now: a
		// redis-server started there by something else would make
		// "available again" lines genuine.
		back := 0.0
		probe := redis.NewClient(&redis.Options{Addr: rs.addr, ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: time.Second})
		pctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if probe.Ping(pctx).Err() == nil {
			back = 1
		}
		cancel()
		_ = probe.Close()
		out := logs.String()
		before, after, ok := strings.Cut(out, killedMsg)
		if !ok {
			b.Fatalf("no kill in the logs:\n%s", out)
		}
		share := benchWindows[0].Requests / procsN
		worst := 0
		for _, p := range procs {
			worst = max(worst, maxInWindow(p.localSends, benchWindows[0].Per))
		}
		left := map[uuid.UUID]bool{}
		for _, m := range srv.Members(org) {
			left[uuid.UUID(m.User.UUID)] = true
		}
		lost := 0
		for _, u := range targets {
			if left[u] {
				lost++
			}
		}
		deletes := map[string]int{}
		for _, r := range srv.Requests() {
			if r.Method == http.MethodDelete && r.Status != http.StatusTooManyRequests {
				deletes[r.Path]++
			}
		}
		dup := 0
		for _, n := range deletes {
			dup += n - 1
		}
		b.ReportMetric(float64(worst), "max-proc-fallback-in-6s")
		b.ReportMetric(float64(share), "share-per-6s")
		b.ReportMetric(float64(lost), "writes-lost")
		b.ReportMetric(float64(dup), "writes-duplicated")
		b.ReportMetric(float64(throttled), "429s")
		b.ReportMetric(float64(maxInWindow(admitted, benchWindows[0].Per)), "max-admitted-in-6s")
		b.ReportMetric(float64(strings.Count(before, fallbackMsg)), "fallback-warnings-before-kill")
		b.ReportMetric(float64(strings.Count(after, fallbackMsg)), "fallback-warnings-after-kill")
		b.ReportMetric(float64(strings.Count(out, backMsg)), "redis-back-notes")
		b.ReportMetric(back, "redis-answers-at-end")
		b.Logf("logs:\n%s", out)
		if strings.Contains(out, key) {
			b.Error("the API key is in the logs")
		}
		b.StartTimer()
	}
}
