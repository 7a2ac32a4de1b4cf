package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

// TestScopelessActionsMatchDocs keeps scopelessActions equal to the
// methods' "API: ... (scope none; personal API keys rejected)" lines, so
// that every action PostHog closes to personal API keys is refused before
// sending and no other is.
func TestScopelessActionsMatchDocs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`// API: ([A-Z]+) /api/(\S+) \(scope none; personal API keys rejected\)`)
	param := regexp.MustCompile(`\{[^}/]+\}`)
	documented := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range line.FindAllStringSubmatch(string(src), -1) {
			documented[m[1]+" "+param.ReplaceAllString(m[2], "*")] = true
		}
		// server-fidelity-2026-12 item 7: no current server has unscoped
		// keys, so no comment may promise that they get through.
		if strings.Contains(string(src), "without scopes get through") {
			t.Errorf("%s says keys without scopes get through a scope-less action", f)
		}
	}
	var table []string
	for _, a := range scopelessActions {
		table = append(table, a.method+" "+a.path)
		if !documented[a.method+" "+a.path] {
			t.Errorf("scopelessActions has %s %s, which no API: line marks scope none", a.method, a.path)
		}
	}
	for d := range documented {
		if !slices.Contains(table, d) {
			t.Errorf("API: line %s is scope none but not in scopelessActions", d)
		}
	}
	if len(documented) < 20 {
		t.Fatalf("only %d scope-none lines found", len(documented))
	}
}

// TestScopelessActionsRefusedBeforeSending: by default the client sends
// nothing for an action without a scope and returns an
// *UnsupportedActionError matching ErrPersonalAPIKeyNotSupported; with
// WithLegacyUnscopedKey it sends the request. Actions with a scope on the
// same paths (the role external reference list) are sent.
func TestScopelessActionsRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	org := OrganizationID(uuid.MustParse("0190c2e5-8e6f-7000-8000-00000000a001"))
	lookup := &RoleExternalReferenceLookup{Provider: "github", ProviderOrganizationID: "acme", ProviderRoleID: "1"}

	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{"reference":null,"count":0,"results":[],"next":null,"previous":null}`))
	c, err := NewClient(testKey, WithBaseURL(mockBase), WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RoleExternalReferences.Lookup(ctx, org, lookup)
	var unsupported *UnsupportedActionError
	if !errors.As(err, &unsupported) || !errors.Is(err, ErrPersonalAPIKeyNotSupported) || errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("Lookup = %v, want *UnsupportedActionError", err)
	}
	if strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "role_external_references/lookup/") {
		t.Errorf("error text = %q", err)
	}
	if _, err := c.Organizations.EnvironmentsRollback(ctx, org, map[ProjectID]ProjectID{1: 2}); !errors.As(err, &unsupported) {
		t.Errorf("EnvironmentsRollback = %v", err)
	}
	if _, err := c.RoleExternalReferences.List(ctx, org, nil); err != nil {
		t.Errorf("List = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Fatalf("%d requests sent, want only List's", n)
	}

	legacy, err := NewClient(testKey, WithBaseURL(mockBase), WithHTTPClient(&http.Client{Transport: mt}), WithLegacyUnscopedKey())
	if err != nil {
		t.Fatal(err)
	}
	if ref, err := legacy.RoleExternalReferences.Lookup(ctx, org, lookup); err != nil || ref != nil {
		t.Fatalf("legacy Lookup = %+v, %v", ref, err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d requests sent, want 2", n)
	}
}

func TestPathMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"organizations/*/domains/*/verify/", "organizations/a/domains/b/verify/", true},
		{"organizations/*/domains/*/verify/", "organizations/a/domains//verify/", false},
		{"organizations/*/domains/*/verify/", "organizations/a/domains/b/verify/x/", false},
		{"organizations/*/feature_flags/*/", "organizations/a/feature_flags/copy_flags/", true},
		{"organizations/*/personal_api_keys/", "organizations/a/personal_api_keys/b/", false},
	} {
		if got := pathMatches(c.pattern, c.path); got != c.want {
			t.Errorf("pathMatches(%q, %q) = %v", c.pattern, c.path, got)
		}
	}
}

func TestPathMatchesAllocatesNothing(t *testing.T) {
	c := &Client{}
	if n := testing.AllocsPerRun(100, func() {
		c.scopeless("GET", "/ph/api/organizations/0190c2e5-8e6f-7000-8000-00000000a001/members/")
	}); n != 0 {
		t.Errorf("scopeless allocates %v times per request", n)
	}
}
