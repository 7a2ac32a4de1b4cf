package posthogapi_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/hogkit/posthogapi"
)

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
