package posthogapi

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// FeatureFlagsService works on feature flags across the organization's projects: /api/organizations/{organization_id}/feature_flags/.
//
// PostHog's view has the scope object INTERNAL. Get's action declares no
// scope, so every personal API key is rejected there: Get sends nothing and
// returns an *UnsupportedActionError (it matches
// ErrPersonalAPIKeyNotSupported). Today's PostHog has no unscoped keys
// (migration 1052 gave every one the "*" scope); WithLegacyUnscopedKey
// sends it for a self-hosted PostHog older than that migration, where a
// legacy key without scopes gets through. Copy's action declares
// feature_flag:write in the newest PostHog, which a key must name: "*" does
// not stand for a scope on an INTERNAL view.
type FeatureFlagsService service

// MaxFeatureFlagKeyLength is the longest feature flag key PostHog accepts.
const MaxFeatureFlagKeyLength = 400

// OrganizationFeatureFlag is one project's feature flag with the key asked
// for; PostHog's OrganizationFeatureFlagView.retrieve answers a list of
// them, one per project.
type OrganizationFeatureFlag struct {
	// FlagID is the flag's ID in its project.
	FlagID int64 `json:"flag_id"`
	// TeamID is the environment (team) the flag belongs to.
	TeamID ProjectID `json:"team_id"`
	// CreatedBy is nil when the creator is unknown.
	CreatedBy *UserBasic `json:"created_by"`
	// Filters are the flag's release conditions, variants and payloads.
	Filters   map[string]any `json:"filters"`
	CreatedAt time.Time      `json:"created_at"`
	Active    bool           `json:"active"`
}

// FeatureFlagEvaluationRuntime says where a feature flag is evaluated.
type FeatureFlagEvaluationRuntime string

// Feature flag evaluation runtimes ("" when not set).
const (
	FeatureFlagEvaluationServer FeatureFlagEvaluationRuntime = "server"
	FeatureFlagEvaluationClient FeatureFlagEvaluationRuntime = "client"
	FeatureFlagEvaluationAll    FeatureFlagEvaluationRuntime = "all"
)

