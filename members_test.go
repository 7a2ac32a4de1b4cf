package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const memberJSON = `{
  "id": "0196a1b2-0000-7000-8000-00000000d001",
  "user": {
    "id": 7, "uuid": "0196a1b2-0000-7000-8000-00000000b001", "distinct_id": "d7",
    "first_name": "Max", "last_name": "Hedge", "email": "max@hedgebox.net",
    "is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"
  },
  "level": 8,
  "joined_at": "2024-01-01T00:00:00Z",
  "updated_at": "2024-01-02T00:00:00Z",
  "is_2fa_enabled": false,
  "has_social_auth": true,
  "last_login": null,
  "search_match_type": "exact"
}`

func checkMember(t *testing.T, m *OrganizationMember) {
	t.Helper()
	if m.User.UUID != UserUUID(userID) || m.User.ID != 7 || m.User.Email != "max@hedgebox.net" {
		t.Errorf("user = %+v", m.User)
	}
	if m.Level != MembershipLevelAdmin || m.Is2FAEnabled || !m.HasSocialAuth || m.LastLogin != nil {
		t.Errorf("member = %+v", m)
	}
	if m.User.RoleAtOrganization == nil || *m.User.RoleAtOrganization != RoleAtOrganizationEngineering {
		t.Errorf("role = %v", m.User.RoleAtOrganization)
	}
	if m.SearchMatchType != SearchMatchExact || !m.JoinedAt.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("match/joined = %q %v", m.SearchMatchType, m.JoinedAt)
	}
}

func membersURL() string { return api(orgID.String() + "/members/") }

func TestMembersList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", membersURL(), respond(t, 200, `{"count": 1, "next": null, "previous": null, "results": [`+memberJSON+`]}`,
		"email=max%40hedgebox.net&limit=5&order=joined_at&search=max&updated_after=2024-01-01T00%3A00%3A00Z", ""))
	after := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := c.Members.List(context.Background(), OrganizationID(orgID), &MemberListOptions{
		ListOptions: ListOptions{Limit: 5}, Order: MemberOrderJoinedAt, Search: "max",
		Email: "max@hedgebox.net", UpdatedAfter: &after,
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkMember(t, &p.Results[0])
}

func TestMembersGetScansList(t *testing.T) {
	c, mt := newMockClient(t)
	other := strings.Replace(memberJSON, "00000000b001", "00000000b002", 1)
	mt.RegisterResponder("GET", membersURL(), respond(t, 200,
		`{"count": 2, "next": "`+membersURL()+`?limit=1&offset=1", "previous": null, "results": [`+other+`]}`, "", ""))
	mt.RegisterResponderWithQuery("GET", membersURL(), "limit=1&offset=1", respond(t, 200,
		`{"count": 2, "next": null, "previous": null, "results": [`+memberJSON+`]}`, "", ""))
	m, err := c.Members.Get(context.Background(), OrganizationID(orgID), UserUUID(userID))
	if err != nil {
		t.Fatal(err)
	}
	checkMember(t, m)

	_, err = c.Members.Get(context.Background(), OrganizationID(orgID), UserUUID(uuid.MustParse("0196a1b2-0000-7000-8000-00000000beef")))
	var apiErr *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Method != "GET" {
		t.Fatalf("missing member: %v", err)
	}
}

func TestMembersUpdateAndReplace(t *testing.T) {
	for _, method := range []string{"PATCH", "PUT"} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(method, membersURL()+userID.String()+"/", respond(t, 200, memberJSON, "", `{"level": 8}`))
		call := c.Members.Update
		if method == "PUT" {
			call = c.Members.Replace
		}
		m, err := call(context.Background(), OrganizationID(orgID), UserUUID(userID), &MemberUpdate{Level: MembershipLevelAdmin})
		if err != nil {
			t.Fatal(method, err)
		}
		checkMember(t, m)
	}
}

func TestMembersDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", membersURL()+userID.String()+"/", respond(t, 204, "", "", ""))
	if err := c.Members.Delete(context.Background(), OrganizationID(orgID), UserUUID(userID)); err != nil {
		t.Fatal(err)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Fatal("not called")
	}
}

func TestMembersScopedAPIKeys(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", membersURL()+userID.String()+"/scoped_api_keys/", respond(t, 200,
		`{"has_keys": true, "has_keys_active_last_week": true, "keys": [{"name": "ci", "last_used_at": "2024-05-01T12:00:00Z"}, {"name": "old", "last_used_at": null}]}`, "", ""))
	k, err := c.Members.ScopedAPIKeys(context.Background(), OrganizationID(orgID), UserUUID(userID))
	if err != nil {
		t.Fatal(err)
	}
	if !k.HasKeys || !k.HasKeysActiveLastWeek || len(k.Keys) != 2 || k.Keys[0].Name != "ci" || k.Keys[0].LastUsedAt == nil || k.Keys[1].LastUsedAt != nil {
		t.Fatalf("keys = %+v", k)
	}
}

func TestMembersValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"bad level": func() error {
			_, err := c.Members.Update(ctx, OrganizationID(orgID), UserUUID(userID), &MemberUpdate{Level: 3})
			return err
		},
		"nil update": func() error {
			_, err := c.Members.Replace(ctx, OrganizationID(orgID), UserUUID(userID), nil)
			return err
		},
		"nil user": func() error { return c.Members.Delete(ctx, OrganizationID(orgID), UserUUID(uuid.Nil)) },
		"nil org":  func() error { _, err := c.Members.List(ctx, OrganizationID(uuid.Nil), nil); return err },
		"bad order": func() error {
			_, err := c.Members.List(ctx, OrganizationID(orgID), &MemberListOptions{Order: "name"})
			return err
		},
		"long search": func() error {
			_, err := c.Members.List(ctx, OrganizationID(orgID), &MemberListOptions{Search: strings.Repeat("x", 201)})
			return err
		},
		"nil keys": func() error {
			_, err := c.Members.ScopedAPIKeys(ctx, OrganizationID(orgID), UserUUID(uuid.Nil))
			return err
		},
		"all bad": func() error {
			for _, err := range c.Members.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
	} {
		if err := call(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

func TestMemberGithubLogin(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	u := api(roleOrg.String() + "/members/" + roleUser.String() + "/github_login/")
	mt.RegisterResponder(http.MethodGet, u, respond(t, 200, `{"github_login": "hoglet"}`, "", ""))
	g, err := c.Members.GithubLogin(ctx, OrganizationID(roleOrg), UserUUID(roleUser))
	if err != nil {
		t.Fatal(err)
	}
	if g.GithubLogin == nil || *g.GithubLogin != "hoglet" {
		t.Errorf("login = %v", g.GithubLogin)
	}
	mt.RegisterResponder(http.MethodGet, u, respond(t, 200, `{"github_login": null}`, "", ""))
	if g, err = c.Members.GithubLogin(ctx, OrganizationID(roleOrg), UserUUID(roleUser)); err != nil || g.GithubLogin != nil {
		t.Errorf("null login: %+v %v", g, err)
	}
	mt.RegisterResponder(http.MethodGet, u, respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "API key missing required scope 'organization_member:read'", "attr": null}`, "", ""))
	var se *ScopeError
	if _, err := c.Members.GithubLogin(ctx, OrganizationID(roleOrg), UserUUID(roleUser)); !errors.As(err, &se) || se.Scope != "organization_member:read" {
		t.Errorf("scope: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 3 {
		t.Errorf("%d requests sent, want 3", n)
	}
	before := mt.GetTotalCallCount()
	for _, ids := range [][2]uuid.UUID{{uuid.Nil, roleUser}, {roleOrg, uuid.Nil}} {
		if _, err := c.Members.GithubLogin(ctx, OrganizationID(ids[0]), UserUUID(ids[1])); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%v: %v", ids, err)
		}
	}
	if mt.GetTotalCallCount() != before {
		t.Error("invalid arguments were sent")
	}
}
