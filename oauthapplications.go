package posthogapi

import (
	"context"
	"iter"
	"time"
)

// OAuthApplicationsService lists the organization's OAuth applications: /api/organizations/{organization_id}/oauth_applications/.
type OAuthApplicationsService service

// OrganizationOAuthApplication is an OAuth application registered to the
// organization (read-only through this API).
type OrganizationOAuthApplication struct {
	ID       OAuthApplicationID `json:"id"`
	Name     string             `json:"name"`
	ClientID string             `json:"client_id"`
	// RedirectURIsList are the application's allowed redirect URIs.
	RedirectURIsList []string `json:"redirect_uris_list"`
	// IsVerified reports whether PostHog has verified the application.
	IsVerified bool      `json:"is_verified"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

// List returns one page of the organization's OAuth applications, newest
// first.
//
// API: GET /api/organizations/{organization_id}/oauth_applications/ (scope organization:read)
func (s *OAuthApplicationsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[OrganizationOAuthApplication], error) {
	return list[OrganizationOAuthApplication](ctx, s.client, at("organizations", org, "oauth_applications"), opts)
}

// All iterates over every OAuth application of the organization, fetching
// pages as needed.
//
// API: GET /api/organizations/{organization_id}/oauth_applications/ (scope organization:read)
func (s *OAuthApplicationsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*OrganizationOAuthApplication, error] {
	return iterate[OrganizationOAuthApplication](ctx, s.client, at("organizations", org, "oauth_applications"), opts)
}
