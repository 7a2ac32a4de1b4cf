package posthogapi_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func noopExport(name string) *posthogapi.BatchExportCreate {
	return &posthogapi.BatchExportCreate{
		Name: name, Interval: posthogapi.IntervalHour,
		Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
	}
}

// TestProjectBatchExports_CreateInNamedProject is issue 11's first finding:
// in an organization that already has a project, an export created for
// the new project lands in the new project, and every per-project action
// works on it.
func TestProjectBatchExports_CreateInNamedProject(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:write")
	old := srv.AddProject(org, "Old")
	fresh := srv.AddProject(org, "New")

	be, err := c.ProjectBatchExports.Create(ctx, fresh.ID, noopExport("to noop"))
	if err != nil {
		t.Fatal(err)
	}
	if posthogapi.ProjectID(be.TeamID) != fresh.ID {
		t.Errorf("TeamID = %d, want %d", be.TeamID, fresh.ID)
	}
	if got := srv.ProjectBatchExports(fresh.ID); len(got) != 1 || got[0].ID != be.ID {
		t.Errorf("new project holds %v", got)
	}
	if got := srv.ProjectBatchExports(old.ID); len(got) != 0 {
		t.Errorf("old project holds %v", got)
	}
	// The organization-level list sees it too: one set of exports.
	if p, err := c.BatchExports.List(ctx, org, nil); err != nil || p.Count != 1 {
		t.Errorf("organization list: %v, %v", p, err)
	}

	p, err := c.ProjectBatchExports.List(ctx, old.ID, nil)
	if err != nil || p.Count != 0 {
		t.Errorf("old project list: %+v, %v", p, err)
	}
	n := 0
	for e, err := range c.ProjectBatchExports.All(ctx, fresh.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != be.ID {
			t.Errorf("All yields %s", e.ID)
		}
		n++
	}
	if n != 1 {
		t.Errorf("All yields %d exports", n)
	}
	if _, err := c.ProjectBatchExports.Get(ctx, old.ID, be.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get through the other project: %v, want ErrNotFound", err)
	}
	got, err := c.ProjectBatchExports.Get(ctx, fresh.ID, be.ID)
	if err != nil || got.Name != "to noop" {
		t.Fatalf("Get: %+v, %v", got, err)
	}
	upd, err := c.ProjectBatchExports.Update(ctx, fresh.ID, be.ID, &posthogapi.BatchExportUpdate{Name: posthogapi.Ptr("renamed")})
	if err != nil || upd.Name != "renamed" {
		t.Fatalf("Update: %+v, %v", upd, err)
	}
	if st, err := c.ProjectBatchExports.Pause(ctx, fresh.ID, be.ID); err != nil || !st.Paused {
		t.Errorf("Pause: %+v, %v", st, err)
	}
	if st, err := c.ProjectBatchExports.Unpause(ctx, fresh.ID, be.ID, &posthogapi.BatchExportUnpauseOptions{Backfill: true}); err != nil || st.Paused {
		t.Errorf("Unpause: %+v, %v", st, err)
	}
	if _, err := c.ProjectBatchExports.ListLogs(ctx, fresh.ID, be.ID, nil); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("ListLogs with a personal API key: %v", err)
	}
	if err := c.ProjectBatchExports.Delete(ctx, fresh.ID, be.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProjectBatchExports.Get(ctx, fresh.ID, be.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

// TestProjectBatchExports_ProjectAccess: an unknown project is 404, a
// project of an organization the key's user is not in is 403, as PostHog
// answers (routing.py, TeamMemberAccessPermission): neither is "empty".
func TestProjectBatchExports_ProjectAccess(t *testing.T) {
	ctx := context.Background()
	srv, _, c := e2eServer(t, "batch_export:write")
	stranger := srv.AddUser(posthogtest.UserSeed{Email: "s@other.example"})
	other := srv.AddOrganization("Other", stranger.UUID)
	theirs := srv.AddProject(other.ID, "Theirs")

	if _, err := c.ProjectBatchExports.List(ctx, 9999, nil); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown project: %v, want ErrNotFound", err)
	}
	_, err := c.ProjectBatchExports.Create(ctx, theirs.ID, noopExport("x"))
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("project of another organization: %v, want ErrPermissionDenied", err)
	}
	if got := srv.ProjectBatchExports(theirs.ID); len(got) != 0 {
		t.Errorf("created in another organization's project: %v", got)
	}
	if _, err := c.ProjectBatchExports.List(ctx, 0, nil); !errors.Is(err, posthogapi.ErrInvalidArgument) {
		t.Errorf("project 0: %v", err)
	}
}

