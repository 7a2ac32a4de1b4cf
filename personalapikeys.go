package posthogapi

import (
	"context"
	"iter"
	"time"
)

// PersonalAPIKeysService lists the personal API keys of an organization's
// members: /api/organizations/{organization_id}/personal_api_keys/.
//
// The list is read-only and never carries a key's secret, only its masked
// hint, its scopes and where they apply. PostHog
// (posthog/api/organization_personal_api_key.py) marks the route INTERNAL,
// so every personal API key is rejected: the call sends nothing and
// returns an *UnsupportedActionError (it matches
// ErrPersonalAPIKeyNotSupported). Today's PostHog has no unscoped keys
// (migration 1052); WithLegacyUnscopedKey sends it for a self-hosted
// PostHog older than that migration, where a legacy key gets through.
// The caller must be an organization admin (403 otherwise), and the
// organization must have the organization security settings feature (402
// otherwise).
type PersonalAPIKeysService service

// PersonalAPIKeyAccessType is the breadth of a personal API key within the
// organization.
type PersonalAPIKeyAccessType string

// Personal API key access types.
const (
	// PersonalAPIKeyAccessAll: the key is not scoped; it reaches every
	// project its owner can reach.
	PersonalAPIKeyAccessAll PersonalAPIKeyAccessType = "all"
	// PersonalAPIKeyAccessOrganization: the key is scoped to this whole
	// organization (or to projects of which none is left).
	PersonalAPIKeyAccessOrganization PersonalAPIKeyAccessType = "organization"
	// PersonalAPIKeyAccessProjects: the key is scoped to the projects
	// listed in PersonalAPIKeyAccessScope.Projects.
	PersonalAPIKeyAccessProjects PersonalAPIKeyAccessType = "projects"
)

// OrganizationPersonalAPIKey is one member's personal API key as the
// organization-wide list shows it. All its fields are read-only. PostHog
// sends no key ID and no label here.
type OrganizationPersonalAPIKey struct {
	// Owner is the member who owns the key.
	Owner PersonalAPIKeyOwner `json:"owner"`
	// MaskValue is a display-safe hint of the key such as "phx_...1a2b"
	// (nil for very old keys); it is not the secret.
	MaskValue *string `json:"mask_value"`
	// Scopes are the API scopes of the key, such as "insight:read"; a
	// single "*" means full access.
	Scopes []string `json:"scopes"`
	// AccessScope says where the scopes apply within the organization.
	AccessScope PersonalAPIKeyAccessScope `json:"access_scope"`
	// LastUsedAt is nil when the key was never used.
	LastUsedAt *time.Time `json:"last_used_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// PersonalAPIKeyOwner is the owner of a personal API key.
type PersonalAPIKeyOwner struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

// PersonalAPIKeyAccessScope is where a key's scopes apply.
type PersonalAPIKeyAccessScope struct {
	Type PersonalAPIKeyAccessType `json:"type"`
	// Projects are set only when Type is PersonalAPIKeyAccessProjects.
	Projects []PersonalAPIKeyProject `json:"projects,omitempty"`
}

// PersonalAPIKeyProject is a project a key is scoped to.
type PersonalAPIKeyProject struct {
	ID   ProjectID `json:"id"`
	Name string    `json:"name"`
}

// List returns one page of the personal API keys of the organization's
// members that can reach the organization or one of its projects (unscoped
// keys, keys scoped to it, keys scoped to one of its projects), keys never
// used first, then most recently used first. It needs an organization
// admin, and a credential PostHog lets through INTERNAL routes (see
// PersonalAPIKeysService).
//
// API: GET /api/organizations/{organization_id}/personal_api_keys/ (scope none; personal API keys rejected)
func (s *PersonalAPIKeysService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[OrganizationPersonalAPIKey], error) {
	return list[OrganizationPersonalAPIKey](ctx, s.client, at("organizations", org, "personal_api_keys"), opts)
}

// All iterates over the personal API keys List returns, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/personal_api_keys/ (scope none; personal API keys rejected)
func (s *PersonalAPIKeysService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*OrganizationPersonalAPIKey, error] {
	return iterate[OrganizationPersonalAPIKey](ctx, s.client, at("organizations", org, "personal_api_keys"), opts)
}
