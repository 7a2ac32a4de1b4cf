package posthogapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

func TestErrorMapping(t *testing.T) {
	type want struct {
		is      []error
		isNot   []error
		status  int
		code    string
		attr    string
		scope   string
		wait    time.Duration
		rateErr bool
		inText  string
	}
	cases := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   want
	}{
		{"400 with attr", 400, nil,
			`{"type":"validation_error","code":"required","detail":"This field is required.","attr":"name"}`,
			want{is: []error{ErrValidation}, isNot: []error{ErrNotFound, ErrServer}, status: 400, code: "required", attr: "name", inText: "This field is required. (attr name)"}},
		{"400 DRF field shape", 400, nil,
			`{"target_email": ["Enter a valid email address."]}`,
			want{is: []error{ErrValidation}, status: 400, attr: "target_email", inText: "Enter a valid email address."}},
		{"401", 401, nil,
			`{"type":"authentication_error","code":"authentication_failed","detail":"Personal API key found in request Authorization header is invalid.","attr":null}`,
			want{is: []error{ErrUnauthorized}, isNot: []error{ErrPermissionDenied}, status: 401, code: "authentication_failed"}},
		{"403 missing scope", 403, nil,
			`{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'organization_member:write'","attr":null}`,
			want{is: []error{ErrPermissionDenied, ErrMissingScope}, isNot: []error{ErrPersonalAPIKeyNotSupported}, status: 403, scope: "organization_member:write"}},
		{"403 key not supported", 403, nil,
			`{"type":"authentication_error","code":"permission_denied","detail":"This action does not support Personal API Key access","attr":null}`,
			want{is: []error{ErrPermissionDenied, ErrPersonalAPIKeyNotSupported}, isNot: []error{ErrMissingScope}, status: 403}},
		{"404", 404, nil,
			`{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}`,
			want{is: []error{ErrNotFound}, isNot: []error{ErrValidation, ErrServer}, status: 404, code: "not_found"}},
		{"429 with Retry-After", 429, http.Header{"Retry-After": {"3600"}},
			`{"type":"throttled_error","code":"throttled","detail":"Request was throttled. Expected available in 3600 seconds.","attr":null}`,
			want{is: []error{ErrRateLimited}, status: 429, wait: time.Hour, rateErr: true}},
		{"429 without Retry-After", 429, nil,
			`{"type":"throttled_error","code":"throttled","detail":"Request was throttled. Expected available in 86 seconds.","attr":null}`,
			want{is: []error{ErrRateLimited}, status: 429, wait: 86 * time.Second, rateErr: true}},
		{"429 bare detail", 429, nil,
			`{"detail":"Request was throttled. Expected available in 30 seconds."}`,
			want{is: []error{ErrRateLimited}, status: 429, wait: 30 * time.Second, rateErr: true}},
		{"500", 500, nil,
			`{"type":"server_error","code":"error","detail":"A server error occurred.","attr":null}`,
			want{is: []error{ErrServer}, isNot: []error{ErrNotFound}, status: 500}},
		{"502 with HTML", 502, http.Header{"Content-Type": {"text/html"}},
			"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
			want{is: []error{ErrServer}, status: 502, inText: "502 Bad Gateway: <html>"}},
		{"503 truncated JSON", 503, nil, `{"type":"server_err`,
			want{is: []error{ErrServer}, status: 503}},
		{"400 bare detail", 400, nil, `{"detail":"SCIM is not enabled for this domain"}`,
			want{is: []error{ErrValidation}, status: 400, inText: "SCIM is not enabled for this domain"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t, WithMaxRetries(0), WithMaxRetryWait(time.Millisecond))
			mt.RegisterResponder("GET", api(orgID.String()+"/"), func(*http.Request) (*http.Response, error) {
				r := httpmock.NewStringResponse(tc.status, tc.body)
				for k, v := range tc.header {
					r.Header[k] = v
				}
				return r, nil
			})
			_, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
			if err == nil {
				t.Fatal("no error")
			}
			for _, target := range tc.want.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			for _, target := range tc.want.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = true", err, target)
				}
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("not an *APIError: %T %v", err, err)
			}
			if apiErr.StatusCode != tc.want.status || apiErr.Method != "GET" || apiErr.Path != "/ph/api/organizations/"+orgID.String()+"/" || apiErr.Attempts != 1 {
				t.Errorf("APIError = %+v", apiErr)
			}
			if tc.want.code != "" && apiErr.Code != tc.want.code {
				t.Errorf("Code = %q", apiErr.Code)
			}
			if apiErr.Attr != tc.want.attr {
				t.Errorf("Attr = %q, want %q", apiErr.Attr, tc.want.attr)
			}
			if len(apiErr.Body) == 0 {
				t.Error("Body empty")
			}
			var se *ScopeError
			if got := errors.As(err, &se); got != (tc.want.scope != "") || got && se.Scope != tc.want.scope {
				t.Errorf("ScopeError = %v %+v", got, se)
			}
			var re *RateLimitError
			if got := errors.As(err, &re); got != tc.want.rateErr || got && re.RetryAfter != tc.want.wait {
				t.Errorf("RateLimitError = %v %+v", got, re)
			}
			if strings.Contains(err.Error(), "invalid character") {
				t.Errorf("JSON syntax error leaked: %v", err)
			}
			if tc.want.inText != "" && !strings.Contains(err.Error(), tc.want.inText) {
				t.Errorf("Error() = %q, want it to contain %q", err, tc.want.inText)
			}
		})
	}
}

