package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
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

func registerProjectIntegrations(s *Server) {
	const base = "/api/projects/{project_id}/integrations/"
	// PostHog: posthog/api/integration.py IntegrationViewSet
	// scope_object_read_actions (list, retrieve) and
	// scope_object_write_actions (create, destroy).
	s.routeViewSet(base, viewSet{scopeObject: "integration",
		list: handleProjectIntegrationList, create: handleProjectIntegrationCreate,
		retrieve: handleProjectIntegrationGet, destroy: handleProjectIntegrationDelete})
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
	id     int64
	teamID int64
	kind   ProjectIntegrationKind
	// externalID is the model's integration_id (not in the answer).
	externalID  string
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
	if s.areas.projects.byID(int64(projectID)) == nil {
		panic(fmt.Sprintf("posthogtest: no project %d", projectID))
	}
	st := &s.areas.projectIntegrations
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
	for _, in := range s.areas.projectIntegrations.items {
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
		p = rc.s.areas.projects.byID(id)
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
	for _, in := range rc.s.areas.projectIntegrations.items {
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
		in = rc.s.areas.projectIntegrations.byID(p.id, id)
	}
	if in == nil {
		rc.notFound()
		return
	}
	rc.json(http.StatusOK, projectIntegrationJSON(in))
}

// integrationKinds are the choices of Integration.kind (PH
// posthog/models/integration/model.py Integration.IntegrationKind).
var integrationKinds = map[string]bool{
	"anthropic": true, "apns": true, "aws-redshift": true, "aws-s3": true, "azure-blob": true,
	"bing-ads": true, "clickup": true, "customerio-app": true, "customerio-track": true,
	"customerio-webhook": true, "databricks": true, "ebay": true, "email": true, "firebase": true,
	"github": true, "gitlab": true, "google-ads": true, "google-analytics": true,
	"google-calendar": true, "google-cloud-service-account": true, "google-cloud-storage": true,
	"google-pubsub": true, "google-search-console": true, "google-sheets": true, "hubspot": true,
	"instagram": true, "intercom": true, "jira": true, "linear": true, "linkedin-ads": true,
	"meta-ads": true, "pardot": true, "pinterest-ads": true, "postgresql": true, "posthog": true,
	"reddit-ads": true, "resend": true, "s3-compatible": true, "salesforce": true, "slack": true,
	"slack-posthog-code": true, "snapchat": true, "snowflake": true, "stripe": true,
	"tiktok-ads": true, "twilio": true, "vercel": true, "youtube-analytics": true,
}

// awsRoleARN is PostHog's AWS_ROLE_ARN_RE (posthog/models/integration/aws.py),
// which Python's re.match anchors at the start only.
var awsRoleARN = regexp.MustCompile(`^arn:aws(-[a-z-]+)?:iam::\d{12}:role/.+`)

// handleProjectIntegrationCreate creates an aws-s3 integration (from an
// access key or from a role ARN) or an s3-compatible one; other valid kinds
// answer "Kind not supported" here.
// PostHog: posthog/api/integration.py IntegrationSerializer.validate_kind,
// create and _build_integration (any member of the project may create one:
// IntegrationViewSet dangerously_get_permissions), and
// posthog/models/integration/aws.py AWSCredentialsIntegration,
// AWSRoleBasedIntegration and S3CompatibleIntegration.integration_from_config
// with posthog/models/integration/common.py _return_non_empty_str_from_config.
func handleProjectIntegrationCreate(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	var body struct {
		Kind   json.RawMessage `json:"kind"`
		Config map[string]any  `json:"config"`
	}
	if !rc.decode(&body) {
		return
	}
	// PostHog: IntegrationSerializer, kind a required model choices field
	// (DRF ChoiceField), then validate_kind.
	if body.Kind == nil {
		rc.required("kind")
		return
	}
	if isNull(body.Kind) {
		rc.invalid("null", "This field may not be null.", "kind")
		return
	}
	kind := drfText(body.Kind)
	if !integrationKinds[kind] {
		rc.invalid("invalid_choice", fmt.Sprintf("\"%s\" is not a valid choice.", kind), "kind")
		return
	}
	if kind == "slack-posthog-code" {
		rc.invalid("invalid_input", "This integration kind is deprecated and can no longer be created.", "kind")
		return
	}
	// required is common._return_non_empty_str_from_config: a non-empty
	// string, else "<what> is required for <kind> integration".
	required := func(key, what, kindName string) (string, bool) {
		if v, ok := body.Config[key].(string); ok && v != "" {
			return v, true
		}
		rc.invalid("invalid_input", what+" is required for "+kindName+" integration", "")
		return "", false
	}
	st := &rc.s.areas.projectIntegrations
	var name, display string
	var cfg map[string]any
	switch ProjectIntegrationKind(kind) {
	case IntegrationAWSS3:
		var ok bool
		if name, ok = required("name", "A name", "AWS"); !ok {
			return
		}
		if _, role := body.Config["aws_role_arn"]; role {
			// PostHog: AWSRoleBasedIntegration.integration_from_config.
			arn, ok := required("aws_role_arn", "A valid role ARN", "AWS")
			if !ok {
				return
			}
			if rc.s.awsRoleInOtherOrg(arn, p.orgID) {
				// PostHog: is_unique_aws_role_by_organization_id.
				rc.invalid("invalid_input", "Cannot create AWS integration: Invalid role", "")
				return
			}
			if !awsRoleARN.MatchString(arn) {
				// PostHog: validate_aws_role_arn (before it asks AWS STS to
				// assume the role with external id posthog-<organization
				// id>, which the fake cannot).
				rc.invalid("invalid_input", "AWS role ARN is not valid", "")
				return
			}
			cfg = map[string]any{"name": name, "aws_role_arn": arn}
			display = fmt.Sprintf("%s (AWS role '%s')", name, arn)
			break
		}
		// PostHog: AWSCredentialsIntegration.integration_from_config.
		if _, ok := required("aws_access_key_id", "Access key ID", "AWS"); !ok {
			return
		}
		if _, ok := required("aws_secret_access_key", "Secret access key", "AWS"); !ok {
			return
		}
		// PostHog validates the key with AWS STS GetCallerIdentity and keeps
		// the account ID; the fake cannot, and records a placeholder.
		cfg = map[string]any{"name": name, "aws_account_id": "000000000000"}
		display = name + " (AWS account 000000000000)"
	case IntegrationS3Compatible:
		// PostHog: S3CompatibleIntegration.integration_from_config (the
		// endpoint is checked last).
		var ok bool
		if name, ok = required("name", "A name", "S3-compatible"); !ok {
			return
		}
		if _, ok := required("aws_access_key_id", "Access key ID", "S3-compatible"); !ok {
			return
		}
		if _, ok := required("aws_secret_access_key", "Secret access key", "S3-compatible"); !ok {
			return
		}
		endpoint, ok := required("endpoint_url", "Endpoint URL", "S3-compatible")
		if !ok {
			return
		}
		cfg = map[string]any{"name": name, "endpoint_url": endpoint}
		display = name + " (access key, " + endpoint + ")"
	default:
		// PostHog creates the other kinds by contacting their provider or
		// through an OAuth flow; the fake does not.
		rc.invalid("invalid", "Kind not supported", "")
		return
	}
	// PostHog: aws.py _create_unique_named_integration raises
	// DuplicateNameError for a name already used in the project (the name is
	// the integration_id, unique per team and kind).
	for _, in := range st.items {
		if in.teamID == p.id && string(in.kind) == kind && in.config["name"] == name {
			rc.invalid("invalid", fmt.Sprintf("An integration named '%s' already exists", name), "")
			return
		}
	}
	st.lastID++
	in := &projectIntegration{
		id: st.lastID, teamID: p.id, kind: ProjectIntegrationKind(kind), displayName: display,
		config: cfg, createdAt: rc.s.now(), createdBy: rc.user,
	}
	st.items = append(st.items, in)
	rc.json(http.StatusCreated, projectIntegrationJSON(in))
}

// awsRoleInOtherOrg reports whether an aws-s3 or aws-redshift integration of
// another organization holds the role ARN.
// PostHog: posthog/models/integration/aws.py is_unique_aws_role_by_organization_id.
func (s *Server) awsRoleInOtherOrg(arn string, orgID uuid.UUID) bool {
	projects := &s.areas.projects
	for _, in := range s.areas.projectIntegrations.items {
		if (in.kind != IntegrationAWSS3 && in.kind != IntegrationAWSRedshift) || in.config["aws_role_arn"] != arn {
			continue
		}
		if p := projects.byID(in.teamID); p != nil && p.orgID != orgID {
			return true
		}
	}
	return false
}

// handleProjectIntegrationDelete deletes an integration no batch export
// uses. Only project admins may delete one.
// PostHog: posthog/api/integration.py IntegrationViewSet.perform_destroy and
// IntegrationManagementPermission.has_object_permission.
func handleProjectIntegrationDelete(rc *reqCtx) {
	p := rc.projectFromProjectPath()
	if p == nil {
		return
	}
	id, err := strconv.ParseInt(rc.r.PathValue("id"), 10, 64)
	st := &rc.s.areas.projectIntegrations
	var in *projectIntegration
	if err == nil {
		in = st.byID(p.id, id)
	}
	if in == nil {
		rc.notFound()
		return
	}
	// PostHog: IntegrationManagementPermission inherits
	// TeamMemberStrictManagementPermission (posthog/permissions.py) and its
	// message; Integration.can_be_managed_by_creator (the creator exception
	// PostHog's comments describe for Google account removal) is not
	// modelled: the fake refuses every member below admin (stricter).
	o := rc.s.orgByID(p.orgID)
	if m := o.membership(rc.user); m == nil || m.level < LevelAdmin {
		rc.forbidden("You don't have sufficient permissions in the project.")
		return
	}
	// PostHog: perform_destroy refuses while batch exports use it, naming
	// them sorted (name, or ID when unnamed).
	var names []string
	for _, be := range rc.s.areas.batchExports.exports {
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
	removeItem(&st.items, in)
	rc.noContent()
}
