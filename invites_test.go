package posthogapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

var testInvite = uuid.MustParse("0195c3a1-0000-7000-8000-00000000e001")

func inviteAPI(suffix string) string {
	return api(testOrg.String() + "/invites/" + suffix)
}

const inviteJSON = `{
	"id": "0195c3a1-0000-7000-8000-00000000e001",
	"target_email": "ann@example.com",
	"first_name": "Ann",
	"emailing_attempt_made": true,
	"level": 8,
	"is_expired": false,
	"created_by": {
		"id": 7, "uuid": "0195c3a1-0000-7000-8000-0000000000b7", "distinct_id": "d7",
		"first_name": "Olive", "last_name": "Owner", "email": "owner@example.com",
		"is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"
	},
	"created_at": "2025-05-01T09:00:00Z",
	"updated_at": "2025-05-01T09:00:01Z",
	"message": "Welcome aboard",
	"private_project_access": [{"id": 12, "level": "admin"}, {"id": 13, "level": 1}]
}`

func checkInvite(t *testing.T, inv *OrganizationInvite) {
	t.Helper()
	switch {
	case inv.ID != InviteID(testInvite), inv.TargetEmail != "ann@example.com", inv.FirstName != "Ann":
		t.Errorf("identity: %+v", inv)
	case !inv.EmailingAttemptMade, inv.Level != MembershipLevelAdmin, inv.IsExpired:
		t.Errorf("state: %+v", inv)
	case inv.CreatedBy == nil || inv.CreatedBy.ID != 7 || inv.CreatedBy.Email != "owner@example.com" ||
		inv.CreatedBy.RoleAtOrganization == nil || *inv.CreatedBy.RoleAtOrganization != RoleAtOrganizationEngineering:
		t.Errorf("created_by: %+v", inv.CreatedBy)
	case !inv.CreatedAt.Equal(time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)), !inv.UpdatedAt.Equal(time.Date(2025, 5, 1, 9, 0, 1, 0, time.UTC)):
		t.Errorf("times: %v %v", inv.CreatedAt, inv.UpdatedAt)
	case inv.Message == nil || *inv.Message != "Welcome aboard":
		t.Errorf("message: %v", inv.Message)
	case len(inv.PrivateProjectAccess) != 2 ||
		inv.PrivateProjectAccess[0] != (ProjectAccess{ID: 12, Level: ProjectAccessAdmin}) ||
		inv.PrivateProjectAccess[1] != (ProjectAccess{ID: 13, Level: ProjectAccessMember}):
		t.Errorf("private_project_access: %+v", inv.PrivateProjectAccess)
	}
}

func TestInvitesList(t *testing.T) {
	c, mt := newMockClient(t)
	orphan := strings.Replace(strings.Replace(inviteJSON, "0000e001", "0000e002", 1), `"private_project_access": [{"id": 12, "level": "admin"}, {"id": 13, "level": 1}]`, `"private_project_access": null`, 1)
	orphan = orphan[:strings.Index(orphan, `"created_by"`)] + `"created_by": null, ` + orphan[strings.Index(orphan, `"created_at"`):]
	mt.RegisterResponder(http.MethodGet, inviteAPI(""),
		respond(t, 200, `{"count": 2, "next": null, "previous": null, "results": [`+inviteJSON+`, `+orphan+`]}`, "limit=5", ""))
	p, err := c.Invites.List(context.Background(), OrganizationID(testOrg), &ListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 2 || len(p.Results) != 2 {
		t.Fatalf("page = %+v", p)
	}
	checkInvite(t, &p.Results[0])
	if o := p.Results[1]; o.CreatedBy != nil || o.PrivateProjectAccess != nil || o.ID == InviteID(testInvite) {
		t.Errorf("invite of a deleted user: %+v", o)
	}
}

func TestInvitesAll(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, inviteAPI(""), func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "1" {
			return httpmock.NewStringResponse(200, `{"count": 2, "next": null, "results": [{"id": "0195c3a1-0000-7000-8000-00000000e002", "target_email": "bo@example.com"}]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count": 2, "next": "`+inviteAPI("")+`?limit=1&offset=1", "results": [`+inviteJSON+`]}`), nil
	})
	var emails []string
	for inv, err := range c.Invites.All(context.Background(), OrganizationID(testOrg), &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, inv.TargetEmail)
	}
	if strings.Join(emails, ",") != "ann@example.com,bo@example.com" {
		t.Errorf("emails = %v", emails)
	}
	for _, err := range c.Invites.All(context.Background(), OrganizationID(uuid.Nil), nil) {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil org: %v", err)
		}
	}
}

func TestInviteCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, inviteAPI(""), respond(t, 201, inviteJSON, "",
		`{"target_email": "ann@example.com", "first_name": "Ann", "level": 8, "message": "Welcome aboard",
		  "private_project_access": [{"id": 12, "level": "admin"}], "send_email": false, "combine_pending_invites": true}`))
	inv, err := c.Invites.Create(context.Background(), OrganizationID(testOrg), &InviteCreate{
		TargetEmail: "ann@example.com", FirstName: "Ann", Level: MembershipLevelAdmin, Message: Ptr("Welcome aboard"),
		PrivateProjectAccess:  []ProjectAccess{{ID: 12, Level: ProjectAccessAdmin}},
		SendEmail:             Ptr(false),
		CombinePendingInvites: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkInvite(t, inv)
}

func TestInviteCreateMinimalBody(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, inviteAPI(""), respond(t, 201, inviteJSON, "", `{"target_email": "bo@Example.com"}`))
	if _, err := c.Invites.Create(context.Background(), OrganizationID(testOrg), &InviteCreate{TargetEmail: "bo@Example.com"}); err != nil {
		t.Fatal(err)
	}
}

func TestInviteValidation(t *testing.T) {
	c, mt := newMockClient(t)
	bad := map[string]*InviteCreate{
		"nil":              nil,
		"empty email":      {TargetEmail: ""},
		"blank email":      {TargetEmail: "   "},
		"no at":            {TargetEmail: "ann.example.com"},
		"no local part":    {TargetEmail: "@example.com"},
		"no dot in domain": {TargetEmail: "ann@localhost"},
		"trailing dot":     {TargetEmail: "ann@example.com."},
		"space":            {TargetEmail: "ann smith@example.com"},
		"display name":     {TargetEmail: "Ann <ann@example.com>"},
		"newline":          {TargetEmail: "ann@example.com\n"},
		"too long":         {TargetEmail: strings.Repeat("a", 250) + "@example.com"},
		"level 3":          {TargetEmail: "ann@example.com", Level: 3},
		"first name 31":    {TargetEmail: "ann@example.com", FirstName: strings.Repeat("é", 31)},
		"project level":    {TargetEmail: "ann@example.com", PrivateProjectAccess: []ProjectAccess{{ID: 1, Level: "owner"}}},
		"project id":       {TargetEmail: "ann@example.com", PrivateProjectAccess: []ProjectAccess{{Level: ProjectAccessMember}}},
	}
	for name, inv := range bad {
		if _, err := c.Invites.Create(context.Background(), OrganizationID(testOrg), inv); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := c.Invites.Create(context.Background(), OrganizationID(uuid.Nil), &InviteCreate{TargetEmail: "ann@example.com"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org: %v", err)
	}
	good := []string{"ann@example.com", "ann+tag@sub.example.co.uk", "o'brien@example.ie", "ANN@EXAMPLE.COM"}
	for _, e := range good {
		if err := (&InviteCreate{TargetEmail: e, FirstName: strings.Repeat("é", 30)}).validate(); err != nil {
			t.Errorf("validate(%q) = %v", e, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestInviteCreateErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		sentinel   error
		code       string
	}{
		{"already a member", `{"type":"validation_error","code":"invalid_input","detail":"A user with this email address already belongs to the organization.","attr":null}`, 400, ErrValidation, "invalid_input"},
		{"level above own", `{"type":"authentication_error","code":"permission_denied","detail":"You cannot invite a user with a higher permission level than your own.","attr":null}`, 403, ErrPermissionDenied, "permission_denied"},
		{"missing scope", `{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'organization_member:write'","attr":null}`, 403, ErrMissingScope, "permission_denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, inviteAPI(""), respond(t, tc.status, tc.body, "", ""))
			_, err := c.Invites.Create(context.Background(), OrganizationID(testOrg), &InviteCreate{TargetEmail: "ann@example.com", Level: MembershipLevelOwner})
			var ae *APIError
			if !errors.Is(err, tc.sentinel) || !errors.As(err, &ae) || ae.Code != tc.code {
				t.Fatalf("err = %v", err)
			}
			if tc.sentinel == ErrMissingScope {
				var se *ScopeError
				if !errors.As(err, &se) || se.Scope != "organization_member:write" {
					t.Errorf("scope error = %v", err)
				}
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d calls: a refused POST must not be retried", n)
			}
		})
	}
}

func TestInviteDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodDelete, inviteAPI(testInvite.String()+"/"), httpmock.NewStringResponder(204, ""))
	if err := c.Invites.Delete(context.Background(), OrganizationID(testOrg), InviteID(testInvite)); err != nil {
		t.Fatal(err)
	}
	if err := c.Invites.Delete(context.Background(), OrganizationID(testOrg), InviteID(uuid.Nil)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil invite id: %v", err)
	}
	if err := c.Invites.Delete(context.Background(), OrganizationID(uuid.Nil), InviteID(testInvite)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil org id: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func makeInvites(n int) []InviteCreate {
	out := make([]InviteCreate, n)
	for i := range out {
		out[i] = InviteCreate{TargetEmail: fmt.Sprintf("user%02d@example.com", i)}
	}
	return out
}

// mockInvites is a mock organization's invite list: echoBulk adds to it
// when given one, list answers it.
type mockInvites struct{ invites []map[string]any }

// register answers the invite list from m.
func (m *mockInvites) register(mt *httpmock.MockTransport) {
	mt.RegisterResponder(http.MethodGet, inviteAPI(""), func(*http.Request) (*http.Response, error) {
		body, _ := json.Marshal(map[string]any{"count": len(m.invites), "next": nil, "previous": nil, "results": m.invites})
		return httpmock.NewBytesResponse(200, body), nil
	})
}

// echoBulk answers a bulk request with one invite per sent invite.
func echoBulk(t *testing.T, status int, got *[][]string) httpmock.Responder {
	return echoBulkInto(t, status, got, nil)
}

// echoBulkInto is echoBulk that also stores the invites it creates in m
// (unless nil).
func echoBulkInto(t *testing.T, status int, got *[][]string, m *mockInvites) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var sent []map[string]any
		b, _ := io.ReadAll(req.Body)
		if err := json.Unmarshal(b, &sent); err != nil {
			t.Errorf("bulk body is not a JSON array: %s", b)
		}
		var emails []string
		var out []map[string]any
		for _, s := range sent {
			e, _ := s["target_email"].(string)
			emails = append(emails, e)
			out = append(out, map[string]any{"id": uuid.NewString(), "target_email": e, "level": 1, "created_at": "2025-05-01T09:00:00Z"})
		}
		if m != nil {
			m.invites = append(m.invites, out...)
		}
		*got = append(*got, emails)
		body, _ := json.Marshal(out)
		return httpmock.NewBytesResponse(status, body), nil
	}
}

func TestInviteBulk(t *testing.T) {
	c, mt := newMockClient(t)
	var got [][]string
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), echoBulk(t, 201, &got))
	invs := makeInvites(3)
	invs[1].Level = MembershipLevelAdmin
	created, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), invs)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 3 || created[2].TargetEmail != "user02@example.com" || created[0].ID == InviteID(uuid.Nil) {
		t.Errorf("created = %+v", created)
	}
	if len(got) != 1 || strings.Join(got[0], ",") != "user00@example.com,user01@example.com,user02@example.com" {
		t.Errorf("sent = %v", got)
	}
}

