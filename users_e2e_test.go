package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestUsersMeE2E(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "user:read")
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	srv.AddInvite(srv.AddOrganization("Elsewhere", srv.AddUser(posthogtest.UserSeed{Email: "boss@example.com"}).UUID).ID,
		posthogtest.InviteSeed{Email: "OWNER@example.com", CreatedBy: srv.AddUser(posthogtest.UserSeed{Email: "x@example.com"}).UUID})
	me, err := c.Users.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	def := srv.DefaultUser()
	if me.UUID != def.UUID || me.Email != def.Email || me.ID != def.ID || !me.Is2FAEnabled {
		t.Errorf("me = %+v, want the default user %+v", me, def)
	}
	if me.Organization == nil || me.Organization.ID != org || len(me.Organizations) != 2 || me.Organizations[1].ID != other.ID {
		t.Errorf("organizations = %+v, %+v", me.Organization, me.Organizations)
	}
	if len(me.PendingInvites) != 1 || me.PendingInvites[0].TargetEmail != "OWNER@example.com" {
		t.Errorf("pending invites = %+v (the address in any case, as PostHog matches it)", me.PendingInvites)
	}

	// Another user's key sees its own user.
	u := srv.AddUser(posthogtest.UserSeed{Email: "Ann@Example.COM", FirstName: "Ann"})
	c2 := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID, "user:read"))
	me2, err := c2.Users.Me(ctx)
	if err != nil || me2.UUID != u.UUID || me2.Email != "Ann@example.com" || me2.Organization != nil || len(me2.Organizations) != 0 {
		t.Errorf("second user = %+v, %v (the domain lower-cased, the local part kept)", me2, err)
	}
}

func TestUsersMeNeedsUserRead(t *testing.T) {
	_, _, c := e2eServer(t, "organization:read")
	_, err := c.Users.Me(context.Background())
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "user:read" {
		t.Errorf("err = %v, want missing scope user:read", err)
	}
}

func TestUsersOtherUUIDRefused(t *testing.T) {
	srv, _, c := e2eServer(t, "user:read")
	var out map[string]any
	err := c.Do(context.Background(), "GET", "/api/users/"+srv.DefaultUser().UUID.String()+"/", nil, nil, &out)
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("err = %v, want 403 (only @me for non-staff)", err)
	}
}
