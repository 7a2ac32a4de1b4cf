package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Batch exports, as PostHog serves them under
// /api/organizations/{organization_id}/batch_exports/ (PH
// posthog/batch_exports/http.py and its newer home
// products/batch_exports/backend/api/batch_export.py). The server keeps the
// exports and their runs; it never contacts a destination. Not modelled:
// the Data Pipelines add-on and the feature flags PostHog checks (every
// organization here may create any export), the checks PostHog makes of an
// integration's credentials (it only checks their kind and project here),
// and the SSRF check of Postgres and Redshift hosts. The destination rules
// of today's server are enforced: the legacy S3 type is refused, AwsS3,
// S3Compatible, BigQuery, Databricks and AzureBlob need an integration,
// Postgres, Snowflake and Redshift need one on create, credentials of
// integration-backed destinations are unknown config fields, and HTTP
// destinations only reach PostHog's own /batch/ endpoints. Seed the
// integrations with SeedIntegration.

func registerBatchExports(s *Server) {
	const base = "/api/organizations/{organization_id}/batch_exports/"
	const read, write = "batch_export:read", "batch_export:write"
	s.routeViewSet(base, viewSet{scopeObject: "batch_export",
		list: handleBatchExportList, create: handleBatchExportCreate, retrieve: handleBatchExportGet,
		partialUpdate: handleBatchExportUpdate(false), update: handleBatchExportUpdate(true), destroy: handleBatchExportDelete})
	// PostHog: products/batch_exports/backend/api/batch_export.py
	// BatchExportViewSet.test (required_scopes batch_export:read),
	// run_test_step_new and run_test_step (batch_export:write); older
	// versions and the published schema said INTERNAL.
	s.route("GET "+base+"test/{$}", read, handleBatchExportTest)
	s.route("POST "+base+"run_test_step_new/{$}", write, handleBatchExportRunTestStep(false))
	s.route("POST "+base+"{id}/pause/{$}", write, handleBatchExportPause(true))
	s.route("POST "+base+"{id}/unpause/{$}", write, handleBatchExportPause(false))
	// PostHog: the newest BatchExportViewSet (products/batch_exports/backend/api/batch_export.py)
	// has no backfill action, so the route is not found (404); older
	// servers (posthog/batch_exports/http.py) served it.
	if s.areas.batchExports.legacyBackfill {
		s.route("POST "+base+"{id}/backfill/{$}", write, handleBatchExportBackfill)
	}
	s.route("GET "+base+"{id}/logs/{$}", noScope, handleBatchExportLogs)
	s.route("POST "+base+"{id}/run_test_step/{$}", write, handleBatchExportRunTestStep(true))
}

type batchExportsState struct {
	exports []*batchExport
	// legacyBackfill serves the organization-level backfill action
	// (WithLegacyBatchExportBackfill).
	legacyBackfill bool
}

// WithLegacyBatchExportBackfill makes the server serve
// POST /api/organizations/{organization_id}/batch_exports/{id}/backfill/, the
// action older PostHog versions had (posthog/batch_exports/http.py
// BatchExportViewSet.backfill) and the newest one no longer has: without
// this option the route answers 404, as the newest server does. Backfills
// of today's PostHog are made under /api/projects/{project_id}/batch_exports/.
func WithLegacyBatchExportBackfill() Option {
	return func(s *Server) { s.areas.batchExports.legacyBackfill = true }
}

type batchExport struct {
	id            uuid.UUID
	org           *org
	teamID        int64
	name          string
	model         *string
	destType      string
	config        map[string]any
	integration   *int64
	interval      string
	paused        bool
	createdAt     time.Time
	lastUpdatedAt time.Time
	lastPausedAt  *time.Time
	startAt       *time.Time
	endAt         *time.Time
	hogqlQuery    *string
	schema        map[string]any
	filters       any
	timezone      string
	offsetDay     *int
	offsetHour    *int
	runs          []*batchExportRun
	deleted       bool
}

type batchExportRun struct {
	id                uuid.UUID
	status            string
	recordsCompleted  *int64
	latestError       *string
	dataIntervalStart *time.Time
	dataIntervalEnd   time.Time
	createdAt         time.Time
	lastUpdatedAt     time.Time
	finishedAt        *time.Time
	backfill          *uuid.UUID
	seq               int
}

// BatchExport is a batch export of the server, as stored: Config holds the
// secrets PostHog never sends back.
type BatchExport struct {
	ID              posthogapi.BatchExportID
	OrganizationID  posthogapi.OrganizationID
	Name            string
	DestinationType string
	Interval        string
	Paused          bool
	Config          map[string]any
}

// BatchExportRun is a run of a batch export, as seeded.
type BatchExportRun struct {
	ID                posthogapi.BatchExportRunID
	BatchExportID     posthogapi.BatchExportID
	Status            posthogapi.BatchExportRunStatus
	DataIntervalStart time.Time
	DataIntervalEnd   time.Time
	CreatedAt         time.Time
}

// Batch export run statuses (PH BatchExportRun.Status).
var batchExportRunStatuses = []string{
	"Cancelled", "Completed", "ContinuedAsNew", "Failed", "FailedRetryable",
	"FailedBilling", "Terminated", "TimedOut", "Running", "Starting",
}

// BatchExports returns the organization's batch exports that are not
// deleted, oldest first.
func (s *Server) BatchExports(orgID posthogapi.OrganizationID) []BatchExport {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []BatchExport
	for _, be := range s.areas.batchExports.exports {
		if be.deleted || posthogapi.OrganizationID(be.org.id) != orgID {
			continue
		}
		out = append(out, BatchExport{
			ID: posthogapi.BatchExportID(be.id), OrganizationID: posthogapi.OrganizationID(be.org.id), Name: be.name, DestinationType: be.destType,
			Interval: be.interval, Paused: be.paused, Config: deepCopyMap(be.config),
		})
	}
	return out
}

// AddBatchExportRun records a run of the batch export in the given status
// (Cancelled, Completed, ContinuedAsNew, Failed, FailedRetryable,
// FailedBilling, Terminated, TimedOut, Running or Starting), covering the
// last full interval before now; it shows in the export's latest_runs,
// newest first. It panics if there is no such export or status (a mistake
// in the test).
func (s *Server) AddBatchExportRun(orgID posthogapi.OrganizationID, exportID posthogapi.BatchExportID, runStatus posthogapi.BatchExportRunStatus) BatchExportRun {
	status := string(runStatus)
	s.mu.Lock()
	defer s.mu.Unlock()
	be := must(s.areas.batchExports.find(uuid.UUID(orgID), uuid.UUID(exportID)), "no batch export %s in organization %s", exportID, orgID)
	known := false
	for _, st := range batchExportRunStatuses {
		known = known || st == status
	}
	if !known {
		panic(fmt.Sprintf("posthogtest: unknown batch export run status %q", status))
	}
	now := s.now()
	step := intervalDuration(be.interval)
	end := now.Truncate(step)
	start := end.Add(-step)
	r := &batchExportRun{
		id: s.newID(), status: status, dataIntervalStart: &start, dataIntervalEnd: end,
		createdAt: now, lastUpdatedAt: now, seq: len(be.runs),
	}
	switch status {
	case "Running", "Starting", "ContinuedAsNew":
	default:
		r.finishedAt = &now
	}
	switch status {
	case "Completed":
		var n int64
		r.recordsCompleted = &n
	case "Failed", "FailedRetryable", "FailedBilling":
		msg := "posthogtest: seeded " + status + " run"
		r.latestError = &msg
	}
	be.runs = append(be.runs, r)
	return BatchExportRun{ID: posthogapi.BatchExportRunID(r.id), BatchExportID: posthogapi.BatchExportID(be.id), Status: posthogapi.BatchExportRunStatus(status), DataIntervalStart: start, DataIntervalEnd: end, CreatedAt: now}
}

