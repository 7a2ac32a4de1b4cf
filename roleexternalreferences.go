package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// RoleExternalReferencesService maps roles and groups of external systems
// (a GitHub team, a Linear team, a Jira project, a Slack channel) to
// PostHog roles: /api/organizations/{organization_id}/role_external_references/.
//
// Reading needs organization:read; creating and deleting need
// organization:write and an organization admin (PostHog's
// posthog/api/role_external_reference.py RoleExternalReferenceViewSet).
// Lookup declares no scope on PostHog and is refused to personal API keys
// (see Lookup).
// References cannot be changed: delete one and create another.
type RoleExternalReferencesService service

// RoleExternalReference maps one external role to a PostHog role. All its
// fields are read-only.
type RoleExternalReference struct {
	ID RoleExternalReferenceID `json:"id"`
	// Provider is the integration kind, such as "github", "linear",
	// "jira" or "slack".
	Provider string `json:"provider"`
	// ProviderOrganizationID is the organization, workspace or site on the
	// provider's side.
	ProviderOrganizationID string `json:"provider_organization_id"`
	// ProviderRoleID is the provider's stable identifier of the role.
	ProviderRoleID string `json:"provider_role_id"`
	// ProviderRoleSlug is the human-friendly identifier, nil when unset.
	ProviderRoleSlug *string `json:"provider_role_slug"`
	// ProviderRoleName is the role's display name.
	ProviderRoleName string `json:"provider_role_name"`
	// Role is the PostHog role's ID.
	Role      RoleID    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is nil once the creating user is deleted.
	CreatedBy *UserBasic `json:"created_by"`
}

// RoleExternalReferenceCreate is the body of RoleExternalReferences.Create.
// Provider, ProviderOrganizationID, ProviderRoleID, ProviderRoleName and
// Role are required. PostHog refuses (400) a second reference with the
// same provider, provider organization (any case) and role ID or slug (any
// case).
type RoleExternalReferenceCreate struct {
	Provider               string  `json:"provider"`
	ProviderOrganizationID string  `json:"provider_organization_id"`
	ProviderRoleID         string  `json:"provider_role_id"`
	ProviderRoleSlug       *string `json:"provider_role_slug,omitempty"`
	ProviderRoleName       string  `json:"provider_role_name"`
	Role                   RoleID  `json:"role"`
}

// Longest values PostHog's RoleExternalReference model stores.
const (
	MaxRoleExternalProviderLength = 32
	MaxRoleExternalFieldLength    = 255
)

func (c *RoleExternalReferenceCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil role external reference", ErrInvalidArgument)
	}
	if err := c.Role.validate(); err != nil {
		return err
	}
	fields := []struct {
		name, v  string
		max      int
		optional bool
	}{
		{"provider", c.Provider, MaxRoleExternalProviderLength, false},
		{"provider_organization_id", c.ProviderOrganizationID, MaxRoleExternalFieldLength, false},
		{"provider_role_id", c.ProviderRoleID, MaxRoleExternalFieldLength, false},
		{"provider_role_name", c.ProviderRoleName, MaxRoleExternalFieldLength, false},
	}
	if c.ProviderRoleSlug != nil {
		fields = append(fields, struct {
			name, v  string
			max      int
			optional bool
		}{"provider_role_slug", *c.ProviderRoleSlug, MaxRoleExternalFieldLength, true})
	}
	for _, f := range fields {
		if !f.optional && strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%w: %s is required", ErrInvalidArgument, f.name)
		}
		if utf8.RuneCountInString(f.v) > f.max {
			return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidArgument, f.name, f.max)
		}
	}
	return nil
}

// RoleExternalReferenceListOptions filters and pages
// RoleExternalReferences.List and All. PostHog sorts by provider, provider
// organization and slug.
type RoleExternalReferenceListOptions struct {
	ListOptions
	// Provider keeps references of this provider only.
	Provider string `url:"provider,omitempty"`
	// ProviderOrganizationID keeps references of this provider
	// organization (any case).
	ProviderOrganizationID string `url:"provider_organization_id,omitempty"`
	// RoleID keeps references to this PostHog role (uuid.Nil: any).
	RoleID RoleID `url:"-"`
}

// roleExternalReferenceQuery is the query List sends: the options with the
// role ID as text.
type roleExternalReferenceQuery struct {
	RoleExternalReferenceListOptions
	RoleID string `url:"role_id,omitempty"`
}

