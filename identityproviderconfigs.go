package posthogapi

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// IdentityProviderConfigsService manages an organization's identity
// provider (IdP) configurations: SAML, SCIM, OIDC and ID-JAG (XAA) settings,
// at /api/organizations/{organization_id}/identity_provider_configs/.
//
// Newer PostHog servers keep SAML and SCIM here instead of on domains (see
// DomainsService): a configuration applies to the organization's verified
// domains it names in OrganizationDomainIDs, or to all of them with
// DomainScope IdPDomainScopeAll. Reading needs any member; writing needs an
// admin. Older servers do not have this route (ErrNotFound).
type IdentityProviderConfigsService service

// IdPConfigScope is the feature an identity provider configuration is for
// (PostHog's ConfigScope, posthog/models/identity_provider_config.py).
type IdPConfigScope string

// Known configuration scopes. PostHog may add more; unknown values decode
// unchanged and are sent unchanged.
const (
	// IdPConfigScopeSAML configures SAML single sign-on.
	IdPConfigScopeSAML IdPConfigScope = "saml"
	// IdPConfigScopeSCIM configures SCIM provisioning.
	IdPConfigScopeSCIM IdPConfigScope = "scim"
	// IdPConfigScopeXAA configures ID-JAG (cross-app access). PostHog's
	// model stores it as "xaa" and notes a rename to "id_jag" may follow.
	IdPConfigScopeXAA IdPConfigScope = "xaa"
	// IdPConfigScopeOIDC configures OpenID Connect single sign-on. The
	// newest identity_provider_config.py refers to ConfigScope.OIDC; its
	// stored value "oidc" could not be read in PostHog's model and is
	// inferred from the other scopes.
	IdPConfigScopeOIDC IdPConfigScope = "oidc"
)

// IdPDomainScope says which verified domains a configuration applies to
// (PostHog's DomainScope).
type IdPDomainScope string

// Domain scopes.
const (
	// IdPDomainScopeAll applies the configuration to every verified domain
	// of the organization.
	IdPDomainScopeAll IdPDomainScope = "all"
	// IdPDomainScopeSelected applies it to the domains listed in
	// OrganizationDomainIDs. An unset scope behaves the same.
	IdPDomainScopeSelected IdPDomainScope = "selected"
)

// IdentityProviderConfig is an identity provider configuration, as PostHog
// sends it (IdentityProviderConfigSerializer). Printing it with %v or %#v
// redacts SCIMBearerToken.
type IdentityProviderConfig struct {
	ID IdentityProviderConfigID `json:"id"`
	// Name is a display name, such as "Okta production" (may be "").
	Name string `json:"name"`
	// DomainScope and ConfigScope are nil when not set.
	DomainScope *IdPDomainScope `json:"domain_scope"`
	ConfigScope *IdPConfigScope `json:"config_scope"`
	// OrganizationDomainIDs are the domains the configuration applies to
	// when DomainScope is not IdPDomainScopeAll.
	OrganizationDomainIDs []DomainID `json:"organization_domain_ids"`
	CreatedAt             time.Time  `json:"created_at"`
	UpdatedAt             time.Time  `json:"updated_at"`
	// HasSAML reports whether entity ID, ACS URL and certificate are all set.
	HasSAML bool `json:"has_saml"`
	// HasOIDC reports whether issuer, client ID and client secret are set.
	HasOIDC bool `json:"has_oidc"`
	// HasOIDCClientSecret reports whether a client secret is saved; the
	// secret itself is never sent back.
	HasOIDCClientSecret bool   `json:"has_oidc_client_secret"`
	OIDCIssuerURL       string `json:"oidc_issuer_url"`
	OIDCClientID        string `json:"oidc_client_id"`
	// SAMLRelayState is the stable value PostHog sends as SAML RelayState
	// to route answers to this configuration (nil when not assigned).
	SAMLRelayState *string `json:"saml_relay_state"`
	SAMLEntityID   *string `json:"saml_entity_id"`
	SAMLACSURL     *string `json:"saml_acs_url"`
	SAMLX509Cert   *string `json:"saml_x509_cert"`
	// HasSCIM reports whether SCIM is enabled and has a bearer token.
	HasSCIM     bool `json:"has_scim"`
	SCIMEnabled bool `json:"scim_enabled"`
	// SCIMBaseURL is the SCIM endpoint to give the identity provider (nil
	// when PostHog has none for this configuration).
	SCIMBaseURL *string `json:"scim_base_url"`
	// SCIMBearerToken is set only in the answer of the create or update
	// that turned SCIM on; PostHog keeps only a hash (see
	// IdentityProviderConfigs.SCIMToken for a new one).
	SCIMBearerToken     *string  `json:"scim_bearer_token"`
	HasIDJAG            bool     `json:"has_id_jag"`
	IDJAGIssuerURL      *string  `json:"id_jag_issuer_url"`
	IDJAGJWKSURL        *string  `json:"id_jag_jwks_url"`
	IDJAGAllowedClients []string `json:"id_jag_allowed_clients"`
}

