package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"time"
)

// Project integrations live under /api/projects/{project_id}/integrations/
// (PostHog: posthog/api/integration.py IntegrationViewSet, scope object
// "integration"). They hold the credentials of batch export destinations
// (BatchExportDestinationRequest.IntegrationID) and of other PostHog
// features. This package lists and reads them with the methods
// Integrations.ListForProject, AllForProject and GetForProject, creates
// them with CreateForProject and deletes them with DeleteForProject.
//
// PostHog lets any project member's personal API key with
// integration:write create one (posthog/api/integration.py
// IntegrationSerializer.create). Each kind has its own config: the S3
// kinds take a plain name and an access key, or for aws-s3 a role ARN
// (AWSS3IntegrationConfig, S3CompatibleIntegrationConfig); the others are sent as an
// IntegrationConfigMap, and several of them (OAuth kinds, key-file uploads)
// cannot be created with an API key at all.

// ProjectIntegrationKind is the external system of a project integration.
type ProjectIntegrationKind string

// Project integration kinds used by batch exports (PostHog:
// posthog/models/integration.py Integration.IntegrationKind), and a few
// common others. PostHog knows many more; other values decode as they come.
const (
	ProjectIntegrationAWSS3                     ProjectIntegrationKind = "aws-s3"
	ProjectIntegrationS3Compatible              ProjectIntegrationKind = "s3-compatible"
	ProjectIntegrationAWSRedshift               ProjectIntegrationKind = "aws-redshift"
	ProjectIntegrationPostgreSQL                ProjectIntegrationKind = "postgresql"
	ProjectIntegrationSnowflake                 ProjectIntegrationKind = "snowflake"
	ProjectIntegrationDatabricks                ProjectIntegrationKind = "databricks"
	ProjectIntegrationAzureBlob                 ProjectIntegrationKind = "azure-blob"
	ProjectIntegrationGoogleCloudServiceAccount ProjectIntegrationKind = "google-cloud-service-account"
	ProjectIntegrationSlack                     ProjectIntegrationKind = "slack"
	ProjectIntegrationGitHub                    ProjectIntegrationKind = "github"
	ProjectIntegrationEmail                     ProjectIntegrationKind = "email"
	ProjectIntegrationTwilio                    ProjectIntegrationKind = "twilio"
)

// projectIntegrationSlackPostHogCode is a kind PostHog keeps among its
// choices but refuses to create.
const projectIntegrationSlackPostHogCode ProjectIntegrationKind = "slack-posthog-code"

// ProjectIntegration is a project integration as PostHog sends it. PostHog
// never sends its secrets (they are kept apart from Config).
type ProjectIntegration struct {
	ID   ProjectIntegrationID   `json:"id"`
	Kind ProjectIntegrationKind `json:"kind"`
	// Config holds the integration's non-secret settings (a bucket region,
	// an account name ...); the shape depends on Kind.
	Config map[string]any `json:"config"`
	// DisplayName is PostHog's label for the integration (an account,
	// workspace or host name).
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
	// CreatedBy is nil once the creating user is deleted.
	CreatedBy *UserBasic `json:"created_by"`
	// Errors is PostHog's last error with the integration (such as a token
	// that could not be refreshed), "" when none.
	Errors string `json:"errors"`
	// FilesWriteRequestable (Slack), InstallationShared and
	// InstallationStatus (GitHub) are sent by newer PostHog versions; nil
	// otherwise.
	FilesWriteRequestable *bool   `json:"files_write_requestable,omitempty"`
	InstallationShared    *bool   `json:"installation_shared,omitempty"`
	InstallationStatus    *string `json:"installation_status,omitempty"`
}

// ProjectIntegrationListOptions filters and pages Integrations.ListForProject.
type ProjectIntegrationListOptions struct {
	ListOptions
	// Kind keeps only integrations of one kind.
	Kind ProjectIntegrationKind `url:"kind,omitempty"`
}

// ListForProject returns one page of the project's integrations, oldest
// first.
//
// API: GET /api/projects/{project_id}/integrations/ (scope integration:read)
func (s *IntegrationsService) ListForProject(ctx context.Context, project ProjectID, opts *ProjectIntegrationListOptions) (*Page[ProjectIntegration], error) {
	return list[ProjectIntegration](ctx, s.client, at("projects", project, "integrations"), opts)
}

// AllForProject iterates over every integration of the project, fetching
// pages as needed, with the checks of every iterator (next links only on
// the configured host and under /api/, progress).
//
// API: GET /api/projects/{project_id}/integrations/ (scope integration:read)
func (s *IntegrationsService) AllForProject(ctx context.Context, project ProjectID, opts *ProjectIntegrationListOptions) iter.Seq2[*ProjectIntegration, error] {
	return iterate[ProjectIntegration](ctx, s.client, at("projects", project, "integrations"), opts)
}

// GetForProject returns one integration of the project.
//
// API: GET /api/projects/{project_id}/integrations/{id}/ (scope integration:read)
func (s *IntegrationsService) GetForProject(ctx context.Context, project ProjectID, id ProjectIntegrationID) (*ProjectIntegration, error) {
	return get[ProjectIntegration](ctx, s.client, at("projects", project, "integrations", id), nil)
}

