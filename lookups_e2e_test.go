package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// offboardFixture is an organization with Ann in two roles (and Bob in one
// of them), a pending invite for Ann's address in other case, and one for
// someone else.
type offboardFixture struct {
	srv              *posthogtest.Server
	c                *posthogapi.Client
	org              posthogapi.OrganizationID
	ann, bob         posthogtest.Member
	admins, auditors posthogtest.Role
}

func newOffboardFixture(t *testing.T) *offboardFixture {
	t.Helper()
	srv, org, c := e2eServer(t, "organization:write", "organization_member:write")
	f := &offboardFixture{srv: srv, c: c, org: org}
	annU := srv.AddUser(posthogtest.UserSeed{Email: "ann@example.com", FirstName: "Ann"})
	bobU := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com", FirstName: "Bob"})
	f.ann = srv.AddMember(org, annU.UUID, posthogtest.LevelMember)
	f.bob = srv.AddMember(org, bobU.UUID, posthogtest.LevelMember)
	f.admins = srv.AddRole(org, "Admins", annU.UUID, bobU.UUID)
	f.auditors = srv.AddRole(org, "Auditors", annU.UUID)
	srv.AddInvite(org, posthogtest.InviteSeed{Email: "Ann@Example.com"})
	srv.AddInvite(org, posthogtest.InviteSeed{Email: "carol@example.com"})
	return f
}

func (f *offboardFixture) annInRole(r posthogtest.Role) bool {
	for _, role := range f.srv.Roles(f.org) {
		if role.ID == r.ID {
			for _, m := range role.Members {
				if m == f.ann.User.UUID {
					return true
				}
			}
		}
	}
	return false
}

func (f *offboardFixture) annIsMember() bool {
	for _, m := range f.srv.Members(f.org) {
		if m.User.UUID == f.ann.User.UUID {
			return true
		}
	}
	return false
}

// offboard is the program issue 11 asked for: by email, find the member,
// take every role away, delete the invites for the address, delete the
// member. Every step treats "already gone" as success with IgnoreNotFound,
// so running it twice is fine.
func offboard(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID, email string) error {
	invites, err := c.Invites.ListByEmail(ctx, org, email)
	if err != nil {
		return err
	}
	for _, inv := range invites {
		if err := posthogapi.IgnoreNotFound(c.Invites.Delete(ctx, org, inv.ID)); err != nil {
			return err
		}
	}
	m, err := c.Members.GetByEmail(ctx, org, email)
	if errors.Is(err, posthogapi.ErrNotFound) {
		return nil // not a member (any more)
	}
	if err != nil {
		return err
	}
	roles, err := c.Roles.ListForUser(ctx, org, m.User.UUID)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if err := posthogapi.IgnoreNotFound(c.Roles.RemoveUser(ctx, org, r.ID, m.User.UUID)); err != nil {
			return err
		}
	}
	return posthogapi.IgnoreNotFound(c.Members.Delete(ctx, org, m.User.UUID))
}

func TestOffboardByEmail(t *testing.T) {
	ctx := context.Background()
	f := newOffboardFixture(t)
	roles, err := f.c.Roles.ListForUser(ctx, f.org, f.ann.User.UUID)
	if err != nil || len(roles) != 2 {
		t.Fatalf("ListForUser: %v, %v", roles, err)
	}
	for range 2 { // the second run finds everything gone and succeeds
		if err := offboard(ctx, f.c, f.org, "ann@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if f.annIsMember() || f.annInRole(f.admins) || f.annInRole(f.auditors) {
		t.Error("Ann still has access")
	}
	invs := f.srv.Invites(f.org)
	if len(invs) != 1 || invs[0].Email != "carol@example.com" {
		t.Errorf("invites left: %+v", invs)
	}
	if r := f.srv.Roles(f.org); len(r[0].Members)+len(r[1].Members) != 1 {
		t.Errorf("Bob lost his role too: %+v", r)
	}
}

// TestMembersGetByEmail_ExactCase: PostHog's email filter is an exact,
// case-sensitive user__email match; GetByEmail keeps that rule.
func TestMembersGetByEmail_ExactCase(t *testing.T) {
	ctx := context.Background()
	f := newOffboardFixture(t)
	m, err := f.c.Members.GetByEmail(ctx, f.org, "ann@example.com")
	if err != nil || m.User.UUID != f.ann.User.UUID {
		t.Fatalf("GetByEmail: %+v, %v", m, err)
	}
	if _, err := f.c.Members.GetByEmail(ctx, f.org, "ANN@example.com"); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("other case: %v, want ErrNotFound", err)
	}
	if _, err := f.c.Members.GetByEmail(ctx, f.org, "not an email"); !errors.Is(err, posthogapi.ErrInvalidArgument) {
		t.Errorf("bad email: %v", err)
	}
}