// String describes the configuration with the SCIM bearer token redacted.
func (c IdentityProviderConfig) String() string {
	return redactedString("", c, "scim_bearer_token")
}

// GoString is String for %#v.
func (c IdentityProviderConfig) GoString() string {
	return redactedString("posthogapi.IdentityProviderConfig", c, "scim_bearer_token")
}

// IdentityProviderConfigCreate is the body of IdentityProviderConfigs.Create.
// Every field is optional. Printing it with %v or %#v redacts the SAML
// certificate and the OIDC client secret.
type IdentityProviderConfigCreate struct {
	// Name is a display name, at most 255 characters.
	Name        *string         `json:"name,omitempty"`
	DomainScope *IdPDomainScope `json:"domain_scope,omitempty"`
	ConfigScope *IdPConfigScope `json:"config_scope,omitempty"`
	// OrganizationDomainIDs are domains of this organization.
	OrganizationDomainIDs []DomainID `json:"organization_domain_ids,omitempty"`
	// The OIDC settings need ConfigScope IdPConfigScopeOIDC (PostHog
	// answers 400 "Use an OIDC configuration for OIDC settings."). The
	// issuer must be an https URL without credentials, query or fragment.
	OIDCIssuerURL    *string `json:"oidc_issuer_url,omitempty"`
	OIDCClientID     *string `json:"oidc_client_id,omitempty"`
	OIDCClientSecret *string `json:"oidc_client_secret,omitempty"`
	// SAML settings; entity ID and ACS URL at most 512 characters.
	SAMLEntityID *string `json:"saml_entity_id,omitempty"`
	SAMLACSURL   *string `json:"saml_acs_url,omitempty"`
	SAMLX509Cert *string `json:"saml_x509_cert,omitempty"`
	// SCIMEnabled true makes PostHog answer with a SCIM bearer token, once.
	SCIMEnabled *bool `json:"scim_enabled,omitempty"`
	// ID-JAG (XAA) settings; URLs at most 512 characters, client IDs at
	// most 256 each (an empty list allows any client).
	IDJAGIssuerURL      *string  `json:"id_jag_issuer_url,omitempty"`
	IDJAGJWKSURL        *string  `json:"id_jag_jwks_url,omitempty"`
	IDJAGAllowedClients []string `json:"id_jag_allowed_clients,omitempty"`
}

// String describes the request with secrets redacted.
func (c IdentityProviderConfigCreate) String() string {
	return redactedString("", c, idpRequestSecrets...)
}

// GoString is String for %#v.
func (c IdentityProviderConfigCreate) GoString() string {
	return redactedString("posthogapi.IdentityProviderConfigCreate", c, idpRequestSecrets...)
}

// IdentityProviderConfigReplace is the body of
// IdentityProviderConfigs.Replace. No field of a configuration is required,
// so PostHog's PUT reads the fields of a PATCH: it is
// IdentityProviderConfigUpdate.
type IdentityProviderConfigReplace = IdentityProviderConfigUpdate

