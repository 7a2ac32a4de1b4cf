package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Role external references, as PostHog serves them under
// /api/organizations/{organization_id}/role_external_references/ (PH
// posthog/api/role_external_reference.py RoleExternalReferenceViewSet,
// posthog/models/role_external_reference.py). Not modelled:
// TimeSensitiveActionPermission (session re-authentication).

func registerRoleExternalReferences(s *Server) {
	const base = "/api/organizations/{organization_id}/role_external_references/"
	// PostHog: RoleExternalReferenceViewSet scope_object "organization".
	s.route("GET "+base+"{$}", "organization:read", handleRoleExtRefList)
	s.route("POST "+base+"{$}", "organization:write", handleRoleExtRefCreate)
	// PostHog: RoleExternalReferenceViewSet.lookup is a plain @action with
	// no required_scopes and the viewset sets no scope_object_read_actions,
	// so ScopeBasePermission._get_required_scopes finds none and
	// APIScopePermission.has_permission (posthog/permissions.py) refuses
	// every personal API key.
	s.route("GET "+base+"lookup/{$}", noScope, handleRoleExtRefLookup)
	s.route("DELETE "+base+"{id}/{$}", "organization:write", handleRoleExtRefDelete)
}

type roleExtRefState struct {
	refs []*roleExtRef
}

type roleExtRef struct {
	id                                  uuid.UUID
	org                                 *org
	provider, providerOrgID, providerID string
	providerSlug                        *string
	providerName                        string
	role                                uuid.UUID
	createdAt                           time.Time
	createdBy                           *user
}

func roleExtRefJSON(r *roleExtRef) map[string]any {
	return map[string]any{
		"id": r.id, "provider": r.provider, "provider_organization_id": r.providerOrgID,
		"provider_role_id": r.providerID, "provider_role_slug": r.providerSlug,
		"provider_role_name": r.providerName, "role": r.role, "created_at": r.createdAt,
		"created_by": userBasicJSON(r.createdBy),
	}
}

// orgRefs returns the organization's references. References whose role
// is gone are dropped first (PostHog: the model's role ForeignKey is
// on_delete=CASCADE).
func (st *roleExtRefState) orgRefs(s *Server, o *org) []*roleExtRef {
	roles := map[uuid.UUID]bool{}
	for _, r := range s.areas.role.orgRoles(o) {
		roles[r.id] = true
	}
	st.refs = slices.DeleteFunc(st.refs, func(r *roleExtRef) bool { return r.org == o && !roles[r.role] })
	return ofOrg(st.refs, o.id)
}

func handleRoleExtRefList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	q := rc.r.URL.Query()
	// PostHog: RoleExternalReferenceViewSet.safely_get_queryset filters
	// (provider exact, provider_organization_id any case, role_id) and
	// orders by provider, provider_organization_id, provider_role_slug.
	var refs []*roleExtRef
	for _, r := range rc.s.areas.roleExtRef.orgRefs(rc.s, o) {
		if p := q.Get("provider"); p != "" && r.provider != p {
			continue
		}
		if p := q.Get("provider_organization_id"); p != "" && !strings.EqualFold(r.providerOrgID, p) {
			continue
		}
		if p := q.Get("role_id"); p != "" {
			id, err := uuid.Parse(p)
			if err != nil {
				// PostHog: Django's UUIDField rejects the value.
				rc.invalid("invalid", fmt.Sprintf("“%s” is not a valid UUID.", p), "")
				return
			}
			if r.role != id {
				continue
			}
		}
		refs = append(refs, r)
	}
	slices.SortStableFunc(refs, func(a, b *roleExtRef) int {
		if c := compareStrings(a.provider, b.provider); c != 0 {
			return c
		}
		if c := compareStrings(a.providerOrgID, b.providerOrgID); c != 0 {
			return c
		}
		return compareStrings(deref(a.providerSlug), deref(b.providerSlug))
	})
	pageOf(rc, refs, roleExtRefJSON)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func handleRoleExtRefCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	// PostHog: RoleExternalReferenceSerializer over the model's
	// CharFields (provider 32, the others 255; slug nullable and blank),
	// which DRF's CharField trims (trim_whitespace) before checking them.
	trimStrings(f, "provider", "provider_organization_id", "provider_role_id", "provider_role_slug", "provider_role_name")
	provider, ok := rc.stringField(f, "provider", true, 32)
	if !ok {
		return
	}
	provOrg, ok := rc.stringField(f, "provider_organization_id", true, 255)
	if !ok {
		return
	}
	provID, ok := rc.stringField(f, "provider_role_id", true, 255)
	if !ok {
		return
	}
	var slug *string
	if raw, present := f["provider_role_slug"]; present && !isNull(raw) {
		v, ok := rc.stringField(f, "provider_role_slug", false, 255)
		if !ok {
			return
		}
		slug = &v
	}
	name, ok := rc.stringField(f, "provider_role_name", true, 255)
	if !ok {
		return
	}
	// PostHog: OrganizationRoleScopedPrimaryKeyRelatedField, a role of
	// this organization.
	roleID, ok := rc.orgRoleField(o, f)
	if !ok {
		return
	}
	// PostHog: RoleExternalReferenceSerializer.validate (non-field errors).
	st := &rc.s.areas.roleExtRef
	for _, r := range st.orgRefs(rc.s, o) {
		if r.provider != provider || !strings.EqualFold(r.providerOrgID, provOrg) {
			continue
		}
		if slug != nil && *slug != "" && r.providerSlug != nil && strings.EqualFold(*r.providerSlug, *slug) {
			rc.invalid("invalid_input", "A role external reference with this provider, organization, and role slug already exists.", "")
			return
		}
		if strings.EqualFold(r.providerID, provID) {
			rc.invalid("invalid_input", "A role external reference with this provider, organization, and role ID already exists.", "")
			return
		}
	}
	r := &roleExtRef{
		id: rc.s.newID(), org: o, provider: provider, providerOrgID: provOrg, providerID: provID,
		providerSlug: slug, providerName: name, role: roleID, createdAt: rc.s.now(), createdBy: rc.user,
	}
	st.refs = append(st.refs, r)
	rc.json(http.StatusCreated, roleExtRefJSON(r))
}

