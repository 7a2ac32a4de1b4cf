package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestRolesE2E(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "organization:write", "organization_member:write")
	org := srv.DefaultOrganization().ID
	mo := srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com", FirstName: "Mo"})
	srv.AddMember(org, mo.UUID, posthogtest.LevelMember)
	outsider := srv.AddUser(posthogtest.UserSeed{Email: "out@example.com"})

	eng, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Engineers"})
	if err != nil {
		t.Fatal(err)
	}
	if eng.ID == posthogapi.RoleID(uuid.Nil) || eng.Name != "Engineers" || eng.IsDefault || len(eng.Members) != 0 || eng.CreatedAt.IsZero() {
		t.Fatalf("created = %+v", eng)
	}
	// TestFidelity14: PostHog leaves created_by null on roles created
	// through the API.
	if eng.CreatedBy != nil {
		t.Errorf("created_by = %+v, want null", eng.CreatedBy)
	}

	// Names are unique regardless of case, on create and on rename.
	_, err = c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "ENGINEERS"})
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Code != "unique" || ae.Attr != "name" {
		t.Fatalf("duplicate name: %v", err)
	}
	ops, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Roles.Update(ctx, org, ops.ID, &posthogapi.RoleUpdate{Name: posthogapi.Ptr("engineers")}); !errors.As(err, &ae) || ae.Code != "unique" {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	// Renaming a role to its own name in another case is allowed.
	if r, err := c.Roles.Update(ctx, org, eng.ID, &posthogapi.RoleUpdate{Name: posthogapi.Ptr("engineers")}); err != nil || r.Name != "engineers" {
		t.Fatalf("self rename: %+v %v", r, err)
	}
	if r, err := c.Roles.Replace(ctx, org, eng.ID, &posthogapi.RoleCreate{Name: "Engineering"}); err != nil || r.Name != "Engineering" {
		t.Fatalf("replace: %+v %v", r, err)
	}

	// Read back.
	got, err := c.Roles.Get(ctx, org, eng.ID)
	if err != nil || got.Name != "Engineering" || got.ID != eng.ID {
		t.Fatalf("get: %+v %v", got, err)
	}
	p, err := c.Roles.List(ctx, org, &posthogapi.ListOptions{Limit: 1})
	if err != nil || p.Count != 2 || len(p.Results) != 1 || p.Next == "" {
		t.Fatalf("list: %+v %v", p, err)
	}
	var names []string
	for r, err := range c.Roles.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, r.Name)
	}
	if len(names) != 2 || names[0] != "Engineering" || names[1] != "Ops" {
		t.Errorf("all = %v", names)
	}

	// Memberships.
	m, err := c.Roles.AddUser(ctx, org, eng.ID, mo.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if m.RoleID != eng.ID || m.User.UUID != mo.UUID || m.OrganizationMember == nil || m.OrganizationMember.User.Email != "mo@example.com" {
		t.Fatalf("membership = %+v", m)
	}
	if _, err := c.Roles.AddUser(ctx, org, eng.ID, mo.UUID); !errors.As(err, &ae) || ae.Detail != "User is already part of the role." {
		t.Errorf("second add: %v", err)
	}
	if _, err := c.Roles.AddUser(ctx, org, eng.ID, outsider.UUID); !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Detail != "User does not exist." {
		t.Errorf("outsider add: %v", err)
	}
	if _, err := c.Roles.AddUser(ctx, org, posthogapi.RoleID(uuid.New()), mo.UUID); !errors.As(err, &ae) || ae.Detail != "Role does not exist." {
		t.Errorf("unknown role: %v", err)
	}
	gm, err := c.Roles.GetMembership(ctx, org, eng.ID, m.ID)
	if err != nil || gm.ID != m.ID || gm.User.Email != "mo@example.com" {
		t.Fatalf("get membership: %+v %v", gm, err)
	}
	if _, err := c.Roles.GetMembership(ctx, org, ops.ID, m.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("membership under the wrong role: %v", err)
	}
	mp, err := c.Roles.ListMemberships(ctx, org, eng.ID, nil)
	if err != nil || mp.Count != 1 || mp.Results[0].ID != m.ID {
		t.Fatalf("list memberships: %+v %v", mp, err)
	}
	if got, _ := c.Roles.Get(ctx, org, eng.ID); len(got.Members) != 1 || got.Members[0].ID != m.ID {
		t.Errorf("role members = %+v", got.Members)
	}
	if err := c.Roles.RemoveMembership(ctx, org, eng.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Roles.GetMembership(ctx, org, eng.ID, m.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("after remove: %v", err)
	}

	// is_default follows the organization's default role.
	if _, err := c.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{DefaultRoleID: posthogapi.NewNullable(ops.ID)}); err != nil {
		t.Fatal(err)
	}
	if r, _ := c.Roles.Get(ctx, org, ops.ID); !r.IsDefault {
		t.Errorf("ops is not default: %+v", r)
	}

	// Delete, then 404; deleting the default role clears the organization's default.
	if err := c.Roles.Delete(ctx, org, ops.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Roles.Get(ctx, org, ops.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := c.Roles.Delete(ctx, org, ops.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if o, _ := c.Organizations.Get(ctx, org); o.DefaultRoleID != nil {
		t.Errorf("default role = %v after its deletion", *o.DefaultRoleID)
	}
	if rs := srv.Roles(org); len(rs) != 1 || rs[0].Name != "Engineering" {
		t.Errorf("server roles = %+v", rs)
	}
	// An unknown role lists no memberships (PostHog filters, it does not 404).
	if mp, err := c.Roles.ListMemberships(ctx, org, ops.ID, nil); err != nil || mp.Count != 0 || mp.Results == nil {
		t.Errorf("memberships of a deleted role: %+v %v", mp, err)
	}
}

func TestRolesE2EMemberRemovalDropsRoleMemberships(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "organization:write", "organization_member:write")
	org := srv.DefaultOrganization().ID
	mo := srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com"})
	srv.AddMember(org, mo.UUID, posthogtest.LevelMember)
	r, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Support"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Roles.AddUser(ctx, org, r.ID, mo.UUID); err != nil {
		t.Fatal(err)
	}
	if err := c.Members.Delete(ctx, org, mo.UUID); err != nil {
		t.Fatal(err)
	}
	got, err := c.Roles.Get(ctx, org, r.ID)
	if err != nil || len(got.Members) != 0 {
		t.Fatalf("role after member removal: %+v %v", got, err)
	}
	if rs := srv.Roles(org); len(rs) != 1 || len(rs[0].Members) != 0 {
		t.Errorf("server roles = %+v", rs)
	}
}

func TestRolesE2EPermissions(t *testing.T) {
	ctx := context.Background()
	srv, owner := newServerClient(t, "organization:write")
	org := srv.DefaultOrganization().ID
	r, err := owner.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Readers"})
	if err != nil {
		t.Fatal(err)
	}

	// A read-only key reads but cannot write: 403 naming the scope.
	ro, _ := srv.Client(srv.NewAPIKey("organization:read"))
	if _, err := ro.Roles.Get(ctx, org, r.ID); err != nil {
		t.Fatal(err)
	}
	_, err = ro.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Nope"})
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "organization:write" || !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Fatalf("read-only create: %v", err)
	}
	if err := ro.Roles.Delete(ctx, org, r.ID); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("read-only delete: %v", err)
	}
	// A key without organization scopes cannot even list.
	none, _ := srv.Client(srv.NewAPIKey("organization_member:read"))
	if _, err := none.Roles.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "organization:read" {
		t.Errorf("list without scope: %v", err)
	}

	// A plain member with the write scope reads, but writes need an admin.
	mo := srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com"})
	srv.AddMember(org, mo.UUID, posthogtest.LevelMember)
	member, _ := srv.Client(srv.NewAPIKeyFor(mo.UUID, "organization:write"))
	if p, err := member.Roles.List(ctx, org, nil); err != nil || p.Count != 1 {
		t.Fatalf("member list: %+v %v", p, err)
	}
	for name, err := range map[string]error{
		"create": func() error {
			_, err := member.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Mine"})
			return err
		}(),
		"rename": func() error {
			_, err := member.Roles.Update(ctx, org, r.ID, &posthogapi.RoleUpdate{Name: posthogapi.Ptr("x")})
			return err
		}(),
		"add":    func() error { _, err := member.Roles.AddUser(ctx, org, r.ID, mo.UUID); return err }(),
		"delete": member.Roles.Delete(ctx, org, r.ID),
	} {
		if !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
			t.Errorf("member %s: %v", name, err)
		}
	}
	// Another organization's role is not found.
	other := srv.AddOrganization("Other", mo.UUID)
	if _, err := owner.Roles.Get(ctx, other.ID, r.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("foreign organization: %v", err)
	}
}

