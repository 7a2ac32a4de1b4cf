package posthogtest

import (
	"net/http"
	"slices"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// The organization-wide list of members' personal API keys, as PostHog
// serves it under /api/organizations/{organization_id}/personal_api_keys/
// (PH posthog/api/organization_personal_api_key.py
// OrganizationPersonalAPIKeyViewSet). posthogtest keys are never scoped to
// projects, so access_scope is "all" or "organization" here.

func registerPersonalAPIKeys(s *Server) {
	// PostHog: OrganizationPersonalAPIKeyViewSet has scope_object
	// "INTERNAL": personal API keys with scopes are rejected.
	s.route("GET /api/organizations/{organization_id}/personal_api_keys/{$}", noScope, handlePersonalAPIKeyList)
}

type personalAPIKeyState struct {
	// withheld lists the organizations without the organization security
	// settings feature.
	withheld map[uuid.UUID]bool
}

// SetPersonalAPIKeyListFeature sets whether the organization has the paid
// feature (organization security settings) the organization-wide personal
// API key list needs. It is on until this is called with false.
func (s *Server) SetPersonalAPIKeyListFeature(orgID posthogapi.OrganizationID, available bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.personalAPIKey
	if st.withheld == nil {
		st.withheld = map[uuid.UUID]bool{}
	}
	st.withheld[uuid.UUID(orgID)] = !available
}

// maskKey is PostHog's mask_key_value (posthog/models/utils.py): the first
// and last four characters.
func maskKey(v string) string {
	if len(v) < 16 {
		return "********"
	}
	return v[:4] + "..." + v[len(v)-4:]
}

func handlePersonalAPIKeyList(rc *reqCtx) {
	o, me := rc.orgFromPath()
	if o == nil {
		return
	}
	// PostHog: posthog/permissions.py OrganizationAdminReadPermissions
	// (admins only, reads included).
	if !rc.requireLevel(me, LevelAdmin) {
		return
	}
	// PostHog: posthog/permissions.py PremiumFeaturePermission checks the
	// user's current organization and raises EnterpriseFeatureException
	// (posthog/exceptions.py), a 402.
	if cur := rc.user.currentOrg; cur != nil && rc.s.areas.personalAPIKey.withheld[cur.id] {
		rc.error(http.StatusPaymentRequired, "invalid_request", "payment_required",
			"This feature is part of the premium PostHog offering. To use it, subscribe to PostHog Cloud with a generous free tier.", "")
		return
	}
	// PostHog: posthog/models/personal_api_key.py
	// get_organization_personal_api_keys: keys of the organization's
	// members that are unscoped or scoped to this organization.
	var keys []*apiKey
	for _, k := range rc.s.keys {
		if o.membership(k.user) == nil {
			continue
		}
		if len(k.orgs) > 0 && !slices.Contains(k.orgs, o.id) {
			continue
		}
		keys = append(keys, k)
	}
	// PostHog: OrganizationPersonalAPIKeyViewSet.safely_get_queryset
	// orders by -last_used_at, -created_at; Postgres puts NULLs first in a
	// descending order, so keys never used come first.
	slices.SortFunc(keys, func(a, b *apiKey) int {
		if c := descNullsFirst(a.lastUsedAt == nil, b.lastUsedAt == nil); c != 0 {
			return c
		}
		if a.lastUsedAt != nil {
			if c := b.lastUsedAt.Compare(*a.lastUsedAt); c != 0 {
				return c
			}
		}
		if c := b.createdAt.Compare(*a.createdAt); c != 0 {
			return c
		}
		return compareStrings(a.key, b.key)
	})
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		access := rc.s.keyAccessScope(k, o)
		scopes := k.scopes
		if scopes == nil {
			scopes = []string{}
		}
		out = append(out, map[string]any{
			"owner":        map[string]any{"first_name": k.user.firstName, "last_name": k.user.lastName, "email": k.user.email},
			"mask_value":   maskKey(k.key),
			"scopes":       scopes,
			"access_scope": access,
			"last_used_at": k.lastUsedAt,
			"created_at":   k.createdAt,
		})
	}
	page(rc, out)
}

// keyAccessScope is the key's access_scope in organization o: the
// projects of o it is scoped to, else "all" for a key scoped to nothing,
// else "organization".
// PostHog: posthog/api/organization_personal_api_key.py
// OrganizationPersonalAPIKeySerializer.get_access_scope.
func (s *Server) keyAccessScope(k *apiKey, o *org) map[string]any {
	var projects []map[string]any
	for _, id := range k.teams {
		if p := s.areas.projects.byID(id); p != nil && p.orgID == o.id {
			projects = append(projects, map[string]any{"id": id, "name": p.name})
		}
	}
	switch {
	case len(projects) > 0:
		return map[string]any{"type": "projects", "projects": projects}
	case len(k.orgs) == 0 && len(k.teams) == 0:
		return map[string]any{"type": "all"}
	}
	return map[string]any{"type": "organization"}
}

func descNullsFirst(aNull, bNull bool) int {
	switch {
	case aNull && !bNull:
		return -1
	case !aNull && bNull:
		return 1
	}
	return 0
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
