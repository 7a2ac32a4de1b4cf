package posthogtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Project-level batch exports, as PostHog serves them under
// /api/projects/{project_id}/batch_exports/ and
// /api/environments/{environment_id}/batch_exports/ (PH
// products/batch_exports/backend/routes.py register_legacy_dual_route, and
// BatchExportViewSet, BatchExportRunViewSet and BatchExportBackfillViewSet
// in products/batch_exports/backend/api/batch_export.py). The exports are
// the organization-level ones (batchexports.go), filtered by project; runs
// and backfills are paged with DRF's CursorPagination. Not modelled: the
// feature flag that allows backfills from the beginning of time (always
// off here) and the per-team limit of concurrent backfills.

func registerProjectBatchExports(s *Server) {
	// PostHog: products/batch_exports/backend/routes.py
	// register_legacy_dual_route serves the same views under
	// /api/environments/{environment_id}/, where the ID is the team's; here
	// every project has one environment with the project's ID.
	for _, base := range []string{"/api/projects/{project_id}/batch_exports/", "/api/environments/{project_id}/batch_exports/"} {
		registerProjectBatchExportRoutes(s, base)
	}
}

func registerProjectBatchExportRoutes(s *Server, base string) {
	const read, write = "batch_export:read", "batch_export:write"
	s.routeViewSet(base, viewSet{scopeObject: "batch_export",
		list: handleProjectBatchExportList, create: handleProjectBatchExportCreate,
		retrieve:      withProjectBatchExport(handleBatchExportGet),
		partialUpdate: withProjectBatchExport(handleBatchExportUpdate(false)),
		update:        withProjectBatchExport(handleBatchExportUpdate(true)),
		destroy:       withProjectBatchExport(handleBatchExportDelete)})
	s.route("POST "+base+"{id}/pause/{$}", write, withProjectBatchExport(handleBatchExportPause(true)))
	s.route("POST "+base+"{id}/unpause/{$}", write, withProjectBatchExport(handleBatchExportPause(false)))
	s.route("GET "+base+"{id}/logs/{$}", noScope, withProjectBatchExport(handleBatchExportLogs))
	s.route("GET "+base+"{batch_export_id}/runs/{$}", read, handleProjectBatchExportRuns)
	s.route("GET "+base+"{batch_export_id}/runs/{id}/{$}", read, handleProjectRunGet)
	s.route("POST "+base+"{batch_export_id}/runs/{id}/retry/{$}", write, handleProjectRunRetry)
	s.route("POST "+base+"{batch_export_id}/runs/{id}/cancel/{$}", write, handleProjectRunCancel)
	s.route("POST "+base+"{batch_export_id}/backfills/{$}", write, handleProjectBackfillCreate)
	s.route("GET "+base+"{batch_export_id}/backfills/{$}", read, handleProjectBackfillList)
	s.route("GET "+base+"{batch_export_id}/backfills/{id}/{$}", read, handleProjectBackfillGet)
	s.route("POST "+base+"{batch_export_id}/backfills/{id}/cancel/{$}", write, handleProjectBackfillCancel)
}

type projectBatchExportsState struct {
	backfills []*batchExportBackfill
}

type batchExportBackfill struct {
	id            uuid.UUID
	export        *batchExport
	startAt       *time.Time
	endAt         *time.Time
	status        string
	createdAt     time.Time
	finishedAt    *time.Time
	lastUpdatedAt time.Time
}

