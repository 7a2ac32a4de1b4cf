package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// MembersService manages organization members:
// /api/organizations/{organization_id}/members/. Members are addressed by
// their user's UUID (OrganizationMember.User.UUID), not by the membership ID.
type MembersService service

// RoleAtOrganization is what a user said their role is.
type RoleAtOrganization string

// Roles at organization ("" when not given).
const (
	RoleAtOrganizationEngineering RoleAtOrganization = "engineering"
	RoleAtOrganizationData        RoleAtOrganization = "data"
	RoleAtOrganizationProduct     RoleAtOrganization = "product"
	RoleAtOrganizationFounder     RoleAtOrganization = "founder"
	RoleAtOrganizationLeadership  RoleAtOrganization = "leadership"
	RoleAtOrganizationMarketing   RoleAtOrganization = "marketing"
	RoleAtOrganizationSales       RoleAtOrganization = "sales"
	RoleAtOrganizationOther       RoleAtOrganization = "other"
	// RoleAtOrganizationStudent is offered by the newest PostHog.
	RoleAtOrganizationStudent RoleAtOrganization = "student"
)

// UserBasic is the short form of a user that PostHog embeds in other objects.
type UserBasic struct {
	ID   int64    `json:"id"`
	UUID UserUUID `json:"uuid"`
	// DistinctID is the user's analytics ID.
	DistinctID *string `json:"distinct_id"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	// Email is the address the user signs in with, as stored. PostHog
	// lower-cases the whole address of accounts it creates today
	// (posthog/models/user.py UserManager.create_user calls
	// posthog/helpers/email_utils.py EmailNormalizer.normalize); accounts
	// created before that may keep upper-case letters in the local part.
	Email           string         `json:"email"`
	IsEmailVerified *bool          `json:"is_email_verified"`
	HedgehogConfig  map[string]any `json:"hedgehog_config"`
	// RoleAtOrganization is what the user said their job is (nil: not
	// given).
	RoleAtOrganization *RoleAtOrganization `json:"role_at_organization"`
}

// SearchMatchType says how a member matched a List search.
type SearchMatchType string

// Search match types.
const (
	SearchMatchExact   SearchMatchType = "exact"
	SearchMatchSimilar SearchMatchType = "similar"
)

// OrganizationMember is a user's membership of an organization.
type OrganizationMember struct {
	// ID is the membership's ID. Member methods take the user's UUID
	// (User.UUID) instead.
	ID            MembershipID    `json:"id"`
	User          UserBasic       `json:"user"`
	Level         MembershipLevel `json:"level"`
	JoinedAt      time.Time       `json:"joined_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	Is2FAEnabled  bool            `json:"is_2fa_enabled"`
	HasSocialAuth bool            `json:"has_social_auth"`
	// LastLogin is nil for a user who never logged in.
	LastLogin *time.Time `json:"last_login"`
	// SearchMatchType is set only on results of a List with Search (newer
	// servers only).
	SearchMatchType SearchMatchType `json:"search_match_type,omitempty"`
}

// MemberOrder sorts a member list.
type MemberOrder string

// Member list orders.
const (
	MemberOrderJoinedAt     MemberOrder = "joined_at"
	MemberOrderJoinedAtDesc MemberOrder = "-joined_at" // PostHog's default
)

// MemberListOptions filters and pages Members.List and Members.All.
type MemberListOptions struct {
	ListOptions
	// Order sorts by join time; PostHog's default is newest first.
	Order MemberOrder `url:"order,omitempty"`
	// Search matches names and emails (at most 200 characters).
	Search string `url:"search,omitempty"`
	// Email keeps only the member with exactly this email address (PostHog
	// compares it as stored, so case matters).
	Email string `url:"email,omitempty"`
	// UpdatedAfter keeps members updated after this time.
	UpdatedAfter *time.Time `url:"updated_after,omitempty"`
}

func (o *MemberListOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.Order != "" && o.Order != MemberOrderJoinedAt && o.Order != MemberOrderJoinedAtDesc {
		return fmt.Errorf("%w: unknown member order %q", ErrInvalidArgument, o.Order)
	}
	if len([]rune(o.Search)) > 200 {
		return fmt.Errorf("%w: member search is longer than 200 characters", ErrInvalidArgument)
	}
	return nil
}

// MemberReplace is the body of Members.Replace. The level is the only
// writable field of a membership, so PostHog's PUT reads what PATCH reads:
// it is MemberUpdate.
type MemberReplace = MemberUpdate

// MemberUpdate is the body of Members.Update and, as MemberReplace, of
// Members.Replace: the level is the only writable field of a membership.
type MemberUpdate struct {
	Level MembershipLevel `json:"level"`
}

// MemberScopedAPIKeys is the answer of Members.ScopedAPIKeys: the member's
// personal API keys that can reach this organization.
type MemberScopedAPIKeys struct {
	HasKeys               bool           `json:"has_keys"`
	HasKeysActiveLastWeek bool           `json:"has_keys_active_last_week"`
	Keys                  []ScopedAPIKey `json:"keys"`
}

