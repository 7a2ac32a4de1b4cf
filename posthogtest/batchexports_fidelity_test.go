package posthogtest

import (
	"net/http"
	"strconv"
	"testing"
)

// fidelityServer has a project (the organization's first, where batch
// exports go) with one integration of each batch export kind, and another
// organization's project with an aws-s3 integration.
func fidelityServer(t *testing.T, scopes ...string) (srv *Server, key, base string, ids map[ProjectIntegrationKind]int64, foreign int64) {
	t.Helper()
	srv = NewServer()
	t.Cleanup(srv.Close)
	org := srv.DefaultOrganization().ID
	proj := srv.AddProject(org, "Main").ID
	ids = map[ProjectIntegrationKind]int64{}
	for _, k := range []ProjectIntegrationKind{IntegrationAWSS3, IntegrationS3Compatible, IntegrationAWSRedshift, IntegrationPostgreSQL,
		IntegrationSnowflake, IntegrationDatabricks, IntegrationAzureBlob, IntegrationGoogleCloudServiceAccount} {
		ids[k] = int64(srv.SeedIntegration(proj, k, string(k)))
	}
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	foreign = int64(srv.SeedIntegration(srv.AddProject(other.ID, "Theirs").ID, IntegrationAWSS3, "theirs"))
	return srv, srv.NewAPIKey(scopes...), "/api/organizations/" + org.String() + "/batch_exports/", ids, foreign
}

func destBody(typ, config string, integration int64) string {
	in := ""
	if integration != 0 {
		in = `, "integration_id": ` + strconv.FormatInt(integration, 10)
	}
	return `{"name": "x", "interval": "hour", "destination": {"type": "` + typ + `", "config": ` + config + in + `}}`
}

func wantDestError(t *testing.T, status int, body map[string]any, attr, detail string) {
	t.Helper()
	if status != http.StatusBadRequest || body["attr"] != attr || body["detail"] != detail || body["code"] != "invalid_input" {
		t.Errorf("got %d %v\nwant attr %q detail %q", status, body, attr, detail)
	}
}

const (
	s3Cfg         = `{"bucket_name": "b", "region": "r", "prefix": "p"}`
	snowflakeCfg  = `{"database": "d", "warehouse": "w", "schema": "s"}`
	databricksCfg = `{"http_path": "/sql", "catalog": "c", "schema": "s", "table_name": "t"}`
)

func TestFidelity01_LegacyS3RefusedOnCreate(t *testing.T) {
	srv, key, base, ids, _ := fidelityServer(t, "batch_export:write")
	status, body := rawCall(t, srv, key, "POST", base, destBody("S3", `{"bucket_name": "b", "region": "r", "prefix": "p", "aws_access_key_id": "AKIA", "aws_secret_access_key": "x"}`, ids[IntegrationAWSS3]))
	wantDestError(t, status, body, "destination",
		"The 'S3' destination type is deprecated and can no longer be used. Use 'AwsS3' for AWS S3, or 'S3Compatible' for S3-compatible storage.")
	if got := srv.BatchExports(srv.DefaultOrganization().ID); len(got) != 0 {
		t.Errorf("created %v", got)
	}
}

func TestFidelity01_CredentialFieldsAreUnknown(t *testing.T) {
	srv, key, base, ids, _ := fidelityServer(t, "batch_export:write")
	for _, tc := range []struct{ typ, cfg, want string }{
		{"AwsS3", `{"bucket_name": "b", "region": "r", "prefix": "p", "aws_access_key_id": "A", "aws_secret_access_key": "S"}`, "'aws_access_key_id', 'aws_secret_access_key'"},
		{"S3Compatible", `{"bucket_name": "b", "region": "r", "prefix": "p", "endpoint_url": "https://r2"}`, "'endpoint_url'"},
		{"Snowflake", `{"database": "d", "warehouse": "w", "schema": "s", "account": "a", "user": "u", "password": "p"}`, "'account', 'password', 'user'"},
	} {
		kind := map[string]ProjectIntegrationKind{"AwsS3": IntegrationAWSS3, "S3Compatible": IntegrationS3Compatible, "Snowflake": IntegrationSnowflake}[tc.typ]
		status, body := rawCall(t, srv, key, "POST", base, destBody(tc.typ, tc.cfg, ids[kind]))
		wantDestError(t, status, body, "destination__non_field_errors", "Configuration has unknown field/s: "+tc.want)
	}
}

