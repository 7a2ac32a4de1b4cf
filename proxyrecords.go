package posthogapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// ProxyRecordsService manages managed reverse proxy records: /api/organizations/{organization_id}/proxy_records/.
//
// A proxy record puts a domain of yours (such as e.example.com) in front of
// PostHog: after you point the domain's CNAME at ProxyRecord.TargetCNAME,
// PostHog verifies it, issues a certificate and starts serving. Writes need
// an organization admin. Many of PostHog's answers here are a bare
// {"detail": "..."}; they surface as *APIError like any other.
type ProxyRecordsService service

// ProxyRecordStatus is a proxy record's provisioning state.
type ProxyRecordStatus string

// Proxy record states.
const (
	// ProxyRecordWaiting: DNS verification pending.
	ProxyRecordWaiting ProxyRecordStatus = "waiting"
	// ProxyRecordIssuing: the SSL certificate is being issued.
	ProxyRecordIssuing ProxyRecordStatus = "issuing"
	// ProxyRecordValid: the proxy is live.
	ProxyRecordValid ProxyRecordStatus = "valid"
	// ProxyRecordWarning: the proxy has issues but works.
	ProxyRecordWarning ProxyRecordStatus = "warning"
	// ProxyRecordErroring: setup failed (Retry is allowed).
	ProxyRecordErroring ProxyRecordStatus = "erroring"
	// ProxyRecordDeleting: removal in progress.
	ProxyRecordDeleting ProxyRecordStatus = "deleting"
	// ProxyRecordTimedOut: DNS verification timed out (Retry is allowed).
	ProxyRecordTimedOut ProxyRecordStatus = "timed_out"
)

// Valid reports whether s is one of PostHog's proxy record states.
func (s ProxyRecordStatus) Valid() bool {
	switch s {
	case ProxyRecordWaiting, ProxyRecordIssuing, ProxyRecordValid, ProxyRecordWarning,
		ProxyRecordErroring, ProxyRecordDeleting, ProxyRecordTimedOut:
		return true
	}
	return false
}

