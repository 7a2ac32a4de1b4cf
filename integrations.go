package posthogapi

// IntegrationsService manages organization-level integrations: /api/organizations/{organization_id}/integrations/.
type IntegrationsService service
