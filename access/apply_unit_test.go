package access_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/jarcoal/httpmock"
)

// Unit tests with httpmock, for answers posthogtest does not give: a
// gateway's 504 while the write goes on behind it.

const mockBase = "https://posthog.example"

var (
	mockOrg  = posthogapi.OrganizationID(uuid.MustParse("0196a1b2-0000-7000-8000-00000000a001"))
	mockSelf = posthogapi.UserUUID(uuid.MustParse("0196a1b2-0000-7000-8000-00000000b001"))
	mockAnn  = posthogapi.UserUUID(uuid.MustParse("0196a1b2-0000-7000-8000-00000000b002"))
)

func mockClient(t *testing.T) (*posthogapi.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := posthogapi.NewClient("phx_test", posthogapi.WithBaseURL(mockBase),
		posthogapi.WithHTTPClient(&http.Client{Transport: mt}), posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	mt.RegisterResponder("GET", mockBase+"/api/users/@me/",
		httpmock.NewStringResponder(200, `{"id":1,"uuid":"`+mockSelf.String()+`","email":"owner@example.com","organizations":[]}`))
	return c, mt
}

func orgURL(path string) string {
	return mockBase + "/api/organizations/" + mockOrg.String() + "/" + path
}

const gateway504 = `<html><body>504 Gateway Time-out</body></html>`

func TestApplyGatewayTimeoutThenReRead(t *testing.T) {
	ctx := context.Background()
	c, mt := mockClient(t)
	plan := &access.ChangePlan{Changes: []access.Change{
		{ID: 1, Kind: access.Invite, Organization: mockOrg, Email: "Bob@Example.com", To: access.LevelAdmin},
		{ID: 2, Kind: access.CreateRole, Organization: mockOrg, Role: "Support"},
		{ID: 3, Kind: access.AddToRole, Organization: mockOrg, Email: "ann@example.com", User: mockAnn, Role: "Support", DependsOn: []int{2}},
	}}
	mt.RegisterResponder("POST", orgURL("invites/"), httpmock.NewStringResponder(504, gateway504))
	// The invite went through behind the gateway: the re-read finds it,
	// with the domain lower-cased as PostHog stores it.
	mt.RegisterResponder("GET", orgURL("invites/"), httpmock.NewStringResponder(200, `{"count":1,"next":null,"previous":null,"results":[
		{"id":"0196a1b2-0000-7000-8000-00000000c001","target_email":"Bob@example.com","level":8,"is_expired":false,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]}`))
	// The role did not: the re-read does not show it.
	mt.RegisterResponder("POST", orgURL("roles/"), httpmock.NewStringResponder(504, gateway504))
	mt.RegisterResponder("GET", orgURL("roles/"), httpmock.NewStringResponder(200, `{"count":0,"next":null,"previous":null,"results":[]}`))

	rep, err := access.Apply(ctx, c, plan, nil)
	if err == nil {
		t.Fatal("no error")
	}
	want := []access.Status{access.Done, access.Unknown, access.Skipped}
	for i, st := range want {
		if rep.Results[i].Status != st {
			t.Errorf("change %d: %s, want %s (%v)", i+1, rep.Results[i].Status, st, rep.Results[i].Err)
		}
	}
	if !errors.Is(rep.Results[1].Err, posthogapi.ErrOutcomeUnknown) {
		t.Errorf("unknown change's error: %v", rep.Results[1].Err)
	}
	info := mt.GetCallCountInfo()
	if info["POST "+orgURL("invites/")] != 1 || info["POST "+orgURL("roles/")] != 1 || info["POST "+orgURL("roles/{id}/role_memberships/")] != 0 {
		t.Errorf("calls = %v: a write whose outcome is unknown must not be sent again", info)
	}
}

func TestPlanReadErrorStopsPlan(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder("GET", orgURL("members/"), httpmock.NewStringResponder(200, `{"count":0,"next":null,"previous":null,"results":[]}`))
	mt.RegisterResponder("GET", orgURL("invites/"), httpmock.NewStringResponder(200, `{"count":0,"next":null,"previous":null,"results":[]}`))
	mt.RegisterResponder("GET", orgURL("roles/"), httpmock.NewStringResponder(403,
		`{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'organization:read'","attr":null}`))
	_, err := access.Plan(context.Background(), c, &access.State{Organizations: []access.Organization{{ID: mockOrg}}}, nil)
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "organization:read" {
		t.Errorf("err = %v, want the roles list's missing scope", err)
	}
}
