package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func newBatchExportServer(t *testing.T, scopes ...string) (*posthogtest.Server, *posthogapi.Client, posthogapi.OrganizationID) {
	t.Helper()
	srv, c := newServerClient(t, scopes...)
	// Batch exports go to the organization's first project; its
	// integrations hold the destinations' credentials.
	proj := srv.AddProject(srv.DefaultOrganization().ID, "Main").ID
	if id := srv.SeedIntegration(proj, posthogtest.IntegrationAWSS3, "aws"); id != e2eAwsS3Integration {
		t.Fatalf("aws-s3 integration %d", id)
	}
	if id := srv.SeedIntegration(proj, posthogtest.IntegrationGoogleCloudServiceAccount, "gcp"); id != e2eBigQueryIntegration {
		t.Fatalf("gcp integration %d", id)
	}
	return srv, c, posthogapi.OrganizationID(uuid.UUID(srv.DefaultOrganization().ID))
}

// The integrations newBatchExportServer seeds (IDs count from 1).
const e2eAwsS3Integration, e2eBigQueryIntegration = 1, 2

// awsS3Dest links cfg to the seeded aws-s3 integration.
func awsS3Dest(cfg posthogapi.AwsS3Config) posthogapi.BatchExportDestinationRequest {
	d := posthogapi.NewBatchExportDestination(cfg)
	d.IntegrationID = posthogapi.NewNullable[posthogapi.ProjectIntegrationID](e2eAwsS3Integration)
	return d
}

func s3Export(name string) *posthogapi.BatchExportCreate {
	return &posthogapi.BatchExportCreate{
		Name:     name,
		Interval: posthogapi.IntervalHour,
		Destination: awsS3Dest(posthogapi.AwsS3Config{
			BucketName: "ph-exports", Region: "eu-west-1", Prefix: "events/",
			FileFormat: "Parquet", Compression: "zstd",
		}),
	}
}

