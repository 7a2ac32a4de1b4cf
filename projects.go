package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi/internal/pyjson"
)

// ProjectsService manages projects: /api/organizations/{organization_id}/projects/.
//
// A project's settings live on its main environment (team); PostHog keeps the
// two in step and serves them together as one project object, whose ID is
// also the environment's ID.
type ProjectsService service

// Timezone is an IANA time zone name such as "Europe/Berlin" or "UTC". PostHog
// accepts the names of pytz's all_timezones (about 600); the client does
// not list them and leaves checking a name to PostHog, which answers 400
// with attr "timezone" for an unknown one.
type Timezone string

// TimezoneUTC is PostHog's default project time zone.
const TimezoneUTC Timezone = "UTC"

// WeekStartDay is the first day of the week used by date filters.
type WeekStartDay int

// Week start days.
const (
	WeekStartSunday WeekStartDay = 0
	WeekStartMonday WeekStartDay = 1
)

// Valid reports whether d is Sunday (0) or Monday (1).
func (d WeekStartDay) Valid() bool { return d == WeekStartSunday || d == WeekStartMonday }

// BusinessModel says whether a project serves businesses or consumers; PostHog
// uses it to lay out its UI.
type BusinessModel string

// Business models. The empty value is accepted too (no choice).
const (
	BusinessModelB2B   BusinessModel = "b2b"
	BusinessModelB2C   BusinessModel = "b2c"
	BusinessModelOther BusinessModel = "other"
)

// Valid reports whether m is one of PostHog's business models or empty.
func (m BusinessModel) Valid() bool {
	switch m {
	case "", BusinessModelB2B, BusinessModelB2C, BusinessModelOther:
		return true
	}
	return false
}

// ProductKey names a PostHog product, as used by product intents and
// onboarding. PostHog's list of products grows often, so the client only
// names the common ones and leaves checking a key to PostHog.
type ProductKey string

// Common product keys.
const (
	ProductAnalytics     ProductKey = "product_analytics"
	ProductWebAnalytics  ProductKey = "web_analytics"
	ProductSessionReplay ProductKey = "session_replay"
	ProductFeatureFlags  ProductKey = "feature_flags"
	ProductExperiments   ProductKey = "experiments"
	ProductSurveys       ProductKey = "surveys"
	ProductDataWarehouse ProductKey = "data_warehouse"
	ProductErrorTracking ProductKey = "error_tracking"
)

// SetupTaskID names a step of PostHog's in-app setup checklist.
type SetupTaskID string

// Setup tasks of the newest PostHog versions.
const (
	SetupTaskIngestFirstEvent                   SetupTaskID = "ingest_first_event"
	SetupTaskSetUpReverseProxy                  SetupTaskID = "set_up_reverse_proxy"
	SetupTaskCreateFirstInsight                 SetupTaskID = "create_first_insight"
	SetupTaskCreateFirstDashboard               SetupTaskID = "create_first_dashboard"
	SetupTaskTrackCustomEvents                  SetupTaskID = "track_custom_events"
	SetupTaskDefineActions                      SetupTaskID = "define_actions"
	SetupTaskSetUpCohorts                       SetupTaskID = "set_up_cohorts"
	SetupTaskExploreTrendsInsight               SetupTaskID = "explore_trends_insight"
	SetupTaskCreateFunnel                       SetupTaskID = "create_funnel"
	SetupTaskExploreRetentionInsight            SetupTaskID = "explore_retention_insight"
	SetupTaskExplorePathsInsight                SetupTaskID = "explore_paths_insight"
	SetupTaskExploreStickinessInsight           SetupTaskID = "explore_stickiness_insight"
	SetupTaskExploreLifecycleInsight            SetupTaskID = "explore_lifecycle_insight"
	SetupTaskAddAuthorizedDomain                SetupTaskID = "add_authorized_domain"
	SetupTaskSetUpWebVitals                     SetupTaskID = "set_up_web_vitals"
	SetupTaskReviewWebAnalyticsDashboard        SetupTaskID = "review_web_analytics_dashboard"
	SetupTaskFilterWebAnalytics                 SetupTaskID = "filter_web_analytics"
	SetupTaskSetUpWebAnalyticsConversionGoals   SetupTaskID = "set_up_web_analytics_conversion_goals"
	SetupTaskVisitWebVitalsDashboard            SetupTaskID = "visit_web_vitals_dashboard"
	SetupTaskSetupSessionRecordings             SetupTaskID = "setup_session_recordings"
	SetupTaskWatchSessionRecording              SetupTaskID = "watch_session_recording"
	SetupTaskConfigureRecordingSettings         SetupTaskID = "configure_recording_settings"
	SetupTaskCreateRecordingPlaylist            SetupTaskID = "create_recording_playlist"
	SetupTaskEnableConsoleLogs                  SetupTaskID = "enable_console_logs"
	SetupTaskCreateFeatureFlag                  SetupTaskID = "create_feature_flag"
	SetupTaskImplementFlagInCode                SetupTaskID = "implement_flag_in_code"
	SetupTaskUpdateFeatureFlagReleaseConditions SetupTaskID = "update_feature_flag_release_conditions"
	SetupTaskCreateMultivariateFlag             SetupTaskID = "create_multivariate_flag"
	SetupTaskSetUpFlagPayloads                  SetupTaskID = "set_up_flag_payloads"
	SetupTaskSetUpFlagEvaluationRuntimes        SetupTaskID = "set_up_flag_evaluation_runtimes"
	SetupTaskCreateExperiment                   SetupTaskID = "create_experiment"
	SetupTaskImplementExperimentVariants        SetupTaskID = "implement_experiment_variants"
	SetupTaskLaunchExperiment                   SetupTaskID = "launch_experiment"
	SetupTaskReviewExperimentResults            SetupTaskID = "review_experiment_results"
	SetupTaskCreateSurvey                       SetupTaskID = "create_survey"
	SetupTaskLaunchSurvey                       SetupTaskID = "launch_survey"
	SetupTaskCollectSurveyResponses             SetupTaskID = "collect_survey_responses"
	SetupTaskConnectSource                      SetupTaskID = "connect_source"
	SetupTaskRunFirstQuery                      SetupTaskID = "run_first_query"
	SetupTaskJoinExternalData                   SetupTaskID = "join_external_data"
	SetupTaskCreateSavedView                    SetupTaskID = "create_saved_view"
	SetupTaskEnableErrorTracking                SetupTaskID = "enable_error_tracking"
	SetupTaskUploadSourceMaps                   SetupTaskID = "upload_source_maps"
	SetupTaskViewFirstError                     SetupTaskID = "view_first_error"
	SetupTaskResolveFirstError                  SetupTaskID = "resolve_first_error"
	SetupTaskIngestFirstLLMEvent                SetupTaskID = "ingest_first_llm_event"
	SetupTaskViewFirstTrace                     SetupTaskID = "view_first_trace"
	SetupTaskTrackCosts                         SetupTaskID = "track_costs"
	SetupTaskSetUpLLMEvaluation                 SetupTaskID = "set_up_llm_evaluation"
	SetupTaskRunAIPlayground                    SetupTaskID = "run_ai_playground"
	SetupTaskEnableRevenueAnalyticsViewset      SetupTaskID = "enable_revenue_analytics_viewset"
	SetupTaskConnectRevenueSource               SetupTaskID = "connect_revenue_source"
	SetupTaskSetUpRevenueGoal                   SetupTaskID = "set_up_revenue_goal"
	SetupTaskEnableLogCapture                   SetupTaskID = "enable_log_capture"
	SetupTaskViewFirstLogs                      SetupTaskID = "view_first_logs"
	SetupTaskCreateFirstWorkflow                SetupTaskID = "create_first_workflow"
	SetupTaskSetUpFirstWorkflowChannel          SetupTaskID = "set_up_first_workflow_channel"
	SetupTaskConfigureWorkflowTrigger           SetupTaskID = "configure_workflow_trigger"
	SetupTaskAddWorkflowAction                  SetupTaskID = "add_workflow_action"
	SetupTaskLaunchWorkflow                     SetupTaskID = "launch_workflow"
	SetupTaskCreateFirstEndpoint                SetupTaskID = "create_first_endpoint"
	SetupTaskConfigureEndpoint                  SetupTaskID = "configure_endpoint"
	SetupTaskTestEndpoint                       SetupTaskID = "test_endpoint"
	SetupTaskCreateEarlyAccessFeature           SetupTaskID = "create_early_access_feature"
	SetupTaskUpdateFeatureStage                 SetupTaskID = "update_feature_stage"
)

