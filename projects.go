package posthogapi

// ProjectsService manages projects: /api/organizations/{organization_id}/projects/.
type ProjectsService service