// trimStrings replaces the named string fields of f by their value
// without surrounding whitespace, as DRF's CharField (trim_whitespace, the
// default) reads them; other values are left for the field checks.
// PostHog: rest_framework/fields.py CharField.to_internal_value.
func trimStrings(f map[string]json.RawMessage, names ...string) {
	for _, n := range names {
		var v string
		if raw, ok := f[n]; ok && json.Unmarshal(raw, &v) == nil {
			f[n], _ = json.Marshal(strings.TrimSpace(v))
		}
	}
}

// orgRoleField reads the required "role" field: the UUID of one of the
// organization's roles, as DRF's PrimaryKeyRelatedField reports it.
// PostHog: posthog/api/role_external_reference.py
// RoleExternalReferenceSerializer (role).
func (rc *reqCtx) orgRoleField(o *org, f map[string]json.RawMessage) (uuid.UUID, bool) {
	raw, present := f["role"]
	if !present {
		rc.required("role")
		return uuid.Nil, false
	}
	if isNull(raw) {
		rc.invalid("null", "This field may not be null.", "role")
		return uuid.Nil, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if id, err := uuid.Parse(s); err == nil {
			for _, r := range rc.s.areas.role.orgRoles(o) {
				if r.id == id {
					return id, true
				}
			}
		}
	}
	rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk \"%s\" - object does not exist.", drfText(raw)), "role")
	return uuid.Nil, false
}

func handleRoleExtRefLookup(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	q := rc.r.URL.Query()
	// PostHog: RoleLookupQuerySerializer (provider and
	// provider_organization_id required; slug or ID).
	for _, name := range []string{"provider", "provider_organization_id"} {
		if q.Get(name) == "" {
			if _, present := q[name]; present {
				rc.invalid("blank", "This field may not be blank.", name)
			} else {
				rc.required(name)
			}
			return
		}
	}
	slug, id := q.Get("provider_role_slug"), q.Get("provider_role_id")
	if slug == "" && id == "" {
		rc.invalid("invalid_input", "Either provider_role_slug or provider_role_id must be provided.", "")
		return
	}
	// PostHog: RoleExternalReferenceViewSet.lookup, first match or null.
	var found any
	for _, r := range rc.s.areas.roleExtRef.orgRefs(rc.s, o) {
		if r.provider != q.Get("provider") || !strings.EqualFold(r.providerOrgID, q.Get("provider_organization_id")) {
			continue
		}
		if (slug != "" && r.providerSlug != nil && strings.EqualFold(*r.providerSlug, slug)) || (id != "" && strings.EqualFold(r.providerID, id)) {
			found = roleExtRefJSON(r)
			break
		}
	}
	rc.json(http.StatusOK, map[string]any{"reference": found})
}

// PostHog: posthog/api/role_external_reference.py
// RoleExternalReferenceViewSet (destroy).
func handleRoleExtRefDelete(rc *reqCtx) {
	o, me := rc.orgFromPath()
	if o == nil || !rc.requireLevel(me, LevelAdmin) {
		return
	}
	id, err := uuid.Parse(rc.r.PathValue("id"))
	st := &rc.s.areas.roleExtRef
	st.orgRefs(rc.s, o)
	if err == nil && removeOrgItem(&st.refs, o, id) {
		rc.noContent()
		return
	}
	rc.notFound()
}

// RoleExternalReferences returns the number of the organization's role
// external references.
func (s *Server) RoleExternalReferences(orgID posthogapi.OrganizationID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgByID(uuid.UUID(orgID))
	if o == nil {
		return 0
	}
	return len(s.areas.roleExtRef.orgRefs(s, o))
}
