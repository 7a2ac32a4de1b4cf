package posthogtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
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
}

// NewAPIKey returns a new personal API key of the default user with the
// given scopes, treated as PostHog treats them: "x:write" also grants
// "x:read", "*" grants everything, and a key with no scopes at all (a
// legacy key) is allowed everything.
func (s *Server) NewAPIKey(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newKey(s.defUser, scopes, nil)
}

// NewAPIKeyFor returns a new personal API key of the user with the given
// UUID. It panics if there is no such user (a mistake in the test).
func (s *Server) NewAPIKeyFor(userUUID uuid.UUID, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByUUID(userUUID)
	if u == nil {
		panic(fmt.Sprintf("posthogtest: no user %s", userUUID))
	}
	return s.newKey(u, scopes, nil)
}

// NewOrgScopedAPIKey returns a key of the default user that may only reach
// the given organizations (PostHog's scoped_organizations).
func (s *Server) NewOrgScopedAPIKey(orgs []uuid.UUID, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newKey(s.defUser, scopes, orgs)
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
	if raw == "" {
		rc.error(http.StatusUnauthorized, "authentication_error", "not_authenticated", "Authentication credentials were not provided.", "")
		return false
	}
	k, ok := rc.s.keys[raw]
	if !ok {
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

// checkScope answers 403 unless the key carries scope.
func (rc *reqCtx) checkScope(scope string) bool {
	if len(rc.key.scopes) == 0 {
		// A legacy key without scopes is allowed everything, even actions
		// with no required scope: PostHog's APIScopePermission returns before
		// it looks at the action (posthog/permissions.py).
		return true
	}
	if scope == noScope {
		rc.forbidden("This action does not support Personal API Key access")
		return false
	}
	if hasScope(rc.key.scopes, scope) {
		return true
	}
	rc.forbidden(fmt.Sprintf("API key missing required scope '%s'", scope))
	return false
}

func hasScope(have []string, want string) bool {
	if len(have) == 0 {
		return true // legacy key without scopes
	}
	obj, action, _ := strings.Cut(want, ":")
	for _, h := range have {
		if h == "*" || h == want {
			return true
		}
		if action == "read" && h == obj+":write" {
			return true
		}
	}
	return false
}

// keyReachesOrg answers 403 when the key is scoped to other organizations.
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
