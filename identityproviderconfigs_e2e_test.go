package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// Item 2 of server-fidelity-2026-11.md: on the newest server a domain update
// with SAML/SCIM settings answers 200 and changes nothing (DRF drops the
// keys), the answer has no SAML/SCIM fields, and domains/{id}/scim/token/ is
// gone.
func TestFidelity02_DomainSAMLFieldsIgnoredOnNewestServer(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "example.com", SAMLEntityID: posthogapi.Ptr("https://idp.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	srv.VerifyDomain(org, d.ID)
	upd, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{
		SAMLEntityID: posthogapi.NewNullable("https://idp.example.com"), SAMLACSURL: posthogapi.NewNullable("https://acs.example.com"),
		SAMLX509Cert: posthogapi.NewNullable("CERT"), SCIMEnabled: posthogapi.Ptr(true),
	})
	if err != nil {
		t.Fatalf("update with SAML/SCIM fields: %v (the newest server answers 200)", err)
	}
	if upd.HasSAML || upd.SAMLEntityID != nil || upd.SCIMEnabled || upd.HasSCIM || upd.SCIMBearerToken != nil || upd.SCIMBaseURL != nil {
		t.Errorf("SAML/SCIM settings took effect on the newest server: %+v", upd)
	}
	if got, _ := c.Domains.Get(ctx, org, d.ID); got == nil || got.SAMLEntityID != nil || got.SCIMEnabled {
		t.Errorf("stored domain = %+v", got)
	}
	if cfgs := srv.IdentityProviderConfigs(org); len(cfgs) != 0 {
		t.Errorf("domain update created configs: %+v", cfgs)
	}
	legacyKey := retryingClient(t, srv, srv.NewAPIKey(), posthogapi.WithMaxRetries(0), posthogapi.WithLegacyUnscopedKey())
	_, err = legacyKey.Domains.SCIMToken(ctx, org, d.ID)
	if !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("domain scim/token on the newest server: %v, want ErrNotFound", err)
	}
}

// Item 2: the legacy option serves the older server, where the same calls
// work and identity provider configurations do not exist.
func TestFidelity02_LegacyDomainSSOOption(t *testing.T) {
	ctx := context.Background()
	srv, org, c := legacySSOServer(t)
	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	srv.VerifyDomain(org, d.ID)
	upd, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{
		SAMLEntityID: posthogapi.NewNullable("https://idp.example.com"), SAMLACSURL: posthogapi.NewNullable("https://acs.example.com"),
		SAMLX509Cert: posthogapi.NewNullable("CERT"), SCIMEnabled: posthogapi.Ptr(true),
	})
	if err != nil || !upd.HasSAML || !upd.HasSCIM || upd.SCIMBearerToken == nil || upd.SCIMBaseURL == nil {
		t.Fatalf("legacy update = %+v, %v", upd, err)
	}
	if tok, err := c.Domains.SCIMToken(ctx, org, d.ID); err != nil || tok.SCIMBearerToken == "" {
		t.Errorf("legacy scim token = %+v, %v", tok, err)
	}
	_, err = c.IdentityProviderConfigs.List(ctx, org, nil)
	if !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("identity_provider_configs on the older server: %v, want ErrNotFound", err)
	}
}

