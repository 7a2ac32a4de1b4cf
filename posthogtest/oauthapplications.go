package posthogtest

import (
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func registerOAuthApplications(s *Server) {
	s.route("GET /api/organizations/{organization_id}/oauth_applications/{$}", "organization:read", handleOAuthApplicationList)
}

type oauthAppState struct {
	apps map[uuid.UUID][]*oauthApp // by organization, oldest first
}

type oauthApp struct {
	id               uuid.UUID
	name, clientID   string
	redirectURIs     []string
	verified         bool
	created, updated time.Time
}

// OAuthApplicationSeed describes an OAuth application to add with
// AddOAuthApplication.
type OAuthApplicationSeed struct {
	Name string
	// ClientID is generated when empty.
	ClientID     string
	RedirectURIs []string
	IsVerified   bool
}

// AddOAuthApplication registers an OAuth application to the organization
// and returns its ID.
func (s *Server) AddOAuthApplication(orgID posthogapi.OrganizationID, seed OAuthApplicationSeed) posthogapi.OAuthApplicationID {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.oauthApp
	if st.apps == nil {
		st.apps = map[uuid.UUID][]*oauthApp{}
	}
	now := s.now()
	a := &oauthApp{
		id: s.newID(), name: seed.Name, clientID: seed.ClientID,
		redirectURIs: append([]string(nil), seed.RedirectURIs...), verified: seed.IsVerified,
		created: now, updated: now,
	}
	if a.clientID == "" {
		a.clientID = s.newSecret("")
	}
	st.apps[uuid.UUID(orgID)] = append(st.apps[uuid.UUID(orgID)], a)
	return posthogapi.OAuthApplicationID(a.id)
}

// handleOAuthApplicationList lists the organization's OAuth applications to
// any member with organization:read, newest first.
// PostHog: posthog/api/oauth_application.py OrganizationOAuthApplicationViewSet
// (scope_object "organization", order_by("-created"), filtered by the
// organization) and OrganizationOAuthApplicationSerializer.
func handleOAuthApplicationList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	apps := rc.s.areas.oauthApp.apps[o.id]
	out := []map[string]any{}
	for i := len(apps) - 1; i >= 0; i-- { // newest first, as PostHog orders them
		a := apps[i]
		uris := append([]string{}, a.redirectURIs...)
		out = append(out, map[string]any{
			"id": a.id, "name": a.name, "client_id": a.clientID, "redirect_uris_list": uris,
			"is_verified": a.verified, "created": a.created, "updated": a.updated,
		})
	}
	page(rc, out)
}
