package posthogtest

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/internal/pyjson"
)

func projectCall(t *testing.T, s *Server, h handler, method string, org uuid.UUID, id int64, action, body string) (int, map[string]any) {
	t.Helper()
	target := fmt.Sprintf("/api/organizations/%s/projects/%d/%s", org, id, action)
	return sessionCall(t, s, h, method, target, body, "organization_id", org.String(), "id", fmt.Sprint(id))
}

func TestProjectTokenActions(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	if !strings.HasPrefix(p.APIToken, "phc_") || p.SecretAPIToken != "" {
		t.Fatalf("seeded = %+v", p)
	}

	code, body := projectCall(t, s, handleProjectTokenAction(resetAPIToken), "PATCH", uuid.UUID(org), int64(p.ID), "reset_token/", "")
	if code != http.StatusOK || body["api_token"] == p.APIToken || !strings.HasPrefix(body["api_token"].(string), "phc_") {
		t.Fatalf("reset_token: %d %v", code, body["api_token"])
	}
	if got := s.Projects(org)[0].APIToken; got != body["api_token"] {
		t.Errorf("stored token %q, answered %q", got, body["api_token"])
	}

	rotate := handleProjectTokenAction(rotateSecretToken)
	_, body = projectCall(t, s, rotate, "PATCH", uuid.UUID(org), int64(p.ID), "rotate_secret_token/", "")
	first, _ := body["secret_api_token"].(string)
	if !strings.HasPrefix(first, "phs_") || body["secret_api_token_backup"] != nil {
		t.Fatalf("first rotation: secret %v backup %v", body["secret_api_token"], body["secret_api_token_backup"])
	}
	_, body = projectCall(t, s, rotate, "PATCH", uuid.UUID(org), int64(p.ID), "rotate_secret_token/", "")
	if body["secret_api_token_backup"] != first || body["secret_api_token"] == first {
		t.Fatalf("second rotation: secret %v backup %v (first %s)", body["secret_api_token"], body["secret_api_token_backup"], first)
	}
	code, body = projectCall(t, s, handleProjectTokenAction(deleteSecretBackup), "PATCH", uuid.UUID(org), int64(p.ID), "delete_secret_token_backup/", "")
	if code != http.StatusOK || body["secret_api_token_backup"] != nil || body["secret_api_token"] == nil {
		t.Fatalf("delete backup: %d secret %v backup %v", code, body["secret_api_token"], body["secret_api_token_backup"])
	}

	code, body = projectCall(t, s, handleProjectTokenAction(generateConversationsToken), "POST", uuid.UUID(org), int64(p.ID), "generate_conversations_public_token/", "")
	cs, _ := body["conversations_settings"].(map[string]any)
	if tok, _ := cs["widget_public_token"].(string); code != http.StatusOK || len(tok) != 43 {
		t.Fatalf("conversations token: %d %v", code, body["conversations_settings"])
	}

	code, body = projectCall(t, s, handleProjectActivity, "GET", uuid.UUID(org), int64(p.ID), "activity/?limit=2", "")
	results, _ := body["results"].([]any)
	if code != http.StatusOK || body["total_count"] != float64(5) || len(results) != 2 {
		t.Fatalf("activity: %d %v", code, body)
	}
	newest := results[0].(map[string]any)
	change := newest["detail"].(map[string]any)["changes"].([]any)[0].(map[string]any)
	if change["field"] != "conversations_settings" || newest["activity"] != "updated" || newest["user"].(map[string]any)["email"] != "owner@example.com" {
		t.Errorf("newest activity = %v", newest)
	}
	if next, _ := body["next"].(string); !strings.Contains(next, "page=2") || !strings.Contains(next, "limit=2") || body["previous"] != nil {
		t.Errorf("links: next %v previous %v", body["next"], body["previous"])
	}
	code, body = projectCall(t, s, handleProjectActivity, "GET", uuid.UUID(org), int64(p.ID), "activity/?limit=2&page=3", "")
	results, _ = body["results"].([]any)
	if code != http.StatusOK || len(results) != 1 || body["next"] != nil || !strings.Contains(body["previous"].(string), "page=2") {
		t.Fatalf("activity page 3: %d %v", code, body)
	}
	// The oldest entry is the reset of the public token.
	oldest := results[0].(map[string]any)["detail"].(map[string]any)["changes"].([]any)[0].(map[string]any)
	if oldest["field"] != "api_token" || oldest["before"] != p.APIToken {
		t.Errorf("oldest change = %v", oldest)
	}
	if code, _ := projectCall(t, s, handleProjectActivity, "GET", uuid.UUID(org), int64(p.ID), "activity/?page=0", ""); code != http.StatusBadRequest {
		t.Errorf("page 0: %d", code)
	}
}

