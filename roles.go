package posthogapi

// RolesService manages roles and role memberships: /api/organizations/{organization_id}/roles/.
type RolesService service
