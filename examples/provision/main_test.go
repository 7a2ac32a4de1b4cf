package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi/posthogtest"
)

// scopes are the key's scopes in these tests: what the program documents.
var scopes = []string{"organization:write", "organization_member:write", "project:write", "integration:read", "batch_export:write"}

// world is a server with an organization "Acme" that already has a project
// ("Website", with an AWS S3 integration of its own) and two members, on a
// plan allowing limit projects; and a second organization with a project.
type world struct {
	srv     *posthogtest.Server
	acme    posthogtest.Organization
	website posthogtest.Project
	getenv  func(string) string
	state   string
}

func newWorld(t *testing.T, limit int) *world {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	seed(srv)
	w := &world{srv: srv, state: filepath.Join(t.TempDir(), "state.json")}
	for _, o := range srv.Organizations() {
		if o.Name == "Acme" {
			w.acme = o
		}
	}
	srv.SetProjectLimit(w.acme.ID, limit)
	w.website = srv.Projects(w.acme.ID)[0]
	srv.SeedIntegration(w.website.ID, posthogtest.IntegrationAWSS3, "website-aws")
	other := srv.DefaultOrganization()
	srv.AddProject(other.ID, "Checkout") // the same name in another organization is no conflict
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey(scopes...), "POSTHOG_HOST": srv.URL()}
	w.getenv = func(k string) string { return env[k] }
	return w
}

func (w *world) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"-state", w.state}, args...), &out, &errb, w.getenv)
	return code, out.String(), errb.String()
}

func (w *world) project(name string) (posthogtest.Project, bool) {
	for _, p := range w.srv.Projects(w.acme.ID) {
		if p.Name == name {
			return p, true
		}
	}
	return posthogtest.Project{}, false
}

func (w *world) role(name string) (posthogtest.Role, bool) {
	for _, r := range w.srv.Roles(w.acme.ID) {
		if r.Name == name {
			return r, true
		}
	}
	return posthogtest.Role{}, false
}

func (w *world) invited(email string) bool {
	for _, inv := range w.srv.Invites(w.acme.ID) {
		if inv.Email == email {
			return true
		}
	}
	return false
}

var provisionArgs = []string{"-org", "Acme", "-project", "Checkout", "-invite", "new@example.com, temp@example.com",
	"-role", "Checkout team", "-role-members", "ada@example.com", "-bucket", "acme-data"}

// TestProvisionAndCleanup runs the whole flow in an organization that
// already has a project: the first run waits for an integration in the NEW
// project (the old project's does not count), the second creates the
// export there, -cleanup deletes everything created, and a second -cleanup
// finds everything already gone.
func TestProvisionAndCleanup(t *testing.T) {
	w := newWorld(t, 3)
	code, out, errb := w.run(t, provisionArgs...)
	checkout, ok := w.project("Checkout")
	if !ok || checkout.ID == w.website.ID {
		t.Fatalf("project not created: %+v", w.srv.Projects(w.acme.ID))
	}
	id := fmt.Sprint(checkout.ID)
	if code != exitWaiting || !strings.Contains(out, `Project "Checkout" (`+id+`) has no AWS S3 integration`) {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errb)
	}
	role, ok := w.role("Checkout team")
	if !ok || len(role.Members) != 1 || !w.invited("new@example.com") || !w.invited("temp@example.com") {
		t.Fatalf("role %+v, invites %+v", role, w.srv.Invites(w.acme.ID))
	}

	// Someone connects an AWS S3 integration to the new project.
	w.srv.SeedIntegration(checkout.ID, posthogtest.IntegrationAWSS3, "checkout-aws")
	code, out, errb = w.run(t, provisionArgs...)
	if code != exitOK {
		t.Fatalf("second run: exit %d\n%s%s", code, out, errb)
	}
	for _, want := range []string{`Project "Checkout" (` + id + `) in Acme: there already`, "Invite new@example.com: already invited.",
		`Role member ada@example.com: already in "Checkout team".`, `Created batch export "Checkout to S3" to s3://acme-data in project ` + id + `, using integration "checkout-aws"`,
		`Provisioned project "Checkout" (` + id + `) in Acme.`} {
		if !strings.Contains(out, want) {
			t.Errorf("second run lacks %q:\n%s", want, out)
		}
	}
	exports := w.srv.ProjectBatchExports(checkout.ID)
	if len(exports) != 1 || exports[0].Name != "Checkout to S3" {
		t.Fatalf("exports of the new project: %+v", exports)
	}
	if old := w.srv.ProjectBatchExports(w.website.ID); len(old) != 0 {
		t.Fatalf("an export landed in the old project: %+v", old)
	}
	if n := w.srv.InvitesCreated(w.acme.ID, "new@example.com"); n != 1 {
		t.Fatalf("new@example.com invited %d times", n)
	}

	code, out, errb = w.run(t, "-cleanup")
	if code != exitOK {
		t.Fatalf("cleanup: exit %d\n%s%s", code, out, errb)
	}
	for _, want := range []string{`Batch export "Checkout to S3": deleted.`, `Role "Checkout team": deleted.`, "Invite for temp@example.com: deleted.", `Project "Checkout" (` + id + `): deleted.`} {
		if !strings.Contains(out, want) {
			t.Errorf("cleanup lacks %q:\n%s", want, out)
		}
	}
	if _, ok := w.project("Checkout"); ok {
		t.Error("project still there")
	}
	if _, ok := w.role("Checkout team"); ok || w.invited("new@example.com") || w.invited("temp@example.com") {
		t.Error("role or invites still there")
	}
	if _, ok := w.project("Website"); !ok || len(w.srv.Members(w.acme.ID)) != 3 {
		t.Error("cleanup touched what it did not create")
	}

	code, out, errb = w.run(t, "-cleanup")
	if code != exitOK || strings.Count(out, "already gone") != 5 || !strings.Contains(out, "Cleaned up") {
		t.Fatalf("second cleanup: exit %d\n%s%s", code, out, errb)
	}
}

