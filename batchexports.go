package posthogapi

// BatchExportsService manages batch exports: /api/organizations/{organization_id}/batch_exports/.
type BatchExportsService service
