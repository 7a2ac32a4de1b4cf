package posthogapi

// ProxyRecordsService manages managed reverse proxy records: /api/organizations/{organization_id}/proxy_records/.
type ProxyRecordsService service