func TestProjectTokenActionsNeedAdmin(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	s.mu.Lock()
	s.defOrg.membership(s.defUser).level = LevelMember
	s.mu.Unlock()
	code, body := projectCall(t, s, handleProjectTokenAction(resetAPIToken), "PATCH", uuid.UUID(org), int64(p.ID), "reset_token/", "")
	if code != http.StatusForbidden || body["detail"] != "You don't have sufficient permissions in the project." {
		t.Errorf("member reset_token: %d %v", code, body)
	}
	if s.Projects(org)[0].APIToken != p.APIToken {
		t.Error("token changed by a member")
	}
	if code, _ := projectCall(t, s, handleProjectTokenAction(resetAPIToken), "PATCH", uuid.UUID(org), 99, "reset_token/", ""); code != http.StatusNotFound {
		t.Errorf("missing project: %d, want 404 before the level check", code)
	}
}

func TestProjectDemoData(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Demo")
	_, body := projectCall(t, s, handleProjectDemoData, "GET", uuid.UUID(org), int64(p.ID), "is_generating_demo_data/", "")
	if body["is_generating_demo_data"] != false {
		t.Errorf("before = %v", body)
	}
	s.SetProjectGeneratingDemoData(org, p.ID, true)
	_, body = projectCall(t, s, handleProjectDemoData, "GET", uuid.UUID(org), int64(p.ID), "is_generating_demo_data/", "")
	if len(body) != 1 || body["is_generating_demo_data"] != true {
		t.Errorf("after = %v", body)
	}
}

func TestProjectChangeOrganization(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	target := s.AddOrganization("Target", posthogapi.UserUUID(uuid.Nil))

	other := s.AddUser(UserSeed{Email: "other@example.com"})
	foreign := s.AddOrganization("Foreign", other.UUID)
	code, body := projectCall(t, s, handleProjectChangeOrg, "POST", uuid.UUID(org), int64(p.ID), "change_organization/", `{"organization_id": "`+foreign.ID.String()+`"}`)
	if code != http.StatusBadRequest || body["detail"] != "You must be a member of the target organization to move a project." || body["attr"] != nil {
		t.Errorf("foreign target: %d %v", code, body)
	}
	s.AddMember(foreign.ID, s.DefaultUser().UUID, LevelMember)
	code, body = projectCall(t, s, handleProjectChangeOrg, "POST", uuid.UUID(org), int64(p.ID), "change_organization/", `{"organization_id": "`+foreign.ID.String()+`"}`)
	if code != http.StatusBadRequest || !strings.Contains(body["detail"].(string), "admin of both") {
		t.Errorf("member of target: %d %v", code, body)
	}

	code, body = projectCall(t, s, handleProjectChangeOrg, "POST", uuid.UUID(org), int64(p.ID), "change_organization/", `{"organization_id": "`+target.ID.String()+`"}`)
	if code != http.StatusOK || body["organization"] != target.ID.String() {
		t.Fatalf("move: %d %v", code, body)
	}
	if len(s.Projects(org)) != 0 || len(s.Projects(target.ID)) != 1 {
		t.Errorf("projects: from %v to %v", s.Projects(org), s.Projects(target.ID))
	}
	s.mu.Lock()
	fromJSON, toJSON := orgJSON(s, s.defOrg, s.defUser), orgJSON(s, s.orgByID(uuid.UUID(target.ID)), s.defUser)
	s.mu.Unlock()
	if len(fromJSON["projects"].([]any)) != 0 || len(toJSON["projects"].([]any)) != 1 || len(toJSON["teams"].([]any)) != 1 {
		t.Errorf("organization lists: from %v, to %v / %v", fromJSON["projects"], toJSON["projects"], toJSON["teams"])
	}
	if code, _ := projectCall(t, s, handleProjectDemoData, "GET", uuid.UUID(org), int64(p.ID), "is_generating_demo_data/", ""); code != http.StatusNotFound {
		t.Errorf("project under its old organization: %d, want 404", code)
	}
}

func TestProjectIDNotANumber(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	code, body := sessionCall(t, s, handleProjectGet, "GET", "/api/organizations/x/projects/abc/", "", "organization_id", org.String(), "id", "abc")
	if code != http.StatusBadRequest || body["detail"] != "Field 'id' expected a number but got 'abc'." {
		t.Errorf("%d %v", code, body)
	}
}

