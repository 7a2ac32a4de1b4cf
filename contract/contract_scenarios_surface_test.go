package contract

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Scenarios for the methods added with issue 11's additive part: project
// batch exports and the lookup helpers (whose operations other scenarios
// cover too). Registered here so that the scenario table stays untouched.
func init() {
	contractScenarios["project_batch_exports"] = contractProjectBatchExports
	contractScenarios["environment_batch_exports"] = contractEnvironmentBatchExports
	contractScenarios["project_integrations_write"] = contractProjectIntegrationsWrite
	contractScenarios["lookups"] = contractLookups
	project := projectBatchExportExceptions()
	schemaExceptions = append(schemaExceptions, project...)
	schemaExceptions = append(schemaExceptions, environmentExceptions(project)...)
}

// environmentExceptions are the project batch export exceptions on the
// environment routes: PostHog serves both with the same views
// (products/batch_exports/backend/routes.py register_legacy_dual_route), and
// the schema repeats the same mistakes for them.
func environmentExceptions(project []schemaException) []schemaException {
	var out []schemaException
	for _, e := range project {
		if strings.Contains(e.op, "/api/projects/{project_id}/") {
			e.op = strings.Replace(e.op, "/api/projects/{project_id}/", "/api/environments/{project_id}/", 1)
			out = append(out, e)
		}
	}
	return out
}

// projectBatchExportExceptions are the schema exceptions of the project
// batch export routes: the organization-level ones for the same actions
// (the same viewset, the same schema mistakes), and those of runs and
// backfills, which only the project routes have.
func projectBatchExportExceptions() []schemaException {
	const (
		orgBatch  = "/api/organizations/{organization_id}/batch_exports/"
		projBatch = "/api/projects/{project_id}/batch_exports/"
		runs      = projBatch + "{batch_export_id}/runs/"
		backfills = projBatch + "{batch_export_id}/backfills/"
		src       = "PH products/batch_exports/backend/api/batch_export.py"
	)
	var out []schemaException
	for _, e := range schemaExceptions {
		for _, action := range []string{"{id}/pause/", "{id}/unpause/", "{id}/logs/"} {
			if strings.HasSuffix(e.op, " "+orgBatch+action) {
				e.op = strings.Replace(e.op, orgBatch, projBatch, 1)
				out = append(out, e)
			}
		}
	}
	return append(out,
		queryEx("GET "+runs, `{"status":{"type":"string","enum":["Cancelled","Completed","ContinuedAsNew","Failed","FailedRetryable","FailedBilling","Terminated","TimedOut","Running","Starting"]},`+
			`"after":{"type":"string"},"before":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"}}`,
			"status (repeatable), after, before, start, end", "the schema lists only cursor and ordering",
			src+" BatchExportRunListQuerySerializer"),
		requestEx("POST "+backfills, `{"type":"object","properties":{"start_at":{"type":"string","nullable":true},"end_at":{"type":"string","nullable":true}}}`,
			"{start_at, end_at}", "the schema requires a whole BatchExportBackfill; create reads only start_at and end_at", src+" BatchExportBackfillViewSet.create"),
		responseEx("POST "+backfills, 201, `{"type":"object","required":["backfill_id"],"properties":{"backfill_id":{"type":"string","format":"uuid"}}}`,
			`{"backfill_id": "<uuid>"}`, "the schema says a BatchExportBackfill", src+" BatchExportBackfillViewSet.create"),
		propertyEx("BatchExportBackfill", "progress", `{"type":"object","nullable":true,"readOnly":true,"properties":{"total_runs":{"type":"integer","nullable":true},"finished_runs":{"type":"integer","nullable":true},"progress":{"type":"number","nullable":true}}}`,
			"{total_runs, finished_runs, progress} or null", "the schema types the SerializerMethodField as a string", src+" BatchExportBackfillSerializer.get_progress"),
		requestEx("POST "+runs+"{id}/retry/", noBody,
			"no body", "the schema requires a BatchExportRun body the action never reads", src+" BatchExportRunViewSet.retry"),
		responseEx("POST "+runs+"{id}/retry/", 201, `{"type":"object","required":["backfill_id"],"properties":{"backfill_id":{"type":"string"}}}`,
			`{"backfill_id": "<id>"}`, `the schema says 200 "No response body"; the action answers 201 with the backfill ID`, src+" BatchExportRunViewSet.retry"),
		requestEx("POST "+runs+"{id}/cancel/", noBody,
			"no body", "the schema requires a BatchExportRun body the action never reads", src+" BatchExportRunViewSet.cancel"),
		responseEx("POST "+runs+"{id}/cancel/", 200, `{"type":"object","required":["cancelled"],"properties":{"cancelled":{"type":"boolean"}}}`,
			`{"cancelled": true}`, `the schema says "No response body"`, src+" BatchExportRunViewSet.cancel"),
		requestEx("POST "+backfills+"{id}/cancel/", noBody,
			"no body", "the schema requires a BatchExportBackfill body the action never reads", src+" BatchExportBackfillViewSet.cancel"),
		responseEx("POST "+backfills+"{id}/cancel/", 200, `{"type":"object","required":["cancelled"],"properties":{"cancelled":{"type":"boolean"}}}`,
			`{"cancelled": true}`, `the schema says "No response body"`, src+" BatchExportBackfillViewSet.cancel"),
	)
}

