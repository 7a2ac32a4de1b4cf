package posthogtest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hogkit/posthogapi"
)

// Project integrations, as PostHog serves them under
// /api/projects/{project_id}/integrations/ (PH posthog/api/integration.py
// IntegrationViewSet): list and retrieve, read by any member of the
// project's organization with integration:read. They hold the credentials
// batch export destinations link (see batchexports.go). Seed them with
// SeedIntegration, or create aws-s3 and s3-compatible ones through the API
// (POST, integration:write) and delete them (DELETE, integration:write).
// Not modelled: creating other kinds (PostHog contacts each provider or
// runs an OAuth flow; here they answer 400 "Kind not supported"), the AWS
// STS check of aws-s3 credentials, the SSRF check of an s3-compatible
// endpoint, the kind filter's choice validation, the per-kind actions
// (channels, github_repos ...), and the per-user visibility of "posthog"
// connections.

func init() { areaRegistrations = append(areaRegistrations, registerProjectIntegrations) }

func registerProjectIntegrations(s *Server) {
	const base = "/api/projects/{project_id}/integrations/"
	// PostHog: posthog/api/integration.py IntegrationViewSet
	// scope_object_read_actions (list, retrieve).
	s.route("GET "+base+"{$}", "integration:read", handleProjectIntegrationList)
	s.route("GET "+base+"{id}/{$}", "integration:read", handleProjectIntegrationGet)
	// PostHog: IntegrationViewSet scope_object_write_actions (create,
	// destroy).
	s.route("POST "+base+"{$}", "integration:write", handleProjectIntegrationCreate)
	s.route("DELETE "+base+"{id}/{$}", "integration:write", handleProjectIntegrationDelete)
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
	ID          posthogapi.ProjectIntegrationID
	ProjectID   posthogapi.ProjectID
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
func (s *Server) SeedIntegration(projectID posthogapi.ProjectID, kind ProjectIntegrationKind, displayName string) posthogapi.ProjectIntegrationID {
	s.mu.Lock()
	defer s.mu.Unlock()
	if areaState[projectsState](s).byID(int64(projectID)) == nil {
		panic(fmt.Sprintf("posthogtest: no project %d", projectID))
	}
	st := areaState[projectIntegrationsState](s)
	st.lastID++
	cfg := map[string]any{}
	if kind == IntegrationAWSRedshift {
		cfg["host"] = "redshift.example.internal"
	}
	st.items = append(st.items, &projectIntegration{
		id: st.lastID, teamID: int64(projectID), kind: kind, displayName: displayName,
		config: cfg, createdAt: s.now(), createdBy: s.defUser,
	})
	return posthogapi.ProjectIntegrationID(st.lastID)
}

// ProjectIntegrations returns the project's integrations, oldest first.
func (s *Server) ProjectIntegrations(projectID posthogapi.ProjectID) []ProjectIntegration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ProjectIntegration
	for _, in := range areaState[projectIntegrationsState](s).items {
		if in.teamID == int64(projectID) {
			out = append(out, ProjectIntegration{ID: posthogapi.ProjectIntegrationID(in.id), ProjectID: posthogapi.ProjectID(in.teamID), Kind: in.kind, DisplayName: in.displayName})
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

// handleProjectIntegrationCreate creates an aws-s3 or s3-compatible
// integration from a name and an access key.
// PostHog: posthog/api/integration.py IntegrationSerializer.create (any
// member of the project may create one: IntegrationViewSet
// dangerously_get_permissions), and posthog/models/integration
// AWSS3Integration / S3CompatibleIntegration.integration_from_config.
func handleProjectIntegrationCreate(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	var body struct {
		Kind   *string        `json:"kind"`
		Config map[string]any `json:"config"`
	}
	if !rc.decode(&body) {
		return
	}
	// PostHog: IntegrationSerializer (kind is a required model field).
	if body.Kind == nil {
		rc.required("kind")
		return
	}
	str := func(k string) (string, bool) {
		v, ok := body.Config[k].(string)
		return v, ok && v != ""
	}
	name, okName := str("name")
	_, okKey := str("aws_access_key_id")
	_, okSecret := str("aws_secret_access_key")
	st := areaState[projectIntegrationsState](rc.s)
	var cfg map[string]any
	var display string
	switch ProjectIntegrationKind(*body.Kind) {
	case IntegrationAWSS3:
		// PostHog: IntegrationSerializer.create (aws-s3).
		if !okName || !okKey || !okSecret {
			rc.invalid("invalid", "Name, access key ID, and secret access key must be provided", "")
			return
		}
		// PostHog validates the key with AWS STS GetCallerIdentity and keeps
		// the account ID; the fake cannot, and records a placeholder.
		cfg = map[string]any{"name": name, "aws_account_id": "000000000000"}
		display = name + " (AWS account 000000000000)"
	case IntegrationS3Compatible:
		endpoint, okEndpoint := str("endpoint_url")
		// PostHog: IntegrationSerializer.create (s3-compatible).
		if !okName || !okEndpoint || !okKey || !okSecret {
			rc.invalid("invalid", "Name, endpoint URL, access key ID, and secret access key must be provided", "")
			return
		}
		cfg = map[string]any{"name": name, "endpoint_url": endpoint}
		display = name + " (access key, " + endpoint + ")"
	default:
		rc.invalid("invalid", "Kind not supported", "")
		return
	}
	// PostHog: integration_from_config raises DuplicateNameError for a
	// name already used in the project (the name is the integration_id).
	for _, in := range st.items {
		if in.teamID == p.id && string(in.kind) == *body.Kind && in.config["name"] == name {
			rc.invalid("invalid", fmt.Sprintf("An integration named '%s' already exists", name), "")
			return
		}
	}
	st.lastID++
	in := &projectIntegration{
		id: st.lastID, teamID: p.id, kind: ProjectIntegrationKind(*body.Kind), displayName: display,
		config: cfg, createdAt: rc.s.now(), createdBy: rc.user,
	}
	st.items = append(st.items, in)
	rc.json(http.StatusCreated, projectIntegrationJSON(in))
}

// handleProjectIntegrationDelete deletes an integration no batch export
// uses. Organization admins may delete any; other members only those they
// created.
// PostHog: posthog/api/integration.py IntegrationViewSet.perform_destroy and
// IntegrationManagementPermission.has_object_permission.
func handleProjectIntegrationDelete(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	id, err := strconv.ParseInt(rc.r.PathValue("id"), 10, 64)
	st := areaState[projectIntegrationsState](rc.s)
	var in *projectIntegration
	if err == nil {
		in = st.byID(p.id, id)
	}
	if in == nil {
		rc.notFound()
		return
	}
	o := rc.s.orgByID(p.orgID)
	if m := o.membership(rc.user); m == nil || (m.level < LevelAdmin && in.createdBy != rc.user) {
		rc.forbidden("You do not have permission to perform this action.")
		return
	}
	// PostHog: perform_destroy refuses while batch exports use it, naming
	// them sorted (name, or ID when unnamed).
	var names []string
	for _, be := range areaState[batchExportsState](rc.s).exports {
		if !be.deleted && be.teamID == p.id && be.integration != nil && *be.integration == in.id {
			n := be.name
			if n == "" {
				n = be.id.String()
			}
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		rc.invalid("invalid", "This integration is used by batch exports: "+strings.Join(names, ", ")+
			". Update them to use a different integration before disconnecting it.", "")
		return
	}
	for i, x := range st.items {
		if x == in {
			st.items = append(st.items[:i], st.items[i+1:]...)
			break
		}
	}
	rc.noContent()
}