// ProjectIntegrationConfig is the config of a ProjectIntegrationCreate:
// AWSS3IntegrationConfig, S3CompatibleIntegrationConfig or, for other
// kinds, IntegrationConfigMap.
type ProjectIntegrationConfig interface {
	// integrationKind is the kind the config is for ("" for any).
	integrationKind() ProjectIntegrationKind
}

// AWSS3IntegrationConfig is the config of an aws-s3 integration: a name
// unique among the project's aws-s3 integrations and either an access key
// (AccessKeyID and SecretAccessKey) or the ARN of a role in your AWS account
// (RoleARN), never both: PostHog uses the role as soon as aws_role_arn is
// sent and ignores the key. PostHog checks a key with AWS STS and keeps
// only the name and the AWS account ID in the integration's visible
// config; for a role it checks the ARN's form (AWSRoleARNPattern), that no
// other organization uses the role, and that its own AWS role can assume
// it with the external ID AWSRoleExternalID(organization) and not without
// one. Printing it redacts the key.
type AWSS3IntegrationConfig struct {
	Name            string `json:"name"`
	AccessKeyID     string `json:"aws_access_key_id,omitempty"`
	SecretAccessKey string `json:"aws_secret_access_key,omitempty"`
	// RoleARN is the role PostHog assumes (arn:aws:iam::<12-digit
	// account>:role/<name>), instead of an access key.
	RoleARN string `json:"aws_role_arn,omitempty"`
}

func (AWSS3IntegrationConfig) integrationKind() ProjectIntegrationKind {
	return ProjectIntegrationAWSS3
}

// AWSRoleARNPattern is the form PostHog requires of an aws-s3 integration's
// role ARN (PostHog's AWS_ROLE_ARN_RE, posthog/models/integration/aws.py).
const AWSRoleARNPattern = `^arn:aws(-[a-z-]+)?:iam::\d{12}:role/.+`

var awsRoleARNRE = regexp.MustCompile(AWSRoleARNPattern)

// AWSRoleExternalID is the external ID PostHog gives when it assumes the
// role of an aws-s3 integration of the organization: "posthog-" and the
// organization's ID (posthog/models/integration/aws.py
// AWSRoleBasedIntegration.integration_from_config). The role's trust policy
// must require it.
func AWSRoleExternalID(org OrganizationID) string { return "posthog-" + org.String() }

// validate checks the config as PostHog's integration_from_config does, in
// its order and with its messages.
func (c AWSS3IntegrationConfig) validate() error {
	hasKey := c.AccessKeyID != "" || c.SecretAccessKey != ""
	switch {
	case c.Name == "":
		return fmt.Errorf("%w: A name is required for AWS integration", ErrInvalidArgument)
	case c.RoleARN != "" && hasKey:
		return fmt.Errorf("%w: an aws-s3 integration takes either an access key or a role ARN, not both (PostHog would use the role and ignore the key)", ErrInvalidArgument)
	case c.RoleARN != "":
		if !awsRoleARNRE.MatchString(c.RoleARN) {
			return fmt.Errorf("%w: AWS role ARN is not valid (it must match %s)", ErrInvalidArgument, AWSRoleARNPattern)
		}
	case c.AccessKeyID == "":
		return fmt.Errorf("%w: Access key ID is required for AWS integration (or set RoleARN)", ErrInvalidArgument)
	case c.SecretAccessKey == "":
		return fmt.Errorf("%w: Secret access key is required for AWS integration", ErrInvalidArgument)
	}
	return nil
}

var s3IntegrationSecrets = []string{"aws_access_key_id", "aws_secret_access_key"}

// String describes the config with the access key redacted.
func (c AWSS3IntegrationConfig) String() string {
	return redactedString("", c, s3IntegrationSecrets...)
}

// GoString is String for %#v.
func (c AWSS3IntegrationConfig) GoString() string {
	return redactedString("posthogapi.AWSS3IntegrationConfig", c, s3IntegrationSecrets...)
}

// S3CompatibleIntegrationConfig is the config of an s3-compatible
// integration (Cloudflare R2, MinIO ...): a name unique among the project's
// s3-compatible integrations, the endpoint URL (PostHog refuses internal
// addresses) and an access key. Printing it redacts the key.
type S3CompatibleIntegrationConfig struct {
	Name            string `json:"name"`
	EndpointURL     string `json:"endpoint_url"`
	AccessKeyID     string `json:"aws_access_key_id"`
	SecretAccessKey string `json:"aws_secret_access_key"`
}

func (S3CompatibleIntegrationConfig) integrationKind() ProjectIntegrationKind {
	return ProjectIntegrationS3Compatible
}

// String describes the config with the access key redacted.
func (c S3CompatibleIntegrationConfig) String() string {
	return redactedString("", c, s3IntegrationSecrets...)
}

