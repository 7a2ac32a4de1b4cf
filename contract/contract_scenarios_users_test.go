package contract

import (
	"context"
	"fmt"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/hogkit/posthogapi/posthogtest"
)

func init() {
	contractScenarios["users"] = contractUsers
	contractScenarios["access"] = contractAccess
}

// contractUsers reads the key's own user.
func contractUsers(ctx context.Context, e *contractEnv) error {
	u := e.srv.AddUser(posthogtest.UserSeed{Email: "Invitee@example.com"})
	other := e.srv.AddOrganization("Other", u.UUID)
	e.srv.AddInvite(other.ID, posthogtest.InviteSeed{Email: "owner@example.com", CreatedBy: u.UUID})
	me, err := e.c.Users.Me(ctx)
	if err != nil {
		return fail("Users.Me", err)
	}
	if me.UUID != e.srv.DefaultUser().UUID || len(me.PendingInvites) != 1 {
		return fmt.Errorf("Users.Me: %+v", me)
	}
	return nil
}

// contractAccess plans and applies every kind of change through the
// access package, so that its requests meet the schemas too.
func contractAccess(ctx context.Context, e *contractEnv) error {
	org := e.org.ID
	add := func(email string, level posthogapi.MembershipLevel) posthogtest.Member {
		return e.srv.AddMember(org, e.srv.AddUser(posthogtest.UserSeed{Email: email}).UUID, level)
	}
	ann := add("ann@example.com", posthogapi.MembershipLevelMember)
	add("old@example.com", posthogapi.MembershipLevelOwner)
	add("gone@example.com", posthogapi.MembershipLevelMember)
	e.srv.AddRole(org, "Ops", ann.User.UUID)
	e.srv.AddInvite(org, posthogtest.InviteSeed{Email: "carol@example.com"})
	e.srv.AddInvite(org, posthogtest.InviteSeed{Email: "stale@example.com"})
	desired := &access.State{Organizations: []access.Organization{{ID: org, People: []access.Person{
		{Email: "owner@example.com", Level: access.LevelOwner},
		{Email: "ann@example.com", Level: access.LevelOwner, Roles: []string{"Eng"}},
		{Email: "old@example.com", Level: access.LevelMember},
		{Email: "carol@example.com", Level: access.LevelAdmin},
		{Email: "dave@example.com"},
	}}}}
	plan, err := access.Plan(ctx, e.c, desired, &access.PlanOptions{Prune: true})
	if err != nil {
		return fail("access.Plan", err)
	}
	if _, err := access.Apply(ctx, e.c, plan, nil); err != nil {
		return fail("access.Apply", err)
	}
	if len(plan.Changes) != 9 {
		return fmt.Errorf("access plan: want one change of each kind, got\n%s", plan)
	}
	return nil
}
