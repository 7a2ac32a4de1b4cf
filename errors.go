package posthogapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is an error answer from PostHog. PostHog answers errors as
// {"type","code","detail","attr"}, some views with a bare {"detail"}, and
// gateways in front of it with HTML; all of them become an *APIError.
//
// The Err* sentinels below are *APIError values too, so both errors.Is(err,
// ErrNotFound) and errors.As(err, &apiErr) work on any error this package
// returns.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Type is PostHog's error type: validation_error, authentication_error,
	// invalid_request, throttled_error, server_error or multiple. Empty
	// when the body was not PostHog's JSON.
	Type string
	// Code is PostHog's error code, such as "required", "permission_denied",
	// "not_found" or "throttled".
	Code string
	// Detail is PostHog's human-readable message.
	Detail string
	// Attr names the field a validation error is about (nested fields are
	// joined with "__"); empty for errors not about a field.
	Attr string
	// Method and Path are the request's method and URL path (never the
	// query string).
	Method, Path string
	// Attempts is how many HTTP attempts were made, retries included.
	Attempts int
	// Body is the start of the raw answer (at most the client's error body
	// cap), with anything that looks like a credential redacted.
	Body []byte

	kind errKind // set only on the sentinels
}

type errKind int

const (
	kindNone errKind = iota
	kindNotFound
	kindUnauthorized
	kindPermissionDenied
	kindMissingScope
	kindPAKNotSupported
	kindOrgNotAllowed
	kindProjectScopedKey
	kindPAKDisabled
	kindConflict
	kindValidation
	kindRateLimited
	kindServer
)

// Sentinel errors for errors.Is. Each is an *APIError that matches any
// *APIError of its kind.
var (
	// ErrNotFound matches 404 answers (the object does not exist or the key
	// cannot see it).
	ErrNotFound = &APIError{kind: kindNotFound, StatusCode: http.StatusNotFound, Detail: "not found"}
	// ErrUnauthorized matches 401 answers: a missing, malformed or revoked key.
	ErrUnauthorized = &APIError{kind: kindUnauthorized, StatusCode: http.StatusUnauthorized, Detail: "unauthorized"}
	// ErrPermissionDenied matches every 403 answer, including the more precise
	// kinds below (missing scope, key not supported, organization not
	// allowed, project-scoped key, personal API keys disabled).
	ErrPermissionDenied = &APIError{kind: kindPermissionDenied, StatusCode: http.StatusForbidden, Detail: "permission denied"}
	// ErrMissingScope matches 403 "API key missing required scope '...'";
	// errors.As with *ScopeError gives the scope.
	ErrMissingScope = &APIError{kind: kindMissingScope, StatusCode: http.StatusForbidden, Detail: "API key missing required scope"}
	// ErrPersonalAPIKeyNotSupported matches 403 "This action does not support
	// personal API key access": the action declares no API scope, so PostHog
	// refuses every personal API key (only a browser session gets through).
	// It also matches the *UnsupportedActionError of such a method, returned
	// before sending.
	ErrPersonalAPIKeyNotSupported = &APIError{kind: kindPAKNotSupported, StatusCode: http.StatusForbidden, Detail: "this action does not support personal API key access"}
	// ErrOrganizationNotAllowed matches 403 "API key does not have access to
	// the requested organization: ID <uuid>.": the key is limited to other
	// organizations (its scoped organizations). It matches
	// ErrPermissionDenied too.
	ErrOrganizationNotAllowed = &APIError{kind: kindOrgNotAllowed, StatusCode: http.StatusForbidden, Detail: "API key does not have access to the requested organization"}
	// ErrProjectScopedKey matches 403 "API keys with scoped projects are only
	// supported on project-based endpoints.": a key limited to projects
	// cannot use the organization-level endpoints of this package at all.
	// It matches ErrPermissionDenied too.
	ErrProjectScopedKey = &APIError{kind: kindProjectScopedKey, StatusCode: http.StatusForbidden, Detail: "API keys with scoped projects are only supported on project-based endpoints"}
	// ErrPersonalAPIKeysDisabled matches 403 "Organization '<name>' does not
	// allow using personal API keys. ...": the organization turned off
	// members_can_use_personal_api_keys and the key's user is not an admin
	// there. It matches ErrPermissionDenied too.
	ErrPersonalAPIKeysDisabled = &APIError{kind: kindPAKDisabled, StatusCode: http.StatusForbidden, Detail: "organization does not allow using personal API keys"}
	// ErrConflict matches 409 answers, such as a project name already used
	// in the organization (PostHog's code "conflict").
	ErrConflict = &APIError{kind: kindConflict, StatusCode: http.StatusConflict, Detail: "conflict"}
	// ErrValidation matches 400 answers (Attr names the field).
	ErrValidation = &APIError{kind: kindValidation, StatusCode: http.StatusBadRequest, Detail: "validation error"}
	// ErrRateLimited matches 429 answers; errors.As with *RateLimitError gives
	// the wait PostHog asked for.
	ErrRateLimited = &APIError{kind: kindRateLimited, StatusCode: http.StatusTooManyRequests, Detail: "rate limited"}
	// ErrServer matches 5xx answers.
	ErrServer = &APIError{kind: kindServer, StatusCode: http.StatusInternalServerError, Detail: "server error"}
)

