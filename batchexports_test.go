package posthogapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

var (
	beOrg = uuid.MustParse("0190c2e5-8e6f-7000-8000-00000000a001")
	beID  = uuid.MustParse("497f6eca-6276-4993-bfeb-53cbbbba6f08")
)

// batchExportJSON is an export as PostHog answers it, with every field of
// the schema (both versions): one run, a HogQL schema and filters.
const batchExportJSON = `{
  "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
  "team_id": 42,
  "name": "Events to S3",
  "model": "events",
  "destination": {
    "type": "S3",
    "config": {"bucket_name": "ph-exports", "region": "eu-west-1", "prefix": "events/", "file_format": "Parquet", "max_file_size_mb": 100, "exclude_events": ["$feature_flag_called"]},
    "integration": 7
  },
  "interval": "day",
  "paused": false,
  "created_at": "2025-11-01T10:00:00Z",
  "last_updated_at": "2025-11-02T11:00:00.123456Z",
  "last_paused_at": null,
  "start_at": "2025-11-01T00:00:00Z",
  "end_at": null,
  "latest_runs": [
    {
      "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      "status": "FailedRetryable",
      "records_completed": 1200,
      "latest_error": "S3 timeout",
      "data_interval_start": "2025-11-01T00:00:00Z",
      "data_interval_end": "2025-11-02T00:00:00Z",
      "cursor": null,
      "created_at": "2025-11-02T00:15:00Z",
      "finished_at": "2025-11-02T00:20:00Z",
      "last_updated_at": "2025-11-02T00:20:00Z",
      "records_total_count": 1500,
      "bytes_exported": 9000000000,
      "batch_export": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      "backfill": "4f806519-f4aa-4807-bea5-95595ab1adf0"
    },
    {
      "id": "0fa0a8a1-f280-4977-8bb4-bc7801a6902f",
      "status": "Completed",
      "records_completed": null,
      "latest_error": null,
      "data_interval_start": null,
      "data_interval_end": "2025-11-01T00:00:00Z",
      "cursor": "abc",
      "created_at": "2025-11-01T00:15:00Z",
      "finished_at": null,
      "last_updated_at": "2025-11-01T00:20:00Z",
      "records_total_count": null,
      "bytes_exported": null,
      "batch_export": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      "backfill": null
    }
  ],
  "schema": {"fields": [{"expression": "event", "alias": "event"}], "values": {"hogql_val_0": "x"}, "hogql_query": "SELECT event FROM events"},
  "filters": [{"key": "$browser", "operator": "exact", "type": "event", "value": ["Firefox"]}],
  "timezone": "Europe/Paris",
  "offset_day": null,
  "offset_hour": 5
}`

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkBatchExport asserts the decoding of batchExportJSON.
func checkBatchExport(t *testing.T, b *BatchExport) {
	t.Helper()
	if b.ID != BatchExportID(beID) || b.TeamID != 42 || b.Name != "Events to S3" {
		t.Errorf("id/team/name = %v %d %q", b.ID, b.TeamID, b.Name)
	}
	if b.Model == nil || *b.Model != ModelEvents {
		t.Errorf("model = %v", b.Model)
	}
	d := b.Destination
	if d.Type != DestinationS3 || d.Integration == nil || *d.Integration != 7 || d.Config["bucket_name"] != "ph-exports" {
		t.Errorf("destination = %+v", d)
	}
	var s3 S3Config
	if err := d.DecodeConfig(&s3); err != nil {
		t.Fatal(err)
	}
	if s3.BucketName != "ph-exports" || s3.Region != "eu-west-1" || s3.Prefix != "events/" || s3.FileFormat != "Parquet" ||
		s3.MaxFileSizeMB == nil || *s3.MaxFileSizeMB != 100 || len(s3.ExcludeEvents) != 1 || s3.AWSSecretAccessKey != "" {
		t.Errorf("typed config = %+v", s3)
	}
	if b.Interval != IntervalDay || b.Paused {
		t.Errorf("interval/paused = %q %v", b.Interval, b.Paused)
	}
	if !b.CreatedAt.Equal(mustTime(t, "2025-11-01T10:00:00Z")) || !b.LastUpdatedAt.Equal(mustTime(t, "2025-11-02T11:00:00.123456Z")) {
		t.Errorf("times = %v %v", b.CreatedAt, b.LastUpdatedAt)
	}
	if b.LastPausedAt != nil || b.EndAt != nil || b.StartAt == nil || !b.StartAt.Equal(mustTime(t, "2025-11-01T00:00:00Z")) {
		t.Errorf("last_paused_at/start_at/end_at = %v %v %v", b.LastPausedAt, b.StartAt, b.EndAt)
	}
	if len(b.LatestRuns) != 2 {
		t.Fatalf("latest_runs = %d", len(b.LatestRuns))
	}
	r := b.LatestRuns[0]
	if r.ID != BatchExportRunID(uuid.MustParse("3fa85f64-5717-4562-b3fc-2c963f66afa6")) || r.Status != RunStatusFailedRetryable ||
		r.RecordsCompleted == nil || *r.RecordsCompleted != 1200 || r.LatestError == nil || *r.LatestError != "S3 timeout" ||
		r.DataIntervalStart == nil || !r.DataIntervalEnd.Equal(mustTime(t, "2025-11-02T00:00:00Z")) || r.Cursor != nil ||
		r.FinishedAt == nil || r.RecordsTotalCount == nil || *r.RecordsTotalCount != 1500 ||
		r.BytesExported == nil || *r.BytesExported != 9000000000 || r.BatchExport != BatchExportID(beID) ||
		r.Backfill == nil || *r.Backfill != BatchExportBackfillID(uuid.MustParse("4f806519-f4aa-4807-bea5-95595ab1adf0")) {
		t.Errorf("run 0 = %+v", r)
	}
	r = b.LatestRuns[1]
	if r.Status != RunStatusCompleted || r.RecordsCompleted != nil || r.DataIntervalStart != nil || r.Cursor == nil || *r.Cursor != "abc" || r.Backfill != nil || r.FinishedAt != nil {
		t.Errorf("run 1 = %+v", r)
	}
	if lr := b.LatestRun(); lr == nil || lr.Status != RunStatusFailedRetryable {
		t.Errorf("LatestRun = %+v", lr)
	}
	if b.Schema == nil || len(b.Schema.Fields) != 1 || b.Schema.Fields[0].Alias != "event" || b.Schema.HogQLQuery != "SELECT event FROM events" || b.Schema.Values["hogql_val_0"] != "x" {
		t.Errorf("schema = %+v", b.Schema)
	}
	if len(b.Filters) != 1 || b.Filters[0]["key"] != "$browser" {
		t.Errorf("filters = %v", b.Filters)
	}
	if b.Timezone == nil || *b.Timezone != "Europe/Paris" || b.OffsetDay != nil || b.OffsetHour == nil || *b.OffsetHour != 5 {
		t.Errorf("timezone/offsets = %v %v %v", b.Timezone, b.OffsetDay, b.OffsetHour)
	}
}