// ProxyRecord is a managed reverse proxy.
type ProxyRecord struct {
	ID     ProxyRecordID `json:"id"`
	Domain string        `json:"domain"`
	// TargetCNAME is the host your domain's CNAME record must point to.
	TargetCNAME string            `json:"target_cname"`
	Status      ProxyRecordStatus `json:"status"`
	// Message explains an error or warning; nil when there is none.
	Message   *string   `json:"message"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// CreatedBy is the integer ID of the user who created the record (nil
	// when that user is gone).
	CreatedBy *int64 `json:"created_by"`
}

// ProxyRecordList is the answer of ProxyRecords.List: every record of the
// organization, newest first, and the plan's limit. It is a list, not a
// Page: PostHog sends no count or links and ignores limit and offset, so
// ProxyRecords has no All iterator.
type ProxyRecordList struct {
	Results []ProxyRecord `json:"results"`
	// MaxProxyRecords is how many records the organization's plan allows
	// (0 from older servers, which answer a bare list).
	MaxProxyRecords int `json:"max_proxy_records"`
}

// UnmarshalJSON decodes PostHog's {"results", "max_proxy_records"} and the
// bare list of records older servers answer.
func (l *ProxyRecordList) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var rs []ProxyRecord
		if err := json.Unmarshal(t, &rs); err != nil {
			return err
		}
		*l = ProxyRecordList{Results: rs}
		return nil
	}
	type plain ProxyRecordList
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*l = ProxyRecordList(p)
	return nil
}

// ProxyRecordReplace is the body of ProxyRecords.Replace: PostHog's PUT
// reads the fields of a create (the domain), so it is ProxyRecordCreate.
type ProxyRecordReplace = ProxyRecordCreate

// ProxyRecordCreate is the body of ProxyRecords.Create and, as
// ProxyRecordReplace, of ProxyRecords.Replace.
type ProxyRecordCreate struct {
	// Domain is the subdomain to proxy through, such as "e.example.com"
	// (at most 64 characters).
	Domain string `json:"domain"`
}

// ProxyRecordUpdate is the body of ProxyRecords.Update (PATCH).
type ProxyRecordUpdate struct {
	Domain *string `json:"domain,omitempty"`
}

// ProxyDiagnosticStatus is the overall outcome of a diagnostic report.
type ProxyDiagnosticStatus string

// Diagnostic outcomes.
const (
	ProxyDiagnosticHealthy ProxyDiagnosticStatus = "healthy"
	ProxyDiagnosticWarn    ProxyDiagnosticStatus = "warn"
	ProxyDiagnosticFail    ProxyDiagnosticStatus = "fail"
)

// ProxyCheckStatus is the outcome of one diagnostic check.
type ProxyCheckStatus string

// Diagnostic check outcomes.
const (
	ProxyCheckPassed  ProxyCheckStatus = "passed"
	ProxyCheckWarned  ProxyCheckStatus = "warned"
	ProxyCheckFailed  ProxyCheckStatus = "failed"
	ProxyCheckSkipped ProxyCheckStatus = "skipped"
)

// ProxyRemediationType is the kind of fix a failed check asks for.
type ProxyRemediationType string

// Remediation kinds.
const (
	// ProxyRemediationDNS: change DNS records (see Records).
	ProxyRemediationDNS ProxyRemediationType = "dns"
	// ProxyRemediationConfig: change your server's configuration.
	ProxyRemediationConfig ProxyRemediationType = "config"
	// ProxyRemediationWait: nothing to do; PostHog will resolve it.
	ProxyRemediationWait ProxyRemediationType = "wait"
	// ProxyRemediationRetry: call ProxyRecords.Retry.
	ProxyRemediationRetry ProxyRemediationType = "retry"
)

// ProxyDiagnosticReport is the answer of ProxyRecords.Diagnose.
type ProxyDiagnosticReport struct {
	RanAt   time.Time              `json:"ran_at"`
	Summary ProxyDiagnosticSummary `json:"summary"`
	// Checks are in the order they ran.
	Checks []ProxyDiagnosticCheck `json:"checks"`
}

// ProxyDiagnosticSummary is a diagnostic report's overall outcome.
type ProxyDiagnosticSummary struct {
	Status ProxyDiagnosticStatus `json:"status"`
	// PrimaryIssue is the ID of the most actionable failed check; nil when
	// healthy.
	PrimaryIssue *string `json:"primary_issue"`
	// NextAction is one sentence on what to do next; nil when healthy.
	NextAction *string `json:"next_action"`
}

// ProxyDiagnosticCheck is one check of a diagnostic report.
type ProxyDiagnosticCheck struct {
	// ID is a stable check name: cname, cloudflare, caa, http_challenge,
	// live_event, cert_expiry.
	ID     string           `json:"id"`
	Name   string           `json:"name"`
	Status ProxyCheckStatus `json:"status"`
	Detail string           `json:"detail"`
	// Remediation says how to fix a failed check; nil when there is
	// nothing to do.
	Remediation *ProxyRemediation `json:"remediation"`
}

// ProxyRemediation is the fix for a failed diagnostic check.
type ProxyRemediation struct {
	Type    ProxyRemediationType `json:"type"`
	Summary string               `json:"summary"`
	// Records are the DNS records to add (empty unless Type is dns).
	Records []ProxyDNSRecord `json:"records"`
}

// ProxyDNSRecord is a DNS record a remediation asks for.
type ProxyDNSRecord struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

func checkProxyDomain(domain string) error {
	switch {
	case strings.TrimSpace(domain) == "":
		return fmt.Errorf("%w: proxy domain is empty", ErrInvalidArgument)
	case utf8.RuneCountInString(domain) > 64:
		return fmt.Errorf("%w: proxy domain is longer than 64 characters", ErrInvalidArgument)
	case strings.ContainsAny(domain, " \t\r\n/"):
		return fmt.Errorf("%w: proxy domain %q is not a host name", ErrInvalidArgument, domain)
	}
	return nil
}

func (c *ProxyRecordCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil proxy record", ErrInvalidArgument)
	}
	return checkProxyDomain(c.Domain)
}

func (u *ProxyRecordUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil update", ErrInvalidArgument)
	}
	if u.Domain != nil {
		return checkProxyDomain(*u.Domain)
	}
	return nil
}

// List returns every proxy record of the organization, newest first, with
// the plan's limit. The list is not paginated.
//
// API: GET /api/organizations/{organization_id}/proxy_records/ (scope organization:read)
func (s *ProxyRecordsService) List(ctx context.Context, org OrganizationID) (*ProxyRecordList, error) {
	return get[ProxyRecordList](ctx, s.client, at("organizations", org, "proxy_records"), nil)
}

// Create adds a proxy record in the waiting state; point the domain's
// CNAME at the answer's TargetCNAME to continue. It needs an admin. Beyond
// the plan's limit PostHog answers 400 {"detail": "Maximum of N proxy
// records per organization."}. Newer servers answer 201, older ones 200.
//
// Domains are unique across all of PostHog, not per organization, and
// PostHog does not check it before writing: a domain that any
// organization's record already has fails in its database with a 500, and
// nothing is created. A 500 to a POST may also come after a write, so
// Create reports it as ErrOutcomeUnknown (never retried); list the
// organization's records to learn whether the domain is there. The
// database also limits domains to 64 characters (a 500 too), which Create
// checks before sending.
//
// API: POST /api/organizations/{organization_id}/proxy_records/ (scope organization:write)
func (s *ProxyRecordsService) Create(ctx context.Context, org OrganizationID, record *ProxyRecordCreate) (*ProxyRecord, error) {
	return send[ProxyRecord](ctx, s.client, http.MethodPost, at("organizations", org, "proxy_records").check(record.validate()), record)
}

// Get returns one proxy record.
//
// API: GET /api/organizations/{organization_id}/proxy_records/{id}/ (scope organization:read)
func (s *ProxyRecordsService) Get(ctx context.Context, org OrganizationID, id ProxyRecordID) (*ProxyRecord, error) {
	return get[ProxyRecord](ctx, s.client, at("organizations", org, "proxy_records", id), nil)
}

// Update changes the record's domain (PATCH) on older servers; newer
// servers allow only GET, POST and DELETE on proxy
// records and answer 405 (an *APIError with Code "method_not_allowed"):
// delete the record and create a new one instead.
//
// API: PATCH /api/organizations/{organization_id}/proxy_records/{id}/ (scope organization:write)
func (s *ProxyRecordsService) Update(ctx context.Context, org OrganizationID, id ProxyRecordID, upd *ProxyRecordUpdate) (*ProxyRecord, error) {
	return send[ProxyRecord](ctx, s.client, http.MethodPatch, at("organizations", org, "proxy_records", id).check(upd.validate()), upd)
}

// Replace sets the record's domain (PUT) on older servers; newer servers
// allow only GET, POST and DELETE on proxy
// records and answer 405 (an *APIError with Code "method_not_allowed"):
// delete the record and create a new one instead.
//
// API: PUT /api/organizations/{organization_id}/proxy_records/{id}/ (scope organization:write)
func (s *ProxyRecordsService) Replace(ctx context.Context, org OrganizationID, id ProxyRecordID, record *ProxyRecordReplace) (*ProxyRecord, error) {
	return send[ProxyRecord](ctx, s.client, http.MethodPut, at("organizations", org, "proxy_records", id).check(record.validate()), record)
}

// proxyDeleteResult is PostHog's answer to a proxy record DELETE.
type proxyDeleteResult struct {
	Success bool `json:"success"`
}

// Delete removes a proxy record; it needs an admin. A record that is
// waiting, erroring or timed out is removed at once; any other record moves
// to the deleting state while PostHog tears the proxy down, and is removed
// when that finishes. PostHog answers 200 {"success": true}.
//
// API: DELETE /api/organizations/{organization_id}/proxy_records/{id}/ (scope organization:write)
func (s *ProxyRecordsService) Delete(ctx context.Context, org OrganizationID, id ProxyRecordID) error {
	_, err := send[proxyDeleteResult](ctx, s.client, http.MethodDelete, at("organizations", org, "proxy_records", id), nil)
	return err
}

// Retry restarts provisioning of a record that is erroring or timed out
// (older servers also allow issuing); the record goes back to waiting. In
// another state PostHog answers 400 {"detail": "Cannot retry proxy in ...
// state."}. It needs an admin. PostHog requires no scope for this action,
// which means personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: POST /api/organizations/{organization_id}/proxy_records/{id}/retry/ (scope none; personal API keys rejected)
func (s *ProxyRecordsService) Retry(ctx context.Context, org OrganizationID, id ProxyRecordID) (*ProxyRecord, error) {
	return send[ProxyRecord](ctx, s.client, http.MethodPost, at("organizations", org, "proxy_records", id, "retry"), nil)
}

// Diagnose runs PostHog's checks on a proxy (CNAME, certificate provider,
// CAA records, HTTP challenge, a live event, certificate expiry) and
// returns a report with remediations. Only newer servers have it. It
// needs an admin, and PostHog allows one run per user
// and record every 30 seconds, answering 429 {"detail": "A diagnostic was
// just run ..."} inside that window (the client retries it like any 429,
// then returns a *RateLimitError). PostHog requires no scope for this
// action, which means personal API keys are rejected: with one, the call
// returns ErrPersonalAPIKeyNotSupported.
//
// API: POST /api/organizations/{organization_id}/proxy_records/{id}/diagnose/ (scope none; personal API keys rejected)
func (s *ProxyRecordsService) Diagnose(ctx context.Context, org OrganizationID, id ProxyRecordID) (*ProxyDiagnosticReport, error) {
	return send[ProxyDiagnosticReport](ctx, s.client, http.MethodPost, at("organizations", org, "proxy_records", id, "diagnose"), nil)
}