func TestBatchExportE2ELifecycle(t *testing.T) {
	srv, c, org := newBatchExportServer(t, "batch_export:write")
	ctx := context.Background()

	created, err := c.BatchExports.Create(ctx, org, s3Export("Events to S3"))
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == posthogapi.BatchExportID(uuid.Nil) || created.Name != "Events to S3" || created.Destination.Type != posthogapi.DestinationAwsS3 ||
		created.Destination.Integration == nil || *created.Destination.Integration != e2eAwsS3Integration ||
		created.Interval != posthogapi.IntervalHour || created.Paused || created.Model == nil || *created.Model != posthogapi.ModelEvents ||
		created.CreatedAt.IsZero() || created.LatestRuns == nil || len(created.LatestRuns) != 0 {
		t.Fatalf("created = %+v", created)
	}
	// The credentials live in the integration, not in the config.
	if stored := srv.BatchExports(org); len(stored) != 1 || stored[0].Config["bucket_name"] != "ph-exports" || stored[0].Config["aws_secret_access_key"] != nil {
		t.Fatalf("stored = %+v", stored)
	}

	got, err := c.BatchExports.Get(ctx, org, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	var cfg posthogapi.AwsS3Config
	if err := got.Destination.DecodeConfig(&cfg); err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || cfg.BucketName != "ph-exports" || cfg.FileFormat != "Parquet" || cfg.Compression != "zstd" {
		t.Errorf("read back = %+v / %+v", got, cfg)
	}

	// PATCH merges the config: the bucket and the secret stay.
	upd, err := c.BatchExports.Update(ctx, org, created.ID, &posthogapi.BatchExportUpdate{
		Name:        posthogapi.Ptr("Events to S3 (daily)"),
		Interval:    posthogapi.Ptr(posthogapi.IntervalDay),
		OffsetHour:  posthogapi.NewNullable(3),
		Timezone:    posthogapi.NewNullable("Europe/Berlin"),
		Destination: &posthogapi.BatchExportDestinationRequest{Config: posthogapi.AwsS3Config{Region: "us-east-1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Name != "Events to S3 (daily)" || upd.Interval != posthogapi.IntervalDay || upd.OffsetHour == nil || *upd.OffsetHour != 3 ||
		upd.OffsetDay != nil || upd.Timezone == nil || *upd.Timezone != "Europe/Berlin" ||
		upd.Destination.Config["region"] != "us-east-1" || upd.Destination.Config["bucket_name"] != "ph-exports" {
		t.Fatalf("updated = %+v", upd)
	}
	// An update without integration_id keeps the linked integration.
	if upd.Destination.Integration == nil || *upd.Destination.Integration != e2eAwsS3Integration {
		t.Errorf("integration after merge: %v", upd.Destination.Integration)
	}
	// Null clears nullable fields.
	upd, err = c.BatchExports.Update(ctx, org, created.ID, &posthogapi.BatchExportUpdate{
		OffsetHour: posthogapi.Null[int](), Timezone: posthogapi.Null[string](), Model: posthogapi.Null[posthogapi.BatchExportModel](),
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.OffsetHour != nil || upd.Timezone == nil || *upd.Timezone != "UTC" || upd.Model != nil {
		t.Errorf("cleared = %v %v %v", upd.OffsetHour, upd.Timezone, upd.Model)
	}

	page, err := c.BatchExports.List(ctx, org, nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 1 || len(page.Results) != 1 || page.Results[0].ID != created.ID {
		t.Fatalf("list = %+v", page)
	}

	st, err := c.BatchExports.Pause(ctx, org, created.ID)
	if err != nil || !st.Paused {
		t.Fatalf("pause = %+v, %v", st, err)
	}
	got, _ = c.BatchExports.Get(ctx, org, created.ID)
	if !got.Paused || got.LastPausedAt == nil {
		t.Errorf("after pause: paused=%v last_paused_at=%v", got.Paused, got.LastPausedAt)
	}
	st, err = c.BatchExports.Unpause(ctx, org, created.ID, &posthogapi.BatchExportUnpauseOptions{Backfill: true})
	if err != nil || st.Paused {
		t.Fatalf("unpause = %+v, %v", st, err)
	}
	if got, _ = c.BatchExports.Get(ctx, org, created.ID); got.Paused {
		t.Error("still paused")
	}

	// PUT must carry the whole export; the config is still merged.
	rep, err := c.BatchExports.Replace(ctx, org, created.ID, &posthogapi.BatchExportCreate{
		Name: "Replaced", Interval: posthogapi.IntervalWeek, OffsetDay: posthogapi.Ptr(1),
		Destination: awsS3Dest(posthogapi.AwsS3Config{BucketName: "other", Region: "us-east-1", Prefix: "p/"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Name != "Replaced" || rep.Interval != posthogapi.IntervalWeek || rep.OffsetDay == nil || *rep.OffsetDay != 1 ||
		rep.OffsetHour == nil || *rep.OffsetHour != 0 || rep.Destination.Config["bucket_name"] != "other" {
		t.Errorf("replaced = %+v", rep)
	}

	if err := c.BatchExports.Delete(ctx, org, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchExports.Get(ctx, org, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := c.BatchExports.Delete(ctx, org, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.BatchExports.Pause(ctx, org, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("pause after delete: %v", err)
	}
	if page, _ := c.BatchExports.List(ctx, org, nil); page.Count != 0 {
		t.Errorf("list after delete: %d", page.Count)
	}
}

func TestBatchExportE2EServerValidation(t *testing.T) {
	_, c, org := newBatchExportServer(t, "batch_export:write")
	ctx := context.Background()
	cases := []struct {
		name     string
		create   *posthogapi.BatchExportCreate
		attr     string
		code     string
		contains string
	}{
		{"missing required config", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalHour,
			Destination: awsS3Dest(posthogapi.AwsS3Config{BucketName: "b", Region: "r"}),
		}, "destination__non_field_errors", "invalid_input", "Configuration missing required field: 'prefix'"},
		{"unknown config key", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalHour,
			Destination: posthogapi.BatchExportDestinationRequest{Type: posthogapi.DestinationNoOp, RawConfig: map[string]any{"bogus": 1}},
		}, "destination__non_field_errors", "invalid_input", "Configuration has unknown field/s: 'bogus'"},
		{"bad compression", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalHour,
			Destination: awsS3Dest(posthogapi.AwsS3Config{BucketName: "b", Region: "r", Prefix: "p", Compression: "zstd"}),
		}, "destination", "invalid_input", "Compression zstd is not supported for file format JSONLines"},
		{"offset_day on daily", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalDay, OffsetDay: posthogapi.Ptr(2),
			Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
		}, "offset_day", "invalid_input", "not applicable"},
		{"HTTP persons", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalHour, Model: posthogapi.Ptr(posthogapi.ModelPersons),
			Destination: posthogapi.NewBatchExportDestination(posthogapi.HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: "t"}),
		}, "", "invalid_input", "HTTP batch exports only support the events model"},
		{"bad hogql", &posthogapi.BatchExportCreate{
			Name: "x", Interval: posthogapi.IntervalHour, HogQLQuery: posthogapi.Ptr("SELECT event FROM persons"),
			Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
		}, "hogql_query", "invalid_input", "Query must only SELECT FROM events"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.BatchExports.Create(ctx, org, tc.create)
			var ae *posthogapi.APIError
			if !errors.Is(err, posthogapi.ErrValidation) || !errors.As(err, &ae) {
				t.Fatalf("err = %v", err)
			}
			if ae.Attr != tc.attr || ae.Code != tc.code || ae.Type != "validation_error" || !strings.Contains(ae.Detail, tc.contains) {
				t.Errorf("error = attr %q code %q detail %q", ae.Attr, ae.Code, ae.Detail)
			}
		})
	}

	// The destination type cannot change.
	be, err := c.BatchExports.Create(ctx, org, s3Export("s3"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.BatchExports.Update(ctx, org, be.ID, &posthogapi.BatchExportUpdate{
		Destination: &posthogapi.BatchExportDestinationRequest{Config: posthogapi.NoOpConfig{}},
	})
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) || ae.Attr != "destination" || !strings.Contains(ae.Detail, "Cannot change destination type from 'AwsS3' to 'NoOp'") {
		t.Errorf("type change: %v", err)
	}
}

func TestBatchExportE2EScopes(t *testing.T) {
	srv, readOnly, org := newBatchExportServer(t, "batch_export:read")
	ctx := context.Background()
	writer, _ := srv.Client(srv.NewAPIKey("batch_export:write"))
	be, err := writer.BatchExports.Create(ctx, org, s3Export("s3"))
	if err != nil {
		t.Fatal(err)
	}
	// Reads work with :read (and :write implies :read).
	if _, err := readOnly.BatchExports.Get(ctx, org, be.ID); err != nil {
		t.Fatal(err)
	}
	var se *posthogapi.ScopeError
	writes := map[string]func() error{
		"create": func() error {
			_, err := readOnly.BatchExports.Create(ctx, org, s3Export("x"))
			return err
		},
		"update": func() error {
			_, err := readOnly.BatchExports.Update(ctx, org, be.ID, &posthogapi.BatchExportUpdate{Paused: posthogapi.Ptr(true)})
			return err
		},
		"replace": func() error {
			_, err := readOnly.BatchExports.Replace(ctx, org, be.ID, s3Export("x"))
			return err
		},
		"delete": func() error { return readOnly.BatchExports.Delete(ctx, org, be.ID) },
		"pause": func() error {
			_, err := readOnly.BatchExports.Pause(ctx, org, be.ID)
			return err
		},
		"unpause": func() error {
			_, err := readOnly.BatchExports.Unpause(ctx, org, be.ID, nil)
			return err
		},
	}
	for name, call := range writes {
		if err := call(); !errors.As(err, &se) || se.Scope != "batch_export:write" {
			t.Errorf("%s: %v", name, err)
		}
	}
	other, _ := srv.Client(srv.NewAPIKey("organization:read"))
	if _, err := other.BatchExports.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "batch_export:read" {
		t.Errorf("list without scope: %v", err)
	}
	// Fidelity item 8: test needs batch_export:read, the test steps
	// batch_export:write.
	if _, err := readOnly.BatchExports.Test(ctx, org, posthogapi.DestinationAwsS3); err != nil {
		t.Errorf("test with :read: %v", err)
	}
	req := &posthogapi.BatchExportTestStepRequest{BatchExportCreate: *s3Export("probe")}
	if _, err := readOnly.BatchExports.RunTestStep(ctx, org, be.ID, req); !errors.As(err, &se) || se.Scope != "batch_export:write" {
		t.Errorf("run_test_step with :read: %v", err)
	}
	if _, err := readOnly.BatchExports.RunTestStepNew(ctx, org, req); !errors.As(err, &se) || se.Scope != "batch_export:write" {
		t.Errorf("run_test_step_new with :read: %v", err)
	}
	if _, err := writer.BatchExports.RunTestStepNew(ctx, org, req); err != nil {
		t.Errorf("run_test_step_new with :write: %v", err)
	}
	// Logs reject personal API keys whatever their scopes.
	all, _ := srv.Client(srv.NewAPIKey("*"))
	for _, cl := range []*posthogapi.Client{readOnly, writer, all} {
		_, err := cl.BatchExports.ListLogs(ctx, org, be.ID, nil)
		if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) || errors.As(err, &se) {
			t.Errorf("logs: %v", err)
		}
	}
}

func TestBatchExportE2EDestinationTests(t *testing.T) {
	_, c, org := newBatchExportServer(t, "*")
	ctx := context.Background()
	dt, err := c.BatchExports.Test(ctx, org, posthogapi.DestinationBigQuery)
	if err != nil {
		t.Fatal(err)
	}
	if len(dt.Steps) != 3 || dt.Steps[0].Name != "Verify BigQuery project" || dt.Steps[0].Result != nil {
		t.Fatalf("steps = %+v", dt.Steps)
	}
	if _, err := c.BatchExports.Test(ctx, org, posthogapi.DestinationPostgres); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("postgres test: %v", err)
	}

	bq := posthogapi.BigQueryConfig{ProjectID: "proj", DatasetID: "ds", TableID: "events"}
	step := func(cfg posthogapi.BigQueryConfig, n int) *posthogapi.BatchExportTestStepRequest {
		d := posthogapi.NewBatchExportDestination(cfg)
		d.IntegrationID = posthogapi.NewNullable[posthogapi.ProjectIntegrationID](e2eBigQueryIntegration)
		return &posthogapi.BatchExportTestStepRequest{Step: n, BatchExportCreate: posthogapi.BatchExportCreate{
			Name: "probe", Interval: posthogapi.IntervalHour, Destination: d,
		}}
	}
	// Without a table the table step cannot run.
	res, err := c.BatchExports.RunTestStepNew(ctx, org, step(posthogapi.BigQueryConfig{DatasetID: "ds"}, 2))
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != "Verify BigQuery table" || res.Result == nil || res.Result.Status != posthogapi.TestStatusFailed || res.Result.Message == nil {
		t.Fatalf("unconfigured step = %+v", res)
	}
	// The integration's service account key completes the configuration.
	withKey := bq
	if res, err = c.BatchExports.RunTestStepNew(ctx, org, step(withKey, 1)); err != nil || res.Result.Status != posthogapi.TestStatusPassed {
		t.Fatalf("configured step = %+v, %v", res, err)
	}
	// For an existing export the stored key fills in what the body omits.
	be, err := c.BatchExports.Create(ctx, org, &step(withKey, 0).BatchExportCreate)
	if err != nil {
		t.Fatal(err)
	}
	if res, err = c.BatchExports.RunTestStep(ctx, org, be.ID, step(bq, 2)); err != nil || res.Name != "Verify BigQuery table" || res.Result.Status != posthogapi.TestStatusPassed {
		t.Fatalf("stored-config step = %+v, %v", res, err)
	}
	// A step past the end is an unhandled error in PostHog.
	if _, err := c.BatchExports.RunTestStep(ctx, org, be.ID, step(bq, 3)); !errors.Is(err, posthogapi.ErrServer) {
		t.Errorf("step 3: %v", err)
	}
}

func TestBatchExportE2ERunsAndListing(t *testing.T) {
	srv, c, org := newBatchExportServer(t, "batch_export:write")
	ctx := context.Background()
	var ids []uuid.UUID
	for i := range 3 {
		be, err := c.BatchExports.Create(ctx, org, s3Export(fmt.Sprintf("export %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, uuid.UUID(be.ID))
	}
	// Workflows exports are left out of lists but can be read.
	wf, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{
		Name: "wf", Interval: posthogapi.IntervalHour,
		Destination: posthogapi.NewBatchExportDestination(posthogapi.WorkflowsConfig{HogFunctionID: "hog-1"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchExports.Get(ctx, org, wf.ID); err != nil {
		t.Errorf("get workflows export: %v", err)
	}

	page, err := c.BatchExports.List(ctx, org, &posthogapi.ListOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 3 || len(page.Results) != 2 || page.Next == "" || page.Results[0].ID != posthogapi.BatchExportID(ids[2]) {
		t.Fatalf("page = count %d next %q first %v", page.Count, page.Next, page.Results[0].ID)
	}
	var seen []uuid.UUID
	for be, err := range c.BatchExports.All(ctx, org, &posthogapi.ListOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, uuid.UUID(be.ID))
	}
	if len(seen) != 3 || seen[0] != ids[2] || seen[2] != ids[0] {
		t.Errorf("all = %v, want newest first %v", seen, ids)
	}

	// Seeded runs show in latest_runs, newest first, at most ten.
	for range 10 {
		srv.AddBatchExportRun(org, posthogapi.BatchExportID(ids[0]), "Completed")
	}
	last := srv.AddBatchExportRun(org, posthogapi.BatchExportID(ids[0]), "FailedBilling")
	be, err := c.BatchExports.Get(ctx, org, posthogapi.BatchExportID(ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(be.LatestRuns) != 10 {
		t.Fatalf("latest_runs = %d", len(be.LatestRuns))
	}
	r := be.LatestRun()
	if r.ID != last.ID || r.Status != posthogapi.RunStatusFailedBilling || r.BatchExport != posthogapi.BatchExportID(ids[0]) || r.LatestError == nil ||
		r.FinishedAt == nil || !r.DataIntervalEnd.Equal(last.DataIntervalEnd) || r.DataIntervalEnd.Sub(*r.DataIntervalStart) != time.Hour {
		t.Errorf("latest run = %+v", r)
	}
	if be.LatestRuns[0].ID != last.ID || be.LatestRuns[1].Status != posthogapi.RunStatusCompleted {
		t.Errorf("order: %v then %v", be.LatestRuns[0].Status, be.LatestRuns[1].Status)
	}
}

// TestFidelityDecOpen_OrganizationBackfillNotFound: the newest server has
// no organization-level backfill action, so posthogtest answers 404 there
// (server-fidelity-2026-12, still open from November);
// WithLegacyBatchExportBackfill serves the older action, which still
// answers a backfill ID.
func TestFidelityDecOpen_OrganizationBackfillNotFound(t *testing.T) {
	ctx := context.Background()
	end := time.Now().UTC().Truncate(time.Hour)
	start := end.Add(-3 * time.Hour)
	for _, legacy := range []bool{false, true} {
		var opts []posthogtest.Option
		if legacy {
			opts = append(opts, posthogtest.WithLegacyBatchExportBackfill())
		}
		srv := posthogtest.NewServer(opts...)
		org := srv.DefaultOrganization().ID
		c := e2eClient(t, srv, srv.NewAPIKey("batch_export:write"))
		be, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{
			Name: "noop", Interval: posthogapi.IntervalHour, Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
		})
		if err != nil {
			t.Fatal(err)
		}
		bf, err := c.BatchExports.Backfill(ctx, org, be.ID, &posthogapi.BatchExportBackfillRequest{StartAt: &start, EndAt: &end})
		switch {
		case !legacy && !errors.Is(err, posthogapi.ErrNotFound):
			t.Errorf("newest server: backfill = %+v, %v; want ErrNotFound", bf, err)
		case legacy && (err != nil || bf.BackfillID == ""):
			t.Errorf("legacy server: backfill = %+v, %v", bf, err)
		}
		srv.Close()
	}
}

func TestBatchExportE2EOtherOrganization(t *testing.T) {
	srv, c, org := newBatchExportServer(t, "batch_export:write")
	ctx := context.Background()
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil)).ID
	be, err := c.BatchExports.Create(ctx, org, s3Export("s3"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchExports.Get(ctx, other, be.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("cross-organization get: %v", err)
	}
	if page, err := c.BatchExports.List(ctx, other, nil); err != nil || page.Count != 0 {
		t.Errorf("other list = %+v, %v", page, err)
	}
	if _, err := c.BatchExports.Get(ctx, posthogapi.OrganizationID(uuid.New()), be.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown organization: %v", err)
	}
}

// Shows a batch export and the status of its latest run.
func ExampleBatchExportsService_Get() {
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs(),
		posthogtest.WithFixedClock(time.Date(2025, 11, 5, 9, 30, 0, 0, time.UTC)))
	defer srv.Close()
	c, err := srv.Client(srv.NewAPIKey("batch_export:write"))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	// Exports go to the organization's first project; an aws-s3
	// integration there holds the credentials.
	integrationID := srv.SeedIntegration(srv.AddProject(org, "Main").ID, posthogtest.IntegrationAWSS3, "AWS (prod)")

	be, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{
		Name:     "Events to S3",
		Interval: posthogapi.IntervalHour,
		Destination: posthogapi.BatchExportDestinationRequest{
			Config: posthogapi.AwsS3Config{BucketName: "ph-exports", Region: "eu-west-1", Prefix: "events/"},
			// The project integration holding the AWS credentials.
			IntegrationID: posthogapi.NewNullable(integrationID),
		},
	})
	if err != nil {
		panic(err)
	}
	srv.AddBatchExportRun(org, be.ID, "Completed")
	srv.AddBatchExportRun(org, be.ID, "FailedRetryable")

	be, err = c.BatchExports.Get(ctx, org, be.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(be.Name, "->", be.Destination.Type, be.Destination.Config["bucket_name"])
	_, hasSecret := be.Destination.Config["aws_secret_access_key"]
	fmt.Println("secret returned:", hasSecret)
	if r := be.LatestRun(); r != nil {
		fmt.Println("latest run:", r.Status, "for", r.DataIntervalStart.Format("15:04"), "to", r.DataIntervalEnd.Format("15:04"))
	}
	// Output:
	// Events to S3 -> AwsS3 ph-exports
	// secret returned: false
	// latest run: FailedRetryable for 08:00 to 09:00
}

// TestFidelity01_E2EAwsS3WithProjectIntegration finds an aws-s3 integration
// of the project through the SDK, links it to a new AwsS3 export, and gets
// PostHog's refusal for an integration of the wrong kind.
func TestFidelity01_E2EAwsS3WithProjectIntegration(t *testing.T) {
	srv := e2eStart(t)
	org := srv.DefaultOrganization().ID
	proj := srv.AddProject(org, "Main").ID
	srv.SeedIntegration(proj, posthogtest.IntegrationSlack, "workspace")
	r2 := srv.SeedIntegration(proj, posthogtest.IntegrationS3Compatible, "R2")
	srv.SeedIntegration(proj, posthogtest.IntegrationAWSS3, "AWS prod")
	c := retryingClient(t, srv, srv.NewAPIKey("batch_export:write", "integration:read"))
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
