package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

func TestResourceTransfersPreview(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, api(roleOrg.String()+"/resource_transfers/preview/"), respond(t, 200, `{"resources": [
		{"resource_kind": "Cohort", "resource_id": "12", "display_name": "Power users", "friendly_kind": "cohort", "user_facing": true,
		 "suggested_substitution": {"resource_kind": "Cohort", "resource_id": "98", "display_name": "Power users (copy)"}},
		{"resource_kind": "Insight", "resource_id": "34", "display_name": "Weekly signups", "friendly_kind": "insight", "user_facing": true}
	]}`, "", `{"source_team_id": 1, "destination_team_id": 2, "resource_kind": "Insight", "resource_id": "34"}`))
	p, err := c.ResourceTransfers.Preview(context.Background(), OrganizationID(roleOrg), &ResourceTransferRequest{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: ResourceKindInsight, ResourceID: "34"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Resources) != 2 {
		t.Fatalf("preview = %+v", p)
	}
	r := p.Resources[0]
	if r.ResourceKind != ResourceKindCohort || r.ResourceID != "12" || r.DisplayName != "Power users" || r.FriendlyKind != "cohort" || !r.UserFacing {
		t.Errorf("first = %+v", r)
	}
	if s := r.SuggestedSubstitution; s == nil || s.ResourceID != "98" || s.ResourceKind != ResourceKindCohort || s.DisplayName != "Power users (copy)" {
		t.Errorf("suggestion = %+v", s)
	}
	if p.Resources[1].SuggestedSubstitution != nil {
		t.Errorf("second has a suggestion: %+v", p.Resources[1])
	}
}

func TestResourceTransfersTransfer(t *testing.T) {
	c, mt := newMockClient(t)
	u := api(roleOrg.String() + "/resource_transfers/transfer/")
	mt.RegisterResponder(http.MethodPost, u, respond(t, 201, `{"created_resources": [
		{"kind": "Insight", "id": "501", "team_id": 2}, {"kind": "Dashboard", "id": "502", "team_id": 2}], "count": 2}`, "",
		`{"source_team_id": 1, "destination_team_id": 2, "resource_kind": "Dashboard", "resource_id": "77",
		  "substitutions": [{"source_resource_kind": "Cohort", "source_resource_id": "12",
		                     "destination_resource_kind": "Cohort", "destination_resource_id": "98"}]}`))
	r, err := c.ResourceTransfers.Transfer(context.Background(), OrganizationID(roleOrg), &ResourceTransfer{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: ResourceKindDashboard, ResourceID: "77",
		Substitutions: []ResourceSubstitution{{SourceResourceKind: ResourceKindCohort, SourceResourceID: "12",
			DestinationResourceKind: ResourceKindCohort, DestinationResourceID: "98"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Count != 2 || len(r.CreatedResources) != 2 || r.CreatedResources[1] != (TransferredResource{Kind: ResourceKindDashboard, ID: "502", TeamID: 2}) {
		t.Errorf("result = %+v", r)
	}
	// No substitutions: the field is left out. A 502 is not retried.
	mt.RegisterResponder(http.MethodPost, u, respond(t, 502, `<html>bad gateway</html>`, "",
		`{"source_team_id": 1, "destination_team_id": 2, "resource_kind": "Dashboard", "resource_id": "77"}`))
	before := mt.GetTotalCallCount()
	if _, err := c.ResourceTransfers.Transfer(context.Background(), OrganizationID(roleOrg), &ResourceTransfer{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: ResourceKindDashboard, ResourceID: "77"}); !errors.Is(err, ErrServer) {
		t.Errorf("502: %v", err)
	}
	if n := mt.GetTotalCallCount() - before; n != 1 {
		t.Errorf("transfer sent %d times", n)
	}
}

func TestResourceTransfersSearch(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, api(roleOrg.String()+"/resource_transfers/search/"), respond(t, 200,
		`{"results": [{"resource_kind": "Cohort", "resource_id": "98", "display_name": "Power users (copy)"}]}`, "",
		`{"team_id": 2, "resource_kind": "Cohort", "q": "power"}`))
	r, err := c.ResourceTransfers.Search(context.Background(), OrganizationID(roleOrg), &ResourceSearch{TeamID: 2, ResourceKind: ResourceKindCohort, Q: "power"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 1 || r.Results[0] != (ResourceRef{ResourceKind: ResourceKindCohort, ResourceID: "98", DisplayName: "Power users (copy)"}) {
		t.Errorf("results = %+v", r.Results)
	}
}

func TestResourceTransfersValidation(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	ok := ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: ResourceKindInsight, ResourceID: "3"}
	bad := map[string]error{}
	for name, mutate := range map[string]func(*ResourceTransferRequest){
		"same team": func(r *ResourceTransferRequest) { r.DestinationTeamID = 1 },
		"no kind":   func(r *ResourceTransferRequest) { r.ResourceKind = "" },
		"no id":     func(r *ResourceTransferRequest) { r.ResourceID = " " },
	} {
		r := ok
		mutate(&r)
		_, bad["preview "+name] = c.ResourceTransfers.Preview(ctx, OrganizationID(roleOrg), &r)
		_, bad["transfer "+name] = c.ResourceTransfers.Transfer(ctx, OrganizationID(roleOrg), &ResourceTransfer{
			SourceTeamID: r.SourceTeamID, DestinationTeamID: r.DestinationTeamID, ResourceKind: r.ResourceKind, ResourceID: r.ResourceID})
	}
	_, bad["nil preview"] = c.ResourceTransfers.Preview(ctx, OrganizationID(roleOrg), nil)
	_, bad["nil transfer"] = c.ResourceTransfers.Transfer(ctx, OrganizationID(roleOrg), nil)
	_, bad["nil search"] = c.ResourceTransfers.Search(ctx, OrganizationID(roleOrg), nil)
	_, bad["search no kind"] = c.ResourceTransfers.Search(ctx, OrganizationID(roleOrg), &ResourceSearch{TeamID: 1})
	_, bad["nil org"] = c.ResourceTransfers.Preview(ctx, OrganizationID(uuid.Nil), &ok)
	_, bad["incomplete substitution"] = c.ResourceTransfers.Transfer(ctx, OrganizationID(roleOrg), &ResourceTransfer{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: ResourceKindInsight, ResourceID: "3",
		Substitutions: []ResourceSubstitution{{SourceResourceKind: ResourceKindCohort, SourceResourceID: "1"}}})
	for name, err := range bad {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if mt.GetTotalCallCount() != 0 {
		t.Error("invalid arguments were sent")
	}
}
