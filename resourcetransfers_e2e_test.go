package posthogapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestResourceTransfersE2E(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t, posthogtest.LegacyUnscopedKeys())
	org := srv.DefaultOrganization().ID
	cohort := srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Cohort", Name: "Power users"})
	action := srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Action", Name: "Signed up"})
	insight := srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Insight", Name: "Weekly signups",
		DependsOn: []posthogtest.ResourceKey{{Kind: "Cohort", ID: cohort}, {Kind: "Action", ID: action}}})
	dash := srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Dashboard", Name: "Growth",
		DependsOn: []posthogtest.ResourceKey{{Kind: "Insight", ID: insight}}})
	existing := srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 2, Kind: "Cohort", Name: "Power users (team 2)"})

	scoped, _ := srv.Client(srv.NewAPIKey("*"))
	req := &posthogapi.ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: posthogapi.ResourceKindDashboard, ResourceID: dash}
	if _, err := scoped.ResourceTransfers.Preview(ctx, org, req); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("scoped key: %v", err)
	}
	c, _ := srv.Client(srv.NewAPIKey())

	p, err := c.ResourceTransfers.Preview(ctx, org, req)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range p.Resources {
		order = append(order, string(r.ResourceKind)+":"+r.DisplayName)
		if r.SuggestedSubstitution != nil {
			t.Errorf("suggestion before any transfer: %+v", r)
		}
	}
	if len(order) != 4 || order[3] != "Dashboard:Growth" || order[2] != "Insight:Weekly signups" {
		t.Fatalf("preview order = %v", order)
	}

	// Search the destination for a substitute cohort.
	sr, err := c.ResourceTransfers.Search(ctx, org, &posthogapi.ResourceSearch{TeamID: 2, ResourceKind: posthogapi.ResourceKindCohort, Q: "POWER"})
	if err != nil || len(sr.Results) != 1 || sr.Results[0].ResourceID != existing {
		t.Fatalf("search: %+v %v", sr, err)
	}

	// Transfer with the cohort substituted: three copies, the cohort reused.
	res, err := c.ResourceTransfers.Transfer(ctx, org, &posthogapi.ResourceTransfer{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: posthogapi.ResourceKindDashboard, ResourceID: dash,
		Substitutions: []posthogapi.ResourceSubstitution{{SourceResourceKind: posthogapi.ResourceKindCohort, SourceResourceID: cohort,
			DestinationResourceKind: posthogapi.ResourceKindCohort, DestinationResourceID: existing}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 3 || len(res.CreatedResources) != 3 {
		t.Fatalf("transfer = %+v", res)
	}
	for _, r := range res.CreatedResources {
		if r.TeamID != 2 || r.Kind == posthogapi.ResourceKindCohort {
			t.Errorf("created %+v", r)
		}
	}
	team2 := srv.TransferableResources(org, 2)
	if len(team2) != 4 {
		t.Fatalf("team 2 = %+v", team2)
	}
	for _, r := range team2 {
		if r.Kind == "Insight" {
			if len(r.DependsOn) != 2 || r.DependsOn[0] != (posthogtest.ResourceKey{Kind: "Cohort", ID: existing}) {
				t.Errorf("copied insight depends on %+v", r.DependsOn)
			}
		}
	}

	// A second preview suggests the copies.
	p, err = c.ResourceTransfers.Preview(ctx, org, req)
	if err != nil {
		t.Fatal(err)
	}
	suggested := 0
	for _, r := range p.Resources {
		if r.SuggestedSubstitution != nil {
			suggested++
		}
	}
	if suggested != 3 {
		t.Errorf("%d suggestions, want 3 (every copied resource): %+v", suggested, p.Resources)
	}

	// PostHog's errors.
	var ae *posthogapi.APIError
	if _, err := c.ResourceTransfers.Preview(ctx, org, &posthogapi.ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 77,
		ResourceKind: posthogapi.ResourceKindDashboard, ResourceID: dash}); !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Detail != "Team 77 not found in this organization" {
		t.Errorf("foreign team: %v", err)
	}
	if _, err := c.ResourceTransfers.Preview(ctx, org, &posthogapi.ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 2,
		ResourceKind: "Team", ResourceID: "1"}); !errors.As(err, &ae) || ae.Detail != "Cannot transfer immutable resource kind: Team" {
		t.Errorf("immutable kind: %v", err)
	}
	if _, err := c.ResourceTransfers.Preview(ctx, org, &posthogapi.ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 2,
		ResourceKind: "Notebook", ResourceID: "1"}); !errors.As(err, &ae) || ae.Detail != "Unsupported resource kind: Notebook" {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := c.ResourceTransfers.Transfer(ctx, org, &posthogapi.ResourceTransfer{SourceTeamID: 1, DestinationTeamID: 2,
		ResourceKind: posthogapi.ResourceKindInsight, ResourceID: "999"}); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("missing resource: %v", err)
	}
	if _, err := c.ResourceTransfers.Search(ctx, org, &posthogapi.ResourceSearch{TeamID: 1, ResourceKind: "User"}); !errors.As(err, &ae) || ae.Detail != "Cannot search for immutable resource kind: User" {
		t.Errorf("search immutable: %v", err)
	}
}
