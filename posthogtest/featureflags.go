package posthogtest

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func registerFeatureFlags(s *Server) {
	const base = "/api/organizations/{organization_id}/feature_flags/"
	// PostHog: organization_feature_flag.py OrganizationFeatureFlagView
	// (newest, products/feature_flags/backend/api/, read_file id
	// 54535175027) has scope_object "INTERNAL"; its copy_flags action names
	// required_scopes ["feature_flag:write"], which only a key naming that
	// scope has ("*" does not stand for it on an INTERNAL viewset,
	// posthog/permissions.py APIScopePermission.has_permission); retrieve
	// names none, so every personal API key is refused there.
	s.route("POST "+base+"copy_flags/{$}", onInternalViewset("feature_flag:write"), handleFeatureFlagCopy)
	s.route("GET "+base+"{feature_flag_key}/{$}", noScope, handleFeatureFlagRetrieve)
}

type flagState struct {
	flags  map[uuid.UUID][]*featureFlag // by organization, oldest first
	nextID int64
}

type featureFlag struct {
	id         int64
	projectID  int64
	key, name  string
	filters    map[string]any
	active     bool
	deleted    bool
	version    int
	createdBy  *user
	modifiedBy *user
	createdAt  time.Time
	updatedAt  time.Time
}

// FeatureFlagSeed describes a project's feature flag to add with
// AddFeatureFlag.
type FeatureFlagSeed struct {
	// ProjectID is the project (and environment) the flag lives in. A
	// project with a seeded flag counts as a project of the organization
	// for copies, alongside the projects area's projects.
	ProjectID posthogapi.ProjectID
	Key, Name string
	Active    bool
	// Filters are the flag's conditions; nil means one group rolled out
	// to everyone.
	Filters map[string]any
	// Deleted seeds a soft-deleted flag, which lookups skip.
	Deleted bool
}

// FeatureFlag is a project's feature flag, as the state holds it.
type FeatureFlag struct {
	ID        int64
	ProjectID posthogapi.ProjectID
	Key, Name string
	Active    bool
	Filters   map[string]any
	Deleted   bool
}

// AddFeatureFlag adds a feature flag to one of the organization's projects
// and returns its ID. The default user is its creator.
func (s *Server) AddFeatureFlag(orgID posthogapi.OrganizationID, seed FeatureFlagSeed) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &featureFlag{
		projectID: int64(seed.ProjectID), key: seed.Key, name: seed.Name, active: seed.Active,
		filters: seed.Filters, deleted: seed.Deleted, createdBy: s.defUser,
	}
	if f.filters == nil {
		f.filters = map[string]any{"groups": []any{map[string]any{"properties": []any{}, "rollout_percentage": 100}}}
	}
	s.addFlag(uuid.UUID(orgID), f)
	return f.id
}

// FeatureFlags returns the organization's feature flags, deleted ones
// included, oldest first.
func (s *Server) FeatureFlags(orgID posthogapi.OrganizationID) []FeatureFlag {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []FeatureFlag
	for _, f := range s.areas.flag.flags[uuid.UUID(orgID)] {
		out = append(out, FeatureFlag{ID: f.id, ProjectID: posthogapi.ProjectID(f.projectID), Key: f.key, Name: f.name,
			Active: f.active, Filters: f.filters, Deleted: f.deleted})
	}
	return out
}

// addFlag stores f with a fresh ID. Callers hold s.mu.
func (s *Server) addFlag(orgID uuid.UUID, f *featureFlag) {
	st := &s.areas.flag
	if st.flags == nil {
		st.flags = map[uuid.UUID][]*featureFlag{}
	}
	st.nextID++
	f.id = st.nextID
	now := s.now()
	f.createdAt, f.updatedAt = now, now
	st.flags[orgID] = append(st.flags[orgID], f)
}

// findFlag returns the live flag with key in project, or nil.
func (st *flagState) findFlag(orgID uuid.UUID, project int64, key string) *featureFlag {
	for _, f := range st.flags[orgID] {
		if f.projectID == project && f.key == key && !f.deleted {
			return f
		}
	}
	return nil
}

// flagProjectExists reports whether project belongs to the organization:
// one of the projects area's projects, or a project with a seeded flag.
func (s *Server) flagProjectExists(o *org, project int64) bool {
	for _, p := range s.orgProjects(o) {
		if id, ok := jsonInt(p["id"]); ok && id == project {
			return true
		}
	}
	for _, f := range s.areas.flag.flags[o.id] {
		if f.projectID == project {
			return true
		}
	}
	return false
}

