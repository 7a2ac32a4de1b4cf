package posthogapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
)

// TestIntegrations_CreateUseDelete: an aws-s3 integration created through
// the API can be linked by a batch export in the project; PostHog refuses
// to delete it while the export uses it, naming the export, and deletes it
// once the export is gone.
func TestIntegrations_CreateUseDelete(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "integration:read", "integration:write", "batch_export:write")
	proj := srv.AddProject(org, "P")

	in, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "prod", AccessKeyID: "AKIA", SecretAccessKey: "secret-canary"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != posthogapi.ProjectIntegrationAWSS3 || in.Config["name"] != "prod" || in.Config["aws_secret_access_key"] != nil || !strings.HasPrefix(in.DisplayName, "prod (AWS account ") {
		t.Errorf("created %+v", in)
	}
	// The name is the integration's identity within its kind.
	_, err = c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "prod", AccessKeyID: "B", SecretAccessKey: "C"},
	})
	if !errors.Is(err, posthogapi.ErrValidation) || !strings.Contains(err.Error(), "An integration named 'prod' already exists") {
		t.Errorf("duplicate name: %v", err)
	}
	// Kinds that need a provider round trip are not served.
	_, err = c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationSlack, Config: posthogapi.IntegrationConfigMap{"code": "x"},
	})
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("slack: %v", err)
	}

	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: "b", Region: "eu-west-1", Prefix: "p/"})
	dest.IntegrationID = posthogapi.NewNullable(in.ID)
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, &posthogapi.BatchExportCreate{Name: "to s3", Interval: posthogapi.IntervalHour, Destination: dest})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Integrations.DeleteForProject(ctx, proj.ID, in.ID)
	if !errors.Is(err, posthogapi.ErrValidation) || !strings.Contains(err.Error(), "This integration is used by batch exports: to s3.") {
		t.Fatalf("delete while used: %v", err)
	}
	if err := c.ProjectBatchExports.Delete(ctx, proj.ID, be.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Integrations.DeleteForProject(ctx, proj.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Integrations.GetForProject(ctx, proj.ID, in.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if got := srv.ProjectIntegrations(proj.ID); len(got) != 0 {
		t.Errorf("server still holds %v", got)
	}
}

// TestIntegrations_CreateNeedsWriteScope: integration:read does not create.
func TestIntegrations_CreateNeedsWriteScope(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "integration:read")
	proj := srv.AddProject(org, "P")
	_, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind:   posthogapi.ProjectIntegrationS3Compatible,
		Config: posthogapi.S3CompatibleIntegrationConfig{Name: "r2", EndpointURL: "https://r2.example", AccessKeyID: "a", SecretAccessKey: "s"},
	})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("read-only key: %v", err)
	}
}