// IdentityProviderConfigUpdate is the body of IdentityProviderConfigs.Update
// (PATCH) and, as IdentityProviderConfigReplace, of Replace (PUT): only set
// fields are sent. Printing it with %v
// or %#v redacts the SAML certificate and the OIDC client secret.
type IdentityProviderConfigUpdate struct {
	Name *string `json:"name,omitempty"`
	// DomainScope and ConfigScope can be cleared with Null.
	DomainScope Nullable[IdPDomainScope] `json:"domain_scope,omitzero"`
	ConfigScope Nullable[IdPConfigScope] `json:"config_scope,omitzero"`
	// OrganizationDomainIDs replaces the list when not nil: an empty,
	// non-nil slice ([]uuid.UUID{}) removes every domain.
	OrganizationDomainIDs []DomainID `json:"organization_domain_ids,omitzero"`
	OIDCIssuerURL         *string    `json:"oidc_issuer_url,omitempty"`
	OIDCClientID          *string    `json:"oidc_client_id,omitempty"`
	// OIDCClientSecret replaces the saved secret; "" removes it; nil keeps
	// it.
	OIDCClientSecret *string `json:"oidc_client_secret,omitempty"`
	// The SAML and ID-JAG settings can be cleared with Null.
	SAMLEntityID Nullable[string] `json:"saml_entity_id,omitzero"`
	SAMLACSURL   Nullable[string] `json:"saml_acs_url,omitzero"`
	SAMLX509Cert Nullable[string] `json:"saml_x509_cert,omitzero"`
	// SCIMEnabled turns SCIM on (the answer carries the bearer token, once)
	// or off (the token is dropped).
	SCIMEnabled    *bool            `json:"scim_enabled,omitempty"`
	IDJAGIssuerURL Nullable[string] `json:"id_jag_issuer_url,omitzero"`
	IDJAGJWKSURL   Nullable[string] `json:"id_jag_jwks_url,omitzero"`
	// IDJAGAllowedClients replaces the list when not nil.
	IDJAGAllowedClients []string `json:"id_jag_allowed_clients,omitzero"`
}

// String describes the request with secrets redacted.
func (u IdentityProviderConfigUpdate) String() string {
	return redactedString("", u, idpRequestSecrets...)
}

// GoString is String for %#v.
func (u IdentityProviderConfigUpdate) GoString() string {
	return redactedString("posthogapi.IdentityProviderConfigUpdate", u, idpRequestSecrets...)
}

// IdPSCIMToken is the answer of IdentityProviderConfigs.SCIMToken: a new
// SCIM bearer token, sent only this once. Printing it with %v or %#v
// redacts the token.
type IdPSCIMToken struct {
	SCIMEnabled     bool   `json:"scim_enabled"`
	SCIMBearerToken string `json:"scim_bearer_token"`
}

// String describes the answer with the token redacted.
func (t IdPSCIMToken) String() string { return redactedString("", t, "scim_bearer_token") }

// GoString is String for %#v.
func (t IdPSCIMToken) GoString() string {
	return redactedString("posthogapi.IdPSCIMToken", t, "scim_bearer_token")
}

var idpRequestSecrets = []string{"saml_x509_cert", "oidc_client_secret"}

// redactedString renders v's JSON fields as {key:value ...}, keys sorted,
// with the secret keys that hold a value shown as [REDACTED].
func redactedString(typeName string, v any, secrets ...string) string {
	b, err := json.Marshal(v)
	if err != nil {
		return typeName + "{(unencodable)}"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return typeName + "{}"
	}
	return fieldsString(typeName, slices.Sorted(maps.Keys(m)), func(k string) string {
		val := string(m[k])
		for _, s := range secrets {
			if k == s && val != "null" {
				val = "[REDACTED]"
			}
		}
		return val
	})
}

// fieldsString renders typeName{k1:v1 k2:v2 ...} for keys in the given
// order, each value given by value.
func fieldsString(typeName string, keys []string, value func(k string) string) string {
	var sb strings.Builder
	sb.WriteString(typeName)
	sb.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(k)
		sb.WriteByte(':')
		sb.WriteString(value(k))
	}
	sb.WriteByte('}')
	return sb.String()
}

func idpCheckLen(name string, v *string, n int) error {
	if v != nil && utf8.RuneCountInString(*v) > n {
		return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidArgument, name, n)
	}
	return nil
}

func nullablePtr(n Nullable[string]) *string {
	if v, ok := n.Get(); ok {
		return &v
	}
	return nil
}

// checkOIDCIssuer mirrors PostHog's validate_oidc_issuer_url: after
// trimming, a non-empty issuer is an https URL without credentials, query
// or fragment.
func checkOIDCIssuer(v *string) error {
	if v == nil {
		return nil
	}
	s := strings.TrimSpace(*v)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: oidc_issuer_url: use an HTTPS issuer URL without credentials, a query, or a fragment", ErrInvalidArgument)
	}
	return nil
}

func checkDomainScope(s *IdPDomainScope) error {
	if s != nil && *s != IdPDomainScopeAll && *s != IdPDomainScopeSelected {
		return fmt.Errorf("%w: domain_scope %q is not %q or %q", ErrInvalidArgument, *s, IdPDomainScopeAll, IdPDomainScopeSelected)
	}
	return nil
}

func checkAllowedClients(clients []string) error {
	for _, c := range clients {
		if utf8.RuneCountInString(c) > 256 {
			return fmt.Errorf("%w: an id_jag_allowed_clients entry is longer than 256 characters", ErrInvalidArgument)
		}
	}
	return nil
}

