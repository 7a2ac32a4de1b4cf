package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestIntegrationE2ELifecycle(t *testing.T) {
	srv := e2eStart(t)
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	owner := srv.DefaultUser()
	seeded := srv.AddIntegration(org, "vercel", map[string]any{"type": "connectable", "account": "acme"})
	srv.AddIntegration(srv.AddOrganization("Elsewhere", posthogapi.UserUUID(uuid.Nil)).ID, "vercel", nil)

	c := retryingClient(t, srv, srv.NewAPIKey("organization_integration:write"))
	page, err := c.Integrations.List(ctx, org, nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 1 || len(page.Results) != 1 {
		t.Fatalf("list = %+v", page)
	}
	in := page.Results[0]
	if in.ID != seeded.ID || in.Kind != posthogapi.IntegrationKindVercel || in.IntegrationID == nil || *in.IntegrationID != seeded.IntegrationID ||
		in.Config["type"] != "connectable" || in.Config["account"] != "acme" || in.CreatedAt.IsZero() ||
		in.CreatedBy == nil || in.CreatedBy.UUID != owner.UUID || in.CreatedBy.Email != owner.Email {
		t.Errorf("integration = %+v", in)
	}

	got, err := c.Integrations.Get(ctx, org, seeded.ID)
	if err != nil || got.ID != seeded.ID {
		t.Fatalf("get = %+v, %v", got, err)
	}
	n := 0
	for _, err := range c.Integrations.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("all = %d", n)
	}

	// Environment mapping rejects personal API keys, whatever their scopes.
	star, _ := srv.Client(srv.NewAPIKey("*"))
	for _, cl := range []*posthogapi.Client{c, star} {
		_, err := cl.Integrations.EnvironmentMapping(ctx, org, seeded.ID, &posthogapi.IntegrationEnvironmentMapping{Production: 1})
		if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
			t.Errorf("environment mapping: %v", err)
		}
	}

	if err := c.Integrations.Delete(ctx, org, seeded.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Integrations.Get(ctx, org, seeded.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := c.Integrations.Delete(ctx, org, seeded.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if left := srv.Integrations(org); len(left) != 0 {
		t.Errorf("server still has %v", left)
	}
}

func TestIntegrationE2EPermissions(t *testing.T) {
	srv := e2eStart(t)
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	in := srv.AddIntegration(org, "vercel", nil)

	var se *posthogapi.ScopeError
	none, _ := srv.Client(srv.NewAPIKey("batch_export:read"))
	if _, err := none.Integrations.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "organization_integration:read" {
		t.Errorf("list without scope: %v", err)
	}
	if _, err := none.Integrations.Get(ctx, org, in.ID); !errors.As(err, &se) || se.Scope != "organization_integration:read" {
		t.Errorf("get without scope: %v", err)
	}
	reader, _ := srv.Client(srv.NewAPIKey("organization_integration:read"))
	if _, err := reader.Integrations.Get(ctx, org, in.ID); err != nil {
		t.Fatal(err)
	}
	if err := reader.Integrations.Delete(ctx, org, in.ID); !errors.As(err, &se) || se.Scope != "organization_integration:write" {
		t.Errorf("delete with read scope: %v", err)
	}

	// Members may read; only admins may disconnect.
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member, _ := srv.Client(srv.NewAPIKeyFor(u.UUID, "organization_integration:write"))
	if _, err := member.Integrations.Get(ctx, org, in.ID); err != nil {
		t.Errorf("member read: %v", err)
	}
	err := member.Integrations.Delete(ctx, org, in.ID)
	if !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("member delete: %v", err)
	}
	if len(srv.Integrations(org)) != 1 {
		t.Error("member deleted the integration")
	}

	// Unknown IDs and other organizations are 404.
	if _, err := reader.Integrations.Get(ctx, org, posthogapi.IntegrationID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil)).ID
	if _, err := reader.Integrations.Get(ctx, other, in.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("other organization: %v", err)
	}
}
