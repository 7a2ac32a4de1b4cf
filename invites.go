package posthogapi

// InvitesService manages invitations: /api/organizations/{organization_id}/invites/.
type InvitesService service