func TestInviteBulkBody(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), respond(t, 201, `[`+inviteJSON+`]`, "",
		`[{"target_email": "ann@example.com", "level": 8, "send_email": false}, {"target_email": "bo@example.com"}]`))
	created, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), []InviteCreate{
		{TargetEmail: "ann@example.com", Level: MembershipLevelAdmin, SendEmail: Ptr(false)},
		{TargetEmail: "bo@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 1 {
		t.Fatalf("created = %+v", created)
	}
	checkInvite(t, &created[0])
}

func TestInviteBulkToleratesEmptyAnswers(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{{200, ""}, {201, ""}, {204, ""}, {200, "  \n"}} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), httpmock.NewStringResponder(tc.status, tc.body))
		created, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), makeInvites(2))
		if err != nil || created == nil || len(created) != 0 {
			t.Errorf("%d %q: created %v, err %v", tc.status, tc.body, created, err)
		}
	}
}

func TestInviteBulkMalformedAnswer(t *testing.T) {
	for _, body := range []string{`{"oops": true}`, `[{"id": 5}]`, `[{"id": "`} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), httpmock.NewStringResponder(201, body))
		_, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), makeInvites(1))
		var de *DecodeError
		if !errors.As(err, &de) || de.StatusCode != 201 || !strings.HasSuffix(de.Path, "/invites/bulk/") {
			t.Errorf("%s: err = %v", body, err)
		}
	}
}

