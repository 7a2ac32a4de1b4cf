// Command quickstart shows posthogapi's basics: it lists the organizations a
// key can see, pages through the members of the current organization with an
// iterator, updates a member's level, and shows the typed error of a key
// that lacks a scope (that refusal is the expected outcome). Its last line
// says whether it succeeded.
//
// With POSTHOG_PERSONAL_API_KEY set (and POSTHOG_HOST for EU Cloud or a
// self-hosted instance) it runs against that PostHog; the level update then
// writes a member's current level back, so nothing changes. Without a key it
// starts an in-memory PostHog (posthogtest), says so, and runs the same code
// there.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

// seed gives the demo organization a few members.
func seed(srv *posthogtest.Server) {
	org := srv.DefaultOrganization()
	for _, name := range []string{"Ada", "Grace", "Linus", "Margaret", "Ken"} {
		u := srv.AddUser(posthogtest.UserSeed{Email: strings.ToLower(name) + "@example.com", FirstName: name})
		srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	}
}

// readOnlyClient returns a client whose key lacks organization_member:read:
// a second key on the demo server, POSTHOG_READONLY_API_KEY on a real
// PostHog (nil when it is not set).
func readOnlyClient(env *exampleenv.Env, getenv func(string) string) (*posthogapi.Client, error) {
	key := getenv("POSTHOG_READONLY_API_KEY")
	if env.Server != nil {
		key = env.Server.NewAPIKey("organization:read")
	}
	if key == "" {
		return nil, nil
	}
	return env.NewClient(key)
}

func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	env, err := exampleenv.Connect("quickstart", getenv, out, seed, "organization:read", "organization_member:write")
	if err != nil {
		return err
	}
	defer env.Close()
	if env.Server == nil {
		fmt.Fprintf(out, "Using PostHog at %s\n", env.Client.BaseURL())
	}
	readOnly, err := readOnlyClient(env, getenv)
	if err != nil {
		return err
	}
	c := env.Client

	// 1. Organizations the key can see (one page).
	orgs, err := c.Organizations.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("listing organizations: %w", err)
	}
	fmt.Fprintf(out, "\nOrganizations (%d):\n", orgs.Count)
	for _, o := range orgs.Results {
		fmt.Fprintf(out, "  %s  %s (%d members)\n", o.ID, o.Name, o.MemberCount)
	}

	// 2. Every member of the current organization, two per page, fetched
	// lazily by the iterator.
	org, err := c.Organizations.GetCurrent(ctx)
	if err != nil {
		return fmt.Errorf("current organization: %w", err)
	}
	fmt.Fprintf(out, "\nMembers of %s, oldest first:\n", org.Name)
	var last *posthogapi.OrganizationMember
	opts := &posthogapi.MemberListOptions{ListOptions: posthogapi.ListOptions{Limit: 2}, Order: posthogapi.MemberOrderJoinedAt}
	for m, err := range c.Members.All(ctx, org.ID, opts) {
		if err != nil {
			return fmt.Errorf("listing members: %w", err)
		}
		fmt.Fprintf(out, "  %-22s %-6s 2FA=%v\n", m.User.Email, m.Level, m.Is2FAEnabled)
		if m.Level != posthogapi.MembershipLevelOwner {
			last = m
		}
	}

	// 3. Update a member's level. On the demo server: promote to admin. On a
	// real PostHog: write the current level back (no change).
	if last != nil {
		level := last.Level
		if env.Server != nil {
			level = posthogapi.MembershipLevelAdmin
		}
		m, err := c.Members.Update(ctx, org.ID, last.User.UUID, &posthogapi.MemberUpdate{Level: level})
		if err != nil {
			return fmt.Errorf("updating %s: %w", last.User.Email, err)
		}
		fmt.Fprintf(out, "\nSet %s to %s.\n", m.User.Email, m.Level)
	}

	// 4. A key without the organization_member:read scope gets a typed
	// error: here the refusal is what the step shows, so it is a success.
	if err := showRefusal(ctx, readOnly, org, out); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nQuickstart finished: every step succeeded.")
	return nil
}

// showRefusal lists the members with the read-only key, which PostHog is
// expected to refuse for lack of organization_member:read. It returns an
// error only when something else goes wrong.
func showRefusal(ctx context.Context, readOnly *posthogapi.Client, org *posthogapi.Organization, out io.Writer) error {
	if readOnly == nil {
		fmt.Fprintln(out, "\nSet POSTHOG_READONLY_API_KEY to a key without organization_member:read to see a scope error (step skipped).")
		return nil
	}
	_, err := readOnly.Members.List(ctx, org.ID, nil)
	var scopeErr *posthogapi.ScopeError
	switch {
	case errors.As(err, &scopeErr):
		fmt.Fprintf(out, "\nThe read-only key was refused, as expected: it lacks the scope %q (HTTP %d). This refusal is the expected outcome.\n", scopeErr.Scope, scopeErr.StatusCode)
	case err != nil:
		return fmt.Errorf("read-only key: %w", err)
	default:
		fmt.Fprintln(out, "\nThe read-only key could list members: it has organization_member:read, so there was no refusal to show.")
	}
	return nil
}
