package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

var (
	testOrg    = uuid.MustParse("0195c3a1-0000-7000-8000-00000000a001")
	testDomain = uuid.MustParse("0195c3a1-0000-7000-8000-00000000d001")
)

func domainAPI(suffix string) string {
	return api(testOrg.String() + "/domains/" + suffix)
}

const domainJSON = `{
	"id": "0195c3a1-0000-7000-8000-00000000d001",
	"domain": "example.com",
	"is_verified": true,
	"verified_at": "2025-03-04T05:06:07.123456Z",
	"verification_challenge": "Zk3Jx9_challenge",
	"jit_provisioning_enabled": true,
	"sso_enforcement": "google-oauth2",
	"has_saml": true,
	"saml_entity_id": "https://idp.example.com/entity",
	"saml_acs_url": "https://us.posthog.com/complete/saml/",
	"saml_x509_cert": "MIIC...",
	"has_scim": true,
	"scim_enabled": true,
	"scim_base_url": "https://us.posthog.com/scim/v2/0195c3a1-0000-7000-8000-00000000d001",
	"scim_bearer_token": null
}`

func checkDomain(t *testing.T, d *OrganizationDomain) {
	t.Helper()
	want := time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)
	switch {
	case d.ID != DomainID(testDomain), d.Domain != "example.com", !d.IsVerified:
		t.Errorf("identity fields: %+v", d)
	case d.VerifiedAt == nil || !d.VerifiedAt.Equal(want):
		t.Errorf("VerifiedAt = %v", d.VerifiedAt)
	case d.VerificationChallenge != "Zk3Jx9_challenge", !d.JITProvisioningEnabled, d.SSOEnforcement != SSOEnforcementGoogle:
		t.Errorf("settings: %+v", d)
	case !d.HasSAML, d.SAMLEntityID == nil || *d.SAMLEntityID != "https://idp.example.com/entity",
		d.SAMLACSURL == nil || *d.SAMLACSURL != "https://us.posthog.com/complete/saml/",
		d.SAMLX509Cert == nil || *d.SAMLX509Cert != "MIIC...":
		t.Errorf("SAML: %+v", d)
	case !d.HasSCIM, !d.SCIMEnabled, d.SCIMBaseURL == nil || !strings.HasSuffix(*d.SCIMBaseURL, "/scim/v2/"+testDomain.String()),
		d.SCIMBearerToken != nil:
		t.Errorf("SCIM: %+v", d)
	}
}

func TestDomainsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, domainAPI(""),
		respond(t, 200, `{"count": 21, "next": null, "previous": "`+domainAPI("")+`?limit=10", "results": [`+domainJSON+`]}`, "limit=10&offset=20", ""))
	p, err := c.Domains.List(context.Background(), OrganizationID(testOrg), &ListOptions{Limit: 10, Offset: 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 21 || p.Next != "" || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkDomain(t, &p.Results[0])
}

func TestDomainsAllFollowsPages(t *testing.T) {
	c, mt := newMockClient(t)
	second := domainAPI("") + "?limit=1&offset=1"
	mt.RegisterResponder(http.MethodGet, domainAPI(""), func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "1" {
			return httpmock.NewStringResponse(200, `{"count": 2, "next": null, "results": [{"id": "0195c3a1-0000-7000-8000-00000000d002", "domain": "b.example.com"}]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count": 2, "next": "`+second+`", "results": [`+domainJSON+`]}`), nil
	})
	var names []string
	for d, err := range c.Domains.All(context.Background(), OrganizationID(testOrg), &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, d.Domain)
	}
	if strings.Join(names, ",") != "example.com,b.example.com" {
		t.Errorf("names = %v", names)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestDomainGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/"), respond(t, 200, domainJSON, "", ""))
	d, err := c.Domains.Get(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
	if err != nil {
		t.Fatal(err)
	}
	checkDomain(t, d)
}

func TestDomainCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, domainAPI(""), respond(t, 201, domainJSON, "",
		`{"domain": "example.com", "saml_entity_id": "https://idp.example.com/entity"}`))
	d, err := c.Domains.Create(context.Background(), OrganizationID(testOrg), &DomainCreate{
		Domain: "example.com", SAMLEntityID: Ptr("https://idp.example.com/entity"),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkDomain(t, d)
}

func TestDomainCreateValidation(t *testing.T) {
	c, mt := newMockClient(t)
	bad := []string{"", "Example.com", "localhost", "exa_mple.com", "-a.com", "a-.com", "a..com", "example.c0m",
		"example.com.", " example.com", strings.Repeat("a", 125) + ".com"}
	for _, name := range bad {
		if _, err := c.Domains.Create(context.Background(), OrganizationID(testOrg), &DomainCreate{Domain: name}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Create(%q) err = %v, want ErrInvalidArgument", name, err)
		}
	}
	for _, good := range []string{"example.com", "sub.my-company.co.uk", "a1.io"} {
		if err := (&DomainCreate{Domain: good}).validate(); err != nil {
			t.Errorf("validate(%q) = %v", good, err)
		}
	}
	if _, err := c.Domains.Create(context.Background(), OrganizationID(testOrg), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil create: %v", err)
	}
	if _, err := c.Domains.Create(context.Background(), OrganizationID(testOrg), &DomainCreate{Domain: "example.com", SAMLACSURL: Ptr(strings.Repeat("x", 513))}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("long acs url: %v", err)
	}
	if _, err := c.Domains.Create(context.Background(), OrganizationID(uuid.Nil), &DomainCreate{Domain: "example.com"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestDomainUpdateSendsOnlySetFieldsAndNeverTheName(t *testing.T) {
	c, mt := newMockClient(t)
	resp := strings.Replace(domainJSON, `"scim_bearer_token": null`, `"scim_bearer_token": "phs_once"`, 1)
	mt.RegisterResponder(http.MethodPatch, domainAPI(testDomain.String()+"/"), respond(t, 200, resp, "",
		`{"jit_provisioning_enabled": true, "sso_enforcement": "saml", "saml_acs_url": null, "saml_x509_cert": "PEM", "scim_enabled": true}`))
	d, err := c.Domains.Update(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &DomainUpdate{
		JITProvisioningEnabled: Ptr(true),
		SSOEnforcement:         Ptr(SSOEnforcementSAML),
		SAMLACSURL:             Null[string](),
		SAMLX509Cert:           NewNullable("PEM"),
		SCIMEnabled:            Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.SCIMBearerToken == nil || *d.SCIMBearerToken != "phs_once" {
		t.Errorf("SCIMBearerToken = %v", d.SCIMBearerToken)
	}
}

func TestDomainReplace(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPut, domainAPI(testDomain.String()+"/"), respond(t, 200, domainJSON, "",
		`{"jit_provisioning_enabled": false, "saml_entity_id": null}`))
	d, err := c.Domains.Replace(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &DomainUpdate{
		JITProvisioningEnabled: Ptr(false), SAMLEntityID: Null[string](),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkDomain(t, d)
	if _, err := c.Domains.Replace(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &DomainUpdate{SSOEnforcement: Ptr(SSOEnforcement(strings.Repeat("s", 29)))}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("long sso_enforcement: %v", err)
	}
	if _, err := c.Domains.Update(context.Background(), OrganizationID(testOrg), DomainID(testDomain), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil update: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestDomainDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodDelete, domainAPI(testDomain.String()+"/"), httpmock.NewStringResponder(204, ""))
	if err := c.Domains.Delete(context.Background(), OrganizationID(testOrg), DomainID(testDomain)); err != nil {
		t.Fatal(err)
	}
	if err := c.Domains.Delete(context.Background(), OrganizationID(testOrg), DomainID(uuid.Nil)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil id: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestDomainVerify(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, domainAPI(testDomain.String()+"/verify/"), respond(t, 200, domainJSON, "", `{}`))
	d, err := c.Domains.Verify(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
	if err != nil {
		t.Fatal(err)
	}
	checkDomain(t, d)
}

func TestDomainErrorCodes(t *testing.T) {
	cases := []struct {
		name, body     string
		status         int
		code, attr     string
		detail         string
		sentinel       error
		call           func(c *Client) error
		method, suffix string
	}{
		{
			name: "already_verified", status: 400,
			body: `{"type": "validation_error", "code": "already_verified", "detail": "This domain has already been verified.", "attr": null}`,
			code: "already_verified", detail: "This domain has already been verified.", sentinel: ErrValidation,
			method: http.MethodPost, suffix: "/verify/",
			call: func(c *Client) error {
				_, err := c.Domains.Verify(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
				return err
			},
		},
		{
			name: "verification_required", status: 400,
			body: `{"type": "validation_error", "code": "verification_required", "detail": "This attribute cannot be updated until the domain is verified.", "attr": "scim_enabled"}`,
			code: "verification_required", attr: "scim_enabled", detail: "This attribute cannot be updated until the domain is verified.", sentinel: ErrValidation,
			method: http.MethodPatch, suffix: "/",
			call: func(c *Client) error {
				_, err := c.Domains.Update(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &DomainUpdate{SCIMEnabled: Ptr(true)})
				return err
			},
		},
		{
			name: "feature_not_available", status: 400,
			body: `{"type": "validation_error", "code": "feature_not_available", "detail": "Automatic provisioning is not enabled for this organization.", "attr": "jit_provisioning_enabled"}`,
			code: "feature_not_available", attr: "jit_provisioning_enabled", detail: "Automatic provisioning is not enabled for this organization.", sentinel: ErrValidation,
			method: http.MethodPatch, suffix: "/",
			call: func(c *Client) error {
				_, err := c.Domains.Update(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &DomainUpdate{JITProvisioningEnabled: Ptr(true)})
				return err
			},
		},
		{
			name: "bare detail", status: 400,
			body:   `{"detail": "SCIM is not enabled for this domain"}`,
			detail: "SCIM is not enabled for this domain", sentinel: ErrValidation,
			method: http.MethodPost, suffix: "/scim/token/",
			call: func(c *Client) error {
				_, err := c.Domains.SCIMToken(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
				return err
			},
		},
		{
			name: "personal key rejected", status: 403,
			body: `{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`,
			code: "permission_denied", detail: "This action does not support Personal API Key access", sentinel: ErrPersonalAPIKeyNotSupported,
			method: http.MethodGet, suffix: "/scim/logs/",
			call: func(c *Client) error {
				_, err := c.Domains.ListSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), nil)
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(tc.method, domainAPI(testDomain.String()+tc.suffix), respond(t, tc.status, tc.body, "", ""))
			err := tc.call(c)
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want %v", err, tc.sentinel)
			}
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("not an *APIError: %T", err)
			}
			if ae.Code != tc.code || ae.Attr != tc.attr || ae.Detail != tc.detail || ae.StatusCode != tc.status {
				t.Errorf("APIError = code %q attr %q detail %q status %d", ae.Code, ae.Attr, ae.Detail, ae.StatusCode)
			}
			if tc.sentinel == ErrPersonalAPIKeyNotSupported && errors.Is(err, ErrMissingScope) {
				t.Error("a rejected personal key is not a missing scope")
			}
			assertNoCanary(t, err.Error())
		})
	}
}

func TestDomainSCIMToken(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, domainAPI(testDomain.String()+"/scim/token/"), respond(t, 200,
		`{"scim_enabled": true, "scim_base_url": "https://us.posthog.com/scim/v2/`+testDomain.String()+`", "scim_bearer_token": "phs_new_token"}`, "", `{}`))
	tok, err := c.Domains.SCIMToken(context.Background(), OrganizationID(testOrg), DomainID(testDomain))
	if err != nil {
		t.Fatal(err)
	}
	if !tok.SCIMEnabled || tok.SCIMBearerToken != "phs_new_token" || tok.SCIMBaseURL != "https://us.posthog.com/scim/v2/"+testDomain.String() {
		t.Errorf("token = %+v", tok)
	}
}

const scimLogJSON = `{
	"id": "0195c3a1-0000-7000-8000-0000000010%02d",
	"request_method": "POST",
	"request_path": "/scim/v2/0195c3a1-0000-7000-8000-00000000d001/Users",
	"request_headers": {"Content-Type": "application/scim+json", "Authorization": "Bearer ***"},
	"request_body": {"userName": "a***@example.com", "active": true},
	"response_status": 201,
	"response_body": {"id": "u1"},
	"identity_provider": "okta",
	"duration_ms": 42,
	"created_at": "2025-06-01T10:00:00Z"
}`

func scimLogs(ids ...int) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, strings.Replace(scimLogJSON, "%02d", twoDigits(id), 1))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestDomainSCIMLogs(t *testing.T) {
	c, mt := newMockClient(t)
	after := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2025, 6, 2, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	body := `{"count": 3, "next": "` + domainAPI(testDomain.String()+"/scim/logs/") + `?page=3", "previous": null, "results": ` + scimLogs(1) + `}`
	mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/scim/logs/"), respond(t, 200, body,
		"after=2025-06-01T00%3A00%3A00Z&before=2025-06-02T00%3A00%3A00%2B02%3A00&page=2&page_size=50&search=alice%40example.com&status_max=499&status_min=400", ""))
	opts := &SCIMLogOptions{Page: 2, PageSize: 50, StatusMin: 400, StatusMax: 499, Search: "alice@example.com", After: &after, Before: &before}
	p, err := c.Domains.ListSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 3 || p.Next == "" || p.Previous != "" || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	l := p.Results[0]
	if l.ID != uuid.MustParse("0195c3a1-0000-7000-8000-000000001001") || l.RequestMethod != "POST" ||
		!strings.HasSuffix(l.RequestPath, "/Users") || l.RequestHeaders["Content-Type"] != "application/scim+json" ||
		string(l.RequestBody) != `{"userName": "a***@example.com", "active": true}` || l.ResponseStatus != 201 ||
		string(l.ResponseBody) != `{"id": "u1"}` || l.IdentityProvider != "okta" || l.DurationMS == nil || *l.DurationMS != 42 ||
		!l.CreatedAt.Equal(time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("log = %+v", l)
	}
}

func TestDomainSCIMLogsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	now := time.Now()
	bad := []*SCIMLogOptions{
		{PageSize: 101}, {PageSize: -1}, {Page: -1}, {StatusMin: 500, StatusMax: 400}, {StatusMin: -1},
		{After: &now, Before: Ptr(now.Add(-time.Hour))},
	}
	for _, o := range bad {
		if _, err := c.Domains.ListSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), o); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("SCIMLogs(%+v) err = %v", o, err)
		}
		for _, err := range c.Domains.AllSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), o) {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("AllSCIMLogs(%+v) err = %v", o, err)
			}
		}
	}
	if _, err := c.Domains.ListSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(uuid.Nil), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil domain id: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid options", n)
	}
}

