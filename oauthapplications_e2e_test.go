package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestOAuthApplicationsE2E(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "organization:read")
	org := srv.DefaultOrganization().ID
	p, err := c.OAuthApplications.List(ctx, org, nil)
	if err != nil || p.Count != 0 || p.Results == nil {
		t.Fatalf("empty list: %+v %v", p, err)
	}
	first := srv.AddOAuthApplication(org, posthogtest.OAuthApplicationSeed{Name: "First", RedirectURIs: []string{"https://a.example/cb"}})
	second := srv.AddOAuthApplication(org, posthogtest.OAuthApplicationSeed{Name: "Second", ClientID: "client-2", IsVerified: true})
	other := srv.AddOrganization("Elsewhere", srv.DefaultUser().UUID)
	srv.AddOAuthApplication(other.ID, posthogtest.OAuthApplicationSeed{Name: "Not ours"})

	var got []posthogapi.OrganizationOAuthApplication
	for a, err := range c.OAuthApplications.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *a)
	}
	if len(got) != 2 || got[0].ID != second || got[1].ID != first {
		t.Fatalf("apps = %+v", got)
	}
	if got[0].ClientID != "client-2" || !got[0].IsVerified || got[0].Created.IsZero() {
		t.Errorf("second = %+v", got[0])
	}
	if got[1].ClientID == "" || len(got[1].RedirectURIsList) != 1 || got[1].RedirectURIsList[0] != "https://a.example/cb" {
		t.Errorf("first = %+v", got[1])
	}
	none, _ := srv.Client(srv.NewAPIKey("organization_member:read"))
	var se *posthogapi.ScopeError
	if _, err := none.OAuthApplications.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "organization:read" {
		t.Errorf("scope: %v", err)
	}
}
