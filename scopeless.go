package posthogapi

import (
	"strings"
)

// Actions that declare no API scope. PostHog's APIScopePermission
// (posthog/permissions.py ScopeBasePermission._get_required_scopes,
// APIScopePermission.has_permission) answers every personal API key (and
// OAuth token) on them with 403 "This action does not support personal API
// key access", and since migration
// 1052_migrate_legacy_personal_api_key_scopes no key is without scopes
// any more, so no key this client can hold gets through. The methods that
// call them return an *UnsupportedActionError before sending anything,
// unless the client was made WithLegacyUnscopedKey.
//
// Each entry is the method and the path below /api/, with "*" for a path
// parameter, exactly as the method's "API:" doc line spells it with
// "(scope none; personal API keys rejected)"; TestScopelessActionsMatchDocs
// keeps the two in step.
var scopelessActions = []struct{ method, path string }{
	{"GET", "organizations/*/batch_exports/*/logs/"},
	{"GET", "projects/*/batch_exports/*/logs/"},
	{"GET", "environments/*/batch_exports/*/logs/"},
	{"POST", "organizations/*/domains/*/verify/"},
	{"POST", "organizations/*/domains/*/scim/token/"},
	{"GET", "organizations/*/domains/*/scim/logs/"},
	{"GET", "organizations/*/feature_flags/*/"},
	{"POST", "organizations/*/identity_provider_configs/*/scim/token/"},
	{"GET", "organizations/*/identity_provider_configs/*/scim/logs/"},
	{"PATCH", "organizations/*/integrations/*/environment-mapping/"},
	{"GET", "organizations/*/legal_documents/*/download/"},
	{"GET", "organizations/*/members/*/scoped_api_keys/"},
	{"POST", "organizations/*/environments_rollback/"},
	{"GET", "organizations/*/personal_api_keys/"},
	{"GET", "organizations/*/projects/*/activity/"},
	{"POST", "organizations/*/projects/*/change_organization/"},
	{"PATCH", "organizations/*/projects/*/delete_secret_token_backup/"},
	{"GET", "organizations/*/projects/*/is_generating_demo_data/"},
	{"PATCH", "organizations/*/projects/*/reset_token/"},
	{"PATCH", "organizations/*/projects/*/rotate_secret_token/"},
	{"POST", "organizations/*/projects/*/generate_conversations_public_token/"},
	{"POST", "organizations/*/proxy_records/*/retry/"},
	{"POST", "organizations/*/proxy_records/*/diagnose/"},
	{"POST", "organizations/*/resource_transfers/preview/"},
	{"POST", "organizations/*/resource_transfers/transfer/"},
	{"POST", "organizations/*/resource_transfers/search/"},
	{"GET", "organizations/*/role_external_references/lookup/"},
}

// scopeless reports whether method and the URL path (escaped, under the
// client's base path) name an action without a scope.
func (c *Client) scopeless(method, escapedPath string) bool {
	_, rest, ok := strings.Cut(escapedPath, "/api/")
	if !ok {
		return false
	}
	for _, a := range scopelessActions {
		if a.method == method && pathMatches(a.path, rest) {
			return true
		}
	}
	return false
}

// pathMatches matches an escaped path against a pattern whose "*" segments
// stand for one non-empty segment each. It walks both strings segment by
// segment without allocating, since every request goes through it.
func pathMatches(pattern, path string) bool {
	for {
		p, prest, pmore := strings.Cut(pattern, "/")
		x, xrest, xmore := strings.Cut(path, "/")
		switch {
		case pmore != xmore:
			return false
		case p == "*":
			if x == "" {
				return false
			}
		case p != x:
			return false
		}
		if !pmore {
			return true
		}
		pattern, path = prest, xrest
	}
}

// UnsupportedActionError is returned, before anything is sent, by a method
// whose PostHog action declares no API scope: today's PostHog refuses it to
// every personal API key (403 "This action does not support personal API
// key access"), so sending would only cost a request and a rate-limit
// token. It matches ErrPersonalAPIKeyNotSupported and ErrPermissionDenied,
// like the 403 itself, but it is no *APIError: nothing was answered.
// A client made WithLegacyUnscopedKey sends these requests.
type UnsupportedActionError struct {
	// Method and Path are the request that was not sent (the path without
	// its query string).
	Method, Path string
}

func (e *UnsupportedActionError) Error() string {
	return "posthogapi: " + e.Method + " " + e.Path + ": not sent: PostHog declares no API scope for this action and refuses it to every personal API key (posthog/permissions.py APIScopePermission); see WithLegacyUnscopedKey for older self-hosted servers"
}

// Is makes errors.Is(err, ErrPersonalAPIKeyNotSupported) and
// errors.Is(err, ErrPermissionDenied) true, as for PostHog's 403.
func (e *UnsupportedActionError) Is(target error) bool {
	return target == ErrPersonalAPIKeyNotSupported || target == ErrPermissionDenied
}

// WithLegacyUnscopedKey says the key is a legacy personal API key without
// scopes on a self-hosted PostHog older than migration
// 1052_migrate_legacy_personal_api_key_scopes, whose APIScopePermission
// still lets such keys do anything. The client then sends the requests of
// actions that declare no scope (domain verification, SCIM tokens and logs,
// batch export logs, resource transfers, RoleExternalReferences.Lookup ...)
// instead of refusing them with an *UnsupportedActionError. Against a
// current PostHog those requests answer 403 whatever the key.
func WithLegacyUnscopedKey() Option {
	return func(c *config) error {
		c.legacyUnscopedKey = true
		return nil
	}
}
