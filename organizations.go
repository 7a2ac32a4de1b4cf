package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// OrganizationsService manages organizations: /api/organizations/.
type OrganizationsService service

// MembershipLevel is a member's level in an organization.
type MembershipLevel int

// Membership levels, as PostHog numbers them.
const (
	MembershipLevelMember MembershipLevel = 1
	MembershipLevelAdmin  MembershipLevel = 8
	MembershipLevelOwner  MembershipLevel = 15
)

// Valid reports whether l is one of PostHog's levels.
func (l MembershipLevel) Valid() bool {
	return l == MembershipLevelMember || l == MembershipLevelAdmin || l == MembershipLevelOwner
}

func (l MembershipLevel) String() string {
	switch l {
	case MembershipLevelMember:
		return "member"
	case MembershipLevelAdmin:
		return "admin"
	case MembershipLevelOwner:
		return "owner"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// ParseMembershipLevel parses "member", "admin" (or "administrator"),
// "owner", or the numbers 1, 8 and 15.
func ParseMembershipLevel(s string) (MembershipLevel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "member", "1":
		return MembershipLevelMember, nil
	case "admin", "administrator", "8":
		return MembershipLevelAdmin, nil
	case "owner", "15":
		return MembershipLevelOwner, nil
	}
	return 0, fmt.Errorf("%w: unknown membership level %q", ErrInvalidArgument, s)
}

// PluginsAccessLevel is an organization's access to plugins (apps).
type PluginsAccessLevel int

// Plugins access levels.
const (
	PluginsAccessNone    PluginsAccessLevel = 0
	PluginsAccessConfig  PluginsAccessLevel = 3
	PluginsAccessInstall PluginsAccessLevel = 6
	PluginsAccessRoot    PluginsAccessLevel = 9
)

// ExperimentStatsMethod is the default statistics method for new experiments.
type ExperimentStatsMethod string

// Experiment statistics methods.
const (
	ExperimentStatsBayesian    ExperimentStatsMethod = "bayesian"
	ExperimentStatsFrequentist ExperimentStatsMethod = "frequentist"
)

// Organization is a PostHog organization as the server sends it.
type Organization struct {
	ID          OrganizationID `json:"id"`
	Name        string         `json:"name"`
	Slug        string         `json:"slug"`
	LogoMediaID *MediaID       `json:"logo_media_id"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	// MembershipLevel is the caller's level; nil when not a member.
	MembershipLevel    *MembershipLevel   `json:"membership_level"`
	PluginsAccessLevel PluginsAccessLevel `json:"plugins_access_level"`
	// Teams are the environments (teams) the caller can see.
	Teams []OrganizationTeam `json:"teams"`
	// Projects are the projects the caller can see.
	Projects []OrganizationProject `json:"projects"`
	// AvailableProductFeatures are billing features (objects with at least
	// key and name); nil when billing is not set up.
	AvailableProductFeatures []map[string]any `json:"available_product_features"`
	// IsMemberJoinEmailEnabled is a legacy, read-only field: member-join
	// emails are now set per user in their notification settings.
	IsMemberJoinEmailEnabled bool `json:"is_member_join_email_enabled"`
	// Metadata is an object such as {"instance_tag": "..."}.
	Metadata                     map[string]any `json:"metadata"`
	CustomerID                   *string        `json:"customer_id"`
	Enforce2FA                   *bool          `json:"enforce_2fa"`
	MembersCanInvite             *bool          `json:"members_can_invite"`
	MembersCanUsePersonalAPIKeys bool           `json:"members_can_use_personal_api_keys"`
	AllowPubliclySharedResources bool           `json:"allow_publicly_shared_resources"`
	// MemberCount is the number of members.
	MemberCount                  int                    `json:"member_count"`
	IsAIDataProcessingApproved   *bool                  `json:"is_ai_data_processing_approved"`
	DefaultExperimentStatsMethod *ExperimentStatsMethod `json:"default_experiment_stats_method"`
	DefaultAnonymizeIPs          bool                   `json:"default_anonymize_ips"`
	// DefaultRoleID is the role automatically given to new members.
	DefaultRoleID     *RoleID `json:"default_role_id"`
	IsActive          *bool   `json:"is_active"`
	IsNotActiveReason *string `json:"is_not_active_reason"`
	// EnforceVerifiedDomains: only users with an email address of one of
	// the organization's verified domains may join or stay (newest servers).
	EnforceVerifiedDomains bool `json:"enforce_verified_domains"`
	// MembersCanCreateProjects lets members below admin create projects
	// (with the member-safe settings only; PostHog honours it on plans with
	// the invite-settings feature); admins and owners always can.
	MembersCanCreateProjects *bool `json:"members_can_create_projects"`
	// MembersCanSeeOrgMembers false narrows, for members below admin, the
	// members shown in role answers to those with access to a project they
	// can access (only themselves when they can access none). The member
	// list itself is not filtered by it.
	MembersCanSeeOrgMembers bool `json:"members_can_see_org_members"`
	// IsAITrainingOptedIn: the organization allows its data to be used to
	// train PostHog AI models (nil: not decided).
	IsAITrainingOptedIn *bool `json:"is_ai_training_opted_in"`
	// IsAITrainingLocked: the AI training setting cannot be changed through
	// the UI or API. Read-only.
	IsAITrainingLocked *bool `json:"is_ai_training_locked"`
	// IsAITrainingCTAShown: in-app callouts inviting members to enable AI
	// training are shown. Read-only.
	IsAITrainingCTAShown *bool `json:"is_ai_training_cta_shown"`
	// IsHIPAA marks an organization under a HIPAA agreement. Read-only.
	IsHIPAA *bool `json:"is_hipaa"`
	// IsPendingDeletion is true once deleting the organization has started.
	// Read-only.
	IsPendingDeletion *bool `json:"is_pending_deletion"`
}

// OrganizationTeam is an environment (team) listed in Organization.Teams.
type OrganizationTeam struct {
	ID           ProjectID      `json:"id"`
	UUID         uuid.UUID      `json:"uuid"`
	Organization OrganizationID `json:"organization"`
	ProjectID    ProjectID      `json:"project_id"`
	APIToken     string         `json:"api_token"`
	Name         string         `json:"name"`
	IsDemo       bool           `json:"is_demo"`
	Timezone     string         `json:"timezone"`
}

// OrganizationProject is a project listed in Organization.Projects.
type OrganizationProject struct {
	ID             ProjectID      `json:"id"`
	OrganizationID OrganizationID `json:"organization_id"`
	Name           string         `json:"name"`
}

// OrganizationReplace is the body of Organizations.Replace: PostHog's PUT
// reads the fields of a create, so it is OrganizationCreate.
type OrganizationReplace = OrganizationCreate

// OrganizationCreate is the body of Organizations.Create and, as
// OrganizationReplace, of Organizations.Replace. Name is required.
type OrganizationCreate struct {
	Name                         string                          `json:"name"`
	LogoMediaID                  Nullable[MediaID]               `json:"logo_media_id,omitzero"`
	Enforce2FA                   Nullable[bool]                  `json:"enforce_2fa,omitzero"`
	MembersCanInvite             Nullable[bool]                  `json:"members_can_invite,omitzero"`
	MembersCanUsePersonalAPIKeys *bool                           `json:"members_can_use_personal_api_keys,omitempty"`
	AllowPubliclySharedResources *bool                           `json:"allow_publicly_shared_resources,omitempty"`
	IsAIDataProcessingApproved   Nullable[bool]                  `json:"is_ai_data_processing_approved,omitzero"`
	DefaultExperimentStatsMethod Nullable[ExperimentStatsMethod] `json:"default_experiment_stats_method,omitzero"`
	DefaultAnonymizeIPs          *bool                           `json:"default_anonymize_ips,omitempty"`
	// DefaultRoleID is the role given to new members (Null: none).
	DefaultRoleID Nullable[RoleID] `json:"default_role_id,omitzero"`
	// EnforceVerifiedDomains, MembersCanCreateProjects,
	// MembersCanSeeOrgMembers and IsAITrainingOptedIn are the newest
	// server's settings (see Organization); older servers ignore them.
	EnforceVerifiedDomains   *bool          `json:"enforce_verified_domains,omitempty"`
	MembersCanCreateProjects Nullable[bool] `json:"members_can_create_projects,omitzero"`
	MembersCanSeeOrgMembers  *bool          `json:"members_can_see_org_members,omitempty"`
	IsAITrainingOptedIn      Nullable[bool] `json:"is_ai_training_opted_in,omitzero"`
	// AcknowledgeAITrainingNotice true records that the AI training notice
	// was seen. Write-only: it is not part of Organization.
	AcknowledgeAITrainingNotice *bool `json:"acknowledge_ai_training_notice,omitempty"`
}

// OrganizationUpdate is the body of Organizations.Update (PATCH): only set
// fields are sent; Null clears a nullable field.
type OrganizationUpdate struct {
	Name                         *string                         `json:"name,omitempty"`
	LogoMediaID                  Nullable[MediaID]               `json:"logo_media_id,omitzero"`
	Enforce2FA                   Nullable[bool]                  `json:"enforce_2fa,omitzero"`
	MembersCanInvite             Nullable[bool]                  `json:"members_can_invite,omitzero"`
	MembersCanUsePersonalAPIKeys *bool                           `json:"members_can_use_personal_api_keys,omitempty"`
	AllowPubliclySharedResources *bool                           `json:"allow_publicly_shared_resources,omitempty"`
	IsAIDataProcessingApproved   Nullable[bool]                  `json:"is_ai_data_processing_approved,omitzero"`
	DefaultExperimentStatsMethod Nullable[ExperimentStatsMethod] `json:"default_experiment_stats_method,omitzero"`
	DefaultAnonymizeIPs          *bool                           `json:"default_anonymize_ips,omitempty"`
	// DefaultRoleID is the role given to new members (Null: none).
	DefaultRoleID Nullable[RoleID] `json:"default_role_id,omitzero"`
	// EnforceVerifiedDomains, MembersCanCreateProjects,
	// MembersCanSeeOrgMembers and IsAITrainingOptedIn are the newest
	// server's settings (see Organization); older servers ignore them.
	EnforceVerifiedDomains   *bool          `json:"enforce_verified_domains,omitempty"`
	MembersCanCreateProjects Nullable[bool] `json:"members_can_create_projects,omitzero"`
	MembersCanSeeOrgMembers  *bool          `json:"members_can_see_org_members,omitempty"`
	IsAITrainingOptedIn      Nullable[bool] `json:"is_ai_training_opted_in,omitzero"`
	// AcknowledgeAITrainingNotice true records that the AI training notice
	// was seen. Write-only: it is not part of Organization.
	AcknowledgeAITrainingNotice *bool `json:"acknowledge_ai_training_notice,omitempty"`
}

// EnvironmentsRollbackResult is the answer to Organizations.EnvironmentsRollback.
type EnvironmentsRollbackResult struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

const currentOrganization = "@current"

func (c *OrganizationCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil organization", ErrInvalidArgument)
	}
	return checkOrgName(c.Name)
}

func (u *OrganizationUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil update", ErrInvalidArgument)
	}
	if u.Name != nil {
		return checkOrgName(*u.Name)
	}
	return nil
}

// checkOrgName checks a name as PostHog does, after trimming surrounding
// space (which PostHog strips before storing it).
func checkOrgName(name string) error {
	switch n := len([]rune(strings.TrimSpace(name))); {
	case n == 0:
		return fmt.Errorf("%w: organization name is empty", ErrInvalidArgument)
	case n > 64:
		return fmt.Errorf("%w: organization name is longer than 64 characters", ErrInvalidArgument)
	}
	return nil
}

// List returns one page of the organizations the key can see.
//
// API: GET /api/organizations/ (scope organization:read)
func (s *OrganizationsService) List(ctx context.Context, opts *ListOptions) (*Page[Organization], error) {
	return list[Organization](ctx, s.client, at("organizations"), opts)
}

// All iterates over every organization the key can see, fetching pages as
// needed.
//
// API: GET /api/organizations/ (scope organization:read)
func (s *OrganizationsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Organization, error] {
	return iterate[Organization](ctx, s.client, at("organizations"), opts)
}

// Get returns one organization.
//
// API: GET /api/organizations/{id}/ (scope organization:read)
func (s *OrganizationsService) Get(ctx context.Context, id OrganizationID) (*Organization, error) {
	return get[Organization](ctx, s.client, at("organizations", id), nil)
}

// GetCurrent returns the key owner's current organization (PostHog's
// "@current" alias).
//
// API: GET /api/organizations/{id}/ (scope organization:read)
func (s *OrganizationsService) GetCurrent(ctx context.Context) (*Organization, error) {
	return get[Organization](ctx, s.client, at("organizations", currentOrganization), nil)
}

// Create creates an organization; the key's user becomes its owner. On
// self-hosted instances without multi-organization support PostHog answers
// 403.
//
// PostHog creates the organization's first project with it (named
// "Default project"; the answer lists it in Projects and Teams). A program
// that then creates "its" project creates a second one, which a plan
// without multiple projects refuses (403 from Projects.Create): configure
// the first project with Projects.Update instead.
//
// API: POST /api/organizations/ (scope organization:write)
func (s *OrganizationsService) Create(ctx context.Context, org *OrganizationCreate) (*Organization, error) {
	return send[Organization](ctx, s.client, http.MethodPost, at("organizations").check(org.validate()), org)
}

// Update changes the fields set in upd (PATCH). It needs an admin.
//
// API: PATCH /api/organizations/{id}/ (scope organization:write)
func (s *OrganizationsService) Update(ctx context.Context, id OrganizationID, upd *OrganizationUpdate) (*Organization, error) {
	return send[Organization](ctx, s.client, http.MethodPatch, at("organizations", id).check(upd.validate()), upd)
}

// Replace replaces the organization's writable fields (PUT): fields left
// unset take PostHog's defaults. It needs an admin.
//
// Prefer Update. Self-hosted PostHog checks its multi-organization plan
// feature on PUT (PremiumMultiorganizationPermission): without it, PUT
// answers 403 "You must upgrade your PostHog plan to be able to create and
// manage multiple organizations." (ErrPermissionDenied), while PATCH keeps
// working. PostHog Cloud does not check it.
//
// API: PUT /api/organizations/{id}/ (scope organization:write)
func (s *OrganizationsService) Replace(ctx context.Context, id OrganizationID, org *OrganizationReplace) (*Organization, error) {
	return send[Organization](ctx, s.client, http.MethodPut, at("organizations", id).check(org.validate()), org)
}

// Delete deletes the organization and everything in it. Only an owner can.
//
// API: DELETE /api/organizations/{id}/ (scope organization:write)
func (s *OrganizationsService) Delete(ctx context.Context, id OrganizationID) error {
	return del(ctx, s.client, at("organizations", id))
}

// EnvironmentsRollback starts the migration that folds environments back
// into projects: mapping sends each source environment (team) ID to its
// target. PostHog answers 202 and runs it in the background. It needs an
// admin. PostHog requires no scope for this action, which means personal
// API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// PostHog accepts one rollback per organization: a second request answers
// 400 "Environments rollback has already been requested for this
// organization.". An empty mapping answers 400 "Environment mappings are
// required", and IDs (sources or targets) that are not environments of the
// organization answer 400 "Environments not found: {...}"; nothing is
// started then.
//
// API: POST /api/organizations/{id}/environments_rollback/ (scope none; personal API keys rejected)
func (s *OrganizationsService) EnvironmentsRollback(ctx context.Context, id OrganizationID, mapping map[ProjectID]ProjectID) (*EnvironmentsRollbackResult, error) {
	r := at("organizations", id, "environments_rollback")
	if len(mapping) == 0 {
		r = r.check(fmt.Errorf("%w: empty environment mapping", ErrInvalidArgument))
	}
	body := make(map[string]ProjectID, len(mapping))
	for from, to := range mapping {
		body[strconv.FormatInt(int64(from), 10)] = to
	}
	return send[EnvironmentsRollbackResult](ctx, s.client, http.MethodPost, r, body)
}
