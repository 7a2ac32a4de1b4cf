// Command offboard removes a person, found by email, from every
// organization the key can see: from each role they hold, then from the
// organization, and deletes any invite still pending for their address. It
// prints what it does; with -dry-run it prints the plan and changes nothing.
//
//	offboard [-dry-run] [-demote-owner] EMAIL
//
// It is idempotent: what is already gone counts as done, and a second run
// says nothing was left. PostHog refuses to remove an owner ("Cannot leave
// the organization as its owner!"); with -demote-owner the program first
// makes such a person an admin, which PostHog allows only when the key's own
// user is an owner of that organization. Without the flag it leaves owners
// in place, says so, and exits 1.
//
// Member emails match exactly, case included, as PostHog's member filter
// does; pending invites match regardless of case.
//
// It runs against POSTHOG_PERSONAL_API_KEY / POSTHOG_HOST, or against an
// in-memory PostHog when no key is set (EMAIL then defaults to
// leaver@example.com). It needs organization:read, organization:write (for
// roles), organization_member:read and organization_member:write, and an
// admin's level in each organization. It exits 0 when everything is done
// (or was already), 1 if any step failed or an owner was left in place (the
// other steps still run), 2 on a usage error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// step is one change the offboarding makes.
type step struct {
	org  string // the organization's name, for skipping after a failed demotion
	what string
	// gate marks the demotion: when it fails, the organization's later
	// steps are skipped (PostHog would refuse to remove an owner anyway).
	gate bool
	do   func(context.Context) error
}

// plan is what offboarding a person takes.
type plan struct {
	steps []step
	// owners are the organizations where the person is an owner and
	// -demote-owner was not given.
	owners []string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := exampleenv.Flags("offboard", stderr,
		"usage: offboard [-dry-run] [-demote-owner] EMAIL",
		"Removes EMAIL from every organization the key can see, from its roles, and deletes pending invites.")
	dryRun := fs.Bool("dry-run", false, "print the plan only; change nothing")
	demote := fs.Bool("demote-owner", false, "demote the person from owner to admin first where they own an organization\n(the key's user must be an owner there)")
	if code, ok := exampleenv.Parse(fs, args, 1); !ok {
		return code
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
		return exampleenv.Usage(fs)
	}

	p, err := makePlan(ctx, env.Client, email, *demote)
	if err != nil {
		fmt.Fprintln(stderr, "offboard:", err)
		return 1
	}
	if len(p.steps) == 0 && len(p.owners) == 0 {
		fmt.Fprintf(stdout, "Nothing left to do: %s is a member of no organization this key can see (member emails match exactly, case included) and has no pending invite.\n", email)
		return 0
	}
	if *dryRun {
		fmt.Fprintf(stdout, "Plan for %s (dry run, nothing changed):\n", email)
		for _, s := range p.steps {
			fmt.Fprintf(stdout, "  would %s\n", s.what)
		}
		for _, org := range p.owners {
			fmt.Fprintf(stdout, "  would NOT remove them from %s: they are an owner (rerun with -demote-owner)\n", org)
		}
		return 0
	}
	fmt.Fprintf(stdout, "Offboarding %s:\n", email)
	failed, skip := 0, map[string]bool{}
	for _, s := range p.steps {
		if skip[s.org] {
			failed++
			fmt.Fprintf(stdout, "  SKIPPED %s: the demotion failed\n", s.what)
			continue
		}
		if err := s.do(ctx); err != nil {
			failed++
			fmt.Fprintf(stdout, "  FAILED to %s: %v\n", s.what, err)
			if s.gate {
				skip[s.org] = true
			}
			continue
		}
		fmt.Fprintf(stdout, "  did %s\n", s.what)
	}
	for _, org := range p.owners {
		fmt.Fprintf(stdout, "  LEFT IN PLACE in %s: %s is an owner, and PostHog refuses to remove an owner (\"Cannot leave the organization as its owner!\").\n", org, email)
		fmt.Fprintf(stdout, "    Rerun with -demote-owner to make them an admin first (your key's user must be an owner of %s).\n", org)
	}
	if failed > 0 || len(p.owners) > 0 {
		fmt.Fprintf(stderr, "offboard: %d of %d steps failed, %d organization(s) left in place because %s is an owner there\n",
			failed, len(p.steps), len(p.owners), email)
		return 1
	}
	fmt.Fprintf(stdout, "Done: %s is offboarded from every organization this key can see.\n", email)
	return 0
}