func (o *RoleExternalReferenceListOptions) query() *roleExternalReferenceQuery {
	if o == nil {
		return nil
	}
	q := &roleExternalReferenceQuery{RoleExternalReferenceListOptions: *o}
	if !o.RoleID.IsZero() {
		q.RoleID = o.RoleID.String()
	}
	return q
}

// RoleExternalReferenceLookup is the query of RoleExternalReferences.Lookup:
// Provider and ProviderOrganizationID, and a ProviderRoleSlug or a
// ProviderRoleID (either matches, any case).
type RoleExternalReferenceLookup struct {
	Provider               string `url:"provider"`
	ProviderOrganizationID string `url:"provider_organization_id"`
	ProviderRoleSlug       string `url:"provider_role_slug,omitempty"`
	ProviderRoleID         string `url:"provider_role_id,omitempty"`
}

func (l *RoleExternalReferenceLookup) validate() error {
	switch {
	case l == nil:
		return fmt.Errorf("%w: nil lookup", ErrInvalidArgument)
	case strings.TrimSpace(l.Provider) == "":
		return fmt.Errorf("%w: provider is required", ErrInvalidArgument)
	case strings.TrimSpace(l.ProviderOrganizationID) == "":
		return fmt.Errorf("%w: provider_organization_id is required", ErrInvalidArgument)
	case l.ProviderRoleSlug == "" && l.ProviderRoleID == "":
		// PostHog: RoleLookupQuerySerializer.validate
		return fmt.Errorf("%w: either provider_role_slug or provider_role_id must be provided", ErrInvalidArgument)
	}
	return nil
}

// List returns one page of the organization's role external references.
//
// API: GET /api/organizations/{organization_id}/role_external_references/ (scope organization:read)
func (s *RoleExternalReferencesService) List(ctx context.Context, org OrganizationID, opts *RoleExternalReferenceListOptions) (*Page[RoleExternalReference], error) {
	return list[RoleExternalReference](ctx, s.client, at("organizations", org, "role_external_references"), opts.query())
}

// All iterates over the organization's role external references, fetching
// pages as needed.
//
// API: GET /api/organizations/{organization_id}/role_external_references/ (scope organization:read)
func (s *RoleExternalReferencesService) All(ctx context.Context, org OrganizationID, opts *RoleExternalReferenceListOptions) iter.Seq2[*RoleExternalReference, error] {
	return iterate[RoleExternalReference](ctx, s.client, at("organizations", org, "role_external_references"), opts.query())
}

// Create maps an external role to a PostHog role of the organization. It
// needs an admin.
//
// API: POST /api/organizations/{organization_id}/role_external_references/ (scope organization:write)
func (s *RoleExternalReferencesService) Create(ctx context.Context, org OrganizationID, c *RoleExternalReferenceCreate) (*RoleExternalReference, error) {
	return send[RoleExternalReference](ctx, s.client, http.MethodPost, at("organizations", org, "role_external_references").check(c.validate()), c)
}

// Delete removes a role external reference (the PostHog role stays). It
// needs an admin.
//
// API: DELETE /api/organizations/{organization_id}/role_external_references/{id}/ (scope organization:write)
func (s *RoleExternalReferencesService) Delete(ctx context.Context, org OrganizationID, id RoleExternalReferenceID) error {
	return del(ctx, s.client, at("organizations", org, "role_external_references", id))
}

// Lookup finds the reference of one external role, or returns nil and no
// error when there is none.
//
// PostHog's lookup action declares no API scope (posthog/api/role_external_reference.py
// RoleExternalReferenceViewSet.lookup, a plain @action without
// required_scopes, and the viewset adds it to no scope_object_read_actions),
// so today's PostHog refuses it to every personal API key: 403 "This action
// does not support personal API key access". Lookup therefore sends
// nothing and returns an *UnsupportedActionError (it matches
// ErrPersonalAPIKeyNotSupported), unless the client was made
// WithLegacyUnscopedKey for an older self-hosted PostHog. With a personal
// API key, find a reference with List or All instead: filter by Provider
// and ProviderOrganizationID and compare the role ID or slug (any case).
//
// API: GET /api/organizations/{organization_id}/role_external_references/lookup/ (scope none; personal API keys rejected)
func (s *RoleExternalReferencesService) Lookup(ctx context.Context, org OrganizationID, l *RoleExternalReferenceLookup) (*RoleExternalReference, error) {
	out, err := get[struct {
		Reference *RoleExternalReference `json:"reference"`
	}](ctx, s.client, at("organizations", org, "role_external_references", "lookup").check(l.validate()), l)
	if err != nil {
		return nil, err
	}
	return out.Reference, nil
}