// TestProjectBatchExports_RunsCursorPages: runs come 100 a page with a
// cursor (PostHog's RunsCursorPagination); AllRuns follows the cursor links
// and the status filter applies.
func TestProjectBatchExports_RunsCursorPages(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:read", "batch_export:write")
	proj := srv.AddProject(org, "P")
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, noopExport("runs"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 130 {
		status := "Completed"
		if i%10 == 0 {
			status = "Failed"
		}
		srv.AddBatchExportRun(org, be.ID, posthogapi.BatchExportRunStatus(status))
	}
	first, err := c.ProjectBatchExports.ListRuns(ctx, proj.ID, be.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Results) != 100 || first.Next == "" || !strings.Contains(first.Next, "cursor=") {
		t.Errorf("first page: %d runs, next %q", len(first.Results), first.Next)
	}
	srv.ResetRequests()
	seen := map[uuid.UUID]bool{}
	for r, err := range c.ProjectBatchExports.AllRuns(ctx, proj.ID, be.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		seen[uuid.UUID(r.ID)] = true
	}
	if len(seen) != 130 || len(srv.Requests()) != 2 {
		t.Errorf("AllRuns: %d runs in %d requests, want 130 in 2", len(seen), len(srv.Requests()))
	}
	failed := 0
	for r, err := range c.ProjectBatchExports.AllRuns(ctx, proj.ID, be.ID, &posthogapi.BatchExportRunsOptions{Status: []posthogapi.BatchExportRunStatus{posthogapi.RunStatusFailed}}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != posthogapi.RunStatusFailed {
			t.Errorf("status filter let %s through", r.Status)
		}
		failed++
	}
	if failed != 13 {
		t.Errorf("failed runs = %d, want 13", failed)
	}
	if _, err := c.ProjectBatchExports.ListRuns(ctx, proj.ID, be.ID, &posthogapi.BatchExportRunsOptions{Ordering: "name"}); !errors.Is(err, posthogapi.ErrInvalidArgument) {
		t.Errorf("bad ordering: %v", err)
	}
}

// TestProjectBatchExports_Backfills creates, lists, gets and cancels a
// backfill, with PostHog's refusals for a future end, a missing start and
// cancelling twice.
func TestProjectBatchExports_Backfills(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:write")
	proj := srv.AddProject(org, "P")
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, noopExport("bf"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Hour)
	res, err := c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillCreate{
		StartAt: posthogapi.BackfillTime(now.Add(-5 * time.Hour)), EndAt: posthogapi.BackfillTime(now.Add(-time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := uuid.Parse(res.BackfillID)
	if err != nil {
		t.Fatalf("backfill id %q: %v", res.BackfillID, err)
	}
	bf, err := c.ProjectBatchExports.GetBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(id))
	if err != nil {
		t.Fatal(err)
	}
	if bf.Status != posthogapi.BackfillStatusStarting || bf.BatchExport != be.ID || posthogapi.ProjectID(bf.Team) != proj.ID ||
		bf.Progress == nil || bf.Progress.TotalRuns == nil || *bf.Progress.TotalRuns != 4 {
		t.Errorf("backfill = %+v", bf)
	}
	n := 0
	for b, err := range c.ProjectBatchExports.AllBackfills(ctx, proj.ID, be.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if b.ID != posthogapi.BatchExportBackfillID(id) {
			t.Errorf("AllBackfills yields %s", b.ID)
		}
		n++
	}
	if n != 1 {
		t.Errorf("AllBackfills yields %d", n)
	}
	if r, err := c.ProjectBatchExports.CancelBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(id)); err != nil || !r.Cancelled {
		t.Fatalf("CancelBackfill: %+v, %v", r, err)
	}
	_, err = c.ProjectBatchExports.CancelBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(id))
	var apiErr *posthogapi.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Detail, "'Cancelled' status") {
		t.Errorf("second cancel: %v", err)
	}
	_, err = c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillCreate{
		StartAt: posthogapi.BackfillTime(now.Add(-time.Hour)), EndAt: posthogapi.BackfillTime(now.Add(48 * time.Hour)),
	})
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("end in the future: %v", err)
	}
	_, err = c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillCreate{EndAt: posthogapi.BackfillTime(now)})
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("no start: %v", err)
	}
	_, err = c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillCreate{StartAt: "yesterday"})
	if !errors.Is(err, posthogapi.ErrInvalidArgument) {
		t.Errorf("unparsable start: %v", err)
	}
}