// teamProjectFromPath resolves {project_id} to a project of an organization the
// caller belongs to. An unknown project is 404 "Project not found."; a
// project of an organization the caller is not in is 403.
// PostHog: posthog/api/routing.py TeamAndOrgViewSetMixin.team, and
// posthog/permissions.py TeamMemberAccessPermission.
func (rc *reqCtx) teamProjectFromPath() (*org, *project) {
	id, err := strconv.ParseInt(rc.r.PathValue("project_id"), 10, 64)
	var p *project
	if err == nil {
		p = rc.s.areas.projects.byID(id)
	}
	var o *org
	if p != nil {
		o = rc.s.orgByID(p.orgID)
	}
	if o == nil {
		rc.error(http.StatusNotFound, "invalid_request", "not_found", "Project not found.", "")
		return nil, nil
	}
	if !rc.keyReachesOrg(o.id) {
		return nil, nil
	}
	if o.membership(rc.user) == nil {
		rc.forbidden("You don't have access to the project.")
		return nil, nil
	}
	return o, p
}

// projectExport finds an export of project p by the path value name; 404
// when it is unknown, deleted or in another project.
// PostHog: TeamAndOrgViewSetMixin._filter_queryset_by_parents_lookups.
func (rc *reqCtx) projectExport(o *org, p *project, name string) *batchExport {
	return fromPath(rc, name, func(id uuid.UUID) *batchExport {
		if be := rc.s.areas.batchExports.find(o.id, id); be != nil && be.teamID == p.id {
			return be
		}
		return nil
	})
}

// parentProjectExport resolves {project_id} and {batch_export_id}, the
// export a nested route (runs, backfills) belongs to, answering as
// teamProjectFromPath and projectExport do.
// PostHog: TeamAndOrgViewSetMixin._filter_queryset_by_parents_lookups.
func (rc *reqCtx) parentProjectExport() *batchExport {
	o, p := rc.teamProjectFromPath()
	if o == nil {
		return nil
	}
	return rc.projectExport(o, p, "batch_export_id")
}

// withProjectBatchExport serves an organization-level handler for an export
// of the project: it checks the project and the export, then lets the
// handler resolve the export again by organization.
func withProjectBatchExport(h handler) handler {
	return func(rc *reqCtx) {
		o, p := rc.teamProjectFromPath()
		if o == nil {
			return
		}
		if rc.projectExport(o, p, "id") == nil {
			return
		}
		rc.r.SetPathValue("organization_id", o.id.String())
		h(rc)
	}
}

func handleProjectBatchExportList(rc *reqCtx) {
	o, p := rc.teamProjectFromPath()
	if o == nil {
		return
	}
	rc.pageBatchExports(o, func(be *batchExport) bool { return be.teamID == p.id })
}

// handleProjectBatchExportCreate creates the export in the project named.
// PostHog: BatchExportSerializer.create (team_id from the URL).
func handleProjectBatchExportCreate(rc *reqCtx) {
	o, p := rc.teamProjectFromPath()
	if o == nil {
		return
	}
	rc.createBatchExport(o, p.id)
}

// cursorPage answers items (already ordered) a page at a time with DRF
// CursorPagination's body {next, previous, results}. The cursor here is an
// opaque base64 of the offset; a cursor that does not decode is 404
// "Invalid cursor" as in DRF.
// PostHog: products/batch_exports/backend/api/batch_export.py (DRF
// CursorPagination of runs and backfills).
func cursorPage(rc *reqCtx, items []map[string]any, size int) {
	q := rc.r.URL.Query()
	offset := 0
	if c := q.Get("cursor"); c != "" {
		b, err := base64.URLEncoding.DecodeString(c)
		v, perr := url.ParseQuery(string(b))
		n, nerr := strconv.Atoi(v.Get("o"))
		if err != nil || perr != nil || nerr != nil || n < 0 {
			rc.error(http.StatusNotFound, "invalid_request", "not_found", "Invalid cursor", "")
			return
		}
		offset = n
	}
	link := func(off int) *string {
		q2 := rc.r.URL.Query()
		if off <= 0 {
			q2.Del("cursor")
		} else {
			q2.Set("cursor", base64.URLEncoding.EncodeToString([]byte("o="+strconv.Itoa(off))))
		}
		u := url.URL{Scheme: "http", Host: rc.r.Host, Path: rc.r.URL.Path, RawQuery: q2.Encode()}
		s := u.String()
		return &s
	}
	lo, hi := min(offset, len(items)), min(offset+size, len(items))
	body := struct {
		Next     *string          `json:"next"`
		Previous *string          `json:"previous"`
		Results  []map[string]any `json:"results"`
	}{Results: append([]map[string]any{}, items[lo:hi]...)}
	if hi < len(items) {
		body.Next = link(hi)
	}
	if offset > 0 {
		body.Previous = link(max(offset-size, 0))
	}
	rc.json(http.StatusOK, body)
}

