package posthogtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Project integrations, as PostHog serves them under
// /api/projects/{project_id}/integrations/ (PH posthog/api/integration.py
// IntegrationViewSet): list and retrieve, read by any member of the
// project's organization with integration:read. They hold the credentials
// batch export destinations link (see batchexports.go). Seed them with
// SeedIntegration. Not modelled: creating them through the API (PostHog
// allows it with integration:write, per kind, contacting the provider),
// deleting them, the kind filter's choice validation, the per-kind actions
// (channels, github_repos ...), and the per-user visibility of "posthog"
// connections.

func init() { areaRegistrations = append(areaRegistrations, registerProjectIntegrations) }

func registerProjectIntegrations(s *Server) {
	const base = "/api/projects/{project_id}/integrations/"
	// PostHog: posthog/api/integration.py IntegrationViewSet
	// scope_object_read_actions (list, retrieve).
	s.route("GET "+base+"{$}", "integration:read", handleProjectIntegrationList)
	s.route("GET "+base+"{id}/{$}", "integration:read", handleProjectIntegrationGet)
}

// ProjectIntegrationKind is the kind of a project integration (PH
// posthog/models/integration.py Integration.IntegrationKind).
type ProjectIntegrationKind string

// Project integration kinds that batch export destinations link (PH
// products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination), and a few others.
const (
	IntegrationAWSS3                     ProjectIntegrationKind = "aws-s3"
	IntegrationS3Compatible              ProjectIntegrationKind = "s3-compatible"
	IntegrationAWSRedshift               ProjectIntegrationKind = "aws-redshift"
	IntegrationPostgreSQL                ProjectIntegrationKind = "postgresql"
	IntegrationSnowflake                 ProjectIntegrationKind = "snowflake"
	IntegrationDatabricks                ProjectIntegrationKind = "databricks"
	IntegrationAzureBlob                 ProjectIntegrationKind = "azure-blob"
	IntegrationGoogleCloudServiceAccount ProjectIntegrationKind = "google-cloud-service-account"
	IntegrationSlack                     ProjectIntegrationKind = "slack"
	IntegrationGitHub                    ProjectIntegrationKind = "github"
)

type projectIntegrationsState struct {
	items  []*projectIntegration
	lastID int64
}

type projectIntegration struct {
	id          int64
	teamID      int64
	kind        ProjectIntegrationKind
	displayName string
	config      map[string]any
	createdAt   time.Time
	createdBy   *user
	errors      string
}

// ProjectIntegration is a project integration of the server, as seeded.
type ProjectIntegration struct {
	ID          int64
	ProjectID   int64
	Kind        ProjectIntegrationKind
	DisplayName string
}

// SeedIntegration adds an integration of kind to the project, created by
// the default user, and returns its ID (IDs count from 1 on each server).
// Its config holds only non-secret settings; for a Redshift integration it
// holds a host, as a plain Redshift integration does. Batch exports created
// through /api/organizations/ go to the organization's first project, so
// seed the integrations they link there. It panics if there is no such
// project (a mistake in the test).
func (s *Server) SeedIntegration(projectID int64, kind ProjectIntegrationKind, displayName string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if areaState[projectsState](s).byID(projectID) == nil {
		panic(fmt.Sprintf("posthogtest: no project %d", projectID))
	}
	st := areaState[projectIntegrationsState](s)
	st.lastID++
	cfg := map[string]any{}
	if kind == IntegrationAWSRedshift {
		cfg["host"] = "redshift.example.internal"
	}
	st.items = append(st.items, &projectIntegration{
		id: st.lastID, teamID: projectID, kind: kind, displayName: displayName,
		config: cfg, createdAt: s.now(), createdBy: s.defUser,
	})
	return st.lastID
}

// ProjectIntegrations returns the project's integrations, oldest first.
func (s *Server) ProjectIntegrations(projectID int64) []ProjectIntegration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ProjectIntegration
	for _, in := range areaState[projectIntegrationsState](s).items {
		if in.teamID == projectID {
			out = append(out, ProjectIntegration{ID: in.id, ProjectID: in.teamID, Kind: in.kind, DisplayName: in.displayName})
		}
	}
	return out
}

// byID returns the integration with that ID in the team, or nil (PH
// posthog/api/scoped_related_fields.py TeamScopedPrimaryKeyRelatedField:
// other teams' integrations do not exist for a request).
func (st *projectIntegrationsState) byID(teamID, id int64) *projectIntegration {
	for _, in := range st.items {
		if in.id == id && in.teamID == teamID {
			return in
		}
	}
	return nil
}

func projectIntegrationJSON(in *projectIntegration) map[string]any {
	// PH posthog/api/integration.py IntegrationSerializer.Meta.fields; the
	// Slack and GitHub method fields are null or false for other kinds.
	var installationStatus any
	if in.kind == IntegrationGitHub {
		installationStatus = "connected"
	}
	var installationShared any
	if in.kind == IntegrationGitHub {
		installationShared = false
	}
	return map[string]any{
		"id": in.id, "kind": in.kind, "config": deepCopyMap(in.config), "created_at": in.createdAt,
		"created_by": userBasicJSON(in.createdBy), "errors": in.errors, "display_name": in.displayName,
		"files_write_requestable": in.kind == IntegrationSlack,
		"installation_shared":     installationShared, "installation_status": installationStatus,
	}
}

// projectFromProjectPath resolves {project_id} for routes under
// /api/projects/: 404 for an unknown project or one whose organization the
// caller is not a member of (PH posthog/api/routing.py
// TeamAndOrgViewSetMixin, which only finds teams of the user's
// organizations), 403 when the key is scoped to other organizations.
func (rc *reqCtx) projectFromProjectPath() *project {
	id, err := strconv.ParseInt(rc.r.PathValue("project_id"), 10, 64)
	var p *project
	if err == nil {
		p = areaState[projectsState](rc.s).byID(id)
	}
	if p == nil {
		rc.notFound()
		return nil
	}
	if _, m := rc.lookupOrg(p.orgID.String()); m == nil {
		return nil
	}
	return p
}

func handleProjectIntegrationList(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	kind := rc.r.URL.Query().Get("kind")
	out := []map[string]any{}
	// PH IntegrationViewSet.queryset: ordered by created_at, id.
	for _, in := range areaState[projectIntegrationsState](rc.s).items {
		if in.teamID == p.id && (kind == "" || string(in.kind) == kind) {
			out = append(out, projectIntegrationJSON(in))
		}
	}
	page(rc, out)
}

// PostHog: posthog/api/integration.py IntegrationViewSet.retrieve.
func handleProjectIntegrationGet(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	id, err := strconv.ParseInt(rc.r.PathValue("id"), 10, 64)
	var in *projectIntegration
	if err == nil {
		in = areaState[projectIntegrationsState](rc.s).byID(p.id, id)
	}
	if in == nil {
		rc.notFound()
		return
	}
	rc.json(http.StatusOK, projectIntegrationJSON(in))
}
