package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi/posthogtest"
)

// newWorld seeds a server as the demo does (organizations that already have
// projects of their own) and returns the environment that points the
// program at it as at a real PostHog, with a key of explicit scopes.
func newWorld(t *testing.T) (*posthogtest.Server, func(string) string) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	seed(srv)
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:write", "organization_member:write"), "POSTHOG_HOST": srv.URL()}
	return srv, func(k string) string { return env[k] }
}

// memberships counts what email still has on srv.
func memberships(srv *posthogtest.Server, email string) (orgs, roles, invites int) {
	for _, o := range srv.Organizations() {
		for _, m := range srv.Members(o.ID) {
			if m.User.Email == email {
				orgs++
				for _, r := range srv.Roles(o.ID) {
					for _, u := range r.Members {
						if u == m.User.UUID {
							roles++
						}
					}
				}
			}
		}
		for _, inv := range srv.Invites(o.ID) {
			if inv.Email == email {
				invites++
			}
		}
	}
	return
}

// levelIn returns email's level in the organization named org, or 0.
func levelIn(srv *posthogtest.Server, org, email string) int {
	for _, o := range srv.Organizations() {
		if o.Name != org {
			continue
		}
		for _, m := range srv.Members(o.ID) {
			if m.User.Email == email {
				return int(m.Level)
			}
		}
	}
	return 0
}

func projectCount(srv *posthogtest.Server) int {
	n := 0
	for _, o := range srv.Organizations() {
		n += len(srv.Projects(o.ID))
	}
	return n
}

func writes(srv *posthogtest.Server) []string {
	var out []string
	for _, req := range srv.Requests() {
		if req.Method != "GET" {
			out = append(out, req.Method+" "+req.Path)
		}
	}
	return out
}

func TestOffboardDryRunChangesNothing(t *testing.T) {
	srv, getenv := newWorld(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-dry-run", "leaver@example.com"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{`would remove from role "Engineering" in Test Organization`, "would remove from organization Side Project", "would delete the pending invite to Partner Org"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, out.String())
		}
	}
	if o, r, i := memberships(srv, "leaver@example.com"); o != 2 || r != 1 || i != 1 {
		t.Fatalf("dry run changed state: %d orgs, %d roles, %d invites", o, r, i)
	}
	if w := writes(srv); len(w) != 0 {
		t.Fatalf("dry run wrote: %v", w)
	}
}

func TestOffboard(t *testing.T) {
	srv, getenv := newWorld(t)
	projects := projectCount(srv)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if !strings.Contains(out.String(), "Done: leaver@example.com is offboarded") {
		t.Errorf("no closing line:\n%s", out.String())
	}
	if o, r, i := memberships(srv, "leaver@example.com"); o != 0 || r != 0 || i != 0 {
		t.Fatalf("left behind: %d orgs, %d roles, %d invites", o, r, i)
	}
	if o, r, _ := memberships(srv, "stayer@example.com"); o != 1 || r != 2 {
		t.Fatalf("the stayer lost access: %d orgs, %d roles", o, r)
	}
	if got := projectCount(srv); got != projects {
		t.Fatalf("projects: %d, want %d", got, projects)
	}
}

// TestOffboardSecondRunSaysNothingLeft: offboarding is idempotent.
func TestOffboardSecondRunSaysNothingLeft(t *testing.T) {
	srv, getenv := newWorld(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errb.String())
	}
	srv.ResetRequests()
	out.Reset()
	if code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "Nothing left to do: leaver@example.com") {
		t.Fatalf("second run: exit %d\n%s", code, out.String())
	}
	if w := writes(srv); len(w) != 0 {
		t.Fatalf("second run wrote: %v", w)
	}
}

func TestOffboardNotFound(t *testing.T) {
	srv, getenv := newWorld(t)
	var out, errb bytes.Buffer
	// Member emails match exactly: another case is another person.
	for _, email := range []string{"nobody@example.com", "Stayer@Example.com"} {
		out.Reset()
		if code := run(context.Background(), []string{email}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "Nothing left to do: "+email+" is a member of no organization") {
			t.Fatalf("%s: exit %d\n%s%s", email, code, out.String(), errb.String())
		}
	}
	if w := writes(srv); len(w) != 0 {
		t.Fatalf("wrote: %v", w)
	}
	if o, _, _ := memberships(srv, "stayer@example.com"); o != 1 {
		t.Fatal("the stayer was removed")
	}
}

// ownerWorld adds "Owned Co", where the leaver is an owner next to the key's
// user (an owner too).
func ownerWorld(t *testing.T) (*posthogtest.Server, func(string) string) {
	t.Helper()
	srv, getenv := newWorld(t)
	owned := srv.AddOrganization("Owned Co", srv.DefaultUser().UUID)
	srv.AddProject(owned.ID, "Owned site")
	var leaver posthogtest.User
	for _, m := range srv.Members(srv.DefaultOrganization().ID) {
		if m.User.Email == "leaver@example.com" {
			leaver = m.User
		}
	}
	srv.AddMember(owned.ID, leaver.UUID, posthogtest.LevelOwner)
	srv.AddRole(owned.ID, "Founders", leaver.UUID)
	return srv, getenv
}

