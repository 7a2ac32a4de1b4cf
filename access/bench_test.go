package access_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/hogkit/posthogapi/posthogtest"
)

// benchLatency is what the server adds to every request.
const benchLatency = 50 * time.Millisecond

// BenchmarkPlanLatency plans an organization of 10,000 people and 50 roles
// (2,000 role memberships) against posthogtest answering every request
// after 50 ms, and reports the time as a multiple of the fewest round trips
// the reads need: the key's user and the three lists are read side by
// side, so the longest list sets the bound: its first page, then its other
// pages DefaultPrefetch at a time (1 + ceil(99/5) = 21 round trips for 100
// pages of members). x-bound is the goal metric (at most 1.10). With -short
// it plans 1,000 people and 10 roles.
func BenchmarkPlanLatency(b *testing.B) {
	people, roles := 10_000, 50
	if testing.Short() {
		people, roles = 1_000, 10
	}
	srv := posthogtest.NewServer(posthogtest.WithLatency(benchLatency))
	b.Cleanup(srv.Close)
	org := srv.DefaultOrganization().ID
	members := make([]posthogapi.UserUUID, 0, people)
	desired := access.Organization{ID: org, People: []access.Person{{Email: "owner@example.com", Level: access.LevelOwner}}}
	for i := 1; i < people; i++ {
		email := fmt.Sprintf("person%05d@example.com", i)
		u := srv.AddUser(posthogtest.UserSeed{Email: email})
		srv.AddMember(org, u.UUID, posthogapi.MembershipLevelMember)
		members = append(members, u.UUID)
		desired.People = append(desired.People, access.Person{Email: email})
	}
	per := len(members) / 5 / roles // a fifth of the people are in one role each
	for r := 0; r < roles; r++ {
		name := fmt.Sprintf("role%02d", r)
		in := members[r*per : (r+1)*per]
		srv.AddRole(org, name, in...)
		for i := r * per; i < (r+1)*per; i++ {
			desired.People[i+1].Roles = []string{name}
		}
	}
	// A few changes, so the plan is not empty.
	desired.People[1].Level = access.LevelAdmin
	desired.People = append(desired.People, access.Person{Email: "new@example.com"})
	state := &access.State{Organizations: []access.Organization{desired}}
	c, err := srv.Client(srv.NewAPIKey(allScopes...))
	if err != nil {
		b.Fatal(err)
	}
	pages := (people + 99) / 100
	rounds := 1 + (pages-1+posthogapi.DefaultPrefetch-1)/posthogapi.DefaultPrefetch
	bound := time.Duration(rounds) * benchLatency
	ctx := context.Background()
	srv.ResetRequests()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	start := time.Now()
	for range b.N {
		plan, err := access.Plan(ctx, c, state, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(plan.Changes) != 2 {
			b.Fatalf("plan:\n%s", plan)
		}
	}
	per1 := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	// The fewest requests: the key's user, every page of members, one of
	// invites, one of roles (no role read on its own).
	b.ReportMetric(float64(len(srv.Requests()))/float64(b.N), "requests/op")
	b.ReportMetric(float64(1+pages+1+(roles+99)/100), "requests-bound")
	// The CPU the client and the server (one process) spent per plan: on a
	// busy machine it is what stretches the time beyond the round trips.
	b.ReportMetric((cpuSeconds()-cpu0)*1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(rounds), "round-trips-bound")
	b.ReportMetric(per1.Seconds()/bound.Seconds(), "x-bound")
}

// BenchmarkApplyRateLimit applies a plan of 500 invites with the client's
// limiter set to PostHog's windows (480 a minute, 4,800 an hour) against
// posthogtest throttling with the same windows and answering after 50 ms.
// The bound is the rate limit's: the 501st request (Apply also reads the
// key's user) cannot go before a minute has passed, and its answer takes
// 50 ms more. x-bound is the goal metric (at most 1.05), 429s must be 0.
// With -short it applies 20 invites under a window of 10 requests per
// 500 ms.
func BenchmarkApplyRateLimit(b *testing.B) {
	n, window := 500, posthogtest.RateWindow{Requests: 480, Per: time.Minute}
	hour := posthogtest.RateWindow{Requests: 4800, Per: time.Hour}
	if testing.Short() {
		n, window, hour = 20, posthogtest.RateWindow{Requests: 10, Per: 500 * time.Millisecond}, posthogtest.RateWindow{}
	}
	ctx := context.Background()
	var total time.Duration
	var bound time.Duration
	for i := range b.N {
		b.StopTimer()
		srv := posthogtest.NewServer(posthogtest.WithLatency(benchLatency), posthogtest.WithRateWindows(window, hour))
		org := srv.DefaultOrganization().ID
		desired := access.Organization{ID: org, People: []access.Person{{Email: "owner@example.com", Level: access.LevelOwner}}}
		for j := range n {
			desired.People = append(desired.People, access.Person{Email: fmt.Sprintf("new%04d-%d@example.com", j, i)})
		}
		planner, err := srv.Client(srv.NewAPIKey(allScopes...))
		if err != nil {
			b.Fatal(err)
		}
		plan, err := access.Plan(ctx, planner, &access.State{Organizations: []access.Organization{desired}}, nil)
		if err != nil || len(plan.Changes) != n {
			b.Fatalf("plan: %v", err)
		}
		windows := []posthogapi.RateWindow{{Requests: window.Requests, Per: window.Per}}
		if hour.Requests > 0 {
			windows = append(windows, posthogapi.RateWindow{Requests: hour.Requests, Per: hour.Per})
		}
		c, err := srv.Client(srv.NewAPIKey(allScopes...), posthogapi.WithRateLimiter(posthogapi.NewRateLimiterWindows(windows...)))
		if err != nil {
			b.Fatal(err)
		}
		srv.ResetRequests()
		b.StartTimer()
		start := time.Now()
		rep, err := access.Apply(ctx, c, plan, nil)
		total += time.Since(start)
		b.StopTimer()
		if err != nil || rep.Count(access.Done) != n {
			b.Fatalf("apply: %v", err)
		}
		throttled := 0
		for _, r := range srv.Requests() {
			if r.Status == 429 {
				throttled++
			}
		}
		b.ReportMetric(float64(throttled), "429s")
		if throttled > 0 {
			b.Errorf("%d answers 429", throttled)
		}
		srv.Close()
		// The last of n+1 requests may go once every earlier window has
		// passed, and is answered benchLatency later.
		bound = 0
		for _, w := range windows {
			bound = max(bound, time.Duration(n/w.Requests)*w.Per)
		}
		bound += benchLatency
	}
	b.ReportMetric(bound.Seconds(), "bound-s")
	b.ReportMetric((total/time.Duration(b.N)).Seconds()/bound.Seconds(), "x-bound")
}