func TestInviteBulkLimits(t *testing.T) {
	c, mt := newMockClient(t)
	if _, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), makeInvites(21)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("21 invites: %v", err)
	}
	if _, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("no invites: %v", err)
	}
	invs := makeInvites(5)
	invs[3].TargetEmail = "not-an-email"
	_, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), invs)
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "invite 3") {
		t.Errorf("bad invite: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}

	var got [][]string
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), echoBulk(t, 201, &got))
	if created, err := c.Invites.Bulk(context.Background(), OrganizationID(testOrg), makeInvites(20)); err != nil || len(created) != 20 {
		t.Errorf("20 invites: %d, %v", len(created), err)
	}
}

func TestInviteBulkChunked(t *testing.T) {
	c, mt := newMockClient(t)
	var got [][]string
	calls := 0
	store := &mockInvites{}
	store.register(mt)
	echo := echoBulkInto(t, 201, &got, store)
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), func(req *http.Request) (*http.Response, error) {
		calls++
		if calls == 2 {
			b, _ := io.ReadAll(req.Body)
			var sent []any
			_ = json.Unmarshal(b, &sent)
			got = append(got, []string{fmt.Sprint(len(sent), " refused")})
			return httpmock.NewStringResponse(400, `{"type":"validation_error","code":"invalid_input","detail":"A user with this email address already belongs to the organization.","attr":null}`), nil
		}
		return echo(req)
	})
	r, err := c.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), makeInvites(45))
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("err = %v, want the middle chunk's validation error", err)
	}
	if calls != 3 || len(got) != 3 {
		t.Fatalf("calls = %d, sent = %v", calls, got)
	}
	if len(got[0]) != 20 || got[0][0] != "user00@example.com" || got[0][19] != "user19@example.com" ||
		got[1][0] != "20 refused" || len(got[2]) != 5 || got[2][0] != "user40@example.com" || got[2][4] != "user44@example.com" {
		t.Errorf("chunks sent: %v", got)
	}
	if len(r.Chunks) != 3 {
		t.Fatalf("chunks = %+v", r.Chunks)
	}
	want := [][2]int{{0, 20}, {20, 40}, {40, 45}}
	for i, ch := range r.Chunks {
		if ch.Start != want[i][0] || ch.End != want[i][1] || !ch.Sent {
			t.Errorf("chunk %d = %+v", i, ch)
		}
	}
	if mid := r.Chunks[1]; mid.Err == nil || mid.Created != nil || mid.OutcomeUnknown {
		t.Errorf("middle chunk = %+v", mid)
	}
	if len(r.Chunks[0].Created) != 20 || len(r.Chunks[2].Created) != 5 || r.Chunks[0].Err != nil || r.Chunks[2].Err != nil {
		t.Errorf("ok chunks: %+v / %+v", r.Chunks[0], r.Chunks[2])
	}
	if created := r.Created(); len(created) != 25 || created[20].TargetEmail != "user40@example.com" {
		t.Errorf("Created() = %d invites", len(created))
	}
	if f := r.Failed(); len(f) != 1 || f[0].Start != 20 {
		t.Errorf("Failed() = %+v", f)
	}
	if !strings.Contains(err.Error(), "invites 20-39") {
		t.Errorf("error does not name the chunk: %v", err)
	}
	// The refused chunk was reconciled: none of its invites is listed.
	nc := r.NotCreated()
	if len(nc) != 20 || nc[0].Index != 20 || nc[19].TargetEmail != "user39@example.com" || len(r.Unknown()) != 0 || r.ListErr != nil {
		t.Errorf("NotCreated() = %+v, Unknown() = %+v", nc, r.Unknown())
	}
	res := r.Results()
	if len(res) != 45 || res[0].Status != InviteCreated || res[0].Invite == nil || res[0].Invite.TargetEmail != "user00@example.com" ||
		res[44].Status != InviteCreated || res[25].Status != InviteNotCreated {
		t.Errorf("Results() = %+v", res)
	}
}

