// Package posthogapi is a typed client for PostHog's organization management
// API: organizations, members, invites, roles, projects, batch exports,
// domains, proxy records, organization integrations and legal documents
// under /api/organizations/, and the project routes organization
// automation needs (a project's batch exports, runs and backfills under
// /api/projects/ and /api/environments/, its integrations). Client.Do
// reaches any other /api/ endpoint through the same request path.
//
// A Client is safe for concurrent use by many goroutines. It sends the
// personal API key only to the configured host, retries only when a retry
// cannot duplicate a write, honours PostHog's rate limits, and returns typed
// errors (see APIError and the Err* sentinels).
//
//	c, err := posthogapi.NewClient(key, posthogapi.WithBaseURL(posthogapi.EUCloud))
//	org, err := c.Organizations.GetCurrent(ctx)
//	for m, err := range c.Members.All(ctx, org.ID, nil) { ... }
//
// Naming: a service's main list is List (one *Page[T]) and All (an
// iterator); a sub-list X is ListX and AllX (Roles.ListMemberships and
// AllMemberships, Domains.ListSCIMLogs and AllSCIMLogs, Projects.ListActivity
// and AllActivity). Every paginated list has both. A List method that
// returns a slice or a list type reads a list PostHog does not page, or
// gathers every match of a lookup, and has no All twin. Create takes
// *XCreate (POST), Update *XUpdate (PATCH, only set fields) and Replace
// *XReplace (PUT). Types holding secrets redact them in %v and %#v alike.
//
// Every method's documentation names the HTTP operation it performs and the
// API key scope PostHog requires, in the form
//
//	API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
package posthogapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the version of this package, sent in the User-Agent header.
const Version = "0.2.0"

// PostHog Cloud base URLs. Self-hosted instances use their own URL.
const (
	// USCloud is PostHog's US cloud. It is the default base URL.
	USCloud = "https://us.posthog.com"
	// EUCloud is PostHog's EU cloud.
	EUCloud = "https://eu.posthog.com"
)

// Defaults used by NewClient when no option overrides them.
const (
	// DefaultBaseURL is the base URL used when WithBaseURL is not given.
	DefaultBaseURL = USCloud
	// DefaultUserAgent is the User-Agent sent with every request.
	DefaultUserAgent = "posthogapi-go/" + Version
	// DefaultTimeout bounds each HTTP attempt (connect, headers and body), so
	// that a server that never answers cannot hang a call without a deadline.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRetries is how many times a retryable request is re-sent.
	DefaultMaxRetries = 3
	// DefaultMaxRetryWait caps a single wait before a retry. A rate-limited
	// answer that asks for a longer wait is returned at once as a
	// *RateLimitError instead.
	DefaultMaxRetryWait = 30 * time.Second
	// DefaultMaxRetryElapsed caps the time a call spends retrying: no retry
	// starts later than this after the call began. With the per-attempt
	// timeout it bounds a call without a deadline to about
	// DefaultMaxRetryElapsed + DefaultTimeout.
	DefaultMaxRetryElapsed = 2 * time.Minute
	// DefaultRetryWaitMin is the first backoff wait and the floor of every wait
	// (a Retry-After of 0 or garbage cannot cause a hot loop).
	DefaultRetryWaitMin = 500 * time.Millisecond
	// DefaultMaxErrorBodyBytes caps how much of an error response is read.
	DefaultMaxErrorBodyBytes = 64 << 10
)

// Environment variables read by NewClientFromEnv.
const (
	EnvAPIKey = "POSTHOG_PERSONAL_API_KEY"
	EnvHost   = "POSTHOG_HOST"
)

