package contract

import (
	"context"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// Contract scenario for the routes of the newest organization router that
// neither stored schema has (server-fidelity item 14, "Coverage gaps").
// Registered here, beside the others in contract_scenarios_test.go, so the
// shared files need no edit.
func init() {
	contractScenarios["coverage_gaps"] = contractGaps
	for op, why := range map[string]string{
		"GET /api/organizations/{}/personal_api_keys/":                        "PH posthog/api/organization_personal_api_key.py OrganizationPersonalAPIKeyViewSet (newest router)",
		"GET /api/organizations/{}/role_external_references/":                 "PH posthog/api/role_external_reference.py RoleExternalReferenceViewSet (newest router)",
		"POST /api/organizations/{}/role_external_references/":                "PH posthog/api/role_external_reference.py RoleExternalReferenceViewSet (newest router)",
		"DELETE /api/organizations/{}/role_external_references/{}/":           "PH posthog/api/role_external_reference.py RoleExternalReferenceViewSet (newest router)",
		"GET /api/organizations/{}/role_external_references/lookup/":          "PH posthog/api/role_external_reference.py RoleExternalReferenceViewSet.lookup (newest router)",
		"GET /api/organizations/{}/projects/{}/event_ingestion_restrictions/": "PH posthog/api/project.py ProjectViewSet.event_ingestion_restrictions (newest router)",
	} {
		outsideSchemas[op] = why
	}
}

func contractGaps(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	e.srv.NewAPIKey("insight:read")
	if _, err := e.legacy.PersonalAPIKeys.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("PersonalAPIKeys.List", err)
	}
	if err := drain(e.legacy.PersonalAPIKeys.All(ctx, org, nil)); err != nil {
		return fail("PersonalAPIKeys.All", err)
	}

	role := e.srv.AddRole(org, "Frontend")
	ref, err := c.RoleExternalReferences.Create(ctx, org, &posthogapi.RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "1", ProviderRoleSlug: posthogapi.Ptr("fe"),
		ProviderRoleName: "Frontend", Role: role.ID,
	})
	if err != nil {
		return fail("RoleExternalReferences.Create", err)
	}
	if _, err := c.RoleExternalReferences.List(ctx, org, &posthogapi.RoleExternalReferenceListOptions{Provider: "github", RoleID: role.ID}); err != nil {
		return fail("RoleExternalReferences.List", err)
	}
	if err := drain(c.RoleExternalReferences.All(ctx, org, nil)); err != nil {
		return fail("RoleExternalReferences.All", err)
	}
	if _, err := e.legacy.RoleExternalReferences.Lookup(ctx, org, &posthogapi.RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleSlug: "fe"}); err != nil {
		return fail("RoleExternalReferences.Lookup", err)
	}
	if err := c.RoleExternalReferences.Delete(ctx, org, ref.ID); err != nil {
		return fail("RoleExternalReferences.Delete", err)
	}

	p := e.srv.AddProject(org, "Ingest")
	e.srv.AddEventIngestionRestriction(org, p.ID, posthogtest.EventIngestionRestriction{RestrictionType: "skip_person_processing", DistinctIDs: []string{"bot"}})
	if _, err := c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID); err != nil {
		return fail("Projects.ListEventIngestionRestrictions", err)
	}
	return nil
}