// ProductIntent records that a product was shown interest in or onboarded,
// as listed in Project.ProductIntents.
type ProductIntent struct {
	ProductType ProductKey `json:"product_type"`
	CreatedAt   time.Time  `json:"created_at"`
	// OnboardingCompletedAt is set once the product's onboarding was
	// completed (see Projects.CompleteProductOnboarding).
	OnboardingCompletedAt *time.Time `json:"onboarding_completed_at"`
	UpdatedAt             time.Time  `json:"updated_at"`
}

// ProjectBasic is a project as Projects.List returns it. Unlike Project
// and the organization's TeamBasic list, it has no project_id: PostHog's
// ProjectBackwardCompatBasicSerializer does not send one.
type ProjectBasic struct {
	ID                         ProjectID      `json:"id"`
	UUID                       uuid.UUID      `json:"uuid"`
	Organization               OrganizationID `json:"organization"`
	APIToken                   string         `json:"api_token"`
	Name                       string         `json:"name"`
	CompletedSnippetOnboarding bool           `json:"completed_snippet_onboarding"`
	HasCompletedOnboardingFor  map[string]any `json:"has_completed_onboarding_for"`
	IngestedEvent              bool           `json:"ingested_event"`
	IsDemo                     bool           `json:"is_demo"`
	Timezone                   Timezone       `json:"timezone"`
	AccessControl              bool           `json:"access_control"`
}

