package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func newServerClient(t *testing.T, scopes ...string) (*posthogtest.Server, *posthogapi.Client) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.Client(srv.NewAPIKey(scopes...))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestE2EOrganizationLifecycle(t *testing.T) {
	_, c := newServerClient(t, "organization:write")
	ctx := context.Background()

	created, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "Acme", Enforce2FA: posthogapi.NewNullable(true)})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "Acme" || created.Slug != "acme" || created.Enforce2FA == nil || !*created.Enforce2FA ||
		created.MembershipLevel == nil || *created.MembershipLevel != posthogapi.MembershipLevelOwner || created.MemberCount != 1 {
		t.Fatalf("created = %+v", created)
	}
	got, err := c.Organizations.Get(ctx, created.ID)
	if err != nil || got.ID != created.ID || got.Name != "Acme" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	cur, err := c.Organizations.GetCurrent(ctx)
	if err != nil || cur.ID != created.ID {
		t.Fatalf("@current = %v, %v (creating switches the current organization)", cur, err)
	}
	upd, err := c.Organizations.Update(ctx, created.ID, &posthogapi.OrganizationUpdate{
		Name: posthogapi.Ptr("Acme Inc"), Enforce2FA: posthogapi.Null[bool](),
		DefaultExperimentStatsMethod: posthogapi.NewNullable(posthogapi.ExperimentStatsFrequentist),
	})
	if err != nil || upd.Name != "Acme Inc" || upd.Enforce2FA != nil || *upd.DefaultExperimentStatsMethod != posthogapi.ExperimentStatsFrequentist {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	rep, err := c.Organizations.Replace(ctx, created.ID, &posthogapi.OrganizationCreate{Name: "Acme Replaced"})
	if err != nil || rep.Name != "Acme Replaced" {
		t.Fatalf("replace = %+v, %v", rep, err)
	}
	page, err := c.Organizations.List(ctx, nil)
	if err != nil || page.Count != 2 {
		t.Fatalf("list = %+v, %v", page, err)
	}
	n := 0
	for o, err := range c.Organizations.All(ctx, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.ID == posthogapi.OrganizationID(uuid.Nil) {
			t.Fatal("nil id")
		}
		n++
	}
	if n != 2 {
		t.Fatalf("All yielded %d", n)
	}
	if err := c.Organizations.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Organizations.Get(ctx, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestE2EOrganizationErrors(t *testing.T) {
	srv, c := newServerClient(t, "organization:read")
	ctx := context.Background()
	org := srv.DefaultOrganization()

	_, err := c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr("x")})
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Fatalf("update with read key: %v", err)
	}
	_, err = c.Organizations.EnvironmentsRollback(ctx, org.ID, map[posthogapi.ProjectID]posthogapi.ProjectID{1: 2})
	if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("rollback: %v", err)
	}
	if _, err := c.Organizations.Get(ctx, posthogapi.OrganizationID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("unknown org: %v", err)
	}

	bad, _ := srv.Client("phx_not_a_key")
	if _, err := bad.Organizations.List(ctx, nil); !errors.Is(err, posthogapi.ErrUnauthorized) {
		t.Fatalf("bad key: %v", err)
	}

	// Only owners delete organizations; admins may update them.
	admin := srv.AddUser(posthogtest.UserSeed{Email: "admin@example.com"})
	srv.AddMember(org.ID, admin.UUID, posthogtest.LevelAdmin)
	ac, _ := srv.Client(srv.NewAPIKeyFor(admin.UUID, "organization:write"))
	if _, err := ac.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr("Renamed")}); err != nil {
		t.Fatalf("admin update: %v", err)
	}
	if err := ac.Organizations.Delete(ctx, org.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
		t.Fatalf("admin delete: %v", err)
	}

	// A key scoped to another organization is refused here.
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	sc, _ := srv.Client(srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{other.ID}, "organization:read"))
	if _, err := sc.Organizations.Get(ctx, org.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Fatalf("org-scoped key: %v", err)
	}
	if p, err := sc.Organizations.List(ctx, nil); err != nil || p.Count != 1 || p.Results[0].ID != other.ID {
		t.Fatalf("org-scoped list: %+v %v", p, err)
	}
}

