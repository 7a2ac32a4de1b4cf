package posthogapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	orgID  = uuid.MustParse("0196a1b2-0000-7000-8000-00000000a001")
	userID = uuid.MustParse("0196a1b2-0000-7000-8000-00000000b001")
)

// orgJSON is an organization as PostHog sends it (member_count an integer,
// metadata an object, unlike the schema).
const orgJSON = `{
  "id": "0196a1b2-0000-7000-8000-00000000a001",
  "name": "Hedgebox",
  "slug": "hedgebox",
  "logo_media_id": null,
  "created_at": "2024-03-01T10:00:00.123456Z",
  "updated_at": "2024-03-02T11:00:00Z",
  "membership_level": 15,
  "plugins_access_level": 9,
  "teams": [{"id": 2, "uuid": "0196a1b2-0000-7000-8000-0000000000c2", "organization": "0196a1b2-0000-7000-8000-00000000a001", "project_id": 2, "api_token": "phc_abc", "name": "Production", "is_demo": false, "timezone": "UTC"}],
  "projects": [{"id": 2, "organization_id": "0196a1b2-0000-7000-8000-00000000a001", "name": "Hedgebox"}],
  "available_product_features": [{"key": "sso_enforcement", "name": "SSO enforcement"}],
  "is_member_join_email_enabled": true,
  "metadata": {"instance_tag": "none"},
  "customer_id": "cus_123",
  "enforce_2fa": null,
  "members_can_invite": true,
  "members_can_use_personal_api_keys": true,
  "allow_publicly_shared_resources": false,
  "member_count": 42,
  "is_ai_data_processing_approved": true,
  "default_experiment_stats_method": "bayesian",
  "default_anonymize_ips": false,
  "default_role_id": null,
  "is_active": true,
  "is_not_active_reason": null,
  "some_future_field": {"ignored": true}
}`

func checkOrg(t *testing.T, o *Organization) {
	t.Helper()
	if o.ID != OrganizationID(orgID) || o.Name != "Hedgebox" || o.Slug != "hedgebox" {
		t.Errorf("identity = %v %q %q", o.ID, o.Name, o.Slug)
	}
	if o.MemberCount != 42 {
		t.Errorf("MemberCount = %d", o.MemberCount)
	}
	if o.MembershipLevel == nil || *o.MembershipLevel != MembershipLevelOwner {
		t.Errorf("MembershipLevel = %v", o.MembershipLevel)
	}
	if o.Metadata["instance_tag"] != "none" {
		t.Errorf("Metadata = %v", o.Metadata)
	}
	if o.Enforce2FA != nil || o.MembersCanInvite == nil || !*o.MembersCanInvite {
		t.Errorf("nullable bools = %v %v", o.Enforce2FA, o.MembersCanInvite)
	}
	if want := time.Date(2024, 3, 1, 10, 0, 0, 123456000, time.UTC); !o.CreatedAt.Equal(want) {
		t.Errorf("CreatedAt = %v", o.CreatedAt)
	}
	if len(o.Teams) != 1 || o.Teams[0].APIToken != "phc_abc" || o.Teams[0].ProjectID != 2 {
		t.Errorf("Teams = %+v", o.Teams)
	}
	if len(o.Projects) != 1 || o.Projects[0].Name != "Hedgebox" {
		t.Errorf("Projects = %+v", o.Projects)
	}
	if o.DefaultExperimentStatsMethod == nil || *o.DefaultExperimentStatsMethod != ExperimentStatsBayesian {
		t.Errorf("DefaultExperimentStatsMethod = %v", o.DefaultExperimentStatsMethod)
	}
	if o.PluginsAccessLevel != PluginsAccessRoot || o.CustomerID == nil || *o.CustomerID != "cus_123" {
		t.Errorf("PluginsAccessLevel/CustomerID = %v %v", o.PluginsAccessLevel, o.CustomerID)
	}
}

func TestOrganizationsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+orgJSON+`]}`, "limit=10&offset=20", ""))
	p, err := c.Organizations.List(context.Background(), &ListOptions{Limit: 10, Offset: 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 1 || p.Next != "" || len(p.Results) != 1 {
		t.Fatalf("page = %+v", p)
	}
	checkOrg(t, &p.Results[0])
}

func TestOrganizationsAll(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(""), respond(t, 200,
		`{"count": 1, "next": null, "previous": null, "results": [`+orgJSON+`]}`, "", ""))
	n := 0
	for o, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		checkOrg(t, o)
		n++
	}
	if n != 1 {
		t.Fatalf("got %d organizations", n)
	}
}

func TestOrganizationsGet(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(orgID.String()+"/"), respond(t, 200, orgJSON, "", ""))
	o, err := c.Organizations.Get(context.Background(), OrganizationID(orgID))
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
}

