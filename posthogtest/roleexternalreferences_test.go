package posthogtest

import (
	"strings"
	"testing"
)

// TestRoleExternalReferenceRules drives every rule of PostHog's
// RoleExternalReferenceSerializer and RoleExternalReferenceViewSet
// (posthog/api/role_external_reference.py) through raw requests: admins
// write, required and blank fields, the model's lengths, the role of the
// organization, the case-insensitive duplicate checks, the list filters and
// order, and delete.
func TestRoleExternalReferenceRules(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	base := "/api/organizations/" + org.String() + "/role_external_references/"
	role := srv.AddRole(org, "Frontend")
	admin := srv.NewAPIKey("organization:write")
	body := func(extra string) string {
		return `{"provider":"github","provider_organization_id":"Acme","provider_role_id":"1","provider_role_name":"FE","role":"` + role.ID.String() + `"` + extra + `}`
	}
	for _, tc := range []struct {
		name, body      string
		code, detail, a string
	}{
		{"provider missing", `{"provider_organization_id":"a","provider_role_id":"1","provider_role_name":"n","role":"` + role.ID.String() + `"}`, "required", "This field is required.", "provider"},
		{"provider blank", `{"provider":"  ","provider_organization_id":"a","provider_role_id":"1","provider_role_name":"n","role":"` + role.ID.String() + `"}`, "blank", "This field may not be blank.", "provider"},
		{"provider too long", `{"provider":"` + strings.Repeat("p", 33) + `","provider_organization_id":"a","provider_role_id":"1","provider_role_name":"n","role":"` + role.ID.String() + `"}`, "max_length", "Ensure this field has no more than 32 characters.", "provider"},
		{"name too long", `{"provider":"github","provider_organization_id":"a","provider_role_id":"1","provider_role_name":"` + strings.Repeat("n", 256) + `","role":"` + role.ID.String() + `"}`, "max_length", "Ensure this field has no more than 255 characters.", "provider_role_name"},
		{"role null", `{"provider":"github","provider_organization_id":"a","provider_role_id":"1","provider_role_name":"n","role":null}`, "null", "This field may not be null.", "role"},
		{"role unknown", `{"provider":"github","provider_organization_id":"a","provider_role_id":"1","provider_role_name":"n","role":"00000000-0000-0000-0000-000000000001"}`, "does_not_exist", `Invalid pk "00000000-0000-0000-0000-000000000001" - object does not exist.`, "role"},
	} {
		st, _, got := call(t, srv, admin, "POST", base, tc.body)
		if st != 400 || got["code"] != tc.code || got["detail"] != tc.detail || got["attr"] != tc.a {
			t.Errorf("%s: %d %v", tc.name, st, got)
		}
	}
	if st, _, got := call(t, srv, admin, "POST", base, body(`,"provider_role_slug":"fe"`)); st != 201 {
		t.Fatalf("create: %d %v", st, got)
	}
	for name, b := range map[string]string{
		"A role external reference with this provider, organization, and role slug already exists.": `{"provider":"github","provider_organization_id":"ACME","provider_role_id":"2","provider_role_slug":"FE","provider_role_name":"x","role":"` + role.ID.String() + `"}`,
		"A role external reference with this provider, organization, and role ID already exists.":   `{"provider":"github","provider_organization_id":"acme","provider_role_id":"1","provider_role_name":"x","role":"` + role.ID.String() + `"}`,
	} {
		if st, _, got := call(t, srv, admin, "POST", base, b); st != 400 || got["detail"] != name || got["attr"] != nil {
			t.Errorf("duplicate: %d %v, want %q", st, got, name)
		}
	}
	// Another provider may reuse the IDs.
	if st, _, got := call(t, srv, admin, "POST", base, `{"provider":"linear","provider_organization_id":"Acme","provider_role_id":"1","provider_role_slug":"fe","provider_role_name":"FE","role":"`+role.ID.String()+`"}`); st != 201 {
		t.Fatalf("other provider: %d %v", st, got)
	}

	// Members read, admins write (OrganizationAdminWritePermissions).
	u := srv.AddUser(UserSeed{Email: "m@example.com"})
	srv.AddMember(org, u.UUID, LevelMember)
	member := srv.NewAPIKeyFor(u.UUID, "organization:write")
	if st, _, got := call(t, srv, member, "POST", base, body(`,"provider_role_id":"9"`)); st != 403 || got["detail"] != "Your organization access level is insufficient." {
		t.Errorf("member create: %d %v", st, got)
	}
	st, _, got := call(t, srv, member, "GET", base+"?provider=github&provider_organization_id=ACME", "")
	if st != 200 || got["count"] != float64(1) {
		t.Errorf("member list filtered: %d %v", st, got)
	}
	if st, _, got := call(t, srv, member, "GET", base+"?role_id="+role.ID.String(), ""); st != 200 || got["count"] != float64(2) {
		t.Errorf("list by role: %d %v", st, got)
	}
	results, _ := got["results"].([]any)
	if len(results) != 1 {
		t.Fatalf("results = %v", got)
	}
	id, _ := results[0].(map[string]any)["id"].(string)
	if st, _, _ := call(t, srv, member, "DELETE", base+id+"/", ""); st != 403 {
		t.Errorf("member delete: %d", st)
	}
	if st, _, _ := call(t, srv, admin, "DELETE", base+id+"/", ""); st != 204 {
		t.Errorf("admin delete: %d", st)
	}
	if st, _, _ := call(t, srv, admin, "DELETE", base+id+"/", ""); st != 404 {
		t.Errorf("delete again: %d", st)
	}
}

// TestRoleExternalReferenceLookupRules: on an older server where an
// unscoped key reaches the lookup action, its query is PostHog's
// RoleLookupQuerySerializer: provider and provider_organization_id required
// and not blank, then a slug or an ID.
func TestRoleExternalReferenceLookupRules(t *testing.T) {
	srv := newTestServer(t, LegacyUnscopedKeys())
	base := "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/role_external_references/lookup/"
	key := srv.NewAPIKey()
	for q, want := range map[string][3]any{
		"?provider_organization_id=a&provider_role_id=1":           {"required", "This field is required.", "provider"},
		"?provider=&provider_organization_id=a&provider_role_id=1": {"blank", "This field may not be blank.", "provider"},
		"?provider=github&provider_organization_id=a":              {"invalid_input", "Either provider_role_slug or provider_role_id must be provided.", nil},
	} {
		st, _, got := call(t, srv, key, "GET", base+q, "")
		if st != 400 || got["code"] != want[0] || got["detail"] != want[1] || got["attr"] != want[2] {
			t.Errorf("%s: %d %v", q, st, got)
		}
	}
	if st, _, got := call(t, srv, key, "GET", base+"?provider=github&provider_organization_id=a&provider_role_slug=x", ""); st != 200 || got["reference"] != nil {
		t.Errorf("miss: %d %v", st, got)
	}
}