// FeatureFlag is a project's feature flag in the shape of PostHog's
// project-level feature flag API (FeatureFlagSerializer), as
// FeatureFlags.Copy answers it.
type FeatureFlag struct {
	ID int64 `json:"id"`
	// Name is the flag's description (the field keeps its old name).
	Name    string         `json:"name"`
	Key     string         `json:"key"`
	Filters map[string]any `json:"filters"`
	Deleted bool           `json:"deleted"`
	Active  bool           `json:"active"`
	// CreatedBy and LastModifiedBy are nil when unknown.
	CreatedBy      *UserBasic `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
	Version        int        `json:"version"`
	LastModifiedBy *UserBasic `json:"last_modified_by"`
	IsSimpleFlag   bool       `json:"is_simple_flag"`
	// RolloutPercentage is set for simple flags only.
	RolloutPercentage          *int  `json:"rollout_percentage"`
	EnsureExperienceContinuity *bool `json:"ensure_experience_continuity"`
	// ExperimentSet are the IDs of the experiments using the flag.
	ExperimentSet []int64 `json:"experiment_set"`
	// Surveys and Features are the linked surveys and early access
	// features, as lists of objects.
	Surveys  []map[string]any `json:"surveys"`
	Features []map[string]any `json:"features"`
	// RollbackConditions is PostHog's free-form rollback configuration.
	RollbackConditions   any      `json:"rollback_conditions"`
	PerformedRollback    *bool    `json:"performed_rollback"`
	CanEdit              bool     `json:"can_edit"`
	Tags                 []string `json:"tags"`
	UsageDashboard       *int64   `json:"usage_dashboard"`
	AnalyticsDashboards  []int64  `json:"analytics_dashboards"`
	HasEnrichedAnalytics *bool    `json:"has_enriched_analytics"`
	// UserAccessLevel is the caller's effective access level to the flag.
	UserAccessLevel       *string                       `json:"user_access_level"`
	IsRemoteConfiguration *bool                         `json:"is_remote_configuration"`
	HasEncryptedPayloads  *bool                         `json:"has_encrypted_payloads"`
	Status                string                        `json:"status"`
	EvaluationRuntime     *FeatureFlagEvaluationRuntime `json:"evaluation_runtime"`
	// LastCalledAt is the last $feature_flag_called event's time.
	LastCalledAt *time.Time `json:"last_called_at"`
}

// FeatureFlagCopy is the body of FeatureFlags.Copy.
type FeatureFlagCopy struct {
	// FeatureFlagKey is the key of the flag to copy (required).
	FeatureFlagKey string `json:"feature_flag_key"`
	// FromProject is the project the flag is copied from (required).
	FromProject ProjectID `json:"from_project"`
	// TargetProjectIDs are the projects to copy it to (at least one). A
	// project that already has a flag with the key gets it updated.
	TargetProjectIDs []ProjectID `json:"target_project_ids"`
	// CopySchedule also copies the flag's pending scheduled changes.
	CopySchedule bool `json:"copy_schedule,omitempty"`
}

// FeatureFlagCopyResult is the answer of FeatureFlags.Copy: one entry per
// target project, in Success or in Failed.
type FeatureFlagCopyResult struct {
	// Success are the flags created or updated in the target projects.
	Success []FeatureFlag `json:"success"`
	// Failed are the target projects the flag could not be copied to.
	Failed []FeatureFlagCopyFailure `json:"failed"`
}

// FeatureFlagCopyFailure is a target project a flag could not be copied to.
type FeatureFlagCopyFailure struct {
	ProjectID ProjectID `json:"project_id"`
	// Errors is PostHog's message: a string ("Target project does not
	// exist."), or an object of field errors from the flag's validation.
	Errors any `json:"errors"`
}

// flagKey is a feature flag key in a path.
type flagKey string

func (k flagKey) segment() (string, error) { return string(k), checkFlagKey(string(k)) }

func checkFlagKey(key string) error {
	if err := checkSegment("feature flag key", key); err != nil {
		return err
	}
	if len([]rune(key)) > MaxFeatureFlagKeyLength {
		return fmt.Errorf("%w: feature flag key is longer than %d characters", ErrInvalidArgument, MaxFeatureFlagKeyLength)
	}
	return nil
}

func (c *FeatureFlagCopy) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil feature flag copy", ErrInvalidArgument)
	}
	if err := checkFlagKey(c.FeatureFlagKey); err != nil {
		return err
	}
	if c.FromProject == 0 {
		return fmt.Errorf("%w: source project is required", ErrInvalidArgument)
	}
	if len(c.TargetProjectIDs) == 0 {
		return fmt.Errorf("%w: no target projects", ErrInvalidArgument)
	}
	return nil
}

// Get returns the feature flags with the given key in every project of
// the organization (an empty list when none has it). The key is sent as
// one escaped path segment, whatever it contains.
//
// API: GET /api/organizations/{organization_id}/feature_flags/{feature_flag_key}/ (scope none; personal API keys rejected)
func (s *FeatureFlagsService) Get(ctx context.Context, org OrganizationID, key string) ([]OrganizationFeatureFlag, error) {
	flags, err := get[[]OrganizationFeatureFlag](ctx, s.client, at("organizations", org, "feature_flags", flagKey(key)), nil)
	if err != nil {
		return nil, err
	}
	return *flags, nil
}

// Copy copies a feature flag, with the cohorts it uses, from one project
// to others in the organization; it needs edit access to the flag. PostHog
// answers 200 with the per-project outcome, so one target failing does not
// fail the call: check FeatureFlagCopyResult.Failed. A missing source flag
// is a 400.
//
// The key must name the scope feature_flag:write: the newest PostHog
// declares it on this action (OrganizationFeatureFlagView.copy_flags) of a
// viewset whose scope object is INTERNAL, where "*" does not stand for it,
// so a key with only "*" gets 403 ErrMissingScope. Older servers declared
// no scope and refuse every personal API key (ErrPersonalAPIKeyNotSupported).
//
// API: POST /api/organizations/{organization_id}/feature_flags/copy_flags/ (scope feature_flag:write, which "*" does not grant)
func (s *FeatureFlagsService) Copy(ctx context.Context, org OrganizationID, cp *FeatureFlagCopy) (*FeatureFlagCopyResult, error) {
	return send[FeatureFlagCopyResult](ctx, s.client, http.MethodPost, at("organizations", org, "feature_flags", "copy_flags").check(cp.validate()), cp)
}
