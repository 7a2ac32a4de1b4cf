package posthogtest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zone names are checked with time.LoadLocation on any machine

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/internal/pyjson"
)

// projectFeatures shows SetProjectLimit as PostHog's plan does: the
// organizations_projects feature with its limit (null: no limit), absent
// on a plan of one project (the default).
func projectFeatures(s *Server, o *org) []map[string]any {
	limit, ok := s.areas.projects.limits[o.id]
	switch {
	case !ok || limit == DefaultProjectLimit:
		return nil
	case limit <= 0:
		return []map[string]any{productFeature("organizations_projects", "Projects", nil)}
	}
	return []map[string]any{productFeature("organizations_projects", "Projects", limit)}
}

func registerProjects(s *Server) {
	s.orgFeatureSources = append(s.orgFeatureSources, projectFeatures)
	const base = "/api/organizations/{organization_id}/projects/"
	// The Nov-2025 schema lists project:read for PATCH; the newest schema
	// and the server require project:write from personal API keys.
	s.routeViewSet(base, viewSet{scopeObject: "project",
		list: handleProjectList, create: handleProjectCreate, retrieve: handleProjectGet,
		partialUpdate: handleProjectUpdate, update: handleProjectUpdate, destroy: handleProjectDelete})
	s.route("GET "+base+"{id}/activity/{$}", noScope, handleProjectActivity)
	s.route("PATCH "+base+"{id}/add_product_intent/{$}", "project:read", handleProjectIntent(false))
	s.route("PATCH "+base+"{id}/complete_product_onboarding/{$}", "project:read", handleProjectIntent(true))
	s.route("POST "+base+"{id}/change_organization/{$}", noScope, handleProjectChangeOrg)
	s.route("PATCH "+base+"{id}/delete_secret_token_backup/{$}", noScope, handleProjectTokenAction(deleteSecretBackup))
	s.route("GET "+base+"{id}/is_generating_demo_data/{$}", noScope, handleProjectDemoData)
	s.route("PATCH "+base+"{id}/reset_token/{$}", noScope, handleProjectTokenAction(resetAPIToken))
	s.route("PATCH "+base+"{id}/rotate_secret_token/{$}", noScope, handleProjectTokenAction(rotateSecretToken))
	s.route("POST "+base+"{id}/generate_conversations_public_token/{$}", noScope, handleProjectTokenAction(generateConversationsToken))
}

// ----- state -----------------------------------------------------------------

// projectsState is the projects area of one server. Projects name their
// organization by ID, not by pointer.
type projectsState struct {
	lastID   int64
	projects []*project
	// limits holds each organization's plan limit on non-demo projects
	// (SetProjectLimit); an organization not in it has the default, 1.
	limits map[uuid.UUID]int
}

// DefaultProjectLimit is the number of non-demo projects an organization's
// plan allows unless SetProjectLimit says otherwise: 1, PostHog's rule for
// an organization without the organizations_projects feature (a free plan).
const DefaultProjectLimit = 1

// maxProjectsPerOrg is PostHog's hard limit for plans without a limit
// (posthog/api/project.py MAX_ALLOWED_PROJECTS_PER_ORG).
const maxProjectsPerOrg = 2000

// SetProjectLimit sets how many non-demo projects the organization's plan
// allows (limit <= 0: no limit, PostHog's organizations_projects feature
// without a limit). The default is DefaultProjectLimit. As on PostHog, the
// limit refuses creating a project and also replacing one with PUT once
// the organization has that many (PATCH is not affected); AddProject
// ignores it.
func (s *Server) SetProjectLimit(orgID posthogapi.OrganizationID, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.projects
	if st.limits == nil {
		st.limits = map[uuid.UUID]int{}
	}
	st.limits[uuid.UUID(orgID)] = limit
}

// planAllowsProject mirrors PremiumMultiProjectPermission.has_permission
// (posthog/api/project.py), which runs for the "create" and "update" (PUT)
// actions only: a second demo project is refused, and so is any create or
// PUT once the organization has as many non-demo projects as its plan
// allows. It answers the 403 itself.
func (rc *reqCtx) planAllowsProject(o *org, create bool, f map[string]json.RawMessage) bool {
	st := &rc.s.areas.projects
	demo, count := false, 0
	for _, p := range st.inOrg(o.id) {
		if p.public().IsDemo {
			demo = true
		} else {
			count++
		}
	}
	const msg = "You have reached the maximum limit of allowed projects for your current plan. Upgrade your plan to be able to create and manage more projects."
	if string(bytes.TrimSpace(f["is_demo"])) == "true" && demo {
		rc.forbidden(msg)
		return false
	}
	limit, ok := st.limits[o.id]
	if !ok {
		limit = DefaultProjectLimit
	}
	if limit <= 0 {
		if create && count >= maxProjectsPerOrg {
			rc.forbidden(fmt.Sprintf("You have reached the maximum limit of %d projects per organization. Contact support if you'd like access to more projects.", maxProjectsPerOrg))
			return false
		}
		return true
	}
	if count >= limit {
		rc.forbidden(msg)
		return false
	}
	return true
}

// projectBody reads the body of a create (prev nil) or an update of prev
// in o by the member m: the name when the body has one (else name), the
// settings, then the team attributes. It answers the error itself.
// PostHog: posthog/api/project.py ProjectBackwardCompatSerializer (the
// fields, then validate_team_attrs).
func (rc *reqCtx) projectBody(f map[string]json.RawMessage, o *org, m *membership, prev *project, name string) (string, map[string]json.RawMessage, bool) {
	if _, present := f["name"]; present {
		v, ok := rc.projectName(f, o, prev)
		if !ok {
			return "", nil, false
		}
		name = v
	}
	settings, ok := rc.projectSettings(f)
	if !ok || !rc.validateTeamAttrs(f, m, prev) {
		return "", nil, false
	}
	return name, settings, true
}