func bePath(rest string) string { return api(beOrg.String() + "/batch_exports/" + rest) }

// noBody answers status with body after checking that the request carried
// no body.
func noBody(t *testing.T, status int, body string) httpmock.Responder {
	t.Helper()
	return func(req *http.Request) (*http.Response, error) {
		if req.Body != nil {
			b, _ := io.ReadAll(req.Body)
			if len(b) != 0 {
				t.Errorf("unexpected body %s", b)
			}
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func TestBatchExportsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath(""), respond(t, 200,
		`{"count": 3, "next": "`+bePath("?limit=1&offset=2")+`", "previous": null, "results": [`+batchExportJSON+`]}`,
		"limit=1&offset=1", ""))
	p, err := c.BatchExports.List(context.Background(), OrganizationID(beOrg), &ListOptions{Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 3 || p.Next == "" || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkBatchExport(t, &p.Results[0])
}

func TestBatchExportsAll(t *testing.T) {
	c, mt := newMockClient(t)
	second := strings.Replace(batchExportJSON, beID.String(), "11111111-1111-4111-8111-111111111111", 1)
	mt.RegisterResponder("GET", bePath(""), func(req *http.Request) (*http.Response, error) {
		var body string
		switch req.URL.RawQuery {
		case "limit=1":
			body = `{"count": 2, "next": "` + bePath("?limit=1&offset=1") + `", "previous": null, "results": [` + batchExportJSON + `]}`
		case "limit=1&offset=1":
			body = `{"count": 2, "next": null, "previous": "` + bePath("?limit=1") + `", "results": [` + second + `]}`
		default:
			t.Errorf("query %q", req.URL.RawQuery)
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	var ids []uuid.UUID
	for b, err := range c.BatchExports.All(context.Background(), OrganizationID(beOrg), &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, uuid.UUID(b.ID))
	}
	if len(ids) != 2 || ids[0] != beID || ids[1].String() != "11111111-1111-4111-8111-111111111111" {
		t.Errorf("ids = %v", ids)
	}
}

func TestBatchExportsGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath(beID.String()+"/"), respond(t, 200, batchExportJSON, "", ""))
	b, err := c.BatchExports.Get(context.Background(), OrganizationID(beOrg), BatchExportID(beID))
	if err != nil {
		t.Fatal(err)
	}
	checkBatchExport(t, b)
}

func TestBatchExportsCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", bePath(""), respond(t, 201, batchExportJSON, "", `{
		"name": "Events to S3",
		"model": "events",
		"destination": {
			"type": "AwsS3",
			"config": {"bucket_name": "ph-exports", "region": "eu-west-1", "prefix": "events/", "encryption": "aws:kms", "kms_key_id": "k1", "max_file_size_mb": 100, "legacy_parquet_extension": true},
			"integration_id": 7
		},
		"interval": "day",
		"paused": true,
		"start_at": "2025-11-01T00:00:00Z",
		"filters": [{"key": "$browser", "operator": "exact", "type": "event", "value": ["Firefox"]}],
		"timezone": "Europe/Paris",
		"offset_hour": 5
	}`))
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dest := NewBatchExportDestination(&AwsS3Config{
		BucketName: "ph-exports", Region: "eu-west-1", Prefix: "events/",
		Encryption: "aws:kms", KMSKeyID: "k1", MaxFileSizeMB: Ptr(100),
	})
	dest.RawConfig = map[string]any{"legacy_parquet_extension": true}
	dest.IntegrationID = NewNullable[ProjectIntegrationID](7)
	b, err := c.BatchExports.Create(context.Background(), OrganizationID(beOrg), &BatchExportCreate{
		Name: "Events to S3", Model: Ptr(ModelEvents), Destination: dest, Interval: IntervalDay,
		Paused: Ptr(true), StartAt: &start, Timezone: Ptr("Europe/Paris"), OffsetHour: Ptr(5),
		Filters: []map[string]any{{"key": "$browser", "operator": "exact", "type": "event", "value": []string{"Firefox"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkBatchExport(t, b)
}

func TestBatchExportsCreateRawConfigOnly(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", bePath(""), respond(t, 201, batchExportJSON, "",
		`{"name": "n", "destination": {"type": "S3Compatible", "config": {"bucket_name": "b", "region": "r", "prefix": "p", "use_virtual_style_addressing": true, "custom": 1}, "integration_id": 3}, "interval": "hour"}`))
	dest := NewBatchExportDestination(&S3CompatibleConfig{BucketName: "b", Region: "r", Prefix: "p", UseVirtualStyleAddressing: Ptr(true)})
	dest.RawConfig = map[string]any{"custom": 1}
	dest.IntegrationID = NewNullable[ProjectIntegrationID](3)
	if _, err := c.BatchExports.Create(context.Background(), OrganizationID(beOrg), &BatchExportCreate{Name: "n", Destination: dest, Interval: IntervalHour}); err != nil {
		t.Fatal(err)
	}
	mt.RegisterResponder("POST", bePath(""), respond(t, 201, batchExportJSON, "",
		`{"name": "n", "destination": {"type": "NoOp", "config": {}}, "interval": "every 5 minutes"}`))
	if _, err := c.BatchExports.Create(context.Background(), OrganizationID(beOrg), &BatchExportCreate{
		Name: "n", Destination: BatchExportDestinationRequest{Type: DestinationNoOp}, Interval: IntervalEvery5Minutes,
	}); err != nil {
		t.Fatal(err)
	}
}

func TestBatchExportsUpdate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", bePath(beID.String()+"/"), respond(t, 200, batchExportJSON, "", `{
		"name": "Renamed",
		"model": null,
		"destination": {"type": "Snowflake", "config": {"warehouse": "wh", "role": "exporter"}, "integration_id": 4},
		"paused": false,
		"start_at": null,
		"end_at": "2026-01-01T00:00:00Z",
		"hogql_query": "SELECT event FROM events",
		"filters": null,
		"timezone": null,
		"offset_day": 1,
		"offset_hour": null
	}`))
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b, err := c.BatchExports.Update(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{
		Name:  Ptr("Renamed"),
		Model: Null[BatchExportModel](),
		Destination: &BatchExportDestinationRequest{
			Config:        SnowflakeConfig{Warehouse: "wh", Role: "exporter"},
			IntegrationID: NewNullable[ProjectIntegrationID](4),
		},
		Paused:     Ptr(false),
		StartAt:    Null[time.Time](),
		EndAt:      NewNullable(end),
		HogQLQuery: Ptr("SELECT event FROM events"),
		Filters:    Null[[]map[string]any](),
		Timezone:   Null[string](),
		OffsetDay:  NewNullable(1),
		OffsetHour: Null[int](),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkBatchExport(t, b)
}

func TestBatchExportsUpdateSendsOnlySetFields(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", bePath(beID.String()+"/"), respond(t, 200, batchExportJSON, "", `{"interval": "week"}`))
	if _, err := c.BatchExports.Update(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Interval: Ptr(IntervalWeek)}); err != nil {
		t.Fatal(err)
	}
}

func TestBatchExportsReplace(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PUT", bePath(beID.String()+"/"), respond(t, 200, batchExportJSON, "",
		`{"name": "Events to S3", "destination": {"type": "HTTP", "config": {"url": "https://us.i.posthog.com/batch/", "token": "phc_x"}}, "interval": "hour"}`))
	b, err := c.BatchExports.Replace(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportCreate{
		Name:        "Events to S3",
		Destination: NewBatchExportDestination(HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: "phc_x"}),
		Interval:    IntervalHour,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkBatchExport(t, b)
}

func TestBatchExportsDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", bePath(beID.String()+"/"), noBody(t, 204, ""))
	if err := c.BatchExports.Delete(context.Background(), OrganizationID(beOrg), BatchExportID(beID)); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetCallCountInfo()["DELETE "+bePath(beID.String()+"/")]; n != 1 {
		t.Errorf("DELETE calls = %d", n)
	}
}

func TestBatchExportsPauseUnpause(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", bePath(beID.String()+"/pause/"), noBody(t, 200, `{"paused": true}`))
	st, err := c.BatchExports.Pause(context.Background(), OrganizationID(beOrg), BatchExportID(beID))
	if err != nil || !st.Paused {
		t.Fatalf("Pause = %+v, %v", st, err)
	}
	for _, opts := range []*BatchExportUnpauseOptions{{Backfill: true}, {Backfill: false}, nil} {
		backfill := opts != nil && opts.Backfill
		mt.RegisterResponder("POST", bePath(beID.String()+"/unpause/"), respond(t, 200, `{"paused": false}`, "", fmt.Sprintf(`{"backfill": %v}`, backfill)))
		st, err = c.BatchExports.Unpause(context.Background(), OrganizationID(beOrg), BatchExportID(beID), opts)
		if err != nil || st.Paused {
			t.Fatalf("Unpause(%+v) = %+v, %v", opts, st, err)
		}
	}
}

func TestBatchExportsBackfill(t *testing.T) {
	c, mt := newMockClient(t)
	wid := beID.String() + "-Backfill-2025-11-01T00:00:00+00:00-2025-11-02T00:00:00+00:00"
	mt.RegisterResponder("POST", bePath(beID.String()+"/backfill/"), respond(t, 200, `{"backfill_id": "`+wid+`"}`, "",
		`{"start_at": "2025-11-01T00:00:00Z", "end_at": "2025-11-02T00:00:00Z"}`))
	start, end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC)
	r, err := c.BatchExports.Backfill(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportBackfillRequest{StartAt: &start, EndAt: &end})
	if err != nil || r.BackfillID != wid {
		t.Fatalf("Backfill = %+v, %v", r, err)
	}
	mt.RegisterResponder("POST", bePath(beID.String()+"/backfill/"), respond(t, 200, `{"backfill_id": "x"}`, "", `{}`))
	if _, err := c.BatchExports.Backfill(context.Background(), OrganizationID(beOrg), BatchExportID(beID), nil); err != nil {
		t.Fatal(err)
	}
}

func TestBatchExportsLogs(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath(beID.String()+"/logs/"), respond(t, 200, `{"count": 1, "next": null, "previous": null, "results": [
		{"log_source_id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "instance_id": "run-1", "timestamp": "2025-11-02T00:16:00.5Z", "level": "ERROR", "message": "S3 timeout"}]}`,
		"after=2025-11-01T00%3A00%3A00Z&instance_id=run-1&level=INFO%2CERROR&limit=10&search=time", ""))
	after := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	p, err := c.BatchExports.ListLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{
		ListOptions: ListOptions{Limit: 10}, After: &after, Level: []BatchExportLogLevel{LogLevelInfo, LogLevelError},
		Search: "time", InstanceID: "run-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Results) != 1 {
		t.Fatalf("results = %v", p.Results)
	}
	e := p.Results[0]
	if e.LogSourceID != beID || e.InstanceID != "run-1" || e.Level != LogLevelError || e.Message != "S3 timeout" || !e.Timestamp.Equal(mustTime(t, "2025-11-02T00:16:00.5Z")) {
		t.Errorf("entry = %+v", e)
	}
}

func TestBatchExportsLogsPersonalKeyRejected(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath(beID.String()+"/logs/"), respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`, "", ""))
	_, err := c.BatchExports.ListLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), nil)
	if !errors.Is(err, ErrPersonalAPIKeyNotSupported) || errors.Is(err, ErrMissingScope) {
		t.Fatalf("err = %v", err)
	}
}

func TestBatchExportsTest(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath("test/"), respond(t, 200, `{"steps": [
		{"name": "Verify BigQuery project", "description": "Ensure the project exists.", "result": null},
		{"name": "Verify BigQuery dataset", "description": "Ensure the dataset exists.", "result": {"status": "Failed", "message": "no dataset"}}]}`,
		"destination=BigQuery", ""))
	dt, err := c.BatchExports.Test(context.Background(), OrganizationID(beOrg), DestinationBigQuery)
	if err != nil {
		t.Fatal(err)
	}
	if len(dt.Steps) != 2 || dt.Steps[0].Name != "Verify BigQuery project" || dt.Steps[0].Result != nil ||
		dt.Steps[1].Result == nil || dt.Steps[1].Result.Status != TestStatusFailed || *dt.Steps[1].Result.Message != "no dataset" {
		t.Errorf("test = %+v", dt)
	}
}

func TestBatchExportsTestNeedsInternalScope(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", bePath("test/"), respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "API key missing required scope 'INTERNAL'", "attr": null}`, "", ""))
	_, err := c.BatchExports.Test(context.Background(), OrganizationID(beOrg), DestinationS3)
	var se *ScopeError
	if !errors.As(err, &se) || se.Scope != "INTERNAL" {
		t.Fatalf("err = %v", err)
	}
}