// Item 2: the identity provider configuration lifecycle on the newest
// server: create with SAML and SCIM, list, get, update, replace, the domain's
// scim_base_url, and delete (refused while unscoped).
func TestFidelity02_IdentityProviderConfigLifecycle(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	dom := srv.AddDomain(org, "example.com")
	srv.VerifyDomain(org, dom.ID)

	cfg, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		Name: posthogapi.Ptr("Okta"), ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSCIM),
		OrganizationDomainIDs: []posthogapi.DomainID{dom.ID}, SCIMEnabled: posthogapi.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "Okta" || !cfg.SCIMEnabled || !cfg.HasSCIM || cfg.SCIMBearerToken == nil || *cfg.SCIMBearerToken == "" ||
		cfg.SCIMBaseURL == nil || len(cfg.OrganizationDomainIDs) != 1 || cfg.OrganizationDomainIDs[0] != dom.ID || cfg.SAMLRelayState == nil {
		t.Fatalf("created = %+v", cfg)
	}
	got, err := c.IdentityProviderConfigs.Get(ctx, org, cfg.ID)
	if err != nil || got.SCIMBearerToken != nil || !got.HasSCIM {
		t.Errorf("get = %+v, %v (the token is shown once)", got, err)
	}
	d, err := c.Domains.Get(ctx, org, dom.ID)
	if err != nil || d.SCIMBaseURL == nil || *d.SCIMBaseURL != *cfg.SCIMBaseURL {
		t.Errorf("domain scim_base_url = %v, %v; want the config's %s", d.SCIMBaseURL, err, *cfg.SCIMBaseURL)
	}

	saml, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{Name: posthogapi.Ptr("unscoped")})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := c.IdentityProviderConfigs.Update(ctx, org, saml.ID, &posthogapi.IdentityProviderConfigUpdate{
		SAMLEntityID: posthogapi.NewNullable("https://idp.example.com"), SAMLACSURL: posthogapi.NewNullable("https://acs.example.com"),
		SAMLX509Cert: posthogapi.NewNullable("CERT"), DomainScope: posthogapi.NewNullable(posthogapi.IdPDomainScopeAll),
	})
	if err != nil || !upd.HasSAML || upd.DomainScope == nil || *upd.DomainScope != posthogapi.IdPDomainScopeAll || upd.ConfigScope != nil {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	err = c.IdentityProviderConfigs.Delete(ctx, org, saml.ID)
	ae := wantAPIError(t, err, 400, posthogapi.CodeUnscopedConfig, "")
	if !errors.Is(err, posthogapi.ErrValidation) || ae.Detail != "This identity provider configuration cannot be deleted until it has a feature scope." {
		t.Errorf("delete unscoped: %v", err)
	}
	rep, err := c.IdentityProviderConfigs.Replace(ctx, org, saml.ID, &posthogapi.IdentityProviderConfigUpdate{
		ConfigScope: posthogapi.NewNullable(posthogapi.IdPConfigScopeSAML), SAMLX509Cert: posthogapi.Null[string](),
	})
	if err != nil || rep.HasSAML || rep.SAMLEntityID == nil || rep.ConfigScope == nil || *rep.ConfigScope != posthogapi.IdPConfigScopeSAML {
		t.Fatalf("replace = %+v, %v", rep, err)
	}
	// A second fully configured SAML config on all verified domains overlaps.
	_, err = c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSAML), DomainScope: posthogapi.Ptr(posthogapi.IdPDomainScopeAll),
		SAMLEntityID: posthogapi.Ptr("https://a"), SAMLACSURL: posthogapi.Ptr("https://b"), SAMLX509Cert: posthogapi.Ptr("C"),
	})
	if err != nil {
		t.Fatalf("first full SAML config: %v", err)
	}
	_, err = c.IdentityProviderConfigs.Update(ctx, org, saml.ID, &posthogapi.IdentityProviderConfigUpdate{SAMLX509Cert: posthogapi.NewNullable("CERT")})
	wantAPIError(t, err, 400, "invalid_input", "domain_scope")

	// OIDC settings need an OIDC configuration.
	_, err = c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSAML), OIDCIssuerURL: posthogapi.Ptr("https://idp.example.com"),
	})
	ae = wantAPIError(t, err, 400, "invalid_input", "config_scope")
	if ae.Detail != "Use an OIDC configuration for OIDC settings." {
		t.Errorf("oidc on saml: %v", err)
	}
	oidc, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeOIDC), OIDCIssuerURL: posthogapi.Ptr("https://idp.example.com"),
		OIDCClientID: posthogapi.Ptr("client"), OIDCClientSecret: posthogapi.Ptr("s3cret"),
	})
	if err != nil || !oidc.HasOIDC || !oidc.HasOIDCClientSecret || oidc.OIDCIssuerURL != "https://idp.example.com" {
		t.Fatalf("oidc = %+v, %v", oidc, err)
	}

	var names []string
	for x, err := range c.IdentityProviderConfigs.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, x.Name)
	}
	if len(names) != 4 || names[0] != "Okta" || names[1] != "unscoped" {
		t.Errorf("all = %v (oldest first)", names)
	}
	if err := c.IdentityProviderConfigs.Delete(ctx, org, cfg.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IdentityProviderConfigs.Get(ctx, org, cfg.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if d, _ := c.Domains.Get(ctx, org, dom.ID); d == nil || d.SCIMBaseURL != nil {
		t.Errorf("domain keeps a SCIM base URL after its config was deleted: %+v", d)
	}

	member := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, member.UUID, posthogtest.LevelMember)
	mc := e2eClient(t, srv, srv.NewAPIKeyFor(member.UUID, "organization:write"))
	if _, err := mc.IdentityProviderConfigs.List(ctx, org, nil); err != nil {
		t.Errorf("a member reads configs: %v", err)
	}
	_, err = mc.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("a member creates a config: %v", err)
	}
	reader := e2eClient(t, srv, srv.NewAPIKey("organization:read"))
	_, err = reader.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{})
	if !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("create with organization:read: %v", err)
	}
}

