package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi/internal/pyjson"
	"github.com/jarcoal/httpmock"
)

var (
	projOrg    = uuid.MustParse("0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33")
	projTarget = uuid.MustParse("0191b7a5-2c1e-7c3a-9f00-dd44ee55ff66")
)

// projectFixture is a project as PostHog answers it, with every field of
// both schemas (and project_id, which newer servers add).
const projectFixture = `{
  "id": 42, "organization": "0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33", "project_id": 42,
  "name": "Web app", "product_description": "Checkout funnel",
  "created_at": "2025-03-01T10:00:00Z", "effective_membership_level": 8,
  "has_group_types": true, "group_types": [{"group_type": "company", "group_type_index": 0}],
  "live_events_token": "eyJhbGciOi", "updated_at": "2025-03-02T11:30:00.5Z",
  "uuid": "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "api_token": "phc_publicToken123",
  "app_urls": ["https://app.example.com", null], "slack_incoming_webhook": null,
  "anonymize_ips": true, "completed_snippet_onboarding": true, "ingested_event": true,
  "test_account_filters": [{"key": "email", "value": "@example.com", "operator": "not_icontains", "type": "person"}],
  "test_account_filters_default_checked": true,
  "path_cleaning_filters": [{"alias": "<id>", "regex": "/\\d+"}],
  "is_demo": false, "timezone": "Europe/Berlin", "data_attributes": ["data-attr"],
  "person_display_name_properties": ["email", "name"], "correlation_config": {"excluded_person_property_names": ["$os"]},
  "autocapture_opt_out": false, "autocapture_exceptions_opt_in": null, "autocapture_web_vitals_opt_in": true,
  "autocapture_web_vitals_allowed_metrics": ["LCP", "CLS"], "autocapture_exceptions_errors_to_ignore": ["ResizeObserver"],
  "capture_console_log_opt_in": true, "capture_performance_opt_in": false, "session_recording_opt_in": true,
  "session_recording_sample_rate": "0.50", "session_recording_minimum_duration_milliseconds": 2000,
  "session_recording_linked_flag": {"id": 7, "key": "record-me"},
  "session_recording_network_payload_capture_config": {"recordHeaders": true},
  "session_recording_masking_config": {"maskAllInputs": true}, "session_replay_config": {"record_canvas": false},
  "survey_config": {"appearance": {"backgroundColor": "#fff"}}, "access_control": false,
  "week_start_day": 1, "primary_dashboard": 1234, "live_events_columns": ["event", "person"],
  "recording_domains": ["https://app.example.com"], "person_on_events_querying_enabled": true,
  "inject_web_apps": null, "extra_settings": {"beta": true}, "modifiers": {"personsOnEventsMode": "disabled"},
  "default_modifiers": {"personsOnEventsMode": "person_id_override_properties_on_events"},
  "has_completed_onboarding_for": {"product_analytics": true}, "surveys_opt_in": true, "heatmaps_opt_in": false,
  "product_intents": [{"product_type": "session_replay", "created_at": "2025-03-01T10:05:00Z", "onboarding_completed_at": null, "updated_at": "2025-03-01T10:06:00Z"}],
  "flags_persistence_default": false, "secret_api_token": "phs_secret456", "secret_api_token_backup": null,
  "receive_org_level_activity_logs": true, "business_model": "b2b", "conversations_enabled": true,
  "conversations_settings": {"widget_public_token": "abc"}, "logs_settings": null, "proactive_tasks_enabled": false,
  "available_setup_task_ids": ["ingest_first_event", "set_up_reverse_proxy"]
}`

