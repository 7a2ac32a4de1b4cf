package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestPersonalAPIKeysAccessScope: a key scoped to projects of the
// organization is listed with type "projects" and those projects' IDs and
// names; an unscoped key with "all"; a key scoped to the organization with
// "organization" (PostHog's OrganizationPersonalAPIKeySerializer.get_access_scope).
func TestPersonalAPIKeysAccessScope(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t, posthogtest.LegacyUnscopedKeys())
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

// TestFidelity14_PersonalAPIKeysE2E lists members' keys as PostHog's
// OrganizationPersonalAPIKeyViewSet does: INTERNAL (scoped keys rejected),
// admins only, the paid feature required, no secret in the answer.
func TestFidelity14_PersonalAPIKeysE2E(t *testing.T) {
	srv := e2eStart(t, posthogtest.LegacyUnscopedKeys())
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	other := srv.AddOrganization("Elsewhere", posthogapi.UserUUID(uuid.Nil)).ID
	bob := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com", FirstName: "Bob"})
	srv.AddMember(org, bob.UUID, posthogtest.LevelMember)
	bobKey := srv.NewAPIKeyFor(bob.UUID, "insight:read", "project:write")
	srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{other}, "*") // scoped elsewhere: not listed

	// A legacy key without scopes is what PostHog lets through INTERNAL
	// routes (besides a browser session).
	legacy := srv.NewAPIKey()
	c := e2eClient(t, srv, legacy)
	var keys []*posthogapi.OrganizationPersonalAPIKey
	for k, err := range c.PersonalAPIKeys.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if len(keys) != 2 {
		t.Fatalf("got %d keys, want 2 (the legacy key and Bob's)", len(keys))
	}
	var sawBob bool
	for _, k := range keys {
		if k.MaskValue == nil || len(*k.MaskValue) != 11 || *k.MaskValue == legacy || *k.MaskValue == bobKey {
			t.Errorf("mask_value = %v", k.MaskValue)
		}
		if k.Owner.Email == "bob@example.com" {
			sawBob = true
			if len(k.Scopes) != 2 || k.Scopes[0] != "insight:read" || k.AccessScope.Type != posthogapi.PersonalAPIKeyAccessAll || k.LastUsedAt != nil {
				t.Errorf("Bob's key = %+v", k)
			}
		}
	}
	if !sawBob {
		t.Errorf("Bob's key missing: %+v", keys)
	}
	// Keys never used come first (Postgres: NULLs first in DESC).
	if keys[0].LastUsedAt != nil {
		t.Errorf("first key was used: %+v", keys[0])
	}

	// A key with scopes, even "*", is rejected.
	_, err := e2eClient(t, srv, srv.NewAPIKey("*")).PersonalAPIKeys.List(ctx, org, nil)
	if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("scoped key: %v", err)
	}
	// Members who are not admins get 403.
	_, err = e2eClient(t, srv, srv.NewAPIKeyFor(bob.UUID)).PersonalAPIKeys.List(ctx, org, nil)
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("member: %v", err)
	}
	// Without the paid feature: 402.
	srv.SetPersonalAPIKeyListFeature(org, false)
	_, err = c.PersonalAPIKeys.List(ctx, org, nil)
	var apiErr *posthogapi.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 402 || apiErr.Code != "payment_required" {
		t.Errorf("no feature: %v", err)
	}
}
