package posthogapi

import (
	"context"
	"time"
)

// UsersService reads the user a personal API key belongs to:
// /api/users/@me/.
type UsersService service

// User is a PostHog user as /api/users/@me/ sends it (PostHog's
// posthog/api/user.py UserSerializer), with the fields automation needs:
// every field of UserBasic (UserSerializer's fields include all of
// UserBasicSerializer's) and the account's own.
type User struct {
	UserBasic
	// PendingEmail is an address change awaiting verification, or nil.
	PendingEmail *string   `json:"pending_email"`
	DateJoined   time.Time `json:"date_joined"`
	// IsStaff is set for instance staff (self-hosted instance admins).
	IsStaff           bool `json:"is_staff"`
	HasPassword       bool `json:"has_password"`
	Is2FAEnabled      bool `json:"is_2fa_enabled"`
	HasSocialAuth     bool `json:"has_social_auth"`
	HasSSOEnforcement bool `json:"has_sso_enforcement"`
	// Organization is the user's current organization ("@current"), nil
	// when they belong to none.
	Organization *Organization `json:"organization"`
	// Organizations are every organization the user belongs to.
	Organizations []OrganizationBasic `json:"organizations"`
	// PendingInvites are the unexpired invites for the user's address to
	// organizations they are not in yet (newer servers; at most 25).
	PendingInvites []UserPendingInvite `json:"pending_invites,omitempty"`
}

// OrganizationBasic is the short form of an organization that PostHog
// lists in User.Organizations.
type OrganizationBasic struct {
	ID          OrganizationID `json:"id"`
	Name        string         `json:"name"`
	Slug        string         `json:"slug"`
	LogoMediaID *MediaID       `json:"logo_media_id"`
	// MembershipLevel is the user's level in the organization.
	MembershipLevel *MembershipLevel `json:"membership_level"`
	// MembersCanUsePersonalAPIKeys is false when only admins may use
	// personal API keys in the organization.
	MembersCanUsePersonalAPIKeys *bool `json:"members_can_use_personal_api_keys,omitempty"`
}

// UserPendingInvite is one of User.PendingInvites.
type UserPendingInvite struct {
	ID               InviteID       `json:"id"`
	TargetEmail      string         `json:"target_email"`
	OrganizationID   OrganizationID `json:"organization_id"`
	OrganizationName string         `json:"organization_name"`
	CreatedAt        time.Time      `json:"created_at"`
}

// Me returns the user the client's personal API key belongs to. Programs
// that change access need it to keep their own user (and so the key) out
// of their changes: PostHog refuses a change of one's own level, and
// removing the key's user from an organization locks the program out.
//
// API: GET /api/users/{uuid}/ (scope user:read)
func (s *UsersService) Me(ctx context.Context) (*User, error) {
	return get[User](ctx, s.client, at("users", "@me"), nil)
}