func (st *batchExportsState) find(orgID, id uuid.UUID) *batchExport {
	for _, be := range st.exports {
		if be.id == id && be.org.id == orgID && !be.deleted {
			return be
		}
	}
	return nil
}

func intervalDuration(interval string) time.Duration {
	switch interval {
	case "day":
		return 24 * time.Hour
	case "week":
		return 7 * 24 * time.Hour
	case "every 5 minutes":
		return 5 * time.Minute
	case "every 15 minutes":
		return 15 * time.Minute
	}
	return time.Hour
}

// ----- destinations ------------------------------------------------------------

type configKind int

const (
	kindString configKind = iota
	kindInt
	kindBool
	kindList
	kindObject
	kindAny
)

type configField struct {
	kind     configKind
	required bool
}

// batchExportBaseFields are the workflow inputs every destination accepts
// (PH BaseBatchExportInputs).
var batchExportBaseFields = map[string]configKind{
	"batch_export_id": kindString, "team_id": kindInt, "interval": kindString, "timezone": kindString,
	"data_interval_end": kindAny, "exclude_events": kindList, "include_events": kindList,
	"is_backfill": kindBool, "is_earliest_backfill": kindBool, "backfill_details": kindAny,
	"batch_export_model": kindAny, "batch_export_schema": kindAny, "integration_id": kindAny,
}

func req(k configKind) configField { return configField{kind: k, required: true} }
func opt(k configKind) configField { return configField{kind: k} }

// s3FamilyFields returns the S3FamilyBaseInputs fields plus extra (PH
// products/batch_exports/backend/service.py): no credentials and no
// endpoint_url, which live in the integration.
func s3FamilyFields(extra map[string]configField) map[string]configField {
	out := map[string]configField{
		"bucket_name": req(kindString), "region": req(kindString), "prefix": req(kindString),
		"compression": opt(kindAny), "file_format": opt(kindString), "max_file_size_mb": opt(kindAny),
		"legacy_parquet_extension": opt(kindBool),
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// batchExportDestinations are the destination types and their config
// fields: the workflow inputs of today's server (PH
// products/batch_exports/backend/service.py DESTINATION_WORKFLOWS and the
// *BatchExportInputs dataclasses; "str | None" fields are not type-checked
// there, kindAny here). The legacy S3 type is refused before its config is
// read (see applyDestination).
var batchExportDestinations = map[string]map[string]configField{
	"S3":           {},
	"AwsS3":        s3FamilyFields(map[string]configField{"encryption": opt(kindAny), "kms_key_id": opt(kindAny)}),
	"S3Compatible": s3FamilyFields(map[string]configField{"use_virtual_style_addressing": opt(kindBool)}),
	"Snowflake": {
		"database": req(kindString), "warehouse": req(kindString),
		"schema": req(kindString), "table_name": opt(kindString), "role": opt(kindAny),
	},
	"Postgres": {
		"user": opt(kindString), "password": opt(kindString), "host": opt(kindString), "port": opt(kindInt),
		"database": req(kindString), "schema": opt(kindString), "table_name": opt(kindString),
		"has_self_signed_cert": opt(kindBool),
	},
	"Redshift": {
		"user": opt(kindString), "password": opt(kindString), "host": opt(kindString), "port": opt(kindInt),
		"database": req(kindString), "schema": opt(kindString), "table_name": opt(kindString),
		"properties_data_type": opt(kindString),
		"mode":                 opt(kindString), "copy_inputs": opt(kindObject),
	},
	"BigQuery": {
		"project_id": opt(kindString), "dataset_id": req(kindString), "table_id": opt(kindString),
		"private_key": opt(kindString), "private_key_id": opt(kindString), "token_uri": opt(kindString),
		"client_email": opt(kindString), "use_json_type": opt(kindBool),
	},
	"Databricks": {
		"http_path": req(kindString), "catalog": req(kindString), "schema": req(kindString),
		"table_name": req(kindString), "use_variant_type": opt(kindBool),
		"use_automatic_schema_evolution": opt(kindBool),
	},
	"AzureBlob": {
		"container_name": req(kindString), "prefix": opt(kindString), "compression": opt(kindString),
		"file_format": opt(kindString), "max_file_size_mb": opt(kindInt), "legacy_parquet_extension": opt(kindBool),
	},
	"Workflows":    {"hog_function_id": req(kindString)},
	"HTTP":         {"url": req(kindString), "token": req(kindString)},
	"NoOp":         {"arg": opt(kindString)},
	"FileDownload": {"file_format": opt(kindString), "max_file_size_mb": opt(kindInt), "compression": opt(kindString), "expires_in_seconds": opt(kindInt)},
}

// batchExportSecretFields are removed from configs in answers (PH
// BatchExportDestination.secret_fields), at any depth.
var batchExportSecretFields = map[string][]string{
	"S3":           {"aws_access_key_id", "aws_secret_access_key"},
	"AwsS3":        {"aws_access_key_id", "aws_secret_access_key"},
	"S3Compatible": {"aws_access_key_id", "aws_secret_access_key"},
	"Snowflake":    {"user", "password", "private_key", "private_key_passphrase"},
	"Postgres":     {"user", "password"},
	"Redshift":     {"user", "password", "aws_access_key_id", "aws_secret_access_key"},
	"BigQuery":     {"private_key", "private_key_id", "client_email", "token_uri"},
	"HTTP":         {"token"},
}

// s3Compressions are the compressions S3 exports support per file format
// (PH SUPPORTED_COMPRESSIONS).
var s3Compressions = map[string][]string{
	"Parquet":   {"zstd", "lz4", "snappy", "gzip", "brotli"},
	"JSONLines": {"gzip", "brotli"},
}

var batchExportIntervals = []string{"hour", "day", "week", "every 5 minutes", "every 15 minutes"}

var batchExportModels = []string{"events", "persons", "sessions", "hogql"}

// ----- JSON --------------------------------------------------------------------

func batchExportJSON(be *batchExport) map[string]any {
	runs := sortedBy(be.runs, func(a, b *batchExportRun) bool {
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.After(b.createdAt)
		}
		return a.seq > b.seq
	})
	if len(runs) > 10 {
		runs = runs[:10]
	}
	latest := make([]map[string]any, 0, len(runs))
	for _, r := range runs {
		latest = append(latest, batchExportRunJSON(be, r))
	}
	var model any
	if be.model != nil {
		model = *be.model
	}
	var schema any
	if be.schema != nil {
		schema = be.schema
	}
	out := map[string]any{
		"id": be.id, "team_id": be.teamID, "name": be.name, "model": model,
		"destination": map[string]any{
			"type":        be.destType,
			"config":      publicConfig(be.destType, be.config),
			"integration": be.integration,
		},
		"interval": be.interval, "paused": be.paused,
		"created_at": be.createdAt, "last_updated_at": be.lastUpdatedAt,
		"last_paused_at": be.lastPausedAt, "start_at": be.startAt, "end_at": be.endAt,
		"latest_runs": latest, "schema": schema, "filters": be.filters,
		"timezone": be.timezone, "offset_day": be.offsetDay, "offset_hour": be.offsetHour,
	}
	if be.hogqlQuery != nil {
		out["hogql_query"] = *be.hogqlQuery
	}
	return out
}

func batchExportRunJSON(be *batchExport, r *batchExportRun) map[string]any {
	return map[string]any{
		"id": r.id, "status": r.status, "records_completed": r.recordsCompleted,
		"latest_error": r.latestError, "data_interval_start": r.dataIntervalStart,
		"data_interval_end": r.dataIntervalEnd, "cursor": nil, "created_at": r.createdAt,
		"finished_at": r.finishedAt, "last_updated_at": r.lastUpdatedAt,
		"records_total_count": nil, "bytes_exported": nil,
		"batch_export": be.id, "backfill": r.backfill,
	}
}

// publicConfig copies a config without its secret fields.
func publicConfig(destType string, cfg map[string]any) map[string]any {
	secret := map[string]bool{}
	for _, k := range batchExportSecretFields[destType] {
		secret[k] = true
	}
	var strip func(m map[string]any) map[string]any
	strip = func(m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			if secret[k] {
				continue
			}
			if sub, ok := v.(map[string]any); ok {
				v = strip(sub)
			}
			out[k] = v
		}
		return out
	}
	return strip(cfg)
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// mergeConfig merges next into prev, recursively for objects (PH
// recursive_dict_merge).
func mergeConfig(prev, next map[string]any) map[string]any {
	out := make(map[string]any, len(prev)+len(next))
	for k, v := range prev {
		out[k] = v
	}
	for k, v := range next {
		if nv, ok := v.(map[string]any); ok {
			if pv, ok := out[k].(map[string]any); ok {
				v = mergeConfig(pv, nv)
			}
		}
		out[k] = v
	}
	return out
}

// ----- handlers ----------------------------------------------------------------

func handleBatchExportList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	rc.pageBatchExports(o, func(*batchExport) bool { return true })
}