// Errors that are not answers from PostHog.
var (
	// ErrInvalidArgument is wrapped by every error for bad input caught
	// before any request is sent (an empty name, a nil ID, too many invites,
	// a bad option).
	ErrInvalidArgument = errors.New("posthogapi: invalid argument")
	// ErrOutcomeUnknown is matched by the error of a POST or PATCH that
	// PostHog may or may not have run: its answer was lost (the connection
	// dropped or timed out after sending, or the context ended while
	// waiting for it), or the answer was a server error (5xx other than
	// 501). It is also matched by the *DecodeError of a write PostHog
	// answered 2xx but whose answer could not be read or decoded: the write
	// was done, its result is unknown (DecodeError.WriteDone). The write was
	// not re-sent; check PostHog's state before trying again.
	ErrOutcomeUnknown = errors.New("posthogapi: outcome unknown")
	// ErrForeignHost is wrapped when a redirect or a pagination link points
	// off the configured scheme and host; nothing is sent there.
	ErrForeignHost = errors.New("posthogapi: foreign host refused")
	// ErrPaginationStalled is returned by iterators when PostHog's pages stop
	// making progress (the same page again, or an empty page with a next).
	ErrPaginationStalled = errors.New("posthogapi: pagination made no progress")
)

func (e *APIError) Error() string {
	if e.kind != kindNone {
		return "posthogapi: " + e.Detail
	}
	var b strings.Builder
	b.WriteString("posthogapi: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	} else if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	switch {
	case e.Detail != "":
		b.WriteString(": ")
		b.WriteString(e.Detail)
	case len(e.Body) > 0:
		b.WriteString(": ")
		b.WriteString(snippet(e.Body, 120))
	}
	if e.Attr != "" {
		b.WriteString(" (attr ")
		b.WriteString(e.Attr)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) (and the other sentinels) match,
// and ErrOutcomeUnknown for a POST or PATCH answered with a server error.
func (e *APIError) Is(target error) bool {
	if target == ErrOutcomeUnknown {
		return e.kind == kindNone && !isIdempotent(e.Method) &&
			e.StatusCode >= 500 && e.StatusCode != http.StatusNotImplemented
	}
	t, ok := target.(*APIError)
	if !ok || t.kind == kindNone || e.kind != kindNone {
		return false
	}
	switch t.kind {
	case kindNotFound:
		return e.StatusCode == http.StatusNotFound
	case kindUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case kindPermissionDenied:
		return e.StatusCode == http.StatusForbidden
	case kindMissingScope:
		return e.StatusCode == http.StatusForbidden && scopeFromDetail(e.Detail) != ""
	case kindPAKNotSupported:
		return e.StatusCode == http.StatusForbidden && isPAKNotSupported(e.Detail)
	case kindOrgNotAllowed:
		return e.StatusCode == http.StatusForbidden && containsFold(e.Detail, "does not have access to the requested organization")
	case kindProjectScopedKey:
		return e.StatusCode == http.StatusForbidden && containsFold(e.Detail, "api keys with scoped projects are only supported on project-based endpoints")
	case kindPAKDisabled:
		return e.StatusCode == http.StatusForbidden && containsFold(e.Detail, "does not allow using personal api keys")
	case kindConflict:
		return e.StatusCode == http.StatusConflict
	case kindValidation:
		return e.StatusCode == http.StatusBadRequest
	case kindRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case kindServer:
		return e.StatusCode >= 500
	}
	return false
}

// ScopeError is a 403 for a key that lacks a scope. Scope is the scope
// PostHog named, such as "organization_member:write".
type ScopeError struct {
	Scope string
	*APIError
}

// Unwrap returns the underlying *APIError.
func (e *ScopeError) Unwrap() error { return e.APIError }

// RateLimitError is a 429 that was not (or no longer) retried: the wait
// PostHog asked for is above the client's cap, or retries ran out.
// RetryAfter is that wait (0 when PostHog gave none).
type RateLimitError struct {
	RetryAfter time.Duration
	*APIError
}

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s (retry after %s)", e.APIError.Error(), e.RetryAfter)
	}
	return e.APIError.Error()
}

