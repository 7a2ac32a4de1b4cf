package posthogtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Organization integrations, as PostHog serves them under
// /api/organizations/{organization_id}/integrations/ (PH
// posthog/api/organization_integration.py): read by members, deleted by
// admins, never created through the API (seed them with AddIntegration).
// Not modelled: the Vercel calls PostHog makes on delete and mapping, and
// the 409 it answers while invoices are unpaid.

func registerIntegrations(s *Server) {
	const base = "/api/organizations/{organization_id}/integrations/"
	s.routeViewSet(base, viewSet{scopeObject: "organization_integration",
		list: handleIntegrationList, retrieve: handleIntegrationGet, destroy: handleIntegrationDelete})
	s.route("PATCH "+base+"{id}/environment-mapping/{$}", noScope, handleIntegrationEnvironmentMapping)
}

type integrationsState struct {
	items []*orgIntegration
}

type orgIntegration struct {
	id            uuid.UUID
	org           *org
	kind          string
	integrationID *string
	config        map[string]any
	createdAt     time.Time
	updatedAt     time.Time
	createdBy     *user
}

// Integration is an organization integration of the server, as seeded.
type Integration struct {
	ID             posthogapi.IntegrationID
	OrganizationID posthogapi.OrganizationID
	Kind           posthogapi.IntegrationKind
	// IntegrationID is the integration's ID in the external system.
	IntegrationID string
	Config        map[string]any
}

func (in *orgIntegration) public() Integration {
	out := Integration{ID: posthogapi.IntegrationID(in.id), OrganizationID: posthogapi.OrganizationID(in.org.id), Kind: posthogapi.IntegrationKind(in.kind), Config: deepCopyMap(in.config)}
	if in.integrationID != nil {
		out.IntegrationID = *in.integrationID
	}
	return out
}

// AddIntegration adds an integration of kind (such as "vercel") to the
// organization, created by the default user, with an external ID like
// Vercel's "icfg_..." and the given config (set "type": "connectable" to
// allow environment mapping). It panics if there is no such organization.
func (s *Server) AddIntegration(orgID posthogapi.OrganizationID, kind posthogapi.IntegrationKind, config map[string]any) Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	now := s.now()
	ext := s.newSecret("icfg_")
	cfg := deepCopyMap(config)
	if cfg == nil {
		cfg = map[string]any{}
	}
	in := &orgIntegration{
		id: s.newID(), org: o, kind: string(kind), integrationID: &ext, config: cfg,
		createdAt: now, updatedAt: now, createdBy: s.defUser,
	}
	st := &s.areas.integrations
	st.items = append(st.items, in)
	return in.public()
}

// Integrations returns the organization's integrations, oldest first.
func (s *Server) Integrations(orgID posthogapi.OrganizationID) []Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Integration
	for _, in := range ofOrg(s.areas.integrations.items, uuid.UUID(orgID)) {
		out = append(out, in.public())
	}
	return out
}

func integrationJSON(in *orgIntegration) map[string]any {
	return map[string]any{
		"id": in.id, "kind": in.kind, "integration_id": in.integrationID, "config": in.config,
		"created_at": in.createdAt, "updated_at": in.updatedAt, "created_by": userBasicJSON(in.createdBy),
	}
}

func handleIntegrationList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	pageOf(rc, ofOrg(rc.s.areas.integrations.items, o.id), integrationJSON)
}

// integrationFromPath resolves {organization_id} and {id}; 404 for an
// unknown or malformed ID. It returns the caller's membership too.
// PostHog: posthog/api/organization_integration.py (integrations of the
// organization in the path; admins delete).
func (rc *reqCtx) integrationFromPath() (*orgIntegration, *membership) {
	o, m := rc.orgFromPath()
	if o == nil {
		return nil, nil
	}
	in := orgItemFromPath(rc, o, rc.s.areas.integrations.items)
	if in == nil {
		return nil, nil
	}
	return in, m
}

func handleIntegrationGet(rc *reqCtx) {
	if in, _ := rc.integrationFromPath(); in != nil {
		rc.json(http.StatusOK, integrationJSON(in))
	}
}

func handleIntegrationDelete(rc *reqCtx) {
	in, m := rc.integrationFromPath()
	if in == nil || !rc.requireLevel(m, LevelAdmin) {
		return
	}
	st := &rc.s.areas.integrations
	removeItem(&st.items, in)
	// PostHog: OrganizationIntegrationViewSet.perform_destroy also deletes
	// every project integration of kind vercel in the organization.
	pst := &rc.s.areas.projectIntegrations
	projects := &rc.s.areas.projects
	pst.items = slices.DeleteFunc(pst.items, func(x *projectIntegration) bool {
		p := projects.byID(x.teamID)
		return x.kind == integrationVercel && p != nil && p.orgID == in.org.id
	})
	rc.noContent()
}

// integrationVercel is the project integration kind PostHog links to an
// organization's Vercel integration.
const integrationVercel ProjectIntegrationKind = "vercel"

// handleIntegrationEnvironmentMapping maps Vercel environments to projects.
// PostHog answers its own 400s as a bare {"detail"}. (With personal API
// keys, route answers 403 before this runs.)
// PostHog: posthog/api/organization_integration.py (the environment-mapping
// action).
func handleIntegrationEnvironmentMapping(rc *reqCtx) {
	in, m := rc.integrationFromPath()
	if in == nil || !rc.requireLevel(m, LevelAdmin) {
		return
	}
	if in.config["type"] != "connectable" {
		rc.detailOnly(http.StatusBadRequest, "Environment mapping is only supported for connectable integrations.")
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	var production int
	if !rc.intField(f, "production", true, &production) {
		return
	}
	preview, development := production, production
	if !rc.intField(f, "preview", false, &preview) || !rc.intField(f, "development", false, &development) {
		return
	}
	projects := map[int64]bool{}
	for _, p := range rc.s.orgProjects(in.org) {
		if id, ok := jsonInt(p["id"]); ok {
			projects[id] = true
		}
	}
	for _, id := range []int{production, preview, development} {
		if !projects[int64(id)] {
			rc.detailOnly(http.StatusBadRequest, fmt.Sprintf("Project %d does not belong to this organization.", id))
			return
		}
	}
	// PostHog: environment_mapping get_or_creates a vercel project
	// integration (integration_id the project's ID, config type
	// connectable) in each mapped project.
	pst := &rc.s.areas.projectIntegrations
	for _, id := range []int64{int64(production), int64(preview), int64(development)} {
		exists := slices.ContainsFunc(pst.items, func(x *projectIntegration) bool {
			return x.teamID == id && x.kind == integrationVercel && x.externalID == strconv.FormatInt(id, 10)
		})
		if !exists {
			pst.lastID++
			pst.items = append(pst.items, &projectIntegration{
				id: pst.lastID, teamID: id, kind: integrationVercel, externalID: strconv.FormatInt(id, 10),
				displayName: "ID: " + strconv.FormatInt(id, 10), config: map[string]any{"type": "connectable"}, createdAt: rc.s.now(),
			})
		}
	}
	in.config["environment_mapping"] = map[string]any{"production": production, "preview": preview, "development": development}
	in.updatedAt = rc.s.now()
	rc.json(http.StatusOK, integrationJSON(in))
}
