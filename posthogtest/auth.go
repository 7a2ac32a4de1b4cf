package posthogtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// apiKey is a personal API key.
type apiKey struct {
	key    string
	user   *user
	scopes []string
	orgs   []uuid.UUID
	// createdAt and lastUsedAt feed the organization's key list
	// (personalapikeys.go); lastUsedAt is nil until the key is used.
	createdAt, lastUsedAt *time.Time
	teams                 []int64
}

// LegacyUnscopedKeys makes keys with no scopes at all behave as PostHog's
// older servers treated legacy personal API keys: allowed everything, even
// actions that take no personal API key. It models only a self-hosted
// PostHog older than migration 1052_migrate_legacy_personal_api_key_scopes:
// that migration gave every key without scopes the scope "*", and the
// newest APIScopePermission (posthog/permissions.py) has no legacy
// shortcut, so on PostHog Cloud and every current server no key is
// unscoped and actions without a scope refuse every personal API key.
// Without this option (the default) a key with no scopes is refused
// everywhere, as the newest server would refuse it. Clients made with
// Server.Client on such a server are made posthogapi.WithLegacyUnscopedKey.
func LegacyUnscopedKeys() Option { return func(s *Server) { s.legacyUnscoped = true } }

// NewAPIKey returns a new personal API key of the default user with the
// given scopes, treated as PostHog treats them: "x:write" also grants
// "x:read" and "*" grants everything. A key with no scopes is refused
// everywhere (403 "API key missing required scope ..."), unless the server
// was started with LegacyUnscopedKeys.
func (s *Server) NewAPIKey(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newKey(s.defUser, scopes, nil)
}

// NewAPIKeyFor returns a new personal API key of the user with the given
// UUID. It panics if there is no such user (a mistake in the test).
func (s *Server) NewAPIKeyFor(userUUID posthogapi.UserUUID, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newKey(s.mustUser(uuid.UUID(userUUID)), scopes, nil)
}

// NewOrgScopedAPIKey returns a key of the default user that may only reach
// the given organizations (PostHog's scoped_organizations).
func (s *Server) NewOrgScopedAPIKey(orgs []posthogapi.OrganizationID, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newKey(s.defUser, scopes, toUUIDs(orgs))
}

// NewProjectScopedAPIKey returns a key of the default user limited to the
// given projects (PostHog's scoped_teams). PostHog refuses such a key on
// every endpoint that is not project-based, which is every endpoint of this
// server: 403 "API keys with scoped projects are only supported on
// project-based endpoints.".
func (s *Server) NewProjectScopedAPIKey(projects []posthogapi.ProjectID, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.newKey(s.defUser, scopes, nil)
	for _, p := range projects {
		s.keys[k].teams = append(s.keys[k].teams, int64(p))
	}
	return k
}

// RevokeAPIKey makes key invalid (401 from then on).
func (s *Server) RevokeAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
}

func (s *Server) newKey(u *user, scopes []string, orgs []uuid.UUID) string {
	k := &apiKey{key: s.newSecret("phx_"), user: u, scopes: append([]string(nil), scopes...), orgs: append([]uuid.UUID(nil), orgs...)}
	now := s.now()
	k.createdAt = &now
	s.keys[k.key] = k
	return k.key
}

// authenticate finds the key; on failure it answers 401 as PostHog does.
func (rc *reqCtx) authenticate() bool {
	if rc.key != nil {
		return true
	}
	raw := bearer(rc.r)
	// PostHog: the first authenticator of posthog/api/routing.py
	// get_authenticators names the WWW-Authenticate challenge of every 401
	// (DRF APIView.get_authenticate_header); the newest one points OAuth
	// clients at the protected resource metadata.
	challenge := func() {
		rc.w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+rc.s.URL()+`/.well-known/oauth-protected-resource"`)
	}
	if raw == "" {
		challenge()
		rc.error(http.StatusUnauthorized, "authentication_error", "not_authenticated", "Authentication credentials were not provided.", "")
		return false
	}
	k, ok := rc.s.keys[raw]
	if !ok {
		challenge()
		rc.error(http.StatusUnauthorized, "authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid.", "")
		return false
	}
	rc.key, rc.user = k, k.user
	// PostHog: posthog/auth.py PersonalAPIKeyAuthentication stamps
	// last_used_at (at most hourly there; on every request here).
	used := rc.s.now()
	k.lastUsedAt = &used
	return true
}

