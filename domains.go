package posthogapi

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// DomainsService manages verified domains: /api/organizations/{organization_id}/domains/.
//
// On the newest PostHog servers SAML and SCIM are configured with
// IdentityProviderConfigs, not on domains: the domain SAML/SCIM fields and
// Domains.SCIMToken are deprecated and only work on older servers (a newer
// server ignores the fields, answering 200 with nothing changed, and has no
// scim/token route).
//
// A domain starts unverified. PostHog verifies it when a DNS TXT record
// _posthog-challenge.<domain> holds its VerificationChallenge and Verify is
// called; until then just-in-time provisioning, SSO enforcement and SCIM
// cannot be turned on (an error with Code "verification_required").
type DomainsService service

// SSOEnforcement names the login method a verified domain enforces. PostHog
// stores it as a free string of at most 28 characters; the values it acts on
// are the names of its login backends.
type SSOEnforcement string

// Known SSO enforcement values.
const (
	// SSOEnforcementNone enforces nothing (any login method).
	SSOEnforcementNone SSOEnforcement = ""
	// SSOEnforcementGoogle enforces Google login.
	SSOEnforcementGoogle SSOEnforcement = "google-oauth2"
	// SSOEnforcementGitHub enforces GitHub login.
	SSOEnforcementGitHub SSOEnforcement = "github"
	// SSOEnforcementGitLab enforces GitLab login.
	SSOEnforcementGitLab SSOEnforcement = "gitlab"
	// SSOEnforcementSAML enforces the domain's SAML identity provider.
	SSOEnforcementSAML SSOEnforcement = "saml"
)

// OrganizationDomain is a domain of an organization, as PostHog sends it.
// Printing it with %v or %#v redacts the SCIM bearer token.
type OrganizationDomain struct {
	ID DomainID `json:"id"`
	// Domain is the domain name, such as "example.com". It cannot be
	// changed after creation.
	Domain string `json:"domain"`
	// IsVerified reports whether PostHog verified the domain.
	IsVerified bool `json:"is_verified"`
	// VerifiedAt is when the domain was verified; nil while unverified.
	VerifiedAt *time.Time `json:"verified_at"`
	// VerificationChallenge is the value to publish in a DNS TXT record
	// named _posthog-challenge.<domain> before calling Verify.
	VerificationChallenge  string         `json:"verification_challenge"`
	JITProvisioningEnabled bool           `json:"jit_provisioning_enabled"`
	SSOEnforcement         SSOEnforcement `json:"sso_enforcement"`
	// HasSAML reports whether all three SAML settings are filled in.
	//
	// Deprecated: only older servers send it; use IdentityProviderConfig.HasSAML.
	HasSAML bool `json:"has_saml"`
	// Deprecated: only older servers send it; use IdentityProviderConfig.SAMLEntityID.
	SAMLEntityID *string `json:"saml_entity_id"`
	// Deprecated: only older servers send it; use IdentityProviderConfig.SAMLACSURL.
	SAMLACSURL *string `json:"saml_acs_url"`
	// Deprecated: only older servers send it; use IdentityProviderConfig.SAMLX509Cert.
	SAMLX509Cert *string `json:"saml_x509_cert"`
	// HasSCIM reports whether SCIM is configured and enabled.
	//
	// Deprecated: only older servers send it; use IdentityProviderConfig.HasSCIM.
	HasSCIM bool `json:"has_scim"`
	// Deprecated: only older servers send it; use IdentityProviderConfig.SCIMEnabled.
	SCIMEnabled bool `json:"scim_enabled"`
	// SCIMBaseURL (read-only) is the SCIM endpoint to give the identity
	// provider; nil unless SCIM is on. Older servers set it when SCIM is
	// enabled on the domain; the newest set it when exactly one SCIM
	// identity provider configuration with SCIM enabled applies to the
	// domain (the same URL as its IdentityProviderConfig.SCIMBaseURL).
	SCIMBaseURL *string `json:"scim_base_url"`
	// SCIMBearerToken is set only in the answer of the update that turned
	// SCIM on; PostHog keeps only a hash and never sends it again.
	//
	// Deprecated: only older servers send it; use
	// IdentityProviderConfig.SCIMBearerToken and IdentityProviderConfigs.SCIMToken.
	SCIMBearerToken *string `json:"scim_bearer_token"`
}

