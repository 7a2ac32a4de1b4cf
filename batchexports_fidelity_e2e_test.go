package posthogapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestFidelity01_E2EAwsS3WithProjectIntegration finds an aws-s3 integration
// of the project through the SDK, links it to a new AwsS3 export, and gets
// PostHog's refusal for an integration of the wrong kind.
func TestFidelity01_E2EAwsS3WithProjectIntegration(t *testing.T) {
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	org := srv.DefaultOrganization().ID
	proj := srv.AddProject(org, "Main").ID
	srv.SeedIntegration(proj, posthogtest.IntegrationSlack, "workspace")
	r2 := srv.SeedIntegration(proj, posthogtest.IntegrationS3Compatible, "R2")
	srv.SeedIntegration(proj, posthogtest.IntegrationAWSS3, "AWS prod")
	c, err := srv.Client(srv.NewAPIKey("batch_export:write", "integration:read"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var aws *posthogapi.ProjectIntegration
	for in, err := range c.Integrations.AllForProject(ctx, proj, &posthogapi.ProjectIntegrationListOptions{Kind: posthogapi.ProjectIntegrationAWSS3}) {
		if err != nil {
			t.Fatal(err)
		}
		aws = in
	}
	if aws == nil || aws.DisplayName != "AWS prod" || aws.CreatedBy == nil {
		t.Fatalf("aws integration = %+v", aws)
	}
	got, err := c.Integrations.GetForProject(ctx, proj, aws.ID)
	if err != nil || got.Kind != posthogapi.ProjectIntegrationAWSS3 {
		t.Fatalf("get = %+v, %v", got, err)
	}

	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: "b", Region: "eu-west-1", Prefix: "events/"})
	dest.IntegrationID = posthogapi.NewNullable(r2)
	_, err = c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{Name: "wrong kind", Interval: posthogapi.IntervalHour, Destination: dest})
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) || !errors.Is(err, posthogapi.ErrValidation) || ae.Attr != "destination" ||
		!strings.Contains(ae.Detail, "not an AWS S3 integration (got kind='s3-compatible')") {
		t.Fatalf("wrong kind: %v", err)
	}
	dest.IntegrationID = posthogapi.NewNullable(aws.ID)
	be, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{Name: "events", Interval: posthogapi.IntervalHour, Destination: dest})
	if err != nil {
		t.Fatal(err)
	}
	if be.Destination.Type != posthogapi.DestinationAwsS3 || be.Destination.Integration == nil || *be.Destination.Integration != aws.ID {
		t.Errorf("created = %+v", be.Destination)
	}
	// A key without integration:read cannot list them.
	other, _ := srv.Client(srv.NewAPIKey("batch_export:read"))
	var se *posthogapi.ScopeError
	if _, err := other.Integrations.ListForProject(ctx, proj, nil); !errors.As(err, &se) || se.Scope != "integration:read" {
		t.Errorf("list without scope: %v", err)
	}
}

// TestFidelity08_TestStepScopesE2E: test with batch_export:read, the test
// steps with batch_export:write, no "*" needed.
func TestFidelity08_TestStepScopesE2E(t *testing.T) {
	srv, writer, org := newBatchExportServer(t, "batch_export:write")
	reader, _ := srv.Client(srv.NewAPIKey("batch_export:read"))
	ctx := context.Background()
	if dt, err := reader.BatchExports.Test(ctx, org, posthogapi.DestinationAwsS3); err != nil || len(dt.Steps) == 0 {
		t.Fatalf("test: %+v, %v", dt, err)
	}
	req := &posthogapi.BatchExportTestStepRequest{Step: 1, BatchExportCreate: *s3Export("probe")}
	var se *posthogapi.ScopeError
	if _, err := reader.BatchExports.RunTestStepNew(ctx, org, req); !errors.As(err, &se) || se.Scope != "batch_export:write" {
		t.Errorf("run_test_step_new with :read: %v", err)
	}
	st, err := writer.BatchExports.RunTestStepNew(ctx, org, req)
	if err != nil || st.Result == nil || st.Result.Status != posthogapi.TestStatusPassed {
		t.Errorf("run_test_step_new with :write: %+v, %v", st, err)
	}
}
