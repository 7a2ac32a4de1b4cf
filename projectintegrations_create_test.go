package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

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
