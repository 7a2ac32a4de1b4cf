package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Identity provider configurations behave as the newest PostHog
// posthog/api/identity_provider_config.py (IdentityProviderConfigSerializer,
// IdentityProviderConfigViewSet, registered in posthog/api/__init__.py as
// organizations/{id}/identity_provider_configs/): scope_object
// "organization"; reads for any member, writes for admins
// (OrganizationAdminWritePermissions); scim/token and scim/logs have no
// scope, so every personal API key is refused there (keys without scopes
// reach them only with LegacyUnscopedKeys). Knowingly more lenient:
// the SSRF check of the ID-JAG and OIDC URLs (is_url_allowed) is not made.
// Not served with WithLegacyDomainSSO.

func registerIdentityProviderConfigs(s *Server) {
	const base = "/api/organizations/{organization_id}/identity_provider_configs/"
	s.routeViewSet(base, viewSet{scopeObject: "organization",
		list: handleIdPList, create: handleIdPCreate, retrieve: handleIdPGet,
		partialUpdate: handleIdPUpdate, update: handleIdPUpdate, destroy: handleIdPDelete})
	s.route("POST "+base+"{id}/scim/token/{$}", noScope, handleIdPSCIMToken)
	s.route("GET "+base+"{id}/scim/logs/{$}", noScope, handleIdPSCIMLogs)
}

type idpState struct {
	configs []*idpConfig
}

type idpConfig struct {
	id                     uuid.UUID
	org                    *org
	name                   string
	domainScope            *string
	configScope            *string
	domains                []uuid.UUID
	createdAt, updatedAt   time.Time
	oidcIssuer, oidcClient string
	oidcSecret             string
	relayState             string
	samlEntityID           *string
	samlACSURL             *string
	samlCert               *string
	scimEnabled            bool
	scimSlug               string
	// scimToken is the current SCIM token; PostHog keeps only its hash.
	scimToken    string
	idJAGIssuer  *string
	idJAGJWKS    *string
	idJAGClients []string
	logs         []*scimLog
}

// PostHog: posthog/models/identity_provider_config.py ConfigScope and
// DomainScope (the "oidc" value is referred to by the newest serializer).
var (
	idpConfigScopes = []string{"saml", "scim", "xaa", "oidc"}
	idpDomainScopes = []string{"all", "selected"}
)

func nonEmpty(p *string) bool { return p != nil && *p != "" }

// PostHog: IdentityProviderConfig.has_saml / has_scim / has_id_jag and the
// serializer's has_oidc ("an issuer, client ID, and client secret").
func (c *idpConfig) hasSAML() bool {
	return nonEmpty(c.samlEntityID) && nonEmpty(c.samlACSURL) && nonEmpty(c.samlCert)
}
func (c *idpConfig) hasSCIM() bool  { return c.scimEnabled && c.scimToken != "" }
func (c *idpConfig) hasIDJAG() bool { return nonEmpty(c.idJAGIssuer) }
func (c *idpConfig) hasOIDC() bool {
	return c.oidcIssuer != "" && c.oidcClient != "" && c.oidcSecret != ""
}
func (c *idpConfig) scope() string {
	if c.configScope == nil {
		return ""
	}
	return *c.configScope
}

// appliesTo reports whether the configuration covers domain d: it lists it,
// or its domain scope is "all".
func (c *idpConfig) appliesTo(d *orgDomain) bool {
	return c.org == d.org && ((c.domainScope != nil && *c.domainScope == "all") || slices.Contains(c.domains, d.id))
}

func (rc *reqCtx) configSCIMBaseURL(c *idpConfig) any {
	if c.scimSlug == "" {
		return nil
	}
	return "http://" + rc.r.Host + "/scim/v2/" + c.scimSlug
}

// soleSCIMConfig is the configuration whose SCIM base URL a domain shows.
// PostHog: organization_domain.py OrganizationDomainSerializer.get_scim_base_url
// (exactly one SCIM-scoped configuration with SCIM enabled, which has a token
// and a slug).
func (s *Server) soleSCIMConfig(d *orgDomain) *idpConfig {
	var found []*idpConfig
	for _, c := range s.areas.idp.configs {
		if c.scope() == "scim" && c.scimEnabled && c.appliesTo(d) {
			found = append(found, c)
		}
	}
	if len(found) != 1 || !found[0].hasSCIM() || found[0].scimSlug == "" {
		return nil
	}
	return found[0]
}