// idpCommon is what Create and Update bodies have in common, for validate.
type idpCommon struct {
	name, entityID, acsURL, issuer, jwks, oidcIssuer, oidcSecret *string
	domainScope                                                  *IdPDomainScope
	domains                                                      []DomainID
	clients                                                      []string
}

func (c idpCommon) validate() error {
	for _, f := range []struct {
		name string
		v    *string
		n    int
	}{
		{"name", c.name, 255}, {"saml_entity_id", c.entityID, 512}, {"saml_acs_url", c.acsURL, 512},
		{"id_jag_issuer_url", c.issuer, 512}, {"id_jag_jwks_url", c.jwks, 512}, {"oidc_client_secret", c.oidcSecret, 4096},
	} {
		if err := idpCheckLen(f.name, f.v, f.n); err != nil {
			return err
		}
	}
	for _, id := range c.domains {
		if err := id.validate(); err != nil {
			return err
		}
	}
	if err := checkDomainScope(c.domainScope); err != nil {
		return err
	}
	if err := checkOIDCIssuer(c.oidcIssuer); err != nil {
		return err
	}
	return checkAllowedClients(c.clients)
}

func (c *IdentityProviderConfigCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil identity provider config", ErrInvalidArgument)
	}
	return idpCommon{
		name: c.Name, entityID: c.SAMLEntityID, acsURL: c.SAMLACSURL, issuer: c.IDJAGIssuerURL, jwks: c.IDJAGJWKSURL,
		oidcIssuer: c.OIDCIssuerURL, oidcSecret: c.OIDCClientSecret, domainScope: c.DomainScope,
		domains: c.OrganizationDomainIDs, clients: c.IDJAGAllowedClients,
	}.validate()
}

func (u *IdentityProviderConfigUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil identity provider config update", ErrInvalidArgument)
	}
	var scope *IdPDomainScope
	if s, ok := u.DomainScope.Get(); ok {
		scope = &s
	}
	return idpCommon{
		name: u.Name, entityID: nullablePtr(u.SAMLEntityID), acsURL: nullablePtr(u.SAMLACSURL),
		issuer: nullablePtr(u.IDJAGIssuerURL), jwks: nullablePtr(u.IDJAGJWKSURL),
		oidcIssuer: u.OIDCIssuerURL, oidcSecret: u.OIDCClientSecret, domainScope: scope,
		domains: u.OrganizationDomainIDs, clients: u.IDJAGAllowedClients,
	}.validate()
}

// List returns one page of the organization's identity provider
// configurations, oldest first.
//
// API: GET /api/organizations/{organization_id}/identity_provider_configs/ (scope organization:read)
func (s *IdentityProviderConfigsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[IdentityProviderConfig], error) {
	return list[IdentityProviderConfig](ctx, s.client, at("organizations", org, "identity_provider_configs"), opts)
}

// All iterates over every identity provider configuration of the
// organization, fetching pages as needed.
//
// API: GET /api/organizations/{organization_id}/identity_provider_configs/ (scope organization:read)
func (s *IdentityProviderConfigsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*IdentityProviderConfig, error] {
	return iterate[IdentityProviderConfig](ctx, s.client, at("organizations", org, "identity_provider_configs"), opts)
}

// Get returns one identity provider configuration.
//
// API: GET /api/organizations/{organization_id}/identity_provider_configs/{id}/ (scope organization:read)
func (s *IdentityProviderConfigsService) Get(ctx context.Context, org OrganizationID, id IdentityProviderConfigID) (*IdentityProviderConfig, error) {
	return get[IdentityProviderConfig](ctx, s.client, at("organizations", org, "identity_provider_configs", id), nil)
}

// Create adds an identity provider configuration. It needs an admin. With
// SCIMEnabled true the answer carries the SCIM bearer token, once. SCIM,
// OIDC and ID-JAG need the organization's plan to include them (an error
// with Code "feature_not_available"). A fully configured SAML or OIDC
// configuration may not share a verified domain with another of the same
// protocol (a validation error on domain_scope).
//
// API: POST /api/organizations/{organization_id}/identity_provider_configs/ (scope organization:write)
func (s *IdentityProviderConfigsService) Create(ctx context.Context, org OrganizationID, c *IdentityProviderConfigCreate) (*IdentityProviderConfig, error) {
	return send[IdentityProviderConfig](ctx, s.client, http.MethodPost, at("organizations", org, "identity_provider_configs").check(c.validate()), c)
}