// ScopedAPIKey is one key in MemberScopedAPIKeys.
type ScopedAPIKey struct {
	Name       string     `json:"name"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// List returns one page of the organization's members.
//
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
func (s *MembersService) List(ctx context.Context, org OrganizationID, opts *MemberListOptions) (*Page[OrganizationMember], error) {
	return list[OrganizationMember](ctx, s.client, at("organizations", org, "members").check(opts.validate()), opts)
}

// All iterates over every member of the organization, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
func (s *MembersService) All(ctx context.Context, org OrganizationID, opts *MemberListOptions) iter.Seq2[*OrganizationMember, error] {
	return iterate[OrganizationMember](ctx, s.client, at("organizations", org, "members").check(opts.validate()), opts)
}

// Get returns the member whose user has the given UUID. PostHog has no
// endpoint for one member, so Get pages through the member list until it
// finds the user: its cost grows with the organization's size. It returns an
// error matching ErrNotFound when the user is not a member.
//
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
func (s *MembersService) Get(ctx context.Context, org OrganizationID, user UserUUID) (*OrganizationMember, error) {
	r := at("organizations", org, "members", user)
	if r.err != nil {
		return nil, r.err
	}
	for m, err := range s.All(ctx, org, nil) {
		if err != nil {
			return nil, err
		}
		if m.User.UUID == user {
			return m, nil
		}
	}
	return nil, &APIError{
		StatusCode: http.StatusNotFound, Type: "invalid_request", Code: "not_found",
		Detail: "no member with this user UUID", Method: http.MethodGet,
		Path: s.client.apiPrefix + r.path, Attempts: 1,
	}
}

// Update changes the member's level (PATCH). Only admins can edit other
// members (a plain member editing someone else gets 403 "You can only edit
// others if you are an admin.", level or not), never above their own level,
// and only owners can make owners; making someone owner leaves the caller
// an owner too. Nobody may send their own level, even unchanged (403 "You
// can't change your own access level.").
//
// API: PATCH /api/organizations/{organization_id}/members/{user__uuid}/ (scope organization_member:write)
func (s *MembersService) Update(ctx context.Context, org OrganizationID, user UserUUID, upd *MemberUpdate) (*OrganizationMember, error) {
	return s.write(ctx, http.MethodPatch, org, user, upd)
}

// Replace sets the member's writable fields (PUT); the level is the only one.
// PostHog does not require the level even on PUT (the model has a default)
// and answers 400 code "null" to a null level; this client always sends a
// valid level.
//
// API: PUT /api/organizations/{organization_id}/members/{user__uuid}/ (scope organization_member:write)
func (s *MembersService) Replace(ctx context.Context, org OrganizationID, user UserUUID, upd *MemberReplace) (*OrganizationMember, error) {
	return s.write(ctx, http.MethodPut, org, user, upd)
}

func (s *MembersService) write(ctx context.Context, method string, org OrganizationID, user UserUUID, upd *MemberUpdate) (*OrganizationMember, error) {
	return send[OrganizationMember](ctx, s.client, method, at("organizations", org, "members", user).check(upd.validate()), upd)
}

func (upd *MemberUpdate) validate() error {
	if upd == nil || !upd.Level.Valid() {
		return fmt.Errorf("%w: membership level must be 1, 8 or 15", ErrInvalidArgument)
	}
	return nil
}

// Delete removes the user from the organization (a member may remove
// themselves; removing others needs an admin at least at their level).
// PostHog refuses to remove an owner, whether the owner leaves or another
// owner removes them: 400 "Cannot leave the organization as its owner!"
// (ErrValidation). Demote first: have another owner set the member's level
// to admin with Update, then remove them.
//
// API: DELETE /api/organizations/{organization_id}/members/{user__uuid}/ (scope organization_member:write)
func (s *MembersService) Delete(ctx context.Context, org OrganizationID, user UserUUID) error {
	return del(ctx, s.client, at("organizations", org, "members", user))
}

// ScopedAPIKeys reports the member's personal API keys that can reach this
// organization. PostHog requires no scope for this action, which means
// personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/organizations/{organization_id}/members/{user__uuid}/scoped_api_keys/ (scope none; personal API keys rejected)
func (s *MembersService) ScopedAPIKeys(ctx context.Context, org OrganizationID, user UserUUID) (*MemberScopedAPIKeys, error) {
	return get[MemberScopedAPIKeys](ctx, s.client, at("organizations", org, "members", user, "scoped_api_keys"), nil)
}

// MemberGithubLogin is the answer of Members.GithubLogin.
type MemberGithubLogin struct {
	// GithubLogin is the member's GitHub username, or nil when they have
	// not linked a GitHub account.
	GithubLogin *string `json:"github_login"`
}

// GithubLogin returns the GitHub username the member linked to PostHog
// (nil GithubLogin when none).
//
// API: GET /api/organizations/{organization_id}/members/{user__uuid}/github_login/ (scope organization_member:read)
func (s *MembersService) GithubLogin(ctx context.Context, org OrganizationID, user UserUUID) (*MemberGithubLogin, error) {
	return get[MemberGithubLogin](ctx, s.client, at("organizations", org, "members", user, "github_login"), nil)
}
