package posthogtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// s3Dest is a valid destination for the field cases (it needs no
// integration).
const s3Dest = `{"type": "NoOp", "config": {}}`

func TestBatchExportServerValidationBodies(t *testing.T) {
	srv := newTestServer(t)
	key := srv.NewAPIKey("batch_export:write")
	path := "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/batch_exports/"
	proj := srv.AddProject(srv.DefaultOrganization().ID, "Main").ID
	s3 := srv.SeedIntegration(proj, IntegrationAWSS3, "aws")
	cases := []struct {
		name, body, attr, code, detail string
	}{
		{"name missing", `{}`, "name", "required", "This field is required."},
		{"name blank", `{"name": " "}`, "name", "blank", "This field may not be blank."},
		{"name null", `{"name": null}`, "name", "null", "This field may not be null."},
		{"model invalid", `{"name": "x", "model": "users"}`, "model", "invalid_choice", `"users" is not a valid choice.`},
		{"destination missing", `{"name": "x", "interval": "hour"}`, "destination", "required", "This field is required."},
		{"destination type missing", `{"name": "x", "destination": {"config": {}}}`, "destination__type", "required", "This field is required."},
		{"destination type invalid", `{"name": "x", "destination": {"type": "Kafka", "config": {}}}`, "destination__type", "invalid_choice", `"Kafka" is not a valid choice.`},
		{"destination config missing", `{"name": "x", "destination": {"type": "NoOp"}}`, "destination__config", "required", "This field is required."},
		{"config unknown keys", `{"name": "x", "destination": {"type": "NoOp", "config": {"z": 1, "a": 2}}}`, "destination__non_field_errors", "invalid_input", "Configuration has unknown field/s: 'a', 'z'"},
		{"config type", `{"name": "x", "destination": {"type": "Postgres", "config": {"database": "d", "port": "abc"}}}`, "destination__non_field_errors", "invalid_input", "Configuration has invalid type: got 'str', expected 'int'"},
		{"integration id", `{"name": "x", "destination": {"type": "NoOp", "config": {}, "integration_id": "seven"}}`, "destination__integration_id", "incorrect_type", "Incorrect type. Expected pk value, received str."},
		{"interval missing", `{"name": "x", "destination": ` + s3Dest + `}`, "interval", "required", "This field is required."},
		{"interval invalid", `{"name": "x", "destination": ` + s3Dest + `, "interval": "minute"}`, "interval", "invalid_choice", `"minute" is not a valid choice.`},
		{"paused", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "paused": "yes"}`, "paused", "invalid_input", "Must be a valid boolean."},
		{"start_at", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "start_at": "tomorrow"}`, "start_at", "invalid_input", "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."},
		{"hogql", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "hogql_query": "DROP TABLE events"}`, "hogql_query", "invalid_input", "Failed to parse query"},
		{"filters", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "filters": {"a": 1}}`, "filters", "invalid_input", "'filters' should be an array of filters"},
		{"timezone", `{"name": "x", "destination": ` + s3Dest + `, "interval": "day", "timezone": "Mars/Olympus"}`, "timezone", "invalid_choice", `"Mars/Olympus" is not a valid choice.`},
		{"offset_hour max", `{"name": "x", "destination": ` + s3Dest + `, "interval": "day", "offset_hour": 24}`, "offset_hour", "max_value", "Ensure this value is less than or equal to 23."},
		{"offset_hour hourly", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "offset_hour": 2}`, "offset_hour", "invalid_input", "offset_hour is not applicable for non-daily/weekly intervals"},
		{"s3 empty prefix", `{"name": "x", "destination": {"type": "AwsS3", "integration_id": ` + strconv.FormatInt(int64(s3), 10) + `, "config": {"bucket_name": "b", "region": " ", "prefix": " "}}, "interval": "hour"}`, "destination", "invalid_input", "The following inputs are empty: ['region', 'prefix']"},
		{"snowflake credentials", `{"name": "x", "destination": {"type": "Snowflake", "config": {"database": "d", "warehouse": "w", "schema": "s", "authentication_type": "password", "password": "pw"}}, "interval": "hour"}`, "destination__non_field_errors", "invalid_input", "Configuration has unknown field/s: 'authentication_type', 'password'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, srv, key, "POST", path, tc.body)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d: %v", status, body)
			}
			want := map[string]any{"type": "validation_error", "code": tc.code, "detail": tc.detail, "attr": tc.attr}
			if tc.attr == "" {
				want["attr"] = nil
			}
			for k, v := range want {
				if body[k] != v {
					t.Errorf("%s = %v, want %v", k, body[k], v)
				}
			}
		})
	}
	if status, body := rawCall(t, srv, key, "POST", path, `{"name": `); status != 400 || body["code"] != "parse_error" {
		t.Errorf("malformed JSON: %d %v", status, body)
	}
	if got := srv.BatchExports(srv.DefaultOrganization().ID); len(got) != 0 {
		t.Errorf("invalid bodies created %v", got)
	}
}

func TestBatchExportServerStatusesAndSecrets(t *testing.T) {
	srv := newTestServer(t)
	key := srv.NewAPIKey("*")
	org := srv.DefaultOrganization().ID
	base := "/api/organizations/" + org.String() + "/batch_exports/"
	pg := srv.SeedIntegration(srv.AddProject(org, "Main").ID, IntegrationPostgreSQL, "db")

	status, created := rawCall(t, srv, key, "POST", base, `{"name": "pg", "interval": "hour",
		"destination": {"type": "Postgres", "integration_id": `+strconv.FormatInt(int64(pg), 10)+`, "config": {"database": "d", "host": "db", "port": "5433", "has_self_signed_cert": "true", "user": "u", "password": "pw"}}}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, created)
	}
	cfg := created["destination"].(map[string]any)["config"].(map[string]any)
	if cfg["port"] != float64(5433) || cfg["has_self_signed_cert"] != true || cfg["host"] != "db" {
		t.Errorf("coerced config = %v", cfg)
	}
	for _, secret := range []string{"user", "password"} {
		if _, ok := cfg[secret]; ok {
			t.Errorf("%s returned: %v", secret, cfg)
		}
	}
	for _, k := range []string{"id", "team_id", "name", "model", "destination", "interval", "paused", "created_at", "last_updated_at",
		"last_paused_at", "start_at", "end_at", "latest_runs", "schema", "filters", "timezone", "offset_day", "offset_hour"} {
		if _, ok := created[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	id := created["id"].(string)

	// A PATCH destination must name its type (PostHog fails without it).
	if status, body := rawCall(t, srv, key, "PATCH", base+id+"/", `{"destination": {"config": {"port": 1}}}`); status != 400 || body["attr"] != "destination__type" {
		t.Errorf("patch without type: %d %v", status, body)
	}
	// The trailing slash is optional, as in PostHog.
	if status, _ := rawCall(t, srv, key, "GET", base+id, ""); status != http.StatusOK {
		t.Errorf("get without slash: %d", status)
	}
	for _, bad := range []string{uuid.NewString(), "not-a-uuid"} {
		status, body := rawCall(t, srv, key, "GET", base+bad+"/", "")
		if status != http.StatusNotFound || body["code"] != "not_found" || body["detail"] != "Not found." {
			t.Errorf("get %s: %d %v", bad, status, body)
		}
	}
	// The test endpoint answers bare statuses.
	if status, body := rawCall(t, srv, key, "GET", base+"test/", ""); status != http.StatusBadRequest || body != nil {
		t.Errorf("test without destination: %d %v", status, body)
	}
	if status, body := rawCall(t, srv, key, "GET", base+"test/?destination=HTTP", ""); status != http.StatusNotFound || body != nil {
		t.Errorf("test HTTP: %d %v", status, body)
	}
	if status, _ := rawCall(t, srv, key, "DELETE", base+id+"/", ""); status != http.StatusNoContent {
		t.Errorf("delete: %d", status)
	}
	if status, _ := rawCall(t, srv, key, "GET", base+id+"/", ""); status != http.StatusNotFound {
		t.Errorf("get after delete: %d", status)
	}
}

func TestBatchExportServerSchemaFromHogQL(t *testing.T) {
	srv := newTestServer(t)
	key := srv.NewAPIKey("batch_export:write")
	base := "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/batch_exports/"
	status, body := rawCall(t, srv, key, "POST", base, `{"name": "q", "interval": "hour", "destination": {"type": "NoOp", "config": {}},
		"hogql_query": "SELECT event, toString(properties.$browser) AS browser, concat(event, ',') FROM events WHERE event != 'x'"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, body)
	}
	schema, _ := body["schema"].(map[string]any)
	fields, _ := schema["fields"].([]any)
	if len(fields) != 3 {
		t.Fatalf("schema = %v", schema)
	}
	if f := fields[1].(map[string]any); f["alias"] != "browser" || f["expression"] != "toString(properties.$browser)" {
		t.Errorf("field 1 = %v", f)
	}
	if f := fields[2].(map[string]any); f["expression"] != "concat(event, ',')" {
		t.Errorf("field 2 = %v", f)
	}
}

func TestBatchExportServerAddRunPanics(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	func() {
		defer func() {
			if recover() == nil {
				t.Error("unknown export: no panic")
			}
		}()
		srv.AddBatchExportRun(org, posthogapi.BatchExportID(uuid.New()), "Completed")
	}()
	key := srv.NewAPIKey("batch_export:write")
	_, body := rawCall(t, srv, key, "POST", "/api/organizations/"+org.String()+"/batch_exports/",
		`{"name": "n", "interval": "hour", "destination": {"type": "NoOp", "config": {}}}`)
	id := uuid.MustParse(body["id"].(string))
	defer func() {
		if recover() == nil {
			t.Error("unknown status: no panic")
		}
	}()
	srv.AddBatchExportRun(org, posthogapi.BatchExportID(id), "Done")
}

func TestBatchExportServerLogsHandler(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	key := srv.NewAPIKey("batch_export:write")
	_, body := rawCall(t, srv, key, "POST", "/api/organizations/"+org.String()+"/batch_exports/",
		`{"name": "n", "interval": "hour", "destination": {"type": "NoOp", "config": {}}}`)
	pv := map[string]string{"organization_id": org.String(), "id": body["id"].(string)}

	w := callHandler(t, srv, handleBatchExportLogs, "GET", "/logs/?limit=501", "", pv)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"attr":"limit"`) {
		t.Errorf("limit 501: %d %s", w.Code, w.Body)
	}
	w = callHandler(t, srv, handleBatchExportLogs, "GET", "/logs/?after=yesterday", "", pv)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"attr":"after"`) {
		t.Errorf("after: %d %s", w.Code, w.Body)
	}
	w = callHandler(t, srv, handleBatchExportLogs, "GET", "/logs/?limit=10&level=ERROR", "", pv)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"count":0`) || !strings.Contains(w.Body.String(), `"results":[]`) {
		t.Errorf("logs: %d %s", w.Code, w.Body)
	}
	pv["id"] = uuid.NewString()
	if w = callHandler(t, srv, handleBatchExportLogs, "GET", "/logs/", "", pv); w.Code != 404 {
		t.Errorf("unknown export: %d", w.Code)
	}
}