func TestInviteBulkChunkedNeverResendsUnknownOutcome(t *testing.T) {
	c, mt := newMockClient(t)
	calls := 0
	var got [][]string
	store := &mockInvites{}
	store.register(mt)
	echo := echoBulkInto(t, 201, &got, store)
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), func(req *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("connection reset by peer") // the answer is lost
		}
		return echo(req)
	})
	r, err := c.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), makeInvites(25))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if calls != 2 {
		t.Errorf("%d calls: the lost chunk was re-sent or the next was skipped", calls)
	}
	if !r.Chunks[0].OutcomeUnknown || r.Chunks[0].Err == nil || r.Chunks[1].Err != nil || len(r.Chunks[1].Created) != 5 {
		t.Errorf("chunks = %+v", r.Chunks)
	}
	// The lost chunk's invites are not listed, but the request may still
	// be running: unknown, not "not created".
	if u := r.Unknown(); len(u) != 20 || u[0].Index != 0 || len(r.NotCreated()) != 0 {
		t.Errorf("Unknown() = %d, NotCreated() = %+v", len(u), r.NotCreated())
	}

	// A 500 on a POST is not retried either, and is flagged as unknown;
	// PostHog answered, so the invites it does not list were not created.
	c2, mt2 := newMockClient(t)
	(&mockInvites{}).register(mt2)
	mt2.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), httpmock.NewStringResponder(500, `{"type":"server_error","code":"error","detail":"A server error occurred.","attr":null}`))
	r2, err := c2.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), makeInvites(3))
	posts := mt2.GetCallCountInfo()["POST "+inviteAPI("bulk/")]
	if !errors.Is(err, ErrServer) || !r2.Chunks[0].OutcomeUnknown || posts != 1 || len(r2.NotCreated()) != 3 {
		t.Errorf("500: err %v, chunk %+v, bulk calls %d", err, r2.Chunks[0], posts)
	}
}