// TestProvisionNameTaken: PostHog answers 409 for a project name in use;
// the program says so, and with -reuse provisions into that project, which
// -cleanup then leaves in place.
func TestProvisionNameTaken(t *testing.T) {
	w := newWorld(t, 3)
	for _, m := range w.srv.Members(w.acme.ID) {
		if m.User.Email == "grace@example.com" {
			w.srv.AddRole(w.acme.ID, "Web team", m.User.UUID) // a role that exists already
		}
	}
	args := []string{"-org", "Acme", "-project", "website", "-role", "Web team", "-role-members", "ada@example.com", "-bucket", "web-data"}
	code, out, errb := w.run(t, args...)
	if code != exitFailed || !strings.Contains(errb, `a project named "Website" already exists in Acme (ID 1): pass -reuse`) {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	if _, err := os.Stat(w.state); err == nil {
		t.Error("a state file was written for a run that created nothing")
	}
	code, out, errb = w.run(t, append([]string{"-reuse"}, args...)...)
	if code != exitOK || !strings.Contains(out, `Reusing the existing project "Website" (1)`) {
		t.Fatalf("-reuse: exit %d\n%s%s", code, out, errb)
	}
	if n := len(w.srv.ProjectBatchExports(w.website.ID)); n != 1 || len(w.srv.Projects(w.acme.ID)) != 1 {
		t.Fatalf("exports in Website: %d; projects: %+v", n, w.srv.Projects(w.acme.ID))
	}
	code, out, errb = w.run(t, "-cleanup")
	if code != exitOK || !strings.Contains(out, `Project "Website" (1): left in place`) || !strings.Contains(out, `ada@example.com in role "Web team": deleted.`) {
		t.Fatalf("cleanup: exit %d\n%s%s", code, out, errb)
	}
	if _, ok := w.project("Website"); !ok || len(w.srv.ProjectBatchExports(w.website.ID)) != 0 {
		t.Fatal("cleanup deleted the reused project, or left the export")
	}
	// The role existed before: it stays, with grace and without ada.
	if r, ok := w.role("Web team"); !ok || len(r.Members) != 1 {
		t.Fatalf("role after cleanup: %+v", r)
	}
	code, out, errb = w.run(t, "-cleanup")
	if code != exitOK || !strings.Contains(out, `ada@example.com in role "Web team": already gone.`) {
		t.Fatalf("second cleanup: exit %d\n%s%s", code, out, errb)
	}
}

// TestProvisionPlanLimit: the organization's plan allows one project, which
// it has; PostHog's 403 is reported as the plan limit.
func TestProvisionPlanLimit(t *testing.T) {
	w := newWorld(t, 1)
	code, out, errb := w.run(t, provisionArgs...)
	if code != exitFailed || !strings.Contains(errb, "Acme's plan allows no more projects") || !strings.Contains(errb, "maximum limit of allowed projects") {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	if len(w.srv.Projects(w.acme.ID)) != 1 || w.invited("new@example.com") {
		t.Fatal("something was created")
	}
}

// TestProvisionRoleMemberMustBeAMember: adding a person who is not a member
// to the role fails that step, clearly, and the run exits 1 after the rest.
func TestProvisionRoleMemberMustBeAMember(t *testing.T) {
	w := newWorld(t, 0)
	code, out, errb := w.run(t, "-org", w.acme.ID.String(), "-project", "Mobile", "-role", "Mobile", "-role-members", "ada@example.com,stranger@example.com")
	if code != exitFailed || !strings.Contains(out, "Role member stranger@example.com: FAILED, not a member of Acme") || !strings.Contains(errb, "1 step(s) failed") {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	if r, ok := w.role("Mobile"); !ok || len(r.Members) != 1 {
		t.Fatalf("role: %+v", r)
	}
}

func TestProvisionDemo(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb, func(string) string { return "" }); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"running against an in-memory PostHog", `Created project "Checkout" (2) in Acme.`, `Created batch export "Checkout to S3"`,
		`Project "Checkout" (2): deleted.`, "Cleaned up: everything recorded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo lacks %q:\n%s", want, out.String())
		}
	}
}

func TestProvisionUsage(t *testing.T) {
	w := newWorld(t, 3)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb, func(string) string { return "" }); code != exitOK || !strings.Contains(errb.String(), "usage: provision") {
		t.Fatalf("-h: exit %d", code)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-project", "X"}, exitUsage, "give -org and -project"},
		{[]string{"-org", "Acme", "-project", "X", "-invite", "nobody"}, exitUsage, `"nobody" is not an email address`},
		{[]string{"-org", "Acme", "-project", "X", "-role-members", "ada@example.com"}, exitUsage, "-role-members needs -role"},
		{[]string{"-bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"-org", "Nope", "-project", "X"}, exitFailed, `no organization "Nope" is visible to this key; it sees`},
	} {
		code, _, errb := w.run(t, tc.args...)
		if code != tc.code || !strings.Contains(errb, tc.msg) {
			t.Errorf("%v: exit %d, %s", tc.args, code, errb)
		}
	}
	code, out2, _ := w.run(t, "-cleanup")
	if code != exitOK || !strings.Contains(out2, "Nothing to clean up") {
		t.Errorf("cleanup without state: exit %d, %s", code, out2)
	}
}
