package posthogapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestE2EOrganizationLifecycle(t *testing.T) {
	_, c := newServerClient(t, "organization:write")
	ctx := context.Background()

	created, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "Acme", Enforce2FA: posthogapi.NewNullable(true)})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "Acme" || created.Slug != "acme" || created.Enforce2FA == nil || !*created.Enforce2FA ||
		created.MembershipLevel == nil || *created.MembershipLevel != posthogapi.MembershipLevelOwner || created.MemberCount != 1 {
		t.Fatalf("created = %+v", created)
	}
	got, err := c.Organizations.Get(ctx, created.ID)
	if err != nil || got.ID != created.ID || got.Name != "Acme" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	cur, err := c.Organizations.GetCurrent(ctx)
	if err != nil || cur.ID != created.ID {
		t.Fatalf("@current = %v, %v (creating switches the current organization)", cur, err)
	}
	upd, err := c.Organizations.Update(ctx, created.ID, &posthogapi.OrganizationUpdate{
		Name: posthogapi.Ptr("Acme Inc"), Enforce2FA: posthogapi.Null[bool](),
		DefaultExperimentStatsMethod: posthogapi.NewNullable(posthogapi.ExperimentStatsFrequentist),
	})
	if err != nil || upd.Name != "Acme Inc" || upd.Enforce2FA != nil || *upd.DefaultExperimentStatsMethod != posthogapi.ExperimentStatsFrequentist {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	rep, err := c.Organizations.Replace(ctx, created.ID, &posthogapi.OrganizationCreate{Name: "Acme Replaced"})
	if err != nil || rep.Name != "Acme Replaced" {
		t.Fatalf("replace = %+v, %v", rep, err)
	}
	page, err := c.Organizations.List(ctx, nil)
	if err != nil || page.Count != 2 {
		t.Fatalf("list = %+v, %v", page, err)
	}
	n := 0
	for o, err := range c.Organizations.All(ctx, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.ID == posthogapi.OrganizationID(uuid.Nil) {
			t.Fatal("nil id")
		}
		n++
	}
	if n != 2 {
		t.Fatalf("All yielded %d", n)
	}
	if err := c.Organizations.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Organizations.Get(ctx, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestE2EOrganizationErrors(t *testing.T) {
	srv, c := newServerClient(t, "organization:read")
	ctx := context.Background()
	org := srv.DefaultOrganization()

	_, err := c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr("x")})
	var se *posthogapi.ScopeError
	if !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Fatalf("update with read key: %v", err)
	}
	_, err = c.Organizations.EnvironmentsRollback(ctx, org.ID, map[posthogapi.ProjectID]posthogapi.ProjectID{1: 2})
	if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("rollback: %v", err)
	}
	if _, err := c.Organizations.Get(ctx, posthogapi.OrganizationID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("unknown org: %v", err)
	}

	bad, _ := srv.Client("phx_not_a_key")
	if _, err := bad.Organizations.List(ctx, nil); !errors.Is(err, posthogapi.ErrUnauthorized) {
		t.Fatalf("bad key: %v", err)
	}

	// Only owners delete organizations; admins may update them.
	admin := srv.AddUser(posthogtest.UserSeed{Email: "admin@example.com"})
	srv.AddMember(org.ID, admin.UUID, posthogtest.LevelAdmin)
	ac, _ := srv.Client(srv.NewAPIKeyFor(admin.UUID, "organization:write"))
	if _, err := ac.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr("Renamed")}); err != nil {
		t.Fatalf("admin update: %v", err)
	}
	if err := ac.Organizations.Delete(ctx, org.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
		t.Fatalf("admin delete: %v", err)
	}

	// A key scoped to another organization is refused here.
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	sc, _ := srv.Client(srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{other.ID}, "organization:read"))
	if _, err := sc.Organizations.Get(ctx, org.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Fatalf("org-scoped key: %v", err)
	}
	if p, err := sc.Organizations.List(ctx, nil); err != nil || p.Count != 1 || p.Results[0].ID != other.ID {
		t.Fatalf("org-scoped list: %+v %v", p, err)
	}
}