func TestFidelity01_IntegrationRequiredOnCreate(t *testing.T) {
	srv, key, base, _, _ := fidelityServer(t, "batch_export:write")
	for _, tc := range []struct{ typ, cfg, detail string }{
		{"AwsS3", s3Cfg, "Integration is required for AwsS3 batch exports"},
		{"S3Compatible", s3Cfg, "Integration is required for S3Compatible batch exports"},
		{"BigQuery", `{"dataset_id": "d"}`, "Integration is required for BigQuery batch exports"},
		{"Databricks", databricksCfg, "Integration is required for Databricks batch exports"},
		{"AzureBlob", `{"container_name": "c"}`, "Integration is required for Azure Blob batch exports"},
		{"Postgres", `{"database": "d"}`, "Integration is required for Postgres batch exports"},
		{"Snowflake", snowflakeCfg, "Integration is required for Snowflake batch exports"},
		{"Redshift", `{"database": "d"}`, "Integration is required for Redshift batch exports"},
	} {
		status, body := rawCall(t, srv, key, "POST", base, destBody(tc.typ, tc.cfg, 0))
		wantDestError(t, status, body, "destination", tc.detail)
	}
}

func TestFidelity01_IntegrationRequiredOnUpdateDiffers(t *testing.T) {
	srv, key, base, ids, _ := fidelityServer(t, "batch_export:write")
	create := func(typ, cfg string, kind ProjectIntegrationKind) string {
		t.Helper()
		status, body := rawCall(t, srv, key, "POST", base, destBody(typ, cfg, ids[kind]))
		if status != http.StatusCreated {
			t.Fatalf("create %s: %d %v", typ, status, body)
		}
		return base + body["id"].(string) + "/"
	}
	s3 := create("AwsS3", s3Cfg, IntegrationAWSS3)
	// A PATCH without integration_id keeps the linked one; null removes it.
	status, body := rawCall(t, srv, key, "PATCH", s3, `{"destination": {"type": "AwsS3", "config": {"region": "eu"}}}`)
	if status != http.StatusOK || body["destination"].(map[string]any)["integration"] != float64(ids[IntegrationAWSS3]) {
		t.Errorf("patch keeping integration: %d %v", status, body)
	}
	status, body = rawCall(t, srv, key, "PATCH", s3, `{"destination": {"type": "AwsS3", "config": {}, "integration_id": null}}`)
	wantDestError(t, status, body, "destination", "Integration is required for AwsS3 batch exports")

	// BigQuery needs it in every request carrying the destination.
	bq := create("BigQuery", `{"dataset_id": "d"}`, IntegrationGoogleCloudServiceAccount)
	status, body = rawCall(t, srv, key, "PATCH", bq, `{"destination": {"type": "BigQuery", "config": {"table_id": "t"}}}`)
	wantDestError(t, status, body, "destination", "Integration is required for BigQuery batch exports")

	// Snowflake's integration is sticky.
	sf := create("Snowflake", snowflakeCfg, IntegrationSnowflake)
	status, body = rawCall(t, srv, key, "PATCH", sf, `{"destination": {"type": "Snowflake", "config": {"role": "r"}}}`)
	wantDestError(t, status, body, "destination",
		"Cannot remove the integration from a Snowflake batch export that uses one. Re-send its `integration` to keep it (or a different one to swap).")

	// Postgres may be edited without one.
	pg := create("Postgres", `{"database": "d"}`, IntegrationPostgreSQL)
	if status, body := rawCall(t, srv, key, "PATCH", pg, `{"destination": {"type": "Postgres", "config": {"schema": "s"}}}`); status != http.StatusOK {
		t.Errorf("postgres patch: %d %v", status, body)
	}
}

