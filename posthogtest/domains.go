package posthogtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Domains behave as the newest PostHog posthog/api/organization_domain.py
// (OrganizationDomainSerializer, OrganizationDomainViewset): writes need an
// admin; just-in-time provisioning and SSO enforcement need a verified
// domain; SAML and SCIM live on identity provider configurations
// (identityproviderconfigs.go), so the serializer has no SAML/SCIM fields
// (DRF drops them from bodies) and there is no scim/token action; verify and
// scim/logs have no scope, so every personal API key is refused there
// (keys without scopes reach them only with LegacyUnscopedKeys).
//
// WithLegacyDomainSSO serves the older organization_domain.py instead
// (@0a516bc6: SAML and SCIM settings on the domain, scim/token, no
// identity_provider_configs route).

// domainProductFeatures shows SetDomainFeatures: automatic_provisioning
// and scim unless withheld.
func domainProductFeatures(s *Server, o *org) []map[string]any {
	f := s.domainFeaturesOf(o)
	var out []map[string]any
	if !f.noAutomaticProvisioning {
		out = append(out, productFeature("automatic_provisioning", "Automatic provisioning", nil))
	}
	if !f.noSCIM {
		out = append(out, productFeature("scim", "SCIM", nil))
	}
	return out
}

// WithLegacyDomainSSO makes the server behave as the older PostHog that kept
// SAML and SCIM settings on domains (PostHog's organization_domain.py before
// identity provider configurations): domain answers carry has_saml,
// saml_entity_id, saml_acs_url, saml_x509_cert, has_scim, scim_enabled and
// scim_bearer_token, updates change them, domains/{id}/scim/token/ exists,
// and /identity_provider_configs/ does not (404).
func WithLegacyDomainSSO() Option {
	return func(s *Server) { s.areas.domain.legacy = true }
}

func registerDomains(s *Server) {
	s.orgFeatureSources = append(s.orgFeatureSources, domainProductFeatures)
	const base = "/api/organizations/{organization_id}/domains/"
	s.routeViewSet(base, viewSet{scopeObject: "organization",
		list: handleDomainList, create: handleDomainCreate, retrieve: handleDomainGet,
		partialUpdate: handleDomainUpdate, update: handleDomainUpdate, destroy: handleDomainDelete})
	s.route("POST "+base+"{id}/verify/{$}", noScope, handleDomainVerify)
	if s.areas.domain.legacy {
		// PostHog (older): organization_domain.py OrganizationDomainViewset.scim_token.
		s.route("POST "+base+"{id}/scim/token/{$}", noScope, handleDomainSCIMToken)
	} else {
		registerIdentityProviderConfigs(s)
	}
	s.route("GET "+base+"{id}/scim/logs/{$}", noScope, handleDomainSCIMLogs)
}

type domainState struct {
	domains []*orgDomain
	// withheld lists, per organization, the paid features it lacks.
	withheld map[uuid.UUID]domainFeatures
	// legacy: SAML and SCIM on domains (WithLegacyDomainSSO).
	legacy bool
}

type domainFeatures struct {
	noAutomaticProvisioning, noSCIM, noOIDC, noXAA bool
}

func (s *Server) legacyDomainSSO() bool { return s.areas.domain.legacy }

type orgDomain struct {
	id                    uuid.UUID
	org                   *org
	name                  string
	challenge             string
	verifiedAt            *time.Time
	lastVerificationRetry *time.Time
	dnsPublished          bool
	jit                   bool
	sso                   string
	samlEntityID          *string
	samlACSURL            *string
	samlCert              *string
	scimEnabled           bool
	// scimToken is the current SCIM token. PostHog keeps only its hash, so
	// it is never sent again after the answer that created it.
	scimToken string
	logs      []*scimLog
}

type scimLog struct {
	id               uuid.UUID
	method, path     string
	headers          map[string]any
	reqBody          any
	status           int
	respBody         any
	identityProvider string
	durationMS       *int
	createdAt        time.Time
}

