package posthogtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

func registerOrganizations(s *Server) {
	const base = "/api/organizations/"
	s.routeViewSet(base, viewSet{scopeObject: "organization",
		list: handleOrgList, create: handleOrgCreate, retrieve: handleOrgGet,
		partialUpdate: handleOrgUpdate(false), update: handleOrgUpdate(true), destroy: handleOrgDelete})
	s.route("POST "+base+"{id}/environments_rollback/{$}", noScope, handleOrgRollback)
}

func orgJSON(s *Server, o *org, viewer *user) map[string]any {
	var level any
	if m := o.membership(viewer); m != nil {
		level = m.level
	}
	teams, projects := []any{}, []any{}
	for _, t := range s.orgTeams(o) {
		teams = append(teams, t)
	}
	for _, p := range s.orgProjects(o) {
		projects = append(projects, p)
	}
	return map[string]any{
		"id": o.id, "name": o.name, "slug": o.slug, "logo_media_id": o.logoMediaID,
		"created_at": o.createdAt, "updated_at": o.updatedAt, "membership_level": level,
		"plugins_access_level": o.pluginsAccessLevel, "teams": teams, "projects": projects,
		"available_product_features":        s.availableFeatures(o),
		"is_member_join_email_enabled":      o.memberJoinEmail,
		"metadata":                          map[string]any{"instance_tag": o.metadataInstanceTag},
		"customer_id":                       o.customerID,
		"enforce_2fa":                       o.enforce2FA,
		"members_can_invite":                o.membersCanInvite,
		"members_can_use_personal_api_keys": o.membersCanUsePAK,
		"allow_publicly_shared_resources":   o.allowPublicShared,
		"member_count":                      len(o.members),
		"is_ai_data_processing_approved":    o.aiApproved,
		"default_experiment_stats_method":   o.statsMethod,
		"default_anonymize_ips":             o.anonymizeIPs,
		"default_role_id":                   o.defaultRoleID,
		"is_active":                         o.isActive,
		"is_not_active_reason":              o.isNotActiveReasonField,
		"enforce_verified_domains":          o.enforceVerifiedDomains,
		"members_can_create_projects":       o.membersCanCreateProjects,
		"members_can_see_org_members":       o.membersCanSeeMembers,
		"is_ai_training_opted_in":           o.aiTrainingOptedIn,
		"is_ai_training_locked":             o.aiTrainingLocked,
		"is_ai_training_cta_shown":          o.aiTrainingCTAShown,
		"is_hipaa":                          o.isHIPAA,
		"is_pending_deletion":               o.isPendingDeletion,
	}
}

// productFeature is one entry of available_product_features, shaped as
// PostHog's ProductFeature (posthog/models/organization.py); names are this
// server's.
func productFeature(key, name string, limit any) map[string]any {
	return map[string]any{"key": key, "name": name, "description": "", "unit": nil, "limit": limit, "note": nil, "is_plan_default": true}
}

// availableFeatures lists the features the organization's rules assume:
// the two this server takes as available everywhere (invite settings,
// access control), then those of the plan helpers.
func (s *Server) availableFeatures(o *org) []map[string]any {
	out := []map[string]any{
		productFeature("organization_invite_settings", "Invite settings", nil),
		productFeature("access_control", "Access control", nil),
	}
	for _, src := range s.orgFeatureSources {
		out = append(out, src(s, o)...)
	}
	return out
}

func handleOrgList(rc *reqCtx) {
	var out []map[string]any
	for _, o := range rc.s.orgs {
		if o.deleted || o.membership(rc.user) == nil {
			continue
		}
		if len(rc.key.orgs) > 0 && !slices.Contains(rc.key.orgs, o.id) {
			continue
		}
		out = append(out, orgJSON(rc.s, o, rc.user))
	}
	page(rc, out)
}