func TestOffboardOwnerIsLeftInPlaceWithoutTheFlag(t *testing.T) {
	srv, getenv := ownerWorld(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv)
	if code != 1 || !strings.Contains(out.String(), "LEFT IN PLACE in Owned Co") || !strings.Contains(out.String(), "Rerun with -demote-owner") ||
		!strings.Contains(errb.String(), "1 organization(s) left in place because leaver@example.com is an owner there") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	// Everything else was done; the owned organization was not touched.
	if o, r, i := memberships(srv, "leaver@example.com"); o != 1 || r != 1 || i != 0 {
		t.Fatalf("after the run: %d orgs, %d roles, %d invites", o, r, i)
	}
	if lvl := levelIn(srv, "Owned Co", "leaver@example.com"); lvl != posthogtest.LevelOwner {
		t.Fatalf("level in Owned Co = %d", lvl)
	}
	out.Reset()
	if code := run(context.Background(), []string{"-dry-run", "leaver@example.com"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "would NOT remove them from Owned Co: they are an owner") {
		t.Fatalf("dry run: exit %d\n%s", code, out.String())
	}
}

func TestOffboardDemoteOwner(t *testing.T) {
	srv, getenv := ownerWorld(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-demote-owner", "leaver@example.com"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	for _, want := range []string{"did demote from owner to admin in Owned Co", `did remove from role "Founders" in Owned Co`, "did remove from organization Owned Co (was owner)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if o, r, i := memberships(srv, "leaver@example.com"); o != 0 || r != 0 || i != 0 {
		t.Fatalf("left behind: %d orgs, %d roles, %d invites", o, r, i)
	}
	out.Reset()
	if code := run(context.Background(), []string{"-demote-owner", "leaver@example.com"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "Nothing left to do") {
		t.Fatalf("second run: exit %d\n%s", code, out.String())
	}
}

// TestOffboardDemoteOwnerNeedsAnOwnersKey: where the key's user is only an
// admin, PostHog refuses the demotion; the removal is then skipped, not
// tried, and the program says so and exits 1.
func TestOffboardDemoteOwnerNeedsAnOwnersKey(t *testing.T) {
	srv, getenv := newWorld(t)
	boss := srv.AddUser(posthogtest.UserSeed{Email: "boss@example.com"})
	theirs := srv.AddOrganization("Their Co", boss.UUID)
	srv.AddProject(theirs.ID, "Their site")
	srv.AddMember(theirs.ID, srv.DefaultUser().UUID, posthogtest.LevelAdmin)
	var leaver posthogtest.User
	for _, m := range srv.Members(srv.DefaultOrganization().ID) {
		if m.User.Email == "leaver@example.com" {
			leaver = m.User
		}
	}
	srv.AddMember(theirs.ID, leaver.UUID, posthogtest.LevelOwner)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-demote-owner", "leaver@example.com"}, &out, &errb, getenv)
	if code != 1 || !strings.Contains(out.String(), "FAILED to demote from owner to admin in Their Co") ||
		!strings.Contains(out.String(), "SKIPPED remove from organization Their Co (was owner): the demotion failed") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	if lvl := levelIn(srv, "Their Co", "leaver@example.com"); lvl != posthogtest.LevelOwner {
		t.Fatalf("level in Their Co = %d", lvl)
	}
	for _, w := range writes(srv) {
		if strings.HasPrefix(w, "DELETE /api/organizations/"+theirs.ID.String()+"/members/") {
			t.Fatalf("tried to remove the owner: %s", w)
		}
	}
}

func TestOffboardKeepsGoingAfterAFailure(t *testing.T) {
	srv, getenv := newWorld(t)
	srv.InjectFault(posthogtest.Fault{Method: "DELETE", Path: "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/members/", Status: 503, Times: 10})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv)
	if code != 1 || !strings.Contains(errb.String(), "1 of 4 steps failed") || !strings.Contains(out.String(), "FAILED to remove from organization Test Organization") {
		t.Fatalf("exit %d\nstderr: %s\nstdout: %s", code, errb.String(), out.String())
	}
	if o, r, i := memberships(srv, "leaver@example.com"); o != 1 || r != 0 || i != 0 {
		t.Fatalf("other steps did not run: %d orgs, %d roles, %d invites", o, r, i)
	}
}

func TestOffboardUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb, func(string) string { return "" }); code != 0 || !strings.Contains(errb.String(), "usage: offboard") || !strings.Contains(errb.String(), "-demote-owner") {
		t.Fatalf("-h: %d", code)
	}
	_, getenv := newWorld(t)
	if code := run(context.Background(), nil, &out, &errb, getenv); code != 2 {
		t.Fatalf("no email with a real key: exit %d", code)
	}
	if code := run(context.Background(), []string{"-bogus"}, &out, &errb, getenv); code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
	if code := run(context.Background(), []string{"a@example.com", "b@example.com"}, &out, &errb, getenv); code != 2 {
		t.Fatalf("two emails: exit %d", code)
	}
}

func TestOffboardDemo(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb, func(string) string { return "" }); code != 0 ||
		!strings.Contains(out.String(), "running against an in-memory PostHog") || !strings.Contains(out.String(), "Done: leaver@example.com is offboarded") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}