// newAPIError reads (up to the cap) and maps an error answer.
func (c *Client) newAPIError(resp *http.Response, method, path string, attempts int) error {
	raw := readCapped(resp.Body, c.cfg.maxErrorBody)
	pe := parseErrorBody(raw)
	e := &APIError{
		StatusCode: resp.StatusCode,
		Type:       c.redact(pe.Type),
		Code:       c.redact(pe.Code),
		Detail:     c.redact(pe.Detail),
		Attr:       c.redact(pe.Attr),
		Method:     method,
		Path:       path,
		Attempts:   max(attempts, 1),
		Body:       []byte(c.redact(string(raw))),
	}
	switch {
	case resp.StatusCode == http.StatusForbidden && scopeFromDetail(e.Detail) != "":
		return &ScopeError{Scope: scopeFromDetail(e.Detail), APIError: e}
	case resp.StatusCode == http.StatusTooManyRequests:
		return &RateLimitError{RetryAfter: serverWait(resp.Header.Get("Retry-After"), raw, time.Now()), APIError: e}
	}
	return e
}

// errorBody is PostHog's error shape, parsed leniently.
type errorBody struct {
	Type, Code, Detail, Attr string
}

// parseErrorBody understands {"type","code","detail","attr"}, a bare
// {"detail"}, DRF's {"field": ["message"]}, and anything else (HTML, text,
// truncated JSON) as no structure at all. It never fails.
func parseErrorBody(b []byte) errorBody {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return errorBody{}
	}
	var eb errorBody
	eb.Type = jsonText(m["type"])
	eb.Code = jsonText(m["code"])
	eb.Detail = jsonText(m["detail"])
	eb.Attr = jsonText(m["attr"])
	if eb.Detail == "" && eb.Type == "" && eb.Code == "" {
		// DRF's default shape: {"field": ["message", ...]}; take the first
		// field in a stable order.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if d := jsonText(m[k]); d != "" {
				eb.Attr, eb.Detail = k, d
				if k == "non_field_errors" {
					eb.Attr = ""
				}
				break
			}
		}
	}
	return eb
}

// maxErrorNesting bounds how deep jsonText looks into nested arrays
// (DRF's error shapes nest two or three levels). Each level re-reads the
// value, so without a bound a small body of deeply nested arrays costs
// time quadratic in its size.
const maxErrorNesting = 4

// jsonText renders a JSON value as text: strings as themselves, the first
// string of an array (at most maxErrorNesting deep), other values
// compactly. null and absent are "".
func jsonText(v json.RawMessage) string { return jsonTextDepth(v, 0) }

func jsonTextDepth(v json.RawMessage, depth int) string {
	if len(v) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	if v[0] == '[' {
		var arr []json.RawMessage
		if depth >= maxErrorNesting || json.Unmarshal(v, &arr) != nil {
			return ""
		}
		for _, x := range arr {
			if t := jsonTextDepth(x, depth+1); t != "" {
				return t
			}
		}
		return ""
	}
	if string(v) == "null" {
		return ""
	}
	return snippet(v, 200)
}

var (
	scopeRe    = regexp.MustCompile(`missing required scope '([^']+)'`)
	expectedRe = regexp.MustCompile(`(?i)expected available in (\d+(?:\.\d+)?) seconds?`)
)

func scopeFromDetail(detail string) string {
	if m := scopeRe.FindStringSubmatch(detail); m != nil {
		return m[1]
	}
	return ""
}

func isPAKNotSupported(detail string) bool {
	return containsFold(detail, "does not support personal api key")
}

// containsFold reports whether s contains the lower-case substr, ignoring
// case (PostHog has changed the case of its 403 texts before).
func containsFold(s, substr string) bool {
	return strings.Contains(strings.ToLower(s), substr)
}

// maxServerWait bounds any wait parsed from an answer, so arithmetic on it
// cannot overflow.
const maxServerWait = 7 * 24 * time.Hour

// parseRetryAfter parses a Retry-After value: delay-seconds or an HTTP date
// (RFC 1123, RFC 850 or ANSI C). ok is false when v is empty or garbage. A
// zero or negative delay, or a date in the past, gives (0, true).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0, true
		}
		if n > int64(maxServerWait/time.Second) {
			return maxServerWait, true
		}
		return time.Duration(n) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) {
		// Too many digits for an int64: a very long wait (or, with a
		// minus sign, none).
		if v[0] == '-' {
			return 0, true
		}
		return maxServerWait, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		return 0, true
	}
	return min(d, maxServerWait), true
}

