package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

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