// Client talks to PostHog's organization API. Create it with NewClient; the
// zero value is not usable. Its services share one request path.
type Client struct {
	cfg     config
	baseURL *url.URL
	// apiPrefix is baseURL's path joined with "/api/": every request's
	// path is below it.
	apiPrefix string
	rc        *retryablehttp.Client
	gate      *retryGate

	common service

	// Organizations manages organizations.
	Organizations *OrganizationsService
	// Members manages organization members.
	Members *MembersService
	// Users reads the key's own user (Users.Me).
	Users *UsersService
	// BatchExports manages batch exports.
	BatchExports *BatchExportsService
	// ProjectBatchExports manages the batch exports of one project, with
	// their runs and backfills.
	ProjectBatchExports *ProjectBatchExportsService
	// EnvironmentBatchExports is ProjectBatchExports on PostHog's
	// environment routes (/api/environments/{environment_id}/batch_exports/).
	EnvironmentBatchExports *ProjectBatchExportsService
	// Domains manages verified domains, SSO and SCIM.
	Domains *DomainsService
	// IdentityProviderConfigs manages SAML, SCIM, OIDC and ID-JAG settings.
	IdentityProviderConfigs *IdentityProviderConfigsService
	// Invites manages invitations.
	Invites *InvitesService
	// Projects manages projects.
	Projects *ProjectsService
	// ProxyRecords manages managed reverse proxy records.
	ProxyRecords *ProxyRecordsService
	// Roles manages roles and role memberships.
	Roles *RolesService
	// Integrations manages organization-level integrations.
	Integrations *IntegrationsService
	// LegalDocuments manages legal documents (BAA, DPA).
	LegalDocuments *LegalDocumentsService
	// FeatureFlags manages feature flags across the organization's projects.
	FeatureFlags *FeatureFlagsService
	// OAuthApplications manages the organization's OAuth applications.
	OAuthApplications *OAuthApplicationsService
	// ResourceTransfers manages moving resources between projects.
	ResourceTransfers *ResourceTransfersService
	// PersonalAPIKeys lists the members' personal API keys.
	PersonalAPIKeys *PersonalAPIKeysService
	// RoleExternalReferences maps external roles to PostHog roles.
	RoleExternalReferences *RoleExternalReferencesService
}

type service struct{ client *Client }

// NewClient returns a client that authenticates with the personal API key
// apiKey. Bad configuration (an empty key, a base URL with user info, a query
// or fragment, plain http to a host that is not loopback without
// WithInsecureHTTP) is an error here, before any request is made.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	apiKey = strings.TrimSpace(apiKey)
	if apiKey == "" {
		return nil, fmt.Errorf("%w: API key is empty", ErrInvalidArgument)
	}
	if strings.ContainsAny(apiKey, " \t\r\n") {
		return nil, fmt.Errorf("%w: API key contains whitespace", ErrInvalidArgument)
	}
	cfg.apiKey = apiKey
	base, err := parseBaseURL(cfg.baseURL, cfg.allowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, baseURL: base, gate: &retryGate{}}
	c.apiPrefix = strings.TrimSuffix(base.Path, "/") + "/api/"
	c.rc = c.newRetryClient()
	c.common.client = c
	c.Organizations = (*OrganizationsService)(&c.common)
	c.Members = (*MembersService)(&c.common)
	c.BatchExports = (*BatchExportsService)(&c.common)
	c.ProjectBatchExports = &ProjectBatchExportsService{client: c, routes: "projects"}
	c.EnvironmentBatchExports = &ProjectBatchExportsService{client: c, routes: "environments"}
	c.Domains = (*DomainsService)(&c.common)
	c.IdentityProviderConfigs = (*IdentityProviderConfigsService)(&c.common)
	c.Invites = (*InvitesService)(&c.common)
	c.Projects = (*ProjectsService)(&c.common)
	c.ProxyRecords = (*ProxyRecordsService)(&c.common)
	c.Roles = (*RolesService)(&c.common)
	c.Integrations = (*IntegrationsService)(&c.common)
	c.LegalDocuments = (*LegalDocumentsService)(&c.common)
	c.FeatureFlags = (*FeatureFlagsService)(&c.common)
	c.OAuthApplications = (*OAuthApplicationsService)(&c.common)
	c.ResourceTransfers = (*ResourceTransfersService)(&c.common)
	c.PersonalAPIKeys = (*PersonalAPIKeysService)(&c.common)
	c.RoleExternalReferences = (*RoleExternalReferencesService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	return c, nil
}

