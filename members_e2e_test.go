package posthogapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestFidelity03_OwnerCannotLeaveOrBeRemoved(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization_member:write")
	second := srv.AddUser(posthogtest.UserSeed{Email: "second-owner@example.com"})
	srv.AddMember(org, second.UUID, posthogtest.LevelOwner)

	for name, user := range map[string]uuid.UUID{"leave": uuid.UUID(srv.DefaultUser().UUID), "remove another owner": uuid.UUID(second.UUID)} {
		err := c.Members.Delete(ctx, org, posthogapi.UserUUID(user))
		ae := wantAPIError(t, err, 400, "invalid_input", "")
		if !errors.Is(err, posthogapi.ErrValidation) || ae.Detail != "Cannot leave the organization as its owner!" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := srv.Members(org); len(got) != 2 {
		t.Fatalf("members = %+v", got)
	}
	// Demote first, then remove.
	if _, err := c.Members.Update(ctx, org, second.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := c.Members.Delete(ctx, org, second.UUID); err != nil {
		t.Fatalf("remove after demotion: %v", err)
	}
}

func TestFidelity04_GrantingOwnerKeepsGranterOwner(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization_member:write")
	u := srv.AddUser(posthogtest.UserSeed{Email: "next@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	if _, err := c.Members.Update(ctx, org, u.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelOwner}); err != nil {
		t.Fatal(err)
	}
	owners := 0
	for _, m := range srv.Members(org) {
		if m.Level == posthogtest.LevelOwner {
			owners++
		}
	}
	if owners != 2 {
		t.Errorf("%d owners, want 2: %+v", owners, srv.Members(org))
	}
}

func TestFidelity11_MemberEditRules(t *testing.T) {
	srv, org, _ := e2eServer(t)
	member := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	other := srv.AddUser(posthogtest.UserSeed{Email: "other@example.com"})
	srv.AddMember(org, member.UUID, posthogtest.LevelMember)
	srv.AddMember(org, other.UUID, posthogtest.LevelMember)
	base := "/api/organizations/" + org.String() + "/members/"
	mkey := srv.NewAPIKeyFor(member.UUID, "organization_member:write")
	okey := srv.NewAPIKey("organization_member:write")
	for _, tc := range []struct {
		name, key, method, path, body, detail string
	}{
		{"member edits other, no level", mkey, "PATCH", base + other.UUID.String() + "/", `{}`, "You can only edit others if you are an admin."},
		{"member removes other", mkey, "DELETE", base + other.UUID.String() + "/", ``, "You can only edit others if you are an admin."},
		{"member re-sends own level", mkey, "PATCH", base + member.UUID.String() + "/", `{"level": 1}`, "You can't change your own access level."},
		{"owner re-sends own level", okey, "PATCH", base + "@me/", `{"level": 15}`, "You can't change your own access level."},
	} {
		st, _, body := rawCall(t, srv, tc.key, tc.method, tc.path, tc.body)
		if st != 403 || body["detail"] != tc.detail {
			t.Errorf("%s: %d %v", tc.name, st, body)
		}
	}
	if st, _, _ := rawCall(t, srv, mkey, "PATCH", base+"@me/", `{}`); st != 200 {
		t.Errorf("member patching self without level: %d", st)
	}
}

func TestFidelity12_MemberSearchAndFilters(t *testing.T) {
	srv, org, _ := e2eServer(t)
	u := srv.AddUser(posthogtest.UserSeed{Email: "grace.hopper@example.com", FirstName: "Grace"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	key := srv.NewAPIKey("organization_member:read")
	base := "/api/organizations/" + org.String() + "/members/"

	st, _, body := rawCall(t, srv, key, "GET", base+"?search=hopper", "")
	results, _ := body["results"].([]any)
	if st != 200 || len(results) != 1 || results[0].(map[string]any)["search_match_type"] != "exact" {
		t.Errorf("substring search: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base, "")
	if results, _ = body["results"].([]any); st != 200 || len(results) != 2 {
		t.Fatalf("list: %d %v", st, body)
	}
	if _, present := results[0].(map[string]any)["search_match_type"]; present {
		t.Errorf("search_match_type present without a search")
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?order=email", "")
	if results, _ = body["results"].([]any); st != 200 || len(results) != 2 ||
		results[0].(map[string]any)["user"].(map[string]any)["email"] != "grace.hopper@example.com" {
		t.Errorf("unknown order falls back to -joined_at: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?search="+strings.Repeat("s", 201), "")
	if st != 400 || body["code"] != "invalid_input" || body["attr"] != "search" || body["detail"] != "Search query must be 200 characters or fewer." {
		t.Errorf("long search: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?email=GRACE.HOPPER@example.com", "")
	if st != 200 || body["count"] != float64(0) {
		t.Errorf("email filter is exact: %d %v", st, body)
	}
}

func TestMemberGithubLoginE2E(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "organization_member:read")
	org := srv.DefaultOrganization().ID
	mo := srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com"})
	srv.AddMember(org, mo.UUID, posthogtest.LevelMember)

	g, err := c.Members.GithubLogin(ctx, org, mo.UUID)
	if err != nil || g.GithubLogin != nil {
		t.Fatalf("unlinked: %+v %v", g, err)
	}
	srv.SetGithubLogin(mo.UUID, "mo-hog")
	if g, err = c.Members.GithubLogin(ctx, org, mo.UUID); err != nil || g.GithubLogin == nil || *g.GithubLogin != "mo-hog" {
		t.Fatalf("linked: %+v %v", g, err)
	}
	if _, err := c.Members.GithubLogin(ctx, org, posthogapi.UserUUID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("non-member: %v", err)
	}
	other, _ := srv.Client(srv.NewAPIKey("organization:read"))
	var se *posthogapi.ScopeError
	if _, err := other.Members.GithubLogin(ctx, org, mo.UUID); !errors.As(err, &se) || se.Scope != "organization_member:read" {
		t.Errorf("scope: %v", err)
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
	srv := e2eStart(t)
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