// Project is a project with all its settings, as PostHog's
// ProjectBackwardCompatSerializer sends it (the fields of older and of the
// newest servers).
//
// Free-form fields are decoded as the JSON PostHog stores:
// objects as map[string]any, lists of objects as []map[string]any.
// Printing it with %v or %#v redacts the secret tokens (SecretAPIToken,
// SecretAPITokenBackup, LiveEventsToken) and the Slack incoming webhook
// URL (whoever has it can post to the channel); APIToken is public and
// shown.
type Project struct {
	ID           ProjectID      `json:"id"`
	Organization OrganizationID `json:"organization"`
	// ProjectID equals ID; newer servers send it.
	ProjectID          ProjectID `json:"project_id"`
	Name               string    `json:"name"`
	ProductDescription *string   `json:"product_description"`
	CreatedAt          time.Time `json:"created_at"`
	// EffectiveMembershipLevel is the caller's level in the project; nil
	// when the caller has no access.
	EffectiveMembershipLevel *MembershipLevel `json:"effective_membership_level"`
	HasGroupTypes            bool             `json:"has_group_types"`
	GroupTypes               []map[string]any `json:"group_types"`
	LiveEventsToken          *string          `json:"live_events_token"`
	UpdatedAt                time.Time        `json:"updated_at"`
	UUID                     uuid.UUID        `json:"uuid"`
	// APIToken is the public project key (phc_...) used by PostHog's SDKs.
	APIToken                            string           `json:"api_token"`
	AppURLs                             []string         `json:"app_urls"`
	SlackIncomingWebhook                *string          `json:"slack_incoming_webhook"`
	AnonymizeIPs                        bool             `json:"anonymize_ips"`
	CompletedSnippetOnboarding          bool             `json:"completed_snippet_onboarding"`
	IngestedEvent                       bool             `json:"ingested_event"`
	TestAccountFilters                  []map[string]any `json:"test_account_filters"`
	TestAccountFiltersDefaultChecked    *bool            `json:"test_account_filters_default_checked"`
	PathCleaningFilters                 []map[string]any `json:"path_cleaning_filters"`
	IsDemo                              bool             `json:"is_demo"`
	Timezone                            Timezone         `json:"timezone"`
	DataAttributes                      []string         `json:"data_attributes"`
	PersonDisplayNameProperties         []string         `json:"person_display_name_properties"`
	CorrelationConfig                   map[string]any   `json:"correlation_config"`
	AutocaptureOptOut                   *bool            `json:"autocapture_opt_out"`
	AutocaptureExceptionsOptIn          *bool            `json:"autocapture_exceptions_opt_in"`
	AutocaptureWebVitalsOptIn           *bool            `json:"autocapture_web_vitals_opt_in"`
	AutocaptureWebVitalsAllowedMetrics  []string         `json:"autocapture_web_vitals_allowed_metrics"`
	AutocaptureExceptionsErrorsToIgnore []string         `json:"autocapture_exceptions_errors_to_ignore"`
	CaptureConsoleLogOptIn              *bool            `json:"capture_console_log_opt_in"`
	CapturePerformanceOptIn             *bool            `json:"capture_performance_opt_in"`
	SessionRecordingOptIn               bool             `json:"session_recording_opt_in"`
	// SessionRecordingSampleRate is a decimal string between "0.00" and
	// "1.00"; nil records every session.
	SessionRecordingSampleRate                  *string        `json:"session_recording_sample_rate"`
	SessionRecordingMinimumDurationMilliseconds *int           `json:"session_recording_minimum_duration_milliseconds"`
	SessionRecordingLinkedFlag                  map[string]any `json:"session_recording_linked_flag"`
	SessionRecordingNetworkPayloadCaptureConfig map[string]any `json:"session_recording_network_payload_capture_config"`
	SessionRecordingMaskingConfig               map[string]any `json:"session_recording_masking_config"`
	SessionReplayConfig                         map[string]any `json:"session_replay_config"`
	SurveyConfig                                map[string]any `json:"survey_config"`
	AccessControl                               bool           `json:"access_control"`
	// WeekStartDay is nil when unset.
	WeekStartDay      *WeekStartDay `json:"week_start_day"`
	PrimaryDashboard  *int64        `json:"primary_dashboard"`
	LiveEventsColumns []string      `json:"live_events_columns"`
	RecordingDomains  []string      `json:"recording_domains"`
	// PersonOnEventsQueryingEnabled reports whether queries read person
	// properties from the events.
	PersonOnEventsQueryingEnabled bool           `json:"person_on_events_querying_enabled"`
	InjectWebApps                 *bool          `json:"inject_web_apps"`
	ExtraSettings                 map[string]any `json:"extra_settings"`
	Modifiers                     map[string]any `json:"modifiers"`
	// DefaultModifiers are the HogQL modifiers PostHog applies by default
	// (an object).
	DefaultModifiers          map[string]any `json:"default_modifiers"`
	HasCompletedOnboardingFor map[string]any `json:"has_completed_onboarding_for"`
	SurveysOptIn              *bool          `json:"surveys_opt_in"`
	HeatmapsOptIn             *bool          `json:"heatmaps_opt_in"`
	// ProductIntents are the products the project has shown an intent to
	// use, with their onboarding state.
	ProductIntents          []ProductIntent `json:"product_intents"`
	FlagsPersistenceDefault *bool           `json:"flags_persistence_default"`
	// SecretAPIToken (phs_...) authenticates feature flag local evaluation;
	// nil until one is generated with Projects.RotateSecretToken.
	SecretAPIToken *string `json:"secret_api_token"`
	// SecretAPITokenBackup is the previous secret token, still accepted
	// after a rotation until Projects.DeleteSecretTokenBackup.
	SecretAPITokenBackup        *string `json:"secret_api_token_backup"`
	ReceiveOrgLevelActivityLogs *bool   `json:"receive_org_level_activity_logs"`
	// The fields below are sent by newer servers only.
	BusinessModel         *BusinessModel `json:"business_model"`
	ConversationsEnabled  *bool          `json:"conversations_enabled"`
	ConversationsSettings map[string]any `json:"conversations_settings"`
	LogsSettings          map[string]any `json:"logs_settings"`
	ProactiveTasksEnabled *bool          `json:"proactive_tasks_enabled"`
	AvailableSetupTaskIDs []SetupTaskID  `json:"available_setup_task_ids"`
}

// projectSecrets are the JSON keys of Project that String redacts.
var projectSecrets = []string{"secret_api_token", "secret_api_token_backup", "live_events_token", "slack_incoming_webhook"}

// String describes the project with its secret tokens redacted.
func (p Project) String() string { return redactedString("", p, projectSecrets...) }

// GoString is String for %#v.
func (p Project) GoString() string { return redactedString("posthogapi.Project", p, projectSecrets...) }

