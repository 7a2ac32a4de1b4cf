package posthogapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

// TestProjectBatchExports_RunOperations: GetRun, RetryRun, CancelRun and
// the run's log on both routes: method, path, body and decoding.
func TestProjectBatchExports_RunOperations(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	export := BatchExportID(uuid.MustParse("018d0000-0000-7000-8000-000000000001"))
	run := BatchExportRunID(uuid.MustParse("018d0000-0000-7000-8000-0000000000a1"))
	backfill := "018d0000-0000-7000-8000-0000000000b1"
	runJSON := `{"id":"` + run.String() + `","status":"Running","records_completed":null,"latest_error":null,` +
		`"data_interval_start":"2026-12-01T10:00:00Z","data_interval_end":"2026-12-01T11:00:00Z","cursor":null,` +
		`"created_at":"2026-12-01T11:00:01Z","finished_at":null,"last_updated_at":"2026-12-01T11:00:01Z",` +
		`"records_total_count":null,"bytes_exported":null,"batch_export":"` + export.String() + `","backfill":null}`
	noBody := func(next httpmock.Responder) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			if req.Body != nil {
				if b, _ := io.ReadAll(req.Body); len(b) != 0 {
					t.Errorf("%s %s sent a body: %s", req.Method, req.URL.Path, b)
				}
			}
			return next(req)
		}
	}
	for _, tc := range []struct {
		routes string
		svc    *ProjectBatchExportsService
	}{{"projects", c.ProjectBatchExports}, {"environments", c.EnvironmentBatchExports}} {
		base := mockBase + "/api/" + tc.routes + "/7/batch_exports/" + export.String() + "/"
		mt.RegisterResponder(http.MethodGet, base+"runs/"+run.String()+"/", respond(t, 200, runJSON, "", ""))
		mt.RegisterResponder(http.MethodPost, base+"runs/"+run.String()+"/retry/", noBody(respond(t, 201, `{"backfill_id":"`+backfill+`"}`, "", "")))
		mt.RegisterResponder(http.MethodPost, base+"runs/"+run.String()+"/cancel/", noBody(respond(t, 200, `{"cancelled":true}`, "", "")))
		mt.RegisterResponder(http.MethodGet, base+"logs/", respond(t, 200,
			`{"count":1,"next":null,"previous":null,"results":[{"team_id":7,"log_source":"batch_exports","log_source_id":"`+export.String()+`","instance_id":"`+run.String()+`","timestamp":"2026-12-01T11:00:00Z","level":"INFO","message":"done"}]}`,
			"instance_id="+run.String()+"&level=ERROR%2CWARNING&limit=20", ""))

		r, err := tc.svc.GetRun(ctx, 7, export, run)
		if err != nil || r.ID != run || r.Status != RunStatusRunning || r.BatchExport != export || r.DataIntervalStart == nil {
			t.Fatalf("%s: GetRun = %+v, %v", tc.routes, r, err)
		}
		res, err := tc.svc.RetryRun(ctx, 7, export, run)
		if err != nil || res.BackfillID != backfill {
			t.Fatalf("%s: RetryRun = %+v, %v", tc.routes, res, err)
		}
		cr, err := tc.svc.CancelRun(ctx, 7, export, run)
		if err != nil || !cr.Cancelled {
			t.Fatalf("%s: CancelRun = %+v, %v", tc.routes, cr, err)
		}
		opts := &BatchExportLogsOptions{ListOptions: ListOptions{Limit: 20}, Level: []BatchExportLogLevel{LogLevelError, LogLevelWarning}, InstanceID: "other"}
		page, err := tc.svc.ListRunLogs(ctx, 7, export, run, opts)
		if err != nil || len(page.Results) != 1 || page.Results[0].Message != "done" {
			t.Fatalf("%s: ListRunLogs = %+v, %v", tc.routes, page, err)
		}
		if opts.InstanceID != "other" {
			t.Errorf("ListRunLogs modified opts: %+v", opts)
		}
		n := 0
		for e, err := range tc.svc.AllRunLogs(ctx, 7, export, run, opts) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Message != "done" {
				t.Errorf("AllRunLogs yields %+v", e)
			}
			n++
		}
		if n != 1 {
			t.Errorf("%s: AllRunLogs yields %d entries", tc.routes, n)
		}
	}
	info := mt.GetCallCountInfo()
	for _, routes := range []string{"projects", "environments"} {
		base := mockBase + "/api/" + routes + "/7/batch_exports/" + export.String() + "/"
		for _, k := range []string{"GET " + base + "runs/" + run.String() + "/", "POST " + base + "runs/" + run.String() + "/retry/", "POST " + base + "runs/" + run.String() + "/cancel/"} {
			if info[k] != 1 {
				t.Errorf("%s: %d calls", k, info[k])
			}
		}
	}
}