func TestProjectSettingValidation(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	for _, tc := range []struct {
		body, attr, code string
	}{
		{`{"name": ""}`, "name", "blank"},
		{`{"name": "` + strings.Repeat("n", 201) + `"}`, "name", "max_length"},
		{`{"anonymize_ips": null}`, "anonymize_ips", "null"},
		{`{"anonymize_ips": "yes"}`, "anonymize_ips", "invalid_input"},
		{`{"timezone": "Not/AZone"}`, "timezone", "invalid_choice"},
		{`{"week_start_day": 3}`, "week_start_day", "invalid_choice"},
		{`{"business_model": "b2g"}`, "business_model", "invalid_choice"},
		{`{"session_recording_sample_rate": "1.5"}`, "session_recording_sample_rate", "max_value"},
		{`{"session_recording_sample_rate": "0.125"}`, "session_recording_sample_rate", "max_decimal_places"},
		{`{"session_recording_sample_rate": "half"}`, "session_recording_sample_rate", "invalid_input"},
		{`{"session_recording_minimum_duration_milliseconds": 30001}`, "session_recording_minimum_duration_milliseconds", "max_value"},
		{`{"app_urls": "https://a.example"}`, "app_urls", "not_a_list"},
		{`{"recording_domains": ["ok", "` + strings.Repeat("d", 201) + `"]}`, "recording_domains__1", "max_length"},
		{`{"correlation_config": []}`, "correlation_config", "not_a_dict"},
		{`{"test_account_filters": {}}`, "test_account_filters", "not_a_list"},
	} {
		code, body := projectCall(t, s, handleProjectUpdate, "PATCH", uuid.UUID(org), int64(p.ID), "", tc.body)
		if code != http.StatusBadRequest || body["attr"] != tc.attr || body["code"] != tc.code || body["type"] != "validation_error" {
			t.Errorf("%s: %d %v, want attr %s code %s", tc.body, code, body, tc.attr, tc.code)
		}
	}
	code, body := projectCall(t, s, handleProjectUpdate, "PATCH", uuid.UUID(org), int64(p.ID), "", `{"session_recording_sample_rate": 0.1, "week_start_day": 0, "timezone": "Asia/Kolkata", "business_model": ""}`)
	if code != http.StatusOK || body["session_recording_sample_rate"] != "0.10" || body["week_start_day"] != float64(0) ||
		body["timezone"] != "Asia/Kolkata" || body["business_model"] != "" {
		t.Errorf("valid settings: %d %v", code, body)
	}
}

func TestProjectCompleteOnboardingErrorShape(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	code, body := projectCall(t, s, handleProjectIntent(true), "PATCH", uuid.UUID(org), int64(p.ID), "complete_product_onboarding/", `{}`)
	if code != http.StatusBadRequest || len(body) != 1 || body["error"] != "product_type is required" {
		t.Errorf("complete without product: %d %v", code, body)
	}
	code, body = projectCall(t, s, handleProjectIntent(false), "PATCH", uuid.UUID(org), int64(p.ID), "add_product_intent/", `{}`)
	if code != http.StatusBadRequest || body["attr"] != "product_type" || body["code"] != "required" {
		t.Errorf("intent without product: %d %v", code, body)
	}
}

