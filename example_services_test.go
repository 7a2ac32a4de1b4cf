package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// Examples of the everyday services on posthogtest, each with a key
// carrying only the scopes it needs.

// Read the organization the key's user is in and rename it.
func ExampleOrganizationsService() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization:write"))
	ctx := context.Background()

	org, err := c.Organizations.GetCurrent(ctx)
	if err != nil {
		log.Fatal(err)
	}
	org, err = c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr("Hedgehogs Inc.")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.Name)
	// Output:
	// Hedgehogs Inc.
}

// Give a role to a member, list the member's roles, and take it away
// again by the user's UUID.
func ExampleRolesService() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization:write", "organization_member:read"))
	ctx := context.Background()
	org := srv.DefaultOrganization().ID

	ada, err := c.Members.GetByEmail(ctx, org, "ada@example.com")
	if err != nil {
		log.Fatal(err)
	}
	role, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Data team"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Roles.AddUser(ctx, org, role.ID, ada.User.UUID); err != nil {
		log.Fatal(err)
	}
	roles, err := c.Roles.ListForUser(ctx, org, ada.User.UUID)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range roles {
		fmt.Println("ada has", r.Name)
	}
	if err := c.Roles.RemoveUser(ctx, org, role.ID, ada.User.UUID); err != nil {
		log.Fatal(err)
	}
	// Removing again: "already gone" is success with IgnoreNotFound.
	err = posthogapi.IgnoreNotFound(c.Roles.RemoveUser(ctx, org, role.ID, ada.User.UUID))
	fmt.Println("removed again:", err)
	// Output:
	// ada has Data team
	// removed again: <nil>
}

// Invite a person, find the invites for an address (compared without
// regard to case, as PostHog does), and withdraw them.
func ExampleInvitesService() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization_member:write"))
	ctx := context.Background()
	org := srv.DefaultOrganization().ID

	inv, err := c.Invites.Create(ctx, org, &posthogapi.InviteCreate{TargetEmail: "Margaret@example.com", FirstName: "Margaret"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("invited", inv.TargetEmail)
	found, err := c.Invites.ListByEmail(ctx, org, "margaret@example.com")
	if err != nil {
		log.Fatal(err)
	}
	for _, i := range found {
		if err := posthogapi.IgnoreNotFound(c.Invites.Delete(ctx, org, i.ID)); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("withdrawn:", len(found))
	// Output:
	// invited Margaret@example.com
	// withdrawn: 1
}

// Create a project and list the organization's projects.
func ExampleProjectsService() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("project:write"))
	ctx := context.Background()
	org := srv.DefaultOrganization().ID

	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Mobile app"}); err != nil {
		log.Fatal(err)
	}
	for p, err := range c.Projects.All(ctx, org, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.Name)
	}
	// Output:
	// Mobile app
}

// Put a batch export in a chosen project (not the key owner's current
// one), backfill two hours, and delete it.
func ExampleProjectBatchExportsService() {
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs(),
		posthogtest.WithFixedClock(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)))
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("batch_export:write"))
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	srv.AddProject(org, "Web")
	target := srv.AddProject(org, "Warehouse feed")

	be, err := c.ProjectBatchExports.Create(ctx, target.ID, &posthogapi.BatchExportCreate{
		Name:        "events to NoOp",
		Interval:    posthogapi.IntervalHour,
		Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(be.Name, "in project", be.TeamID == target.ID)

	end := time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
	if _, err := c.ProjectBatchExports.CreateBackfill(ctx, target.ID, be.ID, &posthogapi.BatchExportBackfillCreate{
		StartAt: posthogapi.BackfillTime(end.Add(-2 * time.Hour)), EndAt: posthogapi.BackfillTime(end),
	}); err != nil {
		log.Fatal(err)
	}
	for bf, err := range c.ProjectBatchExports.AllBackfills(ctx, target.ID, be.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("backfill", bf.Status, *bf.Progress.TotalRuns, "runs")
	}
	if err := c.ProjectBatchExports.Delete(ctx, target.ID, be.ID); err != nil {
		log.Fatal(err)
	}
	_, err = c.ProjectBatchExports.Get(ctx, target.ID, be.ID)
	fmt.Println("gone:", errors.Is(err, posthogapi.ErrNotFound))
	// Output:
	// events to NoOp in project true
	// backfill Starting 2 runs
	// gone: true
}

// Call an endpoint this package does not wrap, with the same key guard,
// retries and errors.
func ExampleClient_Do() {
	srv := newDemo()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("organization_member:read"))
	ctx := context.Background()
	org := srv.DefaultOrganization().ID

	var page struct {
		Count int `json:"count"`
	}
	if err := c.Do(ctx, "GET", "/api/organizations/"+org.String()+"/members/", &posthogapi.ListOptions{Limit: 1}, nil, &page); err != nil {
		log.Fatal(err)
	}
	fmt.Println("members:", page.Count)

	// Paths must stay under /api/ on the configured host.
	err := c.Do(ctx, "GET", "https://elsewhere.example/api/x/", nil, nil, nil)
	fmt.Println(errors.Is(err, posthogapi.ErrInvalidArgument))
	// Output:
	// members: 4
	// true
}
