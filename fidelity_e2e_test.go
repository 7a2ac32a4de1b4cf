package posthogapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// The TestFidelityNN tests assert today's PostHog behaviour described in
// item NN of the server-fidelity note (November 2026), against posthogtest.

// rawCall sends one request to srv with key and returns the status, the
// headers and the decoded JSON body.
func rawCall(t *testing.T, srv *posthogtest.Server, key, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPServer().Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, resp.Header, m
}

func TestFidelity03_OwnerCannotLeaveOrBeRemoved(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization_member:write")
	second := srv.AddUser(posthogtest.UserSeed{Email: "second-owner@example.com"})
	srv.AddMember(org, second.UUID, posthogtest.LevelOwner)

	for name, user := range map[string]uuid.UUID{"leave": uuid.UUID(srv.DefaultUser().UUID), "remove another owner": uuid.UUID(second.UUID)} {
		err := c.Members.Delete(ctx, org, posthogapi.UserUUID(user))
		ae := wantAPIError(t, err, 400, "invalid_input", "")
		if !errors.Is(err, posthogapi.ErrValidation) || ae.Detail != "Cannot leave the organization as its owner!" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := srv.Members(org); len(got) != 2 {
		t.Fatalf("members = %+v", got)
	}
	// Demote first, then remove.
	if _, err := c.Members.Update(ctx, org, second.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := c.Members.Delete(ctx, org, second.UUID); err != nil {
		t.Fatalf("remove after demotion: %v", err)
	}
}

func TestFidelity04_GrantingOwnerKeepsGranterOwner(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "organization_member:write")
	u := srv.AddUser(posthogtest.UserSeed{Email: "next@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	if _, err := c.Members.Update(ctx, org, u.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelOwner}); err != nil {
		t.Fatal(err)
	}
	owners := 0
	for _, m := range srv.Members(org) {
		if m.Level == posthogtest.LevelOwner {
			owners++
		}
	}
	if owners != 2 {
		t.Errorf("%d owners, want 2: %+v", owners, srv.Members(org))
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

func TestFidelity09_UnscopedKeysRefusedByDefault(t *testing.T) {
	ctx := context.Background()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	org := srv.DefaultOrganization().ID
	c := e2eClient(t, srv, srv.NewAPIKey())
	if _, err := c.Members.List(ctx, org, nil); !errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("unscoped key: %v", err)
	}
	if _, err := c.Members.ScopedAPIKeys(ctx, org, srv.DefaultUser().UUID); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("unscoped key, action without scope: %v", err)
	}

	legacy := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	t.Cleanup(legacy.Close)
	lc := e2eClient(t, legacy, legacy.NewAPIKey())
	lorg := legacy.DefaultOrganization().ID
	if _, err := lc.Members.List(ctx, lorg, nil); err != nil {
		t.Errorf("legacy key: %v", err)
	}
	if _, err := lc.Members.ScopedAPIKeys(ctx, lorg, legacy.DefaultUser().UUID); err != nil {
		t.Errorf("legacy key, action without scope: %v", err)
	}
}

func TestFidelity10_ValidationCodeInvalidIsInvalidInput(t *testing.T) {
	ctx := context.Background()
	_, org, c := e2eServer(t, "organization:write")
	r, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Roles.AddUser(ctx, org, r.ID, posthogapi.UserUUID(uuid.New()))
	if ae := wantAPIError(t, err, 400, "invalid_input", ""); ae.Detail != "User does not exist." {
		t.Errorf("unknown user: %v", err)
	}
}

func TestFidelity11_MemberEditRules(t *testing.T) {
	srv, org, _ := e2eServer(t)
	member := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	other := srv.AddUser(posthogtest.UserSeed{Email: "other@example.com"})
	srv.AddMember(org, member.UUID, posthogtest.LevelMember)
	srv.AddMember(org, other.UUID, posthogtest.LevelMember)
	base := "/api/organizations/" + org.String() + "/members/"
	mkey := srv.NewAPIKeyFor(member.UUID, "organization_member:write")
	okey := srv.NewAPIKey("organization_member:write")
	for _, tc := range []struct {
		name, key, method, path, body, detail string
	}{
		{"member edits other, no level", mkey, "PATCH", base + other.UUID.String() + "/", `{}`, "You can only edit others if you are an admin."},
		{"member removes other", mkey, "DELETE", base + other.UUID.String() + "/", ``, "You can only edit others if you are an admin."},
		{"member re-sends own level", mkey, "PATCH", base + member.UUID.String() + "/", `{"level": 1}`, "You can't change your own access level."},
		{"owner re-sends own level", okey, "PATCH", base + "@me/", `{"level": 15}`, "You can't change your own access level."},
	} {
		st, _, body := rawCall(t, srv, tc.key, tc.method, tc.path, tc.body)
		if st != 403 || body["detail"] != tc.detail {
			t.Errorf("%s: %d %v", tc.name, st, body)
		}
	}
	if st, _, _ := rawCall(t, srv, mkey, "PATCH", base+"@me/", `{}`); st != 200 {
		t.Errorf("member patching self without level: %d", st)
	}
}

func TestFidelity12_MemberSearchAndFilters(t *testing.T) {
	srv, org, _ := e2eServer(t)
	u := srv.AddUser(posthogtest.UserSeed{Email: "grace.hopper@example.com", FirstName: "Grace"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	key := srv.NewAPIKey("organization_member:read")
	base := "/api/organizations/" + org.String() + "/members/"

	st, _, body := rawCall(t, srv, key, "GET", base+"?search=hopper", "")
	results, _ := body["results"].([]any)
	if st != 200 || len(results) != 1 || results[0].(map[string]any)["search_match_type"] != "exact" {
		t.Errorf("substring search: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base, "")
	if results, _ = body["results"].([]any); st != 200 || len(results) != 2 {
		t.Fatalf("list: %d %v", st, body)
	}
	if _, present := results[0].(map[string]any)["search_match_type"]; present {
		t.Errorf("search_match_type present without a search")
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?order=email", "")
	if results, _ = body["results"].([]any); st != 200 || len(results) != 2 ||
		results[0].(map[string]any)["user"].(map[string]any)["email"] != "grace.hopper@example.com" {
		t.Errorf("unknown order falls back to -joined_at: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?search="+strings.Repeat("s", 201), "")
	if st != 400 || body["code"] != "invalid_input" || body["attr"] != "search" || body["detail"] != "Search query must be 200 characters or fewer." {
		t.Errorf("long search: %d %v", st, body)
	}
	st, _, body = rawCall(t, srv, key, "GET", base+"?email=GRACE.HOPPER@example.com", "")
	if st != 200 || body["count"] != float64(0) {
		t.Errorf("email filter is exact: %d %v", st, body)
	}
}

func TestFidelity14_ThrottleDetailAndRetryAfter(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := start
	srv := posthogtest.NewServer(posthogtest.WithRateLimit(1, 0), posthogtest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	key := srv.NewAPIKey("organization:read")
	if st, _, _ := rawCall(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
		t.Fatal(st)
	}
	now = start.Add(59 * time.Second)
	st, h, body := rawCall(t, srv, key, "GET", "/api/organizations/", "")
	if st != 429 || h.Get("Retry-After") != "1" || body["detail"] != "Request was throttled. Expected available in 1 second." {
		t.Errorf("throttled: %d %v %v", st, h, body)
	}
	srv.InjectFault(posthogtest.Fault{Status: 429})
	if st, h, _ := rawCall(t, srv, key, "GET", "/api/organizations/", ""); st != 429 || h.Get("Retry-After") == "" {
		t.Errorf("injected 429 without Retry-After: %d %v", st, h)
	}
}

func TestFidelity14_DatabaseUnavailable(t *testing.T) {
	ctx := context.Background()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	org := srv.DefaultOrganization().ID
	c, err := srv.Client(srv.NewAPIKey("*"), posthogapi.WithMaxRetries(2))
	if err != nil {
		t.Fatal(err)
	}

	// The body as the newest server sends it.
	srv.InjectFault(posthogtest.FaultDatabaseUnavailable("GET", "", 1))
	st, h, body := rawCall(t, srv, srv.NewAPIKey("*"), "GET", "/api/organizations/", "")
	if st != 503 || h.Get("Retry-After") != "1" || body["type"] != "server_error" || body["code"] != "database_unavailable" {
		t.Fatalf("503: %d %v %v", st, h, body)
	}

	// A GET waits and is retried.
	srv.ResetRequests()
	srv.InjectFault(posthogtest.FaultDatabaseUnavailable("GET", "/api/organizations/", 1))
	if _, err := c.Organizations.Get(ctx, org); err != nil {
		t.Fatalf("GET after a 503: %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("GET sent %d times, want 2", n)
	}

	// A write is outcome-unknown and never re-sent, even when it committed.
	srv.ResetRequests()
	srv.InjectFault(posthogtest.Fault{Method: "POST", DatabaseUnavailable: true, CommitFirst: true})
	_, err = c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Committed"})
	if !errors.Is(err, posthogapi.ErrOutcomeUnknown) || !errors.Is(err, posthogapi.ErrServer) {
		t.Fatalf("write answered 503: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("write sent %d times, want 1", n)
	}
	roles, err := c.Roles.List(ctx, org, nil)
	if err != nil || roles.Count != 1 {
		t.Errorf("roles after the 503 = %+v, %v (the write committed)", roles, err)
	}
}

func TestFidelity14_OrganizationLevel403s(t *testing.T) {
	ctx := context.Background()
	srv, org, _ := e2eServer(t)
	other := srv.AddOrganization("Other", posthogapi.UserUUID(uuid.Nil))

	scoped := e2eClient(t, srv, srv.NewOrgScopedAPIKey([]posthogapi.OrganizationID{other.ID}, "*"))
	_, err := scoped.Members.List(ctx, org, nil)
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); !errors.Is(err, posthogapi.ErrOrganizationNotAllowed) ||
		ae.Detail != "API key does not have access to the requested organization: ID "+org.String()+"." {
		t.Errorf("org-scoped key: %v", err)
	}
	if _, err := scoped.Members.List(ctx, other.ID, nil); err != nil {
		t.Errorf("org-scoped key in its organization: %v", err)
	}

	projectKey := e2eClient(t, srv, srv.NewProjectScopedAPIKey([]posthogapi.ProjectID{1}, "*"))
	if _, err := projectKey.Organizations.Get(ctx, org); !errors.Is(err, posthogapi.ErrProjectScopedKey) || !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("project-scoped key: %v", err)
	}

	owner := e2eClient(t, srv, srv.NewAPIKey("*"))
	if _, err := owner.Organizations.Update(ctx, org, &posthogapi.OrganizationUpdate{MembersCanUsePersonalAPIKeys: posthogapi.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID, "*"))
	_, err = member.Members.List(ctx, org, nil)
	if ae := wantAPIError(t, err, 403, "permission_denied", ""); !errors.Is(err, posthogapi.ErrPersonalAPIKeysDisabled) ||
		ae.Detail != "Organization 'Test Organization' does not allow using personal API keys. Contact an admin to enable personal API keys for this organization." {
		t.Errorf("member key where keys are off: %v", err)
	}
	if _, err := owner.Members.List(ctx, org, nil); err != nil {
		t.Errorf("admins keep their keys: %v", err)
	}
}
