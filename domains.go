package posthogapi

// DomainsService manages verified domains, SSO and SCIM: /api/organizations/{organization_id}/domains/.
type DomainsService service