func TestFidelity10_ValidationCodeInvalidIsInvalidInput(t *testing.T) {
	ctx := context.Background()
	_, org, c := e2eServer(t, "organization:write")
	r, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Roles.AddUser(ctx, org, r.ID, posthogapi.UserUUID(uuid.New()))
	if ae := wantAPIError(t, err, 400, "invalid_input", ""); ae.Detail != "User does not exist." {
		t.Errorf("unknown user: %v", err)
	}
}

// People who join get the organization's default role: by invite
// acceptance and by AddMember alike (PostHog's User.join).
func TestFidelityDec14_DefaultRoleGivenOnJoin(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write", "organization_member:write")
	role, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Engineering"})
	if err != nil {
		t.Fatal(err)
	}
	// The raw call keeps the test independent of the update type's field.
	if err := c.Do(ctx, "PATCH", "/api/organizations/"+org.String()+"/", nil, map[string]any{"default_role_id": role.ID.String()}, nil); err != nil {
		t.Fatal(err)
	}
	inv, err := c.Invites.Create(ctx, org, &posthogapi.InviteCreate{TargetEmail: "new@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	invited := srv.AcceptInvite(org, inv.ID, posthogtest.UserSeed{})
	seeded := srv.AddUser(posthogtest.UserSeed{Email: "seeded@example.com"})
	srv.AddMember(org, seeded.UUID, posthogtest.LevelMember)
	got, err := c.Roles.Get(ctx, org, role.ID)
	if err != nil {
		t.Fatal(err)
	}
	var members []posthogapi.UserUUID
	for _, m := range got.Members {
		members = append(members, m.User.UUID)
	}
	if len(members) != 2 || members[0] != invited.User.UUID || members[1] != seeded.UUID {
		t.Errorf("default role members = %v, want the invited user then the seeded one", members)
	}
	// Changing a member's level is no join: no second role membership.
	srv.AddMember(org, seeded.UUID, posthogtest.LevelAdmin)
	if r := srv.Roles(org); len(r) != 1 || len(r[0].Members) != 2 {
		t.Errorf("after a level change: %+v", r)
	}
}
