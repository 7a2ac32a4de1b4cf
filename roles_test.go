package posthogapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	roleOrg    = uuid.MustParse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
	roleID     = uuid.MustParse("0190a1b2-0000-7000-8000-00000000a001")
	roleMember = uuid.MustParse("0190a1b2-0000-7000-8000-00000000b001")
	roleUser   = uuid.MustParse("0190a1b2-0000-7000-8000-00000000c001")
)

// roleMembershipJSON is a role membership as PostHog sends it.
const roleMembershipJSON = `{
	"id": "0190a1b2-0000-7000-8000-00000000b001",
	"role_id": "0190a1b2-0000-7000-8000-00000000a001",
	"organization_member": {
		"id": "0190a1b2-0000-7000-8000-00000000d001",
		"user": {"id": 42, "uuid": "0190a1b2-0000-7000-8000-00000000c001", "distinct_id": "d-42",
			"first_name": "Mo", "last_name": "Member", "email": "mo@example.com",
			"is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"},
		"level": 1,
		"joined_at": "2025-01-02T03:04:05.123456Z",
		"updated_at": "2025-01-02T03:04:05.123456Z",
		"is_2fa_enabled": false,
		"has_social_auth": true,
		"last_login": null
	},
	"user": {"id": 42, "uuid": "0190a1b2-0000-7000-8000-00000000c001", "distinct_id": "d-42",
		"first_name": "Mo", "last_name": "Member", "email": "mo@example.com",
		"is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"},
	"joined_at": "2025-02-03T04:05:06Z",
	"updated_at": "2025-02-03T04:05:07Z"
}`

const roleJSON = `{
	"id": "0190a1b2-0000-7000-8000-00000000a001",
	"name": "Engineers",
	"created_at": "2025-01-01T00:00:00Z",
	"created_by": {"id": 1, "uuid": "0190a1b2-0000-7000-8000-00000000c000", "distinct_id": "d-1",
		"first_name": "Olive", "last_name": "Owner", "email": "owner@example.com",
		"is_email_verified": true, "hedgehog_config": null, "role_at_organization": null},
	"members": [` + roleMembershipJSON + `],
	"is_default": true
}`

func checkRole(t *testing.T, r *Role) {
	t.Helper()
	if r.ID != RoleID(roleID) || r.Name != "Engineers" || !r.IsDefault {
		t.Errorf("role = %+v", r)
	}
	if !r.CreatedAt.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("created_at = %v", r.CreatedAt)
	}
	if r.CreatedBy == nil || r.CreatedBy.Email != "owner@example.com" || r.CreatedBy.ID != 1 {
		t.Errorf("created_by = %+v", r.CreatedBy)
	}
	if len(r.Members) != 1 {
		t.Fatalf("members = %d", len(r.Members))
	}
	checkRoleMembership(t, &r.Members[0])
}

func checkRoleMembership(t *testing.T, m *RoleMembership) {
	t.Helper()
	if m.ID != RoleMembershipID(roleMember) || m.RoleID != RoleID(roleID) || m.User.UUID != UserUUID(roleUser) || m.User.Email != "mo@example.com" {
		t.Errorf("membership = %+v", m)
	}
	if m.OrganizationMember == nil || m.OrganizationMember.Level != MembershipLevelMember || !m.OrganizationMember.HasSocialAuth {
		t.Errorf("organization_member = %+v", m.OrganizationMember)
	}
	if !m.JoinedAt.Equal(time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)) || !m.UpdatedAt.Equal(time.Date(2025, 2, 3, 4, 5, 7, 0, time.UTC)) {
		t.Errorf("times = %v %v", m.JoinedAt, m.UpdatedAt)
	}
}

func rolesURL(rest string) string { return api(roleOrg.String() + "/roles/" + rest) }

