package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestFidelity14_PersonalAPIKeysE2E lists members' keys as PostHog's
// OrganizationPersonalAPIKeyViewSet does: INTERNAL (scoped keys rejected),
// admins only, the paid feature required, no secret in the answer.
func TestFidelity14_PersonalAPIKeysE2E(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	defer srv.Close()
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

func TestRoleExternalReferencesE2E(t *testing.T) {
	srv, org, c := e2eServer(t, "organization:write")
	ctx := context.Background()
	role := srv.AddRole(org, "Frontend")
	slug := "frontend-team"
	in := &posthogapi.RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "Acme", ProviderRoleID: "12345", ProviderRoleSlug: &slug,
		ProviderRoleName: "Frontend Team", Role: role.ID,
	}
	ref, err := c.RoleExternalReferences.Create(ctx, org, in)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ID == posthogapi.RoleExternalReferenceID(uuid.Nil) || ref.Role != role.ID || ref.CreatedBy == nil || ref.ProviderRoleSlug == nil || *ref.ProviderRoleSlug != slug {
		t.Errorf("created = %+v", ref)
	}
	// The same provider role ID in another case of the organization is a
	// duplicate (RoleExternalReferenceSerializer.validate).
	dup := *in
	dup.ProviderOrganizationID, dup.ProviderRoleSlug = "ACME", nil
	if _, err := c.RoleExternalReferences.Create(ctx, org, &dup); !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("duplicate: %v", err)
	}
	// A role of another organization does not exist here.
	elsewhere := srv.AddRole(srv.AddOrganization("Other", srv.DefaultUser().UUID).ID, "X")
	other := *in
	other.ProviderRoleID, other.ProviderRoleSlug, other.Role = "999", nil, elsewhere.ID
	var apiErr *posthogapi.APIError
	if _, err := c.RoleExternalReferences.Create(ctx, org, &other); !errors.As(err, &apiErr) || apiErr.Attr != "role" {
		t.Errorf("foreign role: %v", err)
	}

	p, err := c.RoleExternalReferences.List(ctx, org, &posthogapi.RoleExternalReferenceListOptions{RoleID: role.ID})
	if err != nil || p.Count != 1 {
		t.Fatalf("list = %+v, %v", p, err)
	}
	if p, err := c.RoleExternalReferences.List(ctx, org, &posthogapi.RoleExternalReferenceListOptions{Provider: "slack"}); err != nil || p.Count != 0 {
		t.Errorf("filtered list = %+v, %v", p, err)
	}

	// Read-only keys cannot write; members cannot write.
	ro := e2eClient(t, srv, srv.NewAPIKey("organization:read"))
	if err := ro.RoleExternalReferences.Delete(ctx, org, ref.ID); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("read-only delete: %v", err)
	}
	bob := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com"})
	srv.AddMember(org, bob.UUID, posthogtest.LevelMember)
	if err := e2eClient(t, srv, srv.NewAPIKeyFor(bob.UUID, "organization:write")).RoleExternalReferences.Delete(ctx, org, ref.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("member delete: %v", err)
	}

	if err := c.RoleExternalReferences.Delete(ctx, org, ref.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.RoleExternalReferences.Delete(ctx, org, ref.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if n := srv.RoleExternalReferences(org); n != 0 {
		t.Errorf("%d references left", n)
	}
}

// TestRoleExternalReferencesCascadeE2E: deleting a role deletes its
// references (the model's on_delete=CASCADE).
func TestRoleExternalReferencesCascadeE2E(t *testing.T) {
	srv, org, c := e2eServer(t, "organization:write")
	ctx := context.Background()
	role := srv.AddRole(org, "Ops")
	if _, err := c.RoleExternalReferences.Create(ctx, org, &posthogapi.RoleExternalReferenceCreate{
		Provider: "slack", ProviderOrganizationID: "T1", ProviderRoleID: "C1", ProviderRoleName: "#ops", Role: role.ID,
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Roles.Delete(ctx, org, role.ID); err != nil {
		t.Fatal(err)
	}
	if n := srv.RoleExternalReferences(org); n != 0 {
		t.Errorf("%d references survive their role", n)
	}
}

func TestFidelity14_EventIngestionRestrictionsE2E(t *testing.T) {
	srv, org, c := e2eServer(t, "project:read")
	ctx := context.Background()
	p := srv.AddProject(org, "Web")
	rs, err := c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID)
	if err != nil || rs == nil || len(rs) != 0 {
		t.Fatalf("empty = %#v, %v", rs, err)
	}
	srv.AddEventIngestionRestriction(org, p.ID, posthogtest.EventIngestionRestriction{RestrictionType: "drop_event_from_ingestion", DistinctIDs: []string{"bot"}})
	rs, err = c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID)
	if err != nil || len(rs) != 1 || rs[0].RestrictionType != "drop_event_from_ingestion" || rs[0].DistinctIDs[0] != "bot" || rs[0].EventNames == nil {
		t.Fatalf("restrictions = %+v, %v", rs, err)
	}
	if _, err := e2eClient(t, srv, srv.NewAPIKey("organization:read")).Projects.ListEventIngestionRestrictions(ctx, org, p.ID); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("without project:read: %v", err)
	}
	if _, err := c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID+1000); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown project: %v", err)
	}
}