// checkProjectFixture asserts the decoding of projectFixture.
func checkProjectFixture(t *testing.T, p *Project) {
	t.Helper()
	if p == nil {
		t.Fatal("nil project")
	}
	level := MembershipLevelAdmin
	week := WeekStartMonday
	b2b := BusinessModelB2B
	rate := "0.50"
	dur := 2000
	dash := int64(1234)
	secret := "phs_secret456"
	checks := []struct {
		name      string
		got, want any
	}{
		{"ID", p.ID, ProjectID(42)},
		{"ProjectID", p.ProjectID, ProjectID(42)},
		{"Organization", p.Organization, OrganizationID(projOrg)},
		{"UUID", p.UUID.String(), "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
		{"Name", p.Name, "Web app"},
		{"CreatedAt", p.CreatedAt, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)},
		{"UpdatedAt", p.UpdatedAt, time.Date(2025, 3, 2, 11, 30, 0, 500000000, time.UTC)},
		{"EffectiveMembershipLevel", p.EffectiveMembershipLevel, &level},
		{"APIToken", p.APIToken, "phc_publicToken123"},
		{"AppURLs", p.AppURLs, []string{"https://app.example.com", ""}},
		{"SlackIncomingWebhook", p.SlackIncomingWebhook, (*string)(nil)},
		{"AnonymizeIPs", p.AnonymizeIPs, true},
		{"TestAccountFilters", p.TestAccountFilters[0]["operator"], "not_icontains"},
		{"PathCleaningFilters", p.PathCleaningFilters[0]["alias"], "<id>"},
		{"Timezone", p.Timezone, Timezone("Europe/Berlin")},
		{"DataAttributes", p.DataAttributes, []string{"data-attr"}},
		{"AutocaptureExceptionsOptIn", p.AutocaptureExceptionsOptIn, (*bool)(nil)},
		{"AutocaptureWebVitalsAllowedMetrics", p.AutocaptureWebVitalsAllowedMetrics, []string{"LCP", "CLS"}},
		{"SessionRecordingSampleRate", p.SessionRecordingSampleRate, &rate},
		{"SessionRecordingMinimumDurationMilliseconds", p.SessionRecordingMinimumDurationMilliseconds, &dur},
		{"SessionRecordingLinkedFlag", p.SessionRecordingLinkedFlag["key"], "record-me"},
		{"WeekStartDay", p.WeekStartDay, &week},
		{"PrimaryDashboard", p.PrimaryDashboard, &dash},
		{"PersonOnEventsQueryingEnabled", p.PersonOnEventsQueryingEnabled, true},
		{"DefaultModifiers", p.DefaultModifiers["personsOnEventsMode"], "person_id_override_properties_on_events"},
		{"HasCompletedOnboardingFor", p.HasCompletedOnboardingFor["product_analytics"], true},
		{"ProductIntents.ProductType", p.ProductIntents[0].ProductType, ProductSessionReplay},
		{"ProductIntents.OnboardingCompletedAt", p.ProductIntents[0].OnboardingCompletedAt, (*time.Time)(nil)},
		{"SecretAPIToken", p.SecretAPIToken, &secret},
		{"SecretAPITokenBackup", p.SecretAPITokenBackup, (*string)(nil)},
		{"BusinessModel", p.BusinessModel, &b2b},
		{"ConversationsSettings", p.ConversationsSettings["widget_public_token"], "abc"},
		{"LogsSettings", p.LogsSettings, map[string]any(nil)},
		{"AvailableSetupTaskIDs", p.AvailableSetupTaskIDs, []SetupTaskID{SetupTaskIngestFirstEvent, SetupTaskSetUpReverseProxy}},
		{"GroupTypes", p.GroupTypes[0]["group_type"], "company"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

// projectSchemaFields are the properties of ProjectBackwardCompat in
// openapi.yaml and organizations-newest.yaml.
var projectSchemaFields = strings.Fields(`id organization name product_description created_at
effective_membership_level has_group_types group_types live_events_token updated_at uuid api_token
app_urls slack_incoming_webhook anonymize_ips completed_snippet_onboarding ingested_event
test_account_filters test_account_filters_default_checked path_cleaning_filters is_demo timezone
data_attributes person_display_name_properties correlation_config autocapture_opt_out
autocapture_exceptions_opt_in autocapture_web_vitals_opt_in autocapture_web_vitals_allowed_metrics
autocapture_exceptions_errors_to_ignore capture_console_log_opt_in capture_performance_opt_in
session_recording_opt_in session_recording_sample_rate session_recording_minimum_duration_milliseconds
session_recording_linked_flag session_recording_network_payload_capture_config
session_recording_masking_config session_replay_config survey_config access_control week_start_day
primary_dashboard live_events_columns recording_domains person_on_events_querying_enabled
inject_web_apps extra_settings modifiers default_modifiers has_completed_onboarding_for surveys_opt_in
heatmaps_opt_in product_intents flags_persistence_default secret_api_token secret_api_token_backup
receive_org_level_activity_logs business_model conversations_enabled conversations_settings
logs_settings proactive_tasks_enabled available_setup_task_ids`)

// projectReadOnlyFields are the schema's readOnly properties, which request
// types must not carry.
var projectReadOnlyFields = strings.Fields(`id organization created_at effective_membership_level
has_group_types group_types live_events_token updated_at uuid api_token ingested_event
person_on_events_querying_enabled default_modifiers product_intents secret_api_token
secret_api_token_backup available_setup_task_ids`)

// jsonTags returns the JSON names of t's fields, embedded structs included.
func jsonTags(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for k := range jsonTags(f.Type) {
				out[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = true
	}
	return out
}

func TestProjectTypesCoverSchema(t *testing.T) {
	have := jsonTags(reflect.TypeFor[Project]())
	for _, f := range projectSchemaFields {
		if !have[f] {
			t.Errorf("Project has no field for %q", f)
		}
	}
	readOnly := map[string]bool{}
	for _, f := range projectReadOnlyFields {
		readOnly[f] = true
	}
	req := jsonTags(reflect.TypeFor[ProjectCreate]())
	for _, f := range projectSchemaFields {
		switch {
		case readOnly[f] && req[f]:
			t.Errorf("ProjectCreate carries read-only %q", f)
		case !readOnly[f] && !req[f]:
			t.Errorf("ProjectCreate has no field for writable %q", f)
		}
	}
	basic := jsonTags(reflect.TypeFor[ProjectBasic]())
	for _, f := range strings.Fields("id uuid organization api_token name completed_snippet_onboarding has_completed_onboarding_for ingested_event is_demo timezone access_control") {
		if !basic[f] {
			t.Errorf("ProjectBasic has no field for %q", f)
		}
	}
}

func TestProjectsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(projOrg.String()+"/projects/"), respond(t, 200, `{
		"count": 3, "next": null, "previous": null,
		"results": [{"id": 7, "uuid": "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "organization": "0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33",
		  "api_token": "phc_x1", "name": "Web", "completed_snippet_onboarding": true,
		  "has_completed_onboarding_for": {"product_analytics": true}, "ingested_event": false, "is_demo": true,
		  "timezone": "America/New_York", "access_control": true}]}`, "limit=2&offset=4&search=web", ""))
	page, err := c.Projects.List(context.Background(), OrganizationID(projOrg), &ProjectListOptions{ListOptions: ListOptions{Limit: 2, Offset: 4}, Search: "web"})
	if err != nil {
		t.Fatal(err)
	}
	want := ProjectBasic{
		ID: 7, UUID: uuid.MustParse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), Organization: OrganizationID(projOrg),
		APIToken: "phc_x1", Name: "Web", CompletedSnippetOnboarding: true,
		HasCompletedOnboardingFor: map[string]any{"product_analytics": true}, IsDemo: true,
		Timezone: "America/New_York", AccessControl: true,
	}
	if page.Count != 3 || len(page.Results) != 1 || !reflect.DeepEqual(page.Results[0], want) {
		t.Errorf("page = %+v", page)
	}
}

func TestProjectsAll(t *testing.T) {
	c, mt := newMockClient(t)
	path := api(projOrg.String() + "/projects/")
	mt.RegisterResponder("GET", path, func(r *http.Request) (*http.Response, error) {
		body := `{"count": 2, "next": "` + path + `?limit=1&offset=1", "results": [{"id": 1, "name": "A"}]}`
		if r.URL.Query().Get("offset") == "1" {
			body = `{"count": 2, "next": null, "results": [{"id": 2, "name": "B"}]}`
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	var names []string
	for p, err := range c.Projects.All(context.Background(), OrganizationID(projOrg), &ProjectListOptions{ListOptions: ListOptions{Limit: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "A,B" {
		t.Errorf("names = %v", names)
	}
}

func TestProjectsGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(projOrg.String()+"/projects/42/"), respond(t, 200, projectFixture, "", ""))
	p, err := c.Projects.Get(context.Background(), OrganizationID(projOrg), 42)
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
}

func TestProjectsCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(projOrg.String()+"/projects/"), respond(t, 201, projectFixture, "", `{
		"name": "Web app", "timezone": "Europe/Berlin", "week_start_day": 1, "app_urls": [],
		"product_description": null, "session_recording_sample_rate": "0.50",
		"session_recording_minimum_duration_milliseconds": 0, "business_model": "b2b",
		"anonymize_ips": false, "test_account_filters": [{"key": "email", "type": "person"}],
		"has_completed_onboarding_for": {"product_analytics": true}}`))
	p, err := c.Projects.Create(context.Background(), OrganizationID(projOrg), &ProjectCreate{
		Name: "Web app",
		ProjectSettings: ProjectSettings{
			Timezone:                   "Europe/Berlin",
			WeekStartDay:               NewNullable(WeekStartMonday),
			AppURLs:                    []string{},
			ProductDescription:         Null[string](),
			SessionRecordingSampleRate: NewNullable("0.50"),
			SessionRecordingMinimumDurationMilliseconds: NewNullable(0),
			BusinessModel:             NewNullable(BusinessModelB2B),
			AnonymizeIPs:              Ptr(false),
			TestAccountFilters:        []map[string]any{{"key": "email", "type": "person"}},
			HasCompletedOnboardingFor: NewNullable(map[string]any{"product_analytics": true}),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
}

func TestProjectsUpdate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", api(projOrg.String()+"/projects/42/"), respond(t, 200, projectFixture, "", `{
		"name": "Renamed", "primary_dashboard": null, "recording_domains": ["https://a.example"],
		"week_start_day": null, "inject_web_apps": true, "conversations_settings": null}`))
	p, err := c.Projects.Update(context.Background(), OrganizationID(projOrg), 42, &ProjectUpdate{
		Name: Ptr("Renamed"),
		ProjectSettings: ProjectSettings{
			PrimaryDashboard:      Null[int64](),
			RecordingDomains:      NewNullable([]string{"https://a.example"}),
			WeekStartDay:          Null[WeekStartDay](),
			InjectWebApps:         NewNullable(true),
			ConversationsSettings: Null[map[string]any](),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
}

func TestProjectsReplace(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PUT", api(projOrg.String()+"/projects/42/"), respond(t, 200, projectFixture, "", `{"name": "Web app", "is_demo": false}`))
	p, err := c.Projects.Replace(context.Background(), OrganizationID(projOrg), 42, &ProjectCreate{Name: "Web app", ProjectSettings: ProjectSettings{IsDemo: Ptr(false)}})
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
}

func TestProjectsDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", api(projOrg.String()+"/projects/42/"), respond(t, 204, "", "", ""))
	if err := c.Projects.Delete(context.Background(), OrganizationID(projOrg), 42); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("calls = %d", n)
	}
}

func TestProjectsActivity(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(projOrg.String()+"/projects/42/activity/"), respond(t, 200, `{
		"results": [{
			"id": "0195a1b2-0000-7000-8000-000000000001",
			"user": {"id": 3, "uuid": "0195a1b2-0000-7000-8000-000000000003", "distinct_id": "d3", "first_name": "Ann",
			         "last_name": "Lee", "email": "ann@example.com", "is_email_verified": true, "hedgehog_config": null,
			         "role_at_organization": "engineering"},
			"unread": false, "organization_id": "0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33", "was_impersonated": false,
			"is_system": false, "activity": "updated", "item_id": "42", "scope": "Team",
			"detail": {"name": "Web app", "short_id": null, "type": null, "merge": null, "trigger": null, "context": null,
			           "changes": [{"type": "Team", "action": "changed", "field": "api_token", "before": "phc_old", "after": "phc_new"}]},
			"created_at": "2025-03-03T09:00:00Z"},
			{"id": "0195a1b2-0000-7000-8000-000000000002", "user": null, "unread": true, "organization_id": null,
			 "was_impersonated": null, "is_system": true, "activity": "created", "item_id": null, "scope": "Team",
			 "detail": null, "created_at": "2025-03-01T09:00:00Z"}],
		"next": "https://posthog.example/ph/api/organizations/0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33/projects/42/activity/?page=3&limit=5",
		"previous": null, "total_count": 12}`, "limit=5&page=2", ""))
	a, err := c.Projects.ListActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Limit: 5, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 12 || len(a.Results) != 2 || !strings.Contains(a.Next, "page=3") || a.Previous != "" {
		t.Fatalf("page = %+v", a)
	}
	e := a.Results[0]
	if e.User == nil || e.User.Email != "ann@example.com" || e.Activity != "updated" || e.Scope != "Team" ||
		e.ItemID == nil || *e.ItemID != "42" || e.OrganizationID == nil || *e.OrganizationID != OrganizationID(projOrg) {
		t.Errorf("entry = %+v", e)
	}
	if e.Detail == nil || len(e.Detail.Changes) != 1 || *e.Detail.Changes[0].Field != "api_token" ||
		e.Detail.Changes[0].After != "phc_new" || *e.Detail.Name != "Web app" {
		t.Errorf("detail = %+v", e.Detail)
	}
	if sys := a.Results[1]; sys.User != nil || sys.Detail != nil || sys.IsSystem == nil || !*sys.IsSystem || !sys.Unread {
		t.Errorf("system entry = %+v", sys)
	}
}

func TestProjectsProductIntents(t *testing.T) {
	c, mt := newMockClient(t)
	const body = `{"product_type": "session_replay", "intent_context": "onboarding product selected", "metadata": {"source": "cli"}}`
	intent := &ProductIntentCreate{ProductType: ProductSessionReplay, IntentContext: "onboarding product selected", Metadata: map[string]any{"source": "cli"}}
	mt.RegisterResponder("PATCH", api(projOrg.String()+"/projects/42/add_product_intent/"), respond(t, 201, projectFixture, "", body))
	mt.RegisterResponder("PATCH", api(projOrg.String()+"/projects/42/complete_product_onboarding/"), respond(t, 200, projectFixture, "", `{"product_type": "surveys"}`))
	p, err := c.Projects.AddProductIntent(context.Background(), OrganizationID(projOrg), 42, intent)
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
	p, err = c.Projects.CompleteProductOnboarding(context.Background(), OrganizationID(projOrg), 42, &ProductIntentCreate{ProductType: ProductSurveys})
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
	info := mt.GetCallCountInfo()
	if info["PATCH "+api(projOrg.String()+"/projects/42/add_product_intent/")] != 1 || info["PATCH "+api(projOrg.String()+"/projects/42/complete_product_onboarding/")] != 1 {
		t.Errorf("calls = %v", info)
	}
}

func TestProjectsChangeOrganization(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(projOrg.String()+"/projects/42/change_organization/"),
		respond(t, 200, projectFixture, "", `{"organization_id": "`+projTarget.String()+`"}`))
	p, err := c.Projects.ChangeOrganization(context.Background(), OrganizationID(projOrg), 42, OrganizationID(projTarget))
	if err != nil {
		t.Fatal(err)
	}
	checkProjectFixture(t, p)
}

func TestProjectsIsGeneratingDemoData(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(projOrg.String()+"/projects/42/is_generating_demo_data/"), respond(t, 200, `{"is_generating_demo_data": true}`, "", ""))
	st, err := c.Projects.IsGeneratingDemoData(context.Background(), OrganizationID(projOrg), 42)
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsGeneratingDemoData {
		t.Error("IsGeneratingDemoData = false")
	}
}

// wantNoBody answers status with body after checking that the request carried
// no body.
func wantNoBody(t *testing.T, status int, body string) httpmock.Responder {
	t.Helper()
	inner := respond(t, status, body, "", "")
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			if len(b) != 0 {
				t.Errorf("%s %s sent body %q", r.Method, r.URL.Path, b)
			}
		}
		return inner(r)
	}
}

func TestProjectsTokenActions(t *testing.T) {
	type action func(context.Context, OrganizationID, ProjectID) (*Project, error)
	c, mt := newMockClient(t)
	for _, tc := range []struct {
		method, path string
		call         action
	}{
		{"PATCH", "delete_secret_token_backup", c.Projects.DeleteSecretTokenBackup},
		{"PATCH", "reset_token", c.Projects.ResetToken},
		{"PATCH", "rotate_secret_token", c.Projects.RotateSecretToken},
		{"POST", "generate_conversations_public_token", c.Projects.GenerateConversationsPublicToken},
	} {
		t.Run(tc.path, func(t *testing.T) {
			mt.Reset()
			mt.RegisterResponder(tc.method, api(projOrg.String()+"/projects/42/"+tc.path+"/"), wantNoBody(t, 200, projectFixture))
			p, err := tc.call(context.Background(), OrganizationID(projOrg), 42)
			if err != nil {
				t.Fatal(err)
			}
			checkProjectFixture(t, p)
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("calls = %d", n)
			}
		})
	}
}

func TestProjectsPersonalKeyRejected(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", api(projOrg.String()+"/projects/42/reset_token/"), respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`, "", ""))
	_, err := c.Projects.ResetToken(context.Background(), OrganizationID(projOrg), 42)
	if !errors.Is(err, ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("err = %v, want ErrPersonalAPIKeyNotSupported", err)
	}
	assertNoCanary(t, err.Error())
}

func TestProjectsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	long := strings.Repeat("é", 201)
	cases := map[string]func() error{
		"nil org list": func() error { _, err := c.Projects.List(ctx, OrganizationID(uuid.Nil), nil); return err },
		"zero id":      func() error { _, err := c.Projects.Get(ctx, OrganizationID(projOrg), 0); return err },
		"negative id":  func() error { return c.Projects.Delete(ctx, OrganizationID(projOrg), -3) },
		"nil create":   func() error { _, err := c.Projects.Create(ctx, OrganizationID(projOrg), nil); return err },
		"empty name":   func() error { _, err := c.Projects.Create(ctx, OrganizationID(projOrg), &ProjectCreate{}); return err },
		"blank name": func() error {
			_, err := c.Projects.Create(ctx, OrganizationID(projOrg), &ProjectCreate{Name: "  \t"})
			return err
		},
		"long name": func() error {
			_, err := c.Projects.Create(ctx, OrganizationID(projOrg), &ProjectCreate{Name: long})
			return err
		},
		"long name update": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{Name: Ptr(long)})
			return err
		},
		"empty name replace": func() error {
			_, err := c.Projects.Replace(ctx, OrganizationID(projOrg), 1, &ProjectCreate{Name: ""})
			return err
		},
		"nil update": func() error { _, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, nil); return err },
		"week start day": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{WeekStartDay: NewNullable(WeekStartDay(6))}})
			return err
		},
		"business model": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{BusinessModel: NewNullable(BusinessModel("b2g"))}})
			return err
		},
		"sample rate pattern": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{SessionRecordingSampleRate: NewNullable("0.125")}})
			return err
		},
		"sample rate range": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{SessionRecordingSampleRate: NewNullable("1.50")}})
			return err
		},
		"min duration": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{SessionRecordingMinimumDurationMilliseconds: NewNullable(30001)}})
			return err
		},
		"description": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{ProductDescription: NewNullable(strings.Repeat("x", 1001))}})
			return err
		},
		"app url": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{AppURLs: []string{strings.Repeat("x", 201)}}})
			return err
		},
		"timezone spaces": func() error {
			_, err := c.Projects.Update(ctx, OrganizationID(projOrg), 1, &ProjectUpdate{ProjectSettings: ProjectSettings{Timezone: " UTC"}})
			return err
		},
		"activity page": func() error {
			_, err := c.Projects.ListActivity(ctx, OrganizationID(projOrg), 1, &ProjectActivityOptions{Page: -1})
			return err
		},
		"empty product": func() error {
			_, err := c.Projects.AddProductIntent(ctx, OrganizationID(projOrg), 1, &ProductIntentCreate{})
			return err
		},
		"nil product": func() error {
			_, err := c.Projects.CompleteProductOnboarding(ctx, OrganizationID(projOrg), 1, nil)
			return err
		},
		"nil target": func() error {
			_, err := c.Projects.ChangeOrganization(ctx, OrganizationID(projOrg), 1, OrganizationID(uuid.Nil))
			return err
		},
		"action id": func() error { _, err := c.Projects.ResetToken(ctx, OrganizationID(projOrg), 0); return err },
		"all nil org": func() error {
			for _, err := range c.Projects.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestProjectSettingsAcceptEdgeValues(t *testing.T) {
	ok := []ProjectSettings{
		{SessionRecordingSampleRate: NewNullable("1")},
		{SessionRecordingSampleRate: NewNullable("0.05")},
		{SessionRecordingSampleRate: Null[string]()},
		{SessionRecordingMinimumDurationMilliseconds: NewNullable(30000)},
		{WeekStartDay: NewNullable(WeekStartSunday)},
		{BusinessModel: NewNullable(BusinessModel(""))},
		{Timezone: "America/Argentina/Buenos_Aires"},
	}
	for i, s := range ok {
		if err := s.validate(); err != nil {
			t.Errorf("%d: %v", i, err)
		}
	}
}

func TestFidelity14_EventIngestionRestrictions(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(beOrg.String()+"/projects/12/event_ingestion_restrictions/"), respond(t, 200,
		`[{"restriction_type":"drop_event_from_ingestion","distinct_ids":["bot"],"session_ids":[],"event_names":["$pageview"],"event_uuids":[],"pipelines":["analytics"]},
		  {"restriction_type":"skip_person_processing","distinct_ids":["x"]}]`, "", ""))
	rs, err := c.Projects.ListEventIngestionRestrictions(context.Background(), OrganizationID(beOrg), 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].RestrictionType != "drop_event_from_ingestion" || rs[0].DistinctIDs[0] != "bot" || rs[0].EventNames[0] != "$pageview" ||
		rs[0].Pipelines[0] != "analytics" || rs[1].RestrictionType != "skip_person_processing" || rs[1].SessionIDs != nil {
		t.Errorf("restrictions = %+v", rs)
	}
	if _, err := c.Projects.ListEventIngestionRestrictions(context.Background(), OrganizationID(beOrg), 0); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("project 0: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// activityEntries returns a JSON list of activity entries whose IDs end in
// the given two-digit numbers.
func activityEntries(ids ...int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id": "0195a1b2-0000-7000-8000-0000000000%02d", "user": null, "unread": false,
			"organization_id": null, "was_impersonated": false, "is_system": false, "activity": "updated",
			"item_id": "42", "scope": "Team", "detail": null, "created_at": "2025-03-01T09:00:00Z"}`, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// activityPager answers the page the request names (1-based) from pages and
// records each request as "page/limit".
func activityPager(t *testing.T, pages []string, seen *[]string) httpmock.Responder {
	t.Helper()
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		*seen = append(*seen, q.Get("page")+"/"+q.Get("limit"))
		n := 0
		if _, err := fmt.Sscan(q.Get("page"), &n); err != nil || n < 1 || n > len(pages) {
			return httpmock.NewStringResponse(404, `{"type":"invalid_request","code":"not_found","detail":"Invalid page.","attr":null}`), nil
		}
		return httpmock.NewStringResponse(200, pages[n-1]), nil
	}
}

func TestProjectsAllActivityWalksPageNumbers(t *testing.T) {
	c, mt := newMockClient(t)
	var seen []string
	// PostHog's links go off the host here: the iterator must only read
	// them as "there is more" and ask for page n+1 itself.
	pages := []string{
		`{"results": ` + activityEntries(1, 2) + `, "next": "https://evil.example/x?page=2", "previous": null, "total_count": 5}`,
		`{"results": ` + activityEntries(3, 4) + `, "next": "https://evil.example/x?page=3", "previous": "p", "total_count": 5}`,
		`{"results": ` + activityEntries(5) + `, "next": null, "previous": "p", "total_count": 5}`,
	}
	mt.RegisterResponder(http.MethodGet, api(projOrg.String()+"/projects/42/activity/"), activityPager(t, pages, &seen))
	opts := &ProjectActivityOptions{Limit: 2}
	seq := c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, opts)
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("AllActivity fetched %d pages before iteration", n)
	}
	opts.Limit = 50 // changes after the call have no effect
	var got []string
	for a, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.ID.String()[34:])
	}
	if strings.Join(got, ",") != "01,02,03,04,05" || strings.Join(seen, ",") != "1/2,2/2,3/2" {
		t.Errorf("ids = %v, requests = %v", got, seen)
	}
	if opts.Page != 0 {
		t.Errorf("options modified: %+v", opts)
	}

	// ListActivity answers the same pages as Page, total_count as Count.
	p, err := c.Projects.ListActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Limit: 2, Page: 3})
	if err != nil || p.Count != 5 || len(p.Results) != 1 || p.Next != "" || p.Previous != "p" {
		t.Fatalf("ListActivity = %+v, %v", p, err)
	}

	// Starting at a page, and stopping on break after one request.
	seen = nil
	n := 0
	for _, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Limit: 2, Page: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 || strings.Join(seen, ",") != "2/2,3/2" {
		t.Errorf("from page 2: n = %d, requests = %v", n, seen)
	}
	seen = nil
	for range seq {
		break
	}
	if len(seen) != 1 {
		t.Errorf("break: requests = %v", seen)
	}
}

func TestProjectsAllActivityStallsAndErrors(t *testing.T) {
	cases := map[string][]string{
		"empty page with next": {`{"results": [], "next": "n?page=2", "total_count": 9}`},
		"same page again": {
			`{"results": ` + activityEntries(1) + `, "next": "n?page=2", "total_count": 9}`,
			`{"results": ` + activityEntries(1) + `, "next": "n?page=3", "total_count": 9}`,
		},
		"next points back": {`{"results": ` + activityEntries(1) + `, "next": "https://posthog.example/x?page=1", "total_count": 9}`},
	}
	for name, pages := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			var seen []string
			mt.RegisterResponder(http.MethodGet, api(projOrg.String()+"/projects/42/activity/"), activityPager(t, pages, &seen))
			var errs []error
			for a, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, nil) {
				if err != nil {
					errs = append(errs, err)
				} else if a == nil {
					t.Fatal("nil item without error")
				}
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrPaginationStalled) || len(seen) > len(pages) {
				t.Fatalf("errors = %v, requests = %v", errs, seen)
			}
		})
	}

	c, mt := newMockClient(t)
	var errs []error
	for _, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Page: -1}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) || mt.GetTotalCallCount() != 0 {
		t.Errorf("invalid options: errors = %v, %d requests", errs, mt.GetTotalCallCount())
	}
}

func TestFidelityDec15_CreateRefusesPrimaryDashboard(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	for _, v := range []Nullable[int64]{Null[int64](), NewNullable[int64](3)} {
		_, err := c.Projects.Create(ctx, OrganizationID(projOrg), &ProjectCreate{Name: "P", ProjectSettings: ProjectSettings{PrimaryDashboard: v}})
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "primary_dashboard") {
			t.Errorf("create with %v: %v", v, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	// Replace (PUT) updates an existing project: the field is allowed.
	mt.RegisterResponder("PUT", api(projOrg.String()+"/projects/1/"), respond(t, 200, `{"id": 1}`, "", `{"name": "P", "primary_dashboard": 3}`))
	if _, err := c.Projects.Replace(ctx, OrganizationID(projOrg), 1, &ProjectReplace{Name: "P", ProjectSettings: ProjectSettings{PrimaryDashboard: NewNullable[int64](3)}}); err != nil {
		t.Errorf("replace: %v", err)
	}
}

func TestFidelityDec17_ErrorsToIgnoreCheckedBeforeSending(t *testing.T) {
	bad := []ProjectSettings{
		{AutocaptureExceptionsErrorsToIgnore: Null[[]string]()},
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{strings.Repeat("x", 297)})},
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{strings.Repeat("é", 50)})},
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{strings.Repeat("x", 147), strings.Repeat("y", 147)})},
	}
	for i, s := range bad {
		if err := s.validate(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%d: %v, want ErrInvalidArgument", i, err)
		}
	}
	ok := []ProjectSettings{
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{strings.Repeat("x", 296)})},
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{})},
		{AutocaptureExceptionsErrorsToIgnore: NewNullable([]string{strings.Repeat("x", 146), strings.Repeat("y", 146)})},
	}
	for i, s := range ok {
		if err := s.validate(); err != nil {
			t.Errorf("ok %d: %v", i, err)
		}
	}
	if got, want := pyjson.ListLen([]string{"a\"", "😀", "\x01"}), len(`["a\"", "\ud83d\ude00", "\u0001"]`); got != want {
		t.Errorf("pyjson.ListLen = %d, want %d", got, want)
	}
}