func TestFidelity07_OrganizationNewestFields(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization:write")
	role := uuid.New()
	o, err := c.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{
		EnforceVerifiedDomains:      posthogapi.Ptr(true),
		MembersCanCreateProjects:    posthogapi.NewNullable(true),
		MembersCanSeeOrgMembers:     posthogapi.Ptr(false),
		IsAITrainingOptedIn:         posthogapi.NewNullable(true),
		AcknowledgeAITrainingNotice: posthogapi.Ptr(true),
		DefaultRoleID:               posthogapi.NewNullable(posthogapi.RoleID(role)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !o.EnforceVerifiedDomains || o.MembersCanCreateProjects == nil || !*o.MembersCanCreateProjects || o.MembersCanSeeOrgMembers ||
		o.IsAITrainingOptedIn == nil || !*o.IsAITrainingOptedIn || o.DefaultRoleID == nil || o.DefaultRoleID.UUID() != role {
		t.Errorf("updated = %+v", o)
	}
	if o.IsAITrainingLocked == nil || o.IsAITrainingCTAShown == nil || o.IsHIPAA == nil || o.IsPendingDeletion == nil || *o.IsPendingDeletion {
		t.Errorf("read-only fields = %+v", o)
	}
	got, err := c.Organizations.Get(ctx, org)
	if err != nil || !got.EnforceVerifiedDomains || got.MembersCanSeeOrgMembers {
		t.Errorf("read back = %+v, %v", got, err)
	}
	// is_member_join_email_enabled is read-only on the newest server: a
	// body that sends it changes nothing.
	key := srv.NewAPIKey("organization:write")
	st, _, body := rawCall(t, srv, key, "PATCH", "/api/organizations/"+org.String()+"/", `{"is_member_join_email_enabled": false}`)
	if st != 200 || body["is_member_join_email_enabled"] != true {
		t.Errorf("legacy field: %d %v", st, body["is_member_join_email_enabled"])
	}
}

func TestFidelityDec09_OrganizationCreateBootstrapsProject(t *testing.T) {
	srv, c := newServerClient(t, "organization:write", "project:write")
	ctx := context.Background()
	created, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	projects := srv.Projects(created.ID)
	if len(projects) != 1 || len(created.Projects) != 1 || len(created.Teams) != 1 ||
		created.Projects[0].ID != projects[0].ID {
		t.Fatalf("a new organization has projects %+v (answer: %+v, teams %+v), want its first one", projects, created.Projects, created.Teams)
	}
	// On a plan without multiple projects, creating "its" project is the
	// second one: refused, as on PostHog.
	_, err = c.Projects.Create(ctx, created.ID, &posthogapi.ProjectCreate{Name: "Its project"})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("second project on a free plan: %v, want ErrPermissionDenied", err)
	}
	// The first project is there to configure instead.
	if _, err := c.Projects.Update(ctx, created.ID, projects[0].ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr("Its project")}); err != nil {
		t.Errorf("rename the first project: %v", err)
	}
}

func TestFidelityDec18_OrganizationNamesTrimmed(t *testing.T) {
	srv, c := newServerClient(t, "organization:write")
	ctx := context.Background()
	created, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: "  Acme  "})
	if err != nil || created.Name != "Acme" {
		t.Fatalf("create: %+v, %v", created, err)
	}
	updated, err := c.Organizations.Update(ctx, created.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr(" Acme Inc ")})
	if err != nil || updated.Name != "Acme Inc" {
		t.Fatalf("update: %+v, %v", updated, err)
	}
	// 64 characters plus spaces fit: the limit applies after trimming.
	if _, err := c.Organizations.Update(ctx, created.ID, &posthogapi.OrganizationUpdate{Name: posthogapi.Ptr(" " + strings.Repeat("a", 64) + " ")}); err != nil {
		t.Errorf("64 characters with spaces: %v", err)
	}
	for _, o := range srv.Organizations() {
		if o.ID == created.ID && o.Name != strings.Repeat("a", 64) {
			t.Errorf("stored name %q", o.Name)
		}
	}
}