// pageBatchExports answers one page of o's exports that keep accepts
// (all of them for the organization's list, one project's for the
// project's), newest first, as both list routes do.
// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportViewSet.safely_get_queryset (Workflows exports are left out
// of lists; ordering -created_at).
func (rc *reqCtx) pageBatchExports(o *org, keep func(*batchExport) bool) {
	var mine []*batchExport
	for _, be := range rc.s.areas.batchExports.exports {
		if be.org == o && !be.deleted && be.destType != "Workflows" && keep(be) {
			mine = append(mine, be)
		}
	}
	pageOf(rc, newestFirst(mine, func(be *batchExport) time.Time { return be.createdAt }), batchExportJSON)
}

// batchExportFromPath resolves {organization_id} and {id}, answering 404 for
// an unknown, deleted or malformed ID.
// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportViewSet (exports of the organization's teams).
func (rc *reqCtx) batchExportFromPath() *batchExport {
	o, _ := rc.orgFromPath()
	if o == nil {
		return nil
	}
	return fromPath(rc, "id", func(id uuid.UUID) *batchExport { return rc.s.areas.batchExports.find(o.id, id) })
}

func handleBatchExportGet(rc *reqCtx) {
	if be := rc.batchExportFromPath(); be != nil {
		rc.json(http.StatusOK, batchExportJSON(be))
	}
}

func handleBatchExportCreate(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	rc.createBatchExport(o, rc.s.batchExportTeamID(o))
}

// createBatchExport creates an export of the team teamID in o from the
// request body, with the model's defaults (hourly, UTC, the events model),
// and answers 201. It serves the organization and the project endpoints.
// PostHog: BatchExportSerializer.create.
func (rc *reqCtx) createBatchExport(o *org, teamID int64) {
	f := rc.fields()
	if f == nil {
		return
	}
	now := rc.s.now()
	be := &batchExport{org: o, teamID: teamID, interval: "hour", timezone: "UTC", createdAt: now, lastUpdatedAt: now}
	events := "events"
	be.model = &events
	if !rc.applyBatchExport(be, f, false, nil) {
		return
	}
	be.id = rc.s.newID()
	st := &rc.s.areas.batchExports
	st.exports = append(st.exports, be)
	rc.json(http.StatusCreated, batchExportJSON(be))
}

func handleBatchExportUpdate(put bool) handler {
	return func(rc *reqCtx) {
		be := rc.batchExportFromPath()
		if be == nil {
			return
		}
		f := rc.fields()
		if f == nil {
			return
		}
		next := *be
		if !rc.applyBatchExport(&next, f, !put, be) {
			return
		}
		next.lastUpdatedAt = rc.s.now()
		*be = next
		rc.json(http.StatusOK, batchExportJSON(be))
	}
}

func handleBatchExportDelete(rc *reqCtx) {
	be := rc.batchExportFromPath()
	if be == nil {
		return
	}
	be.deleted = true
	rc.noContent()
}

func handleBatchExportPause(pause bool) handler {
	return func(rc *reqCtx) {
		be := rc.batchExportFromPath()
		if be == nil {
			return
		}
		if be.paused != pause {
			now := rc.s.now()
			be.paused = pause
			be.lastUpdatedAt = now
			if pause {
				be.lastPausedAt = &now
			}
		}
		rc.json(http.StatusOK, map[string]bool{"paused": pause})
	}
}

