package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
)

// RolesService manages roles and role memberships: /api/organizations/{organization_id}/roles/.
// Reading needs any member; writing needs an organization admin.
type RolesService service

// MaxRoleNameLength is the longest role name PostHog accepts, in characters.
const MaxRoleNameLength = 200

// Role is a role of an organization, with its members.
type Role struct {
	ID   RoleID `json:"id"`
	Name string `json:"name"`
	// CreatedAt is when the role was created.
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the user who created the role. It is nil when PostHog
	// hides the creator from the caller (organizations that restrict member
	// visibility) or the user no longer exists.
	CreatedBy *UserBasic `json:"created_by"`
	// Members are the role's memberships.
	Members []RoleMembership `json:"members"`
	// IsDefault reports whether this is the role new members get
	// (Organization.DefaultRoleID).
	IsDefault bool `json:"is_default"`
}

// RoleMembership is a member's membership of a role.
type RoleMembership struct {
	// ID identifies the role membership (Roles.GetMembership,
	// Roles.RemoveMembership); it is neither the user's UUID nor the
	// organization membership's ID.
	ID     RoleMembershipID `json:"id"`
	RoleID RoleID           `json:"role_id"`
	// OrganizationMember is the member's organization membership. It is nil
	// for legacy memberships created before PostHog linked them to the
	// organization membership.
	OrganizationMember *OrganizationMember `json:"organization_member"`
	User               UserBasic           `json:"user"`
	JoinedAt           time.Time           `json:"joined_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

// RoleReplace is the body of Roles.Replace: PostHog's PUT reads the fields
// of a create (the name), so it is RoleCreate.
type RoleReplace = RoleCreate

// RoleCreate is the body of Roles.Create and, as RoleReplace, of
// Roles.Replace.
type RoleCreate struct {
	// Name is required, at most MaxRoleNameLength characters, and unique in
	// the organization regardless of case. PostHog strips surrounding space
	// before it checks and stores the name, so " engineering " duplicates
	// "Engineering" (400 code "unique").
	Name string `json:"name"`
}

// RoleUpdate is the body of Roles.Update (PATCH): only set fields are sent.
type RoleUpdate struct {
	Name *string `json:"name,omitempty"`
}

// roleMembershipCreate is the body of Roles.AddUser.
type roleMembershipCreate struct {
	UserUUID UserUUID `json:"user_uuid"`
}

func (c *RoleCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil role", ErrInvalidArgument)
	}
	return checkRoleName(c.Name)
}

func (u *RoleUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil role update", ErrInvalidArgument)
	}
	if u.Name != nil {
		return checkRoleName(*u.Name)
	}
	return nil
}

// checkRoleName checks a name as PostHog does, after trimming surrounding
// space (which PostHog strips before its checks, the case-insensitive
// uniqueness among them).
func checkRoleName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: role name is empty", ErrInvalidArgument)
	case len([]rune(strings.TrimSpace(name))) > MaxRoleNameLength:
		return fmt.Errorf("%w: role name is longer than %d characters", ErrInvalidArgument, MaxRoleNameLength)
	}
	return nil
}

// List returns one page of the organization's roles.
//
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
func (s *RolesService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[Role], error) {
	return list[Role](ctx, s.client, at("organizations", org, "roles"), opts)
}

// All iterates over every role of the organization, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
func (s *RolesService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*Role, error] {
	return iterate[Role](ctx, s.client, at("organizations", org, "roles"), opts)
}

// Get returns one role with its members.
//
// API: GET /api/organizations/{organization_id}/roles/{id}/ (scope organization:read)
func (s *RolesService) Get(ctx context.Context, org OrganizationID, id RoleID) (*Role, error) {
	return get[Role](ctx, s.client, at("organizations", org, "roles", id), nil)
}

// Create creates a role. It needs an admin. A name already used by another
// role of the organization (compared without case) is a 400 with code
// "unique" on attr "name".
//
// API: POST /api/organizations/{organization_id}/roles/ (scope organization:write)
func (s *RolesService) Create(ctx context.Context, org OrganizationID, role *RoleCreate) (*Role, error) {
	return send[Role](ctx, s.client, http.MethodPost, at("organizations", org, "roles").check(role.validate()), role)
}

// Update changes the fields set in upd (PATCH). It needs an admin.
//
// API: PATCH /api/organizations/{organization_id}/roles/{id}/ (scope organization:write)
func (s *RolesService) Update(ctx context.Context, org OrganizationID, id RoleID, upd *RoleUpdate) (*Role, error) {
	return send[Role](ctx, s.client, http.MethodPatch, at("organizations", org, "roles", id).check(upd.validate()), upd)
}

// Replace replaces the role's writable fields (PUT); the name is the only
// one. It needs an admin.
//
// API: PUT /api/organizations/{organization_id}/roles/{id}/ (scope organization:write)
func (s *RolesService) Replace(ctx context.Context, org OrganizationID, id RoleID, role *RoleReplace) (*Role, error) {
	return send[Role](ctx, s.client, http.MethodPut, at("organizations", org, "roles", id).check(role.validate()), role)
}

// Delete deletes the role and its memberships. It needs an admin.
//
// API: DELETE /api/organizations/{organization_id}/roles/{id}/ (scope organization:write)
func (s *RolesService) Delete(ctx context.Context, org OrganizationID, id RoleID) error {
	return del(ctx, s.client, at("organizations", org, "roles", id))
}

// ListMemberships returns one page of the role's memberships, oldest
// first. PostHog answers an empty page, not an error, for a role that does
// not exist.
//
// API: GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:read)
func (s *RolesService) ListMemberships(ctx context.Context, org OrganizationID, role RoleID, opts *ListOptions) (*Page[RoleMembership], error) {
	return list[RoleMembership](ctx, s.client, at("organizations", org, "roles", role, "role_memberships"), opts)
}

// AllMemberships iterates over every membership of the role, fetching
// pages as needed.
//
// API: GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:read)
func (s *RolesService) AllMemberships(ctx context.Context, org OrganizationID, role RoleID, opts *ListOptions) iter.Seq2[*RoleMembership, error] {
	return iterate[RoleMembership](ctx, s.client, at("organizations", org, "roles", role, "role_memberships"), opts)
}

// GetMembership returns one membership of the role, by the role
// membership's ID (RoleMembership.ID).
//
// API: GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ (scope organization:read)
func (s *RolesService) GetMembership(ctx context.Context, org OrganizationID, role RoleID, id RoleMembershipID) (*RoleMembership, error) {
	return get[RoleMembership](ctx, s.client, at("organizations", org, "roles", role, "role_memberships", id), nil)
}

// AddUser gives the role to the organization member whose user has the
// given UUID. It needs an admin. PostHog answers 400 "User does not exist."
// when the user is not a member of the organization, and 400 "User is
// already part of the role." when they already have it.
//
// API: POST /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:write)
func (s *RolesService) AddUser(ctx context.Context, org OrganizationID, role RoleID, user UserUUID) (*RoleMembership, error) {
	return send[RoleMembership](ctx, s.client, http.MethodPost, at("organizations", org, "roles", role, "role_memberships").check(user.validate()), &roleMembershipCreate{UserUUID: user})
}

// RemoveMembership takes the role away from a member, by the role membership's
// ID (RoleMembership.ID, not the user's UUID). It needs an admin.
//
// API: DELETE /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ (scope organization:write)
func (s *RolesService) RemoveMembership(ctx context.Context, org OrganizationID, role RoleID, id RoleMembershipID) error {
	return del(ctx, s.client, at("organizations", org, "roles", role, "role_memberships", id))
}