// ProjectSettings are the writable settings of a project, shared by
// ProjectCreate and ProjectUpdate. Only set fields are sent: pointers and
// Nullable fields when set, slices and maps when not nil (an empty,
// non-nil slice is sent as [] and clears the list). Null clears a nullable
// setting. Printing it with %v or %#v redacts SlackIncomingWebhook.
type ProjectSettings struct {
	// ProductDescription is at most 1000 characters.
	ProductDescription Nullable[string] `json:"product_description,omitzero"`
	// AppURLs are the authorized URLs (each at most 200 characters).
	AppURLs []string `json:"app_urls,omitzero"`
	// SlackIncomingWebhook is at most 500 characters. It is a secret:
	// whoever has it can post to the channel.
	SlackIncomingWebhook             Nullable[string]           `json:"slack_incoming_webhook,omitzero"`
	AnonymizeIPs                     *bool                      `json:"anonymize_ips,omitempty"`
	CompletedSnippetOnboarding       *bool                      `json:"completed_snippet_onboarding,omitempty"`
	TestAccountFilters               []map[string]any           `json:"test_account_filters,omitzero"`
	TestAccountFiltersDefaultChecked Nullable[bool]             `json:"test_account_filters_default_checked,omitzero"`
	PathCleaningFilters              Nullable[[]map[string]any] `json:"path_cleaning_filters,omitzero"`
	IsDemo                           *bool                      `json:"is_demo,omitempty"`
	// Timezone is an IANA name; PostHog checks it.
	Timezone       Timezone `json:"timezone,omitempty"`
	DataAttributes []string `json:"data_attributes,omitzero"`
	// PersonDisplayNameProperties are person properties (each at most 400
	// characters) used to name people in the UI.
	PersonDisplayNameProperties        Nullable[[]string]       `json:"person_display_name_properties,omitzero"`
	CorrelationConfig                  Nullable[map[string]any] `json:"correlation_config,omitzero"`
	AutocaptureOptOut                  Nullable[bool]           `json:"autocapture_opt_out,omitzero"`
	AutocaptureExceptionsOptIn         Nullable[bool]           `json:"autocapture_exceptions_opt_in,omitzero"`
	AutocaptureWebVitalsOptIn          Nullable[bool]           `json:"autocapture_web_vitals_opt_in,omitzero"`
	AutocaptureWebVitalsAllowedMetrics Nullable[[]string]       `json:"autocapture_web_vitals_allowed_metrics,omitzero"`
	// AutocaptureExceptionsErrorsToIgnore is a list whose JSON, as Python
	// writes it (", " between items, non-ASCII escaped), is at most 300
	// characters; PostHog refuses null and longer lists (400), and so does
	// this client before sending.
	AutocaptureExceptionsErrorsToIgnore Nullable[[]string] `json:"autocapture_exceptions_errors_to_ignore,omitzero"`
	CaptureConsoleLogOptIn              Nullable[bool]     `json:"capture_console_log_opt_in,omitzero"`
	CapturePerformanceOptIn             Nullable[bool]     `json:"capture_performance_opt_in,omitzero"`
	SessionRecordingOptIn               *bool              `json:"session_recording_opt_in,omitempty"`
	// SessionRecordingSampleRate is a decimal string with at most one digit
	// before and two after the point, between "0.00" and "1.00".
	SessionRecordingSampleRate Nullable[string] `json:"session_recording_sample_rate,omitzero"`
	// SessionRecordingMinimumDurationMilliseconds is 0 to 30000.
	SessionRecordingMinimumDurationMilliseconds Nullable[int]            `json:"session_recording_minimum_duration_milliseconds,omitzero"`
	SessionRecordingLinkedFlag                  Nullable[map[string]any] `json:"session_recording_linked_flag,omitzero"`
	SessionRecordingNetworkPayloadCaptureConfig Nullable[map[string]any] `json:"session_recording_network_payload_capture_config,omitzero"`
	SessionRecordingMaskingConfig               Nullable[map[string]any] `json:"session_recording_masking_config,omitzero"`
	SessionReplayConfig                         Nullable[map[string]any] `json:"session_replay_config,omitzero"`
	SurveyConfig                                Nullable[map[string]any] `json:"survey_config,omitzero"`
	AccessControl                               *bool                    `json:"access_control,omitempty"`
	WeekStartDay                                Nullable[WeekStartDay]   `json:"week_start_day,omitzero"`
	// PrimaryDashboard is a dashboard of the project. PostHog refuses it
	// on project creation, even null (400 "Primary dashboard cannot be set
	// on project creation."), so Projects.Create refuses it before sending;
	// set it with Update or Replace.
	PrimaryDashboard  Nullable[int64]    `json:"primary_dashboard,omitzero"`
	LiveEventsColumns Nullable[[]string] `json:"live_events_columns,omitzero"`
	// RecordingDomains are the origins allowed to record (each at most 200
	// characters); empty allows all.
	RecordingDomains            Nullable[[]string]       `json:"recording_domains,omitzero"`
	InjectWebApps               Nullable[bool]           `json:"inject_web_apps,omitzero"`
	ExtraSettings               Nullable[map[string]any] `json:"extra_settings,omitzero"`
	Modifiers                   Nullable[map[string]any] `json:"modifiers,omitzero"`
	HasCompletedOnboardingFor   Nullable[map[string]any] `json:"has_completed_onboarding_for,omitzero"`
	SurveysOptIn                Nullable[bool]           `json:"surveys_opt_in,omitzero"`
	HeatmapsOptIn               Nullable[bool]           `json:"heatmaps_opt_in,omitzero"`
	FlagsPersistenceDefault     Nullable[bool]           `json:"flags_persistence_default,omitzero"`
	ReceiveOrgLevelActivityLogs Nullable[bool]           `json:"receive_org_level_activity_logs,omitzero"`
	// The settings below exist on newer servers only; older servers ignore
	// them.
	BusinessModel         Nullable[BusinessModel]  `json:"business_model,omitzero"`
	ConversationsEnabled  Nullable[bool]           `json:"conversations_enabled,omitzero"`
	ConversationsSettings Nullable[map[string]any] `json:"conversations_settings,omitzero"`
	LogsSettings          Nullable[map[string]any] `json:"logs_settings,omitzero"`
	ProactiveTasksEnabled Nullable[bool]           `json:"proactive_tasks_enabled,omitzero"`
}