func TestInviteBulkChunkedStopsWhenContextEnds(t *testing.T) {
	c, mt := newMockClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got [][]string
	(&mockInvites{}).register(mt)
	echo := echoBulk(t, 201, &got)
	mt.RegisterResponder(http.MethodPost, inviteAPI("bulk/"), func(req *http.Request) (*http.Response, error) {
		resp, err := echo(req)
		if err != nil {
			return resp, err
		}
		// The context ends once the first chunk's answer has been read (when
		// its body is closed), not while it is in flight: cancelling in the
		// responder raced with the client reading the answer.
		resp.Body = cancelOnClose{resp.Body, cancel}
		return resp, nil
	})
	r, err := c.Invites.BulkChunked(ctx, OrganizationID(testOrg), makeInvites(50))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetCallCountInfo()["POST "+inviteAPI("bulk/")]; n != 1 {
		t.Errorf("%d bulk calls, want 1: none after the context ended", n)
	}
	if len(r.Chunks) != 3 || r.Chunks[0].Err != nil || len(r.Chunks[0].Created) != 20 {
		t.Fatalf("chunks = %+v", r.Chunks)
	}
	for _, ch := range r.Chunks[1:] {
		if ch.Sent || !errors.Is(ch.Err, context.Canceled) {
			t.Errorf("unsent chunk = %+v", ch)
		}
	}
}

func TestInviteBulkChunkedValidatesFirst(t *testing.T) {
	c, mt := newMockClient(t)
	invs := makeInvites(30)
	invs[27].Level = 2
	if r, err := c.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), invs); !errors.Is(err, ErrInvalidArgument) || r != nil {
		t.Errorf("bad level: %v %v", r, err)
	}
	invs = makeInvites(30)
	invs[25].TargetEmail = "USER03@example.com"
	if _, err := c.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), invs); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "3 and 25") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := c.Invites.BulkChunked(context.Background(), OrganizationID(testOrg), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("empty: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestInviteDelegate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, inviteAPI("delegate/"), respond(t, 200, inviteJSON, "",
		`{"target_email": "ann@example.com", "message": "Can you finish the setup?", "step_at_delegation": "install"}`))
	inv, err := c.Invites.Delegate(context.Background(), OrganizationID(testOrg), &InviteDelegate{
		TargetEmail: "ann@example.com", Message: "Can you finish the setup?", StepAtDelegation: "install",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkInvite(t, inv)

	for name, d := range map[string]*InviteDelegate{
		"nil":          nil,
		"no email":     {},
		"bad email":    {TargetEmail: "ann"},
		"long message": {TargetEmail: "ann@example.com", Message: strings.Repeat("m", 1001)},
		"long step":    {TargetEmail: "ann@example.com", StepAtDelegation: strings.Repeat("s", 65)},
	} {
		if _, err := c.Invites.Delegate(context.Background(), OrganizationID(testOrg), d); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestProjectAccessLevelDecoding(t *testing.T) {
	var got []ProjectAccess
	if err := json.Unmarshal([]byte(`[{"id":1,"level":"member"},{"id":2,"level":8},{"id":3,"level":1},{"id":4,"level":"none"},{"id":5,"level":4}]`), &got); err != nil {
		t.Fatal(err)
	}
	want := []ProjectAccessLevel{ProjectAccessMember, ProjectAccessAdmin, ProjectAccessMember, ProjectAccessNone, "4"}
	for i, w := range want {
		if got[i].Level != w {
			t.Errorf("item %d level = %q, want %q", i, got[i].Level, w)
		}
	}
	if err := json.Unmarshal([]byte(`[{"id":1,"level":{}}]`), &got); err == nil {
		t.Error("an object level decoded")
	}
	b, _ := json.Marshal(ProjectAccess{ID: 9, Level: ProjectAccessAdmin})
	if string(b) != `{"id":9,"level":"admin"}` {
		t.Errorf("encoded %s", b)
	}
}

// cancelOnClose cancels a context when the answer's body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