// NewClientFromEnv returns a client configured from the environment:
// POSTHOG_PERSONAL_API_KEY (required) and POSTHOG_HOST (optional, defaults to
// USCloud). Options given here override the environment.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	key := os.Getenv(EnvAPIKey)
	if strings.TrimSpace(key) == "" {
		return nil, fmt.Errorf("%w: %s is not set", ErrInvalidArgument, EnvAPIKey)
	}
	if host := strings.TrimSpace(os.Getenv(EnvHost)); host != "" {
		opts = append([]Option{WithBaseURL(host)}, opts...)
	}
	return NewClient(key, opts...)
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// parseBaseURL validates a base URL: http(s) scheme, a host, no user info,
// query or fragment, and plain http only to loopback unless allowed.
func parseBaseURL(raw string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: base URL does not parse", ErrInvalidArgument)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: base URL must not carry user info", ErrInvalidArgument)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("%w: base URL scheme must be https or http, not %q", ErrInvalidArgument, u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: base URL has no host", ErrInvalidArgument)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%w: base URL must not have a query or fragment", ErrInvalidArgument)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("%w: base URL must be absolute", ErrInvalidArgument)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, fmt.Errorf("%w: base URL path must not contain dot segments", ErrInvalidArgument)
		}
	}
	if strings.Contains(u.Path, "/api/") || strings.HasSuffix(u.Path, "/api") {
		return nil, fmt.Errorf("%w: base URL must be the instance root (such as %s), without /api", ErrInvalidArgument, USCloud)
	}
	if u.Scheme == "http" && !allowInsecure && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%w: plain http to %s would send the API key unencrypted; use https or WithInsecureHTTP", ErrInvalidArgument, u.Hostname())
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether u has the base URL's scheme and host.
func (c *Client) sameOrigin(u *url.URL) bool {
	return u.Scheme == c.baseURL.Scheme && strings.EqualFold(u.Host, c.baseURL.Host) && u.User == nil
}

// request describes one logical API call.
type request struct {
	method string
	// path is the escaped path below /api/ (no leading slash), as at
	// builds it, or a full URL when absolute is set.
	path     string
	absolute *url.URL
	// query is a url-tagged struct (go-querystring) or url.Values.
	query any
	body  any
	// out receives the decoded 2xx body; nil discards it.
	out any
	// noRedirect makes a 3xx answer the result of the call instead of
	// following it (see policyFor): do returns its status with a nil error
	// and sets location to its Location, resolved against the request URL.
	// Nothing is sent to the redirect target.
	noRedirect bool
	location   *url.URL
}

// do runs a request through the shared path: URL building, JSON encoding,
// the call's policy (retries, redirects: policyFor), error mapping and
// decoding. It returns the HTTP status.
func (c *Client) do(ctx context.Context, r *request) (int, error) {
	if ctx == nil {
		return 0, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	u, err := c.buildURL(r)
	if err != nil {
		return 0, err
	}
	if !c.cfg.legacyUnscopedKey && c.scopeless(r.method, u.EscapedPath()) {
		return 0, &UnsupportedActionError{Method: r.method, Path: u.Path}
	}
	var body any // retryablehttp takes []byte and replays identical bytes
	if r.body != nil {
		b, err := marshalJSON(r.body)
		if err != nil {
			return 0, fmt.Errorf("posthogapi: %s %s: encoding request body: %w", r.method, u.Path, err)
		}
		body = b
	}
	cl := c.newCall(r.method, u.Path, policyFor(r))
	// The request gets the URL built above as it is: printing it for
	// NewRequest to parse it back cost as much as the rest of the call's
	// own work. (NewRequest also drops an empty port from the Host header.)
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, "", body)
	if err != nil {
		return 0, fmt.Errorf("posthogapi: %s %s: %w", r.method, u.Path, sanitizeError(err))
	}
	req.URL, req.Host = u, strings.TrimSuffix(u.Host, ":")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", c.cfg.userAgent)

	if err := c.pace(ctx, cl); err != nil {
		return 0, c.transportError(ctx, cl, err)
	}
	resp, err := cl.rc.Do(req)
	if err != nil {
		if resp != nil {
			// retryablehttp can hand back the last answer with the error
			// (a refused redirect, a cancel during the wait); its body is
			// closed already, closing again is harmless.
			closeBody(resp.Body)
		}
		return 0, c.transportError(ctx, cl, err)
	}
	defer closeBody(resp.Body)

	if !cl.policy.followRedirects && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		loc, err := u.Parse(cl.location)
		if cl.location == "" || err != nil {
			// A parse error would quote the Location, which may carry a
			// signature: keep it out of the error.
			return resp.StatusCode, &DecodeError{StatusCode: resp.StatusCode, Method: r.method, Path: u.Path, Err: errors.New("redirect without a usable Location")}
		}
		r.location = loc
		return resp.StatusCode, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if resp.StatusCode == http.StatusNotFound && cl.policy.goneIsDone && cl.unknownOutcome {
			// An earlier attempt of this DELETE may have run before its
			// answer was lost; the resource being gone now is the outcome
			// the caller asked for.
			return http.StatusNoContent, nil
		}
		return resp.StatusCode, c.newAPIError(resp, r.method, u.Path, cl.attempts)
	}
	if r.out == nil || resp.StatusCode == http.StatusNoContent {
		return resp.StatusCode, nil
	}
	if err := decodeJSON(resp.Body, r.out); err != nil {
		return resp.StatusCode, &DecodeError{StatusCode: resp.StatusCode, Method: r.method, Path: u.Path, Err: c.decodeCause(err)}
	}
	return resp.StatusCode, nil
}

