package posthogapi

import (
	"context"
	"errors"
	"testing"
)

// meJSON is /api/users/@me/ as PostHog answers a personal API key
// (posthog/api/user.py UserSerializer; no session, so the impersonation and
// session fields are null).
const meJSON = `{
  "date_joined": "2024-01-02T03:04:05.123456Z",
  "uuid": "0196a1b2-0000-7000-8000-00000000b001",
  "distinct_id": "d1",
  "first_name": "Olive",
  "last_name": "Owner",
  "email": "Olive@example.com",
  "pending_email": null,
  "is_email_verified": true,
  "notification_settings": {"plugin_disabled": true},
  "anonymize_data": false,
  "toolbar_mode": "toolbar",
  "has_password": true,
  "id": 7,
  "is_staff": false,
  "is_impersonated": false,
  "is_impersonated_until": null,
  "sensitive_session_expires_at": null,
  "team": null,
  "organization": ` + orgJSON + `,
  "organizations": [{"id": "0196a1b2-0000-7000-8000-00000000a001", "name": "Hedgebox", "slug": "hedgebox", "logo_media_id": null, "membership_level": 15, "members_can_use_personal_api_keys": true}],
  "events_column_config": {"active": "DEFAULT"},
  "is_2fa_enabled": true,
  "has_social_auth": false,
  "has_sso_enforcement": false,
  "has_seen_product_intro_for": null,
  "scene_personalisation": [],
  "theme_mode": null,
  "hedgehog_config": null,
  "allow_sidebar_suggestions": null,
  "role_at_organization": "engineering",
  "pending_invites": [{"id": "0196a1b2-0000-7000-8000-00000000c001", "target_email": "olive@example.com", "organization_id": "0196a1b2-0000-7000-8000-00000000a002", "organization_name": "Other", "created_at": "2024-01-03T00:00:00Z"}]
}`

func TestUsersMe(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/api/users/@me/", respond(t, 200, meJSON, "", ""))
	u, err := c.Users.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.UUID.UUID() != userID || u.ID != 7 || u.Email != "Olive@example.com" || !u.Is2FAEnabled || u.IsStaff {
		t.Errorf("user = %+v", u)
	}
	if u.Organization == nil || u.Organization.ID.UUID() != orgID || len(u.Organizations) != 1 ||
		u.Organizations[0].MembershipLevel == nil || *u.Organizations[0].MembershipLevel != MembershipLevelOwner {
		t.Errorf("organizations = %+v / %+v", u.Organization, u.Organizations)
	}
	if u.RoleAtOrganization == nil || *u.RoleAtOrganization != RoleAtOrganizationEngineering ||
		len(u.PendingInvites) != 1 || u.PendingInvites[0].OrganizationName != "Other" {
		t.Errorf("role and invites = %v %+v", u.RoleAtOrganization, u.PendingInvites)
	}
	if u.DateJoined.Year() != 2024 || u.PendingEmail != nil {
		t.Errorf("dates = %v %v", u.DateJoined, u.PendingEmail)
	}
}

func TestUsersMeMissingScope(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/api/users/@me/", respond(t, 403,
		`{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'user:read'","attr":null}`, "", ""))
	_, err := c.Users.Me(context.Background())
	var se *ScopeError
	if !errors.As(err, &se) || se.Scope != "user:read" {
		t.Errorf("err = %v, want a ScopeError for user:read", err)
	}
}