// projectName reads and checks the name field as
// ProjectBackwardCompatSerializer does (posthog/api/project.py): stripped,
// 1 to 200 characters, and unique in the organization ignoring case and
// surrounding space (409 code "conflict"; projects pending deletion do not
// count, and this server deletes at once). except is the project being
// renamed (nil on create). It answers the error itself.
func (rc *reqCtx) projectName(f map[string]json.RawMessage, o *org, except *project) (string, bool) {
	v, ok := rc.stringField(f, "name", true, 0)
	if !ok {
		return "", false
	}
	name := strings.TrimSpace(v)
	if n := len([]rune(name)); n > 200 {
		rc.invalid("max_length", "Ensure this field has no more than 200 characters.", "name")
		return "", false
	}
	// An unchanged name is not checked again (projects from before the
	// rule may share a name).
	if except != nil && name == except.name {
		return name, true
	}
	if rc.s.projectNameTaken(o, name, except) {
		rc.error(http.StatusConflict, "invalid_request", "conflict",
			fmt.Sprintf("There is already a project called %q in this organization. Choose a different name.", name), "")
		return "", false
	}
	return name, true
}

func (s *Server) projectNameTaken(o *org, name string, except *project) bool {
	for _, p := range s.areas.projects.inOrg(o.id) {
		if p != except && strings.EqualFold(strings.TrimSpace(p.name), name) {
			return true
		}
	}
	return false
}

// defaultProjectName is a name no project of the organization has yet,
// for a create without one (PostHog generates a unique default; the exact
// scheme is this server's own).
func (s *Server) defaultProjectName(o *org) string {
	name := "Default project"
	for i := 2; s.projectNameTaken(o, name, nil); i++ {
		name = fmt.Sprintf("Default project %d", i)
	}
	return name
}

type project struct {
	id        int64
	uuid      uuid.UUID
	orgID     uuid.UUID
	name      string
	createdAt time.Time
	updatedAt time.Time
	apiToken  string
	// secret and secretBackup are nil until generated.
	secret, secretBackup *string
	liveEventsToken      string
	ingestedEvent        bool
	generatingDemoData   bool
	// settings holds every writable setting as compact JSON.
	settings map[string]json.RawMessage
	intents  []*productIntent
	activity []projectActivity
}

type productIntent struct {
	productType           string
	createdAt, updatedAt  time.Time
	onboardingCompletedAt *time.Time
}

type projectActivity struct {
	id        uuid.UUID
	user      any // UserBasic as it was then
	activity  string
	changes   []map[string]any
	name      string
	createdAt time.Time
}

func (st *projectsState) inOrg(orgID uuid.UUID) []*project {
	var out []*project
	for _, p := range st.projects {
		if p.orgID == orgID {
			out = append(out, p)
		}
	}
	return out
}

func (st *projectsState) byID(id int64) *project {
	for _, p := range st.projects {
		if p.id == id {
			return p
		}
	}
	return nil
}

// orgTeams lists an organization's environments (one per project, with
// the project's ID) as TeamBasic objects.
func (s *Server) orgTeams(o *org) []map[string]any {
	var out []map[string]any
	for _, p := range s.areas.projects.inOrg(o.id) {
		// TeamBasic is ProjectBackwardCompatBasic plus project_id; the
		// project's main environment shares the project's ID.
		t := projectBasicJSON(p)
		t["project_id"] = p.id
		out = append(out, t)
	}
	return out
}

// orgProjects lists an organization's projects as ProjectBasic objects.
func (s *Server) orgProjects(o *org) []map[string]any {
	var out []map[string]any
	for _, p := range s.areas.projects.inOrg(o.id) {
		out = append(out, map[string]any{"id": p.id, "organization_id": p.orgID, "name": p.name})
	}
	return out
}

// ----- seeding ---------------------------------------------------------------

// Project is a project of the server, as seeded or created through the API.
type Project struct {
	ID             posthogapi.ProjectID
	UUID           uuid.UUID
	OrganizationID posthogapi.OrganizationID
	Name           string
	// APIToken is the public project token (phc_...).
	APIToken string
	// SecretAPIToken and SecretAPITokenBackup are "" until generated.
	SecretAPIToken       string
	SecretAPITokenBackup string
	IsDemo               bool
}

func (p *project) public() Project {
	out := Project{ID: posthogapi.ProjectID(p.id), UUID: p.uuid, OrganizationID: posthogapi.OrganizationID(p.orgID), Name: p.name, APIToken: p.apiToken}
	if p.secret != nil {
		out.SecretAPIToken = *p.secret
	}
	if p.secretBackup != nil {
		out.SecretAPITokenBackup = *p.secretBackup
	}
	out.IsDemo = string(p.settings["is_demo"]) == "true"
	return out
}

// AddProject adds a project to the organization (it panics if there is no
// such organization). Project IDs count from 1 on each server.
func (s *Server) AddProject(orgID posthogapi.OrganizationID, name string) Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	return s.addProject(o, name, nil).public()
}

// Projects returns the organization's projects, oldest first.
func (s *Server) Projects(orgID posthogapi.OrganizationID) []Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Project
	for _, p := range s.areas.projects.inOrg(uuid.UUID(orgID)) {
		out = append(out, p.public())
	}
	return out
}

// mustProject returns the project id of the organization orgID for a
// seeding method, which panics (as its doc says) when the organization has
// no such project.
func (s *Server) mustProject(orgID posthogapi.OrganizationID, id posthogapi.ProjectID) *project {
	p := s.areas.projects.byID(int64(id))
	if p == nil || posthogapi.OrganizationID(p.orgID) != orgID {
		panic(fmt.Sprintf("posthogtest: no project %d in organization %s", id, orgID))
	}
	return p
}

// SetProjectGeneratingDemoData sets what the is_generating_demo_data action
// reports for the project. It panics if the project is not in the
// organization.
func (s *Server) SetProjectGeneratingDemoData(orgID posthogapi.OrganizationID, id posthogapi.ProjectID, generating bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.mustProject(orgID, id)
	p.generatingDemoData = generating
}

