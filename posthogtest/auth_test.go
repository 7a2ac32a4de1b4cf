package posthogtest

import (
	"strings"
	"testing"
)

// TestFidelityDecOpen_WWWAuthenticateOn401: PostHog's 401 names its
// challenge, Bearer with the protected resource metadata; answers that are
// not 401 carry none (server-fidelity-2026-12, still open from November).
func TestFidelityDecOpen_WWWAuthenticateOn401(t *testing.T) {
	srv := newTestServer(t)
	want := `Bearer resource_metadata="` + srv.URL() + `/.well-known/oauth-protected-resource"`
	for _, key := range []string{"", "phx_not_a_key"} {
		st, h, _ := call(t, srv, key, "GET", "/api/organizations/", "")
		if st != 401 || h.Get("WWW-Authenticate") != want {
			t.Errorf("key %q: %d, WWW-Authenticate %q; want 401 with %q", key, st, h.Get("WWW-Authenticate"), want)
		}
	}
	st, h, _ := call(t, srv, srv.NewAPIKey("organization:read"), "GET", "/api/organizations/", "")
	if st != 200 || h.Get("WWW-Authenticate") != "" {
		t.Errorf("authenticated: %d, WWW-Authenticate %q", st, h.Get("WWW-Authenticate"))
	}
}

// TestFidelityDecOpen_PersonalAPIKeyLowerCase: the 403 of an action without
// a scope reads "personal API key" in lower case, as the newest
// APIScopePermission writes it.
func TestFidelityDecOpen_PersonalAPIKeyLowerCase(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID.String()
	st, _, body := call(t, srv, srv.NewAPIKey("*"), "POST", "/api/organizations/"+org+"/environments_rollback/", `{"1":2}`)
	if st != 403 || body["detail"] != "This action does not support personal API key access" || body["code"] != "permission_denied" {
		t.Errorf("%d %v", st, body)
	}
}

// TestFidelityDec07_UnscopedKeysRefusedOnNewestServer: migration 1052 gave
// every unscoped key the "*" scope and APIScopePermission has no legacy
// shortcut, so by default a key without scopes is refused on scoped and
// scope-less actions alike; LegacyUnscopedKeys (an older self-hosted
// server) lets it through both.
func TestFidelityDec07_UnscopedKeysRefusedOnNewestServer(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		var opts []Option
		if legacy {
			opts = append(opts, LegacyUnscopedKeys())
		}
		srv := NewServer(opts...)
		org := srv.DefaultOrganization().ID.String()
		key := srv.NewAPIKey()
		st1, _, b1 := call(t, srv, key, "GET", "/api/organizations/"+org+"/members/", "")
		st2, _, b2 := call(t, srv, key, "GET", "/api/organizations/"+org+"/personal_api_keys/", "")
		switch {
		case !legacy && (st1 != 403 || !strings.Contains(b1["detail"].(string), "missing required scope")):
			t.Errorf("newest, scoped action: %d %v", st1, b1)
		case !legacy && (st2 != 403 || b2["detail"] != "This action does not support personal API key access"):
			t.Errorf("newest, scope-less action: %d %v", st2, b2)
		case legacy && (st1 != 200 || st2 != 200):
			t.Errorf("legacy: %d %v, %d %v", st1, b1, st2, b2)
		}
		srv.Close()
	}
}

func TestAuthErrors(t *testing.T) {
	srv := newTestServer(t)
	st, _, body := call(t, srv, "", "GET", "/api/organizations/", "")
	if st != 401 || body["code"] != "not_authenticated" || body["type"] != "authentication_error" {
		t.Fatalf("no key: %d %v", st, body)
	}
	st, _, body = call(t, srv, "phx_wrong", "GET", "/api/organizations/", "")
	if st != 401 || body["code"] != "authentication_failed" {
		t.Fatalf("bad key: %d %v", st, body)
	}
	key := srv.NewAPIKey("organization:read")
	srv.RevokeAPIKey(key)
	if st, _, _ = call(t, srv, key, "GET", "/api/organizations/", ""); st != 401 {
		t.Fatalf("revoked key: %d", st)
	}
}

func TestScopes(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID.String()
	for _, tc := range []struct {
		scopes []string
		method string
		path   string
		want   int
		detail string
	}{
		{[]string{"organization:read"}, "GET", "/api/organizations/" + org + "/", 200, ""},
		{[]string{"organization:write"}, "GET", "/api/organizations/" + org + "/", 200, ""}, // write implies read
		{[]string{"*"}, "GET", "/api/organizations/" + org + "/members/", 200, ""},
		{nil, "GET", "/api/organizations/" + org + "/members/", 403, "API key missing required scope 'organization_member:read'"}, // no legacy shortcut
		{[]string{"organization:read"}, "GET", "/api/organizations/" + org + "/members/", 403, "API key missing required scope 'organization_member:read'"},
		{[]string{"organization_member:read"}, "PATCH", "/api/organizations/" + org + "/", 403, "API key missing required scope 'organization:write'"},
		{[]string{"*"}, "POST", "/api/organizations/" + org + "/environments_rollback/", 403, "This action does not support personal API key access"},
	} {
		st, _, body := call(t, srv, srv.NewAPIKey(tc.scopes...), tc.method, tc.path, "{}")
		if st != tc.want || tc.detail != "" && body["detail"] != tc.detail {
			t.Errorf("%v %s %s: %d %v", tc.scopes, tc.method, tc.path, st, body)
		}
	}
}
