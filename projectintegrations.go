package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// Project integrations live under /api/projects/{project_id}/integrations/
// (PostHog: posthog/api/integration.py IntegrationViewSet, scope object
// "integration"). They hold the credentials of batch export destinations
// (BatchExportDestinationRequest.IntegrationID) and of other PostHog
// features. This package lists and reads them with the methods
// Integrations.ListForProject, AllForProject and GetForProject.
//
// Not covered: creating them. PostHog lets a personal API key with
// integration:write create one (POST, upsert keyed on kind and external
// ID), but each kind has its own config shape, uploads (key files) or OAuth
// callback, and PostHog contacts the provider while creating it; connect
// integrations in PostHog's UI and look their IDs up here. Deleting them is
// not covered either (PostHog refuses while a batch export uses one).

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

// ProjectIntegration is a project integration as PostHog sends it. PostHog
// never sends its secrets (they are kept apart from Config).
type ProjectIntegration struct {
	ID   int64                  `json:"id"`
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

// projectIntegrationsURL is the absolute URL of a project's integrations
// (or of one, with id), with opts as the query.
func (c *Client) projectIntegrationsURL(project int64, id *int64, opts any) (*url.URL, error) {
	if project <= 0 {
		return nil, fmt.Errorf("%w: project id must be positive", ErrInvalidArgument)
	}
	segs := []string{strconv.FormatInt(project, 10), "integrations"}
	if id != nil {
		if *id <= 0 {
			return nil, fmt.Errorf("%w: integration id must be positive", ErrInvalidArgument)
		}
		segs = append(segs, strconv.FormatInt(*id, 10))
	}
	u := *c.baseURL
	u.Path = strings.TrimSuffix(c.baseURL.Path, "/") + "/api/projects/" + escapePath(segs...)
	u.RawPath = ""
	if opts != nil {
		v, err := query.Values(opts)
		if err != nil {
			return nil, fmt.Errorf("%w: encoding query: %v", ErrInvalidArgument, err)
		}
		u.RawQuery = v.Encode()
	}
	return &u, nil
}

// ListForProject returns one page of the project's integrations, oldest
// first.
//
// API: GET /api/projects/{project_id}/integrations/ (scope integration:read)
func (s *IntegrationsService) ListForProject(ctx context.Context, project int64, opts *ProjectIntegrationListOptions) (*Page[ProjectIntegration], error) {
	u, err := s.client.projectIntegrationsURL(project, nil, opts)
	if err != nil {
		return nil, err
	}
	p := new(Page[ProjectIntegration])
	if _, err := s.client.do(ctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
		return nil, err
	}
	return p, nil
}

// AllForProject iterates over every integration of the project, fetching
// pages as needed. It follows PostHog's `next` links only while they stay
// on the configured host and under the project's integrations path.
//
// API: GET /api/projects/{project_id}/integrations/ (scope integration:read)
func (s *IntegrationsService) AllForProject(ctx context.Context, project int64, opts *ProjectIntegrationListOptions) iter.Seq2[*ProjectIntegration, error] {
	first, err := s.client.projectIntegrationsURL(project, nil, opts)
	return func(yield func(*ProjectIntegration, error) bool) {
		if err != nil {
			yield(nil, err)
			return
		}
		prefix := first.Path
		u := first
		for {
			p := new(Page[ProjectIntegration])
			if _, err := s.client.do(ctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
				yield(nil, err)
				return
			}
			for i := range p.Results {
				if !yield(&p.Results[i], nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			next, err := s.client.nextURLUnder(u, p.Next, len(p.Results), prefix)
			if err != nil {
				yield(nil, err)
				return
			}
			u = next
		}
	}
}

// nextURLUnder validates a `next` link of a list outside
// /api/organizations/: same scheme and host as the base URL, no user info,
// the list's own path, and progress.
func (c *Client) nextURLUnder(cur *url.URL, next string, n int, path string) (*url.URL, error) {
	u, err := url.Parse(next)
	if err != nil {
		return nil, fmt.Errorf("posthogapi: GET %s: unparsable next link", cur.Path)
	}
	if !u.IsAbs() || !c.sameOrigin(u) {
		return nil, fmt.Errorf("%w: GET %s: next link is not on %s://%s", ErrForeignHost, cur.Path, c.baseURL.Scheme, c.baseURL.Host)
	}
	if u.Path != path {
		return nil, fmt.Errorf("%w: GET %s: next link leaves %s", ErrForeignHost, cur.Path, path)
	}
	u.Fragment = ""
	if n == 0 {
		return nil, fmt.Errorf("%w: GET %s: empty page with a next link", ErrPaginationStalled, cur.Path)
	}
	if u.String() == cur.String() {
		return nil, fmt.Errorf("%w: GET %s: next link repeats the page", ErrPaginationStalled, cur.Path)
	}
	if no, ok := singleInt(u.Query(), "offset"); ok {
		if co, _ := singleInt(cur.Query(), "offset"); no <= co {
			return nil, fmt.Errorf("%w: GET %s: next offset %d does not advance past %d", ErrPaginationStalled, cur.Path, no, co)
		}
	}
	return u, nil
}

// GetForProject returns one integration of the project.
//
// API: GET /api/projects/{project_id}/integrations/{id}/ (scope integration:read)
func (s *IntegrationsService) GetForProject(ctx context.Context, project, id int64) (*ProjectIntegration, error) {
	u, err := s.client.projectIntegrationsURL(project, &id, nil)
	if err != nil {
		return nil, err
	}
	in := new(ProjectIntegration)
	if _, err := s.client.do(ctx, &request{method: http.MethodGet, absolute: u, out: in}); err != nil {
		return nil, err
	}
	return in, nil
}
