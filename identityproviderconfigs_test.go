package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

var testIdP = uuid.MustParse("0195c3a1-0000-7000-8000-00000000e001")

func idpAPI(suffix string) string {
	return api(testOrg.String() + "/identity_provider_configs/" + suffix)
}

// idpJSON is an answer of the newest identity_provider_config.py.
const idpJSON = `{
	"id": "0195c3a1-0000-7000-8000-00000000e001",
	"name": "Okta production",
	"domain_scope": "selected",
	"config_scope": "saml",
	"organization_domain_ids": ["0195c3a1-0000-7000-8000-00000000d001"],
	"created_at": "2026-01-01T00:00:00Z",
	"updated_at": "2026-01-02T00:00:00Z",
	"has_saml": true,
	"has_oidc": false,
	"has_oidc_client_secret": false,
	"oidc_issuer_url": "",
	"oidc_client_id": "",
	"saml_relay_state": "4b0e3c1e-0000-4000-8000-000000000001",
	"saml_entity_id": "https://idp.example.com/entity",
	"saml_acs_url": "https://us.posthog.com/complete/saml/",
	"saml_x509_cert": "MIIC...",
	"has_scim": true,
	"scim_enabled": true,
	"scim_base_url": "https://us.posthog.com/scim/v2/slug",
	"scim_bearer_token": "phs_scim_once",
	"has_id_jag": false,
	"id_jag_issuer_url": null,
	"id_jag_jwks_url": null,
	"id_jag_allowed_clients": []
}`

func checkIdP(t *testing.T, c *IdentityProviderConfig) {
	t.Helper()
	switch {
	case c.ID != IdentityProviderConfigID(testIdP), c.Name != "Okta production", c.DomainScope == nil || *c.DomainScope != IdPDomainScopeSelected,
		c.ConfigScope == nil || *c.ConfigScope != IdPConfigScopeSAML:
		t.Errorf("identity fields: %+v", c)
	case len(c.OrganizationDomainIDs) != 1 || c.OrganizationDomainIDs[0] != DomainID(testDomain):
		t.Errorf("OrganizationDomainIDs = %v", c.OrganizationDomainIDs)
	case !c.CreatedAt.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), !c.HasSAML, c.HasOIDC, c.SAMLRelayState == nil:
		t.Errorf("times/flags: %+v", c)
	case c.SAMLEntityID == nil || *c.SAMLEntityID != "https://idp.example.com/entity", c.SAMLX509Cert == nil:
		t.Errorf("SAML: %+v", c)
	case !c.HasSCIM, !c.SCIMEnabled, c.SCIMBaseURL == nil || *c.SCIMBaseURL != "https://us.posthog.com/scim/v2/slug",
		c.SCIMBearerToken == nil || *c.SCIMBearerToken != "phs_scim_once":
		t.Errorf("SCIM: %+v", c)
	case c.HasIDJAG, c.IDJAGIssuerURL != nil, c.IDJAGAllowedClients == nil || len(c.IDJAGAllowedClients) != 0:
		t.Errorf("ID-JAG: %+v", c)
	}
}

func TestIdentityProviderConfigsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, idpAPI(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+idpJSON+`]}`, "limit=10", ""))
	p, err := c.IdentityProviderConfigs.List(context.Background(), OrganizationID(testOrg), &ListOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkIdP(t, &p.Results[0])
}

func TestIdentityProviderConfigsAll(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, idpAPI(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+idpJSON+`]}`, "", ""))
	n := 0
	for cfg, err := range c.IdentityProviderConfigs.All(context.Background(), OrganizationID(testOrg), nil) {
		if err != nil {
			t.Fatal(err)
		}
		checkIdP(t, cfg)
		n++
	}
	if n != 1 {
		t.Errorf("%d configs", n)
	}
	for _, err := range c.IdentityProviderConfigs.All(context.Background(), OrganizationID(uuid.Nil), nil) {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil org: %v", err)
		}
	}
}

func TestIdentityProviderConfigsGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, idpAPI(testIdP.String()+"/"), respond(t, 200, idpJSON, "", ""))
	cfg, err := c.IdentityProviderConfigs.Get(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP))
	if err != nil {
		t.Fatal(err)
	}
	checkIdP(t, cfg)
}

func TestIdentityProviderConfigsCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, idpAPI(""), respond(t, 201, idpJSON, "",
		`{"name": "Okta production", "domain_scope": "selected", "config_scope": "saml",
		  "organization_domain_ids": ["0195c3a1-0000-7000-8000-00000000d001"],
		  "saml_entity_id": "https://idp.example.com/entity", "saml_acs_url": "https://us.posthog.com/complete/saml/",
		  "saml_x509_cert": "MIIC...", "scim_enabled": true, "id_jag_allowed_clients": ["c1"]}`))
	cfg, err := c.IdentityProviderConfigs.Create(context.Background(), OrganizationID(testOrg), &IdentityProviderConfigCreate{
		Name: Ptr("Okta production"), DomainScope: Ptr(IdPDomainScopeSelected), ConfigScope: Ptr(IdPConfigScopeSAML),
		OrganizationDomainIDs: []DomainID{DomainID(testDomain)},
		SAMLEntityID:          Ptr("https://idp.example.com/entity"), SAMLACSURL: Ptr("https://us.posthog.com/complete/saml/"),
		SAMLX509Cert: Ptr("MIIC..."), SCIMEnabled: Ptr(true), IDJAGAllowedClients: []string{"c1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkIdP(t, cfg)
}

func TestIdentityProviderConfigsUpdateAndReplace(t *testing.T) {
	for _, method := range []string{http.MethodPatch, http.MethodPut} {
		t.Run(method, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(method, idpAPI(testIdP.String()+"/"), respond(t, 200, idpJSON, "",
				`{"domain_scope": null, "organization_domain_ids": [], "saml_x509_cert": null,
				  "oidc_client_secret": "", "scim_enabled": false, "id_jag_issuer_url": "https://idp.example.com"}`))
			upd := &IdentityProviderConfigUpdate{
				DomainScope: Null[IdPDomainScope](), OrganizationDomainIDs: []DomainID{}, SAMLX509Cert: Null[string](),
				OIDCClientSecret: Ptr(""), SCIMEnabled: Ptr(false), IDJAGIssuerURL: NewNullable("https://idp.example.com"),
			}
			call := c.IdentityProviderConfigs.Update
			if method == http.MethodPut {
				call = c.IdentityProviderConfigs.Replace
			}
			cfg, err := call(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP), upd)
			if err != nil {
				t.Fatal(err)
			}
			checkIdP(t, cfg)
		})
	}
}

func TestIdentityProviderConfigsUpdateSendsOnlySetFields(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPatch, idpAPI(testIdP.String()+"/"), respond(t, 200, idpJSON, "", `{"name": "x"}`))
	if _, err := c.IdentityProviderConfigs.Update(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP), &IdentityProviderConfigUpdate{Name: Ptr("x")}); err != nil {
		t.Fatal(err)
	}
}

func TestIdentityProviderConfigsDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodDelete, idpAPI(testIdP.String()+"/"), respond(t, 204, "", "", ""))
	if err := c.IdentityProviderConfigs.Delete(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP)); err != nil {
		t.Fatal(err)
	}
	mt.RegisterResponder(http.MethodDelete, idpAPI(testIdP.String()+"/"), respond(t, 400,
		`{"type": "validation_error", "code": "unscoped_config", "detail": "This identity provider configuration cannot be deleted until it has a feature scope.", "attr": null}`, "", ""))
	err := c.IdentityProviderConfigs.Delete(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != CodeUnscopedConfig || !errors.Is(err, ErrValidation) {
		t.Errorf("unscoped delete: %v", err)
	}
}

func TestIdentityProviderConfigsSCIMToken(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, idpAPI(testIdP.String()+"/scim/token/"), respond(t, 200,
		`{"scim_enabled": true, "scim_bearer_token": "phs_scim_new"}`, "", `{}`))
	tok, err := c.IdentityProviderConfigs.SCIMToken(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP))
	if err != nil {
		t.Fatal(err)
	}
	if !tok.SCIMEnabled || tok.SCIMBearerToken != "phs_scim_new" {
		t.Errorf("token = %#v", tok)
	}
}

func TestIdentityProviderConfigsSCIMLogs(t *testing.T) {
	c, mt := newMockClient(t)
	path := idpAPI(testIdP.String() + "/scim/logs/")
	mt.RegisterResponder(http.MethodGet, path, respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": `+scimLogs(1)+`}`, "page=2&page_size=5&status_min=400", ""))
	p, err := c.IdentityProviderConfigs.ListSCIMLogs(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP), &SCIMLogOptions{Page: 2, PageSize: 5, StatusMin: 400})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 || p.Results[0].IdentityProvider != "okta" {
		t.Errorf("page = %+v", p)
	}
}

func TestIdentityProviderConfigsAllSCIMLogsWalksPageNumbers(t *testing.T) {
	c, mt := newMockClient(t)
	path := idpAPI(testIdP.String() + "/scim/logs/")
	var seen []string
	mt.RegisterResponder(http.MethodGet, path, scimPager(t, []string{
		`{"count": 3, "next": "` + path + `?page=2&page_size=2", "previous": null, "results": ` + scimLogs(1, 2) + `}`,
		`{"count": 3, "next": null, "previous": "` + path + `?page_size=2", "results": ` + scimLogs(3) + `}`,
	}, &seen))
	var ids []string
	for l, err := range c.IdentityProviderConfigs.AllSCIMLogs(context.Background(), OrganizationID(testOrg), IdentityProviderConfigID(testIdP), &SCIMLogOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID.String()[len(l.ID.String())-2:])
	}
	if strings.Join(ids, ",") != "01,02,03" || strings.Join(seen, ",") != "1/2,2/2" {
		t.Errorf("ids %v, requests %v", ids, seen)
	}
}

func TestIdentityProviderConfigsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	long := strings.Repeat("x", 513)
	creates := []*IdentityProviderConfigCreate{
		nil,
		{Name: Ptr(strings.Repeat("n", 256))},
		{SAMLEntityID: &long},
		{SAMLACSURL: &long},
		{IDJAGIssuerURL: &long},
		{DomainScope: Ptr(IdPDomainScope("some"))},
		{OrganizationDomainIDs: []DomainID{{}}},
		{OIDCIssuerURL: Ptr("http://idp.example.com")},
		{OIDCIssuerURL: Ptr("https://user:pw@idp.example.com")},
		{OIDCIssuerURL: Ptr("https://idp.example.com/?x=1")},
		{OIDCIssuerURL: Ptr("https://idp.example.com/#f")},
		{OIDCClientSecret: Ptr(strings.Repeat("s", 4097))},
		{IDJAGAllowedClients: []string{strings.Repeat("c", 257)}},
	}
	for i, cr := range creates {
		if _, err := c.IdentityProviderConfigs.Create(ctx, OrganizationID(testOrg), cr); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("create %d: err = %v", i, err)
		}
	}
	updates := []*IdentityProviderConfigUpdate{
		nil,
		{SAMLEntityID: NewNullable(long)},
		{DomainScope: NewNullable(IdPDomainScope("every"))},
		{IDJAGJWKSURL: NewNullable(long)},
	}
	for i, u := range updates {
		if _, err := c.IdentityProviderConfigs.Update(ctx, OrganizationID(testOrg), IdentityProviderConfigID(testIdP), u); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("update %d: err = %v", i, err)
		}
	}
	if _, err := c.IdentityProviderConfigs.Get(ctx, OrganizationID(testOrg), IdentityProviderConfigID(uuid.Nil)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil id: %v", err)
	}
	if _, err := c.IdentityProviderConfigs.SCIMToken(ctx, OrganizationID(uuid.Nil), IdentityProviderConfigID(testIdP)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	for _, err := range c.IdentityProviderConfigs.AllSCIMLogs(ctx, OrganizationID(testOrg), IdentityProviderConfigID(testIdP), &SCIMLogOptions{PageSize: 101}) {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("AllSCIMLogs page size: %v", err)
		}
	}
	// A blank issuer (removing it) and a plain https issuer pass.
	for _, ok := range []*IdentityProviderConfigCreate{{OIDCIssuerURL: Ptr("  ")}, {OIDCIssuerURL: Ptr(" https://idp.example.com/oauth2 ")}} {
		if err := ok.validate(); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestIdentityProviderConfigSecretsRedacted(t *testing.T) {
	const cert, secret, token = "CERT-canary-1", "SECRET-canary-2", "TOKEN-canary-3"
	values := []any{
		IdentityProviderConfigCreate{Name: Ptr("visible-name"), SAMLX509Cert: Ptr(cert), OIDCClientSecret: Ptr(secret)},
		&IdentityProviderConfigCreate{Name: Ptr("visible-name"), SAMLX509Cert: Ptr(cert), OIDCClientSecret: Ptr(secret)},
		IdentityProviderConfigUpdate{Name: Ptr("visible-name"), SAMLX509Cert: NewNullable(cert), OIDCClientSecret: Ptr(secret)},
		&IdentityProviderConfigUpdate{Name: Ptr("visible-name"), SAMLX509Cert: NewNullable(cert), OIDCClientSecret: Ptr(secret)},
		IdentityProviderConfig{Name: "visible-name", SCIMBearerToken: Ptr(token)},
		&IdentityProviderConfig{Name: "visible-name", SCIMBearerToken: Ptr(token)},
		IdPSCIMToken{SCIMEnabled: true, SCIMBearerToken: token},
	}
	for i, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, cert) || strings.Contains(out, secret) || strings.Contains(out, token) {
				t.Errorf("value %d with %s leaks a secret: %s", i, verb, out)
			}
			if !strings.Contains(out, "[REDACTED]") {
				t.Errorf("value %d with %s shows no redaction: %s", i, verb, out)
			}
		}
	}
	if out := fmt.Sprintf("%v", IdentityProviderConfigCreate{Name: Ptr("visible-name")}); !strings.Contains(out, "visible-name") || strings.Contains(out, "[REDACTED]") {
		t.Errorf("non-secret fields: %s", out)
	}
	if out := fmt.Sprintf("%#v", IdentityProviderConfigUpdate{}); !strings.HasPrefix(out, "posthogapi.IdentityProviderConfigUpdate{") {
		t.Errorf("GoString = %s", out)
	}
}

func TestDomainDeleteWouldBlockSelf(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodDelete, domainAPI(testDomain.String()+"/"), respond(t, 400,
		`{"type": "validation_error", "code": "would_block_self", "detail": "You can't delete this domain while membership is restricted to verified email domains, because your own email address would no longer be allowed. Turn off that setting first.", "attr": null}`, "", ""))
	err := c.Domains.Delete(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != CodeWouldBlockSelf || ae.StatusCode != 400 || !errors.Is(err, ErrValidation) {
		t.Errorf("err = %v", err)
	}
}