// TestClosedServersOrgsAreCollected checks that nothing outside a server
// (no package-level registry) keeps its organizations alive once it is
// closed and dropped.
func TestClosedServersOrgsAreCollected(t *testing.T) {
	wp := func() weak.Pointer[org] {
		s := NewServer()
		defer s.Close()
		s.AddProject(s.DefaultOrganization().ID, "Web")
		s.mu.Lock()
		defer s.mu.Unlock()
		return weak.Make(s.defOrg)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if wp.Value() == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("organization of a closed server still alive")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// memberKey adds a plain member to the default organization and returns a
// key of theirs with scopes.
func memberKey(s *Server, level int, scopes ...string) string {
	u := s.AddUser(UserSeed{})
	s.AddMember(s.DefaultOrganization().ID, u.UUID, posthogapi.MembershipLevel(level))
	return s.NewAPIKeyFor(u.UUID, scopes...)
}

func TestFidelityDec10_MembersCannotChangeAdminSettings(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	s.SetProjectLimit(org, 0) // PUT is refused at the plan limit
	p := s.AddProject(org, "Web")
	member := memberKey(s, LevelMember, "project:write")
	path := fmt.Sprintf("/api/organizations/%s/projects/%d/", org, p.ID)
	for _, method := range []string{"PATCH", "PUT"} {
		// Presence is enough: the unchanged name is refused too, and the
		// list is sorted.
		code, body := areaDCall(t, s, member, method, path, `{"timezone": "UTC", "name": "Web", "anonymize_ips": false}`)
		wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
		if body["detail"] != "Only project admins can modify these settings: anonymize_ips, name, timezone" {
			t.Errorf("%s detail = %v", method, body["detail"])
		}
		// A setting this server does not store is refused the same way.
		code, body = areaDCall(t, s, member, method, path, `{"capture_dead_clicks": true}`)
		wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
		// Member-safe settings pass.
		if code, body = areaDCall(t, s, member, method, path, `{"session_recording_opt_in": true, "surveys_opt_in": true, "product_description": "x"}`); code != http.StatusOK {
			t.Errorf("%s member-safe settings: %d %v", method, code, body)
		}
	}
	// A field error is answered before the permission check (DRF validates
	// the fields, then validate_team_attrs).
	code, body := areaDCall(t, s, member, "PATCH", path, `{"timezone": "Mars/Base"}`)
	wantError(t, code, body, http.StatusBadRequest, "invalid_choice", "timezone")
	// Admins may change them.
	admin := memberKey(s, LevelAdmin, "project:write")
	if code, body := areaDCall(t, s, admin, "PATCH", path, `{"name": "Web 2", "timezone": "Europe/Berlin"}`); code != http.StatusOK || body["name"] != "Web 2" {
		t.Errorf("admin: %d %v", code, body)
	}
}

func TestFidelityDec13_WhoMayCreateProjects(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	member := memberKey(s, LevelMember, "project:write")
	path := fmt.Sprintf("/api/organizations/%s/projects/", org)
	s.AddProject(org, "Existing")
	// The plan limit (one project) comes first, even for a member.
	code, body := areaDCall(t, s, member, "POST", path, `{"name": "Second"}`)
	wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
	if !strings.HasPrefix(body["detail"].(string), "You have reached the maximum limit of allowed projects") {
		t.Errorf("plan limit detail = %v", body["detail"])
	}
	s.SetProjectLimit(org, 0)
	code, body = areaDCall(t, s, member, "POST", path, `{"name": "Second"}`)
	wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
	if body["detail"] != "You need to be an organization admin or above to create new projects." {
		t.Errorf("member detail = %v", body["detail"])
	}
	// members_can_create_projects lets members create, named, but not set
	// admin-only settings.
	owner := s.NewAPIKey("organization:write")
	if code, body := areaDCall(t, s, owner, "PATCH", fmt.Sprintf("/api/organizations/%s/", org), `{"members_can_create_projects": true}`); code != http.StatusOK {
		t.Fatalf("enable members_can_create_projects: %d %v", code, body)
	}
	code, body = areaDCall(t, s, member, "POST", path, `{"name": "Second", "timezone": "UTC", "receive_org_level_activity_logs": true}`)
	wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
	if body["detail"] != "Only organization admins can set these settings on project creation: receive_org_level_activity_logs, timezone" {
		t.Errorf("create settings detail = %v", body["detail"])
	}
	if code, body = areaDCall(t, s, member, "POST", path, `{"name": "Second", "session_recording_opt_in": true}`); code != http.StatusCreated {
		t.Errorf("member create: %d %v", code, body)
	}
	// A demo project needs membership only, but its settings the same.
	code, body = areaDCall(t, s, member, "POST", path, `{"name": "Demo", "is_demo": true, "anonymize_ips": true}`)
	wantError(t, code, body, http.StatusForbidden, "permission_denied", "")
	if body["detail"] != "Only organization admins can set these settings on project creation: anonymize_ips" {
		t.Errorf("demo create detail = %v", body["detail"])
	}
}

func TestFidelityDec15_PrimaryDashboardNotOnCreate(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	key := s.NewAPIKey("project:write")
	for _, v := range []string{"null", "7"} {
		code, body := areaDCall(t, s, key, "POST", fmt.Sprintf("/api/organizations/%s/projects/", org), `{"name": "P", "primary_dashboard": `+v+`}`)
		if v == "null" {
			wantError(t, code, body, http.StatusBadRequest, "invalid_input", "primary_dashboard")
			if body["detail"] != "Primary dashboard cannot be set on project creation." {
				t.Errorf("detail = %v", body["detail"])
			}
		} else {
			// An unknown dashboard fails the field first (no dashboard exists here).
			wantError(t, code, body, http.StatusBadRequest, "does_not_exist", "primary_dashboard")
		}
	}
	if len(s.Projects(org)) != 0 {
		t.Errorf("projects created: %v", s.Projects(org))
	}
	p := s.AddProject(org, "Web")
	path := fmt.Sprintf("/api/organizations/%s/projects/%d/", org, p.ID)
	if code, body := areaDCall(t, s, key, "PATCH", path, `{"primary_dashboard": null}`); code != http.StatusOK {
		t.Errorf("clear on update: %d %v", code, body)
	}
	code, body := areaDCall(t, s, key, "PATCH", path, `{"primary_dashboard": 12}`)
	wantError(t, code, body, http.StatusBadRequest, "does_not_exist", "primary_dashboard")
	if body["detail"] != `Invalid pk "12" - object does not exist.` {
		t.Errorf("detail = %v", body["detail"])
	}
	code, body = areaDCall(t, s, key, "PATCH", path, `{"primary_dashboard": true}`)
	wantError(t, code, body, http.StatusBadRequest, "incorrect_type", "primary_dashboard")
}

func TestFidelityDec17_ErrorsToIgnoreAtMost300(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	key := s.NewAPIKey("project:write")
	p := s.AddProject(org, "Web")
	path := fmt.Sprintf("/api/organizations/%s/projects/%d/", org, p.ID)
	// ["xxx…"] is 4 characters plus the string: 296 fits, 297 does not.
	for n, want := range map[int]int{296: http.StatusOK, 297: http.StatusBadRequest} {
		code, body := areaDCall(t, s, key, "PATCH", path, `{"autocapture_exceptions_errors_to_ignore": ["`+strings.Repeat("x", n)+`"]}`)
		if code != want {
			t.Errorf("%d characters: %d %v", n, code, body)
		}
		if want == http.StatusBadRequest {
			wantError(t, code, body, want, "invalid_input", "")
			if !strings.HasPrefix(body["detail"].(string), "Field autocapture_exceptions_errors_to_ignore must be less than 300 characters.") {
				t.Errorf("detail = %v", body["detail"])
			}
		}
	}
	// Python escapes non-ASCII: 50 "é" are 4+50*6 = 304 characters.
	code, body := areaDCall(t, s, key, "PATCH", path, `{"autocapture_exceptions_errors_to_ignore": ["`+strings.Repeat("é", 50)+`"]}`)
	wantError(t, code, body, http.StatusBadRequest, "invalid_input", "")
	for _, v := range []string{"null", `"x"`, `[1]`} {
		code, body := areaDCall(t, s, key, "PATCH", path, `{"autocapture_exceptions_errors_to_ignore": `+v+`}`)
		wantError(t, code, body, http.StatusBadRequest, "invalid_input", "")
	}
	if got := pyjson.ListLen([]string{"a", "b\n", "😀"}); got != len(`["a", "b\n", "\ud83d\ude00"]`) {
		t.Errorf("pyjson.ListLen = %d", got)
	}
}

func TestFidelityDecAudit_UnchangedProjectNameNotChecked(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	// Two projects from before names were unique.
	a := s.AddProject(org, "Web")
	s.AddProject(org, "web")
	key := s.NewAPIKey("project:write")
	path := fmt.Sprintf("/api/organizations/%s/projects/%d/", org, a.ID)
	if code, body := areaDCall(t, s, key, "PATCH", path, `{"name": "Web"}`); code != http.StatusOK {
		t.Errorf("unchanged name: %d %v", code, body)
	}
	code, body := areaDCall(t, s, key, "PATCH", path, `{"name": "WEB "}`)
	wantError(t, code, body, http.StatusConflict, "conflict", "")
}

func TestFidelityDecAudit_EmptyURLsDropped(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	p := s.AddProject(org, "Web")
	key := s.NewAPIKey("project:write")
	path := fmt.Sprintf("/api/organizations/%s/projects/%d/", org, p.ID)
	code, body := areaDCall(t, s, key, "PATCH", path, `{"app_urls": ["https://a.example", "", null], "recording_domains": [null, "https://b.example"]}`)
	if code != http.StatusOK || fmt.Sprint(body["app_urls"]) != "[https://a.example]" || fmt.Sprint(body["recording_domains"]) != "[https://b.example]" {
		t.Errorf("%d app_urls %v recording_domains %v", code, body["app_urls"], body["recording_domains"])
	}
}