func TestRolesList(t *testing.T) {
	c, mt := newMockClient(t)
	body := `{"count": 3, "next": null, "previous": "` + rolesURL("?limit=2") + `", "results": [` + roleJSON + `,
		{"id": "0190a1b2-0000-7000-8000-00000000a002", "name": "Hidden", "created_at": "2025-01-01T00:00:00Z",
		 "created_by": null, "members": [], "is_default": false}]}`
	mt.RegisterResponder(http.MethodGet, rolesURL(""), respond(t, 200, body, "limit=2&offset=2", ""))
	p, err := c.Roles.List(context.Background(), OrganizationID(roleOrg), &ListOptions{Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 3 || len(p.Results) != 2 {
		t.Fatalf("page = %+v", p)
	}
	checkRole(t, &p.Results[0])
	if h := p.Results[1]; h.CreatedBy != nil || h.IsDefault || h.Members == nil || len(h.Members) != 0 {
		t.Errorf("second role = %+v", h)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("calls = %d", n)
	}
}

func TestRolesAll(t *testing.T) {
	c, mt := newMockClient(t)
	page1 := `{"count": 2, "next": "` + rolesURL("?limit=1&offset=1") + `", "previous": null, "results": [` + roleJSON + `]}`
	page2 := `{"count": 2, "next": null, "previous": null, "results": [{"id": "0190a1b2-0000-7000-8000-00000000a002", "name": "Second",
		"created_at": "2025-01-01T00:00:00Z", "created_by": null, "members": [], "is_default": false}]}`
	mt.RegisterResponder(http.MethodGet, rolesURL(""), func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("offset") == "1" {
			return respond(t, 200, page2, "limit=1&offset=1", "")(req)
		}
		return respond(t, 200, page1, "limit=1", "")(req)
	})
	var names []string
	for r, err := range c.Roles.All(context.Background(), OrganizationID(roleOrg), &ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "Engineers,Second" {
		t.Errorf("names = %v", names)
	}
}

func TestRoleGetCreateUpdateReplaceDelete(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	one := rolesURL(roleID.String() + "/")
	mt.RegisterResponder(http.MethodGet, one, respond(t, 200, roleJSON, "", ""))
	mt.RegisterResponder(http.MethodPost, rolesURL(""), respond(t, 201, roleJSON, "", `{"name": "Engineers"}`))
	mt.RegisterResponder(http.MethodPatch, one, respond(t, 200, roleJSON, "", `{"name": "Engineers"}`))
	mt.RegisterResponder(http.MethodPut, one, respond(t, 200, roleJSON, "", `{"name": "Engineers"}`))
	mt.RegisterResponder(http.MethodDelete, one, respond(t, 204, "", "", ""))

	r, err := c.Roles.Get(ctx, OrganizationID(roleOrg), RoleID(roleID))
	if err != nil {
		t.Fatal(err)
	}
	checkRole(t, r)
	if r, err = c.Roles.Create(ctx, OrganizationID(roleOrg), &RoleCreate{Name: "Engineers"}); err != nil {
		t.Fatal(err)
	}
	checkRole(t, r)
	if r, err = c.Roles.Update(ctx, OrganizationID(roleOrg), RoleID(roleID), &RoleUpdate{Name: Ptr("Engineers")}); err != nil {
		t.Fatal(err)
	}
	checkRole(t, r)
	if r, err = c.Roles.Replace(ctx, OrganizationID(roleOrg), RoleID(roleID), &RoleCreate{Name: "Engineers"}); err != nil {
		t.Fatal(err)
	}
	checkRole(t, r)
	if err := c.Roles.Delete(ctx, OrganizationID(roleOrg), RoleID(roleID)); err != nil {
		t.Fatal(err)
	}
	info := mt.GetCallCountInfo()
	for _, k := range []string{"GET " + one, "POST " + rolesURL(""), "PATCH " + one, "PUT " + one, "DELETE " + one} {
		if info[k] != 1 {
			t.Errorf("%s called %d times", k, info[k])
		}
	}
}

func TestRoleUpdateEmptyPatchSendsEmptyObject(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPatch, rolesURL(roleID.String()+"/"), respond(t, 200, roleJSON, "", `{}`))
	if _, err := c.Roles.Update(context.Background(), OrganizationID(roleOrg), RoleID(roleID), &RoleUpdate{}); err != nil {
		t.Fatal(err)
	}
}

func TestRoleUniqueNameError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, rolesURL(""), respond(t, 400,
		`{"type": "validation_error", "code": "unique", "detail": "There is already a role with this name.", "attr": "name"}`, "", `{"name": "ENGINEERS"}`))
	_, err := c.Roles.Create(context.Background(), OrganizationID(roleOrg), &RoleCreate{Name: "ENGINEERS"})
	var ae *APIError
	if !errors.Is(err, ErrValidation) || !errors.As(err, &ae) || ae.Code != "unique" || ae.Attr != "name" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(ae.Path, "/ph/api/organizations/"+roleOrg.String()+"/roles/") {
		t.Errorf("path = %q", ae.Path)
	}
	assertNoCanary(t, err.Error())
}

func TestRoleValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	long := strings.Repeat("é", MaxRoleNameLength+1)
	ok := strings.Repeat("é", MaxRoleNameLength)
	cases := map[string]func() error{
		"nil org":     func() error { _, err := c.Roles.List(ctx, OrganizationID(uuid.Nil), nil); return err },
		"nil role id": func() error { _, err := c.Roles.Get(ctx, OrganizationID(roleOrg), RoleID(uuid.Nil)); return err },
		"empty name":  func() error { _, err := c.Roles.Create(ctx, OrganizationID(roleOrg), &RoleCreate{}); return err },
		"blank name": func() error {
			_, err := c.Roles.Create(ctx, OrganizationID(roleOrg), &RoleCreate{Name: " \t"})
			return err
		},
		"long name": func() error {
			_, err := c.Roles.Create(ctx, OrganizationID(roleOrg), &RoleCreate{Name: long})
			return err
		},
		"nil create": func() error { _, err := c.Roles.Create(ctx, OrganizationID(roleOrg), nil); return err },
		"nil update": func() error { _, err := c.Roles.Update(ctx, OrganizationID(roleOrg), RoleID(roleID), nil); return err },
		"long patch": func() error {
			_, err := c.Roles.Update(ctx, OrganizationID(roleOrg), RoleID(roleID), &RoleUpdate{Name: &long})
			return err
		},
		"empty put": func() error {
			_, err := c.Roles.Replace(ctx, OrganizationID(roleOrg), RoleID(roleID), &RoleCreate{})
			return err
		},
		"delete nil id": func() error { return c.Roles.Delete(ctx, OrganizationID(roleOrg), RoleID(uuid.Nil)) },
		"add nil user": func() error {
			_, err := c.Roles.AddUser(ctx, OrganizationID(roleOrg), RoleID(roleID), UserUUID(uuid.Nil))
			return err
		},
		"add nil role": func() error {
			_, err := c.Roles.AddUser(ctx, OrganizationID(roleOrg), RoleID(uuid.Nil), UserUUID(roleUser))
			return err
		},
		"get nil member": func() error {
			_, err := c.Roles.GetMembership(ctx, OrganizationID(roleOrg), RoleID(roleID), RoleMembershipID(uuid.Nil))
			return err
		},
		"remove nil id": func() error {
			return c.Roles.RemoveMembership(ctx, OrganizationID(roleOrg), RoleID(roleID), RoleMembershipID(uuid.Nil))
		},
		"list nil role": func() error {
			_, err := c.Roles.ListMemberships(ctx, OrganizationID(roleOrg), RoleID(uuid.Nil), nil)
			return err
		},
		"all nil org": func() error {
			for _, err := range c.Roles.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
		"all memberships nil role": func() error {
			for _, err := range c.Roles.AllMemberships(ctx, OrganizationID(roleOrg), RoleID(uuid.Nil), nil) {
				return err
			}
			return nil
		},
	}
	for name, f := range cases {
		if err := f(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if err := (&RoleCreate{Name: ok}).validate(); err != nil {
		t.Errorf("200-character name rejected: %v", err)
	}
}

func TestRoleMemberships(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	list := rolesURL(roleID.String() + "/role_memberships/")
	one := list + roleMember.String() + "/"
	legacy := `{"id": "0190a1b2-0000-7000-8000-00000000b002", "role_id": "0190a1b2-0000-7000-8000-00000000a001",
		"organization_member": null,
		"user": {"id": 7, "uuid": "0190a1b2-0000-7000-8000-00000000c007", "distinct_id": null, "first_name": "",
			"last_name": "", "email": "old@example.com", "is_email_verified": null, "hedgehog_config": null,
			"role_at_organization": null},
		"joined_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"}`
	mt.RegisterResponder(http.MethodGet, list, respond(t, 200,
		`{"count": 2, "next": null, "previous": null, "results": [`+roleMembershipJSON+`,`+legacy+`]}`, "limit=10", ""))
	mt.RegisterResponder(http.MethodPost, list, respond(t, 201, roleMembershipJSON, "", `{"user_uuid": "`+roleUser.String()+`"}`))
	mt.RegisterResponder(http.MethodGet, one, respond(t, 200, roleMembershipJSON, "", ""))
	mt.RegisterResponder(http.MethodDelete, one, respond(t, 204, "", "", ""))

	p, err := c.Roles.ListMemberships(ctx, OrganizationID(roleOrg), RoleID(roleID), &ListOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 2 || len(p.Results) != 2 {
		t.Fatalf("page = %+v", p)
	}
	checkRoleMembership(t, &p.Results[0])
	if l := p.Results[1]; l.OrganizationMember != nil || l.User.DistinctID != nil || l.User.Email != "old@example.com" {
		t.Errorf("legacy membership = %+v", l)
	}
	n := 0
	for m, err := range c.Roles.AllMemberships(ctx, OrganizationID(roleOrg), RoleID(roleID), &ListOptions{Limit: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 1 {
			checkRoleMembership(t, m)
		}
	}
	if n != 2 {
		t.Errorf("AllMemberships yielded %d", n)
	}
	m, err := c.Roles.AddUser(ctx, OrganizationID(roleOrg), RoleID(roleID), UserUUID(roleUser))
	if err != nil {
		t.Fatal(err)
	}
	checkRoleMembership(t, m)
	if m, err = c.Roles.GetMembership(ctx, OrganizationID(roleOrg), RoleID(roleID), RoleMembershipID(roleMember)); err != nil {
		t.Fatal(err)
	}
	checkRoleMembership(t, m)
	if err := c.Roles.RemoveMembership(ctx, OrganizationID(roleOrg), RoleID(roleID), RoleMembershipID(roleMember)); err != nil {
		t.Fatal(err)
	}
	info := mt.GetCallCountInfo()
	if info["POST "+list] != 1 || info["GET "+one] != 1 || info["DELETE "+one] != 1 {
		t.Errorf("calls = %v", info)
	}
}

func TestRoleAddMemberErrors(t *testing.T) {
	c, mt := newMockClient(t)
	list := rolesURL(roleID.String() + "/role_memberships/")
	mt.RegisterResponder(http.MethodPost, list, respond(t, 400,
		`{"type": "validation_error", "code": "invalid_input", "detail": "User is already part of the role.", "attr": null}`, "", ""))
	_, err := c.Roles.AddUser(context.Background(), OrganizationID(roleOrg), RoleID(roleID), UserUUID(roleUser))
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrValidation) || ae.Detail != "User is already part of the role." || ae.Attr != "" {
		t.Fatalf("err = %v", err)
	}
	// A POST is never retried after a 5xx.
	mt.RegisterResponder(http.MethodPost, list, respond(t, 502, `{"detail": "bad gateway"}`, "", ""))
	mt.ZeroCallCounters()
	if _, err := c.Roles.AddUser(context.Background(), OrganizationID(roleOrg), RoleID(roleID), UserUUID(roleUser)); !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("POST sent %d times", n)
	}
}
