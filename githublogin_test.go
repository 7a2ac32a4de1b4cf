package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

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
