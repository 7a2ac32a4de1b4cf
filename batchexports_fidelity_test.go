package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

func jsonResponse(status int, body string) *http.Response {
	r := httpmock.NewStringResponse(status, body)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// TestFidelity01_DestinationRulesClientSide checks the destination rules
// of today's PostHog before anything is sent, on create and on update.
func TestFidelity01_DestinationRulesClientSide(t *testing.T) {
	in := func(d BatchExportDestinationRequest, id ProjectIntegrationID) BatchExportDestinationRequest {
		d.IntegrationID = NewNullable(id)
		return d
	}
	s3 := AwsS3Config{BucketName: "b", Region: "r", Prefix: "p"}
	cases := []struct {
		name           string
		dest           BatchExportDestinationRequest
		create, update string // "" when allowed, else a substring of the error
	}{
		{"legacy S3 type", BatchExportDestinationRequest{Type: DestinationS3, RawConfig: map[string]any{"bucket_name": "b"}}, "use AwsS3 (AwsS3Config)", "S3Compatible (S3CompatibleConfig)"},
		{"AwsS3 without integration", NewBatchExportDestination(s3), "integration is required for AwsS3", ""},
		{"AwsS3 integration null", BatchExportDestinationRequest{Config: s3, IntegrationID: Null[ProjectIntegrationID]()}, "integration is required for AwsS3", "integration is required for AwsS3"},
		{"AwsS3 with integration", in(NewBatchExportDestination(s3), 1), "", ""},
		{"AwsS3 raw credentials", BatchExportDestinationRequest{Config: s3, RawConfig: map[string]any{"aws_secret_access_key": "x"}, IntegrationID: NewNullable[ProjectIntegrationID](1)}, "aws_secret_access_key", "aws_secret_access_key"},
		{"S3Compatible endpoint", BatchExportDestinationRequest{Config: S3CompatibleConfig{BucketName: "b"}, RawConfig: map[string]any{"endpoint_url": "https://r2"}, IntegrationID: NewNullable[ProjectIntegrationID](1)}, "endpoint_url", "endpoint_url"},
		{"S3Compatible without integration", NewBatchExportDestination(S3CompatibleConfig{BucketName: "b"}), "kind s3-compatible", ""},
		{"BigQuery without integration", NewBatchExportDestination(BigQueryConfig{DatasetID: "d"}), "google-cloud-service-account", "google-cloud-service-account"},
		{"Databricks without integration", NewBatchExportDestination(DatabricksConfig{Catalog: "c"}), "Databricks", "Databricks"},
		{"AzureBlob without integration", NewBatchExportDestination(AzureBlobConfig{ContainerName: "c"}), "azure-blob", "azure-blob"},
		{"Postgres without integration", NewBatchExportDestination(PostgresConfig{Database: "d"}), "kind postgresql", ""},
		{"Snowflake without integration", NewBatchExportDestination(SnowflakeConfig{Database: "d"}), "kind snowflake", ""},
		{"Redshift without integration", NewBatchExportDestination(RedshiftConfig{Database: "d"}), "kind aws-redshift", ""},
		{"Snowflake inline credentials", in(NewBatchExportDestination(SnowflakeConfig{Database: "d", Account: "a", Password: "p"}), 1), "account, password", "account, password"},
		{"Snowflake with integration", in(NewBatchExportDestination(SnowflakeConfig{Database: "d", Warehouse: "w"}), 1), "", ""},
		{"HTTP foreign url", NewBatchExportDestination(HTTPConfig{URL: "http://169.254.169.254/", Token: "t"}), "https://us.i.posthog.com/batch/", "https://eu.i.posthog.com/batch/"},
		{"HTTP raw foreign url", BatchExportDestinationRequest{Type: DestinationHTTP, RawConfig: map[string]any{"url": "https://example.com/batch/"}}, "HTTP destination url", "HTTP destination url"},
		{"HTTP eu url", NewBatchExportDestination(HTTPConfig{URL: "https://eu.i.posthog.com/batch/", Token: "t"}), "", ""},
		{"NoOp", NewBatchExportDestination(NoOpConfig{}), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range []struct {
				create bool
				want   string
			}{{true, tc.create}, {false, tc.update}} {
				d := tc.dest
				err := d.validate(mode.create)
				switch {
				case mode.want == "" && err != nil:
					t.Errorf("create=%v: %v", mode.create, err)
				case mode.want != "" && (!errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), mode.want)):
					t.Errorf("create=%v: err = %v, want %q", mode.create, err, mode.want)
				}
				if err != nil && strings.Contains(err.Error(), "169.254") {
					t.Errorf("error repeats the URL: %v", err)
				}
			}
		})
	}
}

// TestFidelity01_NothingSentWhenRefused checks that Create, Update, Replace
// and the test steps apply the rules with the right mode and send nothing.
func TestFidelity01_NothingSentWhenRefused(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	pg := BatchExportCreate{Name: "n", Interval: IntervalHour, Destination: NewBatchExportDestination(PostgresConfig{Database: "d"})}
	if _, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), &pg); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("create postgres without integration: %v", err)
	}
	if _, err := c.BatchExports.RunTestStepNew(ctx, OrganizationID(beOrg), &BatchExportTestStepRequest{BatchExportCreate: pg}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("run_test_step_new postgres without integration: %v", err)
	}
	s3 := BatchExportCreate{Name: "n", Interval: IntervalHour, Destination: BatchExportDestinationRequest{Type: DestinationS3, RawConfig: map[string]any{"bucket_name": "b", "aws_secret_access_key": "x"}}}
	if _, err := c.BatchExports.Replace(ctx, OrganizationID(beOrg), BatchExportID(beID), &s3); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("replace legacy S3: %v", err)
	}
	if _, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Destination: &s3.Destination}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("update legacy S3: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// Existing exports: a Postgres PUT and test step without integration
	// are sent (legacy inline credentials stay valid when edited).
	mt.RegisterResponder("PUT", bePath(beID.String()+"/"), respond(t, 200, batchExportJSON, "", ""))
	mt.RegisterResponder("POST", bePath(beID.String()+"/run_test_step/"), respond(t, 200, testStepAnswer, "", ""))
	if _, err := c.BatchExports.Replace(ctx, OrganizationID(beOrg), BatchExportID(beID), &pg); err != nil {
		t.Errorf("replace postgres: %v", err)
	}
	if _, err := c.BatchExports.RunTestStep(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportTestStepRequest{BatchExportCreate: pg}); err != nil {
		t.Errorf("run_test_step postgres: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests sent, want 2", n)
	}
}

func TestDestinationIntegrationKind(t *testing.T) {
	if k, ok := DestinationAwsS3.IntegrationKind(); !ok || k != ProjectIntegrationAWSS3 {
		t.Errorf("AwsS3: %q %v", k, ok)
	}
	if k, ok := DestinationBigQuery.IntegrationKind(); !ok || k != ProjectIntegrationGoogleCloudServiceAccount {
		t.Errorf("BigQuery: %q %v", k, ok)
	}
	if _, ok := DestinationHTTP.IntegrationKind(); ok {
		t.Error("HTTP has an integration kind")
	}
	urls := HTTPDestinationURLs()
	urls[0] = "changed"
	if HTTPDestinationURLs()[0] != "https://us.i.posthog.com/batch/" {
		t.Error("HTTPDestinationURLs shares its slice")
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