// addProject creates a project with PostHog's defaults, then applies
// settings (already validated). Callers hold s.mu.
func (s *Server) addProject(o *org, name string, settings map[string]json.RawMessage) *project {
	st := &s.areas.projects
	now := s.now()
	st.lastID++
	p := &project{
		id: st.lastID, uuid: s.newID(), orgID: o.id, name: name, createdAt: now, updatedAt: now,
		apiToken: s.newSecret("phc_"), liveEventsToken: s.newSecret(""),
		settings: map[string]json.RawMessage{},
	}
	for _, spec := range projectSettingSpecs {
		p.settings[spec.name] = json.RawMessage(spec.def)
	}
	for k, v := range settings {
		p.settings[k] = v
	}
	st.projects = append(st.projects, p)
	return p
}

// ----- settings --------------------------------------------------------------

type settingKind int

const (
	settingBool settingKind = iota
	settingString
	settingInt
	settingStringList
	settingObject
	settingObjectList
	settingTimezone
	settingWeekStartDay
	settingBusinessModel
	settingDecimal
	// settingJSON takes any JSON here (a JSONField); validateTeamAttrs
	// checks it.
	settingJSON
	// settingDashboard is a dashboard's primary key; this server has no
	// dashboards, so only null is valid.
	settingDashboard
)

// settingSpec describes one writable project setting: its kind, whether it
// takes null, its bounds and PostHog's default for a new project.
type settingSpec struct {
	name     string
	kind     settingKind
	nullable bool
	maxLen   int // strings and list items
	min, max int // integers
	def      string
}

// projectSettingSpecs are the writable fields of ProjectBackwardCompat (both
// schemas). PostHog stores many of them in JSON fields; the shapes checked
// here (objects, lists of objects, lists of strings) are the ones PostHog's
// own validators and UI keep them in.
var projectSettingSpecs = []settingSpec{
	{name: "product_description", kind: settingString, nullable: true, maxLen: 1000, def: "null"},
	{name: "app_urls", kind: settingStringList, maxLen: 200, def: "[]"},
	{name: "slack_incoming_webhook", kind: settingString, nullable: true, maxLen: 500, def: "null"},
	{name: "anonymize_ips", kind: settingBool, def: "false"},
	{name: "completed_snippet_onboarding", kind: settingBool, def: "false"},
	{name: "test_account_filters", kind: settingObjectList, def: "[]"},
	{name: "test_account_filters_default_checked", kind: settingBool, nullable: true, def: "null"},
	{name: "path_cleaning_filters", kind: settingObjectList, nullable: true, def: "[]"},
	{name: "is_demo", kind: settingBool, def: "false"},
	{name: "timezone", kind: settingTimezone, def: `"UTC"`},
	{name: "data_attributes", kind: settingStringList, def: `["data-attr"]`},
	{name: "person_display_name_properties", kind: settingStringList, nullable: true, maxLen: 400, def: "null"},
	{name: "correlation_config", kind: settingObject, nullable: true, def: "{}"},
	{name: "autocapture_opt_out", kind: settingBool, nullable: true, def: "null"},
	{name: "autocapture_exceptions_opt_in", kind: settingBool, nullable: true, def: "null"},
	{name: "autocapture_web_vitals_opt_in", kind: settingBool, nullable: true, def: "null"},
	{name: "autocapture_web_vitals_allowed_metrics", kind: settingStringList, nullable: true, def: "null"},
	{name: "autocapture_exceptions_errors_to_ignore", kind: settingJSON, nullable: true, def: "null"},
	{name: "capture_console_log_opt_in", kind: settingBool, nullable: true, def: "true"},
	{name: "capture_performance_opt_in", kind: settingBool, nullable: true, def: "true"},
	{name: "session_recording_opt_in", kind: settingBool, def: "false"},
	{name: "session_recording_sample_rate", kind: settingDecimal, nullable: true, def: "null"},
	{name: "session_recording_minimum_duration_milliseconds", kind: settingInt, nullable: true, min: 0, max: 30000, def: "null"},
	{name: "session_recording_linked_flag", kind: settingObject, nullable: true, def: "null"},
	{name: "session_recording_network_payload_capture_config", kind: settingObject, nullable: true, def: "null"},
	{name: "session_recording_masking_config", kind: settingObject, nullable: true, def: "null"},
	{name: "session_replay_config", kind: settingObject, nullable: true, def: "null"},
	{name: "survey_config", kind: settingObject, nullable: true, def: "null"},
	{name: "access_control", kind: settingBool, def: "false"},
	{name: "week_start_day", kind: settingWeekStartDay, nullable: true, def: "null"},
	{name: "primary_dashboard", kind: settingDashboard, nullable: true, def: "null"},
	{name: "live_events_columns", kind: settingStringList, nullable: true, def: "null"},
	{name: "recording_domains", kind: settingStringList, nullable: true, maxLen: 200, def: "null"},
	{name: "inject_web_apps", kind: settingBool, nullable: true, def: "null"},
	{name: "extra_settings", kind: settingObject, nullable: true, def: "null"},
	{name: "modifiers", kind: settingObject, nullable: true, def: "null"},
	{name: "has_completed_onboarding_for", kind: settingObject, nullable: true, def: "null"},
	{name: "surveys_opt_in", kind: settingBool, nullable: true, def: "null"},
	{name: "heatmaps_opt_in", kind: settingBool, nullable: true, def: "null"},
	{name: "flags_persistence_default", kind: settingBool, nullable: true, def: "false"},
	{name: "receive_org_level_activity_logs", kind: settingBool, nullable: true, def: "false"},
	{name: "business_model", kind: settingBusinessModel, nullable: true, def: "null"},
	{name: "conversations_enabled", kind: settingBool, nullable: true, def: "false"},
	{name: "conversations_settings", kind: settingObject, nullable: true, def: "null"},
	{name: "logs_settings", kind: settingObject, nullable: true, def: "null"},
	{name: "proactive_tasks_enabled", kind: settingBool, nullable: true, def: "false"},
}

