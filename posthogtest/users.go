package posthogtest

import (
	"net/http"
	"strings"
)

// The key's own user: /api/users/@me/ (PostHog: posthog/api/user.py
// UserViewSet, scope_object "user", retrieve is a read action).

func registerUsers(s *Server) {
	s.route("GET /api/users/{user_uuid}/{$}", "user:read", handleUserGet)
}

// handleUserGet answers the key's user for "@me". Another UUID is refused
// as PostHog refuses it to anyone but instance staff (this fake has none).
// PostHog: posthog/api/user.py UserViewSet.get_object.
func handleUserGet(rc *reqCtx) {
	if rc.r.PathValue("user_uuid") != "@me" {
		rc.forbidden("As a non-staff user you're only allowed to access the `@me` user instance.")
		return
	}
	rc.json(http.StatusOK, rc.s.userJSON(rc.user))
}

// userJSON is UserSerializer's answer for a request authenticated with a
// personal API key: no session, so the impersonation and session fields are
// null or false. PostHog: posthog/api/user.py UserSerializer.
func (s *Server) userJSON(u *user) map[string]any {
	var current any
	if u.currentOrg != nil && !u.currentOrg.deleted {
		current = orgJSON(s, u.currentOrg, u)
	}
	orgs := []map[string]any{}
	for _, o := range s.orgs {
		m := o.membership(u)
		if o.deleted || m == nil {
			continue
		}
		orgs = append(orgs, map[string]any{
			"id": o.id, "name": o.name, "slug": o.slug, "logo_media_id": o.logoMediaID,
			"membership_level": m.level, "members_can_use_personal_api_keys": o.membersCanUsePAK,
		})
	}
	var role any
	if u.role != "" {
		role = u.role
	}
	return map[string]any{
		"date_joined": u.dateJoined, "uuid": u.uuid, "distinct_id": u.distinctID,
		"first_name": u.firstName, "last_name": u.lastName, "email": u.email,
		"pending_email": nil, "is_email_verified": u.emailVerified,
		"notification_settings": map[string]any{"plugin_disabled": true, "all_weekly_digest_disabled": false,
			"project_weekly_digest_disabled": map[string]any{}, "error_tracking_issue_assigned": true},
		"anonymize_data": false, "toolbar_mode": "toolbar", "has_password": true, "id": u.id,
		"is_staff": false, "is_impersonated": false, "is_impersonated_until": nil,
		"sensitive_session_expires_at": nil, "team": nil, "organization": current, "organizations": orgs,
		"events_column_config": map[string]any{"active": "DEFAULT"}, "is_2fa_enabled": u.twoFA,
		"has_social_auth": u.socialAuth, "has_sso_enforcement": false, "has_seen_product_intro_for": nil,
		"scene_personalisation": []any{}, "theme_mode": nil, "hedgehog_config": nil,
		"allow_sidebar_suggestions": nil, "role_at_organization": role,
		"pending_invites": s.pendingInvitesFor(u),
		// Newest server: no impersonation or re-authentication on a key's
		// request; the key itself is a credential not yet reviewed; no
		// organization locks notifications here.
		"is_impersonated_read_only": nil, "is_impersonated_reason": nil, "fresh_reauth_expires_at": nil,
		"requires_credential_review": true, "notification_locks": []any{},
	}
}

// pendingInvitesFor lists the unexpired invites for u's address (in any
// case) to organizations u is not in, newest first, at most 25.
// PostHog: posthog/api/user.py UserSerializer.get_pending_invites
// (target_email__iexact, created within INVITE_DAYS_VALIDITY).
func (s *Server) pendingInvitesFor(u *user) []map[string]any {
	out := []map[string]any{}
	invites := sortedBy(s.areas.invite.invites, func(a, b *invite) bool { return a.createdAt.After(b.createdAt) })
	for _, inv := range invites {
		if len(out) == 25 {
			break
		}
		if inv.org.deleted || inv.org.membership(u) != nil || s.inviteExpired(inv) || !strings.EqualFold(inv.email, u.email) {
			continue
		}
		out = append(out, map[string]any{
			"id": inv.id, "target_email": inv.email, "organization_id": inv.org.id,
			"organization_name": inv.org.name, "created_at": inv.createdAt,
		})
	}
	return out
}
