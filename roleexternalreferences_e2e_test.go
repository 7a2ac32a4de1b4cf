package posthogapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestFidelityDec01_RoleExternalReferenceLookupRefusedToKeys: PostHog's
// lookup action declares no scope, so every personal API key is refused
// (server-fidelity-2026-12 item 1). The SDK sends nothing and says why;
// posthogtest answers the raw request 403 as PostHog does, whatever the
// key's scopes; an older server that lets unscoped keys through serves it
// to a client made WithLegacyUnscopedKey.
func TestFidelityDec01_RoleExternalReferenceLookupRefusedToKeys(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "*")
	role := srv.AddRole(org, "Frontend")
	if _, err := c.RoleExternalReferences.Create(ctx, org, &posthogapi.RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "1", ProviderRoleName: "Frontend", Role: role.ID,
	}); err != nil {
		t.Fatal(err)
	}
	before := len(srv.Requests())
	lookup := &posthogapi.RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "1"}
	got, err := c.RoleExternalReferences.Lookup(ctx, org, lookup)
	var unsupported *posthogapi.UnsupportedActionError
	if got != nil || !errors.As(err, &unsupported) || !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) ||
		unsupported.Method != http.MethodGet || !strings.HasSuffix(unsupported.Path, "/role_external_references/lookup/") {
		t.Fatalf("Lookup = %+v, %v; want an *UnsupportedActionError", got, err)
	}
	if n := len(srv.Requests()) - before; n != 0 {
		t.Fatalf("%d requests sent", n)
	}

	// The raw request, with every scope, as PostHog answers it.
	for _, key := range []string{srv.NewAPIKey("*"), srv.NewAPIKey("organization:read"), srv.NewAPIKey()} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/organizations/"+org.String()+"/role_external_references/lookup/?provider=github&provider_organization_id=acme&provider_role_id=1", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("raw lookup = %d, want 403", resp.StatusCode)
		}
	}

	// An older self-hosted server with an unscoped key.
	old := e2eStart(t, posthogtest.LegacyUnscopedKeys())
	legacy := retryingClient(t, old, old.NewAPIKey())
	oldOrg := old.DefaultOrganization().ID
	oldRole := old.AddRole(oldOrg, "Frontend")
	ref, err := legacy.RoleExternalReferences.Create(ctx, oldOrg, &posthogapi.RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "Acme", ProviderRoleID: "1", ProviderRoleSlug: posthogapi.Ptr("frontend-team"),
		ProviderRoleName: "Frontend", Role: oldRole.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = legacy.RoleExternalReferences.Lookup(ctx, oldOrg, &posthogapi.RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleSlug: "FRONTEND-TEAM"})
	if err != nil || got == nil || got.ID != ref.ID {
		t.Fatalf("legacy lookup = %+v, %v", got, err)
	}
	if got, err := legacy.RoleExternalReferences.Lookup(ctx, oldOrg, &posthogapi.RoleExternalReferenceLookup{Provider: "linear", ProviderOrganizationID: "acme", ProviderRoleID: "1"}); err != nil || got != nil {
		t.Errorf("legacy lookup miss = %+v, %v", got, err)
	}
}

// TestRoleExternalReferenceFieldsTrimmed: DRF's CharField trims the
// reference's strings before the duplicate checks, so " 12345 " is the
// role ID "12345" (PostHog's RoleExternalReferenceSerializer).
func TestRoleExternalReferenceFieldsTrimmed(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	role := srv.AddRole(org, "Frontend")
	ref, err := c.RoleExternalReferences.Create(ctx, org, &posthogapi.RoleExternalReferenceCreate{
		Provider: " github ", ProviderOrganizationID: " acme", ProviderRoleID: "12345 ", ProviderRoleSlug: posthogapi.Ptr(" fe "), ProviderRoleName: " Frontend ", Role: role.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Provider != "github" || ref.ProviderOrganizationID != "acme" || ref.ProviderRoleID != "12345" || *ref.ProviderRoleSlug != "fe" || ref.ProviderRoleName != "Frontend" {
		t.Errorf("stored %+v", ref)
	}
	_, err = c.RoleExternalReferences.Create(ctx, org, &posthogapi.RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "ACME", ProviderRoleID: " 12345", ProviderRoleName: "x", Role: role.ID,
	})
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("duplicate with spaces: %v", err)
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
