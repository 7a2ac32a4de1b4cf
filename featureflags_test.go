package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const orgFlagsJSON = `[
	{"flag_id": 11, "team_id": 1, "created_by": {"id": 1, "uuid": "0190a1b2-0000-7000-8000-00000000c000",
		"distinct_id": "d-1", "first_name": "Olive", "last_name": "Owner", "email": "owner@example.com",
		"is_email_verified": true, "hedgehog_config": null, "role_at_organization": null},
	 "filters": {"groups": [{"properties": [], "rollout_percentage": 50}], "multivariate": null},
	 "created_at": "2025-04-01T12:00:00Z", "active": true},
	{"flag_id": 27, "team_id": 2, "created_by": null, "filters": {}, "created_at": "2025-04-02T12:00:00Z", "active": false}
]`

const copyResultJSON = `{
	"success": [{
		"id": 31, "name": "Beta rollout", "key": "beta", "filters": {"groups": [{"properties": [], "rollout_percentage": 50}]},
		"deleted": false, "active": true,
		"created_by": {"id": 1, "uuid": "0190a1b2-0000-7000-8000-00000000c000", "distinct_id": "d-1", "first_name": "Olive",
			"last_name": "Owner", "email": "owner@example.com", "is_email_verified": true, "hedgehog_config": null, "role_at_organization": null},
		"created_at": "2025-04-03T12:00:00Z", "updated_at": "2025-04-03T12:00:01Z", "version": 2, "last_modified_by": null,
		"is_simple_flag": true, "rollout_percentage": 50, "ensure_experience_continuity": false,
		"experiment_set": [5, 6], "surveys": [{"id": "s1", "name": "NPS"}], "features": [],
		"rollback_conditions": null, "performed_rollback": null, "can_edit": true, "tags": ["beta"],
		"usage_dashboard": 77, "analytics_dashboards": [77, 78], "has_enriched_analytics": false,
		"user_access_level": "editor", "is_remote_configuration": false, "has_encrypted_payloads": false,
		"status": "ACTIVE", "evaluation_runtime": "all", "last_called_at": "2025-04-04T00:00:00Z"
	}],
	"failed": [
		{"project_id": 999, "errors": "Target project does not exist."},
		{"project_id": 3, "errors": {"key": ["There is already a feature flag with this key."]}}
	]
}`

func TestFeatureFlagsGetEscapesKey(t *testing.T) {
	c, mt := newMockClient(t)
	key := "beta/flag?x=1#frag %ü"
	var gotPath string
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		gotPath = req.URL.EscapedPath()
		if req.Method != http.MethodGet || req.URL.RawQuery != "" || req.URL.Fragment != "" {
			t.Errorf("request = %s %s", req.Method, req.URL)
		}
		return respond(t, 200, orgFlagsJSON, "", "")(req)
	})
	flags, err := c.FeatureFlags.Get(context.Background(), OrganizationID(roleOrg), key)
	if err != nil {
		t.Fatal(err)
	}
	want := "/ph/api/organizations/" + roleOrg.String() + "/feature_flags/beta%2Fflag%3Fx=1%23frag%20%25%C3%BC/"
	if gotPath != want {
		t.Errorf("path = %s\nwant   %s", gotPath, want)
	}
	if len(flags) != 2 {
		t.Fatalf("flags = %+v", flags)
	}
	f := flags[0]
	if f.FlagID != 11 || f.TeamID != 1 || !f.Active || f.CreatedBy == nil || f.CreatedBy.Email != "owner@example.com" ||
		!f.CreatedAt.Equal(time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("flag = %+v", f)
	}
	if g, _ := f.Filters["groups"].([]any); len(g) != 1 {
		t.Errorf("filters = %v", f.Filters)
	}
	if flags[1].CreatedBy != nil || flags[1].Active || flags[1].TeamID != 2 {
		t.Errorf("second = %+v", flags[1])
	}
}