// ProjectReplace is the body of Projects.Replace: PostHog's PUT reads the
// fields of a create, so it is ProjectCreate.
type ProjectReplace = ProjectCreate

// ProjectCreate is the body of Projects.Create and, as ProjectReplace, of
// Projects.Replace.
type ProjectCreate struct {
	// Name is required by this client (1 to 200 characters, not blank).
	// PostHog itself would pick a unique default name when none is given.
	// Names are unique in an organization, ignoring case and surrounding
	// space: a name already used answers 409 (ErrConflict).
	Name string `json:"name"`
	ProjectSettings
}

// String describes the request with the Slack incoming webhook URL
// redacted.
func (c ProjectCreate) String() string { return redactedString("", c, projectSecrets...) }

// GoString is String for %#v.
func (c ProjectCreate) GoString() string {
	return redactedString("posthogapi.ProjectCreate", c, projectSecrets...)
}

// ProjectUpdate is the body of Projects.Update (PATCH): only set fields are
// sent.
type ProjectUpdate struct {
	// Name, when set, is 1 to 200 characters and not blank.
	Name *string `json:"name,omitempty"`
	ProjectSettings
}

// String describes the request with the Slack incoming webhook URL
// redacted.
func (u ProjectUpdate) String() string { return redactedString("", u, projectSecrets...) }

// GoString is String for %#v.
func (u ProjectUpdate) GoString() string {
	return redactedString("posthogapi.ProjectUpdate", u, projectSecrets...)
}

// ProjectListOptions filters and pages Projects.List and Projects.All.
type ProjectListOptions struct {
	ListOptions
	// Search keeps projects whose name contains it (newest servers; older
	// ones ignore it).
	Search string `url:"search,omitempty"`
}

// ProductIntentCreate is the body of Projects.AddProductIntent and
// Projects.CompleteProductOnboarding.
type ProductIntentCreate struct {
	// ProductType is required.
	ProductType ProductKey `json:"product_type"`
	// IntentContext says where the intent came from (such as
	// "onboarding product selected"); PostHog checks the value.
	IntentContext string `json:"intent_context,omitempty"`
	// Metadata is stored with the intent.
	Metadata map[string]any `json:"metadata,omitempty"`
}

// ProjectDemoDataStatus is the answer of Projects.IsGeneratingDemoData.
type ProjectDemoDataStatus struct {
	IsGeneratingDemoData bool `json:"is_generating_demo_data"`
}

// ProjectActivityOptions pages Projects.ListActivity and
// Projects.AllActivity. PostHog pages activity by page number, not by
// offset.
type ProjectActivityOptions struct {
	// Limit is the page size (0: PostHog's default, 10).
	Limit int `url:"limit,omitempty"`
	// Page is the 1-based page number (0: the first page).
	Page int `url:"page,omitempty"`
}

// projectActivityPage is PostHog's activity page as sent: the total is
// total_count, not count. ListActivity answers it as a Page.
type projectActivityPage struct {
	Results    []ProjectActivity `json:"results"`
	Next       string            `json:"next"`
	Previous   string            `json:"previous"`
	TotalCount int               `json:"total_count"`
}

// ProjectActivity is one entry of a project's activity log (PostHog's
// ActivityLog).
type ProjectActivity struct {
	ID uuid.UUID `json:"id"`
	// User is who acted; nil for system activity.
	User            *UserBasic             `json:"user"`
	Unread          bool                   `json:"unread"`
	OrganizationID  *OrganizationID        `json:"organization_id"`
	WasImpersonated *bool                  `json:"was_impersonated"`
	IsSystem        *bool                  `json:"is_system"`
	Activity        string                 `json:"activity"`
	ItemID          *string                `json:"item_id"`
	Scope           string                 `json:"scope"`
	Detail          *ProjectActivityDetail `json:"detail"`
	CreatedAt       time.Time              `json:"created_at"`
}

// ProjectActivityDetail describes what an activity did, with the fields
// of PostHog's activity Detail.
type ProjectActivityDetail struct {
	Name    *string                 `json:"name"`
	ShortID *string                 `json:"short_id"`
	Type    *string                 `json:"type"`
	Changes []ProjectActivityChange `json:"changes"`
	Merge   map[string]any          `json:"merge"`
	Trigger map[string]any          `json:"trigger"`
	Context map[string]any          `json:"context"`
}

// ProjectActivityChange is one changed field of an activity.
type ProjectActivityChange struct {
	Type   string  `json:"type"`
	Action string  `json:"action"`
	Field  *string `json:"field"`
	Before any     `json:"before"`
	After  any     `json:"after"`
}

// ----- validation ------------------------------------------------------------

func checkProjectName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: project name is empty", ErrInvalidArgument)
	case utf8.RuneCountInString(name) > 200:
		return fmt.Errorf("%w: project name is longer than 200 characters", ErrInvalidArgument)
	}
	return nil
}

// sampleRateRe matches what PostHog's DecimalField (3 digits, 2 decimal
// places) accepts for session_recording_sample_rate.
var sampleRateRe = regexp.MustCompile(`^-?\d{0,1}(?:\.\d{0,2})?$`)

func checkMaxLen(field, v string, n int) error {
	if utf8.RuneCountInString(v) > n {
		return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidArgument, field, n)
	}
	return nil
}

func checkEachMaxLen(field string, vs []string, n int) error {
	for _, v := range vs {
		if err := checkMaxLen(field+" item", v, n); err != nil {
			return err
		}
	}
	return nil
}