// handleProjectBatchExportRuns lists runs, 100 a page, newest first.
// PostHog: BatchExportRunViewSet (RunsCursorPagination page_size 100,
// BatchExportRunListQuerySerializer, safely_get_queryset).
func handleProjectBatchExportRuns(rc *reqCtx) {
	be := rc.parentProjectExport()
	if be == nil {
		return
	}
	q := rc.r.URL.Query()
	for i, s := range q["status"] {
		if !slices.Contains(batchExportRunStatuses, s) {
			rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", s), "status__"+strconv.Itoa(i))
			return
		}
	}
	now := rc.s.now()
	bound := func(name string, def time.Time) (time.Time, bool) {
		v := q.Get(name)
		if v == "" {
			return def, true
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			// PostHog: relative_date_parse also takes "-7d" forms; this
			// server takes RFC 3339 times only.
			rc.invalid("invalid_input", fmt.Sprintf("posthogtest: %s must be an RFC 3339 time", name), name)
			return time.Time{}, false
		}
		return t, true
	}
	ordering := q.Get("ordering")
	byInterval := ordering == "data_interval_start" || ordering == "-data_interval_start"
	lowName, highName := "after", "before"
	if byInterval {
		lowName, highName = "start", "end"
	}
	low, ok := bound(lowName, now.Add(-7*24*time.Hour))
	if !ok {
		return
	}
	high, ok := bound(highName, now)
	if !ok {
		return
	}
	var runs []*batchExportRun
	for _, r := range be.runs {
		if len(q["status"]) > 0 && !slices.Contains(q["status"], r.status) {
			continue
		}
		if byInterval {
			if r.dataIntervalStart == nil || r.dataIntervalStart.Before(low) || r.dataIntervalEnd.After(high) {
				continue
			}
		} else if r.createdAt.Before(low) || r.createdAt.After(high) {
			continue
		}
		runs = append(runs, r)
	}
	less := func(a, b *batchExportRun) bool { // -created_at, the default
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.After(b.createdAt)
		}
		return a.seq > b.seq
	}
	switch ordering {
	case "created_at":
		less = func(a, b *batchExportRun) bool {
			return a.createdAt.Before(b.createdAt) || a.createdAt.Equal(b.createdAt) && a.seq < b.seq
		}
	case "data_interval_start":
		less = func(a, b *batchExportRun) bool { return a.dataIntervalStart.Before(*b.dataIntervalStart) }
	case "-data_interval_start":
		less = func(a, b *batchExportRun) bool { return a.dataIntervalStart.After(*b.dataIntervalStart) }
	}
	runs = sortedBy(runs, less)
	out := make([]map[string]any, 0, len(runs))
	for _, r := range runs {
		out = append(out, batchExportRunJSON(be, r))
	}
	cursorPage(rc, out, 100)
}

