package posthogapi_test

import (
	"context"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestPersonalAPIKeysAccessScope: a key scoped to projects of the
// organization is listed with type "projects" and those projects' IDs and
// names; an unscoped key with "all"; a key scoped to the organization with
// "organization" (PostHog's OrganizationPersonalAPIKeySerializer.get_access_scope).
func TestPersonalAPIKeysAccessScope(t *testing.T) {
	ctx := context.Background()
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	proj := srv.AddProject(org, "Web")
	srv.NewProjectScopedAPIKey([]posthogapi.ProjectID{proj.ID}, "insight:read")
	srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{org}, "insight:read")
	c := e2eClient(t, srv, srv.NewAPIKey())
	got := map[posthogapi.PersonalAPIKeyAccessType]int{}
	for k, err := range c.PersonalAPIKeys.All(ctx, org, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got[k.AccessScope.Type]++
		if k.AccessScope.Type == posthogapi.PersonalAPIKeyAccessProjects &&
			(len(k.AccessScope.Projects) != 1 || k.AccessScope.Projects[0].ID != proj.ID || k.AccessScope.Projects[0].Name != "Web") {
			t.Errorf("projects = %+v", k.AccessScope.Projects)
		}
	}
	if got[posthogapi.PersonalAPIKeyAccessProjects] != 1 || got[posthogapi.PersonalAPIKeyAccessOrganization] != 1 || got[posthogapi.PersonalAPIKeyAccessAll] != 1 {
		t.Errorf("access scopes = %v", got)
	}
}
