package posthogtest

import (
	"strings"
	"testing"
)

// TestIdentityProviderConfigRules drives the write rules of PostHog's
// IdentityProviderConfigSerializer and IdentityProviderConfigViewSet
// (posthog/api/identity_provider_config.py) through raw requests: admins
// only, choices, the HTTPS issuer, list fields, domains of the
// organization, OIDC settings on an OIDC configuration, and the plan's OIDC,
// SCIM and XAA features.
func TestIdentityProviderConfigRules(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	base := "/api/organizations/" + org.String() + "/identity_provider_configs/"
	admin := srv.NewAPIKey("organization:write")
	u := srv.AddUser(UserSeed{Email: "m@example.com"})
	srv.AddMember(org, u.UUID, LevelMember)
	if st, _, got := call(t, srv, srv.NewAPIKeyFor(u.UUID, "organization:write"), "POST", base, `{}`); st != 403 || got["detail"] != "Your organization access level is insufficient." {
		t.Errorf("member create: %d %v", st, got)
	}
	for _, tc := range []struct{ body, code, attr string }{
		{`{"config_scope":"ldap"}`, "invalid_choice", "config_scope"},
		{`{"config_scope":"oidc","oidc_issuer_url":"http://idp.example.com"}`, "invalid_input", "oidc_issuer_url"},
		{`{"config_scope":"oidc","oidc_issuer_url":"https://idp.example.com/?x=1"}`, "invalid_input", "oidc_issuer_url"},
		{`{"id_jag_allowed_clients":"one"}`, "not_a_list", "id_jag_allowed_clients"},
		{`{"id_jag_allowed_clients":["` + strings.Repeat("c", 257) + `"]}`, "max_length", "id_jag_allowed_clients"},
		{`{"organization_domain_ids":["00000000-0000-0000-0000-000000000001"]}`, "does_not_exist", "organization_domain_ids"},
		{`{"config_scope":"saml","oidc_issuer_url":"https://idp.example.com"}`, "invalid_input", "config_scope"},
	} {
		if st, _, got := call(t, srv, admin, "POST", base, tc.body); st != 400 || got["code"] != tc.code || got["attr"] != tc.attr {
			t.Errorf("%s: %d %v, want %s on %s", tc.body, st, got, tc.code, tc.attr)
		}
	}
	srv.SetIdentityProviderFeatures(org, false, false)
	for body, attr := range map[string]string{
		`{"config_scope":"oidc","oidc_issuer_url":"https://idp.example.com"}`: "oidc_issuer_url",
		`{"id_jag_issuer_url":"https://idp.example.com"}`:                     "id_jag_issuer_url",
	} {
		if st, _, got := call(t, srv, admin, "POST", base, body); st != 400 || got["code"] != "feature_not_available" || got["attr"] != attr {
			t.Errorf("%s without the feature: %d %v", body, st, got)
		}
	}
}
