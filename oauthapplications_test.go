package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

const oauthAppJSON = `{
	"id": "0190a1b2-0000-7000-8000-0000000f0001",
	"name": "Hog CLI",
	"client_id": "cli_8d7f6e5d4c3b2a1",
	"redirect_uris_list": ["https://cli.example.com/callback", "http://localhost:8765/callback"],
	"is_verified": true,
	"created": "2025-03-04T05:06:07.123Z",
	"updated": "2025-03-05T05:06:07Z"
}`

func TestOAuthApplicationsListAll(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	u := api(roleOrg.String() + "/oauth_applications/")
	mt.RegisterResponder(http.MethodGet, u, func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "1" {
			return respond(t, 200, `{"count": 2, "next": null, "previous": null, "results": [
				{"id": "0190a1b2-0000-7000-8000-0000000f0002", "name": "Other", "client_id": "x",
				 "redirect_uris_list": [], "is_verified": false, "created": "2025-01-01T00:00:00Z", "updated": "2025-01-01T00:00:00Z"}]}`,
				"limit=1&offset=1", "")(req)
		}
		return respond(t, 200, `{"count": 2, "next": "`+u+`?limit=1&offset=1", "previous": null, "results": [`+oauthAppJSON+`]}`, "limit=1", "")(req)
	})
	p, err := c.OAuthApplications.List(ctx, OrganizationID(roleOrg), &ListOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 2 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	a := p.Results[0]
	if a.ID != OAuthApplicationID(uuid.MustParse("0190a1b2-0000-7000-8000-0000000f0001")) || a.Name != "Hog CLI" || a.ClientID != "cli_8d7f6e5d4c3b2a1" ||
		!a.IsVerified || len(a.RedirectURIsList) != 2 || a.RedirectURIsList[1] != "http://localhost:8765/callback" {
		t.Errorf("app = %+v", a)
	}
	if !a.Created.Equal(time.Date(2025, 3, 4, 5, 6, 7, 123e6, time.UTC)) || !a.Updated.Equal(time.Date(2025, 3, 5, 5, 6, 7, 0, time.UTC)) {
		t.Errorf("times = %v %v", a.Created, a.Updated)
	}
	var names []string
	for a, err := range c.OAuthApplications.All(ctx, OrganizationID(roleOrg), &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.Name)
	}
	if len(names) != 2 || names[0] != "Hog CLI" || names[1] != "Other" {
		t.Errorf("names = %v", names)
	}
	before := mt.GetTotalCallCount()
	if _, err := c.OAuthApplications.List(ctx, OrganizationID(uuid.Nil), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	for _, err := range c.OAuthApplications.All(ctx, OrganizationID(uuid.Nil), nil) {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil org (All): %v", err)
		}
	}
	if mt.GetTotalCallCount() != before {
		t.Error("invalid arguments were sent")
	}
}
