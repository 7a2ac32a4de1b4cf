package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
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

// List returns one page of the project's batch exports, newest first
// (PostHog leaves Workflows exports out).
//
// API: GET /api/projects/{project_id}/batch_exports/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/ (scope batch_export:read)
func (s *ProjectBatchExportsService) List(ctx context.Context, project ProjectID, opts *ListOptions) (*Page[BatchExport], error) {
	return list[BatchExport](ctx, s.client, at(s.routes, project, "batch_exports"), opts)
}

// All iterates over every batch export of the project, fetching pages as
// needed.
//
// API: GET /api/projects/{project_id}/batch_exports/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/ (scope batch_export:read)
func (s *ProjectBatchExportsService) All(ctx context.Context, project ProjectID, opts *ListOptions) iter.Seq2[*BatchExport, error] {
	return iterate[BatchExport](ctx, s.client, at(s.routes, project, "batch_exports"), opts)
}

// Get returns one batch export of the project, with its latest runs.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:read)
func (s *ProjectBatchExportsService) Get(ctx context.Context, project ProjectID, id BatchExportID) (*BatchExport, error) {
	return get[BatchExport](ctx, s.client, at(s.routes, project, "batch_exports", id), nil)
}

// Create creates a batch export in the project. PostHog needs the Data
// Pipelines add-on, and feature flags for intervals under an hour and for
// some models (403 otherwise).
//
// API: POST /api/projects/{project_id}/batch_exports/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Create(ctx context.Context, project ProjectID, be *BatchExportCreate) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports").check(be.validate(true)), be)
}

// Update changes the fields set in upd (PATCH). A destination config is
// merged into the stored one, so secrets need not be sent again.
//
// API: PATCH /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: PATCH /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Update(ctx context.Context, project ProjectID, id BatchExportID, upd *BatchExportUpdate) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPatch, at(s.routes, project, "batch_exports", id).check(upd.validate()), upd)
}

// Replace sends all of the export's settings (PUT): name, destination and
// interval are required, the destination config must hold its required
// keys (PostHog still merges it into the stored one), and leaving out the
// offsets clears them. Other fields left unset keep their values.
//
// API: PUT /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: PUT /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Replace(ctx context.Context, project ProjectID, id BatchExportID, be *BatchExportReplace) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPut, at(s.routes, project, "batch_exports", id).check(be.validate(false)), be)
}

// Delete deletes the batch export: PostHog stops its schedule and cancels
// its running backfills and runs.
//
// API: DELETE /api/projects/{project_id}/batch_exports/{id}/ (scope batch_export:write)
// API: DELETE /api/environments/{environment_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Delete(ctx context.Context, project ProjectID, id BatchExportID) error {
	return del(ctx, s.client, at(s.routes, project, "batch_exports", id))
}

// Pause stops scheduling runs of the export. Pausing a paused export is not
// an error.
//
// API: POST /api/projects/{project_id}/batch_exports/{id}/pause/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{id}/pause/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Pause(ctx context.Context, project ProjectID, id BatchExportID) (*BatchExportPauseState, error) {
	return send[BatchExportPauseState](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports", id, "pause"), nil)
}