// Item 2: the SCIM token of an identity provider configuration.
func TestFidelity02_IdentityProviderConfigSCIMToken(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServerWith(t, []posthogtest.Option{posthogtest.LegacyUnscopedKeys()}, "*") // the legacy key below reaches the action
	cfg, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSCIM)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.IdentityProviderConfigs.SCIMToken(ctx, org, cfg.ID)
	if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("scoped key: %v, want ErrPersonalAPIKeyNotSupported", err)
	}
	legacy := e2eClient(t, srv, srv.NewAPIKey())
	_, err = legacy.IdentityProviderConfigs.SCIMToken(ctx, org, cfg.ID)
	ae := wantAPIError(t, err, 400, "", "")
	if ae.Detail != "SCIM is not enabled for this config" {
		t.Errorf("scim off: %v", err)
	}
	on, err := c.IdentityProviderConfigs.Update(ctx, org, cfg.ID, &posthogapi.IdentityProviderConfigUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	if err != nil || on.SCIMBearerToken == nil {
		t.Fatalf("enable = %+v, %v", on, err)
	}
	again, err := c.IdentityProviderConfigs.Update(ctx, org, cfg.ID, &posthogapi.IdentityProviderConfigUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	if err != nil || again.SCIMBearerToken != nil {
		t.Errorf("re-enable shows a token: %+v, %v", again, err)
	}
	tok, err := legacy.IdentityProviderConfigs.SCIMToken(ctx, org, cfg.ID)
	if err != nil || !tok.SCIMEnabled || tok.SCIMBearerToken == "" || tok.SCIMBearerToken == *on.SCIMBearerToken {
		t.Errorf("new token = %#v, %v", tok, err)
	}
	srv.SetDomainFeatures(org, true, false)
	_, err = legacy.IdentityProviderConfigs.SCIMToken(ctx, org, cfg.ID)
	ae = wantAPIError(t, err, 403, "permission_denied", "")
	if ae.Detail != "SCIM is not available for this organization" {
		t.Errorf("no SCIM feature: %v", err)
	}
	_, err = c.IdentityProviderConfigs.Update(ctx, org, cfg.ID, &posthogapi.IdentityProviderConfigUpdate{SCIMEnabled: posthogapi.Ptr(false)})
	wantAPIError(t, err, 400, "feature_not_available", "scim_enabled")
}

// Item 2: SCIM logs of a configuration, paged by page number (20 by default,
// at most 100), and shown on the domains it applies to.
func TestFidelity02_IdentityProviderConfigSCIMLogsPagination(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eLegacyServer(t) // the legacy key below reaches the action
	dom := srv.AddDomain(org, "example.com")
	cfg, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSCIM), OrganizationDomainIDs: []posthogapi.DomainID{dom.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 25 {
		srv.AddIdentityProviderConfigSCIMLog(org, cfg.ID, posthogtest.SCIMLogSeed{
			Method: "POST", RequestBody: map[string]any{"userName": fmt.Sprintf("u%d@example.com", i)},
			Status: 201 + i%2*200, CreatedAt: base.Add(time.Duration(i) * time.Minute),
		})
	}
	p, err := c.IdentityProviderConfigs.ListSCIMLogs(ctx, org, cfg.ID, nil)
	if err != nil || p.Count != 25 || len(p.Results) != 20 || p.Next == "" || !p.Results[0].CreatedAt.Equal(base.Add(24*time.Minute)) {
		t.Fatalf("first page = count %d, %d results, next %q, %v", p.Count, len(p.Results), p.Next, err)
	}
	n := 0
	for l, err := range c.IdentityProviderConfigs.AllSCIMLogs(ctx, org, cfg.ID, &posthogapi.SCIMLogOptions{PageSize: 7, StatusMin: 400}) {
		if err != nil {
			t.Fatal(err)
		}
		if l.ResponseStatus < 400 {
			t.Errorf("status filter let %d through", l.ResponseStatus)
		}
		n++
	}
	if n != 12 {
		t.Errorf("%d logs with status >= 400, want 12", n)
	}
	dp, err := c.Domains.ListSCIMLogs(ctx, org, dom.ID, &posthogapi.SCIMLogOptions{PageSize: 100})
	if err != nil || dp.Count != 25 {
		t.Errorf("domain scim logs = %v, %v; want the config's 25", dp, err)
	}
	member := srv.AddUser(posthogtest.UserSeed{Email: "m@example.com"})
	srv.AddMember(org, member.UUID, posthogtest.LevelMember)
	mc := e2eClient(t, srv, srv.NewAPIKeyFor(member.UUID))
	_, err = mc.IdentityProviderConfigs.ListSCIMLogs(ctx, org, cfg.ID, nil)
	ae := wantAPIError(t, err, 403, "permission_denied", "")
	if ae.Detail != "Only organization admins can view SCIM logs." {
		t.Errorf("member: %v", err)
	}
}

// Item 2: with enforce_verified_domains on, deleting the verified domain
// that alone admits the caller's email address is refused (would_block_self).
func TestFidelity02_DomainDeleteWouldBlockSelf(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write") // owner@example.com
	own := srv.AddDomain(org, "example.com")
	srv.VerifyDomain(org, own.ID)
	other := srv.AddDomain(org, "other.com")
	srv.VerifyDomain(org, other.ID)
	srv.SetEnforceVerifiedDomains(org, true)

	err := c.Domains.Delete(ctx, org, own.ID)
	ae := wantAPIError(t, err, 400, posthogapi.CodeWouldBlockSelf, "")
	if !errors.Is(err, posthogapi.ErrValidation) || len(srv.Domains(org)) != 2 || ae.Detail == "" {
		t.Errorf("delete own domain: %v", err)
	}
	if err := c.Domains.Delete(ctx, org, other.ID); err != nil {
		t.Errorf("delete a domain that does not admit the caller: %v", err)
	}
	srv.SetEnforceVerifiedDomains(org, false)
	if err := c.Domains.Delete(ctx, org, own.ID); err != nil {
		t.Errorf("delete with the setting off: %v", err)
	}
	// The older server has no such rule.
	lsrv, lorg, lc := legacySSOServer(t, "organization:write")
	d := lsrv.AddDomain(lorg, "example.com")
	lsrv.VerifyDomain(lorg, d.ID)
	lsrv.SetEnforceVerifiedDomains(lorg, true)
	if err := lc.Domains.Delete(ctx, lorg, d.ID); err != nil {
		t.Errorf("legacy delete: %v", err)
	}
}