// String describes the settings with the Slack incoming webhook URL
// redacted.
func (ps ProjectSettings) String() string { return redactedString("", ps, projectSecrets...) }

// GoString is String for %#v.
func (ps ProjectSettings) GoString() string {
	return redactedString("posthogapi.ProjectSettings", ps, projectSecrets...)
}

func (ps *ProjectSettings) validate() error {
	if v, ok := ps.ProductDescription.Get(); ok {
		if err := checkMaxLen("product_description", v, 1000); err != nil {
			return err
		}
	}
	if err := checkEachMaxLen("app_urls", ps.AppURLs, 200); err != nil {
		return err
	}
	if v, ok := ps.SlackIncomingWebhook.Get(); ok {
		if err := checkMaxLen("slack_incoming_webhook", v, 500); err != nil {
			return err
		}
	}
	if ps.Timezone != "" && strings.TrimSpace(string(ps.Timezone)) != string(ps.Timezone) {
		return fmt.Errorf("%w: timezone %q has surrounding spaces", ErrInvalidArgument, ps.Timezone)
	}
	if v, ok := ps.PersonDisplayNameProperties.Get(); ok {
		if err := checkEachMaxLen("person_display_name_properties", v, 400); err != nil {
			return err
		}
	}
	if v, ok := ps.SessionRecordingSampleRate.Get(); ok {
		if !sampleRateRe.MatchString(v) || v == "" || v == "-" || v == "." {
			return fmt.Errorf("%w: session_recording_sample_rate %q is not a decimal such as \"0.25\"", ErrInvalidArgument, v)
		}
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 1 {
			return fmt.Errorf("%w: session_recording_sample_rate %q is not between 0 and 1", ErrInvalidArgument, v)
		}
	}
	if v, ok := ps.SessionRecordingMinimumDurationMilliseconds.Get(); ok && (v < 0 || v > 30000) {
		return fmt.Errorf("%w: session_recording_minimum_duration_milliseconds must be 0 to 30000, not %d", ErrInvalidArgument, v)
	}
	if v, ok := ps.WeekStartDay.Get(); ok && !v.Valid() {
		return fmt.Errorf("%w: week_start_day must be 0 (Sunday) or 1 (Monday), not %d", ErrInvalidArgument, v)
	}
	if v, ok := ps.RecordingDomains.Get(); ok {
		if err := checkEachMaxLen("recording_domains", v, 200); err != nil {
			return err
		}
	}
	if v, ok := ps.BusinessModel.Get(); ok && !v.Valid() {
		return fmt.Errorf("%w: unknown business model %q", ErrInvalidArgument, v)
	}
	// PostHog: posthog/api/team/settings_validation.py validate_team_attrs.
	if ps.AutocaptureExceptionsErrorsToIgnore.IsNull() {
		return fmt.Errorf("%w: autocapture_exceptions_errors_to_ignore cannot be null (PostHog wants a list; send an empty one to clear it)", ErrInvalidArgument)
	}
	if v, ok := ps.AutocaptureExceptionsErrorsToIgnore.Get(); ok {
		if n := pyjson.ListLen(v); n > 300 {
			return fmt.Errorf("%w: autocapture_exceptions_errors_to_ignore is %d characters as JSON, PostHog allows at most 300 (configure more in posthog-js)", ErrInvalidArgument, n)
		}
	}
	return nil
}

func (c *ProjectCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil project", ErrInvalidArgument)
	}
	if err := checkProjectName(c.Name); err != nil {
		return err
	}
	return c.ProjectSettings.validate()
}

// validateCreate is validate plus the rule of creation only: PostHog
// refuses primary_dashboard on project creation, even null.
// PostHog: posthog/api/team/settings_validation.py validate_team_attrs.
func (c *ProjectCreate) validateCreate() error {
	if err := c.validate(); err != nil {
		return err
	}
	if !c.PrimaryDashboard.IsZero() {
		return fmt.Errorf("%w: primary_dashboard cannot be set on project creation (PostHog answers 400); set it with Projects.Update", ErrInvalidArgument)
	}
	return nil
}

func (u *ProjectUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil update", ErrInvalidArgument)
	}
	if u.Name != nil {
		if err := checkProjectName(*u.Name); err != nil {
			return err
		}
	}
	return u.ProjectSettings.validate()
}

func (i *ProductIntentCreate) validate() error {
	if i == nil || strings.TrimSpace(string(i.ProductType)) == "" {
		return fmt.Errorf("%w: product type is empty", ErrInvalidArgument)
	}
	return nil
}

func (o *ProjectActivityOptions) validate() error {
	if o != nil && (o.Limit < 0 || o.Page < 0) {
		return fmt.Errorf("%w: activity limit and page must not be negative", ErrInvalidArgument)
	}
	return nil
}

// ----- methods ---------------------------------------------------------------

// List returns one page of the organization's projects that the key's user
// can see.
//
// API: GET /api/organizations/{organization_id}/projects/ (scope project:read)
func (s *ProjectsService) List(ctx context.Context, org OrganizationID, opts *ProjectListOptions) (*Page[ProjectBasic], error) {
	return list[ProjectBasic](ctx, s.client, at("organizations", org, "projects"), opts)
}

// All iterates over every project of the organization that the key's user
// can see, fetching pages as needed.
//
// API: GET /api/organizations/{organization_id}/projects/ (scope project:read)
func (s *ProjectsService) All(ctx context.Context, org OrganizationID, opts *ProjectListOptions) iter.Seq2[*ProjectBasic, error] {
	return iterate[ProjectBasic](ctx, s.client, at("organizations", org, "projects"), opts)
}