// domainSCIMLogs are the log entries a domain's scim/logs shows.
// PostHog: organization_domain.py OrganizationDomainViewset.scim_logs (newest:
// entries of the domain or of its identity provider configurations).
func (s *Server) domainSCIMLogs(d *orgDomain) []*scimLog {
	if s.legacyDomainSSO() {
		return d.logs
	}
	logs := slices.Clone(d.logs)
	for _, c := range s.areas.idp.configs {
		if c.appliesTo(d) {
			logs = append(logs, c.logs...)
		}
	}
	return logs
}

// verifiedDomainAdmits reports whether a verified domain of o other than d
// matches the email address's domain (case-insensitive).
// PostHog: organization_domain.py OrganizationDomainViewset.destroy.
func (s *Server) verifiedDomainAdmits(o *org, d *orgDomain, email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	for _, x := range s.areas.domain.domains {
		if x != d && x.org == o && x.verifiedAt != nil && strings.EqualFold(x.name, email[at+1:]) {
			return true
		}
	}
	return false
}

// unlinkDomain drops a deleted domain from every configuration.
// PostHog: LinkedIdentityProviderConfig rows cascade with the domain.
func (s *Server) unlinkDomain(d *orgDomain) {
	for _, c := range s.areas.idp.configs {
		c.domains = slices.DeleteFunc(c.domains, func(id uuid.UUID) bool { return id == d.id })
	}
}

func (rc *reqCtx) idpJSON(c *idpConfig, token string) map[string]any {
	var bearer any
	if token != "" {
		bearer = token
	}
	domains := make([]string, 0, len(c.domains))
	for _, id := range c.domains {
		domains = append(domains, id.String())
	}
	clients := c.idJAGClients
	if clients == nil {
		clients = []string{}
	}
	return map[string]any{
		"id": c.id, "name": c.name, "domain_scope": c.domainScope, "config_scope": c.configScope,
		"organization_domain_ids": domains, "created_at": c.createdAt, "updated_at": c.updatedAt,
		"has_saml": c.hasSAML(), "has_oidc": c.hasOIDC(), "has_oidc_client_secret": c.oidcSecret != "",
		"oidc_issuer_url": c.oidcIssuer, "oidc_client_id": c.oidcClient, "saml_relay_state": c.relayState,
		"saml_entity_id": c.samlEntityID, "saml_acs_url": c.samlACSURL, "saml_x509_cert": c.samlCert,
		"has_scim": c.hasSCIM(), "scim_enabled": c.scimEnabled, "scim_base_url": rc.configSCIMBaseURL(c),
		"scim_bearer_token": bearer, "has_id_jag": c.hasIDJAG(), "id_jag_issuer_url": c.idJAGIssuer,
		"id_jag_jwks_url": c.idJAGJWKS, "id_jag_allowed_clients": clients,
	}
}

// PostHog: posthog/api/identity_provider_config.py
// IdentityProviderConfigViewSet (configs of the organization in the path).
func (rc *reqCtx) idpFromPath(o *org) *idpConfig {
	return orgItemFromPath(rc, o, rc.s.areas.idp.configs)
}

func handleIdPList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	// PostHog: IdentityProviderConfigViewSet.queryset orders by created_at.
	pageOf(rc, ofOrg(rc.s.areas.idp.configs, o.id), func(c *idpConfig) map[string]any { return rc.idpJSON(c, "") })
}

func handleIdPGet(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	if c := rc.idpFromPath(o); c != nil {
		rc.json(http.StatusOK, rc.idpJSON(c, ""))
	}
}