// parseBackfillInput reads start_at or end_at as PostHog does: a date for
// daily and weekly exports (at the offset hour, in the export's time
// zone), an ISO datetime with an offset otherwise.
// PostHog: batch_export.py validate_date_input.
func (rc *reqCtx) parseBackfillInput(be *batchExport, raw json.RawMessage) (*time.Time, bool) {
	if raw == nil || isNull(raw) {
		return nil, true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		rc.invalid("invalid_input", fmt.Sprintf("Input %s is not a valid ISO formatted datetime.", string(raw)), "")
		return nil, false
	}
	if be.interval == "day" || be.interval == "week" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			if _, err2 := time.Parse(time.RFC3339Nano, s); err2 == nil {
				rc.invalid("invalid_input", fmt.Sprintf("Input '%s' is not a valid ISO formatted date. Daily or weekly batch export backfills expect only the date component, but a time was included.", s), "")
			} else {
				rc.invalid("invalid_input", fmt.Sprintf("Input '%s' is not a valid ISO formatted date.", s), "")
			}
			return nil, false
		}
		if be.interval == "week" {
			want := 0
			if be.offsetDay != nil {
				want = *be.offsetDay
			}
			if int(d.Weekday()) != want {
				rc.invalid("invalid_input", fmt.Sprintf("Input %s is not on the correct day of the week for this batch export. %s is a %s but this batch export is configured to run weekly on %s.",
					s, s, d.Weekday(), time.Weekday(want)), "")
				return nil, false
			}
		}
		loc, err := time.LoadLocation(be.timezone)
		if err != nil {
			loc = time.UTC
		}
		hour := 0
		if be.offsetHour != nil {
			hour = *be.offsetHour
		}
		t := time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc)
		return &t, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if _, err2 := time.Parse("2006-01-02T15:04:05.999999999", s); err2 == nil {
			rc.invalid("invalid_input", fmt.Sprintf("Input %s is naive.", s), "")
		} else {
			rc.invalid("invalid_input", fmt.Sprintf("Input %s is not a valid ISO formatted datetime.", s), "")
		}
		return nil, false
	}
	return &t, true
}

