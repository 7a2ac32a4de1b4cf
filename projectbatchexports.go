package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// ProjectBatchExportsService manages the batch exports of one project
// (Client.ProjectBatchExports: /api/projects/{project_id}/batch_exports/)
// or of one environment (Client.EnvironmentBatchExports:
// /api/environments/{environment_id}/batch_exports/). PostHog serves both
// routes with the same view (products/batch_exports/backend/routes.py
// register_legacy_dual_route); an environment ID is a team ID, and a
// project's main environment has the project's ID. The project parameter
// of every method is the project ID, or the environment ID for
// EnvironmentBatchExports.
//
// Unlike BatchExports.Create, which puts an export in the key owner's
// current project, Create here puts it in the project named. It also
// reaches what PostHog serves only per project: runs, backfills and their
// cancellation. The exports are the same objects as BatchExportsService's,
// with the same request and answer types.
type ProjectBatchExportsService struct {
	client *Client
	// routes is the first path segment: "projects" or "environments".
	routes string
}

// BatchExportUnpauseOptions are the options of BatchExports.Unpause and
// ProjectBatchExports.Unpause.
type BatchExportUnpauseOptions struct {
	// Backfill also exports the data of the time the export was paused.
	Backfill bool
}

// body is the unpause request body; nil options send backfill false.
func (o *BatchExportUnpauseOptions) body() batchExportUnpauseBody {
	if o == nil {
		return batchExportUnpauseBody{}
	}
	return batchExportUnpauseBody{Backfill: o.Backfill}
}

// BatchExportRunsOptions filters and pages ProjectBatchExports.ListRuns.
// PostHog pages runs with a cursor, 100 a page, newest first (see
// Page for the cursor links).
type BatchExportRunsOptions struct {
	// Cursor is the opaque `cursor` value of a next or previous link; ""
	// is the first page. AllRuns follows the links itself.
	Cursor string `url:"cursor,omitempty"`
	// Ordering is "-created_at" (PostHog's default), "created_at",
	// "data_interval_start" or "-data_interval_start".
	Ordering string `url:"ordering,omitempty"`
	// Status keeps only runs in these statuses.
	Status []BatchExportRunStatus `url:"status,omitempty"`
	// After and Before bound the runs' creation time (PostHog's defaults:
	// 7 days ago and now). PostHog ignores them when ordering by
	// data_interval_start.
	After  *time.Time `url:"after,omitempty"`
	Before *time.Time `url:"before,omitempty"`
	// Start and End bound the runs' data interval when ordering by
	// data_interval_start (PostHog's defaults: 7 days ago and now).
	Start *time.Time `url:"start,omitempty"`
	End   *time.Time `url:"end,omitempty"`
}

func (o *BatchExportRunsOptions) validate() error {
	if o == nil {
		return nil
	}
	switch o.Ordering {
	case "", "created_at", "-created_at", "data_interval_start", "-data_interval_start":
	default:
		return fmt.Errorf("%w: runs ordering must be created_at or data_interval_start, optionally with -", ErrInvalidArgument)
	}
	for _, s := range o.Status {
		if !s.valid() {
			return fmt.Errorf("%w: unknown batch export run status %q", ErrInvalidArgument, s)
		}
	}
	return nil
}

func (s BatchExportRunStatus) valid() bool {
	switch s {
	case RunStatusCancelled, RunStatusCompleted, RunStatusContinuedAsNew, RunStatusFailed,
		RunStatusFailedRetryable, RunStatusFailedBilling, RunStatusTerminated, RunStatusTimedOut,
		RunStatusRunning, RunStatusStarting:
		return true
	}
	return false
}

// BatchExportBackfillsOptions pages ProjectBatchExports.ListBackfills.
// PostHog pages backfills with a cursor, 50 a page, newest first.
type BatchExportBackfillsOptions struct {
	// Cursor is the opaque `cursor` value of a next or previous link.
	Cursor string `url:"cursor,omitempty"`
	// Ordering is "-created_at" (PostHog's default), "created_at",
	// "start_at" or "-start_at".
	Ordering string `url:"ordering,omitempty"`
}