func TestFeatureFlagsGetEmptyAndErrors(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	u := api(roleOrg.String() + "/feature_flags/beta/")
	mt.RegisterResponder(http.MethodGet, u, respond(t, 200, `[]`, "", ""))
	flags, err := c.FeatureFlags.Get(ctx, OrganizationID(roleOrg), "beta")
	if err != nil || flags == nil || len(flags) != 0 {
		t.Fatalf("empty: %v %v", flags, err)
	}
	mt.RegisterResponder(http.MethodGet, u, respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`, "", ""))
	if _, err := c.FeatureFlags.Get(ctx, OrganizationID(roleOrg), "beta"); !errors.Is(err, ErrPersonalAPIKeyNotSupported) {
		t.Errorf("PAK: %v", err)
	}
	n := mt.GetTotalCallCount()
	for name, k := range map[string]string{
		"empty": "", "dot": ".", "dotdot": "..", "long": strings.Repeat("k", MaxFeatureFlagKeyLength+1), "bad utf8": "\xff",
	} {
		if _, err := c.FeatureFlags.Get(ctx, OrganizationID(roleOrg), k); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s key: %v", name, err)
		}
	}
	if _, err := c.FeatureFlags.Get(ctx, OrganizationID(uuid.Nil), "beta"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	if mt.GetTotalCallCount() != n {
		t.Error("invalid arguments were sent")
	}
}

func TestFeatureFlagsCopy(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	u := api(roleOrg.String() + "/feature_flags/copy_flags/")
	mt.RegisterResponder(http.MethodPost, u, respond(t, 200, copyResultJSON, "",
		`{"feature_flag_key": "beta", "from_project": 1, "target_project_ids": [2, 999, 3], "copy_schedule": true}`))
	r, err := c.FeatureFlags.Copy(ctx, OrganizationID(roleOrg), &FeatureFlagCopy{FeatureFlagKey: "beta", FromProject: 1, TargetProjectIDs: []ProjectID{2, 999, 3}, CopySchedule: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Success) != 1 || len(r.Failed) != 2 {
		t.Fatalf("result = %+v", r)
	}
	f := r.Success[0]
	if f.ID != 31 || f.Key != "beta" || f.Name != "Beta rollout" || !f.Active || f.Version != 2 || !f.IsSimpleFlag ||
		f.RolloutPercentage == nil || *f.RolloutPercentage != 50 || f.LastModifiedBy != nil || f.CreatedBy == nil ||
		len(f.ExperimentSet) != 2 || f.ExperimentSet[1] != 6 || len(f.Surveys) != 1 || f.Surveys[0]["name"] != "NPS" ||
		f.UsageDashboard == nil || *f.UsageDashboard != 77 || len(f.AnalyticsDashboards) != 2 || len(f.Tags) != 1 ||
		f.EvaluationRuntime == nil || *f.EvaluationRuntime != FeatureFlagEvaluationAll || f.Status != "ACTIVE" ||
		f.UserAccessLevel == nil || *f.UserAccessLevel != "editor" || f.UpdatedAt == nil || f.LastCalledAt == nil ||
		!f.CanEdit || f.EnsureExperienceContinuity == nil || *f.EnsureExperienceContinuity {
		t.Errorf("copied flag = %+v", f)
	}
	if r.Failed[0].ProjectID != 999 || r.Failed[0].Errors != "Target project does not exist." {
		t.Errorf("failed[0] = %+v", r.Failed[0])
	}
	if m, ok := r.Failed[1].Errors.(map[string]any); !ok || m["key"] == nil {
		t.Errorf("failed[1] = %+v", r.Failed[1])
	}
	// copy_schedule is left out when false.
	mt.RegisterResponder(http.MethodPost, u, respond(t, 200, `{"success": [], "failed": []}`, "",
		`{"feature_flag_key": "beta", "from_project": 1, "target_project_ids": [2]}`))
	if _, err := c.FeatureFlags.Copy(ctx, OrganizationID(roleOrg), &FeatureFlagCopy{FeatureFlagKey: "beta", FromProject: 1, TargetProjectIDs: []ProjectID{2}}); err != nil {
		t.Fatal(err)
	}
	// The view's own {"error": ...} body on a missing source flag.
	mt.RegisterResponder(http.MethodPost, u, respond(t, 400, `{"error": "Feature flag to copy does not exist."}`, "", ""))
	_, err = c.FeatureFlags.Copy(ctx, OrganizationID(roleOrg), &FeatureFlagCopy{FeatureFlagKey: "gone", FromProject: 1, TargetProjectIDs: []ProjectID{2}})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrValidation) || ae.Detail != "Feature flag to copy does not exist." {
		t.Errorf("missing flag: %v", err)
	}
	// A POST is not retried after a 5xx.
	mt.RegisterResponder(http.MethodPost, u, respond(t, 503, `{"detail": "unavailable"}`, "", ""))
	before := mt.GetTotalCallCount()
	if _, err := c.FeatureFlags.Copy(ctx, OrganizationID(roleOrg), &FeatureFlagCopy{FeatureFlagKey: "beta", FromProject: 1, TargetProjectIDs: []ProjectID{2}}); !errors.Is(err, ErrServer) {
		t.Errorf("503: %v", err)
	}
	if n := mt.GetTotalCallCount() - before; n != 1 {
		t.Errorf("copy sent %d times", n)
	}
}

func TestFeatureFlagsCopyValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ok := func() *FeatureFlagCopy {
		return &FeatureFlagCopy{FeatureFlagKey: "beta", FromProject: 1, TargetProjectIDs: []ProjectID{2}}
	}
	cases := map[string]*FeatureFlagCopy{"nil": nil}
	for name, mutate := range map[string]func(*FeatureFlagCopy){
		"no key":     func(c *FeatureFlagCopy) { c.FeatureFlagKey = "" },
		"long key":   func(c *FeatureFlagCopy) { c.FeatureFlagKey = strings.Repeat("k", 401) },
		"no source":  func(c *FeatureFlagCopy) { c.FromProject = 0 },
		"no targets": func(c *FeatureFlagCopy) { c.TargetProjectIDs = nil },
	} {
		cp := ok()
		mutate(cp)
		cases[name] = cp
	}
	for name, cp := range cases {
		if _, err := c.FeatureFlags.Copy(context.Background(), OrganizationID(roleOrg), cp); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.FeatureFlags.Copy(context.Background(), OrganizationID(uuid.Nil), ok()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	if mt.GetTotalCallCount() != 0 {
		t.Error("invalid arguments were sent")
	}
}