// PostHog: posthog/batch_exports/http.py BatchExportViewSet.backfill (older
// servers; the deprecated action).
func handleBatchExportBackfill(rc *reqCtx) {
	be := rc.batchExportFromPath()
	if be == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	parse := func(name string) (*time.Time, bool) {
		raw, ok := f[name]
		if !ok || isNull(raw) {
			return nil, true
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			if _, err2 := time.Parse("2006-01-02T15:04:05.999999999", s); err2 == nil {
				rc.invalid("invalid_input", fmt.Sprintf("Input %s is naive.", s), "")
				return nil, false
			}
			rc.invalid("invalid_input", fmt.Sprintf("Input %s is not a valid ISO formatted datetime.", s), "")
			return nil, false
		}
		return &t, true
	}
	start, ok := parse("start_at")
	if !ok {
		return
	}
	end, ok := parse("end_at")
	if !ok {
		return
	}
	switch {
	case end == nil && be.destType != "HTTP" && be.destType != "NoOp":
		rc.invalid("invalid_input", "Backfilling a BatchExport with no end date is not allowed", "")
		return
	case start != nil && end != nil && !start.Before(*end):
		rc.invalid("invalid_input", "The initial backfill datetime 'start_at' happens after 'end_at'", "")
		return
	case end != nil && end.After(rc.s.now().Add(intervalDuration(be.interval))):
		rc.invalid("invalid_input", fmt.Sprintf("The provided 'end_at' (%s) is too far into the future. Cannot backfill beyond 1 batch period into the future.", end.Format(time.RFC3339)), "")
		return
	}
	startS, endS := "START", "END"
	if start != nil {
		startS = start.UTC().Format(time.RFC3339)
	}
	if end != nil {
		endS = end.UTC().Format(time.RFC3339)
	}
	rc.json(http.StatusOK, map[string]string{"backfill_id": fmt.Sprintf("%s-Backfill-%s-%s", be.id, startS, endS)})
}

// handleBatchExportLogs answers the log entries of an export. The server
// keeps no log entries, so pages are empty; PostHog's parameter checks
// apply. (With personal API keys, route answers 403 before this runs.)
// PostHog: posthog/api/log_entries.py LogEntryRequestSerializer and
// LogEntryMixin.logs.
func handleBatchExportLogs(rc *reqCtx) {
	be := rc.batchExportFromPath()
	if be == nil {
		return
	}
	q := rc.r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			rc.invalid("invalid_input", "A valid integer is required.", "limit")
			return
		case n > 500:
			rc.invalid("max_value", "Ensure this value is less than or equal to 500.", "limit")
			return
		case n < 1:
			rc.invalid("min_value", "Ensure this value is greater than or equal to 1.", "limit")
			return
		}
	}
	for _, name := range []string{"after", "before"} {
		if v := q.Get(name); v != "" {
			if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
				rc.invalid("invalid_input", "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].", name)
				return
			}
		}
	}
	page(rc, []map[string]any{})
}

// batchExportTeamID is the team new exports go to: the organization's first
// team when the projects area lists one, else team 1.
func (s *Server) batchExportTeamID(o *org) int64 {
	for _, t := range s.orgTeams(o) {
		if id, ok := jsonInt(t["id"]); ok {
			return id
		}
	}
	return 1
}

// ----- validation --------------------------------------------------------------

// applyBatchExport validates the fields of a create (partial false), PUT
// (partial false, prev set) or PATCH (partial true) body in PostHog's field
// order and applies them to be; the first error is answered. Each rule is
// one step below, naming the PostHog function it mirrors.
// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer (fields, intervals, models, create vs update).
func (rc *reqCtx) applyBatchExport(be *batchExport, f map[string]json.RawMessage, partial bool, prev *batchExport) bool {
	b := &batchExportBody{rc: rc, be: be, f: f, partial: partial, prev: prev}
	for _, step := range []func() bool{
		b.name, b.model, b.destination, b.interval, b.paused, b.times,
		b.hogQLQuery, b.filters, b.timezone, b.offsets, b.httpModel,
	} {
		if !step() {
			return false
		}
	}
	b.foldOffsets()
	return true
}

// batchExportBody is one create, PUT or PATCH body being applied to be.
type batchExportBody struct {
	rc      *reqCtx
	be      *batchExport
	f       map[string]json.RawMessage
	partial bool
	prev    *batchExport
}

func (b *batchExportBody) present(name string) bool { _, ok := b.f[name]; return ok }

// wanted reports whether a required field is to be read: it is in the
// body, or the body is a full one (create, PUT), where its absence is
// answered as DRF's required error.
// PostHog: DRF rest_framework/serializers.py Serializer.to_internal_value
// (required fields; partial skips them).
func (b *batchExportBody) wanted(name string) (read, ok bool) {
	if b.present(name) {
		return true, true
	}
	if b.partial {
		return false, true
	}
	b.rc.required(name)
	return false, false
}

// nullableString reads the optional, nullable string field name: absent,
// nothing happens; null, onNull runs; a string is returned with set true.
// ok is false when the value is neither (the 400 is answered).
func (b *batchExportBody) nullableString(name string, onNull func()) (v string, set, ok bool) {
	return optional[string](b.rc, b.f, name, onNull, "Not a valid string.")
}

// name is a required, non-blank string.
// PostHog: BatchExportSerializer Meta.fields "name" (model CharField).
func (b *batchExportBody) name() bool {
	read, ok := b.wanted("name")
	if !read {
		return ok
	}
	name, ok := b.rc.stringField(b.f, "name", true, 0)
	if ok {
		b.be.name = name
	}
	return ok
}

// model is null or one of the models.
// PostHog: BatchExportSerializer Meta.fields "model" (BatchExport.Model
// choices).
func (b *batchExportBody) model() bool {
	m, set, ok := b.nullableString("model", func() { b.be.model = nil })
	if !set {
		return ok
	}
	if m != "" && !slices.Contains(batchExportModels, m) {
		b.rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", m), "model")
		return false
	}
	b.be.model = &m
	return true
}

// destination is required and validated by applyDestination.
// PostHog: BatchExportSerializer.validate_destination.
func (b *batchExportBody) destination() bool {
	read, ok := b.wanted("destination")
	if !read {
		return ok
	}
	return b.rc.applyDestination(b.be, b.f["destination"], b.partial, b.prev)
}

// interval is required and one of the intervals.
// PostHog: BatchExportSerializer.interval (ChoiceField of
// BATCH_EXPORT_INTERVALS).
func (b *batchExportBody) interval() bool {
	read, ok := b.wanted("interval")
	if !read {
		return ok
	}
	iv, ok := b.rc.rawString(b.f["interval"], "interval")
	if !ok {
		return false
	}
	if !slices.Contains(batchExportIntervals, iv) {
		b.rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", iv), "interval")
		return false
	}
	b.be.interval = iv
	return true
}

// paused is a boolean.
// PostHog: BatchExportSerializer Meta.fields "paused" (DRF BooleanField).
func (b *batchExportBody) paused() bool {
	return b.rc.boolField(b.f, "paused", &b.be.paused)
}

// times reads last_paused_at, start_at and end_at: null or an ISO 8601
// time.
// PostHog: BatchExportSerializer Meta.fields (DRF DateTimeField).
func (b *batchExportBody) times() bool {
	for _, tf := range []struct {
		name string
		dst  **time.Time
	}{{"last_paused_at", &b.be.lastPausedAt}, {"start_at", &b.be.startAt}, {"end_at", &b.be.endAt}} {
		const wrongFormat = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
		s, set, ok := optional[string](b.rc, b.f, tf.name, func() { *tf.dst = nil }, wrongFormat)
		if !ok {
			return false
		}
		if !set {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			b.rc.invalid("invalid_input", wrongFormat, tf.name)
			return false
		}
		t = t.UTC()
		*tf.dst = &t
	}
	return true
}