// String describes the domain with the SCIM bearer token redacted.
func (d OrganizationDomain) String() string {
	return redactedString("", d, "scim_bearer_token")
}

// GoString is String for %#v.
func (d OrganizationDomain) GoString() string {
	return redactedString("posthogapi.OrganizationDomain", d, "scim_bearer_token")
}

// DomainCreate is the body of Domains.Create. Just-in-time provisioning,
// SSO enforcement and SCIM need a verified domain, so they are set later
// with Domains.Update.
type DomainCreate struct {
	// Domain is required: lower-case labels separated by dots, ending in
	// a top-level domain of letters (PostHog's pattern
	// ^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$), at most 128 characters.
	Domain string `json:"domain"`
	// Deprecated: newer servers ignore it; use IdentityProviderConfigCreate.SAMLEntityID.
	SAMLEntityID *string `json:"saml_entity_id,omitempty"`
	// Deprecated: newer servers ignore it; use IdentityProviderConfigCreate.SAMLACSURL.
	SAMLACSURL *string `json:"saml_acs_url,omitempty"`
	// Deprecated: newer servers ignore it; use IdentityProviderConfigCreate.SAMLX509Cert.
	SAMLX509Cert *string `json:"saml_x509_cert,omitempty"`
}

// DomainReplace is the body of Domains.Replace. The domain name is
// read-only after creation, so PostHog's PUT reads the fields of a PATCH:
// it is DomainUpdate.
type DomainReplace = DomainUpdate

// DomainUpdate is the body of Domains.Update (PATCH) and, as
// DomainReplace, of Domains.Replace (PUT): only set fields are sent. The domain name cannot be changed, so it
// is not here. JITProvisioningEnabled and SSOEnforcement (and SCIMEnabled on
// older servers) are refused (Code "verification_required") until the
// domain is verified.
type DomainUpdate struct {
	JITProvisioningEnabled *bool           `json:"jit_provisioning_enabled,omitempty"`
	SSOEnforcement         *SSOEnforcement `json:"sso_enforcement,omitempty"`
	// The SAML settings can be cleared with Null.
	//
	// Deprecated: newer servers ignore it (200, nothing changed); use
	// IdentityProviderConfigUpdate.SAMLEntityID.
	SAMLEntityID Nullable[string] `json:"saml_entity_id,omitzero"`
	// Deprecated: newer servers ignore it; use IdentityProviderConfigUpdate.SAMLACSURL.
	SAMLACSURL Nullable[string] `json:"saml_acs_url,omitzero"`
	// Deprecated: newer servers ignore it; use IdentityProviderConfigUpdate.SAMLX509Cert.
	SAMLX509Cert Nullable[string] `json:"saml_x509_cert,omitzero"`
	// SCIMEnabled turns SCIM on or off. The answer of the update that turns
	// it on carries the SCIM bearer token, once.
	//
	// Deprecated: newer servers ignore it; use IdentityProviderConfigUpdate.SCIMEnabled.
	SCIMEnabled *bool `json:"scim_enabled,omitempty"`
}

// SCIMToken is the answer of Domains.SCIMToken: a new SCIM bearer token,
// sent only this once. Printing it with %v or %#v redacts the token.
//
// Deprecated: only older servers answer it; see IdPSCIMToken.
type SCIMToken struct {
	SCIMEnabled     bool   `json:"scim_enabled"`
	SCIMBaseURL     string `json:"scim_base_url"`
	SCIMBearerToken string `json:"scim_bearer_token"`
}

// String describes the answer with the token redacted.
func (t SCIMToken) String() string { return redactedString("", t, "scim_bearer_token") }

// GoString is String for %#v.
func (t SCIMToken) GoString() string {
	return redactedString("posthogapi.SCIMToken", t, "scim_bearer_token")
}