// BatchExportBackfillCreate is the body of ProjectBatchExports.CreateBackfill:
// the data interval to export again. PostHog reads StartAt and EndAt as a
// date ("2006-01-02", at the export's offset hour in its time zone) for
// daily and weekly exports, and as an RFC 3339 time with an offset for the
// others (see BackfillTime). EndAt must not be in the future. An empty
// StartAt (from the beginning of the data) needs a PostHog feature flag.
// An empty EndAt (backfill until caught up with real time) is allowed only
// for HTTP and NoOp exports (see ErrBackfillWithoutEnd).
type BatchExportBackfillCreate struct {
	StartAt string `json:"start_at,omitempty"`
	EndAt   string `json:"end_at,omitempty"`
}

// ErrBackfillWithoutEnd is returned by ProjectBatchExports.CreateBackfill,
// before the backfill is sent, for a backfill without EndAt of an export
// whose destination is not HTTP or NoOp. PostHog refuses such a backfill
// with a 500, not a 400: products/batch_exports/backend/service.py
// backfill_export raises BatchExportWithNoEndNotAllowedError, which is no
// APIException, and create_backfill calls it outside the try that would
// turn it into "Backfilling a BatchExport with no end date is not
// allowed". It wraps ErrInvalidArgument.
var ErrBackfillWithoutEnd = fmt.Errorf("%w: a backfill without end_at is only possible for HTTP and NoOp batch exports (PostHog answers 500 for the others)", ErrInvalidArgument)

// BackfillTime formats t for a BatchExportBackfillCreate of an export
// whose interval is shorter than a day.
func BackfillTime(t time.Time) string { return t.Format(time.RFC3339) }

// BackfillDate formats the date of t for a BatchExportBackfillCreate of a
// daily or weekly export (a weekly export's dates must fall on its
// offset day).
func BackfillDate(t time.Time) string { return t.Format(time.DateOnly) }

func (b *BatchExportBackfillCreate) validate() error {
	if b == nil {
		return fmt.Errorf("%w: nil backfill", ErrInvalidArgument)
	}
	for name, v := range map[string]string{"start_at": b.StartAt, "end_at": b.EndAt} {
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, v); err == nil {
			continue
		}
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Errorf("%w: backfill %s must be a date (2006-01-02) or an RFC 3339 time with an offset", ErrInvalidArgument, name)
		}
	}
	return nil
}

// BatchExportBackfillStatus is the state of a backfill.
type BatchExportBackfillStatus string

// Backfill statuses (PostHog's BatchExportBackfill.Status).
const (
	BackfillStatusCancelled       BatchExportBackfillStatus = "Cancelled"
	BackfillStatusCompleted       BatchExportBackfillStatus = "Completed"
	BackfillStatusContinuedAsNew  BatchExportBackfillStatus = "ContinuedAsNew"
	BackfillStatusFailed          BatchExportBackfillStatus = "Failed"
	BackfillStatusFailedRetryable BatchExportBackfillStatus = "FailedRetryable"
	BackfillStatusTerminated      BatchExportBackfillStatus = "Terminated"
	BackfillStatusTimedOut        BatchExportBackfillStatus = "TimedOut"
	BackfillStatusRunning         BatchExportBackfillStatus = "Running"
	BackfillStatusStarting        BatchExportBackfillStatus = "Starting"
)

// BatchExportBackfill is a backfill of a batch export, as PostHog sends it.
type BatchExportBackfill struct {
	ID BatchExportBackfillID `json:"id"`
	// Progress is nil when PostHog cannot tell (a backfill from the
	// beginning of the data, or one that ended other than completed).
	Progress *BatchExportBackfillProgress `json:"progress"`
	// StartAt is nil for a backfill from the beginning of the data, EndAt
	// for one up to now.
	StartAt *time.Time `json:"start_at"`
	EndAt   *time.Time `json:"end_at"`
	// AdjustedStartAt is the start PostHog moved StartAt to (the earliest
	// data), when it did (newer PostHog versions).
	AdjustedStartAt *time.Time                `json:"adjusted_start_at,omitempty"`
	Status          BatchExportBackfillStatus `json:"status"`
	CreatedAt       time.Time                 `json:"created_at"`
	FinishedAt      *time.Time                `json:"finished_at"`
	LastUpdatedAt   time.Time                 `json:"last_updated_at"`
	// TotalRecordsCount is how many records the backfill exports, when
	// known (newer PostHog versions).
	TotalRecordsCount *int64 `json:"total_records_count,omitempty"`
	// Team is the project (team) ID.
	Team ProjectID `json:"team"`
	// BatchExport is the ID of the export backfilled.
	BatchExport BatchExportID `json:"batch_export"`
}

