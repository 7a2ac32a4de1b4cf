package posthogapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hogkit/posthogapi"
)

// TestProjectsAllActivityE2E walks a project's activity log with
// AllActivity and checks it against ListActivity's pages: same entries,
// same order, and Count is the total.
func TestProjectsAllActivityE2E(t *testing.T) {
	srv, org, c := e2eLegacyServer(t)
	srv.SetProjectLimit(org, 0)
	ctx := context.Background()
	p, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Activity"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if _, err := c.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr(fmt.Sprintf("Activity %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var paged []string
	total := -1
	for page := 1; ; page++ {
		pg, err := c.Projects.ListActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 3, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		total = pg.Count
		for _, a := range pg.Results {
			paged = append(paged, a.ID.String())
		}
		if pg.Next == "" {
			break
		}
	}
	if total != 7 || len(paged) != 7 {
		t.Fatalf("count %d, %d entries; want 7 (create and 6 updates)", total, len(paged))
	}
	var walked []string
	for a, err := range c.Projects.AllActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, a.ID.String())
	}
	if fmt.Sprint(walked) != fmt.Sprint(paged) {
		t.Errorf("AllActivity = %v, pages = %v", walked, paged)
	}
}
