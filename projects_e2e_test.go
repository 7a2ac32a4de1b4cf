package posthogapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func newProjectsServer(t *testing.T, scopes ...string) (*posthogtest.Server, *posthogapi.Client, posthogapi.OrganizationID) {
	t.Helper()
	srv := e2eStart(t)
	// A plan without a project limit, so projects can be added and PUT.
	srv.SetProjectLimit(srv.DefaultOrganization().ID, 0)
	c := retryingClient(t, srv, srv.NewAPIKey(scopes...))
	return srv, c, posthogapi.OrganizationID(uuid.UUID(srv.DefaultOrganization().ID))
}

func TestProjectsE2ELifecycle(t *testing.T) {
	srv, c, org := newProjectsServer(t, "project:write", "organization:read")
	ctx := context.Background()

	created, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{
		Name: "  Web app  ",
		ProjectSettings: posthogapi.ProjectSettings{
			Timezone:                   "Europe/Berlin",
			WeekStartDay:               posthogapi.NewNullable(posthogapi.WeekStartMonday),
			SessionRecordingSampleRate: posthogapi.NewNullable("0.5"),
			AppURLs:                    []string{"https://app.example.com"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != 1 || created.Name != "Web app" || created.Organization != org || created.Timezone != "Europe/Berlin" ||
		!strings.HasPrefix(created.APIToken, "phc_") || created.SecretAPIToken != nil {
		t.Fatalf("created = %+v", created)
	}
	if created.WeekStartDay == nil || *created.WeekStartDay != posthogapi.WeekStartMonday ||
		created.SessionRecordingSampleRate == nil || *created.SessionRecordingSampleRate != "0.50" {
		t.Errorf("settings = week %v rate %v", created.WeekStartDay, created.SessionRecordingSampleRate)
	}
	if created.EffectiveMembershipLevel == nil || *created.EffectiveMembershipLevel != posthogapi.MembershipLevelOwner {
		t.Errorf("effective level = %v", created.EffectiveMembershipLevel)
	}
	if len(created.DataAttributes) != 1 || created.DataAttributes[0] != "data-attr" || len(created.AvailableSetupTaskIDs) == 0 {
		t.Errorf("defaults = %v %v", created.DataAttributes, created.AvailableSetupTaskIDs)
	}

	got, err := c.Projects.Get(ctx, org, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.UUID != created.UUID || got.APIToken != created.APIToken || got.AppURLs[0] != "https://app.example.com" {
		t.Errorf("read back = %+v", got)
	}

	upd, err := c.Projects.Update(ctx, org, created.ID, &posthogapi.ProjectUpdate{
		Name: posthogapi.Ptr("Web app (prod)"),
		ProjectSettings: posthogapi.ProjectSettings{
			WeekStartDay:  posthogapi.Null[posthogapi.WeekStartDay](),
			AnonymizeIPs:  posthogapi.Ptr(true),
			BusinessModel: posthogapi.NewNullable(posthogapi.BusinessModelB2C),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Name != "Web app (prod)" || upd.WeekStartDay != nil || !upd.AnonymizeIPs || upd.BusinessModel == nil ||
		*upd.BusinessModel != posthogapi.BusinessModelB2C || upd.Timezone != "Europe/Berlin" || upd.UpdatedAt.Before(created.UpdatedAt) {
		t.Errorf("updated = %+v", upd)
	}
	rep, err := c.Projects.Replace(ctx, org, created.ID, &posthogapi.ProjectCreate{Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Name != "Web" || !rep.AnonymizeIPs {
		t.Errorf("replaced = name %q anonymize %v", rep.Name, rep.AnonymizeIPs)
	}

	second, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != 2 || second.APIToken == created.APIToken {
		t.Errorf("second = id %d token %q", second.ID, second.APIToken)
	}
	page, err := c.Projects.List(ctx, org, nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 2 || page.Results[0].Name != "Web" || page.Results[1].Name != "Mobile" || page.Results[0].Timezone != "Europe/Berlin" {
		t.Errorf("list = %+v", page)
	}
	found, err := c.Projects.List(ctx, org, &posthogapi.ProjectListOptions{Search: "mob"})
	if err != nil || found.Count != 1 || found.Results[0].ID != 2 {
		t.Errorf("search = %+v, %v", found, err)
	}

	o, err := c.Organizations.Get(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Projects) != 2 || o.Projects[0].ID != 1 || o.Projects[0].Name != "Web" || o.Projects[0].OrganizationID != org ||
		o.Projects[1].Name != "Mobile" {
		t.Errorf("organization projects = %+v", o.Projects)
	}
	if len(o.Teams) != 2 || o.Teams[0].ID != 1 || o.Teams[0].ProjectID != 1 || o.Teams[0].APIToken != created.APIToken ||
		o.Teams[0].Timezone != "Europe/Berlin" || o.Teams[1].Name != "Mobile" {
		t.Errorf("organization teams = %+v", o.Teams)
	}

	if err := c.Projects.Delete(ctx, org, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Projects.Get(ctx, org, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v, want ErrNotFound", err)
	}
	if err := c.Projects.Delete(ctx, org, created.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if o, err = c.Organizations.Get(ctx, org); err != nil || len(o.Projects) != 1 || o.Projects[0].ID != 2 {
		t.Errorf("organization projects after delete = %+v, %v", o, err)
	}
	if ps := srv.Projects(org); len(ps) != 1 || ps[0].Name != "Mobile" {
		t.Errorf("server projects = %+v", ps)
	}
}

func TestProjectsE2EAll(t *testing.T) {
	srv, c, org := newProjectsServer(t, "project:read")
	for _, n := range []string{"a", "b", "c"} {
		srv.AddProject(org, n)
	}
	var names []string
	for p, err := range c.Projects.All(context.Background(), org, &posthogapi.ProjectListOptions{ListOptions: posthogapi.ListOptions{Limit: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Errorf("names = %v", names)
	}
	var paged int
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/projects/") {
			paged++
		}
	}
	if paged != 3 {
		t.Errorf("%d page requests, want 3", paged)
	}
}

func TestProjectsE2EScopes(t *testing.T) {
	srv, reader, org := newProjectsServer(t, "project:read")
	ctx := context.Background()
	p := srv.AddProject(org, "Seeded")

	if _, err := reader.Projects.Get(ctx, org, p.ID); err != nil {
		t.Fatalf("read with project:read: %v", err)
	}
	var se *posthogapi.ScopeError
	_, err := reader.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "No"})
	if !errors.As(err, &se) || se.Scope != "project:write" || !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("create with project:read: %v", err)
	}
	_, err = reader.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr("No")})
	if !errors.As(err, &se) || se.Scope != "project:write" {
		t.Errorf("update with project:read: %v", err)
	}
	if err := reader.Projects.Delete(ctx, org, p.ID); !errors.As(err, &se) || se.Scope != "project:write" {
		t.Errorf("delete with project:read: %v", err)
	}

	other := retryingClient(t, srv, srv.NewAPIKey("organization:read"))
	if _, err := other.Projects.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "project:read" {
		t.Errorf("list with organization:read: %v", err)
	}
	if got := srv.Projects(org); len(got) != 1 || got[0].Name != "Seeded" {
		t.Errorf("projects changed by rejected calls: %+v", got)
	}
}

func TestProjectsE2EPersonalKeyRejected(t *testing.T) {
	srv, c, org := newProjectsServer(t, "*")
	ctx := context.Background()
	p := srv.AddProject(org, "Seeded")
	target := srv.AddOrganization("Target", posthogapi.UserUUID(uuid.Nil))
	calls := map[string]func() error{
		"ListActivity": func() error {
			_, err := c.Projects.ListActivity(ctx, org, p.ID, nil)
			return err
		},
		"ChangeOrganization": func() error {
			_, err := c.Projects.ChangeOrganization(ctx, org, p.ID, target.ID)
			return err
		},
		"GenerateConversationsPublicToken": func() error {
			_, err := c.Projects.GenerateConversationsPublicToken(ctx, org, p.ID)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var se *posthogapi.ScopeError
			if !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) || errors.As(err, &se) {
				t.Errorf("err = %v, want ErrPersonalAPIKeyNotSupported", err)
			}
		})
	}
	after := srv.Projects(org)
	if len(after) != 1 || after[0].APIToken != p.APIToken || after[0].SecretAPIToken != "" || len(srv.Projects(target.ID)) != 0 {
		t.Errorf("rejected actions changed state: %+v", after)
	}
}

func TestProjectsE2EProductIntents(t *testing.T) {
	srv, c, org := newProjectsServer(t, "project:read")
	ctx := context.Background()
	p := srv.AddProject(org, "Seeded")
	got, err := c.Projects.AddProductIntent(ctx, org, p.ID, &posthogapi.ProductIntentCreate{
		ProductType: posthogapi.ProductSessionReplay, Metadata: map[string]any{"from": "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ProductIntents) != 1 || got.ProductIntents[0].ProductType != posthogapi.ProductSessionReplay ||
		got.ProductIntents[0].OnboardingCompletedAt != nil {
		t.Errorf("intents = %+v", got.ProductIntents)
	}
	got, err = c.Projects.CompleteProductOnboarding(ctx, org, p.ID, &posthogapi.ProductIntentCreate{ProductType: posthogapi.ProductSessionReplay})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ProductIntents) != 1 || got.ProductIntents[0].OnboardingCompletedAt == nil ||
		got.HasCompletedOnboardingFor[string(posthogapi.ProductSessionReplay)] != true {
		t.Errorf("after onboarding: intents %+v, done %v", got.ProductIntents, got.HasCompletedOnboardingFor)
	}
	var ae *posthogapi.APIError
	if _, err := c.Projects.AddProductIntent(ctx, org, 99, &posthogapi.ProductIntentCreate{ProductType: "x"}); !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Errorf("intent on missing project: %v", err)
	}
}

func TestProjectsE2EServerValidation(t *testing.T) {
	_, c, org := newProjectsServer(t, "project:write")
	ctx := context.Background()
	var ae *posthogapi.APIError
	_, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Tz", ProjectSettings: posthogapi.ProjectSettings{Timezone: "Mars/Olympus_Mons"}})
	if !errors.Is(err, posthogapi.ErrValidation) || !errors.As(err, &ae) || ae.Attr != "timezone" || ae.Code != "invalid_choice" {
		t.Errorf("bad timezone: %v", err)
	}
	_, err = c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Nulls", ProjectSettings: posthogapi.ProjectSettings{
		PathCleaningFilters: posthogapi.NewNullable([]map[string]any{{"alias": "<id>", "regex": `\d+`}}),
	}})
	if err != nil {
		t.Errorf("valid filters rejected: %v", err)
	}
}

func TestProjectsE2EPermissions(t *testing.T) {
	srv, _, org := newProjectsServer(t)
	ctx := context.Background()
	p := srv.AddProject(org, "Seeded")
	m := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, m.UUID, posthogtest.LevelMember)
	c := retryingClient(t, srv, srv.NewAPIKeyFor(m.UUID, "project:write"))
	got, err := c.Projects.Get(ctx, org, p.ID)
	if err != nil || got.EffectiveMembershipLevel == nil || *got.EffectiveMembershipLevel != posthogapi.MembershipLevelMember {
		t.Fatalf("member get: %+v, %v", got, err)
	}
	// A plain member may change only the member-safe settings (see
	// TestFidelityDec10_MembersCannotChangeAdminSettings).
	if _, err := c.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{ProjectSettings: posthogapi.ProjectSettings{SessionRecordingOptIn: posthogapi.Ptr(true)}}); err != nil {
		t.Errorf("member update: %v", err)
	}
	var se *posthogapi.ScopeError
	err = c.Projects.Delete(ctx, org, p.ID)
	if !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.As(err, &se) {
		t.Errorf("member delete: %v, want a 403 that is not a scope error", err)
	}
	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Nope"}); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("member create: %v", err)
	}
	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Demo", ProjectSettings: posthogapi.ProjectSettings{IsDemo: posthogapi.Ptr(true)}}); err != nil {
		t.Errorf("member demo create: %v", err)
	}

	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	owner := retryingClient(t, srv, srv.NewAPIKey("project:read"))
	if _, err := owner.Projects.Get(ctx, other.ID, p.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("project under another organization: %v, want ErrNotFound", err)
	}
}

