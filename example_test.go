package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// newDemo starts an in-memory PostHog with fixed IDs and clock, and a few
// members in its default organization.
func newDemo() *posthogtest.Server {
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs(),
		posthogtest.WithFixedClock(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)))
	org := srv.DefaultOrganization()
	for _, name := range []string{"ada", "grace", "linus"} {
		u := srv.AddUser(posthogtest.UserSeed{Email: name + "@example.com", FirstName: name})
		srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	}
	return srv
}

// Create a client for PostHog Cloud (US by default, EU with WithBaseURL) or
// a self-hosted instance.
func ExampleNewClient() {
	c, err := posthogapi.NewClient("phx_your_personal_api_key",
		posthogapi.WithBaseURL(posthogapi.EUCloud),
		posthogapi.WithUserAgent("offboarding-bot/1.0"),
		posthogapi.WithMaxRetries(3),
		posthogapi.WithMaxRetryWait(30*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())

	// Bad configuration is an error before any request is made.
	_, err = posthogapi.NewClient("phx_key", posthogapi.WithBaseURL("http://posthog.internal"))
	fmt.Println(errors.Is(err, posthogapi.ErrInvalidArgument))
	// Output:
	// https://eu.posthog.com
	// true
}

// Iterate over every member; pages are fetched as the loop needs them.
func ExampleMembersService_All() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization_member:read"))
	ctx := context.Background()
	org := srv.DefaultOrganization()

	opts := &posthogapi.MemberListOptions{
		ListOptions: posthogapi.ListOptions{Limit: 2}, // two per page
		Order:       posthogapi.MemberOrderJoinedAt,
	}
	for m, err := range c.Members.All(ctx, org.ID, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.User.Email, m.Level)
	}
	// Output:
	// owner@example.com owner
	// ada@example.com member
	// grace@example.com member
	// linus@example.com member
}

// Change a member's level; members are addressed by their user's UUID.
func ExampleMembersService_Update() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization_member:write"))
	org := srv.DefaultOrganization()
	ada := srv.Members(org.ID)[1].User

	m, err := c.Members.Update(context.Background(), org.ID, ada.UUID,
		&posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.User.Email, m.Level)
	// Output: ada@example.com admin
}

// Errors are typed: match a kind with errors.Is, get details with
// errors.As.
func ExampleScopeError() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization:read")) // no member scopes
	org := srv.DefaultOrganization()

	_, err := c.Members.List(context.Background(), org.ID, nil)
	var scopeErr *posthogapi.ScopeError
	if errors.As(err, &scopeErr) {
		fmt.Println("missing scope:", scopeErr.Scope)
	}
	fmt.Println(errors.Is(err, posthogapi.ErrPermissionDenied), errors.Is(err, posthogapi.ErrNotFound))

	var apiErr *posthogapi.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// missing scope: organization_member:read
	// true false
	// 403 permission_denied
}

// A 429 whose wait is above the client's cap comes back at once as a
// *RateLimitError, so the caller decides when to try again. Shorter waits
// are retried automatically.
func ExampleRateLimitError() {
	srv := newDemo()
	defer srv.Close()
	srv.InjectFault(posthogtest.Fault{Status: 429, RetryAfter: "3600"})
	c, _ := srv.Client(srv.NewAPIKey("*"), posthogapi.WithMaxRetryWait(time.Minute))

	_, err := c.Organizations.GetCurrent(context.Background())
	var rateErr *posthogapi.RateLimitError
	if errors.As(err, &rateErr) {
		fmt.Println("retry after", rateErr.RetryAfter)
	}
	fmt.Println(errors.Is(err, posthogapi.ErrRateLimited))
	// Output:
	// retry after 1h0m0s
	// true
}

// Clear a nullable field with Null; leave a field unset to keep it.
func ExampleNullable() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization:write"))
	ctx := context.Background()
	org := srv.DefaultOrganization()

	o, err := c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{
		Enforce2FA:    posthogapi.NewNullable(true),
		DefaultRoleID: posthogapi.Null[posthogapi.RoleID](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*o.Enforce2FA, o.DefaultRoleID == nil, o.Name)
	// Output: true true Test Organization
}

// Test your own automation against posthogtest: seed state, run the code
// under test with a client pointed at the server, then assert on the
// server's state or its request log.
func Example_testing() {
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs())
	defer srv.Close()
	org := srv.DefaultOrganization()
	bob := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com"})
	srv.AddMember(org.ID, bob.UUID, posthogtest.LevelMember)

	c, _ := posthogapi.NewClient(srv.NewAPIKey("organization_member:write"),
		posthogapi.WithBaseURL(srv.URL()))

	// The code under test: offboard bob.
	if err := c.Members.Delete(context.Background(), org.ID, bob.UUID); err != nil {
		log.Fatal(err)
	}

	fmt.Println(len(srv.Members(org.ID)), "member left")
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Status)
	}
	// Output:
	// 1 member left
	// DELETE 204
}

// Pace a key on the client side; clients that share the limiter also share
// what they learn from a 429.
func ExampleNewRateLimiter() {
	lim := posthogapi.NewRateLimiter() // PostHog's 480/min and 4800/h
	us, _ := posthogapi.NewClient("phx_key", posthogapi.WithRateLimiter(lim))
	eu, _ := posthogapi.NewClient("phx_key", posthogapi.WithRateLimiter(lim), posthogapi.WithBaseURL(posthogapi.EUCloud))
	fmt.Println(us.BaseURL(), eu.BaseURL())
	// Output: https://us.posthog.com https://eu.posthog.com
}