func TestSentinelsAreAPIErrors(t *testing.T) {
	for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrPermissionDenied, ErrMissingScope,
		ErrPersonalAPIKeyNotSupported, ErrOrganizationNotAllowed, ErrProjectScopedKey, ErrPersonalAPIKeysDisabled,
		ErrConflict, ErrValidation, ErrRateLimited, ErrServer} {
		var apiErr *APIError
		if !errors.As(s, &apiErr) {
			t.Errorf("%v is not an *APIError", s)
		}
		if !errors.Is(s, s) {
			t.Errorf("%v does not match itself", s)
		}
		if !strings.HasPrefix(s.Error(), "posthogapi: ") {
			t.Errorf("Error() = %q", s.Error())
		}
	}
	if errors.Is(ErrNotFound, ErrServer) {
		t.Error("sentinels match each other")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, true},
		{"garbage", 0, false},
		{"", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", maxServerWait, true}, // too large for an integer: a very long wait
		{"9999999999", maxServerWait, true},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second, true},
		{"Thursday, 01-Jan-26 00:01:00 GMT", time.Minute, true},
		{"Thu Jan  1 00:00:10 2026", 10 * time.Second, true},
		{"Wed, 31 Dec 2025 00:00:00 GMT", 0, true},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseExpectedAvailable(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"Request was throttled. Expected available in 12 seconds.":  12 * time.Second,
		"Request was throttled. Expected available in 1 second.":    time.Second,
		"Request was throttled. Expected available in 0.4 seconds.": time.Second,
		"expected available in 3 seconds":                           3 * time.Second,
	} {
		if got, ok := parseExpectedAvailable(in); !ok || got != want {
			t.Errorf("%q: %v %v", in, got, ok)
		}
	}
	if _, ok := parseExpectedAvailable("Request was throttled."); ok {
		t.Error("no number parsed as ok")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"key phx_abcdef1234567890 here":                              "key phx_[REDACTED] here",
		"GET /x?personal_api_key=phx_secret&limit=1":                 "GET /x?personal_api_key=[REDACTED]&limit=1",
		"https://s3/x.pdf?X-Amz-Signature=abc123&X-Amz-Credential=k": "https://s3/x.pdf?X-Amz-Signature=[REDACTED]&X-Amz-Credential=[REDACTED]",
		"Authorization: Bearer abcdefghijk":                          "Authorization: Bearer [REDACTED]",
		"nothing secret":                                             "nothing secret",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFidelity14_OrganizationLevel403sAreTyped: the 403s of
// APIScopePermission.check_team_and_org_permissions (posthog/permissions.py)
// are matchable, case-insensitively, and still ErrPermissionDenied.
func TestFidelity14_OrganizationLevel403sAreTyped(t *testing.T) {
	all := []error{ErrOrganizationNotAllowed, ErrProjectScopedKey, ErrPersonalAPIKeysDisabled, ErrMissingScope, ErrPersonalAPIKeyNotSupported}
	for detail, want := range map[string]error{
		"API key does not have access to the requested organization: ID 0188a0a0-0000-4000-8000-000000000001.":                            ErrOrganizationNotAllowed,
		"API keys with scoped projects are only supported on project-based endpoints.":                                                    ErrProjectScopedKey,
		"api keys with SCOPED projects are only supported on project-based endpoints.":                                                    ErrProjectScopedKey,
		"Organization 'Acme' does not allow using personal API keys. Contact an admin to enable personal API keys for this organization.": ErrPersonalAPIKeysDisabled,
	} {
		e := &APIError{StatusCode: 403, Code: "permission_denied", Detail: detail}
		if !errors.Is(e, ErrPermissionDenied) || !errors.Is(e, want) {
			t.Errorf("%q: not %v", detail, want)
		}
		for _, other := range all {
			if other != want && errors.Is(e, other) {
				t.Errorf("%q also matches %v", detail, other)
			}
		}
		if errors.Is(&APIError{StatusCode: 400, Detail: detail}, want) {
			t.Errorf("%q: a 400 matches %v", detail, want)
		}
	}
	if !errors.Is(&APIError{StatusCode: 409, Code: "conflict"}, ErrConflict) || errors.Is(&APIError{StatusCode: 400}, ErrConflict) {
		t.Error("ErrConflict matches by status 409 only")
	}
}

// cutBody is a 2xx answer whose body ends before its Content-Length.
func cutBody(status int, partial string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode:    status,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(io.MultiReader(strings.NewReader(partial), errReader{io.ErrUnexpectedEOF})),
			ContentLength: int64(len(partial) * 2),
		}, nil
	}
}