// BatchExportBackfillProgress is how far a backfill got, in runs.
type BatchExportBackfillProgress struct {
	TotalRuns    *int64 `json:"total_runs"`
	FinishedRuns *int64 `json:"finished_runs"`
	// Progress is FinishedRuns/TotalRuns, rounded to one decimal.
	Progress *float64 `json:"progress"`
}

// BatchExportCancelResult is the answer of ProjectBatchExports.CancelBackfill.
type BatchExportCancelResult struct {
	Cancelled bool `json:"cancelled"`
}

func (s *ProjectBatchExportsService) exportsPath(project ProjectID, action ...string) (string, error) {
	if err := checkProjectID(project); err != nil {
		return "", err
	}
	routes := s.routes
	if routes == "" {
		routes = "projects"
	}
	return "/api/" + escapePath(append([]string{routes, strconv.FormatInt(int64(project), 10), "batch_exports"}, action...)...), nil
}

func (s *ProjectBatchExportsService) exportPath(project ProjectID, id BatchExportID, action ...string) (string, error) {
	if err := checkID("batch export id", id); err != nil {
		return "", err
	}
	return s.exportsPath(project, append([]string{id.String()}, action...)...)
}

func (s *ProjectBatchExportsService) backfillPath(project ProjectID, exportID BatchExportID, backfillID BatchExportBackfillID, action ...string) (string, error) {
	if err := checkID("backfill id", backfillID); err != nil {
		return "", err
	}
	return s.exportPath(project, exportID, append([]string{"backfills", backfillID.String()}, action...)...)
}

// call runs one request on an /api/ path, as Client.Do does.
func (s *ProjectBatchExportsService) call(ctx context.Context, method, path string, q, body, out any) error {
	return s.client.Do(ctx, method, path, q, body, out)
}

// List returns one page of the project's batch exports, newest first
// (PostHog leaves Workflows exports out).
//
// API: GET /api/projects/{project_id}/batch_exports/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/ (scope batch_export:read)
func (s *ProjectBatchExportsService) List(ctx context.Context, project ProjectID, opts *ListOptions) (*Page[BatchExport], error) {
	p, err := s.exportsPath(project)
	if err != nil {
		return nil, err
	}
	return ListPage[BatchExport](ctx, s.client, p, opts)
}

// All iterates over every batch export of the project, fetching pages as
// needed.
//
// API: GET /api/projects/{project_id}/batch_exports/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/ (scope batch_export:read)
func (s *ProjectBatchExportsService) All(ctx context.Context, project ProjectID, opts *ListOptions) iter.Seq2[*BatchExport, error] {
	p, err := s.exportsPath(project)
	if err != nil {
		return func(yield func(*BatchExport, error) bool) { yield(nil, err) }
	}
	return ListAll[BatchExport](ctx, s.client, p, opts)
}