func TestFidelity14_EventIngestionRestrictionsE2E(t *testing.T) {
	srv, org, c := e2eServer(t, "project:read")
	ctx := context.Background()
	p := srv.AddProject(org, "Web")
	rs, err := c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID)
	if err != nil || rs == nil || len(rs) != 0 {
		t.Fatalf("empty = %#v, %v", rs, err)
	}
	srv.AddEventIngestionRestriction(org, p.ID, posthogtest.EventIngestionRestriction{RestrictionType: "drop_event_from_ingestion", DistinctIDs: []string{"bot"}})
	rs, err = c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID)
	if err != nil || len(rs) != 1 || rs[0].RestrictionType != "drop_event_from_ingestion" || rs[0].DistinctIDs[0] != "bot" || rs[0].EventNames == nil {
		t.Fatalf("restrictions = %+v, %v", rs, err)
	}
	if _, err := e2eClient(t, srv, srv.NewAPIKey("organization:read")).Projects.ListEventIngestionRestrictions(ctx, org, p.ID); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("without project:read: %v", err)
	}
	if _, err := c.Projects.ListEventIngestionRestrictions(ctx, org, p.ID+1000); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown project: %v", err)
	}
}

func TestFidelity05_ProjectReplaceRefusedByPlanLimit(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "project:write")
	p, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	const limitMsg = "You have reached the maximum limit of allowed projects for your current plan. Upgrade your plan to be able to create and manage more projects."
	_, err = c.Projects.Replace(ctx, org, p.ID, &posthogapi.ProjectCreate{Name: "Web"})
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); ae.Detail != limitMsg {
		t.Errorf("PUT on the default plan: %v", err)
	}
	if _, err := c.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr("Web app")}); err != nil {
		t.Errorf("PATCH is not limited: %v", err)
	}
	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Second"}); !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("second project on the default plan: %v", err)
	}
	srv.SetProjectLimit(org, 0)
	if _, err := c.Projects.Replace(ctx, org, p.ID, &posthogapi.ProjectCreate{Name: "Web"}); err != nil {
		t.Errorf("PUT without a limit: %v", err)
	}
}

