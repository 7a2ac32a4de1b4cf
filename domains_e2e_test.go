package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestDomainE2ELifecycle(t *testing.T) {
	ctx := context.Background()
	srv, org, c := legacySSOServer(t, "organization:write") // SAML on domains: older servers

	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == posthogapi.DomainID(uuid.Nil) || d.Domain != "example.com" || d.IsVerified || d.VerifiedAt != nil || d.VerificationChallenge == "" || d.HasSAML || d.HasSCIM || d.SCIMBaseURL != nil {
		t.Fatalf("created = %+v", d)
	}
	got, err := c.Domains.Get(ctx, org, d.ID)
	if err != nil || got.ID != d.ID || got.VerificationChallenge != d.VerificationChallenge {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if _, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "a.example.com"}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for x, err := range c.Domains.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, x.Domain)
	}
	if strings.Join(names, ",") != "a.example.com,example.com" {
		t.Errorf("All = %v (PostHog sorts by name)", names)
	}

	// Verification-gated settings are refused until the domain is verified.
	_, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{JITProvisioningEnabled: posthogapi.Ptr(true)})
	wantAPIError(t, err, 400, "verification_required", "jit_provisioning_enabled")
	_, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SSOEnforcement: posthogapi.Ptr(posthogapi.SSOEnforcementGoogle)})
	wantAPIError(t, err, 400, "verification_required", "sso_enforcement")

	// SAML settings are not gated.
	upd, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{
		SAMLEntityID: posthogapi.NewNullable("https://idp.example.com"),
		SAMLACSURL:   posthogapi.NewNullable("https://idp.example.com/acs"),
		SAMLX509Cert: posthogapi.NewNullable("CERT"),
	})
	if err != nil || !upd.HasSAML || upd.SAMLEntityID == nil || *upd.SAMLEntityID != "https://idp.example.com" {
		t.Fatalf("SAML update = %+v, %v", upd, err)
	}

	srv.VerifyDomain(org, d.ID)
	upd, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{
		JITProvisioningEnabled: posthogapi.Ptr(true), SSOEnforcement: posthogapi.Ptr(posthogapi.SSOEnforcementSAML),
	})
	if err != nil || !upd.IsVerified || upd.VerifiedAt == nil || !upd.JITProvisioningEnabled || upd.SSOEnforcement != posthogapi.SSOEnforcementSAML {
		t.Fatalf("verified update = %+v, %v", upd, err)
	}

	// PUT: the domain name is read-only, unset fields keep their values,
	// Null clears a SAML setting.
	rep, err := c.Domains.Replace(ctx, org, d.ID, &posthogapi.DomainUpdate{SAMLX509Cert: posthogapi.Null[string]()})
	if err != nil || rep.HasSAML || rep.SAMLX509Cert != nil || rep.SAMLEntityID == nil || !rep.JITProvisioningEnabled || rep.Domain != "example.com" {
		t.Fatalf("Replace = %+v, %v", rep, err)
	}

	if err := c.Domains.Delete(ctx, org, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Domains.Get(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if err := c.Domains.Delete(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Delete after delete: %v", err)
	}
	if ds := srv.Domains(org); len(ds) != 1 || ds[0].Domain != "a.example.com" {
		t.Errorf("server domains = %+v", ds)
	}
}

func TestDomainE2EUniqueAcrossOrganizations(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	srv.AddDomain(other.ID, "taken.example.com")
	_, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "taken.example.com"})
	wantAPIError(t, err, 400, "unique", "domain")
	// The other organization's domain is not visible from this one.
	if p, err := c.Domains.List(ctx, org, nil); err != nil || p.Count != 0 {
		t.Errorf("List = %+v, %v", p, err)
	}
}