func contractProjectBatchExports(ctx context.Context, e *contractEnv) error {
	return contractBatchExportsOf(ctx, e, func(c *posthogapi.Client) *posthogapi.ProjectBatchExportsService { return c.ProjectBatchExports })
}

// contractEnvironmentBatchExports drives the same methods on the
// environment routes (Client.EnvironmentBatchExports); a project's main
// environment has the project's ID.
func contractEnvironmentBatchExports(ctx context.Context, e *contractEnv) error {
	return contractBatchExportsOf(ctx, e, func(c *posthogapi.Client) *posthogapi.ProjectBatchExportsService { return c.EnvironmentBatchExports })
}

func contractBatchExportsOf(ctx context.Context, e *contractEnv, svc func(*posthogapi.Client) *posthogapi.ProjectBatchExportsService) error {
	c := e.c
	e.srv.AddProject(e.org.ID, "Existing")
	proj := e.srv.AddProject(e.org.ID, "Target")
	be, err := svc(c).Create(ctx, proj.ID, &posthogapi.BatchExportCreate{
		Name: "project export", Interval: posthogapi.IntervalHour, Model: posthogapi.Ptr(posthogapi.ModelEvents),
		Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
	})
	if err != nil {
		return fail("ProjectBatchExports.Create", err)
	}
	if _, err := svc(c).List(ctx, proj.ID, &posthogapi.ListOptions{Limit: 10}); err != nil {
		return fail("ProjectBatchExports.List", err)
	}
	if err := drain(svc(c).All(ctx, proj.ID, nil)); err != nil {
		return fail("ProjectBatchExports.All", err)
	}
	if _, err := svc(c).Get(ctx, proj.ID, be.ID); err != nil {
		return fail("ProjectBatchExports.Get", err)
	}
	if _, err := svc(c).Update(ctx, proj.ID, be.ID, &posthogapi.BatchExportUpdate{Name: posthogapi.Ptr("renamed")}); err != nil {
		return fail("ProjectBatchExports.Update", err)
	}
	if _, err := svc(c).Replace(ctx, proj.ID, be.ID, &posthogapi.BatchExportReplace{
		Name: "replaced", Interval: posthogapi.IntervalHour, Model: posthogapi.Ptr(posthogapi.ModelEvents),
		Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
	}); err != nil {
		return fail("ProjectBatchExports.Replace", err)
	}
	if _, err := svc(c).Pause(ctx, proj.ID, be.ID); err != nil {
		return fail("ProjectBatchExports.Pause", err)
	}
	if _, err := svc(c).Unpause(ctx, proj.ID, be.ID, &posthogapi.BatchExportUnpauseOptions{Backfill: true}); err != nil {
		return fail("ProjectBatchExports.Unpause", err)
	}
	e.srv.AddBatchExportRun(e.org.ID, be.ID, "Completed")
	now := time.Now().UTC()
	week := now.Add(-7 * 24 * time.Hour)
	if _, err := svc(c).ListRuns(ctx, proj.ID, be.ID, &posthogapi.BatchExportRunsOptions{
		Ordering: "-created_at", Status: []posthogapi.BatchExportRunStatus{posthogapi.RunStatusCompleted}, After: &week, Before: &now,
	}); err != nil {
		return fail("ProjectBatchExports.ListRuns", err)
	}
	if err := drain(svc(c).AllRuns(ctx, proj.ID, be.ID, nil)); err != nil {
		return fail("ProjectBatchExports.AllRuns", err)
	}
	running := e.srv.AddBatchExportRun(e.org.ID, be.ID, posthogapi.RunStatusRunning)
	if _, err := svc(c).GetRun(ctx, proj.ID, be.ID, running.ID); err != nil {
		return fail("ProjectBatchExports.GetRun", err)
	}
	if _, err := svc(c).CancelRun(ctx, proj.ID, be.ID, running.ID); err != nil {
		return fail("ProjectBatchExports.CancelRun", err)
	}
	if _, err := svc(c).RetryRun(ctx, proj.ID, be.ID, running.ID); err != nil {
		return fail("ProjectBatchExports.RetryRun", err)
	}
	if _, err := svc(e.legacy).ListRunLogs(ctx, proj.ID, be.ID, running.ID, &posthogapi.BatchExportLogsOptions{Level: []posthogapi.BatchExportLogLevel{posthogapi.LogLevelError}}); err != nil {
		return fail("ProjectBatchExports.ListRunLogs", err)
	}
	if err := drain(svc(e.legacy).AllRunLogs(ctx, proj.ID, be.ID, running.ID, nil)); err != nil {
		return fail("ProjectBatchExports.AllRunLogs", err)
	}
	hour := now.Truncate(time.Hour)
	res, err := svc(c).CreateBackfill(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillCreate{
		StartAt: posthogapi.BackfillTime(hour.Add(-3 * time.Hour)), EndAt: posthogapi.BackfillTime(hour.Add(-time.Hour)),
	})
	if err != nil {
		return fail("ProjectBatchExports.CreateBackfill", err)
	}
	bid, err := uuid.Parse(res.BackfillID)
	if err != nil {
		return fail("backfill id", err)
	}
	if _, err := svc(c).ListBackfills(ctx, proj.ID, be.ID, &posthogapi.BatchExportBackfillsOptions{Ordering: "-created_at"}); err != nil {
		return fail("ProjectBatchExports.ListBackfills", err)
	}
	if err := drain(svc(c).AllBackfills(ctx, proj.ID, be.ID, nil)); err != nil {
		return fail("ProjectBatchExports.AllBackfills", err)
	}
	if _, err := svc(c).GetBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(bid)); err != nil {
		return fail("ProjectBatchExports.GetBackfill", err)
	}
	if _, err := svc(c).CancelBackfill(ctx, proj.ID, be.ID, posthogapi.BatchExportBackfillID(bid)); err != nil {
		return fail("ProjectBatchExports.CancelBackfill", err)
	}
	if _, err := svc(e.legacy).ListLogs(ctx, proj.ID, be.ID, &posthogapi.BatchExportLogsOptions{ListOptions: posthogapi.ListOptions{Limit: 10}}); err != nil {
		return fail("ProjectBatchExports.ListLogs", err)
	}
	if err := drain(svc(e.legacy).AllLogs(ctx, proj.ID, be.ID, nil)); err != nil {
		return fail("ProjectBatchExports.AllLogs", err)
	}
	var raw map[string]any
	if err := c.Do(ctx, "GET", "/api/projects/"+url.PathEscape("1")+"/batch_exports/", nil, nil, &raw); err != nil {
		return fail("Client.Do", err)
	}
	if err := svc(c).Delete(ctx, proj.ID, be.ID); err != nil {
		return fail("ProjectBatchExports.Delete", err)
	}
	return nil
}