// TestBatchExportFiltersNotRunAttributes: a filter naming the run's data
// interval is refused (PostHog's BatchExportSerializer.validate_filters).
func TestBatchExportFiltersNotRunAttributes(t *testing.T) {
	srv := newTestServer(t)
	path := "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/batch_exports/"
	st, _, got := call(t, srv, srv.NewAPIKey("batch_export:write"), "POST", path,
		`{"name":"n","interval":"hour","destination":{"type":"NoOp","config":{}},"filters":[{"key":"x","type":"event","data_interval_start":"2026-01-01"}]}`)
	if st != 400 || got["attr"] != "filters" || got["detail"] != "'data_interval_start' and 'data_interval_end' are run attributes and not 'filters'. Trigger a backfill if you wish to manually control which periods to batch export." {
		t.Errorf("%d %v", st, got)
	}
}

// TestBatchExportRedshiftCopyRules drives the COPY checks of PostHog's
// BatchExportSerializer.validate_destination (Redshift) through raw
// requests: the inputs, integration IDs naming an aws-s3 integration of the
// project, inline credentials with both keys, the authorization's forms,
// and integrations that stay integrations.
func TestBatchExportRedshiftCopyRules(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	p := srv.AddProject(org, "P")
	other := srv.AddProject(org, "Q")
	redshift := srv.SeedIntegration(p.ID, IntegrationAWSRedshift, "rs")
	s3 := srv.SeedIntegration(p.ID, IntegrationAWSS3, "stage")
	foreign := srv.SeedIntegration(other.ID, IntegrationAWSS3, "elsewhere")
	key := srv.NewAPIKey("batch_export:write")
	base := fmt.Sprintf("/api/projects/%d/batch_exports/", p.ID)
	body := func(copyInputs string) string {
		return fmt.Sprintf(`{"name":"rs","interval":"hour","destination":{"type":"Redshift","integration_id":%d,"config":{"database":"db","mode":"COPY"%s}}}`, redshift, copyInputs)
	}
	keys := `{"aws_access_key_id":"a","aws_secret_access_key":"s"}`
	for _, tc := range []struct{ copy, detail string }{
		{``, "Missing required inputs for 'COPY'"},
		{`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"arn"}`, "Missing required input for 'COPY'"},
		{fmt.Sprintf(`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"arn","bucket_credentials":%d}`, foreign), "'bucket_credentials' does not reference an AWS S3 integration of this project."},
		{fmt.Sprintf(`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"%d","bucket_credentials":%d}`, redshift, s3), "'authorization' does not reference an AWS S3 integration of this project."},
		{`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"arn","bucket_credentials":{"aws_access_key_id":"a"}}`, "Missing required bucket credentials for 'COPY'"},
		{`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":{"aws_access_key_id":"a"},"bucket_credentials":` + keys + `}`, "Missing required credentials for 'COPY'"},
		{`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"  ","bucket_credentials":` + keys + `}`, "Missing required IAM role for 'COPY'"},
		{`,"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":true,"bucket_credentials":` + keys + `}`, "Authorization for 'COPY' must be an IAM role ARN, AWS credentials, or an integration ID."},
	} {
		st, _, got := call(t, srv, key, "POST", base, body(tc.copy))
		if st != 400 || got["detail"] != tc.detail {
			t.Errorf("%s: %d %v, want %q", tc.copy, st, got, tc.detail)
		}
	}
	st, _, got := call(t, srv, key, "POST", base, body(fmt.Sprintf(`,"host":"rs.example","copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"arn:aws:iam::123456789012:role/r","bucket_credentials":%d}`, s3)))
	if st != 201 {
		t.Fatalf("valid COPY export: %d %v", st, got)
	}
	id := got["id"].(string)
	st, _, got = call(t, srv, key, "PATCH", base+id+"/", fmt.Sprintf(`{"destination":{"type":"Redshift","integration_id":%d,"config":{"copy_inputs":{"s3_bucket":"b","region_name":"r","authorization":"arn","bucket_credentials":%s}}}}`, redshift, keys))
	if st != 400 || got["detail"] != "Cannot switch 'bucket_credentials' from an integration to inline credentials. Send a different integration ID to swap, or omit the field to keep the current one." {
		t.Errorf("integration to inline: %d %v", st, got)
	}
}

// fidelityServer has a project (the organization's first, where batch
// exports go) with one integration of each batch export kind, and another
// organization's project with an aws-s3 integration.
func fidelityServer(t *testing.T, scopes ...string) (srv *Server, key, base string, ids map[ProjectIntegrationKind]int64, foreign int64) {
	t.Helper()
	srv = newTestServer(t)
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
