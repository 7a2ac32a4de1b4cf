// Command offboard removes a person from every organization the key can
// see: from each role they hold, then from the organization, and deletes
// any invite still pending for their address. It prints what it does;
// with -dry-run it prints the plan and changes nothing.
//
//	offboard [-dry-run] EMAIL
//
// It runs against POSTHOG_PERSONAL_API_KEY / POSTHOG_HOST, or against an
// in-memory PostHog when no key is set (EMAIL then defaults to
// leaver@example.com). It needs organization:read, organization:write (for
// roles), organization_member:read and organization_member:write, and an
// admin's level in each organization. It exits 1 if any step failed; the
// other steps still run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// step is one change the offboarding makes.
type step struct {
	what string
	do   func(context.Context) error
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("offboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "print the plan only; change nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: offboard [-dry-run] EMAIL")
		fmt.Fprintln(stderr, "Removes EMAIL from every organization the key can see, and from its roles.")
		fs.PrintDefaults()
	}
	if code, ok := exampleenv.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	env, err := exampleenv.Connect("offboard", getenv, stdout, seed,
		"organization:write", "organization_member:write")
	if err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	defer env.Close()
	email := strings.TrimSpace(fs.Arg(0))
	if email == "" && env.Server != nil {
		email = "leaver@example.com"
	}
	if email == "" || !strings.Contains(email, "@") {
		fmt.Fprintln(stderr, "offboard: give the email address of the person to offboard")
		fs.Usage()
		return 2
	}

	steps, err := plan(ctx, env.Client, email)
	if err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	if len(steps) == 0 {
		fmt.Fprintf(stdout, "%s is in no organization this key can see, and has no pending invite: nothing to do.\n", email)
		return 0
	}
	if *dryRun {
		fmt.Fprintf(stdout, "Plan for %s (dry run, nothing changed):\n", email)
		for _, s := range steps {
			fmt.Fprintf(stdout, "  would %s\n", s.what)
		}
		return 0
	}
	fmt.Fprintf(stdout, "Offboarding %s:\n", email)
	failed := 0
	for _, s := range steps {
		if err := s.do(ctx); err != nil {
			failed++
			fmt.Fprintf(stdout, "  FAILED to %s: %v\n", s.what, err)
			continue
		}
		fmt.Fprintf(stdout, "  did %s\n", s.what)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "offboard: %d of %d steps failed\n", failed, len(steps))
		return 1
	}
	return 0
}

// plan lists, organization by organization, the role memberships, the
// membership and the pending invites to remove.
func plan(ctx context.Context, c *posthogapi.Client, email string) ([]step, error) {
	var steps []step
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		page, err := c.Members.List(ctx, org.ID, &posthogapi.MemberListOptions{Email: email})
		if err != nil {
			return nil, fmt.Errorf("members of %s: %w", org.Name, err)
		}
		var member *posthogapi.OrganizationMember
		for i := range page.Results {
			if strings.EqualFold(page.Results[i].User.Email, email) {
				member = &page.Results[i]
			}
		}
		if member != nil {
			user := member.User.UUID
			for role, err := range c.Roles.All(ctx, org.ID, nil) {
				if err != nil {
					return nil, fmt.Errorf("roles of %s: %w", org.Name, err)
				}
				for rm, err := range c.Roles.AllMemberships(ctx, org.ID, role.ID, nil) {
					if err != nil {
						return nil, fmt.Errorf("members of role %s in %s: %w", role.Name, org.Name, err)
					}
					if rm.User.UUID != user {
						continue
					}
					orgID, roleID, rmID := org.ID, role.ID, rm.ID
					steps = append(steps, step{
						what: fmt.Sprintf("remove from role %q in %s", role.Name, org.Name),
						do:   func(ctx context.Context) error { return c.Roles.RemoveMember(ctx, orgID, roleID, rmID) },
					})
				}
			}
			orgID := org.ID
			steps = append(steps, step{
				what: fmt.Sprintf("remove from organization %s (was %s)", org.Name, member.Level),
				do:   func(ctx context.Context) error { return c.Members.Delete(ctx, orgID, user) },
			})
		}
		for inv, err := range c.Invites.All(ctx, org.ID, nil) {
			if err != nil {
				return nil, fmt.Errorf("invites of %s: %w", org.Name, err)
			}
			if !strings.EqualFold(inv.TargetEmail, email) {
				continue
			}
			orgID, invID := org.ID, inv.ID
			steps = append(steps, step{
				what: fmt.Sprintf("delete the pending invite to %s", org.Name),
				do:   func(ctx context.Context) error { return c.Invites.Delete(ctx, orgID, invID) },
			})
		}
	}
	return steps, nil
}

// seed puts the leaver in two organizations, one role, and a pending invite.
func seed(srv *posthogtest.Server) {
	home := srv.DefaultOrganization()
	leaver := srv.AddUser(posthogtest.UserSeed{Email: "leaver@example.com", FirstName: "Lee"})
	stayer := srv.AddUser(posthogtest.UserSeed{Email: "stayer@example.com", FirstName: "Stacy"})
	srv.AddMember(home.ID, leaver.UUID, posthogtest.LevelAdmin)
	srv.AddMember(home.ID, stayer.UUID, posthogtest.LevelMember)
	srv.AddRole(home.ID, "Engineering", leaver.UUID, stayer.UUID)
	srv.AddRole(home.ID, "Support", stayer.UUID)
	side := srv.AddOrganization("Side Project", posthogapi.UserUUID(uuid.Nil))
	srv.AddMember(side.ID, leaver.UUID, posthogtest.LevelMember)
	third := srv.AddOrganization("Partner Org", posthogapi.UserUUID(uuid.Nil))
	srv.AddInvite(third.ID, posthogtest.InviteSeed{Email: "leaver@example.com"})
}