func TestDomainE2EScopesAndLevels(t *testing.T) {
	ctx := context.Background()
	srv, org, reader := e2eServer(t, "organization:read")
	d := srv.AddDomain(org, "example.com")

	_, err := reader.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "new.example.com"})
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Fatalf("create with a read key: %v", err)
	}
	if err := reader.Domains.Delete(ctx, org, d.ID); !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Errorf("delete with a read key: %v", err)
	}
	if _, err := reader.Domains.Get(ctx, org, d.ID); err != nil {
		t.Errorf("get with a read key: %v", err)
	}

	members := e2eClient(t, srv, srv.NewAPIKey("organization_member:write"))
	if _, err := members.Domains.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "organization:read" {
		t.Errorf("list with another area's key: %v", err)
	}

	// A plain member with the right scope can read but not write.
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID, "organization:write"))
	if _, err := member.Domains.Get(ctx, org, d.ID); err != nil {
		t.Errorf("member get: %v", err)
	}
	_, err = member.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "new.example.com"})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("member create: %v", err)
	}
	if len(srv.Domains(org)) != 1 {
		t.Errorf("domains = %+v", srv.Domains(org))
	}
}

func TestDomainE2EActionsRejectScopedPersonalKeys(t *testing.T) {
	ctx := context.Background()
	srv, org, c := legacySSOServer(t, "*") // scim/token on domains: older servers
	d := srv.AddDomain(org, "example.com")
	srv.PublishDNSChallenge(org, d.ID)
	calls := map[string]func() error{
		"verify": func() error { _, err := c.Domains.Verify(ctx, org, d.ID); return err },
		"scim token": func() error {
			_, err := c.Domains.SCIMToken(ctx, org, d.ID)
			return err
		},
		"scim logs": func() error {
			_, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, nil)
			return err
		},
		"scim logs all": func() error {
			for _, err := range c.Domains.AllSCIMLogs(ctx, org, d.ID, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) || errors.Is(err, posthogapi.ErrMissingScope) {
			t.Errorf("%s: err = %v, want ErrPersonalAPIKeyNotSupported", name, err)
		}
	}
	if srv.Domains(org)[0].Verified {
		t.Error("a rejected verify verified the domain")
	}
}

func TestDomainE2EVerifyWithLegacyKey(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eLegacyServer(t) // a legacy key: no scopes, allowed everything
	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// No DNS record yet: verify answers 200 with the domain still unverified.
	v, err := c.Domains.Verify(ctx, org, d.ID)
	if err != nil || v.IsVerified {
		t.Fatalf("verify without DNS = %+v, %v", v, err)
	}
	srv.PublishDNSChallenge(org, d.ID)
	v, err = c.Domains.Verify(ctx, org, d.ID)
	if err != nil || !v.IsVerified || v.VerifiedAt == nil {
		t.Fatalf("verify with DNS = %+v, %v", v, err)
	}
	_, err = c.Domains.Verify(ctx, org, d.ID)
	ae := wantAPIError(t, err, 400, "already_verified", "")
	if !errors.Is(err, posthogapi.ErrValidation) || ae.Detail != "This domain has already been verified." {
		t.Errorf("verify twice: %v", err)
	}
}

