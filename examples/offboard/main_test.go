package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi/posthogtest"
)

// newWorld seeds a server as the demo does and returns the environment that
// points the program at it as at a real PostHog.
func newWorld(t *testing.T) (*posthogtest.Server, func(string) string) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	seed(srv)
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:write", "organization_member:write"), "POSTHOG_HOST": srv.URL()}
	return srv, func(k string) string { return env[k] }
}

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
	for _, req := range srv.Requests() {
		if req.Method != "GET" {
			t.Fatalf("dry run sent %s %s", req.Method, req.Path)
		}
	}
}

func TestOffboard(t *testing.T) {
	srv, getenv := newWorld(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if o, r, i := memberships(srv, "leaver@example.com"); o != 0 || r != 0 || i != 0 {
		t.Fatalf("left behind: %d orgs, %d roles, %d invites", o, r, i)
	}
	if o, r, _ := memberships(srv, "stayer@example.com"); o != 1 || r != 2 {
		t.Fatalf("the stayer lost access: %d orgs, %d roles", o, r)
	}
	// Running it again finds nothing to do.
	out.Reset()
	if code := run(context.Background(), []string{"leaver@example.com"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "nothing to do") {
		t.Fatalf("second run: exit %d\n%s", code, out.String())
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
	if code := run(context.Background(), []string{"-h"}, &out, &errb, func(string) string { return "" }); code != 0 || !strings.Contains(errb.String(), "usage: offboard") {
		t.Fatalf("-h: %d", code)
	}
	_, getenv := newWorld(t)
	if code := run(context.Background(), nil, &out, &errb, getenv); code != 2 {
		t.Fatalf("no email with a real key: exit %d", code)
	}
	if code := run(context.Background(), []string{"-bogus"}, &out, &errb, getenv); code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
}