// domainRe is PostHog's DOMAIN_REGEX.
var domainRe = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$`)

func (d *orgDomain) hasSAML() bool {
	nonEmpty := func(p *string) bool { return p != nil && *p != "" }
	return nonEmpty(d.samlEntityID) && nonEmpty(d.samlACSURL) && nonEmpty(d.samlCert)
}

func (d *orgDomain) hasSCIM() bool { return d.scimEnabled && d.scimToken != "" }

func (rc *reqCtx) scimBaseURL(d *orgDomain) string {
	return "http://" + rc.r.Host + "/scim/v2/" + d.id.String()
}

// domainJSON renders a domain; token is the SCIM token to show once (or "").
func (rc *reqCtx) domainJSON(d *orgDomain, token string) map[string]any {
	if !rc.s.legacyDomainSSO() {
		// PostHog: organization_domain.py OrganizationDomainSerializer.Meta.fields
		// and get_scim_base_url.
		var baseURL any
		if c := rc.s.soleSCIMConfig(d); c != nil {
			baseURL = rc.configSCIMBaseURL(c)
		}
		return map[string]any{
			"id": d.id, "domain": d.name, "is_verified": d.verifiedAt != nil, "verified_at": d.verifiedAt,
			"verification_challenge": d.challenge, "jit_provisioning_enabled": d.jit,
			"sso_enforcement": d.sso, "scim_base_url": baseURL,
		}
	}
	var baseURL, bearer any
	if d.hasSCIM() {
		baseURL = rc.scimBaseURL(d)
	}
	if token != "" {
		bearer = token
	}
	return map[string]any{
		"id": d.id, "domain": d.name, "is_verified": d.verifiedAt != nil, "verified_at": d.verifiedAt,
		"verification_challenge": d.challenge, "jit_provisioning_enabled": d.jit,
		"sso_enforcement": d.sso, "has_saml": d.hasSAML(), "saml_entity_id": d.samlEntityID,
		"saml_acs_url": d.samlACSURL, "saml_x509_cert": d.samlCert, "has_scim": d.hasSCIM(),
		"scim_enabled": d.scimEnabled, "scim_base_url": baseURL, "scim_bearer_token": bearer,
	}
}

func (s *Server) domainFeaturesOf(o *org) domainFeatures {
	return s.areas.domain.withheld[o.id]
}

func (s *Server) domainNameTaken(name string) bool {
	for _, d := range s.areas.domain.domains {
		if !d.org.deleted && d.name == name {
			return true
		}
	}
	return false
}

func (s *Server) newDomain(o *org, name string) *orgDomain {
	d := &orgDomain{id: s.newID(), org: o, name: name, challenge: s.newSecret("")}
	st := &s.areas.domain
	st.domains = append(st.domains, d)
	return d
}

func (s *Server) findDomain(o *org, id uuid.UUID) *orgDomain {
	return findOrgItem(s.areas.domain.domains, o.id, id)
}

// domainFromPath resolves the {id} path value within o (404 otherwise).
// PostHog: posthog/api/organization_domain.py OrganizationDomainViewset
// (domains of the organization in the path).
func (rc *reqCtx) domainFromPath(o *org) *orgDomain {
	return orgItemFromPath(rc, o, rc.s.areas.domain.domains)
}

func handleDomainList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	mine := sortedBy(ofOrg(rc.s.areas.domain.domains, o.id), func(a, b *orgDomain) bool { return a.name < b.name })
	pageOf(rc, mine, func(d *orgDomain) map[string]any { return rc.domainJSON(d, "") })
}

func handleDomainGet(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	if d := rc.domainFromPath(o); d != nil {
		rc.json(http.StatusOK, rc.domainJSON(d, ""))
	}
}

func handleDomainCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	// PostHog: posthog/api/organization_domain.py OrganizationDomainSerializer:
	// the model's CharField(max_length=128, unique=True) is trimmed, its
	// UniqueValidator (DRF's message from the model's verbose name) runs
	// before validate_domain's pattern.
	name, ok := rc.charField(f, "domain", true, 128)
	if !ok {
		return
	}
	if rc.s.domainNameTaken(name) {
		rc.invalid("unique", "organization domain with this domain already exists.", "domain")
		return
	}
	if !domainRe.MatchString(name) {
		rc.invalid("invalid_input", "Please enter a valid domain or subdomain name.", "domain")
		return
	}
	var entity, acs, cert *string
	var ignoredBool bool
	var ignoredString string
	if !rc.s.legacyDomainSSO() {
		// PostHog: organization_domain.py OrganizationDomainSerializer: the
		// SAML/SCIM keys are not fields, so DRF drops them unread.
		for _, k := range []string{"saml_entity_id", "saml_acs_url", "saml_x509_cert", "scim_enabled"} {
			delete(f, k)
		}
		entity, acs, cert = nil, nil, nil
	}
	// jit_provisioning_enabled, sso_enforcement and scim_enabled are
	// type-checked, then dropped: they need a verified domain.
	if !rc.nullableStringMax(f, "saml_entity_id", 512, &entity) ||
		!rc.nullableStringMax(f, "saml_acs_url", 512, &acs) ||
		!rc.nullableStringMax(f, "saml_x509_cert", 0, &cert) ||
		!rc.boolField(f, "jit_provisioning_enabled", &ignoredBool) ||
		!rc.optString(f, "sso_enforcement", 28, &ignoredString) ||
		!rc.boolField(f, "scim_enabled", &ignoredBool) {
		return
	}
	if rc.s.domainFeaturesOf(o).noAutomaticProvisioning {
		rc.forbidden("Automatic provisioning is not enabled for this organization.")
		return
	}
	d := rc.s.newDomain(o, name)
	d.samlEntityID, d.samlACSURL, d.samlCert = entity, acs, cert
	rc.json(http.StatusCreated, rc.domainJSON(d, ""))
}

// handleDomainUpdate serves PATCH and PUT alike: the domain name, the only
// required field, is read-only on an existing domain.
func handleDomainUpdate(rc *reqCtx) {
	o, d := adminOrgItem(rc, (*reqCtx).domainFromPath)
	if d == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	if !rc.s.legacyDomainSSO() {
		// PostHog: organization_domain.py OrganizationDomainSerializer has no
		// SAML/SCIM fields: DRF drops those keys, the answer is a 200 with
		// nothing changed; only jit_provisioning_enabled and sso_enforcement
		// wait for verification (UPDATE_ONLY_WHEN_VERIFIED).
		for _, k := range []string{"saml_entity_id", "saml_acs_url", "saml_x509_cert", "scim_enabled"} {
			delete(f, k)
		}
	}
	next := *d
	scim := d.scimEnabled
	if !rc.boolField(f, "jit_provisioning_enabled", &next.jit) ||
		!rc.optString(f, "sso_enforcement", 28, &next.sso) ||
		!rc.nullableStringMax(f, "saml_entity_id", 512, &next.samlEntityID) ||
		!rc.nullableStringMax(f, "saml_acs_url", 512, &next.samlACSURL) ||
		!rc.nullableStringMax(f, "saml_x509_cert", 0, &next.samlCert) ||
		!rc.boolField(f, "scim_enabled", &scim) {
		return
	}
	if d.verifiedAt == nil {
		for _, attr := range []string{"jit_provisioning_enabled", "sso_enforcement", "scim_enabled"} {
			if _, present := f[attr]; present {
				rc.invalid("verification_required", "This attribute cannot be updated until the domain is verified.", attr)
				return
			}
		}
	}
	feats := rc.s.domainFeaturesOf(o)
	if _, present := f["jit_provisioning_enabled"]; present && next.jit && feats.noAutomaticProvisioning {
		rc.invalid("feature_not_available", "Automatic provisioning is not enabled for this organization.", "jit_provisioning_enabled")
		return
	}
	if _, present := f["scim_enabled"]; present && feats.noSCIM {
		rc.invalid("feature_not_available", "SCIM provisioning is not available for this organization.", "scim_enabled")
		return
	}
	token := ""
	switch {
	case scim && !d.scimEnabled:
		token = rc.s.newSecret("phs_scim_")
		next.scimEnabled, next.scimToken = true, token
	case !scim && d.scimEnabled:
		next.scimEnabled, next.scimToken = false, ""
	}
	*d = next
	rc.json(http.StatusOK, rc.domainJSON(d, token))
}

func handleDomainDelete(rc *reqCtx) {
	o, d := adminOrgItem(rc, (*reqCtx).domainFromPath)
	if d == nil {
		return
	}
	st := &rc.s.areas.domain
	if !st.legacy && d.verifiedAt != nil && o.enforceVerifiedDomains && !rc.s.verifiedDomainAdmits(o, d, rc.user.email) {
		// PostHog: organization_domain.py OrganizationDomainViewset.destroy
		// (newest): with enforce_verified_domains on, deleting the domain that
		// admits the acting user is refused.
		rc.error(http.StatusBadRequest, "validation_error", "would_block_self",
			"You can't delete this domain while membership is restricted to verified email domains, because your own email address would no longer be allowed. Turn off that setting first.", "")
		return
	}
	rc.s.unlinkDomain(d)
	removeItem(&st.domains, d)
	rc.noContent()
}

// PostHog: posthog/api/organization_domain.py
// OrganizationDomainViewset.verify.
func handleDomainVerify(rc *reqCtx) {
	_, d := adminOrgItem(rc, (*reqCtx).domainFromPath)
	if d == nil {
		return
	}
	if d.verifiedAt != nil {
		rc.invalid("already_verified", "This domain has already been verified.", "")
		return
	}
	now := rc.s.now()
	if d.dnsPublished {
		d.verifiedAt, d.lastVerificationRetry = &now, nil
	} else {
		d.lastVerificationRetry = &now
	}
	rc.json(http.StatusOK, rc.domainJSON(d, ""))
}

// PostHog: posthog/api/organization_domain.py (older servers' scim/token
// action; WithLegacyDomainSSO).
func handleDomainSCIMToken(rc *reqCtx) {
	o, d := adminOrgItem(rc, (*reqCtx).domainFromPath)
	if d == nil {
		return
	}
	if !rc.newSCIMToken(o, d.scimEnabled, "domain", &d.scimToken) {
		return
	}
	rc.json(http.StatusOK, map[string]any{
		"scim_enabled": true, "scim_base_url": rc.scimBaseURL(d), "scim_bearer_token": d.scimToken,
	})
}

// newSCIMToken answers 403 where the organization has no SCIM and 400
// where the item (named by what) has SCIM off; otherwise it sets *token to
// a new bearer token. It serves the scim/token actions of domains (older
// servers) and identity provider configs, which check in this order.
// PostHog: posthog/api/organization_domain.py (scim/token action) and
// IdentityProviderConfigViewSet.scim_token.
func (rc *reqCtx) newSCIMToken(o *org, enabled bool, what string, token *string) bool {
	if rc.s.domainFeaturesOf(o).noSCIM {
		rc.forbidden("SCIM is not available for this organization")
		return false
	}
	if !enabled {
		rc.detailOnly(http.StatusBadRequest, "SCIM is not enabled for this "+what)
		return false
	}
	*token = rc.s.newSecret("phs_scim_")
	return true
}

func scimLogJSON(l *scimLog) map[string]any {
	headers := l.headers
	if headers == nil {
		headers = map[string]any{}
	}
	return map[string]any{
		"id": l.id, "request_method": l.method, "request_path": l.path, "request_headers": headers,
		"request_body": l.reqBody, "response_status": l.status, "response_body": l.respBody,
		"identity_provider": l.identityProvider, "duration_ms": l.durationMS, "created_at": l.createdAt,
	}
}

// PostHog: posthog/api/organization_domain.py scim_logs with
// posthog/api/scim_request_log.py SCIMRequestLogFilter.
func handleDomainSCIMLogs(rc *reqCtx) {
	o, m := rc.orgFromPath()
	if o == nil {
		return
	}
	if m.level < LevelAdmin {
		rc.forbidden("Only organization admins can view SCIM logs.")
		return
	}
	d := rc.domainFromPath(o)
	if d == nil {
		return
	}
	rc.scimLogPage(rc.s.domainSCIMLogs(d))
}

// scimLogPage filters and pages SCIM request logs.
// PostHog: posthog/api/scim_request_log.py SCIMRequestLogFilter and
// SCIMRequestLogPagination (page size 20, at most 100).
func (rc *reqCtx) scimLogPage(all []*scimLog) {
	// django-filter drops filter values that do not parse.
	q := rc.r.URL.Query()
	statusMin, hasMin := scimNumberFilter(q.Get("status_min"))
	statusMax, hasMax := scimNumberFilter(q.Get("status_max"))
	after, hasAfter := scimTimeFilter(q.Get("after"))
	before, hasBefore := scimTimeFilter(q.Get("before"))
	search := strings.ToLower(q.Get("search"))
	logs := sortedBy(all, func(a, b *scimLog) bool {
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.After(b.createdAt)
		}
		return a.id.String() > b.id.String()
	})
	var out []map[string]any
	for _, l := range logs {
		switch {
		case hasMin && float64(l.status) < statusMin,
			hasMax && float64(l.status) > statusMax,
			hasAfter && l.createdAt.Before(after),
			hasBefore && l.createdAt.After(before):
			continue
		}
		if search != "" {
			body, _ := json.Marshal(l.reqBody)
			if !strings.Contains(strings.ToLower(l.path), search) && !strings.Contains(strings.ToLower(string(body)), search) {
				continue
			}
		}
		out = append(out, scimLogJSON(l))
	}
	pageNumberPagination(rc, out, 20, 100)
}

func scimNumberFilter(v string) (float64, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func scimTimeFilter(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// pageNumberPagination answers DRF's PageNumberPagination: page (1-based; "last"
// allowed; anything else out of range is a 404 "Invalid page.") and
// page_size (default def, capped at maxSize; invalid values give def), with
// absolute next and previous links.
func pageNumberPagination[T any](rc *reqCtx, items []T, def, maxSize int) {
	q := rc.r.URL.Query()
	size := def
	if v := q.Get("page_size"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			size = min(n, maxSize)
		}
	}
	pages := max(1, (len(items)+size-1)/size)
	n := 1
	if v := q.Get("page"); v != "" {
		if v == "last" {
			n = pages
		} else if p, err := strconv.Atoi(v); err == nil {
			n = p
		} else {
			n = 0
		}
	}
	if n < 1 || n > pages {
		rc.error(http.StatusNotFound, "invalid_request", "not_found", "Invalid page.", "")
		return
	}
	lo, hi := (n-1)*size, min(n*size, len(items))
	results := items[min(lo, len(items)):hi]
	if results == nil {
		results = []T{}
	}
	body := struct {
		Count    int     `json:"count"`
		Next     *string `json:"next"`
		Previous *string `json:"previous"`
		Results  []T     `json:"results"`
	}{Count: len(items), Results: results}
	link := func(p int) *string {
		v := rc.r.URL.Query()
		if p == 1 {
			v.Del("page")
		} else {
			v.Set("page", strconv.Itoa(p))
		}
		u := url.URL{Scheme: "http", Host: rc.r.Host, Path: rc.r.URL.Path, RawQuery: v.Encode()}
		s := u.String()
		return &s
	}
	if n < pages {
		body.Next = link(n + 1)
	}
	if n > 1 {
		body.Previous = link(n - 1)
	}
	rc.json(http.StatusOK, body)
}

// ----- seeding ---------------------------------------------------------------

// Domain is an organization's domain on the server.
type Domain struct {
	ID           posthogapi.DomainID
	Organization posthogapi.OrganizationID
	Domain       string
	// VerificationChallenge is the value PostHog expects in the DNS TXT
	// record _posthog-challenge.<domain>.
	VerificationChallenge string
	Verified              bool
	SCIMEnabled           bool
}

func (d *orgDomain) public() Domain {
	return Domain{
		ID: posthogapi.DomainID(d.id), Organization: posthogapi.OrganizationID(d.org.id), Domain: d.name, VerificationChallenge: d.challenge,
		Verified: d.verifiedAt != nil, SCIMEnabled: d.scimEnabled,
	}
}

func (s *Server) mustDomain(orgID, id uuid.UUID) *orgDomain {
	return must(s.findDomain(s.mustOrg(orgID), id), "no domain %s in organization %s", id, orgID)
}

// AddDomain adds an unverified domain (trimmed) to the organization, as an
// admin's Domains.Create would. It panics if the organization does not exist or
// the name is taken or not a domain PostHog accepts.
func (s *Server) AddDomain(orgID posthogapi.OrganizationID, name string) Domain {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	name = strings.TrimSpace(name) // as the API stores it
	if !domainRe.MatchString(name) || s.domainNameTaken(name) {
		panic(fmt.Sprintf("posthogtest: cannot add domain %q", name))
	}
	return s.newDomain(o, name).public()
}

// Domains returns the organization's domains, sorted by name.
func (s *Server) Domains(orgID posthogapi.OrganizationID) []Domain {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Domain
	for _, d := range sortedBy(s.areas.domain.domains, func(a, b *orgDomain) bool { return a.name < b.name }) {
		if posthogapi.OrganizationID(d.org.id) == orgID && !d.org.deleted {
			out = append(out, d.public())
		}
	}
	return out
}

// VerifyDomain marks the domain verified now, as a successful DNS check
// would. It panics if there is no such domain.
func (s *Server) VerifyDomain(orgID posthogapi.OrganizationID, id posthogapi.DomainID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.mustDomain(uuid.UUID(orgID), uuid.UUID(id))
	now := s.now()
	d.verifiedAt, d.lastVerificationRetry = &now, nil
}

// PublishDNSChallenge makes the domain's DNS TXT record
// _posthog-challenge.<domain> hold its verification challenge, so that the
// next verify request succeeds (without it, verify leaves the domain
// unverified, as a missing record does). It panics if there is no such
// domain.
func (s *Server) PublishDNSChallenge(orgID posthogapi.OrganizationID, id posthogapi.DomainID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustDomain(uuid.UUID(orgID), uuid.UUID(id)).dnsPublished = true
}

// SetDomainFeatures sets whether the organization has the paid features the
// domain API checks: automatic provisioning (creating domains, just-in-time
// provisioning) and SCIM. Both are on until this is called.
func (s *Server) SetDomainFeatures(orgID posthogapi.OrganizationID, automaticProvisioning, scim bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.domain
	if st.withheld == nil {
		st.withheld = map[uuid.UUID]domainFeatures{}
	}
	st.withheld[uuid.UUID(orgID)] = domainFeatures{noAutomaticProvisioning: !automaticProvisioning, noSCIM: !scim}
}

// SCIMLogSeed describes a SCIM request log entry for AddSCIMLog.
type SCIMLogSeed struct {
	// Method and Path are the SCIM request's (such as "POST" and
	// "/scim/v2/<domain id>/Users").
	Method, Path string
	Headers      map[string]any
	// RequestBody and ResponseBody are any JSON-encodable values (nil: null).
	RequestBody, ResponseBody any
	// Status is the response status (0: 200).
	Status int
	// IdentityProvider such as "okta" (""; "other").
	IdentityProvider string
	// DurationMS is the handling time (nil: not recorded).
	DurationMS *int
	// CreatedAt is the entry's time (zero: now).
	CreatedAt time.Time
}

// AddSCIMLog records a SCIM request against the domain, as an identity
// provider's call would, and returns the entry's ID. It panics if there is
// no such domain.
func (s *Server) AddSCIMLog(orgID posthogapi.OrganizationID, domainID posthogapi.DomainID, seed SCIMLogSeed) uuid.UUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.mustDomain(uuid.UUID(orgID), uuid.UUID(domainID))
	l := s.newSCIMLog(seed, "/scim/v2/"+d.id.String()+"/Users")
	d.logs = append(d.logs, l)
	return l.id
}

// newSCIMLog builds a log entry from seed; path is the default request path.
func (s *Server) newSCIMLog(seed SCIMLogSeed, path string) *scimLog {
	l := &scimLog{
		id: s.newID(), method: seed.Method, path: seed.Path, headers: seed.Headers,
		reqBody: seed.RequestBody, status: seed.Status, respBody: seed.ResponseBody,
		identityProvider: seed.IdentityProvider, durationMS: seed.DurationMS,
		createdAt: seed.CreatedAt.UTC().Truncate(time.Microsecond),
	}
	if l.method == "" {
		l.method = http.MethodGet
	}
	if l.path == "" {
		l.path = path
	}
	if l.status == 0 {
		l.status = http.StatusOK
	}
	if l.identityProvider == "" {
		l.identityProvider = "other"
	}
	if seed.CreatedAt.IsZero() {
		l.createdAt = s.now()
	}
	return l
}