func isSimpleFlag(f *featureFlag) (bool, any) {
	groups, _ := f.filters["groups"].([]any)
	if len(groups) != 1 {
		return false, nil
	}
	g, _ := groups[0].(map[string]any)
	props, _ := g["properties"].([]any)
	if len(props) != 0 {
		return false, nil
	}
	return true, g["rollout_percentage"]
}

// featureFlagJSON is FeatureFlagSerializer's output for f.
func featureFlagJSON(f *featureFlag) map[string]any {
	simple, rollout := isSimpleFlag(f)
	status := "ACTIVE"
	if !f.active {
		status = "INACTIVE"
	}
	var modifiedBy any
	if f.modifiedBy != nil {
		modifiedBy = userBasicJSON(f.modifiedBy)
	}
	var createdBy any
	if f.createdBy != nil {
		createdBy = userBasicJSON(f.createdBy)
	}
	return map[string]any{
		"id": f.id, "name": f.name, "key": f.key, "filters": f.filters, "deleted": f.deleted,
		"active": f.active, "created_by": createdBy, "created_at": f.createdAt, "updated_at": f.updatedAt,
		"version": f.version, "last_modified_by": modifiedBy, "is_simple_flag": simple,
		"rollout_percentage": rollout, "ensure_experience_continuity": false,
		"experiment_set": []int64{}, "surveys": []any{}, "features": []any{},
		"rollback_conditions": nil, "performed_rollback": nil, "can_edit": true, "tags": []string{},
		"usage_dashboard": nil, "analytics_dashboards": []int64{}, "has_enriched_analytics": false,
		"user_access_level": "editor", "is_remote_configuration": false, "has_encrypted_payloads": false,
		"status": status, "evaluation_runtime": "all", "last_called_at": nil,
	}
}

// PostHog: posthog/api/organization_feature_flag.py
// OrganizationFeatureFlagView.retrieve.
func handleFeatureFlagRetrieve(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	key := rc.r.PathValue("feature_flag_key")
	if key == "copy_flags" {
		// DRF matches the copy_flags action route (POST only) first.
		rc.error(http.StatusMethodNotAllowed, "invalid_request", "method_not_allowed", `Method "GET" not allowed.`, "")
		return
	}
	out := []map[string]any{}
	for _, f := range rc.s.areas.flag.flags[o.id] {
		if f.key != key || f.deleted {
			continue
		}
		var createdBy any
		if f.createdBy != nil {
			createdBy = userBasicJSON(f.createdBy)
		}
		out = append(out, map[string]any{
			"flag_id": f.id, "team_id": f.projectID, "created_by": createdBy,
			"filters": f.filters, "created_at": f.createdAt, "active": f.active,
		})
	}
	rc.json(http.StatusOK, out)
}

// flagError answers the view's own {"error": ...} body.
// PostHog: posthog/api/organization_feature_flag.py
// OrganizationFeatureFlagView (its own {"error": ...} bodies).
func (rc *reqCtx) flagError(status int, msg string) {
	rc.json(status, map[string]string{"error": msg})
}

// PostHog: posthog/api/organization_feature_flag.py
// OrganizationFeatureFlagView.copy_flags.
func handleFeatureFlagCopy(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	var body struct {
		FeatureFlagKey   string  `json:"feature_flag_key"`
		FromProject      int64   `json:"from_project"`
		TargetProjectIDs []int64 `json:"target_project_ids"`
		CopySchedule     bool    `json:"copy_schedule"`
	}
	if !rc.decode(&body) {
		return
	}
	if body.FeatureFlagKey == "" || body.FromProject == 0 || len(body.TargetProjectIDs) == 0 {
		rc.flagError(http.StatusBadRequest, "Missing required fields")
		return
	}
	st := &rc.s.areas.flag
	src := st.findFlag(o.id, body.FromProject, body.FeatureFlagKey)
	if src == nil {
		rc.flagError(http.StatusBadRequest, "Feature flag to copy does not exist.")
		return
	}
	success, failed := []map[string]any{}, []map[string]any{}
	for _, target := range body.TargetProjectIDs {
		if !rc.s.flagProjectExists(o, target) {
			failed = append(failed, map[string]any{"project_id": target, "errors": "Target project does not exist."})
			continue
		}
		f := st.findFlag(o.id, target, src.key)
		if f == nil {
			f = &featureFlag{projectID: target, key: src.key, createdBy: rc.user}
			rc.s.addFlag(o.id, f)
		} else {
			f.version++
			f.updatedAt = rc.s.now()
		}
		f.name, f.active, f.filters, f.modifiedBy = src.name, src.active, src.filters, rc.user
		success = append(success, featureFlagJSON(f))
	}
	rc.json(http.StatusOK, map[string]any{"success": success, "failed": failed})
}