// hogQLQuery compiles the query into the export's schema.
// PostHog: HogQLSelectQueryField.to_internal_value.
func (b *batchExportBody) hogQLQuery() bool {
	if !b.present("hogql_query") {
		return true
	}
	q, ok := b.rc.stringField(b.f, "hogql_query", false, 0)
	if !ok {
		return false
	}
	schema, detail := compileHogQL(q)
	if detail != "" {
		b.rc.invalid("invalid_input", detail, "hogql_query")
		return false
	}
	b.be.hogqlQuery = &q
	b.be.schema = schema
	return true
}

// filters is null or a list of objects without run attributes.
// PostHog: BatchExportSerializer.validate_filters.
func (b *batchExportBody) filters() bool {
	raw, ok := b.f["filters"]
	if !ok {
		return true
	}
	var v any
	_ = json.Unmarshal(raw, &v)
	if v != nil {
		list, ok := v.([]any)
		if !ok {
			b.rc.invalid("invalid_input", "'filters' should be an array of filters", "filters")
			return false
		}
		for _, item := range list {
			m, ok := item.(map[string]any)
			if !ok {
				b.rc.invalid("invalid_input", "Each filter must be an object", "filters")
				return false
			}
			_, start := m["data_interval_start"]
			_, end := m["data_interval_end"]
			if start || end {
				b.rc.invalid("invalid_input", "'data_interval_start' and 'data_interval_end' are run attributes and not 'filters'."+
					" Trigger a backfill if you wish to manually control which periods to batch export.", "filters")
				return false
			}
		}
	}
	b.be.filters = v
	return true
}

// timezone is a zone name; null means UTC.
// PostHog: BatchExportSerializer.timezone (ChoiceField of TIMEZONES) and
// BatchExportSerializer.validate_timezone.
func (b *batchExportBody) timezone() bool {
	tz, set, ok := b.nullableString("timezone", func() { b.be.timezone = "UTC" })
	if !set {
		return ok
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
		b.rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", tz), "timezone")
		return false
	}
	b.be.timezone = tz
	return true
}

// offsets reads offset_day and offset_hour: null or an integer in range,
// checked against the interval of the body, else the stored one.
// PostHog: BatchExportSerializer.offset_day/offset_hour (IntegerField
// min_value, max_value), validate_offset_day, validate_offset_hour.
func (b *batchExportBody) offsets() bool {
	for _, of := range []struct {
		name      string
		max       int
		intervals []string
		msg       string
		dst       **int
	}{
		{"offset_day", 6, []string{"week"}, "offset_day is not applicable for non-weekly intervals", &b.be.offsetDay},
		{"offset_hour", 23, []string{"day", "week"}, "offset_hour is not applicable for non-daily/weekly intervals", &b.be.offsetHour},
	} {
		n, set, ok := optional[int](b.rc, b.f, of.name, func() { *of.dst = nil }, "A valid integer is required.")
		if !ok {
			return false
		}
		if !set {
			continue
		}
		if n < 0 {
			b.rc.invalid("min_value", "Ensure this value is greater than or equal to 0.", of.name)
			return false
		}
		if n > of.max {
			b.rc.invalid("max_value", fmt.Sprintf("Ensure this value is less than or equal to %d.", of.max), of.name)
			return false
		}
		if !slices.Contains(of.intervals, b.be.interval) {
			b.rc.invalid("invalid_input", of.msg, of.name)
			return false
		}
		*of.dst = &n
	}
	return true
}

// httpModel refuses an HTTP export of a model other than events.
// PostHog: BatchExportSerializer.validate.
func (b *batchExportBody) httpModel() bool {
	if b.be.destType == "HTTP" && b.be.model != nil && *b.be.model != "" && *b.be.model != "events" {
		b.rc.invalid("invalid_input", "HTTP batch exports only support the events model", "")
		return false
	}
	return true
}

// foldOffsets folds the offsets into one interval offset when the body
// names the interval: a daily export keeps only the hour, a weekly one
// both (a missing one counts as 0), others none; a full body without
// offsets clears them.
// PostHog: BatchExportSerializer.validate (interval_offset).
func (b *batchExportBody) foldOffsets() {
	if !b.present("interval") {
		return
	}
	be := b.be
	switch be.interval {
	case "day":
		be.offsetDay = nil
		if !b.present("offset_hour") && !b.partial {
			be.offsetHour = nil
		}
	case "week":
		if b.present("offset_day") || b.present("offset_hour") {
			if be.offsetDay == nil || !b.present("offset_day") {
				zero := 0
				be.offsetDay = &zero
			}
			if be.offsetHour == nil || !b.present("offset_hour") {
				zero := 0
				be.offsetHour = &zero
			}
		} else if !b.partial {
			be.offsetDay, be.offsetHour = nil, nil
		}
	default:
		be.offsetDay, be.offsetHour = nil, nil
	}
}

