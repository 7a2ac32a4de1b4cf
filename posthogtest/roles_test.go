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

func TestFidelityDec16_RoleNamesTrimmedBeforeUniqueCheck(t *testing.T) {
	s := NewServer()
	defer s.Close()
	key := s.NewAPIKey("organization:write")
	roles := "/api/organizations/" + s.DefaultOrganization().ID.String() + "/roles/"
	st, b := areaDCall(t, s, key, "POST", roles, `{"name": "  Engineering "}`)
	if st != 201 || b["name"] != "Engineering" {
		t.Fatalf("create: %d %v", st, b)
	}
	st, b = areaDCall(t, s, key, "POST", roles, `{"name": " engineering "}`)
	wantError(t, st, b, 400, "unique", "name")
	// The length limit applies to the trimmed name.
	if st, b = areaDCall(t, s, key, "POST", roles, `{"name": " `+strings.Repeat("r", 200)+` "}`); st != 201 {
		t.Errorf("200 characters with spaces: %d %v", st, b)
	}
	// The seeding helper trims and refuses the same duplicate.
	if r := s.AddRole(s.DefaultOrganization().ID, " Ops "); r.Name != "Ops" {
		t.Errorf("seeded name %q", r.Name)
	}
	defer func() {
		if recover() == nil {
			t.Error("AddRole accepted a duplicate name")
		}
	}()
	s.AddRole(s.DefaultOrganization().ID, "ENGINEERING")
}

func TestFidelityDecSettled_MembersCanSeeOrgMembersInRoles(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	u := s.AddUser(UserSeed{})
	s.AddMember(org, u.UUID, LevelMember)
	role := s.AddRole(org, "Ops", s.DefaultUser().UUID, u.UUID)
	member := s.NewAPIKeyFor(u.UUID, "organization:read")
	owner := s.NewAPIKey("organization:write")
	base := "/api/organizations/" + org.String() + "/"
	roleMembers := func(key string) int {
		t.Helper()
		code, body := areaDCall(t, s, key, "GET", base+"roles/"+role.ID.String()+"/", "")
		if code != 200 {
			t.Fatalf("get role: %d %v", code, body)
		}
		return len(body["members"].([]any))
	}
	listed := func(key string) int {
		t.Helper()
		code, body := areaDCall(t, s, key, "GET", base+"roles/"+role.ID.String()+"/role_memberships/", "")
		if code != 200 {
			t.Fatalf("list memberships: %d %v", code, body)
		}
		return len(body["results"].([]any))
	}
	if roleMembers(member) != 2 || listed(member) != 2 {
		t.Fatal("with the setting on, a member sees everyone")
	}
	if code, body := areaDCall(t, s, owner, "PATCH", base, `{"members_can_see_org_members": false}`); code != 200 {
		t.Fatalf("turn the setting off: %d %v", code, body)
	}
	// No project: a member below admin sees only themselves.
	if roleMembers(member) != 1 || listed(member) != 1 || roleMembers(owner) != 2 {
		t.Errorf("no project: member sees %d/%d, owner %d", roleMembers(member), listed(member), roleMembers(owner))
	}
	// With a project (and no access rules) everyone is visible again.
	s.AddProject(org, "Web")
	if roleMembers(member) != 2 || listed(member) != 2 {
		t.Errorf("with a project: member sees %d/%d", roleMembers(member), listed(member))
	}
}