// contractProjectIntegrationsWrite creates an s3-compatible integration and
// deletes it (PostHog: posthog/api/integration.py IntegrationSerializer.create,
// IntegrationViewSet.perform_destroy).
func contractProjectIntegrationsWrite(ctx context.Context, e *contractEnv) error {
	c := e.c
	proj := e.srv.AddProject(e.org.ID, "Integrations")
	in, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationS3Compatible,
		Config: posthogapi.S3CompatibleIntegrationConfig{
			Name: "r2", EndpointURL: "https://account.r2.cloudflarestorage.com", AccessKeyID: "key", SecretAccessKey: "secret",
		},
	})
	if err != nil {
		return fail("Integrations.CreateForProject", err)
	}
	if err := c.Integrations.DeleteForProject(ctx, proj.ID, in.ID); err != nil {
		return fail("Integrations.DeleteForProject", err)
	}
	return nil
}

func contractLookups(ctx context.Context, e *contractEnv) error {
	c := e.c
	u := e.srv.DefaultUser()
	if _, err := c.Members.GetByEmail(ctx, e.org.ID, u.Email); err != nil {
		return fail("Members.GetByEmail", err)
	}
	if _, err := c.Invites.ListByEmail(ctx, e.org.ID, "someone@example.com"); err != nil {
		return fail("Invites.ListByEmail", err)
	}
	role, err := c.Roles.Create(ctx, e.org.ID, &posthogapi.RoleCreate{Name: "Lookups"})
	if err != nil {
		return fail("Roles.Create", err)
	}
	if _, err := c.Roles.AddUser(ctx, e.org.ID, role.ID, u.UUID); err != nil {
		return fail("Roles.AddUser", err)
	}
	if _, err := c.Roles.ListForUser(ctx, e.org.ID, u.UUID); err != nil {
		return fail("Roles.ListForUser", err)
	}
	if err := c.Roles.RemoveUser(ctx, e.org.ID, role.ID, u.UUID); err != nil {
		return fail("Roles.RemoveUser", err)
	}
	if err := posthogapi.IgnoreNotFound(c.Roles.RemoveUser(ctx, e.org.ID, role.ID, u.UUID)); err != nil {
		return fail("Roles.RemoveUser again", err)
	}
	return nil
}
