package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Helpers for everyday automation: finding people by email and the roles
// they hold. Each is made of the list and delete calls named in its API:
// lines, so it needs those calls' scopes.

// GetByEmail returns the organization's member whose account email is
// email. The match is exact and case-sensitive, as PostHog's `email`
// filter is (posthog/api/organization_member.py filters user__email): a
// member whose account is stored as Ann@example.com (accounts from before
// PostHog lower-cased whole addresses keep the local part's case; new ones
// are lower case, posthog/models/user.py UserManager.create_user) is not
// found as ann@example.com. Package access compares without case.
// The answer is checked here too, so the rule holds whatever the server.
// No such member is an error wrapping ErrNotFound; an organization that
// the key cannot see (a wrong ID) is an error wrapping ErrInvalidArgument
// instead, so IgnoreNotFound does not read it as "no such member".
//
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
func (s *MembersService) GetByEmail(ctx context.Context, org OrganizationID, email string) (*OrganizationMember, error) {
	if err := checkEmail("email", email); err != nil {
		return nil, err
	}
	for m, err := range s.All(ctx, org, &MemberListOptions{Email: email}) {
		if err != nil {
			return nil, notFoundAsWrongID(err, "organization", org)
		}
		if m.User.Email == email {
			return m, nil
		}
	}
	return nil, fmt.Errorf("posthogapi: no member of organization %s has that email: %w", org, ErrNotFound)
}

// ListByEmail returns the organization's invites (pending and expired) for
// email. PostHog has no filter for this, so every page of invites is read.
// Addresses are compared case-insensitively, as PostHog matches an invite
// to the person accepting it (target_email__iexact in
// posthog/models/organization_invite.py OrganizationInvite.use). Creating
// an invite is stricter: it replaces only the invites whose target_email is
// exactly the new one once its domain is lower-cased
// (posthog/api/organization_invite.py), so inviting ann@example.com leaves
// an invite for Ann@example.com in place. No invite is an empty slice, not
// an error; an organization the key cannot see is an error wrapping
// ErrInvalidArgument.
//
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
func (s *InvitesService) ListByEmail(ctx context.Context, org OrganizationID, email string) ([]OrganizationInvite, error) {
	if err := checkEmail("email", email); err != nil {
		return nil, err
	}
	var out []OrganizationInvite
	for inv, err := range s.All(ctx, org, nil) {
		if err != nil {
			return nil, notFoundAsWrongID(err, "organization", org)
		}
		if strings.EqualFold(inv.TargetEmail, email) {
			out = append(out, *inv)
		}
	}
	return out, nil
}

// ListForUser returns the roles of the organization that user (the user's
// UUID, OrganizationMember.User.UUID, not the membership's ID) belongs to,
// reading every role's memberships. A UUID that is no member's user UUID
// is an error wrapping ErrInvalidArgument and ErrNotOrganizationMember, so
// a membership or role ID passed by mistake does not look like a member
// without roles (nor, through IgnoreNotFound, like one already gone).
//
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
// API: GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:read)
func (s *RolesService) ListForUser(ctx context.Context, org OrganizationID, user UserUUID) ([]Role, error) {
	if err := user.validate(); err != nil {
		return nil, err
	}
	if _, err := s.client.Members.Get(ctx, org, user); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, notMemberError(org, user)
		}
		return nil, err
	}
	var out []Role
	for r, err := range s.All(ctx, org, nil) {
		if err != nil {
			return nil, err
		}
		m, err := s.findUser(ctx, org, r.ID, user)
		if err != nil {
			return nil, err
		}
		if m != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// ErrNotOrganizationMember is wrapped (with ErrInvalidArgument) by
// Roles.RemoveUser when the UUID given as a user is no member's user UUID:
// most often a membership, role or organization ID passed by mistake. It
// does not match ErrNotFound, so IgnoreNotFound does not hide the mistake.
var ErrNotOrganizationMember = errors.New("posthogapi: not the UUID of a member's user")

// RemoveUser takes the role away from user (the user's UUID,
// OrganizationMember.User.UUID): it finds the user's membership in the
// role and deletes it. RemoveMembership does the same given the membership's
// ID.
//
// When the user is not in the role, the error wraps ErrNotFound (so
// IgnoreNotFound treats it as already done) only if user is a member of
// the organization. A UUID that is no member's user UUID (a role
// membership ID, an organization membership ID, a role or organization
// ID) is an error wrapping ErrInvalidArgument and ErrNotOrganizationMember
// instead, which IgnoreNotFound returns: a wrong kind of ID never passes
// for "already gone". A role or organization PostHog does not find (404)
// is an error wrapping ErrInvalidArgument too.
//
// API: GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:read)
// API: GET /api/organizations/{organization_id}/roles/{id}/ (scope organization:read)
// API: DELETE /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ (scope organization:write)
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
func (s *RolesService) RemoveUser(ctx context.Context, org OrganizationID, role RoleID, user UserUUID) error {
	if err := user.validate(); err != nil {
		return err
	}
	m, err := s.findUser(ctx, org, role, user)
	if err != nil {
		return notFoundAsWrongID(err, "role or organization", role)
	}
	if m != nil {
		return s.RemoveMembership(ctx, org, role, m.ID)
	}
	if _, err := s.client.Members.Get(ctx, org, user); err != nil {
		if errors.Is(err, ErrNotFound) {
			return notMemberError(org, user)
		}
		return err
	}
	// PostHog lists no memberships, without an error, for a role ID it
	// does not know: make sure the role exists before saying "not in it".
	if _, err := s.Get(ctx, org, role); err != nil {
		return notFoundAsWrongID(err, "role", role)
	}
	return fmt.Errorf("posthogapi: user %s is not in role %s: %w", user, role, ErrNotFound)
}

// findUser returns user's membership in role, or nil. A role membership ID
// or an organization membership ID given as user is refused when it shows
// up in the role's memberships.
func (s *RolesService) findUser(ctx context.Context, org OrganizationID, role RoleID, user UserUUID) (*RoleMembership, error) {
	for m, err := range s.AllMemberships(ctx, org, role, nil) {
		if err != nil {
			return nil, err
		}
		switch {
		case m.User.UUID == user:
			return m, nil
		case m.ID.UUID() == user.UUID():
			return nil, fmt.Errorf("%w: %w: %s is a role membership ID, not a user UUID", ErrInvalidArgument, ErrNotOrganizationMember, user)
		case m.OrganizationMember != nil && m.OrganizationMember.ID.UUID() == user.UUID():
			return nil, fmt.Errorf("%w: %w: %s is an organization membership ID, not a user UUID", ErrInvalidArgument, ErrNotOrganizationMember, user)
		}
	}
	return nil, nil
}

// notFoundAsWrongID turns a 404 on a container (an organization, a role)
// into an error that does not match ErrNotFound: the ID the caller gave is
// wrong, which must not read as "already gone". The answer's text stays in
// the message; other errors are returned as they are.
func notFoundAsWrongID(err error, what string, id fmt.Stringer) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("%w: %s %s not found (a wrong kind of ID?): %v", ErrInvalidArgument, what, id, err)
}

func notMemberError(org OrganizationID, user UserUUID) error {
	return fmt.Errorf("%w: %w: %s is no user of organization %s (a membership, role or organization ID?)",
		ErrInvalidArgument, ErrNotOrganizationMember, user, org)
}