func TestE2EMembers(t *testing.T) {
	srv, c := newServerClient(t, "organization_member:write")
	ctx := context.Background()
	org := srv.DefaultOrganization()
	var users []posthogtest.User
	for i := 0; i < 7; i++ {
		u := srv.AddUser(posthogtest.UserSeed{FirstName: "user", Is2FAEnabled: i%2 == 0})
		srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
		users = append(users, u)
	}

	page, err := c.Members.List(ctx, org.ID, &posthogapi.MemberListOptions{ListOptions: posthogapi.ListOptions{Limit: 3}})
	if err != nil || page.Count != 8 || len(page.Results) != 3 || page.Next == "" || page.Previous != "" {
		t.Fatalf("page = %+v, %v", page, err)
	}
	seen := map[uuid.UUID]bool{}
	for m, err := range c.Members.All(ctx, org.ID, &posthogapi.MemberListOptions{ListOptions: posthogapi.ListOptions{Limit: 3}}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[uuid.UUID(m.User.UUID)] = true
	}
	if len(seen) != 8 {
		t.Fatalf("All saw %d members", len(seen))
	}

	byEmail, err := c.Members.List(ctx, org.ID, &posthogapi.MemberListOptions{Email: users[2].Email})
	if err != nil || byEmail.Count != 1 || byEmail.Results[0].User.UUID != users[2].UUID {
		t.Fatalf("email filter = %+v, %v", byEmail, err)
	}
	search, err := c.Members.List(ctx, org.ID, &posthogapi.MemberListOptions{Search: users[3].Email})
	if err != nil || search.Count != 1 || search.Results[0].SearchMatchType != posthogapi.SearchMatchExact {
		t.Fatalf("search = %+v, %v", search, err)
	}

	m, err := c.Members.Get(ctx, org.ID, users[4].UUID)
	if err != nil || m.User.Email != users[4].Email {
		t.Fatalf("get = %+v, %v", m, err)
	}
	m, err = c.Members.Update(ctx, org.ID, users[4].UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
	if err != nil || m.Level != posthogapi.MembershipLevelAdmin {
		t.Fatalf("update = %+v, %v", m, err)
	}
	m, err = c.Members.Replace(ctx, org.ID, users[4].UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelMember})
	if err != nil || m.Level != posthogapi.MembershipLevelMember {
		t.Fatalf("replace = %+v, %v", m, err)
	}
	if err := c.Members.Delete(ctx, org.ID, users[4].UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Members.Get(ctx, org.ID, users[4].UUID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if err := c.Members.Delete(ctx, org.ID, users[4].UUID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	if _, err := c.Members.ScopedAPIKeys(ctx, org.ID, users[0].UUID); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("scoped keys: %v", err)
	}
}

func TestE2EMemberLevelRules(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	org := srv.DefaultOrganization()
	owner := srv.DefaultUser()
	admin := srv.AddUser(posthogtest.UserSeed{Email: "admin@example.com"})
	member := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org.ID, admin.UUID, posthogtest.LevelAdmin)
	srv.AddMember(org.ID, member.UUID, posthogtest.LevelMember)

	mc, _ := srv.Client(srv.NewAPIKeyFor(member.UUID, "organization_member:write"))
	ac, _ := srv.Client(srv.NewAPIKeyFor(admin.UUID, "organization_member:write"))
	oc, _ := srv.Client(srv.NewAPIKey("organization_member:write"))

	level := func(l posthogapi.MembershipLevel) *posthogapi.MemberUpdate { return &posthogapi.MemberUpdate{Level: l} }
	if _, err := mc.Members.Update(ctx, org.ID, admin.UUID, level(posthogapi.MembershipLevelMember)); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("member demoting admin: %v", err)
	}
	if _, err := ac.Members.Update(ctx, org.ID, member.UUID, level(posthogapi.MembershipLevelOwner)); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("admin making owner: %v", err)
	}
	if _, err := ac.Members.Update(ctx, org.ID, admin.UUID, level(posthogapi.MembershipLevelMember)); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("changing own level: %v", err)
	}
	if _, err := ac.Members.Update(ctx, org.ID, member.UUID, level(posthogapi.MembershipLevelAdmin)); err != nil {
		t.Errorf("admin promoting member: %v", err)
	}
	// An owner making another member owner keeps their own ownership
	// (fidelity item 3: the newest validate_update no longer demotes).
	if _, err := oc.Members.Update(ctx, org.ID, admin.UUID, level(posthogapi.MembershipLevelOwner)); err != nil {
		t.Fatalf("owner grant: %v", err)
	}
	for _, m := range srv.Members(org.ID) {
		if m.User.UUID == owner.UUID && m.Level != posthogtest.LevelOwner {
			t.Errorf("granting owner level = %d", m.Level)
		}
	}
	// Members may leave on their own.
	lc, _ := srv.Client(srv.NewAPIKeyFor(member.UUID, "organization_member:write"))
	if err := lc.Members.Delete(ctx, org.ID, member.UUID); err != nil {
		t.Errorf("self removal: %v", err)
	}
}