// Get returns a project with all its settings.
//
// API: GET /api/organizations/{organization_id}/projects/{id}/ (scope project:read)
func (s *ProjectsService) Get(ctx context.Context, org OrganizationID, id ProjectID) (*Project, error) {
	return get[Project](ctx, s.client, at("organizations", org, "projects", id), nil)
}

// Create creates a project (with its main environment) in the organization.
// PostHog first checks how many projects the plan allows (403 "You have
// reached the maximum limit of allowed projects..." beyond it; remember
// that a new organization already has its first project), then who may
// create: an organization admin, or a plain member when the
// organization's MembersCanCreateProjects is on (403 "You need to be an
// organization admin or above to create new projects." otherwise); a demo
// project (IsDemo) any member may create. A member below admin may set
// only the member-safe settings on create (name, is_demo,
// completed_snippet_onboarding, has_completed_onboarding_for,
// session_recording_opt_in, autocapture_exceptions_opt_in,
// autocapture_web_vitals_opt_in, autocapture_web_vitals_allowed_metrics,
// surveys_opt_in, and the settings outside PostHog's team config:
// product_description, slack_incoming_webhook): any other answers 403
// "Only organization admins can set these settings on project creation:
// ...". PrimaryDashboard cannot be set on create and is refused before
// sending. The answer is 201 with the new project.
//
// API: POST /api/organizations/{organization_id}/projects/ (scope project:write)
func (s *ProjectsService) Create(ctx context.Context, org OrganizationID, project *ProjectCreate) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPost, at("organizations", org, "projects").check(project.validateCreate()), project)
}

// Update changes the settings set in upd (PATCH). PostHog requires
// project:write from personal API keys (project:read is enough only for
// some settings changed from PostHog's UI).
//
// A member below project admin may send only the member-safe settings
// (completed_snippet_onboarding, has_completed_onboarding_for,
// session_recording_opt_in, autocapture_exceptions_opt_in,
// autocapture_web_vitals_opt_in, autocapture_web_vitals_allowed_metrics,
// surveys_opt_in, primary_dashboard, and product_description and
// slack_incoming_webhook, which are outside PostHog's team config). Any
// other setting, Name and AccessControl included, answers 403 "Only project
// admins can modify these settings: <sorted list>" (ErrPermissionDenied),
// even when its value is unchanged: PostHog checks which fields are sent,
// not what they change. The same holds for Replace.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/ (scope project:write)
func (s *ProjectsService) Update(ctx context.Context, org OrganizationID, id ProjectID, upd *ProjectUpdate) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPatch, at("organizations", org, "projects", id).check(upd.validate()), upd)
}

// Replace sends the project's settings with PUT. PostHog has no required
// project setting, so settings left unset keep their values, as with
// Update.
//
// Prefer Update. PostHog checks its plan limit on PUT as on create
// (PremiumMultiProjectPermission): once the organization has as many
// projects as its plan allows (one without the multi-project feature, so
// every organization on a free plan), PUT answers 403 "You have reached
// the maximum limit of allowed projects for your current plan..."
// (ErrPermissionDenied), while PATCH keeps working. A name used by another
// project of the organization answers 409 (ErrConflict). Replace always
// sends the name, which only project admins may send: a plain member gets
// 403 (use Update with member-safe settings instead).
//
// API: PUT /api/organizations/{organization_id}/projects/{id}/ (scope project:write)
func (s *ProjectsService) Replace(ctx context.Context, org OrganizationID, id ProjectID, project *ProjectReplace) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPut, at("organizations", org, "projects", id).check(project.validate()), project)
}

// Delete deletes the project and all its data; it needs an admin. Newer
// servers mark the project as pending deletion and remove it and its data
// in the background: until then a second Delete answers 400 "This project
// is already being deleted." (ErrValidation), and its name is free for a
// new project. PostHog Cloud refuses to delete an organization's last
// project while the organization has an active subscription (400 "Cannot
// delete the last project in an organization with an active
// subscription...").
//
// API: DELETE /api/organizations/{organization_id}/projects/{id}/ (scope project:write)
func (s *ProjectsService) Delete(ctx context.Context, org OrganizationID, id ProjectID) error {
	return del(ctx, s.client, at("organizations", org, "projects", id))
}

// ListActivity returns one page of the project's activity log, newest
// first; Page.Count is the number of entries across all pages (PostHog's
// total_count). PostHog requires no scope for this action,
// which means personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/organizations/{organization_id}/projects/{id}/activity/ (scope none; personal API keys rejected)
func (s *ProjectsService) ListActivity(ctx context.Context, org OrganizationID, id ProjectID, opts *ProjectActivityOptions) (*Page[ProjectActivity], error) {
	return s.activityPage(ctx, at("organizations", org, "projects", id, "activity").check(opts.validate()), opts)
}

// AllActivity iterates over the project's activity log, newest first,
// from opts.Page on, requesting page after page by number with the guards
// of Domains.AllSCIMLogs (PostHog's next links are never followed). opts
// is copied when AllActivity is called and never modified; pages are
// fetched lazily. Personal API keys are rejected, as for ListActivity.
//
// API: GET /api/organizations/{organization_id}/projects/{id}/activity/ (scope none; personal API keys rejected)
func (s *ProjectsService) AllActivity(ctx context.Context, org OrganizationID, id ProjectID, opts *ProjectActivityOptions) iter.Seq2[*ProjectActivity, error] {
	r := at("organizations", org, "projects", id, "activity").check(opts.validate())
	if r.err != nil {
		return errSeq[ProjectActivity](r.err)
	}
	var q ProjectActivityOptions
	if opts != nil {
		q = *opts
	}
	fetch := func(page int) (*Page[ProjectActivity], error) {
		cur := q
		cur.Page = page
		return s.activityPage(ctx, r, &cur)
	}
	return pageNumberAll(s.client.apiPrefix+r.path, q.Page, fetch, func(a *ProjectActivity) uuid.UUID { return a.ID })
}

