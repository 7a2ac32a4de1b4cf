package posthogapi

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
)

var integrationID = uuid.MustParse("5b3a8c2e-1f4d-4e6a-9b7c-0d1e2f3a4b5c")

// integrationJSON is an organization integration as PostHog answers it.
const integrationJSON = `{
  "id": "5b3a8c2e-1f4d-4e6a-9b7c-0d1e2f3a4b5c",
  "kind": "vercel",
  "integration_id": "icfg_abc123",
  "config": {"type": "connectable", "environment_mapping": {"production": 12, "preview": 12, "development": 13}},
  "created_at": "2025-11-03T09:00:00Z",
  "updated_at": "2025-11-04T09:30:00.5Z",
  "created_by": {
    "id": 3, "uuid": "0190c2e5-8e6f-7000-8000-0000000000b3", "distinct_id": "d3",
    "first_name": "Olive", "last_name": "Owner", "email": "owner@example.com",
    "is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"
  }
}`

func checkIntegration(t *testing.T, in *OrganizationIntegration) {
	t.Helper()
	if in.ID != IntegrationID(integrationID) || in.Kind != IntegrationKindVercel || in.IntegrationID == nil || *in.IntegrationID != "icfg_abc123" {
		t.Errorf("id/kind/integration_id = %v %q %v", in.ID, in.Kind, in.IntegrationID)
	}
	m, _ := in.Config["environment_mapping"].(map[string]any)
	if in.Config["type"] != "connectable" || m["development"] != float64(13) {
		t.Errorf("config = %v", in.Config)
	}
	if !in.CreatedAt.Equal(mustTime(t, "2025-11-03T09:00:00Z")) || !in.UpdatedAt.Equal(mustTime(t, "2025-11-04T09:30:00.5Z")) {
		t.Errorf("times = %v %v", in.CreatedAt, in.UpdatedAt)
	}
	u := in.CreatedBy
	if u == nil || u.ID != 3 || u.UUID != UserUUID(uuid.MustParse("0190c2e5-8e6f-7000-8000-0000000000b3")) || u.Email != "owner@example.com" ||
		u.RoleAtOrganization == nil || *u.RoleAtOrganization != RoleAtOrganizationEngineering {
		t.Errorf("created_by = %+v", u)
	}
}

func inPath(rest string) string { return api(beOrg.String() + "/integrations/" + rest) }

func TestIntegrationsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", inPath(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+integrationJSON+`]}`, "limit=5", ""))
	p, err := c.Integrations.List(context.Background(), OrganizationID(beOrg), &ListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkIntegration(t, &p.Results[0])
}

func TestIntegrationsAll(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", inPath(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+integrationJSON+`]}`, "", ""))
	n := 0
	for in, err := range c.Integrations.All(context.Background(), OrganizationID(beOrg), nil) {
		if err != nil {
			t.Fatal(err)
		}
		checkIntegration(t, in)
		n++
	}
	if n != 1 {
		t.Errorf("got %d integrations", n)
	}
}

func TestIntegrationsGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", inPath(integrationID.String()+"/"), respond(t, 200, integrationJSON, "", ""))
	in, err := c.Integrations.Get(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID))
	if err != nil {
		t.Fatal(err)
	}
	checkIntegration(t, in)
}

func TestIntegrationsGetNullCreator(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", inPath(integrationID.String()+"/"), respond(t, 200,
		`{"id": "5b3a8c2e-1f4d-4e6a-9b7c-0d1e2f3a4b5c", "kind": "slack", "integration_id": null, "config": {}, "created_at": "2025-11-03T09:00:00Z", "updated_at": "2025-11-03T09:00:00Z", "created_by": null}`, "", ""))
	in, err := c.Integrations.Get(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID))
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != "slack" || in.IntegrationID != nil || in.CreatedBy != nil {
		t.Errorf("integration = %+v", in)
	}
}

func TestIntegrationsDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", inPath(integrationID.String()+"/"), noBody(t, 204, ""))
	if err := c.Integrations.Delete(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID)); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetCallCountInfo()["DELETE "+inPath(integrationID.String()+"/")]; n != 1 {
		t.Errorf("DELETE calls = %d", n)
	}
}

