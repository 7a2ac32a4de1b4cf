package posthogtest

import (
	"strconv"
	"testing"
)

// TestFeatureFlagCopyRules drives PostHog's OrganizationFeatureFlagView
// .copy_flags (posthog/api/organization_feature_flag.py) through raw
// requests on an older server whose unscoped key reaches it: its own
// {"error"} bodies for missing fields and an unknown source flag, and a
// target project that does not exist reported in "failed".
func TestFeatureFlagCopyRules(t *testing.T) {
	srv := newTestServer(t, LegacyUnscopedKeys())
	org := srv.DefaultOrganization().ID
	p := srv.AddProject(org, "P")
	srv.AddFeatureFlag(org, FeatureFlagSeed{ProjectID: p.ID, Key: "beta", Active: true})
	key := srv.NewAPIKey()
	path := "/api/organizations/" + org.String() + "/feature_flags/copy_flags/"
	from := strconv.FormatInt(int64(p.ID), 10)
	for body, want := range map[string]string{
		`{"from_project":` + from + `,"target_project_ids":[1]}`:                           "Missing required fields",
		`{"feature_flag_key":"beta","target_project_ids":[1]}`:                             "Missing required fields",
		`{"feature_flag_key":"beta","from_project":` + from + `,"target_project_ids":[]}`:  "Missing required fields",
		`{"feature_flag_key":"gone","from_project":` + from + `,"target_project_ids":[1]}`: "Feature flag to copy does not exist.",
	} {
		if st, _, got := call(t, srv, key, "POST", path, body); st != 400 || got["error"] != want {
			t.Errorf("%s: %d %v, want %q", body, st, got, want)
		}
	}
	st, _, got := call(t, srv, key, "POST", path, `{"feature_flag_key":"beta","from_project":`+from+`,"target_project_ids":[999999]}`)
	failed, _ := got["failed"].([]any)
	if st != 200 || len(failed) != 1 || failed[0].(map[string]any)["errors"] != "Target project does not exist." {
		t.Errorf("unknown target: %d %v", st, got)
	}
}