const testStepBody = `{"step": 1, "name": "probe", "destination": {"type": "BigQuery", "config": {"project_id": "p", "dataset_id": "d"}, "integration_id": 5}, "interval": "hour"}`

const testStepAnswer = `{"name": "Verify BigQuery dataset", "description": "Ensure the dataset exists.", "result": {"status": "Passed", "message": null}}`

func testStepRequest() *BatchExportTestStepRequest {
	return &BatchExportTestStepRequest{Step: 1, BatchExportCreate: BatchExportCreate{
		Name:        "probe",
		Destination: BatchExportDestinationRequest{Config: BigQueryConfig{ProjectID: "p", DatasetID: "d"}, IntegrationID: NewNullable[ProjectIntegrationID](5)},
		Interval:    IntervalHour,
	}}
}

func TestBatchExportsRunTestStep(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", bePath(beID.String()+"/run_test_step/"), respond(t, 200, testStepAnswer, "", testStepBody))
	mt.RegisterResponder("POST", bePath("run_test_step_new/"), respond(t, 200, testStepAnswer, "", testStepBody))
	for name, run := range map[string]func() (*BatchExportTestStep, error){
		"existing": func() (*BatchExportTestStep, error) {
			return c.BatchExports.RunTestStep(context.Background(), OrganizationID(beOrg), BatchExportID(beID), testStepRequest())
		},
		"new": func() (*BatchExportTestStep, error) {
			return c.BatchExports.RunTestStepNew(context.Background(), OrganizationID(beOrg), testStepRequest())
		},
	} {
		st, err := run()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Name != "Verify BigQuery dataset" || st.Result == nil || st.Result.Status != TestStatusPassed || st.Result.Message != nil {
			t.Errorf("%s: step = %+v", name, st)
		}
	}
}