// setupTaskIDs are the values of AvailableSetupTaskIdsEnum; PostHog lists
// all of them in available_setup_task_ids.
var setupTaskIDs = []string{
	"ingest_first_event", "set_up_reverse_proxy", "create_first_insight", "create_first_dashboard",
	"track_custom_events", "define_actions", "set_up_cohorts", "explore_trends_insight",
	"create_funnel", "explore_retention_insight", "explore_paths_insight",
	"explore_stickiness_insight", "explore_lifecycle_insight", "add_authorized_domain",
	"set_up_web_vitals", "review_web_analytics_dashboard", "filter_web_analytics",
	"set_up_web_analytics_conversion_goals", "visit_web_vitals_dashboard", "setup_session_recordings",
	"watch_session_recording", "configure_recording_settings", "create_recording_playlist",
	"enable_console_logs", "create_feature_flag", "implement_flag_in_code",
	"update_feature_flag_release_conditions", "create_multivariate_flag", "set_up_flag_payloads",
	"set_up_flag_evaluation_runtimes", "create_experiment", "implement_experiment_variants",
	"launch_experiment", "review_experiment_results", "create_survey", "launch_survey",
	"collect_survey_responses", "connect_source", "run_first_query", "join_external_data",
	"create_saved_view", "enable_error_tracking", "upload_source_maps", "view_first_error",
	"resolve_first_error", "ingest_first_llm_event", "view_first_trace", "track_costs",
	"set_up_llm_evaluation", "run_ai_playground", "enable_revenue_analytics_viewset",
	"connect_revenue_source", "set_up_revenue_goal", "enable_log_capture", "view_first_logs",
	"create_first_workflow", "set_up_first_workflow_channel", "configure_workflow_trigger",
	"add_workflow_action", "launch_workflow", "create_first_endpoint", "configure_endpoint",
	"test_endpoint", "create_early_access_feature", "update_feature_stage",
}

// projectSettings validates the writable settings present in f as DRF
// does, answering PostHog's 400 on the first bad one. It returns the
// settings to store as compact JSON.
func (rc *reqCtx) projectSettings(f map[string]json.RawMessage) (map[string]json.RawMessage, bool) {
	out := map[string]json.RawMessage{}
	for _, spec := range projectSettingSpecs {
		raw, present := f[spec.name]
		if !present {
			continue
		}
		v, ok := rc.projectSetting(spec, raw)
		if !ok {
			return nil, false
		}
		if spec.name == "app_urls" || spec.name == "recording_domains" {
			v = dropEmptyItems(v)
		}
		out[spec.name] = v
	}
	return out, true
}

// PostHog: posthog/api/team.py TeamSerializer field rules, which
// ProjectBackwardCompatSerializer (posthog/api/project.py) applies to the
// settings.
func (rc *reqCtx) projectSetting(spec settingSpec, raw json.RawMessage) (json.RawMessage, bool) {
	if isNull(raw) {
		if !spec.nullable {
			rc.invalid("null", "This field may not be null.", spec.name)
			return nil, false
		}
		return json.RawMessage("null"), true
	}
	switch spec.kind {
	case settingBool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			rc.invalid("invalid", "Must be a valid boolean.", spec.name)
			return nil, false
		}
	case settingString:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			rc.invalid("invalid", "Not a valid string.", spec.name)
			return nil, false
		}
		if spec.maxLen > 0 && len([]rune(v)) > spec.maxLen {
			rc.invalid("max_length", fmt.Sprintf("Ensure this field has no more than %d characters.", spec.maxLen), spec.name)
			return nil, false
		}
	case settingInt:
		var n int64
		if json.Unmarshal(raw, &n) != nil {
			rc.invalid("invalid", "A valid integer is required.", spec.name)
			return nil, false
		}
		if n < int64(spec.min) {
			rc.invalid("min_value", fmt.Sprintf("Ensure this value is greater than or equal to %d.", spec.min), spec.name)
			return nil, false
		}
		if n > int64(spec.max) {
			rc.invalid("max_value", fmt.Sprintf("Ensure this value is less than or equal to %d.", spec.max), spec.name)
			return nil, false
		}
	case settingStringList:
		var items []*string
		if json.Unmarshal(raw, &items) != nil {
			rc.invalid("not_a_list", fmt.Sprintf("Expected a list of items but got type %q.", drfTypeName(raw)), spec.name)
			return nil, false
		}
		for i, it := range items {
			if it != nil && spec.maxLen > 0 && len([]rune(*it)) > spec.maxLen {
				rc.invalid("max_length", fmt.Sprintf("Ensure this field has no more than %d characters.", spec.maxLen), fmt.Sprintf("%s__%d", spec.name, i))
				return nil, false
			}
		}
	case settingObject:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			rc.invalid("not_a_dict", fmt.Sprintf("Expected a dictionary of items but got type %q.", drfTypeName(raw)), spec.name)
			return nil, false
		}
	case settingObjectList:
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			rc.invalid("not_a_list", fmt.Sprintf("Expected a list of items but got type %q.", drfTypeName(raw)), spec.name)
			return nil, false
		}
	case settingTimezone:
		var v string
		if json.Unmarshal(raw, &v) != nil || !validTimezone(v) {
			rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", drfText(raw)), spec.name)
			return nil, false
		}
	case settingWeekStartDay:
		var n int
		if json.Unmarshal(raw, &n) != nil || (n != 0 && n != 1) {
			rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", drfText(raw)), spec.name)
			return nil, false
		}
	case settingBusinessModel:
		var v string
		if json.Unmarshal(raw, &v) != nil || (v != "" && v != "b2b" && v != "b2c" && v != "other") {
			rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", drfText(raw)), spec.name)
			return nil, false
		}
	case settingDecimal:
		return rc.sampleRate(spec.name, raw)
	case settingDashboard:
		// PostHog: DRF rest_framework/relations.py PrimaryKeyRelatedField
		// (primary_dashboard is a foreign key to a dashboard; none exists
		// here, so every key is unknown).
		switch t := drfTypeName(raw); t {
		case "int", "float":
			rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk %q - object does not exist.", drfText(raw)), spec.name)
		case "str":
			if _, err := strconv.ParseInt(strings.TrimSpace(drfText(raw)), 10, 64); err == nil {
				rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk %q - object does not exist.", drfText(raw)), spec.name)
			} else {
				rc.invalid("incorrect_type", "Incorrect type. Expected pk value, received str.", spec.name)
			}
		default:
			rc.invalid("incorrect_type", "Incorrect type. Expected pk value, received "+t+".", spec.name)
		}
		return nil, false
	}
	var buf bytes.Buffer
	_ = json.Compact(&buf, raw)
	return buf.Bytes(), true
}