// makePlan lists, organization by organization, the demotion (for an owner,
// with demote), the roles, the membership and the pending invites to
// remove.
func makePlan(ctx context.Context, c *posthogapi.Client, email string, demote bool) (*plan, error) {
	p := &plan{}
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		orgID, orgName := org.ID, org.Name
		member, err := c.Members.GetByEmail(ctx, orgID, email)
		switch {
		case errors.Is(err, posthogapi.ErrNotFound):
			member = nil // not a member here
		case err != nil:
			return nil, fmt.Errorf("members of %s: %w", orgName, err)
		}
		if member != nil {
			user := member.User.UUID
			owner := member.Level == posthogapi.MembershipLevelOwner
			switch {
			case owner && !demote:
				p.owners = append(p.owners, orgName)
			case owner:
				p.steps = append(p.steps, step{
					org: orgName, gate: true,
					what: fmt.Sprintf("demote from owner to admin in %s", orgName),
					do: func(ctx context.Context) error {
						_, err := c.Members.Update(ctx, orgID, user, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
						return err
					},
				})
			}
			if !owner || demote {
				roles, err := c.Roles.ListForUser(ctx, orgID, user)
				if err != nil {
					return nil, fmt.Errorf("roles of %s in %s: %w", email, orgName, err)
				}
				for _, role := range roles {
					roleID := role.ID
					p.steps = append(p.steps, step{
						org:  orgName,
						what: fmt.Sprintf("remove from role %q in %s", role.Name, orgName),
						// Gone already (someone else removed it meanwhile) is done.
						do: func(ctx context.Context) error {
							return posthogapi.IgnoreNotFound(c.Roles.RemoveUser(ctx, orgID, roleID, user))
						},
					})
				}
				p.steps = append(p.steps, step{
					org:  orgName,
					what: fmt.Sprintf("remove from organization %s (was %s)", orgName, member.Level),
					do: func(ctx context.Context) error {
						return posthogapi.IgnoreNotFound(c.Members.Delete(ctx, orgID, user))
					},
				})
			}
		}
		invites, err := c.Invites.ListByEmail(ctx, orgID, email)
		if err != nil {
			return nil, fmt.Errorf("invites of %s: %w", orgName, err)
		}
		for _, inv := range invites {
			invID := inv.ID
			p.steps = append(p.steps, step{
				org:  orgName,
				what: fmt.Sprintf("delete the pending invite to %s", orgName),
				do: func(ctx context.Context) error {
					return posthogapi.IgnoreNotFound(c.Invites.Delete(ctx, orgID, invID))
				},
			})
		}
	}
	return p, nil
}

// seed puts the leaver in two organizations (each with projects of its
// own), one role, and a pending invite in a third.
func seed(srv *posthogtest.Server) {
	me := srv.DefaultUser()
	home := srv.DefaultOrganization()
	srv.AddProject(home.ID, "Web app")
	srv.AddProject(home.ID, "Mobile app")
	leaver := srv.AddUser(posthogtest.UserSeed{Email: "leaver@example.com", FirstName: "Lee"})
	stayer := srv.AddUser(posthogtest.UserSeed{Email: "stayer@example.com", FirstName: "Stacy"})
	srv.AddMember(home.ID, leaver.UUID, posthogtest.LevelAdmin)
	srv.AddMember(home.ID, stayer.UUID, posthogtest.LevelMember)
	srv.AddRole(home.ID, "Engineering", leaver.UUID, stayer.UUID)
	srv.AddRole(home.ID, "Support", stayer.UUID)
	side := srv.AddOrganization("Side Project", me.UUID)
	srv.AddProject(side.ID, "Side site")
	srv.AddMember(side.ID, leaver.UUID, posthogtest.LevelMember)
	third := srv.AddOrganization("Partner Org", me.UUID)
	srv.AddInvite(third.ID, posthogtest.InviteSeed{Email: "leaver@example.com"})
}
