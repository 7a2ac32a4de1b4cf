package posthogapi

// OAuthApplicationsService manages the organization's OAuth applications: /api/organizations/{organization_id}/oauth_applications/.
type OAuthApplicationsService service