func TestBatchExportsScopeError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", bePath(""), respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "API key missing required scope 'batch_export:write'", "attr": null}`, "", ""))
	_, err := c.BatchExports.Create(context.Background(), OrganizationID(beOrg), &BatchExportCreate{
		Name: "n", Destination: NewBatchExportDestination(NoOpConfig{}), Interval: IntervalHour,
	})
	var se *ScopeError
	if !errors.As(err, &se) || se.Scope != "batch_export:write" || !errors.Is(err, ErrMissingScope) {
		t.Fatalf("err = %v", err)
	}
	assertNoCanary(t, err.Error())
}

func TestBatchExportSecretsNotLogged(t *testing.T) {
	const secret = "SECRETvalue123"
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger))
	mt.RegisterResponder("POST", bePath(""), respond(t, 400,
		`{"type": "validation_error", "code": "invalid_input", "detail": "Configuration missing required field: 'prefix'", "attr": "destination__non_field_errors"}`, "", ""))
	_, err := c.BatchExports.Create(context.Background(), OrganizationID(beOrg), &BatchExportCreate{
		Name: "n", Interval: IntervalHour,
		Destination: BatchExportDestinationRequest{Config: PostgresConfig{Database: "b", Password: secret}, IntegrationID: NewNullable[ProjectIntegrationID](2)},
	})
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("err = %v", err)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	for _, s := range []string{logs.String(), err.Error()} {
		if strings.Contains(s, secret) {
			t.Errorf("secret leaked: %s", s)
		}
		assertNoCanary(t, s)
	}
}

func TestBatchExportsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	good := func() *BatchExportCreate {
		return &BatchExportCreate{Name: "n", Destination: NewBatchExportDestination(NoOpConfig{}), Interval: IntervalHour}
	}
	with := func(f func(*BatchExportCreate)) *BatchExportCreate { b := good(); f(b); return b }
	cases := map[string]func() error{
		"list nil org": func() error { _, err := c.BatchExports.List(ctx, OrganizationID(uuid.Nil), nil); return err },
		"all nil org": func() error {
			for _, err := range c.BatchExports.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
		"get nil id": func() error {
			_, err := c.BatchExports.Get(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil))
			return err
		},
		"get nil org": func() error {
			_, err := c.BatchExports.Get(ctx, OrganizationID(uuid.Nil), BatchExportID(beID))
			return err
		},
		"create nil": func() error { _, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), nil); return err },
		"create empty name": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Name = "  " }))
			return err
		},
		"create bad model": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Model = Ptr[BatchExportModel]("users") }))
			return err
		},
		"create bad interval": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Interval = "minute" }))
			return err
		},
		"create no interval": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Interval = "" }))
			return err
		},
		"create no destination type": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Destination = BatchExportDestinationRequest{} }))
			return err
		},
		"create bad destination type": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Destination.Type = "Kafka" }))
			return err
		},
		"create config for other type": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) {
				b.Destination = BatchExportDestinationRequest{Type: DestinationAwsS3, Config: SnowflakeConfig{}}
			}))
			return err
		},
		"create bad integration id": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.Destination.IntegrationID = NewNullable[ProjectIntegrationID](0) }))
			return err
		},
		"create offset day": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.OffsetDay = Ptr(7) }))
			return err
		},
		"create offset hour": func() error {
			_, err := c.BatchExports.Create(ctx, OrganizationID(beOrg), with(func(b *BatchExportCreate) { b.OffsetHour = Ptr(-1) }))
			return err
		},
		"update nil": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), nil)
			return err
		},
		"update nil id": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil), &BatchExportUpdate{})
			return err
		},
		"update empty name": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Name: Ptr("")})
			return err
		},
		"update bad model": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Model: NewNullable[BatchExportModel]("x")})
			return err
		},
		"update bad interval": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Interval: Ptr[BatchExportInterval]("monthly")})
			return err
		},
		"update untyped destination": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{Destination: &BatchExportDestinationRequest{RawConfig: map[string]any{"a": 1}}})
			return err
		},
		"update offset hour": func() error {
			_, err := c.BatchExports.Update(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportUpdate{OffsetHour: NewNullable(24)})
			return err
		},
		"replace invalid": func() error {
			_, err := c.BatchExports.Replace(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportCreate{})
			return err
		},
		"replace nil id": func() error {
			_, err := c.BatchExports.Replace(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil), good())
			return err
		},
		"delete nil id": func() error { return c.BatchExports.Delete(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil)) },
		"pause nil id": func() error {
			_, err := c.BatchExports.Pause(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil))
			return err
		},
		"unpause nil org": func() error {
			_, err := c.BatchExports.Unpause(ctx, OrganizationID(uuid.Nil), BatchExportID(beID), nil)
			return err
		},
		"backfill nil id": func() error {
			_, err := c.BatchExports.Backfill(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil), nil)
			return err
		},
		"backfill reverse": func() error {
			a, b := time.Now(), time.Now().Add(-time.Hour)
			_, err := c.BatchExports.Backfill(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportBackfillRequest{StartAt: &a, EndAt: &b})
			return err
		},
		"logs nil id": func() error {
			_, err := c.BatchExports.ListLogs(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil), nil)
			return err
		},
		"logs limit": func() error {
			_, err := c.BatchExports.ListLogs(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{ListOptions: ListOptions{Limit: 501}})
			return err
		},
		"logs level": func() error {
			_, err := c.BatchExports.ListLogs(ctx, OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{Level: []BatchExportLogLevel{"info"}})
			return err
		},
		"test step nil id": func() error {
			_, err := c.BatchExports.RunTestStep(ctx, OrganizationID(beOrg), BatchExportID(uuid.Nil), testStepRequest())
			return err
		},
		"test step new nil": func() error { _, err := c.BatchExports.RunTestStepNew(ctx, OrganizationID(beOrg), nil); return err },
		"test step negative": func() error {
			r := testStepRequest()
			r.Step = -1
			_, err := c.BatchExports.RunTestStepNew(ctx, OrganizationID(beOrg), r)
			return err
		},
		"test step invalid export": func() error {
			r := testStepRequest()
			r.Name = ""
			_, err := c.BatchExports.RunTestStep(ctx, OrganizationID(beOrg), BatchExportID(beID), r)
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestBatchExportSecretsNotPrinted(t *testing.T) {
	const secret = "SECRETvalue123"
	configs := []any{
		S3Config{BucketName: "b", AWSAccessKeyID: secret, AWSSecretAccessKey: secret},
		SnowflakeConfig{User: secret, Password: secret, PrivateKey: secret, PrivateKeyPassphrase: secret, Account: "acct"},
		PostgresConfig{User: secret, Password: secret, Host: "db"},
		RedshiftConfig{User: secret, Password: secret, CopyInputs: &RedshiftCopyInputs{
			S3Bucket:          "stage",
			BucketCredentials: &RedshiftCredentials{AWS: &AWSCredentials{AccessKeyID: secret, SecretAccessKey: secret}},
		}},
		BigQueryConfig{PrivateKey: secret, PrivateKeyID: secret, ClientEmail: secret, TokenURI: secret, DatasetID: "d"},
		HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: secret},
		AWSCredentials{AccessKeyID: secret, SecretAccessKey: secret},
	}
	for _, cfg := range configs {
		for _, format := range []string{"%v", "%+v", "%s", "%#v"} {
			if s := fmt.Sprintf(format, cfg); strings.Contains(s, secret) {
				t.Errorf("%T printed with %s leaks: %s", cfg, format, s)
			}
		}
	}
	create := BatchExportCreate{
		Name:        "n",
		Destination: BatchExportDestinationRequest{Type: DestinationS3, RawConfig: map[string]any{"aws_secret_access_key": secret}},
		Interval:    IntervalHour,
	}
	create.Destination.RawConfig = map[string]any{"password": secret, "nested": map[string]any{"token": secret}}
	for _, s := range []string{fmt.Sprintf("%v", create), fmt.Sprintf("%+v", &create), fmt.Sprint(create.Destination),
		fmt.Sprintf("%#v", create), fmt.Sprintf("%#v", create.Destination), fmt.Sprintf("%#v", []any{create.Destination})} {
		if strings.Contains(s, secret) {
			t.Errorf("request printed leaks: %s", s)
		}
		if !strings.Contains(s, "[REDACTED]") {
			t.Errorf("no redaction marker in %s", s)
		}
	}
	// The body itself carries the secrets (PostHog needs them).
	b, err := json.Marshal(create)
	if err != nil || !strings.Contains(string(b), secret) {
		t.Errorf("body = %s, %v", b, err)
	}
}

