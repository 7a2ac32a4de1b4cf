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