// TestProjectBatchExports_RunOperations gets, cancels and retries runs on
// both routes, with PostHog's refusals: cancelling a run that is not
// starting or running (400), a run older than the 7-day window (404), and
// a personal API key on the log (PostHog has no scope for it).
func TestProjectBatchExports_RunOperations(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	clock := now
	srv, org, c := e2eServerWith(t, []posthogtest.Option{posthogtest.LegacyUnscopedKeys(), posthogtest.WithClock(func() time.Time { return clock })})
	proj := srv.AddProject(org, "P")
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, noopExport("runs"))
	if err != nil {
		t.Fatal(err)
	}
	old := srv.AddBatchExportRun(org, be.ID, posthogapi.RunStatusCompleted)
	clock = now.Add(8 * 24 * time.Hour)
	running := srv.AddBatchExportRun(org, be.ID, posthogapi.RunStatusRunning)
	done := srv.AddBatchExportRun(org, be.ID, posthogapi.RunStatusFailed)

	for _, svc := range []*posthogapi.ProjectBatchExportsService{c.ProjectBatchExports, c.EnvironmentBatchExports} {
		r, err := svc.GetRun(ctx, proj.ID, be.ID, done.ID)
		if err != nil || r.ID != done.ID || r.Status != posthogapi.RunStatusFailed || r.BatchExport != be.ID {
			t.Fatalf("GetRun = %+v, %v", r, err)
		}
		if _, err := svc.GetRun(ctx, proj.ID, be.ID, old.ID); !errors.Is(err, posthogapi.ErrNotFound) {
			t.Errorf("run older than 7 days: %v, want ErrNotFound", err)
		}
		_, err = svc.CancelRun(ctx, proj.ID, be.ID, done.ID)
		var apiErr *posthogapi.APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, posthogapi.ErrValidation) || apiErr.Detail != "Cannot cancel a run that is in 'Failed' status" {
			t.Errorf("cancel a failed run: %v", err)
		}
	}
	if res, err := c.EnvironmentBatchExports.CancelRun(ctx, proj.ID, be.ID, running.ID); err != nil || !res.Cancelled {
		t.Fatalf("CancelRun = %+v, %v", res, err)
	}
	if r, err := c.ProjectBatchExports.GetRun(ctx, proj.ID, be.ID, running.ID); err != nil || r.Status != posthogapi.RunStatusCancelled || r.FinishedAt == nil {
		t.Errorf("cancelled run = %+v, %v", r, err)
	}

	res, err := c.ProjectBatchExports.RetryRun(ctx, proj.ID, be.ID, done.ID)
	if err != nil {
		t.Fatal(err)
	}
	bid, err := uuid.Parse(res.BackfillID)
	if err != nil {
		t.Fatalf("backfill id %q: %v", res.BackfillID, err)
	}
	bf, err := c.ProjectBatchExports.GetBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(bid))
	if err != nil {
		t.Fatal(err)
	}
	if bf.StartAt == nil || !bf.StartAt.Equal(done.DataIntervalStart) || bf.EndAt == nil || !bf.EndAt.Equal(done.DataIntervalEnd) || bf.BatchExport != be.ID {
		t.Errorf("the retry's backfill = %+v, want the run's interval %s - %s", bf, done.DataIntervalStart, done.DataIntervalEnd)
	}
	if _, err := c.ProjectBatchExports.RetryRun(ctx, proj.ID, be.ID, old.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("retry a run older than 7 days: %v", err)
	}

	srv.ResetRequests()
	if _, err := c.ProjectBatchExports.ListRunLogs(ctx, proj.ID, be.ID, done.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := drainErr(c.EnvironmentBatchExports.AllRunLogs(ctx, proj.ID, be.ID, done.ID, nil)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Query.Get("instance_id") != done.ID.String() || !strings.HasPrefix(reqs[1].Path, "/api/environments/") {
		t.Errorf("run log requests = %+v", reqs)
	}
	scoped := e2eClient(t, srv, srv.NewAPIKey("batch_export:read"))
	if _, err := scoped.ProjectBatchExports.ListRunLogs(ctx, proj.ID, be.ID, done.ID, nil); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("run log with a personal API key: %v", err)
	}
	if _, err := scoped.ProjectBatchExports.CancelRun(ctx, proj.ID, be.ID, done.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("cancel with batch_export:read: %v", err)
	}
}