func TestRedshiftCredentialsJSON(t *testing.T) {
	cases := []struct {
		in   string
		want RedshiftCredentials
		out  string
	}{
		{`"arn:aws:iam::1:role/r"`, RedshiftCredentials{IAMRoleARN: "arn:aws:iam::1:role/r"}, `"arn:aws:iam::1:role/r"`},
		{`12`, RedshiftCredentials{IntegrationID: 12}, `12`},
		{`"12"`, RedshiftCredentials{IntegrationID: 12}, `12`},
		{`{"aws_access_key_id": "a", "aws_secret_access_key": "b"}`, RedshiftCredentials{AWS: &AWSCredentials{AccessKeyID: "a", SecretAccessKey: "b"}}, `{"aws_access_key_id":"a","aws_secret_access_key":"b"}`},
	}
	for _, tc := range cases {
		var got RedshiftCredentials
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got.IAMRoleARN != tc.want.IAMRoleARN || got.IntegrationID != tc.want.IntegrationID || (got.AWS == nil) != (tc.want.AWS == nil) ||
			(got.AWS != nil && *got.AWS != *tc.want.AWS) {
			t.Errorf("%s: got %+v", tc.in, got)
		}
		b, err := json.Marshal(got)
		if err != nil || string(b) != tc.out {
			t.Errorf("%s: marshal = %s, %v", tc.in, b, err)
		}
	}
}