// choiceField reads a nullable choice: null clears it, anything else must be
// one of choices (400 invalid_choice).
// PostHog: posthog/api/identity_provider_config.py
// IdentityProviderConfigSerializer (choice fields, DRF ChoiceField).
func (rc *reqCtx) choiceField(f map[string]json.RawMessage, name string, choices []string, dst **string) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	if isNull(raw) {
		*dst = nil
		return true
	}
	var v string
	if json.Unmarshal(raw, &v) != nil || !slices.Contains(choices, v) {
		rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", strings.Trim(string(raw), `"`)), name)
		return false
	}
	*dst = &v
	return true
}

// idpWrite applies a create or update body to next. It answers the 400 and
// returns ok false on a bad body; scim is the scim_enabled value sent (nil:
// absent).
// PostHog: identity_provider_config.py IdentityProviderConfigSerializer
// (field declarations, validate_* and validate).
func (rc *reqCtx) idpWrite(f map[string]json.RawMessage, next *idpConfig) (scim *bool, ok bool) {
	var domainRaw, clientsRaw json.RawMessage
	var scimSent bool
	var scimVal bool
	if !rc.optString(f, "name", 255, &next.name) ||
		!rc.choiceField(f, "domain_scope", idpDomainScopes, &next.domainScope) ||
		!rc.choiceField(f, "config_scope", idpConfigScopes, &next.configScope) ||
		!rc.optString(f, "oidc_client_id", 0, &next.oidcClient) ||
		!rc.optString(f, "oidc_client_secret", 4096, &next.oidcSecret) ||
		!rc.nullableStringMax(f, "saml_entity_id", 512, &next.samlEntityID) ||
		!rc.nullableStringMax(f, "saml_acs_url", 512, &next.samlACSURL) ||
		!rc.nullableStringMax(f, "saml_x509_cert", 0, &next.samlCert) ||
		!rc.boolField(f, "scim_enabled", &scimVal) ||
		!rc.nullableStringMax(f, "id_jag_issuer_url", 512, &next.idJAGIssuer) ||
		!rc.nullableStringMax(f, "id_jag_jwks_url", 512, &next.idJAGJWKS) {
		return nil, false
	}
	if _, scimSent = f["scim_enabled"]; scimSent {
		scim = &scimVal
	}
	// PostHog: validate_oidc_issuer_url (trimmed; https, no credentials,
	// query or fragment).
	if _, present := f["oidc_issuer_url"]; present {
		var issuer string
		if !rc.optString(f, "oidc_issuer_url", 0, &issuer) {
			return nil, false
		}
		issuer = strings.TrimSpace(issuer)
		if issuer != "" {
			u, err := url.Parse(issuer)
			if err != nil || u.Scheme != "https" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
				rc.invalid("invalid_input", "Use an HTTPS issuer URL without credentials, a query, or a fragment.", "oidc_issuer_url")
				return nil, false
			}
		}
		next.oidcIssuer = issuer
	}
	// PostHog: _normalize_optional_url (trim, drop trailing slashes, blank
	// is null).
	for _, p := range []**string{&next.idJAGIssuer, &next.idJAGJWKS} {
		if *p != nil {
			v := strings.TrimRight(strings.TrimSpace(**p), "/")
			if v == "" {
				*p = nil
			} else {
				*p = &v
			}
		}
	}
	if clientsRaw = f["id_jag_allowed_clients"]; clientsRaw != nil {
		var clients []string
		if isNull(clientsRaw) || json.Unmarshal(clientsRaw, &clients) != nil {
			rc.invalid("not_a_list", "Expected a list of items but got type \"str\".", "id_jag_allowed_clients")
			return nil, false
		}
		for _, c := range clients {
			if utf8.RuneCountInString(c) > 256 {
				rc.invalid("max_length", "Ensure this field has no more than 256 characters.", "id_jag_allowed_clients")
				return nil, false
			}
		}
		next.idJAGClients = clients
	}
	domainsSent := false
	if domainRaw, domainsSent = f["organization_domain_ids"]; domainsSent {
		var raw []string
		if isNull(domainRaw) || json.Unmarshal(domainRaw, &raw) != nil {
			rc.invalid("not_a_list", "Expected a list of items but got type \"str\".", "organization_domain_ids")
			return nil, false
		}
		// PostHog: OrgScopedPrimaryKeyRelatedField: a domain of this
		// organization, else does_not_exist.
		ids := []uuid.UUID{}
		for _, v := range raw {
			id, err := uuid.Parse(v)
			if err != nil || rc.s.findDomain(next.org, id) == nil {
				rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk %q - object does not exist.", v), "organization_domain_ids")
				return nil, false
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		next.domains = ids
	}
	feats := rc.s.domainFeaturesOf(next.org)
	oidcSent := false
	for _, k := range []string{"oidc_issuer_url", "oidc_client_id", "oidc_client_secret"} {
		var v string
		if raw, ok := f[k]; ok && json.Unmarshal(raw, &v) == nil && strings.TrimSpace(v) != "" {
			oidcSent = true
		}
	}
	switch {
	case oidcSent && feats.noOIDC:
		rc.invalid("feature_not_available", "OIDC is not available for this organization.", "oidc_issuer_url")
		return nil, false
	case oidcSent && next.scope() != "oidc":
		rc.invalid("invalid_input", "Use an OIDC configuration for OIDC settings.", "config_scope")
		return nil, false
	case scimSent && feats.noSCIM:
		rc.invalid("feature_not_available", "SCIM provisioning is not available for this organization.", "scim_enabled")
		return nil, false
	case nonEmpty(next.idJAGIssuer) && f["id_jag_issuer_url"] != nil && feats.noXAA:
		rc.invalid("feature_not_available", "XAA (ID-JAG) is not available for this organization.", "id_jag_issuer_url")
		return nil, false
	}
	if rc.s.idpOverlaps(next) {
		protocol := "SAML"
		if next.scope() == "oidc" {
			protocol = "OIDC"
		}
		rc.invalid("invalid_input", fmt.Sprintf("This %s configuration overlaps with another %s configuration on one or more verified domains. Choose different domains before saving.", protocol, protocol), "domain_scope")
		return nil, false
	}
	return scim, true
}

// idpOverlaps reports whether a fully configured SAML or OIDC configuration
// shares a verified domain with another configured one of its protocol.
// PostHog: IdentityProviderConfigSerializer.validate (the overlap check).
func (s *Server) idpOverlaps(c *idpConfig) bool {
	isOIDC := c.scope() == "oidc"
	if (isOIDC && !c.hasOIDC()) || (!isOIDC && !c.hasSAML()) {
		return false
	}
	verified := func(id uuid.UUID) bool {
		d := s.findDomain(c.org, id)
		return d != nil && d.verifiedAt != nil
	}
	orgHasVerified := false
	for _, d := range s.areas.domain.domains {
		if d.org == c.org && d.verifiedAt != nil {
			orgHasVerified = true
		}
	}
	var proposed []uuid.UUID
	for _, id := range c.domains {
		if verified(id) {
			proposed = append(proposed, id)
		}
	}
	for _, o := range s.areas.idp.configs {
		if o.id == c.id || o.org != c.org {
			continue
		}
		if isOIDC {
			if o.scope() != "oidc" || !o.hasOIDC() {
				continue
			}
		} else if !o.hasSAML() || (o.configScope != nil && o.scope() != "saml") {
			continue
		}
		switch {
		case c.domainScope != nil && *c.domainScope == "all":
			if orgHasVerified {
				return true
			}
		case len(proposed) > 0:
			if o.domainScope != nil && *o.domainScope == "all" {
				return true
			}
			for _, id := range proposed {
				if slices.Contains(o.domains, id) {
					return true
				}
			}
		}
	}
	return false
}

// setSCIM turns SCIM on (a new token and, once, a slug) or off.
// PostHog: ee/api/scim/utils.py enable_scim_for_config / disable_scim_for_config.
func (s *Server) setSCIM(c *idpConfig, on bool) string {
	if !on {
		c.scimEnabled, c.scimToken = false, ""
		return ""
	}
	c.scimEnabled, c.scimToken = true, s.newSecret("phs_scim_")
	if c.scimSlug == "" {
		c.scimSlug = s.newID().String()
	}
	return c.scimToken
}

func handleIdPCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	now := rc.s.now()
	c := &idpConfig{id: rc.s.newID(), org: o, createdAt: now, updatedAt: now}
	scim, ok := rc.idpWrite(f, c)
	if !ok {
		return
	}
	c.relayState = rc.s.newID().String()
	token := ""
	if scim != nil && *scim {
		token = rc.s.setSCIM(c, true)
	}
	st := &rc.s.areas.idp
	st.configs = append(st.configs, c)
	rc.json(http.StatusCreated, rc.idpJSON(c, token))
}

// handleIdPUpdate serves PATCH and PUT alike: no field is required.
func handleIdPUpdate(rc *reqCtx) {
	_, c := adminOrgItem(rc, (*reqCtx).idpFromPath)
	if c == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	next := *c
	next.domains = slices.Clone(c.domains)
	scim, ok := rc.idpWrite(f, &next)
	if !ok {
		return
	}
	// PostHog: IdentityProviderConfigSerializer.update (a token only when
	// this update turns SCIM on).
	token := ""
	if scim != nil && *scim != c.scimEnabled {
		token = rc.s.setSCIM(&next, *scim)
	}
	next.updatedAt = rc.s.now()
	*c = next
	rc.json(http.StatusOK, rc.idpJSON(c, token))
}

func handleIdPDelete(rc *reqCtx) {
	_, c := adminOrgItem(rc, (*reqCtx).idpFromPath)
	if c == nil {
		return
	}
	if c.configScope == nil {
		// PostHog: IdentityProviderConfigViewSet.destroy.
		rc.error(http.StatusBadRequest, "validation_error", "unscoped_config",
			"This identity provider configuration cannot be deleted until it has a feature scope.", "")
		return
	}
	st := &rc.s.areas.idp
	st.configs = slices.DeleteFunc(st.configs, func(x *idpConfig) bool { return x == c })
	rc.noContent()
}

func handleIdPSCIMToken(rc *reqCtx) {
	o, c := adminOrgItem(rc, (*reqCtx).idpFromPath)
	if c == nil {
		return
	}
	// PostHog: IdentityProviderConfigViewSet.scim_token.
	if !rc.newSCIMToken(o, c.scimEnabled, "config", &c.scimToken) {
		return
	}
	rc.json(http.StatusOK, map[string]any{"scim_enabled": true, "scim_bearer_token": c.scimToken})
}

func handleIdPSCIMLogs(rc *reqCtx) {
	o, m := rc.orgFromPath()
	if o == nil {
		return
	}
	// PostHog: IdentityProviderConfigViewSet.scim_logs (get_object first,
	// then the admin check).
	c := rc.idpFromPath(o)
	if c == nil {
		return
	}
	if m.level < LevelAdmin {
		rc.forbidden("Only organization admins can view SCIM logs.")
		return
	}
	rc.scimLogPage(c.logs)
}

// ----- seeding ---------------------------------------------------------------

// SetEnforceVerifiedDomains turns the organization's
// enforce_verified_domains setting on or off, as Organizations.Update
// would: it is the one setting that the organization's answers show and
// the domain API reads (with it on, deleting a verified domain that alone
// admits the caller's email address answers 400 would_block_self). It
// panics if there is no such organization.
func (s *Server) SetEnforceVerifiedDomains(orgID posthogapi.OrganizationID, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	o.enforceVerifiedDomains = on
}

// SetIdentityProviderFeatures sets whether the organization's plan includes
// OIDC and XAA (ID-JAG) for identity provider configurations. Both are on
// until this is called; SCIM follows SetDomainFeatures.
func (s *Server) SetIdentityProviderFeatures(orgID posthogapi.OrganizationID, oidc, xaa bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.domain
	if st.withheld == nil {
		st.withheld = map[uuid.UUID]domainFeatures{}
	}
	f := st.withheld[uuid.UUID(orgID)]
	f.noOIDC, f.noXAA = !oidc, !xaa
	st.withheld[uuid.UUID(orgID)] = f
}

// IdentityProviderConfigSummary is an identity provider configuration on
// the server.
type IdentityProviderConfigSummary struct {
	ID           posthogapi.IdentityProviderConfigID
	Organization posthogapi.OrganizationID
	Name         string
	// ConfigScope is "" when unset.
	ConfigScope string
	HasSAML     bool
	SCIMEnabled bool
	Domains     []posthogapi.DomainID
}

// IdentityProviderConfigs returns the organization's identity provider
// configurations, oldest first.
func (s *Server) IdentityProviderConfigs(orgID posthogapi.OrganizationID) []IdentityProviderConfigSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IdentityProviderConfigSummary
	for _, c := range s.areas.idp.configs {
		if posthogapi.OrganizationID(c.org.id) == orgID {
			out = append(out, IdentityProviderConfigSummary{
				ID: posthogapi.IdentityProviderConfigID(c.id), Organization: orgID, Name: c.name, ConfigScope: c.scope(),
				HasSAML: c.hasSAML(), SCIMEnabled: c.scimEnabled, Domains: typedIDs[posthogapi.DomainID](c.domains),
			})
		}
	}
	return out
}

// AddIdentityProviderConfigSCIMLog records a SCIM request against the
// identity provider configuration, as an identity provider's call would,
// and returns the entry's ID. It panics if there is no such configuration.
func (s *Server) AddIdentityProviderConfigSCIMLog(orgID posthogapi.OrganizationID, configID posthogapi.IdentityProviderConfigID, seed SCIMLogSeed) uuid.UUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := must(findOrgItem(s.areas.idp.configs, uuid.UUID(orgID), uuid.UUID(configID)), "no identity provider config %s in organization %s", configID, orgID)
	l := s.newSCIMLog(seed, "/scim/v2/"+c.id.String()+"/Users")
	c.logs = append(c.logs, l)
	return l.id
}
