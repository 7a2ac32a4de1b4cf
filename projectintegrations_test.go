package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

// TestIntegrations_CreateForProject sends kind and config as PostHog's
// IntegrationSerializer.create reads them, and DeleteForProject sends a
// DELETE; bad requests are refused before any request.
func TestIntegrations_CreateForProject(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	mt.RegisterResponder(http.MethodPost, mockBase+"/api/projects/5/integrations/", respond(t, 201,
		`{"id":9,"kind":"aws-s3","config":{"name":"prod","aws_account_id":"1"},"display_name":"prod (AWS account 1)","created_at":"2026-01-01T00:00:00Z","created_by":null,"errors":""}`,
		"", `{"kind":"aws-s3","config":{"name":"prod","aws_access_key_id":"AK","aws_secret_access_key":"SK"}}`))
	mt.RegisterResponder(http.MethodDelete, mockBase+"/api/projects/5/integrations/9/", httpmock.NewStringResponder(204, ""))
	in, err := c.Integrations.CreateForProject(ctx, 5, &ProjectIntegrationCreate{
		Kind: ProjectIntegrationAWSS3, Config: AWSS3IntegrationConfig{Name: "prod", AccessKeyID: "AK", SecretAccessKey: "SK"},
	})
	if err != nil || in.ID != 9 || in.Kind != ProjectIntegrationAWSS3 {
		t.Fatalf("CreateForProject = %+v, %v", in, err)
	}
	if err := c.Integrations.DeleteForProject(ctx, 5, 9); err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]*ProjectIntegrationCreate{
		"nil":         nil,
		"no config":   {Kind: ProjectIntegrationAWSS3},
		"wrong kind":  {Kind: ProjectIntegrationS3Compatible, Config: AWSS3IntegrationConfig{Name: "n", AccessKeyID: "a", SecretAccessKey: "s"}},
		"map for s3":  {Kind: ProjectIntegrationAWSS3, Config: IntegrationConfigMap{"name": "n"}},
		"no secret":   {Kind: ProjectIntegrationAWSS3, Config: AWSS3IntegrationConfig{Name: "n", AccessKeyID: "a"}},
		"no endpoint": {Kind: ProjectIntegrationS3Compatible, Config: S3CompatibleIntegrationConfig{Name: "n", AccessKeyID: "a", SecretAccessKey: "s"}},
	} {
		if _, err := c.Integrations.CreateForProject(ctx, 5, req); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.Integrations.CreateForProject(ctx, 0, &ProjectIntegrationCreate{Kind: "postgresql", Config: IntegrationConfigMap{}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("project 0: %v", err)
	}
	if err := c.Integrations.DeleteForProject(ctx, 5, 0); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("id 0: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestFidelityDec02_AWSS3RoleConfig: an aws-s3 integration is made from an
// access key or from a role ARN, never both, and the ARN must match
// PostHog's AWS_ROLE_ARN_RE; the role-based body carries no key
// (server-fidelity-2026-12 item 2).
func TestFidelityDec02_AWSS3RoleConfig(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	const arn = "arn:aws:iam::123456789012:role/posthog-exports"
	mt.RegisterResponder(http.MethodPost, mockBase+"/api/projects/5/integrations/", respond(t, 201,
		`{"id":9,"kind":"aws-s3","config":{"name":"prod","aws_role_arn":"`+arn+`"},"display_name":"prod (AWS role '`+arn+`')","created_at":"2026-01-01T00:00:00Z","created_by":null,"errors":""}`,
		"", `{"kind":"aws-s3","config":{"name":"prod","aws_role_arn":"`+arn+`"}}`))
	in, err := c.Integrations.CreateForProject(ctx, 5, &ProjectIntegrationCreate{Kind: ProjectIntegrationAWSS3, Config: AWSS3IntegrationConfig{Name: "prod", RoleARN: arn}})
	if err != nil || in.Config["aws_role_arn"] != arn {
		t.Fatalf("CreateForProject = %+v, %v", in, err)
	}
	for name, tc := range map[string]struct {
		cfg  AWSS3IntegrationConfig
		want string
	}{
		"both":          {AWSS3IntegrationConfig{Name: "n", AccessKeyID: "a", SecretAccessKey: "s", RoleARN: arn}, "not both"},
		"role and id":   {AWSS3IntegrationConfig{Name: "n", AccessKeyID: "a", RoleARN: arn}, "not both"},
		"no name":       {AWSS3IntegrationConfig{RoleARN: arn}, "A name is required for AWS integration"},
		"user ARN":      {AWSS3IntegrationConfig{Name: "n", RoleARN: "arn:aws:iam::123456789012:user/bob"}, "AWS role ARN is not valid"},
		"short account": {AWSS3IntegrationConfig{Name: "n", RoleARN: "arn:aws:iam::1234:role/x"}, "AWS role ARN is not valid"},
		"no role name":  {AWSS3IntegrationConfig{Name: "n", RoleARN: "arn:aws:iam::123456789012:role/"}, "AWS role ARN is not valid"},
		"neither":       {AWSS3IntegrationConfig{Name: "n"}, "Access key ID is required for AWS integration"},
		"no secret":     {AWSS3IntegrationConfig{Name: "n", AccessKeyID: "a"}, "Secret access key is required for AWS integration"},
	} {
		_, err := c.Integrations.CreateForProject(ctx, 5, &ProjectIntegrationCreate{Kind: ProjectIntegrationAWSS3, Config: tc.cfg})
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	for _, ok := range []string{arn, "arn:aws-us-gov:iam::123456789012:role/path/to/role", "arn:aws-cn:iam::123456789012:role/r"} {
		if err := (AWSS3IntegrationConfig{Name: "n", RoleARN: ok}).validate(); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if got := AWSRoleExternalID(OrganizationID(uuid.MustParse("0190c2e5-8e6f-7000-8000-00000000a001"))); got != "posthog-0190c2e5-8e6f-7000-8000-00000000a001" {
		t.Errorf("AWSRoleExternalID = %q", got)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestFidelityDec05_DeprecatedIntegrationKindRefused: PostHog's
// validate_kind refuses slack-posthog-code; the SDK does before sending.
func TestFidelityDec05_DeprecatedIntegrationKindRefused(t *testing.T) {
	c, mt := newMockClient(t)
	_, err := c.Integrations.CreateForProject(context.Background(), 5, &ProjectIntegrationCreate{Kind: "slack-posthog-code", Config: IntegrationConfigMap{"code": "x"}})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "deprecated and can no longer be created") {
		t.Errorf("slack-posthog-code: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestFidelityDec06_S3IntegrationFieldMessages: one message per missing
// field, in PostHog's order (name, access key ID, secret, then the
// endpoint of an s3-compatible integration).
func TestFidelityDec06_S3IntegrationFieldMessages(t *testing.T) {
	c, _ := newMockClient(t)
	for want, cfg := range map[string]S3CompatibleIntegrationConfig{
		"A name is required for S3-compatible integration":            {EndpointURL: "https://e"},
		"Access key ID is required for S3-compatible integration":     {Name: "n"},
		"Secret access key is required for S3-compatible integration": {Name: "n", AccessKeyID: "a"},
		"Endpoint URL is required for S3-compatible integration":      {Name: "n", AccessKeyID: "a", SecretAccessKey: "s"},
	} {
		_, err := c.Integrations.CreateForProject(context.Background(), 5, &ProjectIntegrationCreate{Kind: ProjectIntegrationS3Compatible, Config: cfg})
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", cfg, err, want)
		}
	}
}

const projectIntegrationJSON = `{"id": 7, "kind": "aws-s3", "config": {"region": "eu-west-1"}, "created_at": "2026-01-02T03:04:05Z",
	"created_by": {"id": 1, "uuid": "0191e8a4-0000-7000-8000-000000000001", "email": "a@example.com", "first_name": "A"},
	"errors": "", "display_name": "AWS prod", "files_write_requestable": false, "installation_shared": null, "installation_status": null}`

func TestProjectIntegrationsListGet(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	mt.RegisterResponder("GET", mockBase+"/api/projects/42/integrations/",
		respond(t, 200, `{"count": 1, "next": null, "previous": null, "results": [`+projectIntegrationJSON+`]}`, "kind=aws-s3&limit=5", ""))
	p, err := c.Integrations.ListForProject(ctx, 42, &ProjectIntegrationListOptions{ListOptions: ListOptions{Limit: 5}, Kind: ProjectIntegrationAWSS3})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	in := p.Results[0]
	if in.ID != 7 || in.Kind != ProjectIntegrationAWSS3 || in.DisplayName != "AWS prod" || in.Config["region"] != "eu-west-1" ||
		in.CreatedBy == nil || in.CreatedBy.Email != "a@example.com" || in.CreatedAt.Year() != 2026 || in.Errors != "" ||
		in.FilesWriteRequestable == nil || *in.FilesWriteRequestable || in.InstallationStatus != nil {
		t.Errorf("integration = %+v", in)
	}
	mt.RegisterResponder("GET", mockBase+"/api/projects/42/integrations/7/", respond(t, 200, projectIntegrationJSON, "", ""))
	got, err := c.Integrations.GetForProject(ctx, 42, 7)
	if err != nil || got.ID != 7 {
		t.Fatalf("get = %+v, %v", got, err)
	}
	for name, call := range map[string]func() error{
		"list project 0": func() error { _, err := c.Integrations.ListForProject(ctx, 0, nil); return err },
		"get project -1": func() error { _, err := c.Integrations.GetForProject(ctx, -1, 7); return err },
		"get id 0":       func() error { _, err := c.Integrations.GetForProject(ctx, 42, 0); return err },
		"all project 0": func() error {
			for _, err := range c.Integrations.AllForProject(ctx, 0, nil) {
				return err
			}
			return nil
		},
	} {
		if err := call(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests", n)
	}
}

func TestProjectIntegrationsAllFollowsOnlyItsOwnLinks(t *testing.T) {
	c, mt := newMockClient(t)
	page := func(next string) string {
		return `{"count": 3, "next": ` + next + `, "previous": null, "results": [` + projectIntegrationJSON + `]}`
	}
	mt.RegisterResponder("GET", mockBase+"/api/projects/42/integrations/",
		func(req *http.Request) (*http.Response, error) {
			switch req.URL.RawQuery {
			case "limit=1":
				return jsonResponse(200, page(`"`+mockBase+`/api/projects/42/integrations/?limit=1&offset=1"`)), nil
			case "limit=1&offset=1":
				return jsonResponse(200, page(`"`+mockBase+`/api/projects/43/integrations/?limit=1&offset=2"`)), nil
			}
			return jsonResponse(404, `{}`), nil
		})
	var n int
	var last error
	for in, err := range c.Integrations.AllForProject(context.Background(), 42, &ProjectIntegrationListOptions{ListOptions: ListOptions{Limit: 1}}) {
		if err != nil {
			last = err
			break
		}
		if in.ID != 7 {
			t.Errorf("item %+v", in)
		}
		n++
	}
	if n != 2 || !errors.Is(last, ErrForeignHost) {
		t.Errorf("items %d, err %v", n, last)
	}
}