// Unpause resumes scheduling runs; opts may be nil.
//
// API: POST /api/projects/{project_id}/batch_exports/{id}/unpause/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{id}/unpause/ (scope batch_export:write)
func (s *ProjectBatchExportsService) Unpause(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportUnpauseOptions) (*BatchExportPauseState, error) {
	return send[BatchExportPauseState](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports", id, "unpause"), opts.body())
}

// ListRuns returns one page of the export's runs. Runs are paged with a
// cursor: Page.Count is 0, and Page.Next holds the next page's cursor link
// (AllRuns follows it).
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
func (s *ProjectBatchExportsService) ListRuns(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportRunsOptions) (*Page[BatchExportRun], error) {
	return list[BatchExportRun](ctx, s.client, at(s.routes, project, "batch_exports", id, "runs").check(opts.validate()), opts)
}

// AllRuns iterates over the export's runs matching opts, following the
// cursor links.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/ (scope batch_export:read)
func (s *ProjectBatchExportsService) AllRuns(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportRunsOptions) iter.Seq2[*BatchExportRun, error] {
	return iterate[BatchExportRun](ctx, s.client, at(s.routes, project, "batch_exports", id, "runs").check(opts.validate()), opts)
}

// GetRun returns one run of the export. PostHog looks runs up among those
// created in the last 7 days (BatchExportRunViewSet.safely_get_queryset
// applies the list's default window to every action), so an older run
// answers 404 (ErrNotFound).
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/ (scope batch_export:read)
func (s *ProjectBatchExportsService) GetRun(ctx context.Context, project ProjectID, exportID BatchExportID, runID BatchExportRunID) (*BatchExportRun, error) {
	return get[BatchExportRun](ctx, s.client, at(s.routes, project, "batch_exports", exportID, "runs", runID), nil)
}

// RetryRun exports the run's data interval again: PostHog starts a
// backfill of that one interval (BatchExportRunViewSet.retry) and answers
// its ID (201). Like every POST, it is not re-sent once it may have reached
// PostHog: a lost answer is ErrOutcomeUnknown (list the backfills to see
// whether it started). Only runs of the last 7 days can be retried (see
// GetRun).
//
// API: POST /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/retry/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/retry/ (scope batch_export:write)
func (s *ProjectBatchExportsService) RetryRun(ctx context.Context, project ProjectID, exportID BatchExportID, runID BatchExportRunID) (*BatchExportBackfillResult, error) {
	return send[BatchExportBackfillResult](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports", exportID, "runs", runID, "retry"), nil)
}

// CancelRun cancels a starting or running run; PostHog answers 400
// (ErrValidation) for a run in another status
// (BatchExportRunViewSet.cancel).
//
// API: POST /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/cancel/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/cancel/ (scope batch_export:write)
func (s *ProjectBatchExportsService) CancelRun(ctx context.Context, project ProjectID, exportID BatchExportID, runID BatchExportRunID) (*BatchExportCancelResult, error) {
	return send[BatchExportCancelResult](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports", exportID, "runs", runID, "cancel"), nil)
}

// ListRunLogs returns one page of the log entries of one run of the
// export, newest first: the export's log (ListLogs) with opts.InstanceID
// set to the run's ID (the rest of opts applies; opts is not modified).
// PostHog's own run route, runs/{id}/logs/, is not used: it reads the log
// under the run's ID instead of the export's, and pages the entries with
// the runs' cursor pagination, which needs a database query
// (BatchExportRunViewSet with LogEntryMixin.logs). Personal API keys are
// rejected, as for ListLogs.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) ListRunLogs(ctx context.Context, project ProjectID, exportID BatchExportID, runID BatchExportRunID, opts *BatchExportLogsOptions) (*Page[BatchExportLogEntry], error) {
	q, err := runLogsOptions(runID, opts)
	return list[BatchExportLogEntry](ctx, s.client, at(s.routes, project, "batch_exports", exportID, "logs").check(err), q)
}

// AllRunLogs iterates over the log entries of one run of the export (see
// ListRunLogs).
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) AllRunLogs(ctx context.Context, project ProjectID, exportID BatchExportID, runID BatchExportRunID, opts *BatchExportLogsOptions) iter.Seq2[*BatchExportLogEntry, error] {
	q, err := runLogsOptions(runID, opts)
	return iterate[BatchExportLogEntry](ctx, s.client, at(s.routes, project, "batch_exports", exportID, "logs").check(err), q)
}

// runLogsOptions is a copy of opts keeping only the entries of run.
func runLogsOptions(run BatchExportRunID, opts *BatchExportLogsOptions) (*BatchExportLogsOptions, error) {
	var q BatchExportLogsOptions
	if opts != nil {
		q = *opts
	}
	q.InstanceID = run.String()
	return &q, errors.Join(run.validate(), q.validate())
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
	r := at(s.routes, project, "batch_exports", id, "backfills").check(req.validate())
	if r.err == nil && req.EndAt == "" {
		be, err := s.Get(ctx, project, id)
		if err != nil {
			return nil, err
		}
		// PostHog: products/batch_exports/backend/service.py backfill_export.
		if t := be.Destination.Type; t != DestinationHTTP && t != DestinationNoOp {
			return nil, fmt.Errorf("%w: export %s has a %s destination", ErrBackfillWithoutEnd, id, t)
		}
	}
	return send[BatchExportBackfillResult](ctx, s.client, http.MethodPost, r, req)
}

// ListBackfills returns one page of the export's backfills. Backfills are
// paged with a cursor: Page.Count is 0 (AllBackfills follows Page.Next).
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
func (s *ProjectBatchExportsService) ListBackfills(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportBackfillsOptions) (*Page[BatchExportBackfill], error) {
	return list[BatchExportBackfill](ctx, s.client, at(s.routes, project, "batch_exports", id, "backfills"), opts)
}

// AllBackfills iterates over the export's backfills, following the cursor
// links.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ (scope batch_export:read)
func (s *ProjectBatchExportsService) AllBackfills(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportBackfillsOptions) iter.Seq2[*BatchExportBackfill, error] {
	return iterate[BatchExportBackfill](ctx, s.client, at(s.routes, project, "batch_exports", id, "backfills"), opts)
}

// GetBackfill returns one backfill of the export.
//
// API: GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/ (scope batch_export:read)
// API: GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/ (scope batch_export:read)
func (s *ProjectBatchExportsService) GetBackfill(ctx context.Context, project ProjectID, exportID BatchExportID, backfillID BatchExportBackfillID) (*BatchExportBackfill, error) {
	return get[BatchExportBackfill](ctx, s.client, at(s.routes, project, "batch_exports", exportID, "backfills", backfillID), nil)
}

// CancelBackfill cancels a starting or running backfill; PostHog answers
// 400 (ErrValidation) for a backfill in another status.
//
// API: POST /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ (scope batch_export:write)
// API: POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ (scope batch_export:write)
func (s *ProjectBatchExportsService) CancelBackfill(ctx context.Context, project ProjectID, exportID BatchExportID, backfillID BatchExportBackfillID) (*BatchExportCancelResult, error) {
	return send[BatchExportCancelResult](ctx, s.client, http.MethodPost, at(s.routes, project, "batch_exports", exportID, "backfills", backfillID, "cancel"), nil)
}

// ListLogs returns one page of the export's log entries, newest first.
// PostHog requires no scope for this action, which means personal API keys
// are rejected: with one, the call returns ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) ListLogs(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportLogsOptions) (*Page[BatchExportLogEntry], error) {
	return list[BatchExportLogEntry](ctx, s.client, at(s.routes, project, "batch_exports", id, "logs").check(opts.validate()), opts)
}

// AllLogs iterates over the export's log entries matching opts (personal
// API keys are rejected, as for ListLogs).
//
// API: GET /api/projects/{project_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
// API: GET /api/environments/{environment_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *ProjectBatchExportsService) AllLogs(ctx context.Context, project ProjectID, id BatchExportID, opts *BatchExportLogsOptions) iter.Seq2[*BatchExportLogEntry, error] {
	return iterate[BatchExportLogEntry](ctx, s.client, at(s.routes, project, "batch_exports", id, "logs").check(opts.validate()), opts)
}