// dropEmptyItems removes null and "" items from a list of strings, as
// PostHog's validate_app_urls and validate_recording_domains do (null stays
// null).
// PostHog: posthog/api/project.py ProjectBackwardCompatSerializer
// .validate_app_urls, .validate_recording_domains.
func dropEmptyItems(v json.RawMessage) json.RawMessage {
	var items []*string
	if isNull(v) || json.Unmarshal(v, &items) != nil {
		return v
	}
	kept := []string{}
	for _, it := range items {
		if it != nil && *it != "" {
			kept = append(kept, *it)
		}
	}
	b, _ := json.Marshal(kept)
	return b
}

// sampleRate validates a DecimalField(max_digits=3, decimal_places=2)
// between 0 and 1, which DRF answers as a string such as "0.50".
// PostHog: posthog/api/team.py session_recording_sample_rate (DecimalField,
// 0.00 to 1.00).
func (rc *reqCtx) sampleRate(name string, raw json.RawMessage) (json.RawMessage, bool) {
	text := strings.TrimSpace(drfText(raw))
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var f float64
		if json.Unmarshal(raw, &f) != nil {
			rc.invalid("invalid", "A valid number is required.", name)
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		rc.invalid("invalid", "A valid number is required.", name)
		return nil, false
	}
	if _, frac, ok := strings.Cut(text, "."); ok && len(strings.TrimRight(frac, "0")) > 2 {
		rc.invalid("max_decimal_places", "Ensure that there are no more than 2 decimal places.", name)
		return nil, false
	}
	if f < 0 {
		rc.invalid("min_value", "Ensure this value is greater than or equal to 0.", name)
		return nil, false
	}
	if f > 1 {
		rc.invalid("max_value", "Ensure this value is less than or equal to 1.", name)
		return nil, false
	}
	b, _ := json.Marshal(strconv.FormatFloat(f, 'f', 2, 64))
	return b, true
}

// validTimezone reports whether tz is an IANA zone name (PostHog accepts
// pytz's names, which are the IANA names).
func validTimezone(tz string) bool {
	if tz == "" || tz == "Local" || strings.TrimSpace(tz) != tz {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// drfText renders a JSON scalar as Python would print it in an error.
func drfText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// drfTypeName names the Python type a JSON value decodes to, for DRF's
// "got type" messages.
func drfTypeName(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) == 0:
		return "NoneType"
	case t[0] == '"':
		return "str"
	case t[0] == '{':
		return "dict"
	case t[0] == '[':
		return "list"
	case bytes.Equal(t, []byte("true")) || bytes.Equal(t, []byte("false")):
		return "bool"
	case bytes.Equal(t, []byte("null")):
		return "NoneType"
	case bytes.ContainsAny(t, ".eE"):
		return "float"
	}
	return "int"
}

// ----- JSON ------------------------------------------------------------------

// projectBasicJSON renders ProjectBackwardCompatBasic, which has no
// project_id (PostHog's ProjectBackwardCompatBasicSerializer;
// reference/posthog-api.md §2.5). Values are plain Go values, for the
// other areas that read these lists.
func projectBasicJSON(p *project) map[string]any {
	setting := func(name string) any {
		var v any
		_ = json.Unmarshal(p.settings[name], &v)
		return v
	}
	return map[string]any{
		"id": p.id, "uuid": p.uuid, "organization": p.orgID,
		"api_token": p.apiToken, "name": p.name,
		"completed_snippet_onboarding": setting("completed_snippet_onboarding"),
		"has_completed_onboarding_for": setting("has_completed_onboarding_for"),
		"ingested_event":               p.ingestedEvent,
		"is_demo":                      setting("is_demo"),
		"timezone":                     setting("timezone"),
		"access_control":               setting("access_control"),
	}
}

// projectJSON renders ProjectBackwardCompat for viewer.
func (s *Server) projectJSON(p *project, viewer *user) map[string]any {
	var level any
	if o := s.orgByID(p.orgID); o != nil {
		if m := o.membership(viewer); m != nil {
			level = m.level
		}
	}
	intents := []map[string]any{}
	for _, in := range p.intents {
		intents = append(intents, map[string]any{
			"product_type": in.productType, "created_at": in.createdAt,
			"onboarding_completed_at": in.onboardingCompletedAt, "updated_at": in.updatedAt,
		})
	}
	out := map[string]any{
		"id": p.id, "organization": p.orgID, "project_id": p.id, "name": p.name,
		"created_at": p.createdAt, "updated_at": p.updatedAt, "uuid": p.uuid,
		"effective_membership_level": level,
		"has_group_types":            false,
		"group_types":                []any{},
		"live_events_token":          p.liveEventsToken,
		"api_token":                  p.apiToken,
		"ingested_event":             p.ingestedEvent,
		// The schemas type these three as strings; PostHog sends a
		// boolean, an object and a list.
		"person_on_events_querying_enabled": true,
		"default_modifiers":                 map[string]any{},
		"product_intents":                   intents,
		"secret_api_token":                  p.secret,
		"secret_api_token_backup":           p.secretBackup,
		"available_setup_task_ids":          setupTaskIDs,
	}
	for k, v := range p.settings {
		out[k] = v
	}
	return out
}

// ----- handlers --------------------------------------------------------------