// SCIMRequestLog is one request an identity provider made to the domain's
// SCIM endpoint, as PostHog logged it (sensitive values masked by PostHog).
type SCIMRequestLog struct {
	ID             uuid.UUID      `json:"id"`
	RequestMethod  string         `json:"request_method"`
	RequestPath    string         `json:"request_path"`
	RequestHeaders map[string]any `json:"request_headers"`
	// RequestBody and ResponseBody are the JSON bodies as logged: nil, or
	// the JSON text "null", when there was none.
	RequestBody    json.RawMessage `json:"request_body"`
	ResponseStatus int             `json:"response_status"`
	ResponseBody   json.RawMessage `json:"response_body"`
	// IdentityProvider is the provider PostHog recognised, such as "okta".
	IdentityProvider string `json:"identity_provider"`
	// DurationMS is how long PostHog took to answer; nil when not recorded.
	DurationMS *int      `json:"duration_ms"`
	CreatedAt  time.Time `json:"created_at"`
}

// MaxSCIMLogPageSize is the largest page size PostHog serves for SCIM logs.
const MaxSCIMLogPageSize = 100

// SCIMLogOptions filters and pages the SCIM request logs
// (Domains.ListSCIMLogs, Domains.AllSCIMLogs and their
// IdentityProviderConfigs twins). PostHog pages them by page number, not by
// offset.
type SCIMLogOptions struct {
	// Page is the 1-based page number (0: the first page).
	Page int `url:"page,omitempty"`
	// PageSize is the number of entries per page, at most 100 (0: PostHog's
	// default, 20).
	PageSize int `url:"page_size,omitempty"`
	// StatusMin and StatusMax keep entries whose response status is within
	// the bounds (0: no bound).
	StatusMin int `url:"status_min,omitempty"`
	StatusMax int `url:"status_max,omitempty"`
	// Search matches the request path and body (PostHog also matches the
	// masked form of an email address).
	Search string `url:"search,omitempty"`
	// After and Before keep entries created at or after, and at or before,
	// these times.
	After  *time.Time `url:"after,omitempty"`
	Before *time.Time `url:"before,omitempty"`
}

func (o *SCIMLogOptions) validate() error {
	if o == nil {
		return nil
	}
	switch {
	case o.Page < 0:
		return fmt.Errorf("%w: negative SCIM log page", ErrInvalidArgument)
	case o.PageSize < 0 || o.PageSize > MaxSCIMLogPageSize:
		return fmt.Errorf("%w: SCIM log page size must be between 1 and %d", ErrInvalidArgument, MaxSCIMLogPageSize)
	case o.StatusMin < 0 || o.StatusMax < 0:
		return fmt.Errorf("%w: negative status bound", ErrInvalidArgument)
	case o.StatusMin > 0 && o.StatusMax > 0 && o.StatusMin > o.StatusMax:
		return fmt.Errorf("%w: status_min %d is above status_max %d", ErrInvalidArgument, o.StatusMin, o.StatusMax)
	case o.After != nil && o.Before != nil && o.After.After(*o.Before):
		return fmt.Errorf("%w: SCIM log window ends before it starts", ErrInvalidArgument)
	}
	return nil
}