// handleProjectBackfillCreate starts a backfill and answers its ID.
// PostHog: batch_export.py BatchExportBackfillViewSet.create, create_backfill.
func handleProjectBackfillCreate(rc *reqCtx) {
	o, p := rc.teamProjectFromPath()
	if o == nil {
		return
	}
	// PostHog: BatchExportBackfillViewSet.create raises
	// NotFound("BatchExport not found.") for an export of another project.
	var be *batchExport
	if id, err := uuid.Parse(rc.r.PathValue("batch_export_id")); err == nil {
		if x := rc.s.areas.batchExports.find(o.id, id); x != nil && x.teamID == p.id {
			be = x
		}
	}
	if be == nil {
		rc.error(http.StatusNotFound, "invalid_request", "not_found", "BatchExport not found.", "")
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	if raw, ok := f["start_at"]; !ok || isNull(raw) {
		// The batch-export-earliest-backfill flag is off here.
		rc.invalid("invalid_input", "Backfilling from the beginning of time is not enabled for this team.", "")
		return
	}
	start, ok := rc.parseBackfillInput(be, f["start_at"])
	if !ok {
		return
	}
	end, ok := rc.parseBackfillInput(be, f["end_at"])
	if !ok {
		return
	}
	now := rc.s.now()
	if end != nil {
		if !start.Before(*end) {
			rc.invalid("invalid_input", "The initial backfill datetime 'start_at' must be before 'end_at'", "")
			return
		}
		if end.After(now) {
			rc.invalid("invalid_input", fmt.Sprintf("The provided 'end_at' (%s) is in the future", end.Format("2006-01-02T15:04:05-07:00")), "")
			return
		}
	} else if be.destType != "HTTP" && be.destType != "NoOp" {
		// PostHog: products/batch_exports/backend/service.py backfill_export
		// raises BatchExportWithNoEndNotAllowedError, and create_backfill
		// (products/batch_exports/backend/api/batch_export.py) calls it
		// outside its try when start_at or end_at is missing; the error
		// derives from BatchExportServiceError(Exception), not from an
		// APIException, so PostHog answers 500 (the except that would map it
		// to 400 is dead code). Nothing is created.
		rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
		return
	}
	bf := &batchExportBackfill{id: rc.s.newID(), export: be, startAt: start, endAt: end, status: "Starting", createdAt: now, lastUpdatedAt: now}
	st := &rc.s.areas.projectBatchExports
	st.backfills = append(st.backfills, bf)
	rc.json(http.StatusCreated, map[string]string{"backfill_id": bf.id.String()})
}

// backfillJSON is BatchExportBackfillSerializer's answer.
// PostHog: batch_export.py BatchExportBackfillSerializer.get_progress.
func backfillJSON(bf *batchExportBackfill) map[string]any {
	var progress any
	total := func() (int64, bool) {
		if bf.startAt == nil {
			return 1, true
		}
		end := bf.endAt
		if end == nil {
			end = bf.finishedAt
		}
		if end == nil {
			return 0, false
		}
		return int64(math.Ceil(float64(end.Sub(*bf.startAt)) / float64(intervalDuration(bf.export.interval)))), true
	}
	switch bf.status {
	case "Completed":
		if n, ok := total(); ok {
			progress = map[string]any{"total_runs": n, "finished_runs": n, "progress": 1.0}
		} else {
			progress = map[string]any{"total_runs": nil, "finished_runs": nil, "progress": 1.0}
		}
	case "Running", "Starting":
		if n, ok := total(); ok && n > 0 && bf.startAt != nil {
			progress = map[string]any{"total_runs": n, "finished_runs": 0, "progress": 0.0}
		}
	}
	return map[string]any{
		"id": bf.id, "progress": progress, "start_at": bf.startAt, "end_at": bf.endAt,
		"status": bf.status, "created_at": bf.createdAt, "finished_at": bf.finishedAt,
		"last_updated_at": bf.lastUpdatedAt, "team": bf.export.teamID, "batch_export": bf.export.id,
	}
}

func handleProjectBackfillList(rc *reqCtx) {
	be := rc.parentProjectExport()
	if be == nil {
		return
	}
	var mine []*batchExportBackfill
	for _, bf := range rc.s.areas.projectBatchExports.backfills {
		if bf.export == be {
			mine = append(mine, bf)
		}
	}
	// PostHog: BatchExportBackfillViewSet ordering "-created_at"; created
	// later first among equal times.
	if rc.r.URL.Query().Get("ordering") == "created_at" {
		slices.Reverse(mine)
		mine = sortedBy(mine, func(a, b *batchExportBackfill) bool { return a.createdAt.Before(b.createdAt) })
	} else {
		mine = newestFirst(mine, func(bf *batchExportBackfill) time.Time { return bf.createdAt })
	}
	out := make([]map[string]any, 0, len(mine))
	for _, bf := range mine {
		out = append(out, backfillJSON(bf))
	}
	// PostHog: BackfillsCursorPagination page_size 50.
	cursorPage(rc, out, 50)
}

// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportBackfillViewSet.
func (rc *reqCtx) backfillFromPath() *batchExportBackfill {
	be := rc.parentProjectExport()
	if be == nil {
		return nil
	}
	return fromPath(rc, "id", func(id uuid.UUID) *batchExportBackfill {
		for _, bf := range rc.s.areas.projectBatchExports.backfills {
			if bf.id == id && bf.export == be {
				return bf
			}
		}
		return nil
	})
}

func handleProjectBackfillGet(rc *reqCtx) {
	if bf := rc.backfillFromPath(); bf != nil {
		rc.json(http.StatusOK, backfillJSON(bf))
	}
}

// handleProjectBackfillCancel cancels a starting or running backfill.
// PostHog: batch_export.py BatchExportBackfillViewSet.cancel.
func handleProjectBackfillCancel(rc *reqCtx) {
	bf := rc.backfillFromPath()
	if bf == nil {
		return
	}
	cancelActive(rc, "backfill", &bf.status, &bf.finishedAt, &bf.lastUpdatedAt)
}

// cancelActive cancels a starting or running backfill or run (what), as
// the cancel actions of BatchExportBackfillViewSet and
// BatchExportRunViewSet do: 400 for any other status, else the status
// becomes Cancelled and the answer is {"cancelled": true}.
func cancelActive(rc *reqCtx, what string, status *string, finishedAt **time.Time, lastUpdatedAt *time.Time) {
	if *status != "Running" && *status != "Starting" {
		rc.invalid("invalid_input", fmt.Sprintf("Cannot cancel a %s that is in '%s' status", what, *status), "")
		return
	}
	now := rc.s.now()
	*status, *finishedAt, *lastUpdatedAt = "Cancelled", &now, now
	rc.json(http.StatusOK, map[string]bool{"cancelled": true})
}

// runFromPath resolves {id} to a run of the export {batch_export_id}, among
// the runs created in the last 7 days: BatchExportRunViewSet applies the
// list's default created_at window (after "-7d", before now) to every
// action, so an older run is 404. (PostHog also reads after and before
// there; the SDK sends neither to these routes.)
// PostHog: batch_export.py BatchExportRunViewSet.safely_get_queryset.
// The run's own logs route (runs/{id}/logs/, LogEntryMixin.logs) is not
// served: PostHog reads the log under the run's ID and pages the entries
// with RunsCursorPagination, which needs a queryset; the SDK reads a run's
// log as the export's log filtered by instance_id.
func (rc *reqCtx) runFromPath() (*batchExport, *batchExportRun) {
	be := rc.parentProjectExport()
	if be == nil {
		return nil, nil
	}
	now := rc.s.now()
	r := fromPath(rc, "id", func(id uuid.UUID) *batchExportRun {
		for _, r := range be.runs {
			if r.id == id && !r.createdAt.Before(now.Add(-7*24*time.Hour)) && !r.createdAt.After(now) {
				return r
			}
		}
		return nil
	})
	return be, r
}

func handleProjectRunGet(rc *reqCtx) {
	if be, r := rc.runFromPath(); r != nil {
		rc.json(http.StatusOK, batchExportRunJSON(be, r))
	}
}

// handleProjectRunRetry starts a backfill of the run's data interval and
// answers its ID with 201. PostHog: batch_export.py
// BatchExportRunViewSet.retry (service.py backfill_export).
func handleProjectRunRetry(rc *reqCtx) {
	be, r := rc.runFromPath()
	if r == nil {
		return
	}
	now := rc.s.now()
	end := r.dataIntervalEnd
	bf := &batchExportBackfill{id: rc.s.newID(), export: be, startAt: r.dataIntervalStart, endAt: &end, status: "Starting", createdAt: now, lastUpdatedAt: now}
	st := &rc.s.areas.projectBatchExports
	st.backfills = append(st.backfills, bf)
	rc.json(http.StatusCreated, map[string]string{"backfill_id": bf.id.String()})
}

// handleProjectRunCancel cancels a starting or running run.
// PostHog: batch_export.py BatchExportRunViewSet.cancel.
func handleProjectRunCancel(rc *reqCtx) {
	if _, r := rc.runFromPath(); r != nil {
		cancelActive(rc, "run", &r.status, &r.finishedAt, &r.lastUpdatedAt)
	}
}

// ProjectBatchExports returns the batch exports of the project (team) that
// are not deleted, oldest first, as stored.
func (s *Server) ProjectBatchExports(projectID posthogapi.ProjectID) []BatchExport {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []BatchExport
	for _, be := range s.areas.batchExports.exports {
		if be.deleted || be.teamID != int64(projectID) {
			continue
		}
		out = append(out, BatchExport{
			ID: posthogapi.BatchExportID(be.id), OrganizationID: posthogapi.OrganizationID(be.org.id), Name: be.name, DestinationType: be.destType,
			Interval: be.interval, Paused: be.paused, Config: deepCopyMap(be.config),
		})
	}
	return out
}