func TestDomainE2ESCIM(t *testing.T) {
	ctx := context.Background()
	srv, org, c := legacySSOServer(t) // legacy key, so scim/token is reachable (older servers)
	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	wantAPIError(t, err, 400, "verification_required", "scim_enabled")

	srv.VerifyDomain(org, d.ID)
	// SCIM not enabled yet: PostHog's bare {"detail": ...} 400.
	_, err = c.Domains.SCIMToken(ctx, org, d.ID)
	ae := wantAPIError(t, err, 400, "", "")
	if ae.Detail != "SCIM is not enabled for this domain" || ae.Type != "" || !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("token before enabling: %+v", ae)
	}

	on, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	if err != nil || !on.SCIMEnabled || !on.HasSCIM || on.SCIMBearerToken == nil || *on.SCIMBearerToken == "" ||
		on.SCIMBaseURL == nil || !strings.HasSuffix(*on.SCIMBaseURL, "/scim/v2/"+d.ID.String()) {
		t.Fatalf("enable SCIM = %+v, %v", on, err)
	}
	first := *on.SCIMBearerToken
	// The token is shown once only.
	again, err := c.Domains.Get(ctx, org, d.ID)
	if err != nil || again.SCIMBearerToken != nil || !again.HasSCIM {
		t.Errorf("Get after enabling = %+v, %v", again, err)
	}
	if p, _ := c.Domains.List(ctx, org, nil); p == nil || p.Results[0].SCIMBearerToken != nil {
		t.Errorf("List shows the token: %+v", p)
	}
	// Enabling it again does not issue another token.
	same, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	if err != nil || same.SCIMBearerToken != nil {
		t.Errorf("enable twice = %+v, %v", same, err)
	}
	tok, err := c.Domains.SCIMToken(ctx, org, d.ID)
	if err != nil || !tok.SCIMEnabled || tok.SCIMBearerToken == "" || tok.SCIMBearerToken == first || tok.SCIMBaseURL != *on.SCIMBaseURL {
		t.Errorf("SCIMToken = %+v, %v", tok, err)
	}

	off, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(false)})
	if err != nil || off.SCIMEnabled || off.HasSCIM || off.SCIMBaseURL != nil {
		t.Errorf("disable SCIM = %+v, %v", off, err)
	}

	srv.SetDomainFeatures(org, true, false)
	_, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(true)})
	wantAPIError(t, err, 400, "feature_not_available", "scim_enabled")
	_, err = c.Domains.SCIMToken(ctx, org, d.ID)
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("token without the SCIM feature: %v", err)
	}
}

func TestDomainE2EAutomaticProvisioningFeature(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	d := srv.AddDomain(org, "example.com")
	srv.VerifyDomain(org, d.ID)
	srv.SetDomainFeatures(org, false, true)
	_, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "new.example.com"})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("create without the feature: %v", err)
	}
	_, err = c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{JITProvisioningEnabled: posthogapi.Ptr(true)})
	wantAPIError(t, err, 400, "feature_not_available", "jit_provisioning_enabled")
	// Turning it off is allowed.
	if _, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{JITProvisioningEnabled: posthogapi.Ptr(false)}); err != nil {
		t.Errorf("disable JIT: %v", err)
	}
}

