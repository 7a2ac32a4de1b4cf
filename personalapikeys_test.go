package posthogapi

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
)

const orgPAKJSON = `{
  "owner": {"first_name": "Ada", "last_name": "Admin", "email": "ada@example.com"},
  "mask_value": "phx_...1a2b",
  "scopes": ["insight:read", "project:write"],
  "access_scope": {"type": "projects", "projects": [{"id": 7, "name": "Web"}]},
  "last_used_at": null,
  "created_at": "2026-01-02T03:04:05Z"
}`

func TestFidelity14_PersonalAPIKeysList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(beOrg.String()+"/personal_api_keys/"), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+orgPAKJSON+`]}`, "limit=10", ""))
	p, err := c.PersonalAPIKeys.List(context.Background(), OrganizationID(beOrg), &ListOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	k := p.Results[0]
	if k.Owner.Email != "ada@example.com" || k.Owner.FirstName != "Ada" || k.MaskValue == nil || *k.MaskValue != "phx_...1a2b" ||
		len(k.Scopes) != 2 || k.Scopes[1] != "project:write" || k.LastUsedAt != nil || !k.CreatedAt.Equal(mustTime(t, "2026-01-02T03:04:05Z")) {
		t.Errorf("key = %+v", k)
	}
	if k.AccessScope.Type != PersonalAPIKeyAccessProjects || len(k.AccessScope.Projects) != 1 || k.AccessScope.Projects[0] != (PersonalAPIKeyProject{7, "Web"}) {
		t.Errorf("access_scope = %+v", k.AccessScope)
	}
}

func TestFidelity14_PersonalAPIKeysAllAndRejection(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(beOrg.String()+"/personal_api_keys/"), respond(t, 403,
		`{"type":"authentication_error","code":"permission_denied","detail":"This action does not support personal API key access","attr":null}`, "", ""))
	n := 0
	for _, err := range c.PersonalAPIKeys.All(context.Background(), OrganizationID(beOrg), nil) {
		n++
		if !errors.Is(err, ErrPersonalAPIKeyNotSupported) {
			t.Errorf("err = %v, want ErrPersonalAPIKeyNotSupported", err)
		}
	}
	if n != 1 {
		t.Errorf("iterator yielded %d times", n)
	}
	for _, err := range c.PersonalAPIKeys.All(context.Background(), OrganizationID(uuid.Nil), nil) {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil org: %v", err)
		}
	}
	if _, err := c.PersonalAPIKeys.List(context.Background(), OrganizationID(uuid.Nil), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