// projectFromPath resolves the {organization_id} and {id} path values to a
// project of that organization, answering as PostHog does: 404 for an
// unknown project, 400 for an ID that is not a number.
// PostHog: posthog/api/project.py ProjectViewSet (projects of the
// organization in the path).
func (rc *reqCtx) projectFromPath() (*org, *membership, *project) {
	o, m := rc.orgFromPath()
	if o == nil {
		return nil, nil, nil
	}
	raw := rc.r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if raw == "@current" {
		// The user's current project; posthogtest users have none.
		rc.notFound()
		return nil, nil, nil
	}
	if err != nil {
		rc.invalid("invalid", fmt.Sprintf("Field 'id' expected a number but got '%s'.", raw), "")
		return nil, nil, nil
	}
	p := rc.s.areas.projects.byID(id)
	if p == nil || p.orgID != o.id {
		rc.notFound()
		return nil, nil, nil
	}
	return o, m, p
}

// requireProjectAdmin answers 403 unless m is an admin (PostHog's
// TeamMemberStrictManagementPermission, and DELETE in the light one).
// PostHog: posthog/api/project.py ProjectViewSet (project admin actions).
func (rc *reqCtx) requireProjectAdmin(m *membership) bool {
	if m.level >= LevelAdmin {
		return true
	}
	rc.forbidden("You don't have sufficient permissions in the project.")
	return false
}

func (rc *reqCtx) logProjectActivity(p *project, activity string, changes []map[string]any) {
	p.activity = append(p.activity, projectActivity{
		id: rc.s.newID(), user: userBasicJSON(rc.user), activity: activity,
		changes: changes, name: p.name, createdAt: rc.s.now(),
	})
}

func teamChange(field string, before, after any) map[string]any {
	return map[string]any{"type": "Team", "action": "changed", "field": field, "before": before, "after": after}
}

func handleProjectList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	search := strings.ToLower(strings.TrimSpace(rc.r.URL.Query().Get("search")))
	var out []map[string]any
	for _, p := range rc.s.areas.projects.inOrg(o.id) {
		if search != "" && !strings.Contains(strings.ToLower(p.name), search) {
			continue
		}
		out = append(out, projectBasicJSON(p))
	}
	page(rc, out)
}

func handleProjectGet(rc *reqCtx) {
	_, _, p := rc.projectFromPath()
	if p == nil {
		return
	}
	rc.json(http.StatusOK, rc.s.projectJSON(p, rc.user))
}

// PostHog: posthog/api/project.py ProjectViewSet.dangerously_get_permissions
// runs PremiumMultiProjectPermission (the plan limit) before
// UserCanCreateProjectPermission (posthog/permissions.py), or before
// OrganizationMemberPermissions for a demo project; the body is validated
// after both (fields, then validate_team_attrs).
func handleProjectCreate(rc *reqCtx) {
	o, m := rc.orgFromPath()
	if o == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	if !rc.planAllowsProject(o, true, f) {
		return
	}
	// Demo projects only need membership; others need an admin, or a
	// member when the organization's members_can_create_projects is on.
	if string(bytes.TrimSpace(f["is_demo"])) != "true" && !rc.userCanCreateProject(o, m) {
		return
	}
	name, settings, ok := rc.projectBody(f, o, m, nil, rc.s.defaultProjectName(o))
	if !ok {
		return
	}
	p := rc.s.addProject(o, name, settings)
	rc.logProjectActivity(p, "created", nil)
	rc.json(http.StatusCreated, rc.s.projectJSON(p, rc.user))
}

// handleProjectUpdate serves PATCH and PUT alike: no project field is
// required, and fields left out keep their values either way.
func handleProjectUpdate(rc *reqCtx) {
	o, m, p := rc.projectFromPath()
	if p == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	if rc.r.Method == http.MethodPut && !rc.planAllowsProject(o, false, f) {
		return
	}
	name, settings, ok := rc.projectBody(f, o, m, p, p.name)
	if !ok {
		return
	}
	var changes []map[string]any
	if name != p.name {
		changes = append(changes, teamChange("name", p.name, name))
		p.name = name
	}
	for _, spec := range projectSettingSpecs {
		v, present := settings[spec.name]
		if !present || bytes.Equal(v, p.settings[spec.name]) {
			continue
		}
		changes = append(changes, teamChange(spec.name, p.settings[spec.name], v))
		p.settings[spec.name] = v
	}
	p.updatedAt = rc.s.now()
	if len(changes) > 0 {
		rc.logProjectActivity(p, "updated", changes)
	}
	rc.json(http.StatusOK, rc.s.projectJSON(p, rc.user))
}

func handleProjectDelete(rc *reqCtx) {
	_, m, p := rc.projectFromPath()
	if p == nil || !rc.requireProjectAdmin(m) {
		return
	}
	st := &rc.s.areas.projects
	removeItem(&st.projects, p)
	rc.noContent()
}

// handleProjectActivity answers PostHog's activity page: newest first,
// paged by page number, with absolute next/previous links.
// PostHog: posthog/api/project.py ProjectViewSet.activity.
func handleProjectActivity(rc *reqCtx) {
	_, _, p := rc.projectFromPath()
	if p == nil {
		return
	}
	q := rc.r.URL.Query()
	limit, pageNo := 10, 1
	for _, param := range []struct {
		name string
		dst  *int
	}{{"limit", &limit}, {"page", &pageNo}} {
		if v := q.Get(param.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				rc.invalid("invalid", "A valid integer is required.", param.name)
				return
			}
			if n < 1 {
				rc.invalid("min_value", "Ensure this value is greater than or equal to 1.", param.name)
				return
			}
			*param.dst = n
		}
	}
	total := len(p.activity)
	lo := min((pageNo-1)*limit, total)
	hi := min(lo+limit, total)
	results := []map[string]any{}
	for i := total - 1 - lo; i >= total-hi; i-- {
		a := p.activity[i]
		results = append(results, map[string]any{
			"id": a.id, "user": a.user, "unread": false, "organization_id": p.orgID,
			"was_impersonated": false, "is_system": false, "activity": a.activity,
			"item_id": strconv.FormatInt(p.id, 10), "scope": "Team",
			"detail": map[string]any{
				"name": a.name, "short_id": nil, "type": nil, "changes": a.changes,
				"merge": nil, "trigger": nil, "context": nil,
			},
			"created_at": a.createdAt,
		})
	}
	body := map[string]any{"results": results, "next": nil, "previous": nil, "total_count": total}
	if hi < total {
		body["next"] = rc.activityPageURL(limit, pageNo+1)
	}
	if pageNo > 1 {
		body["previous"] = rc.activityPageURL(limit, pageNo-1)
	}
	rc.json(http.StatusOK, body)
}

