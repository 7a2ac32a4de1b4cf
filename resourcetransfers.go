package posthogapi

// ResourceTransfersService manages moving resources between projects: /api/organizations/{organization_id}/resource_transfers/.
type ResourceTransfersService service