// serverWait is the wait an answer asks for: the longer of Retry-After
// (seconds or an HTTP date) and PostHog's "Expected available in N seconds"
// detail, so that a retry is never early by either. 0 means no usable hint.
func serverWait(retryAfter string, body []byte, now time.Time) time.Duration {
	d, _ := parseRetryAfter(retryAfter, now)
	if e, ok := parseExpectedAvailable(parseErrorBody(body).Detail); ok {
		d = max(d, e)
	}
	return d
}

// parseExpectedAvailable parses PostHog's throttle detail "Request was
// throttled. Expected available in N seconds." (N may be fractional; it is
// rounded up).
func parseExpectedAvailable(detail string) (time.Duration, bool) {
	m := expectedRe.FindStringSubmatch(detail)
	if m == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	secs := math.Ceil(f)
	if secs > maxServerWait.Seconds() {
		return maxServerWait, true
	}
	return time.Duration(secs) * time.Second, true
}

// snippet returns the start of b as one line of at most n runes.
func snippet(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}

// secretParams are query and form parameters whose values are credentials:
// PostHog's personal_api_key, and the signatures and credentials of
// presigned object-storage URLs (S3, GCS, Azure SAS).
const secretParams = `personal_api_key|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|signature|sig|token|secret|password|api_key|apikey`

var secretRe = regexp.MustCompile(
	// PostHog keys and tokens.
	`(phx_|phs_|pha_|phc_)[A-Za-z0-9_\-]{6,}` +
		// name=value in a query string or form, the = maybe escaped once.
		`|(?i)(` + secretParams + `)(=|%3D)[^&\s"'<>]+` +
		// "name": "value" in JSON.
		`|(?i)"[A-Za-z0-9_\-]*(` + secretParams + `)"\s*:\s*"(\\.|[^"\\])*"` +
		// Authorization header values (a repeated scheme word is not
		// the credential).
		`|(?i)\b(bearer|basic)(\s+(bearer|basic)\b)*\s+[A-Za-z0-9_\-\.~+/=]{6,}`)

// Redact replaces anything in s that looks like a credential (PostHog keys,
// bearer tokens, personal_api_key=, "personal_api_key": "..." and
// presigned-URL signature parameters) with "[REDACTED]". The client applies
// it to everything it puts into error strings and log lines.
func Redact(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	return secretRe.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case m[0] == '"':
			i := strings.IndexByte(m[1:], '"')
			return m[:i+2] + `: "[REDACTED]"`
		case strings.HasPrefix(strings.ToLower(m), "bearer"), strings.HasPrefix(strings.ToLower(m), "basic"):
			return m[:strings.IndexAny(m, " \t\r\n\v\f")] + " [REDACTED]"
		}
		eq, pct := strings.IndexByte(m, '='), strings.Index(strings.ToLower(m), "%3d")
		switch {
		case pct >= 0 && (eq < 0 || pct < eq):
			return m[:pct+3] + "[REDACTED]"
		case eq >= 0:
			return m[:eq+1] + "[REDACTED]"
		}
		return m[:4] + "[REDACTED]"
	})
}

// secretTriggers are literals of which every secretRe match holds one
// (compared in ASCII lower case). Most text holds none of them, and the
// regular expression, which runs at a few MB/s, is skipped.
var secretTriggers = []string{"phx_", "phs_", "pha_", "phc_", "bearer", "basic", "personal_api_key",
	"x-amz-", "x-goog-", "sig", "token", "secret", "password", "api_key", "apikey"}

func mayHoldSecret(s string) bool {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	lower := string(b)
	for _, t := range secretTriggers {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

// redact removes the client's own key (whatever its shape, also cut short
// at the end of a capped body) and anything else that looks like a
// credential.
func (c *Client) redact(s string) string {
	if k := c.cfg.apiKey; k != "" {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, "[REDACTED]")
		}
		// A capped body can end in the middle of the key.
		for n := len(k) - 1; n >= 8; n-- {
			if strings.HasSuffix(s, k[:n]) {
				s = s[:len(s)-n] + "[REDACTED]"
				break
			}
		}
	}
	return Redact(s)
}

// sanitizeError strips query strings (which may carry presigned signatures
// or a personal_api_key) from the URL inside a *url.Error.
func sanitizeError(err error) error {
	ue, ok := err.(*url.Error)
	if !ok || ue.URL == "" {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(unparsable URL)", Err: ue.Err}
	}
	if u.RawQuery == "" && u.User == nil && u.Fragment == "" {
		return err
	}
	u.RawQuery, u.User, u.Fragment = "", nil, ""
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