func handleOrgCreate(rc *reqCtx) {
	f := rc.fields()
	if f == nil {
		return
	}
	// PostHog: posthog/api/organization.py OrganizationSerializer (name is
	// the model's CharField(max_length=64): trimmed, then checked).
	name, ok := rc.charField(f, "name", true, 64)
	if !ok {
		return
	}
	o := &org{}
	t := true
	*o = org{memberJoinEmail: true, membersCanInvite: &t, membersCanUsePAK: true, allowPublicShared: true}
	o.setNewestDefaults()
	if !rc.applyOrgFields(o, f) {
		return
	}
	created := rc.s.addOrg(name, rc.user)
	settings := *o
	settings.id, settings.name, settings.slug = created.id, created.name, created.slug
	settings.createdAt, settings.updatedAt, settings.members = created.createdAt, created.updatedAt, created.members
	settings.pluginsAccessLevel, settings.metadataInstanceTag, settings.isActive = created.pluginsAccessLevel, created.metadataInstanceTag, created.isActive
	*created = settings
	rc.user.currentOrg = created
	// PostHog: posthog/api/organization.py OrganizationSerializer.create
	// calls posthog/models/organization.py OrganizationManager.bootstrap,
	// which creates the organization's first project (with its main
	// environment) and the owner's membership together.
	p := rc.s.addProject(created, rc.s.defaultProjectName(created), nil)
	rc.logProjectActivity(p, "created", nil)
	rc.json(http.StatusCreated, orgJSON(rc.s, created, rc.user))
}

func handleOrgGet(rc *reqCtx) {
	o, _ := rc.lookupOrg(rc.r.PathValue("id"))
	if o == nil {
		return
	}
	rc.json(http.StatusOK, orgJSON(rc.s, o, rc.user))
}

func handleOrgUpdate(put bool) handler {
	return func(rc *reqCtx) {
		o, m := rc.lookupOrg(rc.r.PathValue("id"))
		if o == nil || !rc.requireLevel(m, LevelAdmin) {
			return
		}
		f := rc.fields()
		if f == nil {
			return
		}
		next := *o
		if _, present := f["name"]; present || put {
			name, ok := rc.charField(f, "name", true, 64)
			if !ok {
				return
			}
			next.name = name
		}
		if !rc.applyOrgFields(&next, f) {
			return
		}
		next.updatedAt = rc.s.now()
		*o = next
		rc.json(http.StatusOK, orgJSON(rc.s, o, rc.user))
	}
}

func handleOrgDelete(rc *reqCtx) {
	o, m := rc.lookupOrg(rc.r.PathValue("id"))
	if o == nil || !rc.requireLevel(m, LevelOwner) {
		return
	}
	o.deleted = true
	for _, u := range rc.s.users {
		if u.currentOrg == o {
			u.currentOrg = nil
			for _, other := range rc.s.orgs {
				if !other.deleted && other.membership(u) != nil {
					u.currentOrg = other
					break
				}
			}
		}
	}
	rc.noContent()
}

// rollbackState records the organizations whose environments rollback was
// requested (PostHog keeps the list in Redis).
type rollbackState struct{ requested map[uuid.UUID]bool }

// handleOrgRollback checks the body as PostHog does: a second request is
// refused, IDs go through Python's int() (what it cannot convert, or a body
// that is not an object, is an unhandled error: 500), an empty mapping is
// refused, and every ID, key or value, must be one of the organization's
// environments.
// PostHog: posthog/api/organization.py
// OrganizationViewSet.environments_rollback.
func handleOrgRollback(rc *reqCtx) {
	o, m := rc.lookupOrg(rc.r.PathValue("id"))
	if o == nil || !rc.requireLevel(m, LevelAdmin) {
		return
	}
	st := &rc.s.areas.rollback
	if st.requested[o.id] {
		rc.invalid("invalid", "Environments rollback has already been requested for this organization.", "")
		return
	}
	var mapping map[string]json.RawMessage
	if len(bytes.TrimSpace(rc.body)) > 0 {
		var v any
		if !rc.decode(&v) {
			return
		}
		if json.Unmarshal(rc.body, &mapping) != nil {
			rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
			return
		}
	}
	ids := map[int64]bool{}
	for k, raw := range mapping {
		key, okKey := pythonInt(json.RawMessage(strconv.Quote(k)))
		value, okValue := pythonInt(raw)
		if !okKey || !okValue {
			rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
			return
		}
		ids[key], ids[value] = true, true
	}
	if len(mapping) == 0 {
		rc.invalid("invalid", "Environment mappings are required", "")
		return
	}
	for _, p := range rc.s.areas.projects.inOrg(o.id) {
		delete(ids, p.id) // each project's main environment has its ID
	}
	if len(ids) > 0 {
		missing := make([]string, 0, len(ids))
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			missing = append(missing, strconv.FormatInt(id, 10))
		}
		rc.invalid("invalid", "Environments not found: {"+strings.Join(missing, ", ")+"}", "")
		return
	}
	if st.requested == nil {
		st.requested = map[uuid.UUID]bool{}
	}
	st.requested[o.id] = true
	rc.json(http.StatusAccepted, map[string]any{"success": true, "message": "Migration started"})
}