func TestFidelity06_ProjectNamesUniquePerOrganization(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "project:write")
	srv.SetProjectLimit(org, 0)
	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Web"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "  wEB "})
	ae := wantAPIError(t, err, 409, "conflict", "")
	if !errors.Is(err, posthogapi.ErrConflict) || ae.Detail != `There is already a project called "wEB" in this organization. Choose a different name.` {
		t.Errorf("duplicate: %v", err)
	}
	mobile, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: " Mobile "})
	if err != nil || mobile.Name != "Mobile" {
		t.Fatalf("stripped name: %+v, %v", mobile, err)
	}
	if _, err := c.Projects.Update(ctx, org, mobile.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr("web")}); !errors.Is(err, posthogapi.ErrConflict) {
		t.Errorf("rename to a used name: %v", err)
	}
	if _, err := c.Projects.Update(ctx, org, mobile.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr("MOBILE")}); err != nil {
		t.Errorf("renaming a project to itself in other case: %v", err)
	}
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))
	srv.SetProjectLimit(other.ID, 0)
	if _, err := c.Projects.Create(ctx, other.ID, &posthogapi.ProjectCreate{Name: "Web"}); err != nil {
		t.Errorf("same name in another organization: %v", err)
	}
	// The name is optional on create; each default is unique.
	key := srv.NewAPIKey("project:write")
	path := "/api/organizations/" + org.String() + "/projects/"
	names := map[string]bool{}
	for range 2 {
		st, _, body := rawCall(t, srv, key, "POST", path, `{}`)
		name, _ := body["name"].(string)
		if st != 201 || name == "" || names[name] {
			t.Fatalf("default name: %d %v", st, body)
		}
		names[name] = true
	}
	if st, _, body := rawCall(t, srv, key, "POST", path, `{"name": "`+strings.Repeat("n", 201)+`"}`); st != 400 || body["code"] != "max_length" {
		t.Errorf("201 characters: %d %v", st, body)
	}
}