func (rc *reqCtx) activityPageURL(limit, pageNo int) string {
	q := rc.r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	q.Set("page", strconv.Itoa(pageNo))
	return "http://" + rc.r.Host + rc.r.URL.Path + "?" + q.Encode()
}

// handleProjectIntent serves add_product_intent (201) and
// complete_product_onboarding (200); both answer the project's main
// environment, which here is the project itself.
// PostHog: posthog/api/project.py ProjectViewSet.add_product_intent and
// complete_product_onboarding.
func handleProjectIntent(onboarding bool) handler {
	return func(rc *reqCtx) {
		_, _, p := rc.projectFromPath()
		if p == nil {
			return
		}
		f := rc.fields()
		if f == nil {
			return
		}
		var product string
		if raw, present := f["product_type"]; present && !isNull(raw) {
			if json.Unmarshal(raw, &product) != nil {
				product = ""
			}
		}
		switch {
		case onboarding && product == "":
			// This view checks the field itself, with its own error shape.
			rc.json(http.StatusBadRequest, map[string]string{"error": "product_type is required"})
			return
		case product == "":
			if _, present := f["product_type"]; !present {
				rc.required("product_type")
			} else {
				rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", drfText(f["product_type"])), "product_type")
			}
			return
		}
		if raw, present := f["metadata"]; present {
			var md map[string]json.RawMessage
			if isNull(raw) || json.Unmarshal(raw, &md) != nil {
				rc.invalid("not_a_dict", fmt.Sprintf("Expected a dictionary of items but got type %q.", drfTypeName(raw)), "metadata")
				return
			}
		}
		if _, ok := rc.stringField(f, "intent_context", false, 0); !ok {
			return
		}
		now := rc.s.now()
		var in *productIntent
		for _, x := range p.intents {
			if x.productType == product {
				in = x
			}
		}
		if in == nil {
			in = &productIntent{productType: product, createdAt: now}
			p.intents = append(p.intents, in)
		}
		in.updatedAt = now
		status := http.StatusCreated
		if onboarding {
			status = http.StatusOK
			if in.onboardingCompletedAt == nil {
				t := now
				in.onboardingCompletedAt = &t
			}
			done := map[string]any{}
			_ = json.Unmarshal(p.settings["has_completed_onboarding_for"], &done)
			if done == nil {
				done = map[string]any{}
			}
			done[product] = true
			p.settings["has_completed_onboarding_for"], _ = json.Marshal(done)
		}
		rc.json(status, rc.s.projectJSON(p, rc.user))
	}
}

// PostHog: posthog/api/project.py ProjectViewSet.change_organization.
func handleProjectChangeOrg(rc *reqCtx) {
	_, from, p := rc.projectFromPath()
	if p == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	var target *org
	var raw string
	if json.Unmarshal(f["organization_id"], &raw) == nil {
		if id, err := uuid.Parse(raw); err == nil {
			target = rc.s.orgByID(id)
		}
	}
	var to *membership
	if target != nil {
		to = target.membership(rc.user)
	}
	if to == nil {
		rc.invalid("invalid", "You must be a member of the target organization to move a project.", "")
		return
	}
	if from.level < LevelAdmin || to.level < LevelAdmin {
		rc.invalid("invalid", "You must be an admin of both the source and target organizations to move a project.", "")
		return
	}
	// PostHog compares the project's organization (a UUID) with the
	// body's string, which never match: a move to the same organization
	// is a no-op that succeeds.
	if target.id != p.orgID {
		before := p.orgID
		p.orgID = target.id
		p.updatedAt = rc.s.now()
		rc.logProjectActivity(p, "updated", []map[string]any{
			{"type": "Project", "action": "changed", "field": "organization_id", "before": before.String(), "after": target.id.String()},
		})
	}
	rc.json(http.StatusOK, rc.s.projectJSON(p, rc.user))
}

func handleProjectDemoData(rc *reqCtx) {
	_, _, p := rc.projectFromPath()
	if p == nil {
		return
	}
	rc.json(http.StatusOK, map[string]bool{"is_generating_demo_data": p.generatingDemoData})
}

// tokenAction changes a project's tokens and returns the activity change
// to log (nil for none).
type tokenAction func(rc *reqCtx, p *project) map[string]any

func handleProjectTokenAction(act tokenAction) handler {
	return func(rc *reqCtx) {
		_, m, p := rc.projectFromPath()
		if p == nil || !rc.requireProjectAdmin(m) {
			return
		}
		if c := act(rc, p); c != nil {
			p.updatedAt = rc.s.now()
			rc.logProjectActivity(p, "updated", []map[string]any{c})
		}
		rc.json(http.StatusOK, rc.s.projectJSON(p, rc.user))
	}
}

func resetAPIToken(rc *reqCtx, p *project) map[string]any {
	old := p.apiToken
	p.apiToken = rc.s.newSecret("phc_")
	return teamChange("api_token", old, p.apiToken)
}

// rotateSecretToken makes a new secret token and keeps the current one as
// the backup (the first rotation only creates a token).
func rotateSecretToken(rc *reqCtx, p *project) map[string]any {
	action := "changed"
	if p.secret == nil {
		action = "created"
	}
	p.secretBackup = p.secret
	next := rc.s.newSecret("phs_")
	p.secret = &next
	return map[string]any{"type": "Team", "action": action, "field": "secret_api_token", "before": nil, "after": nil}
}

func deleteSecretBackup(rc *reqCtx, p *project) map[string]any {
	if p.secretBackup == nil {
		return nil // nothing to delete
	}
	p.secretBackup = nil
	return map[string]any{"type": "Team", "action": "deleted", "field": "secret_api_token_backup", "before": nil, "after": nil}
}