// Get returns one batch export of the project, with its latest runs.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:read)
func (s *ProjectBatchExportsService) Get(ctx context.Context, project ProjectID, id BatchExportID) (*BatchExport, error) {
	p, err := s.exportPath(project, id)
	if err != nil {
		return nil, err
	}
	b := new(BatchExport)
	if err := s.call(ctx, http.MethodGet, p, nil, nil, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Create creates a batch export in the project. PostHog needs the Data
// Pipelines add-on, and feature flags for intervals under an hour and for
// some models (403 otherwise).
//
// API: POST /api/projects/{project_id}/batch_exports/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Create(ctx context.Context, project ProjectID, be *BatchExportCreate) (*BatchExport, error) {
	p, err := s.exportsPath(project)
	if err != nil {
		return nil, err
	}
	if err := be.validate(true); err != nil {
		return nil, err
	}
	b := new(BatchExport)
	if err := s.call(ctx, http.MethodPost, p, nil, be, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Update changes the fields set in upd (PATCH). A destination config is
// merged into the stored one, so secrets need not be sent again.
//
// API: PATCH /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: PATCH /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Update(ctx context.Context, project ProjectID, id BatchExportID, upd *BatchExportUpdate) (*BatchExport, error) {
	p, err := s.exportPath(project, id)
	if err != nil {
		return nil, err
	}
	if err := upd.validate(); err != nil {
		return nil, err
	}
	b := new(BatchExport)
	if err := s.call(ctx, http.MethodPatch, p, nil, upd, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Replace sends all of the export's settings (PUT): name, destination and
// interval are required, the destination config must hold its required
// keys (PostHog still merges it into the stored one), and leaving out the
// offsets clears them. Other fields left unset keep their values.
//
// API: PUT /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: PUT /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Replace(ctx context.Context, project ProjectID, id BatchExportID, be *BatchExportReplace) (*BatchExport, error) {
	p, err := s.exportPath(project, id)
	if err != nil {
		return nil, err
	}
	if err := be.validate(false); err != nil {
		return nil, err
	}
	b := new(BatchExport)
	if err := s.call(ctx, http.MethodPut, p, nil, be, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Delete deletes the batch export: PostHog stops its schedule and cancels
// its running backfills and runs.
//
// API: DELETE /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: DELETE /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Delete(ctx context.Context, project ProjectID, id BatchExportID) error {
	p, err := s.exportPath(project, id)
	if err != nil {
		return err
	}
	return s.call(ctx, http.MethodDelete, p, nil, nil, nil)
}

// Pause stops scheduling runs of the export. Pausing a paused export is not
// an error.
//
// API: POST /api/projects/{project_id}/batch_exports/{id}/pause/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{id}/pause/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Pause(ctx context.Context, project ProjectID, id BatchExportID) (*BatchExportPauseState, error) {
	p, err := s.exportPath(project, id, "pause")
	if err != nil {
		return nil, err
	}
	st := new(BatchExportPauseState)
	if err := s.call(ctx, http.MethodPost, p, nil, nil, st); err != nil {
		return nil, err
	}
	return st, nil
}

// Unpause resumes scheduling runs; opts may be nil.
//
// API: POST /api/projects/{project_id}/batch_exports/{id}/unpause/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{id}/unpause/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Unpause(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportUnpauseOptions) (*BatchExportPauseState, error) {
	p, err := s.exportPath(project, id, "unpause")
	if err != nil {
		return nil, err
	}
	st := new(BatchExportPauseState)
	if err := s.call(ctx, http.MethodPost, p, nil, opts.body(), st); err != nil {
		return nil, err
	}
	return st, nil
}

// ListRuns returns one page of the export's runs. Runs are paged with a
// cursor: Page.Count is 0, and Page.Next holds the next page's cursor link
// (AllRuns follows it).
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
func (s *ProjectBatchExportsService) ListRuns(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportRunsOptions) (*Page[BatchExportRun], error) {
	p, err := s.exportPath(project, id, "runs")
	if err != nil {
		return nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return ListPage[BatchExportRun](ctx, s.client, p, opts)
}

// AllRuns iterates over the export's runs matching opts, following the
// cursor links.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
func (s *ProjectBatchExportsService) AllRuns(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportRunsOptions) iter.Seq2[*BatchExportRun, error] {
	p, err := s.exportPath(project, id, "runs")
	if err == nil {
		err = opts.validate()
	}
	if err != nil {
		return func(yield func(*BatchExportRun, error) bool) { yield(nil, err) }
	}
	return ListAll[BatchExportRun](ctx, s.client, p, opts)
}

// CreateBackfill starts exporting a past data interval again and returns
// the new backfill's ID. PostHog answers 429 when the project already runs
// as many backfills as it allows. A backfill without EndAt first reads the
// export (one GET) and is refused with ErrBackfillWithoutEnd, without
// sending it, unless the export's destination is HTTP or NoOp: PostHog
// would answer 500.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:read)
// API: POST /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:write)
func (s *ProjectBatchExportsService) CreateBackfill(ctx context.Context, project ProjectID, id BatchExportID, req *BatchExportBackfillCreate) (*BatchExportBackfillResult, error) {
	p, err := s.exportPath(project, id, "backfills")
	if err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	if req.EndAt == "" {
		be, err := s.Get(ctx, project, id)
		if err != nil {
			return nil, err
		}
		// PostHog: products/batch_exports/backend/service.py backfill_export.
		if t := be.Destination.Type; t != DestinationHTTP && t != DestinationNoOp {
			return nil, fmt.Errorf("%w: export %s has a %s destination", ErrBackfillWithoutEnd, id, t)
		}
	}
	r := new(BatchExportBackfillResult)
	if err := s.call(ctx, http.MethodPost, p, nil, req, r); err != nil {
		return nil, err
	}
	return r, nil
}

// ListBackfills returns one page of the export's backfills. Backfills are
// paged with a cursor: Page.Count is 0 (AllBackfills follows Page.Next).
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
func (s *ProjectBatchExportsService) ListBackfills(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportBackfillsOptions) (*Page[BatchExportBackfill], error) {
	p, err := s.exportPath(project, id, "backfills")
	if err != nil {
		return nil, err
	}
	return ListPage[BatchExportBackfill](ctx, s.client, p, opts)
}

// AllBackfills iterates over the export's backfills, following the cursor
// links.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
func (s *ProjectBatchExportsService) AllBackfills(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportBackfillsOptions) iter.Seq2[*BatchExportBackfill, error] {
	p, err := s.exportPath(project, id, "backfills")
	if err != nil {
		return func(yield func(*BatchExportBackfill, error) bool) { yield(nil, err) }
	}
	return ListAll[BatchExportBackfill](ctx, s.client, p, opts)
}

// GetBackfill returns one backfill of the export.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/ (scope batch_export:read)
func (s *ProjectBatchExportsService) GetBackfill(ctx context.Context, project ProjectID, exportID BatchExportID, backfillID BatchExportBackfillID) (*BatchExportBackfill, error) {
	p, err := s.backfillPath(project, exportID, backfillID)
	if err != nil {
		return nil, err
	}
	b := new(BatchExportBackfill)
	if err := s.call(ctx, http.MethodGet, p, nil, nil, b); err != nil {
		return nil, err
	}
	return b, nil
}

// CancelBackfill cancels a starting or running backfill; PostHog answers
// 400 (ErrValidation) for a backfill in another status.
//
// API: POST /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ (scope batch_export:write)
func (s *ProjectBatchExportsService) CancelBackfill(ctx context.Context, project ProjectID, exportID BatchExportID, backfillID BatchExportBackfillID) (*BatchExportCancelResult, error) {
	p, err := s.backfillPath(project, exportID, backfillID, "cancel")
	if err != nil {
		return nil, err
	}
	r := new(BatchExportCancelResult)
	if err := s.call(ctx, http.MethodPost, p, nil, nil, r); err != nil {
		return nil, err
	}
	return r, nil
}

// ListLogs returns one page of the export's log entries, newest first.
// PostHog requires no scope for this action, which means personal API keys
// are rejected: with one, the call returns ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) ListLogs(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportLogsOptions) (*Page[BatchExportLogEntry], error) {
	p, err := s.exportPath(project, id, "logs")
	if err != nil {
		return nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return ListPage[BatchExportLogEntry](ctx, s.client, p, opts)
}

// AllLogs iterates over the export's log entries matching opts (personal
// API keys are rejected, as for ListLogs).
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) AllLogs(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportLogsOptions) iter.Seq2[*BatchExportLogEntry, error] {
	p, err := s.exportPath(project, id, "logs")
	if err == nil {
		err = opts.validate()
	}
	if err != nil {
		return func(yield func(*BatchExportLogEntry, error) bool) { yield(nil, err) }
	}
	return ListAll[BatchExportLogEntry](ctx, s.client, p, opts)
}
