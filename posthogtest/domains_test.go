package posthogtest_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hogkit/posthogapi/posthogtest"
)

// TestDomainRoutesOnTheWire checks the older server's domain routes (WithLegacyDomainSSO).
func TestDomainRoutesOnTheWire(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.WithLegacyDomainSSO(), posthogtest.LegacyUnscopedKeys()) // scim/token on domains: older servers, legacy key
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	key := srv.NewAPIKey("organization:write")
	base := fmt.Sprintf("/api/organizations/%s/domains/", org)

	status, body := rawCall(t, srv, key, "POST", base, `{"domain": "Example.com"}`)
	if status != 400 {
		t.Fatalf("upper case: %d", status)
	}
	wantError(t, body, "validation_error", "invalid_input", "domain")
	status, body = rawCall(t, srv, key, "POST", base, `{"domain": "example.com", "jit_provisioning_enabled": true, "scim_enabled": true}`)
	m, _ := body.(map[string]any)
	if status != 201 || m["jit_provisioning_enabled"] != false || m["scim_enabled"] != false || m["is_verified"] != false || m["verified_at"] != nil {
		t.Fatalf("create (gated fields are dropped): %d %v", status, body)
	}
	id := fmt.Sprint(m["id"])
	// The name is read-only after creation: a PATCH that sends it keeps it.
	status, body = rawCall(t, srv, key, "PATCH", base+id+"/", `{"domain": "other.com", "saml_acs_url": "https://x"}`)
	if m, _ = body.(map[string]any); status != 200 || m["domain"] != "example.com" || m["saml_acs_url"] != "https://x" {
		t.Errorf("patch: %d %v", status, body)
	}
	status, body = rawCall(t, srv, key, "PATCH", base+id+"/", `{"sso_enforcement": "`+strings.Repeat("s", 29)+`"}`)
	if status != 400 {
		t.Fatalf("long sso_enforcement: %d", status)
	}
	wantError(t, body, "validation_error", "max_length", "sso_enforcement")

	legacy := srv.NewAPIKey()
	status, body = rawCall(t, srv, legacy, "POST", base+id+"/scim/token/", "")
	if status != 400 {
		t.Fatalf("token before SCIM: %d", status)
	}
	if m, _ = body.(map[string]any); len(m) != 1 || m["detail"] != "SCIM is not enabled for this domain" {
		t.Errorf("bare detail body = %v", body)
	}
	status, body = rawCall(t, srv, key, "POST", base+id+"/verify/", "{}")
	if status != 403 || !strings.Contains(fmt.Sprint(body), "does not support personal API key access") {
		t.Errorf("verify with a scoped key: %d %v", status, body)
	}
	status, _ = rawCall(t, srv, key, "DELETE", base+id+"/", "")
	if status != 204 {
		t.Errorf("delete: %d", status)
	}
}

func TestSCIMLogPagination(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	d := srv.AddDomain(org, "example.com")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 250 {
		srv.AddSCIMLog(org, d.ID, posthogtest.SCIMLogSeed{CreatedAt: start.Add(time.Duration(i) * time.Second)})
	}
	key := srv.NewAPIKey()
	path := fmt.Sprintf("/api/organizations/%s/domains/%s/scim/logs/", org, d.ID)

	page := func(query string) (int, map[string]any) {
		t.Helper()
		status, body := rawCall(t, srv, key, "GET", path+query, "")
		m, _ := body.(map[string]any)
		return status, m
	}
	status, m := page("")
	if status != 200 || m["count"] != float64(250) || len(m["results"].([]any)) != 20 || m["previous"] != nil {
		t.Fatalf("default page: %d count %v", status, m["count"])
	}
	next, _ := url.Parse(fmt.Sprint(m["next"]))
	if !next.IsAbs() || next.Query().Get("page") != "2" {
		t.Errorf("next = %v", m["next"])
	}
	// A search that matches nothing still has page 1, empty; page 2 is a 404.
	if status, m = page("?search=nomatch"); status != 200 || m["count"] != float64(0) || len(m["results"].([]any)) != 0 {
		t.Errorf("empty search: %d %v", status, m)
	}
	if status, _ = page("?search=nomatch&page=2"); status != 404 {
		t.Errorf("empty search, page 2: %d", status)
	}
	_, m = page("?page_size=500")
	if len(m["results"].([]any)) != 100 {
		t.Errorf("page_size is capped at 100, got %d", len(m["results"].([]any)))
	}
	_, m = page("?page_size=100&page=2&status_min=abc")
	prev, _ := url.Parse(fmt.Sprint(m["previous"]))
	if len(m["results"].([]any)) != 100 || prev.Query().Has("page") || prev.Query().Get("page_size") != "100" {
		t.Errorf("page 2: previous %v", m["previous"])
	}
	_, m = page("?page=last")
	if len(m["results"].([]any)) != 10 || m["next"] != nil {
		t.Errorf("last page: %d results", len(m["results"].([]any)))
	}
	for _, bad := range []string{"?page=14", "?page=0", "?page=x"} {
		status, m = page(bad)
		if status != 404 || m["detail"] != "Invalid page." {
			t.Errorf("%s: %d %v", bad, status, m)
		}
	}
}

func TestFidelityDecAudit_DomainCreateField(t *testing.T) {
	s := posthogtest.NewServer()
	defer s.Close()
	key := s.NewAPIKey("organization:write")
	path := "/api/organizations/" + s.DefaultOrganization().ID.String() + "/domains/"
	code, got := rawCall(t, s, key, "POST", path, `{"domain": " example.com "}`)
	if body, _ := got.(map[string]any); code != 201 || body["domain"] != "example.com" {
		t.Fatalf("trimmed create: %d %v", code, got)
	}
	code, got = rawCall(t, s, key, "POST", path, `{"domain": "example.com"}`)
	if code != 400 {
		t.Fatalf("duplicate: %d %v", code, got)
	}
	wantError(t, got, "validation_error", "unique", "domain")
	if body, _ := got.(map[string]any); body["detail"] != "organization domain with this domain already exists." {
		t.Errorf("detail = %v", body["detail"])
	}
}