func TestOrganizationsGetCurrent(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api("@current/"), respond(t, 200, orgJSON, "", ""))
	o, err := c.Organizations.GetCurrent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
}

func TestOrganizationsCreate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(""), respond(t, 201, orgJSON, "",
		`{"name": "Hedgebox", "enforce_2fa": true, "default_role_id": null, "members_can_use_personal_api_keys": false}`))
	o, err := c.Organizations.Create(context.Background(), &OrganizationCreate{
		Name:                         "Hedgebox",
		Enforce2FA:                   NewNullable(true),
		DefaultRoleID:                Null[RoleID](),
		MembersCanUsePersonalAPIKeys: Ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
}

func TestOrganizationsUpdate(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", api(orgID.String()+"/"), respond(t, 200, orgJSON, "",
		`{"name": "Renamed", "logo_media_id": null, "default_experiment_stats_method": "frequentist"}`))
	o, err := c.Organizations.Update(context.Background(), OrganizationID(orgID), &OrganizationUpdate{
		Name:                         Ptr("Renamed"),
		LogoMediaID:                  Null[MediaID](),
		DefaultExperimentStatsMethod: NewNullable(ExperimentStatsFrequentist),
	})
	if err != nil {
		t.Fatal(err)
	}
	checkOrg(t, o)
}

func TestOrganizationsReplace(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PUT", api(orgID.String()+"/"), respond(t, 200, orgJSON, "", `{"name": "Hedgebox"}`))
	if _, err := c.Organizations.Replace(context.Background(), OrganizationID(orgID), &OrganizationCreate{Name: "Hedgebox"}); err != nil {
		t.Fatal(err)
	}
}

func TestOrganizationsDelete(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", api(orgID.String()+"/"), respond(t, 204, "", "", ""))
	if err := c.Organizations.Delete(context.Background(), OrganizationID(orgID)); err != nil {
		t.Fatal(err)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Fatalf("calls = %d", mt.GetTotalCallCount())
	}
}

func TestOrganizationsEnvironmentsRollback(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(orgID.String()+"/environments_rollback/"), respond(t, 202,
		`{"success": true, "message": "Migration started"}`, "", `{"2": 2, "116911": 2}`))
	r, err := c.Organizations.EnvironmentsRollback(context.Background(), OrganizationID(orgID), map[ProjectID]ProjectID{2: 2, 116911: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Success || r.Message != "Migration started" {
		t.Fatalf("result = %+v", r)
	}
}

func TestOrganizationsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	long := string(make([]rune, 65))
	for name, call := range map[string]func() error{
		"nil id get": func() error { _, err := c.Organizations.Get(ctx, OrganizationID(uuid.Nil)); return err },
		"nil create": func() error { _, err := c.Organizations.Create(ctx, nil); return err },
		"empty name": func() error { _, err := c.Organizations.Create(ctx, &OrganizationCreate{Name: " "}); return err },
		"long name":  func() error { _, err := c.Organizations.Create(ctx, &OrganizationCreate{Name: long}); return err },
		"nil update": func() error { _, err := c.Organizations.Update(ctx, OrganizationID(orgID), nil); return err },
		"empty rename": func() error {
			_, err := c.Organizations.Update(ctx, OrganizationID(orgID), &OrganizationUpdate{Name: Ptr("")})
			return err
		},
		"replace no name": func() error {
			_, err := c.Organizations.Replace(ctx, OrganizationID(orgID), &OrganizationCreate{})
			return err
		},
		"nil delete": func() error { return c.Organizations.Delete(ctx, OrganizationID(uuid.Nil)) },
		"empty rollback": func() error {
			_, err := c.Organizations.EnvironmentsRollback(ctx, OrganizationID(orgID), nil)
			return err
		},
		"nil ctx": func() error {
			//lint:ignore SA1012 a nil context is the bad input under test
			_, err := c.Organizations.Get(nil, OrganizationID(orgID))
			return err
		},
		"nil rollback org": func() error {
			_, err := c.Organizations.EnvironmentsRollback(ctx, OrganizationID(uuid.Nil), map[ProjectID]ProjectID{1: 1})
			return err
		},
	} {
		if err := call(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

func TestMembershipLevel(t *testing.T) {
	for in, want := range map[string]MembershipLevel{"member": 1, "Admin": 8, "administrator": 8, "15": 15, " owner ": 15} {
		got, err := ParseMembershipLevel(in)
		if err != nil || got != want {
			t.Errorf("ParseMembershipLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseMembershipLevel("root"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("root: %v", err)
	}
	if MembershipLevelAdmin.String() != "admin" || MembershipLevel(3).String() != "level(3)" || MembershipLevel(3).Valid() {
		t.Error("String/Valid")
	}
}
