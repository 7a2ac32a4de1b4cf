package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestFeatureFlagsE2E(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t, posthogtest.LegacyUnscopedKeys())
	org := srv.DefaultOrganization().ID
	odd := "beta/rollout?v=2#x %"
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 1, Key: odd, Name: "Beta", Active: true})
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 2, Key: "other", Name: "Other"})
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 2, Key: odd, Name: "Old", Deleted: true})
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 3, Key: odd, Name: "Beta in 3"})
	elsewhere := srv.AddOrganization("Elsewhere", srv.DefaultUser().UUID)
	srv.AddFeatureFlag(elsewhere.ID, posthogtest.FeatureFlagSeed{ProjectID: 9, Key: odd})

	// The view is INTERNAL: retrieve refuses scoped keys, even with every
	// scope; copy needs feature_flag:write named, which "*" does not stand
	// for (TestFidelityDecScope_FeatureFlagsCopy).
	scoped, _ := srv.Client(srv.NewAPIKey("*"))
	if _, err := scoped.FeatureFlags.Get(ctx, org, odd); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("scoped get: %v", err)
	}
	if _, err := scoped.FeatureFlags.Copy(ctx, org, &posthogapi.FeatureFlagCopy{FeatureFlagKey: odd, FromProject: 1, TargetProjectIDs: []posthogapi.ProjectID{2}}); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Fatalf("scoped copy: %v", err)
	}

	c, _ := srv.Client(srv.NewAPIKey()) // legacy key: no scopes
	flags, err := c.FeatureFlags.Get(ctx, org, odd)
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 2 || flags[0].TeamID != 1 || !flags[0].Active || flags[1].TeamID != 3 || flags[1].Active {
		t.Fatalf("flags = %+v", flags)
	}
	if flags[0].CreatedBy == nil || flags[0].CreatedBy.Email != "owner@example.com" || flags[0].Filters["groups"] == nil {
		t.Errorf("flag = %+v", flags[0])
	}
	if none, err := c.FeatureFlags.Get(ctx, org, "missing"); err != nil || len(none) != 0 {
		t.Errorf("missing key: %v %v", none, err)
	}

	// Copy to a new project (2 has the key only as a deleted flag), an
	// existing one (3, updated) and an unknown one.
	r, err := c.FeatureFlags.Copy(ctx, org, &posthogapi.FeatureFlagCopy{FeatureFlagKey: odd, FromProject: 1, TargetProjectIDs: []posthogapi.ProjectID{2, 3, 404}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Success) != 2 || len(r.Failed) != 1 || r.Failed[0].ProjectID != 404 || r.Failed[0].Errors != "Target project does not exist." {
		t.Fatalf("copy = %+v", r)
	}
	for _, f := range r.Success {
		if f.Key != odd || f.Name != "Beta" || !f.Active || !f.IsSimpleFlag || f.RolloutPercentage == nil || *f.RolloutPercentage != 100 {
			t.Errorf("copied = %+v", f)
		}
	}
	if r.Success[1].Version != 1 || r.Success[0].Version != 0 {
		t.Errorf("versions = %d, %d", r.Success[0].Version, r.Success[1].Version)
	}
	flags, _ = c.FeatureFlags.Get(ctx, org, odd)
	if len(flags) != 3 {
		t.Fatalf("after copy: %+v", flags)
	}
	for _, f := range flags {
		if !f.Active {
			t.Errorf("flag in team %d inactive after copy", f.TeamID)
		}
	}

	// A missing source flag is the view's own 400.
	_, err = c.FeatureFlags.Copy(ctx, org, &posthogapi.FeatureFlagCopy{FeatureFlagKey: "nope", FromProject: 1, TargetProjectIDs: []posthogapi.ProjectID{2}})
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Detail != "Feature flag to copy does not exist." {
		t.Errorf("missing source: %v", err)
	}
	// GET of the copy_flags path is the action's 405.
	if _, err := c.FeatureFlags.Get(ctx, org, "copy_flags"); !errors.As(err, &ae) || ae.StatusCode != 405 {
		t.Errorf("GET copy_flags: %v", err)
	}
}

// TestFidelityDecScope_FeatureFlagsCopy: the newest PostHog's
// OrganizationFeatureFlagView.copy_flags declares required_scopes
// ["feature_flag:write"] on a view whose scope object is INTERNAL
// (organization_feature_flag.py, read_file id 54535175027), so
// APIScopePermission lets only a key naming that scope through: "*" and
// feature_flag:read get 403 "API key missing required scope
// 'feature_flag:write'". The client sends the request (it is no longer
// refused before sending) and a feature_flag:write key copies the flag.
func TestFidelityDecScope_FeatureFlagsCopy(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t)
	org := srv.DefaultOrganization().ID
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 1, Key: "beta", Name: "Beta", Active: true})
	srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 2, Key: "other", Name: "Other"})
	cp := &posthogapi.FeatureFlagCopy{FeatureFlagKey: "beta", FromProject: 1, TargetProjectIDs: []posthogapi.ProjectID{2}}
	for _, scopes := range [][]string{{"*"}, {"feature_flag:read"}, {"organization:write", "project:write"}} {
		c := retryingClient(t, srv, srv.NewAPIKey(scopes...))
		_, err := c.FeatureFlags.Copy(ctx, org, cp)
		var se *posthogapi.ScopeError
		if !errors.Is(err, posthogapi.ErrMissingScope) || !errors.As(err, &se) || se.Scope != "feature_flag:write" {
			t.Errorf("key %v: Copy = %v, want missing scope feature_flag:write", scopes, err)
		}
	}
	sent := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Status == 403 {
			sent++
		}
	}
	if sent != 3 {
		t.Errorf("%d refused copies reached the server, want 3 (none refused before sending)", sent)
	}
	c := retryingClient(t, srv, srv.NewAPIKey("feature_flag:write"))
	r, err := c.FeatureFlags.Copy(ctx, org, cp)
	if err != nil {
		t.Fatalf("feature_flag:write key: %v", err)
	}
	if len(r.Success) != 1 || r.Success[0].Key != "beta" || len(r.Failed) != 0 {
		t.Errorf("copy = %+v", r)
	}
	// Retrieve stays closed to every key, feature_flag:write included.
	if _, err := c.FeatureFlags.Get(ctx, org, "beta"); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("Get = %v", err)
	}
}
