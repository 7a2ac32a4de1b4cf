package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestFidelity09_UnscopedKeysRefusedByDefault(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t)
	if _, err := c.Members.List(ctx, org, nil); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("unscoped key: %v", err)
	}
	if _, err := c.Members.ScopedAPIKeys(ctx, org, srv.DefaultUser().UUID); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("unscoped key, action without scope: %v", err)
	}

	legacy, lorg, lc := e2eLegacyServer(t)
	if _, err := lc.Members.List(ctx, lorg, nil); err != nil {
		t.Errorf("legacy key: %v", err)
	}
	if _, err := lc.Members.ScopedAPIKeys(ctx, lorg, legacy.DefaultUser().UUID); err != nil {
		t.Errorf("legacy key, action without scope: %v", err)
	}
}

func TestFidelity14_OrganizationLevel403s(t *testing.T) {
	ctx := context.Background()
	srv, org, _ := e2eServer(t)
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))

	scoped := e2eClient(t, srv, srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{other.ID}, "*"))
	_, err := scoped.Members.List(ctx, org, nil)
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); !errors.Is(err, posthogapi.ErrOrganizationNotAllowed) ||
		ae.Detail != "API key does not have access to the requested organization: ID "+org.String()+"." {
		t.Errorf("org-scoped key: %v", err)
	}
	if _, err := scoped.Members.List(ctx, other.ID, nil); err != nil {
		t.Errorf("org-scoped key in its organization: %v", err)
	}

	projectKey := e2eClient(t, srv, srv.NewProjectScopedAPIKey([]posthogapi.ProjectID{1}, "*"))
	if _, err := projectKey.Organizations.Get(ctx, org); !errors.Is(err, posthogapi.ErrProjectScopedKey) || !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("project-scoped key: %v", err)
	}

	owner := e2eClient(t, srv, srv.NewAPIKey("*"))
	if _, err := owner.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{MembersCanUsePersonalAPIKeys: posthogapi.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID, "*"))
	_, err = member.Members.List(ctx, org, nil)
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); !errors.Is(err, posthogapi.ErrPersonalAPIKeysDisabled) ||
		ae.Detail != "Organization 'Test Organization' does not allow using personal API keys. Contact an admin to enable personal API keys for this organization." {
		t.Errorf("member key where keys are off: %v", err)
	}
	if _, err := owner.Members.List(ctx, org, nil); err != nil {
		t.Errorf("admins keep their keys: %v", err)
	}
}