// applyDestination validates the nested destination object and applies it.
// Errors carry PostHog's nested attrs ("destination__type").
func (rc *reqCtx) applyDestination(be *batchExport, raw json.RawMessage, partial bool, prev *batchExport) bool {
	if isNull(raw) {
		rc.invalid("null", "This field may not be null.", "destination")
		return false
	}
	var d map[string]json.RawMessage
	if json.Unmarshal(raw, &d) != nil {
		rc.invalid("invalid_input", fmt.Sprintf("Invalid data. Expected a dictionary, but got %s.", pythonType(raw)), "destination__non_field_errors")
		return false
	}
	// type (PostHog answers 500 for a PATCH without it; this server says
	// it is required).
	rawType, ok := d["type"]
	if !ok {
		rc.required("destination__type")
		return false
	}
	typ, ok := rc.rawString(rawType, "destination__type")
	if !ok {
		return false
	}
	fields, known := batchExportDestinations[typ]
	if !known {
		rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", typ), "destination__type")
		return false
	}
	// PostHog: products/batch_exports/backend/api/batch_export.py
	// BatchExportSerializer.validate_destination refuses every write of the
	// legacy S3 type. (With service.py @02b1f51, which has no "S3" workflow,
	// the nested BatchExportDestinationSerializer.validate fails first with
	// a KeyError, a 500; this server answers the 400 either way.)
	if typ == "S3" {
		rc.invalid("invalid_input", "The 'S3' destination type is deprecated and can no longer be used. Use 'AwsS3' for AWS S3, or 'S3Compatible' for S3-compatible storage.", "destination")
		return false
	}
	// config
	rawCfg, ok := d["config"]
	if !ok {
		rc.required("destination__config")
		return false
	}
	var cfg map[string]any
	if isNull(rawCfg) || json.Unmarshal(rawCfg, &cfg) != nil {
		rc.invalid("invalid_input", "Value must be valid JSON.", "destination__config")
		return false
	}
	if cfg == nil {
		cfg = map[string]any{}
	}
	// integration / integration_id (write-only alias): an integration of
	// the export's project, or it does not exist (PostHog:
	// posthog/api/scoped_related_fields.py TeamScopedPrimaryKeyRelatedField).
	// given tells whether the body names one (null included).
	var integration *projectIntegration
	given := false
	for _, name := range []string{"integration", "integration_id"} {
		r, ok := d[name]
		if !ok {
			continue
		}
		given = true
		if isNull(r) {
			integration = nil
			continue
		}
		var n int64
		if json.Unmarshal(r, &n) != nil {
			rc.invalid("incorrect_type", fmt.Sprintf("Incorrect type. Expected pk value, received %s.", pythonType(r)), "destination__"+name)
			return false
		}
		in := rc.s.areas.projectIntegrations.byID(be.teamID, n)
		if in == nil {
			rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk \"%d\" - object does not exist.", n), "destination__"+name)
			return false
		}
		integration = in
	}

	// The nested serializer's validate(): config keys and types.
	var unknown []string
	for k := range cfg {
		if _, ok := fields[k]; ok {
			continue
		}
		if _, ok := batchExportBaseFields[k]; ok {
			continue
		}
		unknown = append(unknown, "'"+k+"'")
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		rc.invalid("invalid_input", "Configuration has unknown field/s: "+strings.Join(unknown, ", "), "destination__non_field_errors")
		return false
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		spec := fields[k]
		v, ok := cfg[k]
		if !ok {
			if spec.required && !partial {
				rc.invalid("invalid_input", fmt.Sprintf("Configuration missing required field: '%s'", k), "destination__non_field_errors")
				return false
			}
			continue
		}
		cv, ok := coerceConfigValue(v, spec.kind)
		if !ok {
			rc.invalid("invalid_input", fmt.Sprintf("Configuration has invalid type: got '%s', expected '%s'", pythonTypeOf(v), pythonKind(spec.kind)), "destination__non_field_errors")
			return false
		}
		cfg[k] = cv
	}

	// The parent serializer's validate_destination().
	if prev != nil && prev.destType != typ {
		rc.invalid("invalid_input", fmt.Sprintf("Cannot change destination type from '%s' to '%s'. Delete this batch export and create a new one with the new destination type.", prev.destType, typ), "destination")
		return false
	}
	merged := cfg
	if prev != nil {
		merged = mergeConfig(prev.config, cfg)
	}
	if !rc.checkDestinationIntegration(typ, cfg, merged, integration, given, prev, be.teamID) {
		return false
	}
	be.destType = typ
	be.config = merged
	// PostHog: BatchExportSerializer.update keeps the stored integration
	// when the body names none.
	switch {
	case integration != nil:
		id := integration.id
		be.integration = &id
	case given || prev == nil:
		be.integration = nil
	default:
		be.integration = prev.integration
	}
	return true
}

// checkDestinationIntegration applies the per-type rules of PostHog's
// products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination: the HTTP URL allow-list, the
// integration each type needs (always, or on create: prev == nil), its
// kind, sticky integrations, and the S3 family's input checks. integration
// is the one the body names (nil when none or null); teamID is the
// export's project.
func (rc *reqCtx) checkDestinationIntegration(typ string, cfg, merged map[string]any, integration *projectIntegration, given bool, prev *batchExport, teamID int64) bool {
	fail := func(msg string) bool {
		rc.invalid("invalid_input", msg, "destination")
		return false
	}
	create := prev == nil
	hadIntegration := prev != nil && prev.integration != nil
	kindIs := func(k ProjectIntegrationKind) bool { return integration != nil && integration.kind == k }
	switch typ {
	case "HTTP":
		// SSRF protection: only PostHog's own capture endpoints.
		if u, ok := merged["url"]; ok && u != nil && u != "" && u != "https://us.i.posthog.com/batch/" && u != "https://eu.i.posthog.com/batch/" {
			return fail(fmt.Sprintf("Invalid destination URL: %v", u))
		}
	case "Snowflake":
		if hadIntegration && integration == nil {
			return fail("Cannot remove the integration from a Snowflake batch export that uses one. Re-send its `integration` to keep it (or a different one to swap).")
		}
		if integration == nil && create {
			return fail("Integration is required for Snowflake batch exports")
		}
		if integration != nil && !kindIs(IntegrationSnowflake) {
			return fail("Integration is not a Snowflake integration.")
		}
	case "AwsS3", "S3Compatible":
		// A PATCH without integration keeps the stored one; null removes it.
		if integration == nil && !given && prev != nil && prev.integration != nil {
			integration = rc.s.areas.projectIntegrations.byID(prev.teamID, *prev.integration)
		}
		if integration == nil {
			return fail(fmt.Sprintf("Integration is required for %s batch exports", typ))
		}
		var empty []string
		for _, k := range []string{"bucket_name", "region", "prefix"} {
			if s, ok := cfg[k].(string); ok && strings.TrimSpace(s) == "" {
				empty = append(empty, "'"+k+"'")
			}
		}
		if len(empty) > 0 {
			return fail(fmt.Sprintf("The following inputs are empty: [%s]", strings.Join(empty, ", ")))
		}
		want := IntegrationAWSS3
		if typ == "S3Compatible" {
			want = IntegrationS3Compatible
		}
		if integration.kind != want {
			// PostHog says "AWS S3" for both types.
			return fail(fmt.Sprintf("Integration provided is not an AWS S3 integration (got kind='%s')", integration.kind))
		}
		format := "JSONLines"
		if s, ok := merged["file_format"].(string); ok {
			format = s
		}
		comps, ok := s3Compressions[format]
		if !ok {
			return fail(fmt.Sprintf("File format %s is not supported. Supported file formats are ['Parquet', 'JSONLines']", format))
		}
		if c, ok := merged["compression"].(string); ok && c != "" && !slices.Contains(comps, c) {
			return fail(fmt.Sprintf("Compression %s is not supported for file format %s. Supported compressions are ['%s']", c, format, strings.Join(comps, "', '")))
		}
	case "Databricks":
		if integration == nil {
			return fail("Integration is required for Databricks batch exports")
		}
		if !kindIs(IntegrationDatabricks) {
			return fail("Integration is not a Databricks integration.")
		}
	case "Postgres":
		if integration == nil && create {
			return fail("Integration is required for Postgres batch exports")
		}
		if integration != nil && !kindIs(IntegrationPostgreSQL) {
			return fail("Integration is not a PostgreSQL integration.")
		}
	case "BigQuery":
		if integration == nil {
			return fail("Integration is required for BigQuery batch exports")
		}
		if !kindIs(IntegrationGoogleCloudServiceAccount) {
			return fail("Integration is not a Google Cloud service account integration.")
		}
	case "AzureBlob":
		if integration == nil {
			return fail("Integration is required for Azure Blob batch exports")
		}
		if !kindIs(IntegrationAzureBlob) {
			return fail("Integration is not an Azure Blob integration.")
		}
	case "Redshift":
		if hadIntegration && integration == nil {
			return fail("Cannot remove the integration from a Redshift batch export that uses one. Re-send its `integration` to keep it (or a different one to swap).")
		}
		if integration == nil && create {
			return fail("Integration is required for Redshift batch exports")
		}
		if integration != nil {
			if !kindIs(IntegrationAWSRedshift) {
				return fail("Integration is not a Redshift integration.")
			}
			if _, ok := integration.config["host"]; !ok && (merged["host"] == nil || merged["host"] == "") {
				return fail("A 'host' is required when using an AWS Redshift integration: set it to the cluster or workgroup endpoint.")
			}
		}
		if merged["mode"] == "COPY" {
			if msg := rc.redshiftCopyProblem(merged, prev, teamID); msg != "" {
				return fail(msg)
			}
		}
	}
	return true
}

