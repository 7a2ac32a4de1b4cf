package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestMemberGithubLoginE2E(t *testing.T) {
	ctx := context.Background()
	srv, c := areaDServer(t, "organization_member:read")
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
