package posthogapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

var (
	rerID   = uuid.MustParse("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
	rerRole = uuid.MustParse("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
)

const rerJSON = `{
  "id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  "provider": "github", "provider_organization_id": "acme",
  "provider_role_id": "12345", "provider_role_slug": "frontend-team", "provider_role_name": "Frontend Team",
  "role": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  "created_at": "2026-02-03T04:05:06Z", "created_by": null
}`

func checkRER(t *testing.T, r *RoleExternalReference) {
	t.Helper()
	if r == nil || r.ID != RoleExternalReferenceID(rerID) || r.Provider != "github" || r.ProviderOrganizationID != "acme" || r.ProviderRoleID != "12345" ||
		r.ProviderRoleSlug == nil || *r.ProviderRoleSlug != "frontend-team" || r.ProviderRoleName != "Frontend Team" ||
		r.Role != RoleID(rerRole) || r.CreatedBy != nil || !r.CreatedAt.Equal(mustTime(t, "2026-02-03T04:05:06Z")) {
		t.Errorf("reference = %+v", r)
	}
}

func rerPath(rest string) string { return api(beOrg.String() + "/role_external_references/" + rest) }

func TestRoleExternalReferencesListCreateDelete(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	mt.RegisterResponder("GET", rerPath(""), respond(t, 200, `{"count":1,"next":null,"previous":null,"results":[`+rerJSON+`]}`,
		"provider=github&role_id="+rerRole.String(), ""))
	p, err := c.RoleExternalReferences.List(ctx, OrganizationID(beOrg), &RoleExternalReferenceListOptions{Provider: "github", RoleID: RoleID(rerRole)})
	if err != nil || len(p.Results) != 1 {
		t.Fatalf("list = %+v, %v", p, err)
	}
	checkRER(t, &p.Results[0])

	slug := "frontend-team"
	mt.RegisterResponder("POST", rerPath(""), respond(t, 201, rerJSON, "",
		`{"provider":"github","provider_organization_id":"acme","provider_role_id":"12345","provider_role_slug":"frontend-team","provider_role_name":"Frontend Team","role":"`+rerRole.String()+`"}`))
	got, err := c.RoleExternalReferences.Create(ctx, OrganizationID(beOrg), &RoleExternalReferenceCreate{
		Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "12345", ProviderRoleSlug: &slug,
		ProviderRoleName: "Frontend Team", Role: RoleID(rerRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRER(t, got)

	mt.RegisterResponder("DELETE", rerPath(rerID.String()+"/"), respond(t, 204, "", "", ""))
	if err := c.RoleExternalReferences.Delete(ctx, OrganizationID(beOrg), RoleExternalReferenceID(rerID)); err != nil {
		t.Fatal(err)
	}
}

func TestRoleExternalReferencesLookup(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	mt.RegisterResponder("GET", rerPath("lookup/"), respond(t, 200, `{"reference":`+rerJSON+`}`,
		"provider=github&provider_organization_id=acme&provider_role_slug=frontend-team", ""))
	r, err := c.RoleExternalReferences.Lookup(ctx, OrganizationID(beOrg), &RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleSlug: "frontend-team"})
	if err != nil {
		t.Fatal(err)
	}
	checkRER(t, r)

	mt.RegisterResponder("GET", rerPath("lookup/"), respond(t, 200, `{"reference":null}`, "", ""))
	r, err = c.RoleExternalReferences.Lookup(ctx, OrganizationID(beOrg), &RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "9"})
	if err != nil || r != nil {
		t.Errorf("no match = %+v, %v", r, err)
	}
}

func TestRoleExternalReferencesValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	ok := RoleExternalReferenceCreate{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "1", ProviderRoleName: "n", Role: RoleID(rerRole)}
	bad := map[string]func(*RoleExternalReferenceCreate){
		"no provider":     func(c *RoleExternalReferenceCreate) { c.Provider = " " },
		"long provider":   func(c *RoleExternalReferenceCreate) { c.Provider = strings.Repeat("g", 33) },
		"no provider org": func(c *RoleExternalReferenceCreate) { c.ProviderOrganizationID = "" },
		"no role id":      func(c *RoleExternalReferenceCreate) { c.ProviderRoleID = "" },
		"no role name":    func(c *RoleExternalReferenceCreate) { c.ProviderRoleName = "" },
		"nil role":        func(c *RoleExternalReferenceCreate) { c.Role = RoleID(uuid.Nil) },
		"long slug":       func(c *RoleExternalReferenceCreate) { s := strings.Repeat("s", 256); c.ProviderRoleSlug = &s },
		"long role name":  func(c *RoleExternalReferenceCreate) { c.ProviderRoleName = strings.Repeat("n", 256) },
	}
	for name, mutate := range bad {
		in := ok
		mutate(&in)
		if _, err := c.RoleExternalReferences.Create(ctx, OrganizationID(beOrg), &in); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := c.RoleExternalReferences.Create(ctx, OrganizationID(beOrg), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil body: %v", err)
	}
	for _, l := range []*RoleExternalReferenceLookup{nil, {ProviderOrganizationID: "a", ProviderRoleID: "1"}, {Provider: "g", ProviderRoleID: "1"}, {Provider: "g", ProviderOrganizationID: "a"}} {
		if _, err := c.RoleExternalReferences.Lookup(ctx, OrganizationID(beOrg), l); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("lookup %+v: %v", l, err)
		}
	}
	if err := c.RoleExternalReferences.Delete(ctx, OrganizationID(beOrg), RoleExternalReferenceID(uuid.Nil)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil id: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}
