package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestAccessSyncDemo(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-apply", "-prune"}, &out, &errb, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		`1. create role "Support"`, "re-invite bob@example.com as admin (invited as member)",
		"6. done     remove leaver@example.com from the organization",
		"waits_for_join: bob@example.com gets roles Support", "applied: 6 done, 0 failed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// world is a posthogtest server the program reaches as a real PostHog,
// seeded as the demo, with a file listing people for its organization.
func world(t *testing.T) (*posthogtest.Server, func(string) string, string) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	seed(srv)
	file := filepath.Join(t.TempDir(), "access.json")
	if err := os.WriteFile(file, sample(srv.DefaultOrganization().ID), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("user:read", "organization_member:write", "organization:write"),
		"POSTHOG_HOST":             srv.URL(),
	}
	return srv, func(k string) string { return env[k] }, file
}

func runOK(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb, getenv); code != 0 {
		t.Fatalf("%v: exit %d: %s\n%s", args, code, errb.String(), out.String())
	}
	return out.String()
}

func TestAccessSyncFile(t *testing.T) {
	srv, getenv, file := world(t)
	org := srv.DefaultOrganization().ID

	// A plan alone writes nothing.
	runOK(t, getenv, file)
	runOK(t, getenv, "-json", file)
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			t.Fatalf("planning sent %s %s", r.Method, r.Path)
		}
	}
	// Without -prune the leaver stays.
	runOK(t, getenv, "-apply", file)
	if !isMember(srv, org, "leaver@example.com") {
		t.Error("removed without -prune")
	}
	out := runOK(t, getenv, "-apply", "-prune", file)
	if isMember(srv, org, "leaver@example.com") || !strings.Contains(out, "1 done") {
		t.Errorf("-prune did not remove the leaver:\n%s", out)
	}
	// Bob joins; the next run gives him the role he waited for.
	for _, inv := range srv.PendingInvites(org) {
		if inv.Email == "bob@example.com" {
			srv.AcceptInvite(org, inv.ID, posthogtest.UserSeed{})
		}
	}
	out = runOK(t, getenv, "-apply", file)
	if !strings.Contains(out, `add bob@example.com to role "Support"`) || !strings.Contains(out, "applied: 1 done") {
		t.Errorf("Bob's role:\n%s", out)
	}
	if out := runOK(t, getenv, "-prune", file); !strings.Contains(out, "plan: 0 changes (nothing to change), 0 held") {
		t.Errorf("not converged:\n%s", out)
	}

	// -export writes a file that plans nothing.
	exported := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(exported, []byte(runOK(t, getenv, "-export", org.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := runOK(t, getenv, "-prune", exported); !strings.Contains(out, "plan: 0 changes") {
		t.Errorf("exported file plans changes:\n%s", out)
	}
}

func TestAccessSyncFailureExitsOne(t *testing.T) {
	srv, getenv, file := world(t)
	srv.InjectFault(posthogtest.Fault{Method: "POST", Path: "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/roles/", Status: 403})
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-apply", file}, &out, &errb, getenv); code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "1. failed   create role") || !strings.Contains(out.String(), "5. skipped  add ann@example.com") ||
		!strings.Contains(errb.String(), "2 change(s) not done; run again") {
		t.Errorf("output:\n%s\n%s", out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"-apply", file}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "applied: 2 done") {
		t.Errorf("rerun: exit %d\n%s", code, out.String())
	}
}

func TestAccessSyncBadInput(t *testing.T) {
	_, getenv, _ := world(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"organizations":[{"id":"00000000-0000-4000-8000-000000000003","people":[{"email":"x@example.com","level":"boss"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{bad}, &out, &errb, getenv); code != 1 || !strings.Contains(errb.String(), `level "boss"`) {
		t.Errorf("bad level: exit %d: %s", code, errb.String())
	}
	if code := run(context.Background(), nil, &out, &errb, getenv); code != 2 {
		t.Errorf("no file against a real PostHog: exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"-nope"}, &out, &errb, getenv); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
}

func isMember(srv *posthogtest.Server, org posthogapi.OrganizationID, email string) bool {
	for _, m := range srv.Members(org) {
		if m.User.Email == email {
			return true
		}
	}
	return false
}