// drainErr reads an iterator to its end and returns its first error.
func drainErr[T any](seq func(func(*T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestFidelityDec03_BackfillWithoutEndRefusedBeforeSending: PostHog
// answers a backfill without end_at of an export that is not HTTP (or
// NoOp) with a 500 (server-fidelity-2026-12 item 3). The SDK reads the
// export and refuses before sending the backfill (ErrBackfillWithoutEnd,
// an ErrInvalidArgument); posthogtest answers the raw request 500 as
// PostHog does, and nothing is created; a NoOp export takes it.
func TestFidelityDec03_BackfillWithoutEndRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:write", "integration:read")
	proj := srv.AddProject(org, "P")
	integ := srv.SeedIntegration(proj.ID, posthogtest.IntegrationAWSS3, "exports")
	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: "b", Region: "eu-west-1", Prefix: "p/"})
	dest.IntegrationID = posthogapi.NewNullable(integ)
	s3, err := c.ProjectBatchExports.Create(ctx, proj.ID, &posthogapi.BatchExportCreate{Name: "s3", Interval: posthogapi.IntervalHour, Destination: dest})
	if err != nil {
		t.Fatal(err)
	}
	start := posthogapi.BackfillTime(time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour))
	before := len(srv.Requests())
	_, err = c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, s3.ID, &posthogapi.BatchExportBackfillCreate{StartAt: start})
	if !errors.Is(err, posthogapi.ErrBackfillWithoutEnd) || !errors.Is(err, posthogapi.ErrInvalidArgument) || !strings.Contains(err.Error(), "500") {
		t.Fatalf("backfill without end of an AwsS3 export = %v, want ErrBackfillWithoutEnd", err)
	}
	for _, r := range srv.Requests()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("sent %s %s", r.Method, r.Path)
		}
	}

	// The raw request, as PostHog answers it.
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/projects/"+strconv.FormatInt(int64(proj.ID), 10)+"/batch_exports/"+s3.ID.String()+"/backfills/",
		strings.NewReader(`{"start_at":"`+start+`"}`))
	req.Header.Set("Authorization", "Bearer "+srv.NewAPIKey("batch_export:write"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("raw backfill without end = %d, want 500", resp.StatusCode)
	}
	if p, err := c.ProjectBatchExports.ListBackfills(ctx, proj.ID, s3.ID, nil); err != nil || len(p.Results) != 0 {
		t.Errorf("backfills = %+v, %v; want none", p, err)
	}

	noop, err := c.ProjectBatchExports.Create(ctx, proj.ID, noopExport("noop"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.ProjectBatchExports.CreateBackfill(ctx, proj.ID, noop.ID, &posthogapi.BatchExportBackfillCreate{StartAt: start}); err != nil || res.BackfillID == "" {
		t.Errorf("NoOp backfill without end = %+v, %v", res, err)
	}
}

// TestEnvironmentBatchExports_SameExportsAsProject: an export created on a
// project's main environment (whose ID is the project's) is the project's
// export, and every action works on either route.
func TestEnvironmentBatchExports_SameExportsAsProject(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:read", "batch_export:write")
	srv.AddProject(org, "Old")
	proj := srv.AddProject(org, "New")

	be, err := c.EnvironmentBatchExports.Create(ctx, proj.ID, noopExport("env export"))
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.ProjectBatchExports(proj.ID); len(got) != 1 || got[0].ID != be.ID {
		t.Fatalf("project holds %v", got)
	}
	got, err := c.ProjectBatchExports.Get(ctx, proj.ID, be.ID)
	if err != nil || got.Name != "env export" {
		t.Fatalf("project Get = %+v, %v", got, err)
	}
	srv.AddBatchExportRun(org, be.ID, "Completed")
	srv.AddBatchExportRun(org, be.ID, "Failed")
	n := 0
	for r, err := range c.EnvironmentBatchExports.AllRuns(ctx, proj.ID, be.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if r.BatchExport != be.ID {
			t.Errorf("run of %v", r.BatchExport)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d runs, want 2", n)
	}
	if _, err := c.EnvironmentBatchExports.Pause(ctx, proj.ID, be.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.ProjectBatchExports.Get(ctx, proj.ID, be.ID); !got.Paused {
		t.Error("pause on the environment route did not pause the project's export")
	}
	if err := c.EnvironmentBatchExports.Delete(ctx, proj.ID, be.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProjectBatchExports.Get(ctx, proj.ID, be.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if _, err := c.EnvironmentBatchExports.List(ctx, 999999, nil); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown environment: %v", err)
	}
}

// TestProjectBatchExports_Replace: PUT sends every setting; offsets left
// out are cleared, as PostHog's full update does.
func TestProjectBatchExports_Replace(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "batch_export:read", "batch_export:write")
	proj := srv.AddProject(org, "P")
	create := noopExport("daily")
	create.Interval = posthogapi.IntervalDay
	create.OffsetHour = posthogapi.Ptr(5)
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, create)
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []*posthogapi.ProjectBatchExportsService{c.ProjectBatchExports, c.EnvironmentBatchExports} {
		got, err := svc.Replace(ctx, proj.ID, be.ID, &posthogapi.BatchExportReplace{
			Name: "replaced", Interval: posthogapi.IntervalDay,
			Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "replaced" || got.OffsetHour != nil {
			t.Errorf("after Replace: name %q, offset hour %v", got.Name, got.OffsetHour)
		}
	}
	// A PUT without the required fields is refused by the server too.
	var out map[string]any
	err = c.Do(ctx, "PUT", "/api/environments/"+strconv.FormatInt(int64(proj.ID), 10)+"/batch_exports/"+be.ID.String()+"/", nil, map[string]any{"name": "x"}, &out)
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("PUT without destination: %v", err)
	}
}