// generateConversationsToken stores a new widget_public_token (32 random
// bytes, URL-safe base64, as Python's secrets.token_urlsafe(32)) in the
// conversations settings.
func generateConversationsToken(rc *reqCtx, p *project) map[string]any {
	cs := map[string]any{}
	_ = json.Unmarshal(p.settings["conversations_settings"], &cs)
	if cs == nil {
		cs = map[string]any{}
	}
	var token string
	if rc.s.deterministic {
		token = rc.s.newSecret("")
	} else {
		var b [32]byte
		_, _ = rand.Read(b[:])
		token = base64.RawURLEncoding.EncodeToString(b[:])
	}
	cs["widget_public_token"] = token
	p.settings["conversations_settings"], _ = json.Marshal(cs)
	return teamChange("conversations_settings", nil, nil)
}

// ----- who may set what ------------------------------------------------------

// teamConfigAdminFields is PostHog's TEAM_CONFIG_ADMIN_FIELDS_SET: every
// team config field (TEAM_CONFIG_FIELDS) except the member-safe ones
// (TEAM_CONFIG_MEMBER_FIELDS: completed_snippet_onboarding,
// has_completed_onboarding_for, onboarding_tasks, session_recording_opt_in,
// autocapture_exceptions_opt_in, autocapture_web_vitals_opt_in,
// autocapture_web_vitals_allowed_metrics, surveys_opt_in,
// primary_dashboard), plus is_demo, app_urls, access_control and name. It
// names the fields this server does not store too, so that a plain member
// sending one is refused as PostHog refuses them.
// PostHog: posthog/api/team/team_config.py TEAM_CONFIG_ADMIN_FIELDS_SET.
var teamConfigAdminFields = wordSet(`app_urls anonymize_ips test_account_filters
		test_account_filters_default_checked path_cleaning_filters is_demo timezone data_attributes
		person_display_name_properties correlation_config autocapture_opt_out
		autocapture_exceptions_errors_to_ignore capture_console_log_opt_in logs_settings
		capture_performance_opt_in session_recording_sample_rate
		session_recording_minimum_duration_milliseconds session_recording_linked_flag
		session_recording_network_payload_capture_config session_recording_masking_config
		session_recording_url_trigger_config session_recording_url_blocklist_config
		session_recording_event_trigger_config session_recording_trigger_match_type_config
		session_recording_trigger_groups session_recording_retention_period session_replay_config
		survey_config week_start_day live_events_columns recording_domains
		cookieless_server_hash_mode human_friendly_comparison_periods inject_web_apps extra_settings
		modifiers heatmaps_opt_in flags_persistence_default feature_flag_confirmation_enabled
		feature_flag_confirmation_message default_evaluation_contexts_enabled
		require_evaluation_contexts feature_flag_policy_config capture_dead_clicks
		default_data_theme revenue_analytics_config marketing_analytics_config
		customer_analytics_config base_currency web_analytics_pre_aggregated_tables_enabled
		receive_org_level_activity_logs business_model conversations_enabled
		conversations_settings proactive_tasks_enabled workflows_config access_control name`)

// wordSet is the set of the space-separated words of list.
func wordSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
}

// userCanCreateProject answers 403 unless the member may create a non-demo
// project: admins always, plain members when the organization's
// members_can_create_projects is on (PostHog also needs the organization's
// invite-settings feature for that; this server takes it as available).
// PostHog: posthog/permissions.py UserCanCreateProjectPermission.
func (rc *reqCtx) userCanCreateProject(o *org, m *membership) bool {
	if m.level >= LevelAdmin || (o.membersCanCreateProjects != nil && *o.membersCanCreateProjects) {
		return true
	}
	rc.forbidden("You need to be an organization admin or above to create new projects.")
	return false
}

// validateTeamAttrs applies PostHog's checks on a valid project body, in
// its order: on update, a member below admin may not send any admin-only
// setting (present is enough, changed or not); on create, a member below
// admin may not set them either (is_demo and name excepted);
// primary_dashboard cannot be sent on create (even null); and
// autocapture_exceptions_errors_to_ignore must be a list of strings whose
// JSON (as Python's json.dumps writes it) is at most 300 characters.
// instance is nil on create. It answers the error itself.
// PostHog: posthog/api/team/settings_validation.py validate_team_attrs.
func (rc *reqCtx) validateTeamAttrs(f map[string]json.RawMessage, m *membership, instance *project) bool {
	var touched []string
	for name := range f {
		if teamConfigAdminFields[name] && (instance != nil || (name != "is_demo" && name != "name")) {
			touched = append(touched, name)
		}
	}
	if len(touched) > 0 && m.level < LevelAdmin {
		sort.Strings(touched)
		msg := "Only project admins can modify these settings: "
		if instance == nil {
			msg = "Only organization admins can set these settings on project creation: "
		}
		rc.forbidden(msg + strings.Join(touched, ", "))
		return false
	}
	if _, present := f["primary_dashboard"]; present && instance == nil {
		rc.invalid("invalid", "Primary dashboard cannot be set on project creation.", "primary_dashboard")
		return false
	}
	const ignore = "autocapture_exceptions_errors_to_ignore"
	if raw, present := f[ignore]; present {
		var items []json.RawMessage
		if isNull(raw) || json.Unmarshal(raw, &items) != nil {
			rc.invalid("invalid", "Must provide a list for field: "+ignore+".", "")
			return false
		}
		strs := make([]string, len(items))
		for i, it := range items {
			if json.Unmarshal(it, &strs[i]) != nil || isNull(it) {
				rc.invalid("invalid", "Must provide a list of strings to field: "+ignore+".", "")
				return false
			}
		}
		if pyjson.ListLen(strs) > 300 {
			rc.invalid("invalid", "Field "+ignore+" must be less than 300 characters. Complex config should be provided in posthog-js initialization.", "")
			return false
		}
	}
	return true
}