func TestIntegrationsDeleteOpenInvoices(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", inPath(integrationID.String()+"/"), respond(t, 409,
		`{"type": "invalid_request", "code": "open_invoices_error", "detail": "This integration has unpaid invoices that must be resolved before disconnecting.", "attr": null}`, "", ""))
	err := c.Integrations.Delete(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID))
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 409 || ae.Code != "open_invoices_error" {
		t.Fatalf("err = %v", err)
	}
}

func TestIntegrationsEnvironmentMapping(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", inPath(integrationID.String()+"/environment-mapping/"), respond(t, 200, integrationJSON, "",
		`{"production": 12, "development": 13}`))
	in, err := c.Integrations.EnvironmentMapping(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID),
		&IntegrationEnvironmentMapping{Production: 12, Development: Ptr[ProjectID](13)})
	if err != nil {
		t.Fatal(err)
	}
	checkIntegration(t, in)
}

func TestIntegrationsEnvironmentMappingErrors(t *testing.T) {
	c, mt := newMockClient(t)
	path := inPath(integrationID.String() + "/environment-mapping/")
	mt.RegisterResponder("PATCH", path, respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`, "", ""))
	_, err := c.Integrations.EnvironmentMapping(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID), &IntegrationEnvironmentMapping{Production: 1})
	if !errors.Is(err, ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("err = %v", err)
	}
	// PostHog answers its own 400s here as a bare {"detail"}.
	mt.RegisterResponder("PATCH", path, respond(t, 400, `{"detail": "Environment mapping is only supported for connectable integrations."}`, "", ""))
	_, err = c.Integrations.EnvironmentMapping(context.Background(), OrganizationID(beOrg), IntegrationID(integrationID), &IntegrationEnvironmentMapping{Production: 1})
	var ae *APIError
	if !errors.Is(err, ErrValidation) || !errors.As(err, &ae) || ae.Detail != "Environment mapping is only supported for connectable integrations." {
		t.Fatalf("err = %v", err)
	}
}

func TestIntegrationsScopeError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", inPath(""), respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "API key missing required scope 'organization_integration:read'", "attr": null}`, "", ""))
	_, err := c.Integrations.List(context.Background(), OrganizationID(beOrg), nil)
	var se *ScopeError
	if !errors.As(err, &se) || se.Scope != "organization_integration:read" {
		t.Fatalf("err = %v", err)
	}
}

func TestIntegrationsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"list nil org": func() error { _, err := c.Integrations.List(ctx, OrganizationID(uuid.Nil), nil); return err },
		"all nil org": func() error {
			for _, err := range c.Integrations.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
		"get nil id": func() error {
			_, err := c.Integrations.Get(ctx, OrganizationID(beOrg), IntegrationID(uuid.Nil))
			return err
		},
		"delete nil org": func() error {
			return c.Integrations.Delete(ctx, OrganizationID(uuid.Nil), IntegrationID(integrationID))
		},
		"delete nil id": func() error { return c.Integrations.Delete(ctx, OrganizationID(beOrg), IntegrationID(uuid.Nil)) },
		"mapping nil": func() error {
			_, err := c.Integrations.EnvironmentMapping(ctx, OrganizationID(beOrg), IntegrationID(integrationID), nil)
			return err
		},
		"mapping no production": func() error {
			_, err := c.Integrations.EnvironmentMapping(ctx, OrganizationID(beOrg), IntegrationID(integrationID), &IntegrationEnvironmentMapping{Preview: Ptr[ProjectID](3)})
			return err
		},
		"mapping bad preview": func() error {
			_, err := c.Integrations.EnvironmentMapping(ctx, OrganizationID(beOrg), IntegrationID(integrationID), &IntegrationEnvironmentMapping{Production: 1, Preview: Ptr[ProjectID](0)})
			return err
		},
		"mapping bad development": func() error {
			_, err := c.Integrations.EnvironmentMapping(ctx, OrganizationID(beOrg), IntegrationID(integrationID), &IntegrationEnvironmentMapping{Production: 1, Development: Ptr[ProjectID](-2)})
			return err
		},
		"mapping nil id": func() error {
			_, err := c.Integrations.EnvironmentMapping(ctx, OrganizationID(beOrg), IntegrationID(uuid.Nil), &IntegrationEnvironmentMapping{Production: 1})
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