// TestInvitesListByEmail_CaseInsensitive: invites match as PostHog's
// target_email__iexact does.
func TestInvitesListByEmail_CaseInsensitive(t *testing.T) {
	ctx := context.Background()
	f := newOffboardFixture(t)
	invs, err := f.c.Invites.ListByEmail(ctx, f.org, "ANN@EXAMPLE.COM")
	if err != nil || len(invs) != 1 || invs[0].TargetEmail != "Ann@example.com" {
		t.Errorf("ListByEmail: %+v, %v", invs, err)
	}
	invs, err = f.c.Invites.ListByEmail(ctx, f.org, "nobody@example.com")
	if err != nil || len(invs) != 0 {
		t.Errorf("no invites: %+v, %v", invs, err)
	}
}

func TestRolesRemoveUser(t *testing.T) {
	ctx := context.Background()
	f := newOffboardFixture(t)
	if err := f.c.Roles.RemoveUser(ctx, f.org, f.auditors.ID, f.ann.User.UUID); err != nil {
		t.Fatal(err)
	}
	if f.annInRole(f.auditors) {
		t.Error("Ann still in Auditors")
	}
	err := f.c.Roles.RemoveUser(ctx, f.org, f.auditors.ID, f.ann.User.UUID)
	if !errors.Is(err, posthogapi.ErrNotFound) || posthogapi.IgnoreNotFound(err) != nil {
		t.Errorf("not in role any more: %v, want ErrNotFound", err)
	}
	if !f.annInRole(f.admins) {
		t.Error("RemoveUser touched another role")
	}
}

// TestOffboardWrongIDs runs the steps of offboard with IDs of the wrong
// kind forced through explicit conversions (posthogapi.UserUUID(x) of a
// membership ID, say). Without the conversion each mix is a compile error
// (TestWrongIDsDoNotCompile); with it, the lookup helpers still tell the
// wrong kind apart and report an error that IgnoreNotFound does not hide,
// and nothing is removed.
func TestOffboardWrongIDs(t *testing.T) {
	ctx := context.Background()
	f := newOffboardFixture(t)
	c, org := f.c, f.org
	annUser, annMembership := f.ann.User.UUID, f.ann.ID
	var annRoleMembership uuid.UUID
	for rm, err := range c.Roles.AllMemberships(ctx, org, f.admins.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if rm.User.UUID == annUser {
			annRoleMembership = uuid.UUID(rm.ID)
		}
	}
	var inviteID uuid.UUID
	for inv, err := range c.Invites.All(ctx, org, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if inv.TargetEmail == "Ann@example.com" { // the domain lower-cased, as PostHog stores it
			inviteID = uuid.UUID(inv.ID)
		}
	}

	cases := []struct {
		name string
		call func() error
	}{
		{"RemoveUser: organization membership ID for user UUID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, f.admins.ID, posthogapi.UserUUID(annMembership))
			}},
		{"RemoveUser: role membership ID for user UUID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, f.admins.ID, posthogapi.UserUUID(annRoleMembership))
			}},
		{"RemoveUser: organization ID for user UUID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, f.admins.ID, posthogapi.UserUUID(org))
			}},
		{"RemoveUser: role ID for user UUID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, f.admins.ID, posthogapi.UserUUID(f.auditors.ID))
			}},
		{"RemoveUser: organization ID for role ID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, posthogapi.RoleID(org), annUser)
			}},
		{"RemoveUser: user UUID for role ID",
			func() error {
				return c.Roles.RemoveUser(ctx, org, posthogapi.RoleID(annUser), annUser)
			}},
		{"RemoveUser: role ID for organization ID",
			func() error {
				return c.Roles.RemoveUser(ctx, posthogapi.OrganizationID(f.admins.ID), f.admins.ID, annUser)
			}},
		{"ListForUser: membership ID for user UUID",
			func() error {
				_, err := c.Roles.ListForUser(ctx, org, posthogapi.UserUUID(annMembership))
				return err
			}},
		{"GetByEmail: role ID for organization ID",
			func() error {
				_, err := c.Members.GetByEmail(ctx, posthogapi.OrganizationID(f.admins.ID), "ann@example.com")
				return err
			}},
		{"ListByEmail: user UUID for organization ID",
			func() error {
				_, err := c.Invites.ListByEmail(ctx, posthogapi.OrganizationID(annUser), "ann@example.com")
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := posthogapi.IgnoreNotFound(tc.call()); err == nil {
				t.Error("wrong ID passed silently")
			}
			if !f.annIsMember() || !f.annInRole(f.admins) || !f.annInRole(f.auditors) {
				t.Fatal("a wrong ID removed access")
			}
		})
	}
	if len(f.srv.Invites(org)) != 2 || inviteID == uuid.Nil {
		t.Errorf("a wrong ID removed an invite: %+v", f.srv.Invites(org))
	}
}