// redshiftCopyProblem checks the copy_inputs of a Redshift export in COPY
// mode and returns PostHog's message, or "" when they are fine: the four
// inputs, integration IDs that stay integrations once set and name an aws-s3
// integration of the project, inline bucket credentials with both keys,
// and an authorization that is an integration, both keys or a non-blank
// IAM role.
// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination (Redshift COPY) and
// _coerce_integration_id.
func (rc *reqCtx) redshiftCopyProblem(merged map[string]any, prev *batchExport, teamID int64) string {
	copyInputs, _ := merged["copy_inputs"].(map[string]any)
	if len(copyInputs) == 0 {
		return "Missing required inputs for 'COPY'"
	}
	for _, k := range []string{"s3_bucket", "region_name", "authorization", "bucket_credentials"} {
		if _, ok := copyInputs[k]; !ok {
			return "Missing required input for 'COPY'"
		}
	}
	var existing map[string]any
	if prev != nil {
		existing, _ = prev.config["copy_inputs"].(map[string]any)
	}
	for _, name := range []string{"bucket_credentials", "authorization"} {
		id, isID := copyIntegrationID(copyInputs[name])
		if _, wasID := copyIntegrationID(existing[name]); prev != nil && !isID && wasID {
			return fmt.Sprintf("Cannot switch '%s' from an integration to inline credentials. "+
				"Send a different integration ID to swap, or omit the field to keep the current one.", name)
		}
		if !isID {
			continue
		}
		in := rc.s.areas.projectIntegrations.byID(teamID, id)
		if in == nil || in.kind != IntegrationAWSS3 {
			return fmt.Sprintf("'%s' does not reference an AWS S3 integration of this project.", name)
		}
	}
	hasKeys := func(v any) bool {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		_, a := m["aws_access_key_id"]
		_, b := m["aws_secret_access_key"]
		return a && b
	}
	if _, isID := copyIntegrationID(copyInputs["bucket_credentials"]); !isID && !hasKeys(copyInputs["bucket_credentials"]) {
		return "Missing required bucket credentials for 'COPY'"
	}
	if _, isID := copyIntegrationID(copyInputs["authorization"]); !isID {
		switch v := copyInputs["authorization"].(type) {
		case map[string]any:
			if !hasKeys(v) {
				return "Missing required credentials for 'COPY'"
			}
		case string:
			if strings.TrimSpace(v) == "" {
				return "Missing required IAM role for 'COPY'"
			}
		default:
			return "Authorization for 'COPY' must be an IAM role ARN, AWS credentials, or an integration ID."
		}
	}
	return ""
}

// copyIntegrationID reads an integration ID inside copy_inputs: a JSON
// integer or a string of digits (never a boolean).
// PostHog: batch_export.py _coerce_integration_id.
func copyIntegrationID(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
	case string:
		if x != "" && strings.Trim(x, "0123456789") == "" {
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// coerceConfigValue checks a config value against its declared kind,
// converting strings to bools and integers as PostHog does.
func coerceConfigValue(v any, kind configKind) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch kind {
	case kindString:
		_, ok := v.(string)
		return v, ok
	case kindInt:
		switch x := v.(type) {
		case float64:
			return x, x == float64(int64(x))
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			return n, err == nil
		}
		return v, false
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, true
		case string:
			switch strings.ToLower(x) {
			case "true", "1", "yes", "on", "t", "y":
				return true, true
			case "false", "0", "no", "off", "f", "n":
				return false, true
			}
		}
		return v, false
	case kindList:
		_, ok := v.([]any)
		return v, ok
	case kindObject:
		_, ok := v.(map[string]any)
		return v, ok
	}
	return v, true
}

func pythonKind(k configKind) string {
	switch k {
	case kindInt:
		return "int"
	case kindBool:
		return "bool"
	case kindList:
		return "list"
	case kindObject:
		return "dict"
	}
	return "str"
}

func pythonTypeOf(v any) string {
	switch x := v.(type) {
	case string:
		return "str"
	case bool:
		return "bool"
	case float64:
		if x == float64(int64(x)) {
			return "int"
		}
		return "float"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "NoneType"
}

func pythonType(raw json.RawMessage) string {
	var v any
	_ = json.Unmarshal(raw, &v)
	return pythonTypeOf(v)
}

var (
	selectRe = regexp.MustCompile(`(?is)^\s*select\s+(.+?)\s+from\s+([a-z_][a-z0-9_.]*)\b(.*)$`)
	aliasRe  = regexp.MustCompile(`(?is)^(.+?)\s+as\s+([a-z_][a-z0-9_]*|` + "`[^`]+`" + `)$`)
)

// compileHogQL checks a batch export query as PostHog does (a SELECT from
// events only, no UNION or JOIN) and returns its schema; detail is the 400
// message when it is not valid. The expressions are kept as written:
// PostHog prints them in ClickHouse SQL.
func compileHogQL(q string) (map[string]any, string) {
	m := selectRe.FindStringSubmatch(q)
	if m == nil {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(q)), "select") {
			return nil, "Query must SELECT FROM events"
		}
		return nil, "Failed to parse query"
	}
	rest := strings.ToLower(m[3])
	switch {
	case strings.Contains(rest, "union"):
		return nil, "UNIONs are not supported"
	case !strings.EqualFold(m[2], "events"):
		return nil, "Query must only SELECT FROM events"
	case strings.Contains(rest, "join"):
		return nil, "JOINs are not supported"
	}
	var fields []any
	for _, item := range splitTopLevel(m[1]) {
		expr, alias := item, item
		if a := aliasRe.FindStringSubmatch(item); a != nil {
			expr, alias = strings.TrimSpace(a[1]), strings.Trim(a[2], "`")
		}
		fields = append(fields, map[string]any{"expression": expr, "alias": alias})
	}
	return map[string]any{"fields": fields, "values": map[string]any{}, "hogql_query": strings.TrimSpace(q)}, ""
}

// splitTopLevel splits a select list on commas outside parentheses and
// quotes.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// ----- destination tests -------------------------------------------------------