// scimPager answers SCIM log pages by number: pages[n-1] for page n.
func scimPager(t *testing.T, pages []string, seen *[]string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		*seen = append(*seen, q.Get("page")+"/"+q.Get("page_size"))
		n := 0
		for i := range pages {
			if q.Get("page") == string(rune('1'+i)) {
				n = i + 1
			}
		}
		if n == 0 {
			return httpmock.NewStringResponse(404, `{"type":"invalid_request","code":"not_found","detail":"Invalid page.","attr":null}`), nil
		}
		return httpmock.NewStringResponse(200, pages[n-1]), nil
	}
}

func TestDomainAllSCIMLogsWalksPageNumbers(t *testing.T) {
	c, mt := newMockClient(t)
	var seen []string
	// The next links point off the host: the iterator must only use them
	// as a "there is more" signal and ask for page n+1 itself.
	pages := []string{
		`{"count": 5, "next": "https://evil.example/steal?page=2", "previous": null, "results": ` + scimLogs(1, 2) + `}`,
		`{"count": 5, "next": "https://evil.example/steal?page=3", "previous": "x", "results": ` + scimLogs(3, 4) + `}`,
		`{"count": 5, "next": null, "previous": "x", "results": ` + scimLogs(5) + `}`,
	}
	mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/scim/logs/"), scimPager(t, pages, &seen))
	opts := &SCIMLogOptions{PageSize: 2, Search: "x"}
	seq := c.Domains.AllSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), opts)
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("AllSCIMLogs fetched %d pages before iteration", n)
	}
	opts.PageSize = 99 // changes after the call have no effect
	var got []string
	for l, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.ID.String()[34:])
	}
	if strings.Join(got, ",") != "01,02,03,04,05" {
		t.Errorf("ids = %v", got)
	}
	if strings.Join(seen, ",") != "1/2,2/2,3/2" {
		t.Errorf("requests = %v", seen)
	}
	if opts.Page != 0 || opts.PageSize != 99 {
		t.Errorf("options modified: %+v", opts)
	}

	// Stop on break: only the first page is fetched.
	seen = nil
	for range seq {
		break
	}
	if len(seen) != 1 {
		t.Errorf("break: requests = %v", seen)
	}
}