// pythonInt is Python's int() of a JSON value: integers, floats truncated,
// booleans, and strings holding an integer (surrounding space allowed);
// anything else fails (ValueError or TypeError in PostHog).
func pythonInt(raw json.RawMessage) (int64, bool) {
	if isNull(raw) {
		return 0, false
	}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil
	}
	switch t := strings.TrimSpace(string(raw)); t {
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || math.IsInf(f, 0) || math.Abs(f) > 1<<62 {
		return 0, false
	}
	return int64(f), true
}

// applyOrgFields validates and applies the writable organization settings
// present in f, those of the newest server's OrganizationSerializer
// (api.zod.ts UpdateBody): is_member_join_email_enabled is read-only there
// and, like every read-only field, ignored when sent;
// acknowledge_ai_training_notice is write-only.
// PostHog: posthog/api/organization.py OrganizationSerializer.
func (rc *reqCtx) applyOrgFields(o *org, f map[string]json.RawMessage) bool {
	var ack bool
	var logo *uuid.UUID
	if !rc.nullableUUIDField(f, "logo_media_id", &logo) {
		return false
	}
	if logo != nil {
		// PostHog: posthog/api/organization.py OrganizationSerializer
		// logo_media_id is a PrimaryKeyRelatedField over uploaded media;
		// this server has none, so every ID is unknown.
		rc.invalid("does_not_exist", fmt.Sprintf("Invalid pk %q - object does not exist.", logo.String()), "logo_media_id")
		return false
	}
	if _, present := f["logo_media_id"]; present {
		o.logoMediaID = nil
	}
	ok := rc.boolField(f, "enforce_verified_domains", &o.enforceVerifiedDomains) &&
		rc.nullableBoolField(f, "members_can_create_projects", &o.membersCanCreateProjects) &&
		rc.boolField(f, "members_can_see_org_members", &o.membersCanSeeMembers) &&
		rc.nullableBoolField(f, "is_ai_training_opted_in", &o.aiTrainingOptedIn) &&
		rc.boolField(f, "acknowledge_ai_training_notice", &ack) &&
		rc.nullableBoolField(f, "enforce_2fa", &o.enforce2FA) &&
		rc.nullableBoolField(f, "members_can_invite", &o.membersCanInvite) &&
		rc.boolField(f, "members_can_use_personal_api_keys", &o.membersCanUsePAK) &&
		rc.boolField(f, "allow_publicly_shared_resources", &o.allowPublicShared) &&
		rc.nullableBoolField(f, "is_ai_data_processing_approved", &o.aiApproved) &&
		rc.boolField(f, "default_anonymize_ips", &o.anonymizeIPs) &&
		rc.nullableStringField(f, "default_role_id", &o.defaultRoleID)
	if !ok {
		return false
	}
	if ack {
		now := rc.s.now()
		o.aiTrainingNoticeAckAt = &now
	}
	if raw, present := f["default_experiment_stats_method"]; present {
		var v *string
		if json.Unmarshal(raw, &v) != nil {
			rc.invalid("invalid", "Not a valid string.", "default_experiment_stats_method")
			return false
		}
		if v != nil && *v != "bayesian" && *v != "frequentist" && *v != "" {
			rc.invalid("invalid_choice", `"`+*v+`" is not a valid choice.`, "default_experiment_stats_method")
			return false
		}
		o.statsMethod = v
	}
	return true
}