// domainRe is PostHog's DOMAIN_REGEX (posthog/api/organization_domain.py).
var domainRe = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$`)

func checkDomainName(d string) error {
	switch {
	case d == "":
		return fmt.Errorf("%w: domain is empty", ErrInvalidArgument)
	case len(d) > 128:
		return fmt.Errorf("%w: domain is longer than 128 characters", ErrInvalidArgument)
	case !domainRe.MatchString(d):
		return fmt.Errorf("%w: %q is not a domain PostHog accepts (lower-case labels of letters, digits and inner hyphens, ending in a letters-only top-level domain)", ErrInvalidArgument, d)
	}
	return nil
}

func checkSAML(name string, v *string) error {
	if v != nil && utf8.RuneCountInString(*v) > 512 {
		return fmt.Errorf("%w: %s is longer than 512 characters", ErrInvalidArgument, name)
	}
	return nil
}

func (c *DomainCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil domain", ErrInvalidArgument)
	}
	if err := checkDomainName(c.Domain); err != nil {
		return err
	}
	if err := checkSAML("saml_entity_id", c.SAMLEntityID); err != nil {
		return err
	}
	return checkSAML("saml_acs_url", c.SAMLACSURL)
}

func (u *DomainUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil domain update", ErrInvalidArgument)
	}
	if u.SSOEnforcement != nil && utf8.RuneCountInString(string(*u.SSOEnforcement)) > 28 {
		return fmt.Errorf("%w: sso_enforcement is longer than 28 characters", ErrInvalidArgument)
	}
	for _, f := range []struct {
		name string
		v    Nullable[string]
	}{{"saml_entity_id", u.SAMLEntityID}, {"saml_acs_url", u.SAMLACSURL}} {
		if s, ok := f.v.Get(); ok {
			if err := checkSAML(f.name, &s); err != nil {
				return err
			}
		}
	}
	return nil
}

// List returns one page of the organization's domains, sorted by name.
//
// API: GET /api/organizations/{organization_id}/domains/ (scope organization:read)
func (s *DomainsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[OrganizationDomain], error) {
	return list[OrganizationDomain](ctx, s.client, at("organizations", org, "domains"), opts)
}

// All iterates over every domain of the organization, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/domains/ (scope organization:read)
func (s *DomainsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*OrganizationDomain, error] {
	return iterate[OrganizationDomain](ctx, s.client, at("organizations", org, "domains"), opts)
}

// Get returns one domain.
//
// API: GET /api/organizations/{organization_id}/domains/{id}/ (scope organization:read)
func (s *DomainsService) Get(ctx context.Context, org OrganizationID, id DomainID) (*OrganizationDomain, error) {
	return get[OrganizationDomain](ctx, s.client, at("organizations", org, "domains", id), nil)
}

// Create adds an unverified domain to the organization. It needs an admin.
// A domain belongs to at most one organization on the instance; on PostHog
// Cloud the organization also needs the automatic provisioning feature.
//
// API: POST /api/organizations/{organization_id}/domains/ (scope organization:write)
func (s *DomainsService) Create(ctx context.Context, org OrganizationID, d *DomainCreate) (*OrganizationDomain, error) {
	return send[OrganizationDomain](ctx, s.client, http.MethodPost, at("organizations", org, "domains").check(d.validate()), d)
}

// Update changes the fields set in upd (PATCH). It needs an admin.
//
// API: PATCH /api/organizations/{organization_id}/domains/{id}/ (scope organization:write)
func (s *DomainsService) Update(ctx context.Context, org OrganizationID, id DomainID, upd *DomainUpdate) (*OrganizationDomain, error) {
	return s.write(ctx, http.MethodPatch, org, id, upd)
}

// Replace sends upd with PUT. The domain name is read-only after creation
// and need not be sent, so PostHog treats a PUT like a PATCH: fields left
// unset keep their values. It needs an admin.
//
// API: PUT /api/organizations/{organization_id}/domains/{id}/ (scope organization:write)
func (s *DomainsService) Replace(ctx context.Context, org OrganizationID, id DomainID, upd *DomainReplace) (*OrganizationDomain, error) {
	return s.write(ctx, http.MethodPut, org, id, upd)
}

func (s *DomainsService) write(ctx context.Context, method string, org OrganizationID, id DomainID, upd *DomainUpdate) (*OrganizationDomain, error) {
	return send[OrganizationDomain](ctx, s.client, method, at("organizations", org, "domains", id).check(upd.validate()), upd)
}

// CodeWouldBlockSelf is the APIError Code of Domains.Delete when PostHog
// refuses to delete a verified domain because the organization restricts
// membership to verified email domains (enforce_verified_domains) and the
// caller's own email address would no longer be admitted. Turn that setting
// off first. The error also matches ErrValidation.
const CodeWouldBlockSelf = "would_block_self"

// Delete removes the domain (with its SSO and SCIM settings on older
// servers). It needs an admin. On the newest servers, deleting a verified
// domain while the organization enforces verified domains fails with Code
// CodeWouldBlockSelf when no other verified domain admits the caller's
// email address.
//
// API: DELETE /api/organizations/{organization_id}/domains/{id}/ (scope organization:write)
func (s *DomainsService) Delete(ctx context.Context, org OrganizationID, id DomainID) error {
	return del(ctx, s.client, at("organizations", org, "domains", id))
}

// Verify asks PostHog to check the domain's DNS TXT record
// _posthog-challenge.<domain> against its VerificationChallenge. It returns
// the domain: IsVerified tells whether the check passed (a missing record is
// not an error). An already verified domain gives an error with Code
// "already_verified". It needs an admin.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope), so no personal API key gets through; WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration.
//
// API: POST /api/organizations/{organization_id}/domains/{id}/verify/ (scope none; personal API keys rejected)
func (s *DomainsService) Verify(ctx context.Context, org OrganizationID, id DomainID) (*OrganizationDomain, error) {
	return send[OrganizationDomain](ctx, s.client, http.MethodPost, at("organizations", org, "domains", id, "verify"), struct{}{})
}

// SCIMToken replaces the domain's SCIM bearer token and returns the new one;
// PostHog never shows it again.
//
// Deprecated: the newest servers have no such route (ErrNotFound); SCIM
// tokens belong to identity provider configurations there: use
// IdentityProviderConfigs.SCIMToken. SCIM must be enabled on the domain (else a
// 400 whose Detail is "SCIM is not enabled for this domain") and available
// to the organization (else a 403). It needs an admin.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope), so no personal API key gets through; WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration.
//
// API: POST /api/organizations/{organization_id}/domains/{id}/scim/token/ (scope none; personal API keys rejected)
func (s *DomainsService) SCIMToken(ctx context.Context, org OrganizationID, id DomainID) (*SCIMToken, error) {
	return send[SCIMToken](ctx, s.client, http.MethodPost, at("organizations", org, "domains", id, "scim", "token"), struct{}{})
}

// ListSCIMLogs returns one page of the domain's SCIM request log, newest
// first; Page.Count is the number of matching entries across all pages.
// Only admins can read it. On the newest servers the log also holds the
// requests logged against the identity provider configurations linked to
// the domain.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope), so no personal API key gets through; WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration.
//
// API: GET /api/organizations/{organization_id}/domains/{id}/scim/logs/ (scope none; personal API keys rejected)
func (s *DomainsService) ListSCIMLogs(ctx context.Context, org OrganizationID, id DomainID, opts *SCIMLogOptions) (*Page[SCIMRequestLog], error) {
	return list[SCIMRequestLog](ctx, s.client, at("organizations", org, "domains", id, "scim", "logs").check(opts.validate()), opts)
}

// AllSCIMLogs iterates over the domain's SCIM request log from opts.Page
// on, requesting page after page by number (PostHog's next links are used
// only to tell whether there is a next page, never followed). opts is copied
// when AllSCIMLogs is called and never modified; pages are fetched lazily.
// The iterator yields an error and stops on a request error and on a page
// that makes no progress (an empty page that claims a next one, a page that
// repeats the previous one, or a next link that does not point to a later
// page).
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the iterator sends nothing and yields an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope); WithLegacyUnscopedKey sends it for a self-hosted PostHog
// older than that migration.
//
// API: GET /api/organizations/{organization_id}/domains/{id}/scim/logs/ (scope none; personal API keys rejected)
func (s *DomainsService) AllSCIMLogs(ctx context.Context, org OrganizationID, id DomainID, opts *SCIMLogOptions) iter.Seq2[*SCIMRequestLog, error] {
	return scimLogsAll(ctx, s.client, at("organizations", org, "domains", id, "scim", "logs"), opts)
}

// scimLogsAll iterates over the SCIM request log at r (domains and
// identity provider configurations page theirs alike), page by page.
func scimLogsAll(ctx context.Context, c *Client, r route, opts *SCIMLogOptions) iter.Seq2[*SCIMRequestLog, error] {
	if r = r.check(opts.validate()); r.err != nil {
		return errSeq[SCIMRequestLog](r.err)
	}
	var q SCIMLogOptions
	if opts != nil {
		q = *opts
		if q.After != nil {
			t := *q.After
			q.After = &t
		}
		if q.Before != nil {
			t := *q.Before
			q.Before = &t
		}
	}
	fetch := func(page int) (*Page[SCIMRequestLog], error) {
		cur := q
		cur.Page = page
		return list[SCIMRequestLog](ctx, c, r, &cur)
	}
	return pageNumberAll(c.apiPrefix+r.path, q.Page, fetch, func(l *SCIMRequestLog) uuid.UUID { return l.ID })
}