func TestBatchExportEnums(t *testing.T) {
	for _, d := range []DestinationType{DestinationS3, DestinationSnowflake, DestinationPostgres, DestinationRedshift,
		DestinationBigQuery, DestinationDatabricks, DestinationAzureBlob, DestinationWorkflows, DestinationHTTP, DestinationNoOp} {
		if !d.Valid() {
			t.Errorf("%s not valid", d)
		}
	}
	if DestinationType("s3").Valid() || BatchExportInterval("Hour").Valid() || BatchExportModel("").Valid() {
		t.Error("invalid values accepted")
	}
	for _, tc := range []struct {
		cfg  DestinationConfig
		want DestinationType
	}{
		{SnowflakeConfig{}, DestinationSnowflake}, {PostgresConfig{}, DestinationPostgres},
		{RedshiftConfig{}, DestinationRedshift}, {BigQueryConfig{}, DestinationBigQuery}, {&DatabricksConfig{}, DestinationDatabricks},
		{AzureBlobConfig{}, DestinationAzureBlob}, {HTTPConfig{}, DestinationHTTP}, {WorkflowsConfig{}, DestinationWorkflows}, {NoOpConfig{}, DestinationNoOp},
	} {
		if got := NewBatchExportDestination(tc.cfg).Type; got != tc.want {
			t.Errorf("%T: type %s, want %s", tc.cfg, got, tc.want)
		}
	}
	if !RunStatusCompleted.Finished() || RunStatusRunning.Finished() || RunStatusStarting.Finished() || !RunStatusFailedBilling.Finished() {
		t.Error("Finished is wrong")
	}
	if d := NewBatchExportDestination((*AwsS3Config)(nil)); d.Type != "" || d.validate(true) == nil {
		t.Errorf("nil config pointer: %+v", d)
	}
	var none *BatchExport
	if none.LatestRun() != nil || (&BatchExport{}).LatestRun() != nil {
		t.Error("LatestRun of no runs")
	}
}