func TestFidelity01_IntegrationKindAndProject(t *testing.T) {
	srv, key, base, ids, foreign := fidelityServer(t, "batch_export:write")
	status, body := rawCall(t, srv, key, "POST", base, destBody("AwsS3", s3Cfg, ids[IntegrationS3Compatible]))
	wantDestError(t, status, body, "destination", "Integration provided is not an AWS S3 integration (got kind='s3-compatible')")
	status, body = rawCall(t, srv, key, "POST", base, destBody("Databricks", databricksCfg, ids[IntegrationSnowflake]))
	wantDestError(t, status, body, "destination", "Integration is not a Databricks integration.")
	status, body = rawCall(t, srv, key, "POST", base, destBody("BigQuery", `{"dataset_id": "d"}`, ids[IntegrationAWSS3]))
	wantDestError(t, status, body, "destination", "Integration is not a Google Cloud service account integration.")
	// Another project's integration does not exist for this request.
	status, body = rawCall(t, srv, key, "POST", base, destBody("AwsS3", s3Cfg, foreign))
	if status != http.StatusBadRequest || body["code"] != "does_not_exist" || body["attr"] != "destination__integration_id" {
		t.Errorf("foreign integration: %d %v", status, body)
	}
	if status, body := rawCall(t, srv, key, "POST", base, destBody("S3Compatible", s3Cfg, ids[IntegrationS3Compatible])); status != http.StatusCreated {
		t.Errorf("s3-compatible: %d %v", status, body)
	}
}

func TestFidelity01_HTTPDestinationURL(t *testing.T) {
	srv, key, base, _, _ := fidelityServer(t, "batch_export:write")
	status, body := rawCall(t, srv, key, "POST", base, destBody("HTTP", `{"url": "http://169.254.169.254/", "token": "t"}`, 0))
	wantDestError(t, status, body, "destination", "Invalid destination URL: http://169.254.169.254/")
	if status, body := rawCall(t, srv, key, "POST", base, destBody("HTTP", `{"url": "https://eu.i.posthog.com/batch/", "token": "t"}`, 0)); status != http.StatusCreated {
		t.Errorf("eu url: %d %v", status, body)
	}
}

func TestFidelity08_TestStepScopes(t *testing.T) {
	srv, _, base, ids, _ := fidelityServer(t)
	read, write := srv.NewAPIKey("batch_export:read"), srv.NewAPIKey("batch_export:write")
	if status, body := rawCall(t, srv, read, "GET", base+"test/?destination=AwsS3", ""); status != http.StatusOK {
		t.Errorf("test with :read: %d %v", status, body)
	}
	step := `{"step": 0, "name": "x", "interval": "hour", "destination": {"type": "AwsS3", "config": ` + s3Cfg +
		`, "integration_id": ` + strconv.FormatInt(ids[IntegrationAWSS3], 10) + `}}`
	status, body := rawCall(t, srv, read, "POST", base+"run_test_step_new/", step)
	if status != http.StatusForbidden || body["detail"] != "API key missing required scope 'batch_export:write'" {
		t.Errorf("run_test_step_new with :read: %d %v", status, body)
	}
	if status, body := rawCall(t, srv, write, "POST", base+"run_test_step_new/", step); status != http.StatusOK {
		t.Errorf("run_test_step_new with :write: %d %v", status, body)
	}
}

func TestProjectIntegrationsServer(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	proj := srv.AddProject(srv.DefaultOrganization().ID, "Main").ID
	id := srv.SeedIntegration(proj, IntegrationAWSS3, "AWS prod")
	srv.SeedIntegration(proj, IntegrationSlack, "workspace")
	base := "/api/projects/" + strconv.FormatInt(int64(proj), 10) + "/integrations/"
	status, body := rawCall(t, srv, srv.NewAPIKey("integration:read"), "GET", base+"?kind=aws-s3", "")
	if status != http.StatusOK || body["count"] != float64(1) {
		t.Fatalf("list: %d %v", status, body)
	}
	status, body = rawCall(t, srv, srv.NewAPIKey("integration:read"), "GET", base+strconv.FormatInt(int64(id), 10)+"/", "")
	if status != http.StatusOK || body["display_name"] != "AWS prod" || body["kind"] != "aws-s3" || body["errors"] != "" {
		t.Errorf("get: %d %v", status, body)
	}
	if status, body := rawCall(t, srv, srv.NewAPIKey("batch_export:read"), "GET", base, ""); status != http.StatusForbidden ||
		body["detail"] != "API key missing required scope 'integration:read'" {
		t.Errorf("without scope: %d %v", status, body)
	}
	if status, _ := rawCall(t, srv, srv.NewAPIKey("*"), "GET", "/api/projects/999/integrations/", ""); status != http.StatusNotFound {
		t.Errorf("unknown project: %d", status)
	}
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	theirs := srv.AddProject(other.ID, "Theirs").ID
	if len(srv.ProjectIntegrations(theirs)) != 0 || len(srv.ProjectIntegrations(proj)) != 2 {
		t.Errorf("seeded = %v / %v", srv.ProjectIntegrations(theirs), srv.ProjectIntegrations(proj))
	}
}