type destinationTestStep struct {
	name, description string
	// needs are the config keys the step needs; it fails as "not
	// configured" without them.
	needs []string
}

var s3TestSteps = []destinationTestStep{{
	"Check S3 bucket exists",
	"Ensure the configured S3 bucket exists and that we have the required permissions to access it.",
	[]string{"bucket_name", "aws_access_key_id", "aws_secret_access_key"},
}}

var bigQueryKeys = []string{"private_key", "private_key_id", "token_uri", "client_email"}

// destinationTests are the destination tests PostHog has (PH
// get_destination_test); other types answer 404.
var destinationTests = map[string][]destinationTestStep{
	"S3": s3TestSteps, "S3Compatible": s3TestSteps,
	"AwsS3": append([]destinationTestStep{{
		"Ensure we can assume provided AWS role",
		"Ensure the configured AWS role ARN exists and that we have the required trust relationship to assume it.",
		nil,
	}}, s3TestSteps...),
	"BigQuery": {
		{"Verify BigQuery project", "Ensure the configured BigQuery project exists and that we have the required permissions to access it.", append([]string{"project_id"}, bigQueryKeys...)},
		{"Verify BigQuery dataset", "Ensure the configured BigQuery dataset exists and that we have the required permissions to access it.", append([]string{"project_id", "dataset_id"}, bigQueryKeys...)},
		{"Verify BigQuery table", "Ensure the configured BigQuery table already exists or that we have the required permissions to create it. Additionally, when creating a table, we will attempt to delete it.", append([]string{"project_id", "dataset_id", "table_id"}, bigQueryKeys...)},
	},
	"Snowflake": {
		{"Verify Snowflake user", "Verify we can authenticate as the configured Snowflake user.", []string{"account", "user"}},
		{"Verify Snowflake warehouse", "Verify the configured Snowflake warehouse exists and we have the necessary permissions to use it.", []string{"account", "user", "warehouse"}},
		{"Verify Snowflake database", "Verify the configured Snowflake database exists and we have the necessary permissions to use it.", []string{"account", "user", "warehouse", "database"}},
		{"Verify Snowflake schema", "Verify the configured Snowflake schema exists and we have the necessary permissions to use it.", []string{"account", "user", "warehouse", "database", "schema"}},
	},
	"Databricks": {
		{"Verify Databricks catalog", "Verify the configured Databricks catalog exists and we have the necessary permissions to use it.", []string{"http_path", "catalog"}},
		{"Verify Databricks schema", "Verify the configured Databricks schema exists and we have the necessary permissions to use it.", []string{"http_path", "catalog", "schema"}},
	},
	"AzureBlob": {
		{"Verify Azure Blob container", "Verify the configured Azure Blob Storage container exists and we have the necessary permissions to use it.", []string{"container_name"}},
	},
}

func destinationTestJSON(steps []destinationTestStep) map[string]any {
	out := make([]map[string]any, 0, len(steps))
	for _, st := range steps {
		out = append(out, map[string]any{"name": st.name, "description": st.description, "result": nil})
	}
	return map[string]any{"steps": out}
}

// PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportViewSet.test.
func handleBatchExportTest(rc *reqCtx) {
	if o, _ := rc.orgFromPath(); o == nil {
		return
	}
	dest := rc.r.URL.Query().Get("destination")
	if dest == "" {
		rc.w.WriteHeader(http.StatusBadRequest)
		return
	}
	steps, ok := destinationTests[dest]
	if !ok {
		rc.w.WriteHeader(http.StatusNotFound)
		return
	}
	rc.json(http.StatusOK, destinationTestJSON(steps))
}

// handleBatchExportRunTestStep runs one step of a destination test: the
// body is validated as a whole batch export (plus "step"); for an existing
// export (detail) the stored config is merged under the body's. This server
// reaches no destination: a step passes when its settings are present.
func handleBatchExportRunTestStep(detail bool) handler {
	return func(rc *reqCtx) {
		var stored *batchExport
		var o *org
		if detail {
			if stored = rc.batchExportFromPath(); stored == nil {
				return
			}
			o = stored.org
		} else if o, _ = rc.orgFromPath(); o == nil {
			return
		}
		f := rc.fields()
		if f == nil {
			return
		}
		step := 0
		if raw, ok := f["step"]; ok {
			if json.Unmarshal(raw, &step) != nil {
				rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
				return
			}
			delete(f, "step")
		}
		be := &batchExport{interval: "hour", timezone: "UTC", teamID: rc.s.batchExportTeamID(o)}
		var prev *batchExport
		if stored != nil {
			// The stored config (its workflow-input keys) fills in what the
			// body's config leaves out, before validation; the integration
			// rules see the stored export (PH validate_destination's
			// view.get_object()).
			be.teamID = stored.teamID
			prev = &batchExport{destType: stored.destType, config: stored.config, integration: stored.integration, teamID: stored.teamID}
			if !mergeStoredTestConfig(f, stored) {
				rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
				return
			}
		}
		if !rc.applyBatchExport(be, f, false, prev) {
			return
		}
		steps, ok := destinationTests[be.destType]
		if !ok || step < 0 || step >= len(steps) {
			// PostHog fails with an unhandled error here.
			rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
			return
		}
		st := steps[step]
		result := map[string]any{"status": "Passed", "message": nil}
		// PostHog adds the linked integration's config and secrets to the
		// test configuration (BatchExportViewSet.run_test_step_new); the
		// seeded integrations stand for complete credentials.
		testCfg := deepCopyMap(be.config)
		if be.integration != nil {
			for _, k := range []string{"aws_access_key_id", "aws_secret_access_key", "private_key", "private_key_id", "token_uri", "client_email", "account", "user", "project_id"} {
				testCfg[k] = "(from integration)"
			}
		}
		for _, k := range st.needs {
			if v, ok := testCfg[k]; !ok || v == nil || v == "" {
				result = map[string]any{"status": "Failed", "message": "The test step cannot run as it's not configured."}
				break
			}
		}
		rc.json(http.StatusOK, map[string]any{"name": st.name, "description": st.description, "result": result})
	}
}

// mergeStoredTestConfig puts the stored config's known keys under the
// body's destination config (PostHog indexes the body's destination config
// directly, so a body without one fails with an unhandled error: false).
func mergeStoredTestConfig(f map[string]json.RawMessage, stored *batchExport) bool {
	var d map[string]json.RawMessage
	if json.Unmarshal(f["destination"], &d) != nil || d == nil {
		return false
	}
	var cfg map[string]any
	if json.Unmarshal(d["config"], &cfg) != nil || cfg == nil {
		return false
	}
	fields := batchExportDestinations[stored.destType]
	merged := map[string]any{}
	for k, v := range stored.config {
		_, known := fields[k]
		_, base := batchExportBaseFields[k]
		if known || base {
			merged[k] = v
		}
	}
	for k, v := range cfg {
		merged[k] = v
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return false
	}
	d["config"] = b
	if f["destination"], err = json.Marshal(d); err != nil {
		return false
	}
	return true
}
