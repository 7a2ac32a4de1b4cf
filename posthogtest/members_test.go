package posthogtest

import (
	"net/http"
	"testing"

	"github.com/hogkit/posthogapi"
)

func TestFidelityDec19_MemberLevelNotRequired(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	u := s.AddUser(UserSeed{})
	s.AddMember(org, u.UUID, LevelMember)
	key := s.NewAPIKey("organization_member:write")
	path := "/api/organizations/" + org.String() + "/members/" + u.UUID.String() + "/"
	for _, method := range []string{"PUT", "PATCH"} {
		if code, body := areaDCall(t, s, key, method, path, `{}`); code != http.StatusOK || body["level"] != float64(LevelMember) {
			t.Errorf("%s {}: %d %v", method, code, body)
		}
		code, body := areaDCall(t, s, key, method, path, `{"level": null}`)
		wantError(t, code, body, http.StatusBadRequest, "null", "level")
		if body["detail"] != "This field may not be null." {
			t.Errorf("%s null: detail %v", method, body["detail"])
		}
	}
	// A ChoiceField looks the value up by its text: "8" is admin, 8.0 and
	// true are not choices.
	if code, body := areaDCall(t, s, key, "PATCH", path, `{"level": "8"}`); code != http.StatusOK || body["level"] != float64(LevelAdmin) {
		t.Errorf(`"8": %d %v`, code, body)
	}
	for raw, text := range map[string]string{`8.0`: "8.0", `true`: "True", `3`: "3", `"x"`: "x"} {
		code, body := areaDCall(t, s, key, "PATCH", path, `{"level": `+raw+`}`)
		wantError(t, code, body, http.StatusBadRequest, "invalid_choice", "level")
		if body["detail"] != `"`+text+`" is not a valid choice.` {
			t.Errorf("%s: detail %v", raw, body["detail"])
		}
	}
	if m := s.Members(org); m[len(m)-1].Level != posthogapi.MembershipLevel(LevelAdmin) {
		t.Errorf("members = %+v", m)
	}
	// Invites take the same field.
	code, body := areaDCall(t, s, key, "POST", "/api/organizations/"+org.String()+"/invites/", `{"target_email": "x@example.com", "level": null}`)
	wantError(t, code, body, http.StatusBadRequest, "null", "level")
}

// Joining (User.join) makes the joined organization the user's current one.
func TestFidelityDec14_JoinMakesOrganizationCurrent(t *testing.T) {
	s := NewServer()
	defer s.Close()
	u := s.AddUser(UserSeed{})
	first := s.AddOrganization("First", s.DefaultUser().UUID)
	s.AddMember(first.ID, u.UUID, LevelMember)
	second := s.AddOrganization("Second", s.DefaultUser().UUID)
	s.AddMember(second.ID, u.UUID, LevelMember)
	key := s.NewAPIKeyFor(u.UUID, "organization:read")
	code, body := areaDCall(t, s, key, "GET", "/api/organizations/@current/", "")
	if code != http.StatusOK || body["id"] != second.ID.String() {
		t.Errorf("@current = %d %v, want the organization joined last", code, body["id"])
	}
}

// Leaving (User.leave) makes the first remaining organization current.
func TestFidelityDecAudit_LeaveKeepsACurrentOrganization(t *testing.T) {
	s := NewServer()
	defer s.Close()
	u := s.AddUser(UserSeed{})
	s.AddMember(s.DefaultOrganization().ID, u.UUID, LevelMember)
	other := s.AddOrganization("Other", s.DefaultUser().UUID)
	s.AddMember(other.ID, u.UUID, LevelMember)
	key := s.NewAPIKeyFor(u.UUID, "organization:read", "organization_member:write")
	if code, body := areaDCall(t, s, key, "DELETE", "/api/organizations/"+other.ID.String()+"/members/@me/", ""); code != http.StatusNoContent {
		t.Fatalf("leave: %d %v", code, body)
	}
	code, body := areaDCall(t, s, key, "GET", "/api/organizations/@current/", "")
	if code != http.StatusOK || body["id"] != s.DefaultOrganization().ID.String() {
		t.Errorf("@current after leaving = %d %v", code, body["id"])
	}
}
