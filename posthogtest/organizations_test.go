package posthogtest

import (
	"net/http"
	"strconv"
	"testing"
)

func TestFidelityDec20_EnvironmentsRollbackBody(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	a, b := s.AddProject(org, "A"), s.AddProject(org, "B")
	other := s.AddOrganization("Other", s.DefaultUser().UUID)
	foreign := s.AddProject(other.ID, "Foreign")
	target := "/api/organizations/" + org.String() + "/environments_rollback/"
	id := func(p Project) string { return strconv.FormatInt(int64(p.ID), 10) }
	call := func(body string) (int, map[string]any) {
		return sessionCall(t, s, handleOrgRollback, "POST", target, body, "id", org.String())
	}
	for _, body := range []string{``, `{}`} {
		code, got := call(body)
		wantError(t, code, got, http.StatusBadRequest, "invalid_input", "")
		if got["detail"] != "Environment mappings are required" {
			t.Errorf("%q: detail %v", body, got["detail"])
		}
	}
	code, got := call(`{"` + id(a) + `": 9999, "` + id(foreign) + `": ` + id(b) + `}`)
	wantError(t, code, got, http.StatusBadRequest, "invalid_input", "")
	if want := "Environments not found: {" + id(foreign) + ", 9999}"; got["detail"] != want {
		t.Errorf("detail %v, want %s", got["detail"], want)
	}
	// What Python's int() cannot convert is an unhandled error.
	for _, body := range []string{`{"x": 1}`, `{"1": null}`, `[1]`} {
		code, got := call(body)
		wantError(t, code, got, http.StatusInternalServerError, "error", "")
	}
	if code, got := call(`{"` + id(b) + `": "` + id(a) + `", "` + id(a) + `": ` + id(a) + `}`); code != http.StatusAccepted || got["success"] != true {
		t.Fatalf("valid request: %d %v", code, got)
	}
	code, got = call(`{"` + id(a) + `": ` + id(a) + `}`)
	wantError(t, code, got, http.StatusBadRequest, "invalid_input", "")
	if got["detail"] != "Environments rollback has already been requested for this organization." {
		t.Errorf("second request: %v", got["detail"])
	}
}

// One state per fact: what a seeding helper stores is what the API would
// have stored for the same request, and what the API refuses the helper
// refuses.
func TestFidelityDecOneState_SeedingHelpersMatchTheAPI(t *testing.T) {
	s := NewServer()
	defer s.Close()
	o := s.AddOrganization("  Acme  ", s.DefaultUser().UUID)
	if o.Name != "Acme" {
		t.Errorf("AddOrganization name %q, want it trimmed", o.Name)
	}
	if r := s.AddProxyRecord(o.ID, " e.example.com "); r.Domain != "e.example.com" {
		t.Errorf("AddProxyRecord domain %q, want it trimmed", r.Domain)
	}
	if d := s.AddDomain(o.ID, " example.org "); d.Domain != "example.org" {
		t.Errorf("AddDomain domain %q, want it trimmed", d.Domain)
	}
	u := s.AddUser(UserSeed{})
	defer func() {
		if recover() == nil {
			t.Error("AddMember accepted level 3")
		}
	}()
	s.AddMember(o.ID, u.UUID, 3)
}

func TestFidelityDecAudit_LogoMediaMustExist(t *testing.T) {
	s := NewServer()
	defer s.Close()
	key := s.NewAPIKey("organization:write")
	path := "/api/organizations/" + s.DefaultOrganization().ID.String() + "/"
	code, body := areaDCall(t, s, key, "PATCH", path, `{"logo_media_id": "0191e8a4-0000-7000-8000-0000000000ff"}`)
	wantError(t, code, body, http.StatusBadRequest, "does_not_exist", "logo_media_id")
	if code, body := areaDCall(t, s, key, "PATCH", path, `{"logo_media_id": null}`); code != http.StatusOK {
		t.Errorf("null: %d %v", code, body)
	}
}

// The plan the helpers set is the plan the organization's answer shows.
func TestFidelityDecOneState_PlanFeaturesShown(t *testing.T) {
	s := NewServer()
	defer s.Close()
	org := s.DefaultOrganization().ID
	key := s.NewAPIKey("organization:read")
	features := func() map[string]any {
		t.Helper()
		code, body := areaDCall(t, s, key, "GET", "/api/organizations/"+org.String()+"/", "")
		if code != http.StatusOK {
			t.Fatalf("get: %d %v", code, body)
		}
		out := map[string]any{}
		for _, f := range body["available_product_features"].([]any) {
			m := f.(map[string]any)
			out[m["key"].(string)] = m["limit"]
		}
		return out
	}
	got := features()
	if _, ok := got["organizations_projects"]; ok || got["automatic_provisioning"] != nil || got["scim"] != nil {
		t.Errorf("default plan: %v", got)
	}
	if _, ok := got["scim"]; !ok {
		t.Errorf("default plan lacks scim: %v", got)
	}
	s.SetProjectLimit(org, 5)
	s.SetMaxProxyRecords(org, 3)
	s.SetDomainFeatures(org, false, true)
	got = features()
	if got["organizations_projects"] != float64(5) || got["managed_reverse_proxy"] != float64(3) {
		t.Errorf("limits: %v", got)
	}
	if _, ok := got["automatic_provisioning"]; ok {
		t.Errorf("automatic_provisioning still listed: %v", got)
	}
	s.SetProjectLimit(org, 0)
	if v, ok := features()["organizations_projects"]; !ok || v != nil {
		t.Errorf("no limit: %v", v)
	}
}