// TestProjectsAllActivityE2E walks a project's activity log with
// AllActivity and checks it against ListActivity's pages: same entries,
// same order, and Count is the total.
func TestProjectsAllActivityE2E(t *testing.T) {
	srv, org, c := e2eLegacyServer(t)
	srv.SetProjectLimit(org, 0)
	ctx := context.Background()
	p, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Activity"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if _, err := c.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{Name: posthogapi.Ptr(fmt.Sprintf("Activity %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var paged []string
	total := -1
	for page := 1; ; page++ {
		pg, err := c.Projects.ListActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 3, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		total = pg.Count
		for _, a := range pg.Results {
			paged = append(paged, a.ID.String())
		}
		if pg.Next == "" {
			break
		}
	}
	if total != 7 || len(paged) != 7 {
		t.Fatalf("count %d, %d entries; want 7 (create and 6 updates)", total, len(paged))
	}
	var walked []string
	for a, err := range c.Projects.AllActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, a.ID.String())
	}
	if fmt.Sprint(walked) != fmt.Sprint(paged) {
		t.Errorf("AllActivity = %v, pages = %v", walked, paged)
	}
}

// Documented difference (posthogtest/doc.go): PostHog deletes a project in
// the background, answering a second DELETE meanwhile with 400; the fake
// deletes at once, so the second DELETE is a 404 and the name is free.
func TestFidelityDecAlso_ProjectDeletionAtOnce(t *testing.T) {
	srv, c, org := newProjectsServer(t, "project:write")
	ctx := context.Background()
	p := srv.AddProject(org, "Web")
	if err := c.Projects.Delete(ctx, org, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Projects.Delete(ctx, org, p.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if _, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Web"}); err != nil {
		t.Errorf("the deleted project's name: %v", err)
	}
}
