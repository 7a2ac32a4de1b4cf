// Command shared-budget shows several workers sharing one PostHog API key's
// rate budget. Each worker stands for a separate process (a replica, a cron
// job, a CI pipeline): it has its own client and its own limiter, and they
// offboard members of one organization together without a single 429.
//
// It runs offline against an in-memory PostHog (posthogtest) whose throttle
// is scaled down to 10 requests per 2 seconds so that the pacing shows. With
// REDIS_URL set (redis://localhost:6379/0) the workers share the budget
// through Redis (redislimit), as separate processes would; without it they
// share one in-process posthogapi.RateLimiter, which only works because here
// they are goroutines of one process.
//
//	REDIS_URL=redis://localhost:6379/0 go run ./examples/shared-budget  (from redislimit/)
//
// It lives in the redislimit module, not beside the other examples, because
// the core module does not depend on Redis.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
	"github.com/hogkit/posthogapi/redislimit"
	"github.com/redis/go-redis/v9"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "shared-budget:", err)
		os.Exit(1)
	}
}

// The demo server's budget, PostHog's 480 a minute scaled down.
var window = posthogapi.RateWindow{Requests: 10, Per: 2 * time.Second}

const workers, members = 3, 24

func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	srv := posthogtest.NewServer(posthogtest.WithRateWindows(posthogtest.RateWindow{Requests: window.Requests, Per: window.Per}))
	defer srv.Close()
	key := srv.NewAPIKey("organization_member:read", "organization_member:write")
	org := srv.DefaultOrganization().ID
	var leaving []uuid.UUID
	for i := range members {
		u := srv.AddUser(posthogtest.UserSeed{Email: fmt.Sprintf("leaver%d@example.com", i), FirstName: "Leaver"})
		srv.AddMember(org, u.UUID, posthogtest.LevelMember)
		leaving = append(leaving, uuid.UUID(u.UUID))
	}

	// newLimiter gives each worker its limiter: its own Redis connection
	// and Limiter (as a separate process would have), or the one shared
	// in-process limiter.
	var newLimiter func() (posthogapi.Limiter, error)
	if url := getenv("REDIS_URL"); url != "" {
		opt, err := redis.ParseURL(url)
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		opt.ContextTimeoutEnabled = true // the limiter bounds each Redis call
		// A fresh key prefix per run: the demo server's key is new each time.
		prefix := fmt.Sprintf("shared-budget-demo:%d:", time.Now().UnixNano())
		logger := slog.New(slog.NewTextHandler(out, nil))
		var clients []*redis.Client
		defer func() {
			for _, c := range clients {
				_ = c.Close()
			}
		}()
		newLimiter = func() (posthogapi.Limiter, error) {
			rdb := redis.NewClient(opt)
			clients = append(clients, rdb)
			return redislimit.New(rdb, key, redislimit.FallbackLocal,
				redislimit.WithWindows(window), redislimit.WithProcesses(workers),
				redislimit.WithKeyPrefix(prefix), redislimit.WithLogger(logger))
		}
		fmt.Fprintf(out, "%d workers share the budget through Redis (%s)\n", workers, opt.Addr)
	} else {
		// The in-process limiter counts windows exactly; the slack that
		// redislimit adds by default (redislimit.DefaultMargin) keeps
		// requests sent a window apart from arriving closer than that.
		shared := posthogapi.NewRateLimiterWindows(posthogapi.RateWindow{Requests: window.Requests, Per: window.Per + redislimit.DefaultMargin})
		newLimiter = func() (posthogapi.Limiter, error) { return shared, nil }
		fmt.Fprintf(out, "REDIS_URL not set: %d workers share one in-process limiter\n", workers)
	}

	queue := make(chan uuid.UUID, len(leaving))
	for _, u := range leaving {
		queue <- u
	}
	close(queue)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		removed  [workers]int
	)
	start := time.Now()
	for w := range workers {
		lim, err := newLimiter()
		if err != nil {
			return err
		}
		c, err := srv.Client(key, posthogapi.WithRateLimiter(lim))
		if err != nil {
			return err
		}
		wg.Go(func() {
			for u := range queue {
				if err := c.Members.Delete(ctx, org, posthogapi.UserUUID(u)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("worker %d removing %s: %w", w, u, err)
					}
					mu.Unlock()
					return
				}
				removed[w]++
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	admitted, throttled := srv.ThrottleLog(key)
	for w, n := range removed {
		fmt.Fprintf(out, "worker %d removed %d members\n", w, n)
	}
	fmt.Fprintf(out, "%d requests in %.1fs against a budget of %d per %v; 429s: %d\n",
		len(admitted), time.Since(start).Seconds(), window.Requests, window.Per, throttled)
	return nil
}