// buildURL is the one URL builder: the base URL, /api/, the escaped path
// (at, or Client.Do's checked path) and the query. An empty segment or a
// dot segment ("." or "..", escaped or not) is refused, so that no value
// can leave the API once a server or a proxy normalizes the path. An
// absolute URL (a validated next link) is used as it is.
func (c *Client) buildURL(r *request) (*url.URL, error) {
	if r.absolute != nil {
		return r.absolute, nil
	}
	if err := checkPath(r.path); err != nil {
		return nil, err
	}
	u := *c.baseURL
	p := c.apiPrefix + r.path
	unescaped, err := url.PathUnescape(p)
	if err != nil {
		return nil, fmt.Errorf("%w: bad path", ErrInvalidArgument)
	}
	u.Path = unescaped
	u.RawPath = p
	switch q := r.query.(type) {
	case nil:
	case url.Values:
		u.RawQuery = q.Encode()
	default:
		v, err := query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("%w: encoding query: %v", ErrInvalidArgument, err)
		}
		u.RawQuery = v.Encode()
	}
	return &u, nil
}

// checkPath validates a relative API path built by at: no segment may be
// empty or a dot segment, nor become one where a proxy or the server
// decodes an escaped "/" (or treats "\" as one) before normalizing the
// path.
func checkPath(p string) error {
	if p == "" {
		return nil // the API root: only Do's own checks refuse it
	}
	for seg := range strings.SplitSeq(strings.TrimSuffix(p, "/"), "/") {
		v, err := url.PathUnescape(seg) // no copy when seg has no escape
		if err != nil {
			return fmt.Errorf("%w: bad path escape", ErrInvalidArgument)
		}
		if v == "" {
			return fmt.Errorf("%w: a path value is empty", ErrInvalidArgument)
		}
		if hasDotSegment(v) {
			return fmt.Errorf("%w: a path value is or holds a dot segment", ErrInvalidArgument)
		}
	}
	return nil
}

