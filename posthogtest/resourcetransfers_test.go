package posthogtest

import "testing"

func TestResourceTransferAnswers(t *testing.T) {
	s := newTestServer(t, LegacyUnscopedKeys())
	org := s.DefaultOrganization().ID
	base := "/api/organizations/" + org.String() + "/resource_transfers/"
	id := s.AddTransferableResource(org, TransferableResource{TeamID: 1, Kind: "Insight", Name: "Signups"})
	s.AddTransferableResource(org, TransferableResource{TeamID: 2, Kind: "Cohort", Name: "Anyone"})
	key := s.NewAPIKey()

	st, b := areaDCall(t, s, key, "POST", base+"preview/", `{"source_team_id": 1, "destination_team_id": 1, "resource_kind": "Insight", "resource_id": "`+id+`"}`)
	wantError(t, st, b, 400, "invalid_input", "")
	if b["detail"] != "Source and destination teams must be different" {
		t.Errorf("same team: %v", b)
	}
	st, b = areaDCall(t, s, key, "POST", base+"preview/", `{"destination_team_id": 2, "resource_kind": "Insight", "resource_id": "1"}`)
	wantError(t, st, b, 400, "required", "source_team_id")
	st, b = areaDCall(t, s, key, "POST", base+"transfer/", `{"source_team_id": "x", "destination_team_id": 2, "resource_kind": "Insight", "resource_id": "1"}`)
	wantError(t, st, b, 400, "invalid_input", "source_team_id")
	// resource_id takes numbers too, as DRF's CharField does.
	st, b = areaDCall(t, s, key, "POST", base+"transfer/", `{"source_team_id": 1, "destination_team_id": 2, "resource_kind": "Insight", "resource_id": `+id+`}`)
	if st != 201 || b["count"] != float64(1) {
		t.Fatalf("transfer: %d %v", st, b)
	}
	if got := s.TransferableResources(org, 2); len(got) != 2 || got[1].Kind != "Insight" || got[1].Name != "Signups" {
		t.Errorf("team 2 = %+v", got)
	}
	st, b = areaDCall(t, s, s.NewAPIKey("organization:read"), "POST", base+"search/", `{"team_id": 2, "resource_kind": "Cohort"}`)
	wantError(t, st, b, 403, "permission_denied", "")
}

// TestResourceTransferSubstitutionKindMismatch: a substitution must keep
// the resource's kind (PostHog's ResourceTransferViewSet.transfer), and
// nothing is copied when it does not.
func TestResourceTransferSubstitutionKindMismatch(t *testing.T) {
	s := newTestServer(t, LegacyUnscopedKeys())
	org := s.DefaultOrganization().ID
	id := s.AddTransferableResource(org, TransferableResource{TeamID: 1, Kind: "Insight", Name: "Signups"})
	s.AddTransferableResource(org, TransferableResource{TeamID: 2, Kind: "Cohort", Name: "Anyone"})
	st, b := areaDCall(t, s, s.NewAPIKey(), "POST", "/api/organizations/"+org.String()+"/resource_transfers/transfer/",
		`{"source_team_id": 1, "destination_team_id": 2, "resource_kind": "Insight", "resource_id": "`+id+`",
		 "substitutions": [{"source_resource_kind": "Insight", "source_resource_id": "`+id+`", "destination_resource_kind": "Cohort", "destination_resource_id": "9"}]}`)
	wantError(t, st, b, 400, "invalid_input", "")
	if b["detail"] != "Substitution kind mismatch: cannot substitute Insight with Cohort" {
		t.Errorf("mismatch: %v", b)
	}
	if got := s.TransferableResources(org, 2); len(got) != 1 {
		t.Errorf("copied anyway: %+v", got)
	}
}