type errReader struct{ err error }

// A write answered 2xx whose answer cannot be read is done: its
// *DecodeError keeps status and path and matches ErrOutcomeUnknown; a
// read's does not.
func TestDecodeErrorOfWriteMatchesOutcomeUnknown(t *testing.T) {
	role := uuid.MustParse("0195c3a1-0000-7000-8000-00000000b001")
	for _, tc := range []struct {
		name      string
		responder httpmock.Responder
	}{
		{"malformed", httpmock.NewStringResponder(201, `{"id": "`)},
		{"wrong type", httpmock.NewStringResponder(201, `[1]`)},
		{"cut mid-body", cutBody(201, `{"id": "0195c3a1-0000`)},
		{"cut before the body", cutBody(200, ``)},
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, api(testOrg.String()+"/roles/"), tc.responder)
		mt.RegisterResponder(http.MethodPatch, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		mt.RegisterResponder(http.MethodPut, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		mt.RegisterResponder(http.MethodGet, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		ctx := context.Background()
		_, errPost := c.Roles.Create(ctx, OrganizationID(testOrg), &RoleCreate{Name: "r"})
		_, errPatch := c.Roles.Update(ctx, OrganizationID(testOrg), RoleID(role), &RoleUpdate{Name: Ptr("r")})
		_, errPut := c.Roles.Replace(ctx, OrganizationID(testOrg), RoleID(role), &RoleCreate{Name: "r"})
		for method, err := range map[string]error{"POST": errPost, "PATCH": errPatch, "PUT": errPut} {
			var de *DecodeError
			if !errors.As(err, &de) || !de.WriteDone() || de.Method != method || de.StatusCode < 200 || de.StatusCode > 299 ||
				!strings.HasSuffix(de.Path, "/roles/") && !strings.HasSuffix(de.Path, role.String()+"/") {
				t.Errorf("%s %s: err = %#v, want a *DecodeError of a done write", tc.name, method, err)
			}
			if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "the write was done") {
				t.Errorf("%s %s: %v does not match ErrOutcomeUnknown", tc.name, method, err)
			}
		}
		_, err := c.Roles.Get(ctx, OrganizationID(testOrg), RoleID(role))
		var de *DecodeError
		if !errors.As(err, &de) || de.WriteDone() || errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%s GET: err = %v, want a DecodeError not matching ErrOutcomeUnknown", tc.name, err)
		}
		if n := mt.GetTotalCallCount(); n != 4 {
			t.Errorf("%s: %d calls, want 4 (nothing re-sent)", tc.name, n)
		}
	}
	// Only 2xx answers to writes are done writes.
	for _, de := range []*DecodeError{{StatusCode: 302, Method: http.MethodPost}, {StatusCode: 200, Method: ""}, {StatusCode: 200, Method: http.MethodHead}} {
		if de.WriteDone() || errors.Is(de, ErrOutcomeUnknown) {
			t.Errorf("%+v reported as a done write", de)
		}
	}
	if de := (&DecodeError{StatusCode: 204, Method: http.MethodDelete}); !de.WriteDone() || !errors.Is(de, ErrOutcomeUnknown) {
		t.Errorf("DELETE 204 DecodeError not a done write")
	}
}

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