// hasDotSegment reports whether v is "." or "..", or holds one between
// slashes or backslashes.
func hasDotSegment(v string) bool {
	if v == "." || v == ".." {
		return true
	}
	if !strings.ContainsAny(v, `/\`) {
		return false // a UUID, a key: nothing to split, nothing allocated
	}
	for part := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == "." || part == ".." {
			return true
		}
	}
	return false
}

// transportError wraps an error from the HTTP layer: context errors stay
// matchable, and a write whose answer was lost is marked ErrOutcomeUnknown.
// The *url.Error layer is dropped: its URL may be a foreign redirect target
// (a presigned URL); Method and Path say which call failed.
func (c *Client) transportError(ctx context.Context, cl *call, err error) error {
	var rle *RateLimitError
	if errors.As(err, &rle) {
		return rle
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return &TransportError{
		Method:         cl.method,
		Path:           cl.path,
		Attempts:       cl.attempts,
		OutcomeUnknown: !cl.policy.resendUnknown && cl.unknownOutcome,
		Err:            &redactedError{msg: c.redact(err.Error()), err: err},
	}
}

// redactedError shows a redacted message and unwraps to the original error
// (so errors.Is(err, context.Canceled) and net.Error checks still work).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// decodeCause returns the cause of a DecodeError. Some decoding errors
// quote the offending value (a time or a UUID that does not parse), which a
// hostile or broken server could fill with anything: the message is
// redacted, and only the error types that quote nothing stay reachable with
// errors.As.
func (c *Client) decodeCause(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	inner := error(nil)
	if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		inner = err
	}
	return &redactedError{msg: c.redact(err.Error()), err: inner}
}

// TransportError is returned when no HTTP answer was received: the
// connection failed, timed out, a redirect or link to another host was
// refused, or the context ended. For a POST or PATCH that may have reached
// the server (the connection was made and then the answer was lost or timed
// out), OutcomeUnknown is set and errors.Is(err, ErrOutcomeUnknown) is true:
// PostHog may or may not have run the write, and the client did not re-send
// it. Err's message is redacted; Err unwraps to the underlying error.
type TransportError struct {
	Method, Path   string
	Attempts       int
	OutcomeUnknown bool
	Err            error
}

func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString("posthogapi: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	if e.OutcomeUnknown {
		b.WriteString(": outcome unknown, not retried")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Is reports ErrOutcomeUnknown for writes whose outcome is unknown.
func (e *TransportError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.OutcomeUnknown
}

// DecodeError is returned when a 2xx answer cannot be read or is not the
// JSON the method expects (malformed, truncated, cut off with the
// connection, or of the wrong type). No partial result is returned with it.
// Err's message is redacted; it unwraps to a *json.SyntaxError, a
// *json.UnmarshalTypeError or io.ErrUnexpectedEOF when the cause is one of
// those.
//
// For a write (POST, PATCH, PUT or DELETE), a 2xx status means PostHog did
// the write: only its answer is unreadable, so what it created or changed
// (an ID, the stored values) is unknown to the caller. Such an error
// matches ErrOutcomeUnknown too (and WriteDone reports true), so that a
// caller who re-sends the writes that failed, except those matching
// ErrOutcomeUnknown, never repeats a write PostHog did. Read the object
// back before relying on it.
type DecodeError struct {
	StatusCode   int
	Method, Path string
	Err          error
}

func (e *DecodeError) Error() string {
	done := ""
	if e.WriteDone() {
		done = " (the write was done)"
	}
	return fmt.Sprintf("posthogapi: %s %s: decoding %d answer%s: %v", e.Method, e.Path, e.StatusCode, done, e.Err)
}

// Unwrap returns the underlying decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

// WriteDone reports whether the error is about the answer to a write that
// PostHog did: a POST, PATCH, PUT or DELETE answered with a 2xx status.
func (e *DecodeError) WriteDone() bool {
	switch e.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return e.StatusCode >= 200 && e.StatusCode <= 299
	}
	return false
}

// Is reports ErrOutcomeUnknown for the unreadable answer of a write PostHog
// did (WriteDone).
func (e *DecodeError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.WriteDone()
}

func closeBody(b io.ReadCloser) {
	// Drain a little so the connection can be reused, never a huge body.
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 4<<10))
	_ = b.Close()
}

// readCapped reads at most n bytes of r.
func readCapped(r io.Reader, n int64) []byte {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(io.LimitReader(r, n))
	return buf.Bytes()
}

// logger returns the configured logger; nil means silent.
func (c *Client) logger() *slog.Logger { return c.cfg.logger }

// checkSegment validates a free-form path value (such as a feature flag
// key): not empty, not a dot segment (nor holding one between slashes or
// backslashes), valid UTF-8 and at most 1024 bytes. Escaping does the rest.
// buildURL refuses the same dot segments whatever a service checked; this
// gives the error the value's name.
func checkSegment(name, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidArgument, name)
	case hasDotSegment(v):
		return fmt.Errorf("%w: %s is or holds a dot segment", ErrInvalidArgument, name)
	case len(v) > 1024:
		return fmt.Errorf("%w: %s is longer than 1024 bytes", ErrInvalidArgument, name)
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidArgument, name)
	}
	return nil
}