// TestProjectBatchExports_RunOperationsValidate: a nil or non-positive ID
// and bad log options are refused, named by their kind, before anything is
// sent.
func TestProjectBatchExports_RunOperationsValidate(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	export := BatchExportID(uuid.MustParse("018d0000-0000-7000-8000-000000000001"))
	run := BatchExportRunID(uuid.MustParse("018d0000-0000-7000-8000-0000000000a1"))
	s := c.ProjectBatchExports
	for name, call := range map[string]func() error{
		"nil run":    func() error { _, err := s.GetRun(ctx, 7, export, BatchExportRunID{}); return err },
		"nil export": func() error { _, err := s.RetryRun(ctx, 7, BatchExportID{}, run); return err },
		"project 0":  func() error { _, err := s.CancelRun(ctx, 0, export, run); return err },
		"logs run":   func() error { _, err := s.ListRunLogs(ctx, 7, export, BatchExportRunID{}, nil); return err },
		"logs limit": func() error {
			_, err := s.ListRunLogs(ctx, 7, export, run, &BatchExportLogsOptions{ListOptions: ListOptions{Limit: 501}})
			return err
		},
		"all logs level": func() error {
			for _, err := range s.AllRunLogs(ctx, 7, export, run, &BatchExportLogsOptions{Level: []BatchExportLogLevel{"LOUD"}}) {
				return err
			}
			return nil
		},
	} {
		if err := call(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
	_, err := s.GetRun(ctx, 7, export, BatchExportRunID{})
	if err == nil || err.Error() != "posthogapi: invalid argument: batch export run ID is the nil UUID" {
		t.Errorf("nil run: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestEnvironmentBatchExports_Routes: the environment service is the
// project service on /api/environments/, with the same methods and types.
func TestEnvironmentBatchExports_Routes(t *testing.T) {
	c, mt := newMockClient(t)
	id := BatchExportID(uuid.MustParse("018d0000-0000-7000-8000-000000000001"))
	body := `{"id":"` + id.String() + `","team_id":7,"name":"e","interval":"hour","paused":false}`
	mt.RegisterResponder(http.MethodGet, mockBase+"/api/environments/7/batch_exports/"+id.String()+"/", respond(t, 200, body, "", ""))
	mt.RegisterResponder(http.MethodPut, mockBase+"/api/environments/7/batch_exports/"+id.String()+"/",
		respond(t, 200, body, "", `{"name":"e","interval":"hour","destination":{"type":"NoOp","config":{}}}`))
	mt.RegisterResponder(http.MethodPut, mockBase+"/api/projects/7/batch_exports/"+id.String()+"/",
		respond(t, 200, body, "", `{"name":"e","interval":"hour","destination":{"type":"NoOp","config":{}}}`))
	ctx := context.Background()
	be, err := c.EnvironmentBatchExports.Get(ctx, 7, id)
	if err != nil || be.ID != id || be.TeamID != 7 {
		t.Fatalf("Get = %+v, %v", be, err)
	}
	repl := &BatchExportReplace{Name: "e", Interval: IntervalHour, Destination: NewBatchExportDestination(NoOpConfig{})}
	if _, err := c.EnvironmentBatchExports.Replace(ctx, 7, id, repl); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProjectBatchExports.Replace(ctx, 7, id, repl); err != nil {
		t.Fatal(err)
	}
	info := mt.GetCallCountInfo()
	if info["PUT "+mockBase+"/api/environments/7/batch_exports/"+id.String()+"/"] != 1 || info["PUT "+mockBase+"/api/projects/7/batch_exports/"+id.String()+"/"] != 1 {
		t.Errorf("calls = %v", info)
	}
}

// TestProjectBatchExports_ReplaceValidates: Replace checks the body and the
// IDs before any request, on both routes.
func TestProjectBatchExports_ReplaceValidates(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	id := BatchExportID(uuid.MustParse("018d0000-0000-7000-8000-000000000001"))
	for _, s := range []*ProjectBatchExportsService{c.ProjectBatchExports, c.EnvironmentBatchExports} {
		if _, err := s.Replace(ctx, 7, id, &BatchExportReplace{Interval: IntervalHour, Destination: NewBatchExportDestination(NoOpConfig{})}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("no name: %v", err)
		}
		if _, err := s.Replace(ctx, 0, id, &BatchExportReplace{Name: "n", Interval: IntervalHour, Destination: NewBatchExportDestination(NoOpConfig{})}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("project 0: %v", err)
		}
		if _, err := s.Replace(ctx, 7, BatchExportID{}, &BatchExportReplace{Name: "n", Interval: IntervalHour, Destination: NewBatchExportDestination(NoOpConfig{})}); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil id: %v", err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