// Update changes the fields set in upd (PATCH). It needs an admin. The
// answer carries the SCIM bearer token only when this update turned SCIM
// on.
//
// API: PATCH /api/organizations/{organization_id}/identity_provider_configs/{id}/ (scope organization:write)
func (s *IdentityProviderConfigsService) Update(ctx context.Context, org OrganizationID, id IdentityProviderConfigID, upd *IdentityProviderConfigUpdate) (*IdentityProviderConfig, error) {
	return s.write(ctx, http.MethodPatch, org, id, upd)
}

// Replace sends upd with PUT. No field of the configuration is required,
// so PostHog treats a PUT like a PATCH: fields left unset keep their
// values. It needs an admin.
//
// API: PUT /api/organizations/{organization_id}/identity_provider_configs/{id}/ (scope organization:write)
func (s *IdentityProviderConfigsService) Replace(ctx context.Context, org OrganizationID, id IdentityProviderConfigID, upd *IdentityProviderConfigReplace) (*IdentityProviderConfig, error) {
	return s.write(ctx, http.MethodPut, org, id, upd)
}

func (s *IdentityProviderConfigsService) write(ctx context.Context, method string, org OrganizationID, id IdentityProviderConfigID, upd *IdentityProviderConfigUpdate) (*IdentityProviderConfig, error) {
	return send[IdentityProviderConfig](ctx, s.client, method, at("organizations", org, "identity_provider_configs", id).check(upd.validate()), upd)
}

// CodeUnscopedConfig is the APIError Code of IdentityProviderConfigs.Delete
// on a configuration without a ConfigScope: PostHog refuses to delete it
// until one is set.
const CodeUnscopedConfig = "unscoped_config"

// Delete removes the configuration. It needs an admin. A configuration
// without a ConfigScope cannot be deleted (a validation error with Code
// CodeUnscopedConfig): set one with Update first.
//
// API: DELETE /api/organizations/{organization_id}/identity_provider_configs/{id}/ (scope organization:write)
func (s *IdentityProviderConfigsService) Delete(ctx context.Context, org OrganizationID, id IdentityProviderConfigID) error {
	return del(ctx, s.client, at("organizations", org, "identity_provider_configs", id))
}

// SCIMToken replaces the configuration's SCIM bearer token and returns the
// new one; PostHog never shows it again. SCIM must be enabled on the
// configuration (else a 400 whose Detail is "SCIM is not enabled for this
// config") and available to the organization (else a 403). It needs an
// admin.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope), so no personal API key gets through; WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration.
//
// API: POST /api/organizations/{organization_id}/identity_provider_configs/{id}/scim/token/ (scope none; personal API keys rejected)
func (s *IdentityProviderConfigsService) SCIMToken(ctx context.Context, org OrganizationID, id IdentityProviderConfigID) (*IdPSCIMToken, error) {
	return send[IdPSCIMToken](ctx, s.client, http.MethodPost, at("organizations", org, "identity_provider_configs", id, "scim", "token"), struct{}{})
}

// ListSCIMLogs returns one page of the configuration's SCIM request log,
// newest first, paged by page number like Domains.ListSCIMLogs. Only admins
// can read it.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope), so no personal API key gets through; WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration.
//
// API: GET /api/organizations/{organization_id}/identity_provider_configs/{id}/scim/logs/ (scope none; personal API keys rejected)
func (s *IdentityProviderConfigsService) ListSCIMLogs(ctx context.Context, org OrganizationID, id IdentityProviderConfigID, opts *SCIMLogOptions) (*Page[SCIMRequestLog], error) {
	return list[SCIMRequestLog](ctx, s.client, at("organizations", org, "identity_provider_configs", id, "scim", "logs").check(opts.validate()), opts)
}

// AllSCIMLogs iterates over the configuration's SCIM request log from
// opts.Page on, page by page, with the guards of Domains.AllSCIMLogs.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the iterator sends nothing and yields an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope); WithLegacyUnscopedKey sends it for a self-hosted PostHog
// older than that migration.
//
// API: GET /api/organizations/{organization_id}/identity_provider_configs/{id}/scim/logs/ (scope none; personal API keys rejected)
func (s *IdentityProviderConfigsService) AllSCIMLogs(ctx context.Context, org OrganizationID, id IdentityProviderConfigID, opts *SCIMLogOptions) iter.Seq2[*SCIMRequestLog, error] {
	return scimLogsAll(ctx, s.client, at("organizations", org, "identity_provider_configs", id, "scim", "logs"), opts)
}
