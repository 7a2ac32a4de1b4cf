package posthogtest

import (
	"strings"
	"testing"
)

func TestRoleValidationAnswers(t *testing.T) {
	s := newTestServer(t)
	key := s.NewAPIKey("organization:write")
	roles := "/api/organizations/" + s.DefaultOrganization().ID.String() + "/roles/"
	st, b := areaDCall(t, s, key, "POST", roles, `{}`)
	wantError(t, st, b, 400, "required", "name")
	st, b = areaDCall(t, s, key, "POST", roles, `{"name": "  "}`)
	wantError(t, st, b, 400, "blank", "name")
	st, b = areaDCall(t, s, key, "POST", roles, `{"name": "`+strings.Repeat("r", 201)+`"}`)
	wantError(t, st, b, 400, "max_length", "name")
	st, b = areaDCall(t, s, key, "POST", roles, `{"name": "Ops"}`)
	if st != 201 || b["name"] != "Ops" || b["is_default"] != false {
		t.Fatalf("create: %d %v", st, b)
	}
	id := b["id"].(string)
	// PUT needs the name; PATCH does not.
	st, b = areaDCall(t, s, key, "PUT", roles+id+"/", `{}`)
	wantError(t, st, b, 400, "required", "name")
	if st, b = areaDCall(t, s, key, "PATCH", roles+id+"/", `{}`); st != 200 || b["name"] != "Ops" {
		t.Errorf("empty patch: %d %v", st, b)
	}
	ms := roles + id + "/role_memberships/"
	st, b = areaDCall(t, s, key, "POST", ms, `{}`)
	wantError(t, st, b, 400, "required", "user_uuid")
	st, b = areaDCall(t, s, key, "POST", ms, `{"user_uuid": "not-a-uuid"}`)
	wantError(t, st, b, 400, "invalid_input", "user_uuid")
	st, b = areaDCall(t, s, key, "POST", ms, `{"user_uuid": "`+s.DefaultUser().UUID.String()+`"}`)
	if st != 201 || b["organization_member"] == nil {
		t.Fatalf("add owner: %d %v", st, b)
	}
	st, b = areaDCall(t, s, key, "GET", roles+"not-a-uuid/", "")
	wantError(t, st, b, 404, "not_found", "")
	if roles := s.Roles(s.DefaultOrganization().ID); len(roles) != 1 || len(roles[0].Members) != 1 || roles[0].Members[0] != s.DefaultUser().UUID {
		t.Errorf("state = %+v", roles)
	}
}