func TestBatchExportsAllLogs(t *testing.T) {
	c, mt := newMockClient(t)
	entry := func(msg string) string {
		return `{"log_source_id": "` + beID.String() + `", "instance_id": "run-1", "timestamp": "2025-11-02T00:16:00Z", "level": "INFO", "message": "` + msg + `"}`
	}
	var queries []string
	mt.RegisterResponder(http.MethodGet, bePath(beID.String()+"/logs/"), func(req *http.Request) (*http.Response, error) {
		queries = append(queries, req.URL.RawQuery)
		if req.URL.Query().Get("offset") == "" {
			return httpmock.NewStringResponse(200, `{"count": 3, "next": "`+bePath(beID.String()+"/logs/")+`?level=INFO&limit=2&offset=2", "previous": null, "results": [`+entry("a")+`,`+entry("b")+`]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count": 3, "next": null, "previous": "p", "results": [`+entry("c")+`]}`), nil
	})
	var got []string
	for e, err := range c.BatchExports.AllLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{
		ListOptions: ListOptions{Limit: 2}, Level: []BatchExportLogLevel{LogLevelInfo},
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Message)
	}
	if strings.Join(got, "") != "abc" || len(queries) != 2 || queries[0] != "level=INFO&limit=2" {
		t.Errorf("messages = %v, queries = %v", got, queries)
	}
	var errs []error
	for _, err := range c.BatchExports.AllLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{ListOptions: ListOptions{Limit: 501}}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) || len(queries) != 2 {
		t.Errorf("invalid limit: errors = %v, queries = %v", errs, queries)
	}
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