func TestDomainAllSCIMLogsStartsAtPage(t *testing.T) {
	c, mt := newMockClient(t)
	var seen []string
	pages := []string{
		`{"count": 4, "next": "p2", "results": ` + scimLogs(1, 2) + `}`,
		`{"count": 4, "next": null, "results": ` + scimLogs(3, 4) + `}`,
	}
	mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/scim/logs/"), scimPager(t, pages, &seen))
	n := 0
	for _, err := range c.Domains.AllSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &SCIMLogOptions{Page: 2, PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || strings.Join(seen, ",") != "2/2" {
		t.Errorf("n = %d, requests = %v", n, seen)
	}
}

func TestDomainAllSCIMLogsStalls(t *testing.T) {
	cases := map[string][]string{
		"empty page with next": {`{"count": 9, "next": "https://posthog.example/ph/x?page=2", "results": []}`},
		"same page again": {
			`{"count": 9, "next": "n", "results": ` + scimLogs(1) + `}`,
			`{"count": 9, "next": "n", "results": ` + scimLogs(1) + `}`,
		},
		"next points back": {`{"count": 9, "next": "https://posthog.example/ph/x?page=1", "results": ` + scimLogs(1) + `}`},
	}
	for name, pages := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			var seen []string
			mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/scim/logs/"), scimPager(t, pages, &seen))
			var errs []error
			items := 0
			for l, err := range c.Domains.AllSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), nil) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if l == nil {
					t.Fatal("nil item without error")
				}
				items++
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrPaginationStalled) {
				t.Fatalf("errors = %v", errs)
			}
			if len(seen) > len(pages) {
				t.Errorf("kept requesting: %v", seen)
			}
		})
	}
}

func TestDomainAllSCIMLogsYieldsErrorThenStops(t *testing.T) {
	c, mt := newMockClient(t)
	calls := 0
	mt.RegisterResponder(http.MethodGet, domainAPI(testDomain.String()+"/scim/logs/"), func(req *http.Request) (*http.Response, error) {
		calls++
		if req.URL.Query().Get("page") == "2" {
			return httpmock.NewStringResponse(403, `{"type":"authentication_error","code":"permission_denied","detail":"Only organization admins can view SCIM logs.","attr":null}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count": 3, "next": "n", "results": `+scimLogs(1, 2)+`}`), nil
	})
	var items, errs int
	for _, err := range c.Domains.AllSCIMLogs(context.Background(), OrganizationID(testOrg), DomainID(testDomain), &SCIMLogOptions{PageSize: 2}) {
		if err != nil {
			errs++
			if !errors.Is(err, ErrPermissionDenied) {
				t.Errorf("err = %v", err)
			}
			continue
		}
		items++
	}
	if items != 2 || errs != 1 || calls != 2 {
		t.Errorf("items %d errs %d calls %d", items, errs, calls)
	}
}
