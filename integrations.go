package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// IntegrationsService manages organization-level integrations: /api/organizations/{organization_id}/integrations/.
//
// Organization integrations (Vercel, marketplace installs ...) are created
// by their installation flows, not through the API: the API lists, reads
// and disconnects them. Writes need an organization admin.
type IntegrationsService service

// IntegrationKind is the external system of an organization integration.
type IntegrationKind string

// Integration kinds. Newer servers create organization integrations for
// Vercel only; any other kind decodes as it comes.
const (
	IntegrationKindVercel IntegrationKind = "vercel"
)

// OrganizationIntegration is an organization-level integration as PostHog
// sends it. All its fields are read-only.
type OrganizationIntegration struct {
	ID   IntegrationID   `json:"id"`
	Kind IntegrationKind `json:"kind"`
	// IntegrationID is the integration's ID in the external system (a
	// Vercel installation ID ...), nil when there is none.
	IntegrationID *string `json:"integration_id"`
	// Config holds the non-secret settings; config["type"] is "connectable"
	// for integrations whose environments can be mapped.
	Config    map[string]any `json:"config"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	// CreatedBy is nil once the creating user is deleted (the model keeps
	// the integration with a null creator).
	CreatedBy *UserBasic `json:"created_by"`
}

// IntegrationEnvironmentMapping is the body of
// Integrations.EnvironmentMapping: the project (team) IDs that Vercel's
// production, preview and development environments send to. Production is
// required; Preview and Development default to it.
type IntegrationEnvironmentMapping struct {
	Production  ProjectID  `json:"production"`
	Preview     *ProjectID `json:"preview,omitempty"`
	Development *ProjectID `json:"development,omitempty"`
}

func (m *IntegrationEnvironmentMapping) validate() error {
	if m == nil {
		return fmt.Errorf("%w: nil environment mapping", ErrInvalidArgument)
	}
	if m.Production <= 0 {
		return fmt.Errorf("%w: production project id is required", ErrInvalidArgument)
	}
	if m.Preview != nil && *m.Preview <= 0 {
		return fmt.Errorf("%w: preview project id must be positive", ErrInvalidArgument)
	}
	if m.Development != nil && *m.Development <= 0 {
		return fmt.Errorf("%w: development project id must be positive", ErrInvalidArgument)
	}
	return nil
}

// List returns one page of the organization's integrations.
//
// API: GET /api/organizations/{organization_id}/integrations/ (scope organization_integration:read)
func (s *IntegrationsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[OrganizationIntegration], error) {
	return list[OrganizationIntegration](ctx, s.client, at("organizations", org, "integrations"), opts)
}

// All iterates over every integration of the organization, fetching pages
// as needed.
//
// API: GET /api/organizations/{organization_id}/integrations/ (scope organization_integration:read)
func (s *IntegrationsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*OrganizationIntegration, error] {
	return iterate[OrganizationIntegration](ctx, s.client, at("organizations", org, "integrations"), opts)
}

// Get returns one integration.
//
// API: GET /api/organizations/{organization_id}/integrations/{id}/ (scope organization_integration:read)
func (s *IntegrationsService) Get(ctx context.Context, org OrganizationID, id IntegrationID) (*OrganizationIntegration, error) {
	return get[OrganizationIntegration](ctx, s.client, at("organizations", org, "integrations", id), nil)
}

// Delete disconnects the integration (for a marketplace install, PostHog
// also removes the installation and the projects' own Vercel
// integrations). It needs an admin. PostHog answers 409 while the account
// has unpaid invoices.
//
// API: DELETE /api/organizations/{organization_id}/integrations/{id}/ (scope organization_integration:write)
func (s *IntegrationsService) Delete(ctx context.Context, org OrganizationID, id IntegrationID) error {
	return del(ctx, s.client, at("organizations", org, "integrations", id))
}

// EnvironmentMapping sets which projects a connectable integration's
// environments send to and returns the updated integration. PostHog answers
// 400 for integrations that are not connectable and for projects outside
// the organization. PostHog requires no scope for this action, which means
// personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: PATCH /api/organizations/{organization_id}/integrations/{id}/environment-mapping/ (scope none; personal API keys rejected)
func (s *IntegrationsService) EnvironmentMapping(ctx context.Context, org OrganizationID, id IntegrationID, m *IntegrationEnvironmentMapping) (*OrganizationIntegration, error) {
	return send[OrganizationIntegration](ctx, s.client, http.MethodPatch, at("organizations", org, "integrations", id, "environment-mapping").check(m.validate()), m)
}
