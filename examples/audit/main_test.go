package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hogkit/posthogapi/posthogtest"
)

func TestAuditDemo(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"Members (4):\n    owner@example.com  owner   2FA on   no roles\n    ada@example.com    admin   2FA on   roles: Engineering\n    grace@example.com  member  2FA off  roles: Support",
		"ken@example.com    admin  2FA off  roles: Maintainers",
		"Owners and admins (2):\n    owner@example.com  owner\n    ada@example.com    admin",
		"Members without 2FA (2):\n    grace@example.com  member\n    linus@example.com  member",
		"Invites pending more than 7 days (1):\n    old@example.com  member  30 days  expired",
		"Side Project",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "new@example.com") {
		t.Error("a fresh invite was reported")
	}
}

func TestAuditJSONAgainstServer(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization()
	u := srv.AddUser(posthogtest.UserSeed{Email: "no2fa@example.com"})
	srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	srv.AddInvite(org.ID, posthogtest.InviteSeed{Email: "stale@example.com", CreatedAt: time.Now().AddDate(0, 0, -10)})
	srv.AddOrganization("Not audited", srv.DefaultUser().UUID)
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:read", "organization_member:read"), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-json", "-days", "3", "-org", org.ID.String()}, &out, &errb, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reports []Report
	if err := json.Unmarshal(out.Bytes(), &reports); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if len(reports) != 1 || reports[0].ID != org.ID.String() || len(reports[0].Without2FA) != 1 || reports[0].Without2FA[0].Email != "no2fa@example.com" ||
		len(reports[0].StaleInvites) != 1 || reports[0].StaleInvites[0].Email != "stale@example.com" || reports[0].StaleInvites[0].AgeDays != 10 {
		t.Fatalf("reports = %+v", reports)
	}
}

func TestAuditFailures(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:read"), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb, func(k string) string { return env[k] }); code != 1 || !strings.Contains(errb.String(), "organization_member:read") {
		t.Fatalf("missing scope: exit %d, %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-org", "nope"}, &out, &errb, func(string) string { return "" }); code != 2 || !strings.Contains(errb.String(), "not a UUID") {
		t.Fatalf("bad -org: exit %d, %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-h"}, &out, &errb, func(string) string { return "" }); code != 0 || !strings.Contains(errb.String(), "usage: audit") {
		t.Fatalf("-h: exit %d", code)
	}
}

// TestAuditKeys lists members' personal API keys with their scopes
// (server-fidelity item 14), with the legacy key PostHog requires there,
// and reports them unreadable with a scoped key.
func TestAuditKeys(t *testing.T) {
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	defer srv.Close()
	org := srv.DefaultOrganization()
	u := srv.AddUser(posthogtest.UserSeed{Email: "dev@example.com"})
	srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	devKey := srv.NewAPIKeyFor(u.UUID, "insight:read", "project:write")

	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey(), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-json", "-keys", "-legacy-key"}, &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), devKey) {
		t.Fatal("a key's secret is in the report")
	}
	var reports []Report
	if err := json.Unmarshal(out.Bytes(), &reports); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	var dev *MemberKey
	for i, k := range reports[0].Keys {
		if k.Owner == "dev@example.com" {
			dev = &reports[0].Keys[i]
		}
	}
	if len(reports) != 1 || !reports[0].KeysListed || len(reports[0].Keys) != 2 || dev == nil ||
		strings.Join(dev.Scopes, " ") != "insight:read project:write" || dev.Access != "all" || !strings.HasPrefix(dev.Mask, "phx_...") {
		t.Fatalf("reports = %+v", reports)
	}

	env["POSTHOG_PERSONAL_API_KEY"] = srv.NewAPIKey("organization:read", "organization_member:read")
	out.Reset()
	if code := run(context.Background(), []string{"-keys"}, &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Personal API keys: not readable with this key") || strings.Contains(out.String(), "phx_...") {
		t.Errorf("scoped key output:\n%s", out.String())
	}
}

// TestAuditRolesAcrossOrganizations audits two organizations, each with a
// project already, and reports every member's level, 2FA and roles in each.
func TestAuditRolesAcrossOrganizations(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	home := srv.DefaultOrganization()
	srv.AddProject(home.ID, "Web app")
	amy := srv.AddUser(posthogtest.UserSeed{Email: "amy@example.com", Is2FAEnabled: true})
	bo := srv.AddUser(posthogtest.UserSeed{Email: "bo@example.com"})
	srv.AddMember(home.ID, amy.UUID, posthogtest.LevelAdmin)
	srv.AddMember(home.ID, bo.UUID, posthogtest.LevelMember)
	srv.AddRole(home.ID, "Engineering", amy.UUID, bo.UUID)
	srv.AddRole(home.ID, "On call", bo.UUID)
	srv.AddRole(home.ID, "Empty")

	other := srv.AddOrganization("Other Co", srv.DefaultUser().UUID)
	srv.AddProject(other.ID, "Other site")
	srv.AddMember(other.ID, bo.UUID, posthogtest.LevelAdmin)
	srv.AddRole(other.ID, "Finance", bo.UUID)

	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:read", "organization_member:read"), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-json"}, &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reports []Report
	if err := json.Unmarshal(out.Bytes(), &reports); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	got := map[string]string{}
	for _, r := range reports {
		if !r.RolesListed {
			t.Errorf("%s: roles not listed", r.Organization)
		}
		for _, a := range r.Members {
			got[r.Organization+"/"+a.Email] = fmt.Sprintf("%s 2fa=%v %s", a.Level, a.TwoFA, strings.Join(a.Roles, ","))
		}
	}
	want := map[string]string{
		"Test Organization/owner@example.com": "owner 2fa=true ",
		"Test Organization/amy@example.com":   "admin 2fa=true Engineering",
		"Test Organization/bo@example.com":    "member 2fa=false Engineering,On call",
		"Other Co/owner@example.com":          "owner 2fa=true ",
		"Other Co/bo@example.com":             "admin 2fa=false Finance",
	}
	if len(reports) != 2 || len(got) != len(want) {
		t.Fatalf("%d reports, members %v", len(reports), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}

	// The table says the same.
	out.Reset()
	if code := run(context.Background(), nil, &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"bo@example.com     member  2FA off  roles: Engineering, On call", "bo@example.com     admin  2FA off  roles: Finance", "amy@example.com    admin   2FA on   roles: Engineering"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
