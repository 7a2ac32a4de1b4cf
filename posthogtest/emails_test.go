package posthogtest_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestEmailRules checks how addresses are stored and matched, rule by rule
// (posthogtest/emails.go).
func TestEmailRules(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	key := srv.NewAPIKey("organization_member:write")
	base := "/api/organizations/" + org.String() + "/invites/"

	// A seeded (older) account keeps its local part's case.
	ann := srv.AddUser(posthogtest.UserSeed{Email: " Ann@Example.COM "})
	if ann.Email != "Ann@example.com" {
		t.Errorf("AddUser stored %q, want Ann@example.com", ann.Email)
	}
	srv.AddMember(org, ann.UUID, posthogapi.MembershipLevelMember)

	// Invite create matches a member exactly: another case is invited.
	if st, body := rawCall(t, srv, key, "POST", base, `{"target_email":"ann@EXAMPLE.com"}`); st != 201 ||
		body.(map[string]any)["target_email"] != "ann@example.com" {
		t.Errorf("invite in another case: %d %v (domain lower-cased, member matched exactly)", st, body)
	}
	if st, _ := rawCall(t, srv, key, "POST", base, `{"target_email":"Ann@example.com"}`); st != 400 {
		t.Errorf("invite of the member's exact address: %d, want 400", st)
	}

	// Creating replaces only the invites with exactly the same address.
	rawCall(t, srv, key, "POST", base, `{"target_email":"Bob@example.com"}`)
	rawCall(t, srv, key, "POST", base, `{"target_email":"bob@example.com","level":8}`)
	rawCall(t, srv, key, "POST", base, `{"target_email":"bob@example.com"}`)
	var bobs []string
	for _, inv := range srv.Invites(org) {
		if inv.Email == "Bob@example.com" || inv.Email == "bob@example.com" {
			bobs = append(bobs, inv.Email+"/"+inv.Level.String())
		}
	}
	if !reflect.DeepEqual(bobs, []string{"bob@example.com/member", "Bob@example.com/member"}) {
		t.Errorf("bob's invites = %v", bobs)
	}
	if srv.InvitesCreated(org, "BOB@example.com") != 3 {
		t.Errorf("InvitesCreated = %d, want 3 (counted without case)", srv.InvitesCreated(org, "BOB@example.com"))
	}

	// Accepting matches without case: the new account is lower case, and
	// every invite of the address in any case is gone.
	var id posthogapi.InviteID
	for _, inv := range srv.PendingInvites(org) {
		if inv.Email == "Bob@example.com" {
			id = inv.ID
		}
	}
	m := srv.AcceptInvite(org, id, posthogtest.UserSeed{})
	if m.User.Email != "bob@example.com" {
		t.Errorf("new account %q, want bob@example.com", m.User.Email)
	}
	for _, inv := range srv.Invites(org) {
		if inv.Email == "bob@example.com" || inv.Email == "Bob@example.com" {
			t.Errorf("invite %s left after accepting", inv.Email)
		}
	}
}

// TestExpiredInvitesApart checks that expired invites are listed (as PostHog
// lists them) but kept apart in Invite.Expired, PendingInvites and Snapshot.
func TestExpiredInvitesApart(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	srv := posthogtest.NewServer(posthogtest.WithFixedClock(now))
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	srv.AddInvite(org, posthogtest.InviteSeed{Email: "old@example.com", CreatedAt: now.Add(-73 * time.Hour)})
	srv.AddInvite(org, posthogtest.InviteSeed{Email: "new@example.com"})
	all := srv.Invites(org)
	if len(all) != 2 || all[0].Email != "new@example.com" || all[0].Expired || !all[1].Expired {
		t.Errorf("Invites = %+v", all)
	}
	if p := srv.PendingInvites(org); len(p) != 1 || p[0].Email != "new@example.com" {
		t.Errorf("PendingInvites = %+v", p)
	}
	snap := srv.Snapshot(org)
	if len(snap.Pending) != 1 || len(snap.Expired) != 1 || snap.Expired[0].Email != "old@example.com" || len(snap.Members) != 1 {
		t.Errorf("Snapshot = %+v", snap)
	}
	st, body := rawCall(t, srv, srv.NewAPIKey("organization_member:read"), "GET", "/api/organizations/"+org.String()+"/invites/", "")
	if st != 200 || body.(map[string]any)["count"] != float64(2) {
		t.Errorf("list: %d %v (expired ones listed, as PostHog does)", st, body)
	}
}

// TestWritesAndSnapshot checks the write log and that snapshots of the same
// state are equal.
func TestWritesAndSnapshot(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.WithLatency(time.Millisecond))
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	key := srv.NewAPIKey("organization_member:write", "organization:write")
	before := srv.Snapshot(org)
	rawCall(t, srv, key, "GET", "/api/organizations/"+org.String()+"/members/", "")
	rawCall(t, srv, key, "POST", "/api/organizations/"+org.String()+"/roles/", `{"name":"Ops"}`)
	rawCall(t, srv, key, "POST", "/api/organizations/"+org.String()+"/roles/", `{"name":"ops"}`)
	want := []posthogtest.Write{
		{Method: "POST", Path: "/api/organizations/" + org.String() + "/roles/", Body: `{"name":"Ops"}`, Status: 201},
		{Method: "POST", Path: "/api/organizations/" + org.String() + "/roles/", Body: `{"name":"ops"}`, Status: 400},
	}
	if got := srv.Writes(); !reflect.DeepEqual(got, want) {
		t.Errorf("Writes = %+v", got)
	}
	after := srv.Snapshot(org)
	if reflect.DeepEqual(before, after) || len(after.Roles) != 1 || !reflect.DeepEqual(after, srv.Snapshot(org)) {
		t.Errorf("snapshots: %+v / %+v", before, after)
	}
}

// TestUsersMeRoute checks /api/users/@me/ for the key's user, and that
// another user's UUID is refused as PostHog refuses it to non-staff.
func TestUsersMeRoute(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("user:read")
	st, body := rawCall(t, srv, key, "GET", "/api/users/@me/", "")
	if st != 200 || body.(map[string]any)["email"] != "owner@example.com" || body.(map[string]any)["uuid"] != srv.DefaultUser().UUID.String() {
		t.Errorf("@me: %d %v", st, body)
	}
	if st, _ := rawCall(t, srv, key, "GET", "/api/users/"+srv.DefaultUser().UUID.String()+"/", ""); st != 403 {
		t.Errorf("by UUID: %d, want 403", st)
	}
	if st, _ := rawCall(t, srv, srv.NewAPIKey("organization:read"), "GET", "/api/users/@me/", ""); st != 403 {
		t.Errorf("without user:read: %d, want 403", st)
	}
}
