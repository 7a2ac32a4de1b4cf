package posthogapi

// FeatureFlagsService manages feature flags across the organization's projects: /api/organizations/{organization_id}/feature_flags/.
type FeatureFlagsService service