// GoString is String for %#v.
func (c S3CompatibleIntegrationConfig) GoString() string {
	return redactedString("posthogapi.S3CompatibleIntegrationConfig", c, s3IntegrationSecrets...)
}

// IntegrationConfigMap is the config of an integration of another kind,
// with the keys PostHog's IntegrationSerializer.create reads for it (for
// example postgresql: host, port, user, password, ssl_mode; databricks:
// server_hostname, client_id, client_secret). Printing it redacts every
// value, since most of them are credentials.
type IntegrationConfigMap map[string]any

func (IntegrationConfigMap) integrationKind() ProjectIntegrationKind { return "" }

// String lists the keys with every value redacted.
func (m IntegrationConfigMap) String() string {
	return redactedString("", map[string]any(m), m.keys()...)
}

// GoString is String for %#v.
func (m IntegrationConfigMap) GoString() string {
	return redactedString("posthogapi.IntegrationConfigMap", map[string]any(m), m.keys()...)
}

func (m IntegrationConfigMap) keys() []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ProjectIntegrationCreate is the body of Integrations.CreateForProject.
// Kind and Config are required; a typed Config must be of its Kind.
// Printing it redacts the config's secrets.
type ProjectIntegrationCreate struct {
	Kind   ProjectIntegrationKind   `json:"kind"`
	Config ProjectIntegrationConfig `json:"config"`
}

// String describes the request with the config's secrets redacted.
func (c ProjectIntegrationCreate) String() string {
	return fmt.Sprintf("{kind:%q config:%v}", c.Kind, c.Config)
}

// GoString is String for %#v.
func (c ProjectIntegrationCreate) GoString() string {
	return fmt.Sprintf("posthogapi.ProjectIntegrationCreate{kind:%q config:%#v}", c.Kind, c.Config)
}

func (c *ProjectIntegrationCreate) validate() error {
	if c == nil || c.Kind == "" || c.Config == nil {
		return fmt.Errorf("%w: an integration needs a kind and a config", ErrInvalidArgument)
	}
	if k := c.Config.integrationKind(); k != "" && k != c.Kind {
		return fmt.Errorf("%w: a %T is the config of a %s integration, not %s", ErrInvalidArgument, c.Config, k, c.Kind)
	}
	if k := c.Config.integrationKind(); k == "" && (c.Kind == ProjectIntegrationAWSS3 || c.Kind == ProjectIntegrationS3Compatible) {
		return fmt.Errorf("%w: use AWSS3IntegrationConfig or S3CompatibleIntegrationConfig for a %s integration", ErrInvalidArgument, c.Kind)
	}
	if c.Kind == projectIntegrationSlackPostHogCode {
		// PostHog: posthog/api/integration.py IntegrationSerializer.validate_kind.
		return fmt.Errorf("%w: This integration kind is deprecated and can no longer be created", ErrInvalidArgument)
	}
	switch cfg := c.Config.(type) {
	case AWSS3IntegrationConfig:
		return cfg.validate()
	case S3CompatibleIntegrationConfig:
		// PostHog: posthog/models/integration/aws.py
		// S3CompatibleIntegration.integration_from_config (endpoint last).
		for _, f := range []struct{ v, what string }{
			{cfg.Name, "A name"}, {cfg.AccessKeyID, "Access key ID"},
			{cfg.SecretAccessKey, "Secret access key"}, {cfg.EndpointURL, "Endpoint URL"},
		} {
			if f.v == "" {
				return fmt.Errorf("%w: %s is required for S3-compatible integration", ErrInvalidArgument, f.what)
			}
		}
	}
	return nil
}

// CreateForProject creates an integration in the project and returns it
// (without its secrets). Any member of the project may create one. PostHog
// answers 400 (ErrValidation) for a name already used by an integration of
// the kind, credentials the provider refuses, and kinds that need an OAuth
// flow or a file upload.
//
// API: POST /api/projects/{project_id}/integrations/ (scope integration:write)
func (s *IntegrationsService) CreateForProject(ctx context.Context, project ProjectID, req *ProjectIntegrationCreate) (*ProjectIntegration, error) {
	return send[ProjectIntegration](ctx, s.client, http.MethodPost, at("projects", project, "integrations").check(req.validate()), req)
}

// DeleteForProject deletes an integration of the project. It needs a
// project admin (PostHog's IntegrationManagementPermission: 403 "You don't
// have sufficient permissions in the project." otherwise); do not count on
// a member being able to delete one they created (PostHog's creator
// exception, Integration.can_be_managed_by_creator, is described for
// Google accounts and not known to cover other kinds). PostHog
// refuses (400, ErrValidation) while a batch export, an enabled data
// pipeline or an active workflow uses it, naming them: "This integration is
// used by batch exports: ... Update them to use a different integration
// before disconnecting it."
//
// API: DELETE /api/projects/{project_id}/integrations/{id}/ (scope integration:write)
func (s *IntegrationsService) DeleteForProject(ctx context.Context, project ProjectID, id ProjectIntegrationID) error {
	return del(ctx, s.client, at("projects", project, "integrations", id))
}