// checkScope answers 403 unless the key may run an action that requires
// scope, in the order of PostHog's APIScopePermission.has_permission
// (posthog/permissions.py): no required scope, then the organization-level
// key restrictions, then the scope itself.
func (rc *reqCtx) checkScope(scope string) bool {
	if len(rc.key.scopes) == 0 && rc.s.legacyUnscoped {
		// PostHog (older posthog/permissions.py APIScopePermission): "Legacy
		// Personal API keys have no scopes and are allowed to do anything".
		return true
	}
	if scope == noScope {
		// PostHog: posthog/permissions.py APIScopePermission.has_permission
		// (newest wording, "personal API key" in lower case).
		rc.forbidden("This action does not support personal API key access")
		return false
	}
	if !rc.checkTeamAndOrg() {
		return false
	}
	want, internal := strings.CutSuffix(scope, internalViewsetMark)
	if hasScope(rc.key.scopes, want, !internal) {
		return true
	}
	rc.forbidden(fmt.Sprintf("API key missing required scope '%s'", want))
	return false
}

// internalViewsetMark ends the scope of an action whose viewset's
// scope_object is "INTERNAL" but which names required_scopes itself:
// PostHog's APIScopePermission.has_permission (posthog/permissions.py) lets
// "*" stand for a required scope only when the viewset's scope_object is
// not "INTERNAL", so there only a key naming the scope gets through.
const internalViewsetMark = " on an INTERNAL viewset"

// onInternalViewset returns the route scope of such an action.
func onInternalViewset(scope string) string { return scope + internalViewsetMark }

// checkTeamAndOrg mirrors APIScopePermission.check_team_and_org_permissions
// and _check_organization_personal_api_key_restrictions
// (posthog/permissions.py): an organization that does not allow personal
// API keys for non-admins, a key limited to projects (refused on every
// endpoint that is not project-based, i.e. all of this server's), a key
// limited to other organizations. The organization is the one the path
// names, when it exists and the key's user belongs to it; this fake's
// organizations all have the security settings feature.
func (rc *reqCtx) checkTeamAndOrg() bool {
	o := rc.pathOrg()
	if o != nil {
		if m := o.membership(rc.user); m != nil && !o.membersCanUsePAK && m.level < LevelAdmin {
			rc.forbidden(fmt.Sprintf("Organization '%s' does not allow using personal API keys. "+
				"Contact an admin to enable personal API keys for this organization.", o.name))
			return false
		}
	}
	if len(rc.key.teams) > 0 {
		rc.forbidden("API keys with scoped projects are only supported on project-based endpoints.")
		return false
	}
	if o != nil && !rc.keyReachesOrg(o.id) {
		return false
	}
	return true
}

// pathOrg is the organization the request's path names
// (/api/organizations/{id or @current}/...), nil when none does or it does
// not exist.
func (rc *reqCtx) pathOrg() *org {
	rest, ok := strings.CutPrefix(rc.r.URL.Path, "/api/organizations/")
	if !ok {
		return nil
	}
	seg, _, _ := strings.Cut(rest, "/")
	if seg == "@current" {
		if o := rc.user.currentOrg; o != nil && !o.deleted {
			return o
		}
		return nil
	}
	id, err := uuid.Parse(seg)
	if err != nil {
		return nil
	}
	return rc.s.orgByID(id)
}

// hasScope reports whether the scopes in have grant want: the scope itself, its
// :write for a :read, or "*" when starGrants (every viewset but an
// INTERNAL one). PostHog: posthog/permissions.py
// APIScopePermission.has_permission.
func hasScope(have []string, want string, starGrants bool) bool {
	obj, action, _ := strings.Cut(want, ":")
	for _, h := range have {
		if (h == "*" && starGrants) || h == want {
			return true
		}
		if action == "read" && h == obj+":write" {
			return true
		}
	}
	return false
}

// keyReachesOrg answers 403 when the key is scoped to other organizations.
// PostHog: posthog/permissions.py APIScopePermission (the key's
// scoped_organizations).
func (rc *reqCtx) keyReachesOrg(id uuid.UUID) bool {
	if len(rc.key.orgs) == 0 {
		return true
	}
	for _, o := range rc.key.orgs {
		if o == id {
			return true
		}
	}
	rc.forbidden(fmt.Sprintf("API key does not have access to the requested organization: ID %s.", id))
	return false
}