// activityPage fetches one activity page and converts it to a Page.
func (s *ProjectsService) activityPage(ctx context.Context, r route, opts *ProjectActivityOptions) (*Page[ProjectActivity], error) {
	a, err := get[projectActivityPage](ctx, s.client, r, opts)
	if err != nil {
		return nil, err
	}
	return &Page[ProjectActivity]{Count: a.TotalCount, Next: a.Next, Previous: a.Previous, Results: a.Results}, nil
}

// AddProductIntent records interest in a product for the project. The
// server answers 201 with the project's main environment, whose fields are
// those of Project. PostHog checks only project:read for this write.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/add_product_intent/ (scope project:read)
func (s *ProjectsService) AddProductIntent(ctx context.Context, org OrganizationID, id ProjectID, intent *ProductIntentCreate) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPatch, at("organizations", org, "projects", id, "add_product_intent").check(intent.validate()), intent)
}

// CompleteProductOnboarding marks a product's onboarding as completed for
// the project (it shows in Project.HasCompletedOnboardingFor and
// Project.ProductIntents). The server answers with the project's main
// environment, whose fields are those of Project. PostHog checks only
// project:read for this write.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/complete_product_onboarding/ (scope project:read)
func (s *ProjectsService) CompleteProductOnboarding(ctx context.Context, org OrganizationID, id ProjectID, intent *ProductIntentCreate) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPatch, at("organizations", org, "projects", id, "complete_product_onboarding").check(intent.validate()), intent)
}

// changeOrganizationBody is the body of Projects.ChangeOrganization.
type changeOrganizationBody struct {
	OrganizationID OrganizationID `json:"organization_id"`
}

// ChangeOrganization moves the project (with its environments) to the
// organization target; the key's user must be an admin of both
// organizations. PostHog requires no scope for this action, which means
// personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: POST /api/organizations/{organization_id}/projects/{id}/change_organization/ (scope none; personal API keys rejected)
func (s *ProjectsService) ChangeOrganization(ctx context.Context, org OrganizationID, id ProjectID, target OrganizationID) (*Project, error) {
	return send[Project](ctx, s.client, http.MethodPost, at("organizations", org, "projects", id, "change_organization").check(target.validate()), changeOrganizationBody{OrganizationID: target})
}

// DeleteSecretTokenBackup forgets the project's previous secret token
// (Project.SecretAPITokenBackup), so that it stops working. It needs a
// project admin. PostHog requires no scope for this action, which means
// personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/delete_secret_token_backup/ (scope none; personal API keys rejected)
func (s *ProjectsService) DeleteSecretTokenBackup(ctx context.Context, org OrganizationID, id ProjectID) (*Project, error) {
	return s.action(ctx, http.MethodPatch, org, id, "delete_secret_token_backup")
}

// IsGeneratingDemoData reports whether PostHog is still generating a demo
// project's data; PostHog answers {"is_generating_demo_data": bool}.
// PostHog requires no scope for
// this action, which means personal API keys are rejected: with one, the
// call returns ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/organizations/{organization_id}/projects/{id}/is_generating_demo_data/ (scope none; personal API keys rejected)
func (s *ProjectsService) IsGeneratingDemoData(ctx context.Context, org OrganizationID, id ProjectID) (*ProjectDemoDataStatus, error) {
	return get[ProjectDemoDataStatus](ctx, s.client, at("organizations", org, "projects", id, "is_generating_demo_data"), nil)
}

// ResetToken replaces the project's public API token (Project.APIToken)
// with a new one; SDKs using the old token stop being accepted. It needs a
// project admin. PostHog requires no scope for this action, which means
// personal API keys are rejected: with one, the call returns
// ErrPersonalAPIKeyNotSupported.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/reset_token/ (scope none; personal API keys rejected)
func (s *ProjectsService) ResetToken(ctx context.Context, org OrganizationID, id ProjectID) (*Project, error) {
	return s.action(ctx, http.MethodPatch, org, id, "reset_token")
}

// RotateSecretToken generates a new secret token; the current one becomes
// the backup (Project.SecretAPITokenBackup) and keeps working until
// DeleteSecretTokenBackup. It needs a project admin. PostHog requires no
// scope for this action, which means personal API keys are rejected: with
// one, the call returns ErrPersonalAPIKeyNotSupported.
//
// API: PATCH /api/organizations/{organization_id}/projects/{id}/rotate_secret_token/ (scope none; personal API keys rejected)
func (s *ProjectsService) RotateSecretToken(ctx context.Context, org OrganizationID, id ProjectID) (*Project, error) {
	return s.action(ctx, http.MethodPatch, org, id, "rotate_secret_token")
}

// GenerateConversationsPublicToken generates a new public token for the
// conversations (support) widget, stored in
// Project.ConversationsSettings["widget_public_token"]. It needs a project
// admin, and exists only on newer servers.
// PostHog requires no scope for this action, which means personal API keys
// are rejected: with one, the call returns ErrPersonalAPIKeyNotSupported.
//
// API: POST /api/organizations/{organization_id}/projects/{id}/generate_conversations_public_token/ (scope none; personal API keys rejected)
func (s *ProjectsService) GenerateConversationsPublicToken(ctx context.Context, org OrganizationID, id ProjectID) (*Project, error) {
	return s.action(ctx, http.MethodPost, org, id, "generate_conversations_public_token")
}

// action runs a project action that takes no body and answers the project.
// PostHog reads no body for these actions, so none is sent.
func (s *ProjectsService) action(ctx context.Context, method string, org OrganizationID, id ProjectID, name string) (*Project, error) {
	return send[Project](ctx, s.client, method, at("organizations", org, "projects", id, name), nil)
}