func TestDomainE2ESCIMLogsPaging(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eLegacyServer(t) // legacy key: scim/logs has no scope
	d := srv.AddDomain(org, "example.com")
	other := srv.AddDomain(org, "other.example.com")
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 45 {
		status := 201
		if i%5 == 0 {
			status = 409
		}
		srv.AddSCIMLog(org, d.ID, posthogtest.SCIMLogSeed{
			Method: "POST", Path: fmt.Sprintf("/scim/v2/%s/Users", d.ID),
			RequestBody: map[string]any{"userName": fmt.Sprintf("user%02d@example.com", i)},
			Status:      status, IdentityProvider: "okta", DurationMS: posthogapi.Ptr(i),
			CreatedAt: base.Add(time.Duration(i) * time.Minute),
		})
	}
	srv.AddSCIMLog(org, other.ID, posthogtest.SCIMLogSeed{CreatedAt: base})

	p, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 45 || len(p.Results) != 20 || p.Next == "" || p.Previous != "" {
		t.Fatalf("first page: count %d, %d results, next %q, previous %q", p.Count, len(p.Results), p.Next, p.Previous)
	}
	if p.Results[0].DurationMS == nil || *p.Results[0].DurationMS != 44 || string(p.Results[0].RequestBody) != `{"userName":"user44@example.com"}` {
		t.Errorf("newest first: %+v", p.Results[0])
	}
	last, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{Page: 3})
	if err != nil || len(last.Results) != 5 || last.Next != "" || last.Previous == "" {
		t.Fatalf("page 3 = %+v, %v", last, err)
	}
	if _, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{Page: 4}); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("page 4: %v", err)
	}

	srv.ResetRequests()
	var durations []int
	for l, err := range c.Domains.AllSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{PageSize: 20}) {
		if err != nil {
			t.Fatal(err)
		}
		durations = append(durations, *l.DurationMS)
	}
	if len(durations) != 45 || durations[0] != 44 || durations[44] != 0 {
		t.Errorf("walked %d entries: %v", len(durations), durations)
	}
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, r.Query.Get("page"))
	}
	if strings.Join(pages, ",") != "1,2,3" {
		t.Errorf("pages requested = %v", pages)
	}

	// Filters: status range, search in the body, time window.
	n := 0
	for l, err := range c.Domains.AllSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{StatusMin: 400, StatusMax: 499, PageSize: 4}) {
		if err != nil {
			t.Fatal(err)
		}
		if l.ResponseStatus != 409 {
			t.Errorf("status %d outside the filter", l.ResponseStatus)
		}
		n++
	}
	if n != 9 {
		t.Errorf("%d conflicts, want 9", n)
	}
	found, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{Search: "USER07@"})
	if err != nil || found.Count != 1 {
		t.Errorf("search = %+v, %v", found, err)
	}
	after, before := base.Add(10*time.Minute), base.Add(19*time.Minute)
	win, err := c.Domains.ListSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{After: &after, Before: &before, PageSize: 100})
	if err != nil || win.Count != 10 {
		t.Errorf("window = %d entries, %v", win.Count, err)
	}

	// Only admins may read SCIM logs, even with a legacy key.
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID))
	_, err = member.Domains.ListSCIMLogs(ctx, org, d.ID, nil)
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); ae.Detail != "Only organization admins can view SCIM logs." {
		t.Errorf("member: %v", err)
	}
}

func TestDomainE2ENotFound(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	d := srv.AddDomain(other.ID, "other.example.com")
	// A domain of another organization is not found through this one.
	if _, err := c.Domains.Get(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("cross-organization get: %v", err)
	}
	if _, err := c.Domains.Get(ctx, org, posthogapi.DomainID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown domain: %v", err)
	}
	stranger := srv.AddUser(posthogtest.UserSeed{Email: "stranger@example.com"})
	sc := e2eClient(t, srv, srv.NewAPIKeyFor(stranger.UUID, "organization:read"))
	if _, err := sc.Domains.List(ctx, org, nil); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("non-member list: %v", err)
	}
}

// enforce_verified_domains is one setting: written by Organizations.Update
// or by the seeding helper, shown by Organizations.Get and read by the
// domain delete guard.
func TestFidelityDec11_EnforceVerifiedDomainsOneState(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "organization:write")
	org := srv.DefaultOrganization().ID
	own := srv.AddDomain(org, "example.com") // owner@example.com
	srv.VerifyDomain(org, own.ID)
	if _, err := c.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{EnforceVerifiedDomains: posthogapi.Ptr(true)}); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, c.Domains.Delete(ctx, org, own.ID), 400, posthogapi.CodeWouldBlockSelf, "")
	if _, err := c.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{EnforceVerifiedDomains: posthogapi.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	srv.SetEnforceVerifiedDomains(org, true)
	got, err := c.Organizations.Get(ctx, org)
	if err != nil || !got.EnforceVerifiedDomains {
		t.Fatalf("after SetEnforceVerifiedDomains: %+v, %v, want enforce_verified_domains true", got, err)
	}
	wantAPIError(t, c.Domains.Delete(ctx, org, own.ID), 400, posthogapi.CodeWouldBlockSelf, "")
	srv.SetEnforceVerifiedDomains(org, false)
	if err := c.Domains.Delete(ctx, org, own.ID); err != nil {
		t.Errorf("delete with the setting off: %v", err)
	}
}
