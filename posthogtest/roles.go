package posthogtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// giveDefaultRole adds a joining member to the organization's default role
// (default_role_id), when it names one of its roles.
// PostHog: posthog/models/user.py User.join (RoleMembership for
// organization.default_role).
func giveDefaultRole(s *Server, o *org, m *membership) {
	if o.defaultRoleID == nil {
		return
	}
	id, err := uuid.Parse(*o.defaultRoleID)
	if err != nil {
		return
	}
	for _, r := range s.areas.role.orgRoles(o) {
		if r.id == id {
			now := s.now()
			r.members = append(r.members, &roleMembership{id: s.newID(), roleID: r.id, member: m, joinedAt: now, updatedAt: now})
			return
		}
	}
}

func registerRoles(s *Server) {
	s.onMemberRemoved = append(s.onMemberRemoved, dropRoleMemberships)
	s.onMemberJoined = append(s.onMemberJoined, giveDefaultRole)
	const base = "/api/organizations/{organization_id}/roles/"
	s.routeViewSet(base, viewSet{scopeObject: "organization",
		list: handleRoleList, create: handleRoleCreate, retrieve: handleRoleGet,
		partialUpdate: handleRoleUpdate(false), update: handleRoleUpdate(true), destroy: handleRoleDelete})
	s.routeViewSet(base+"{role_id}/role_memberships/", viewSet{scopeObject: "organization",
		list: handleRoleMembershipList, create: handleRoleMembershipCreate,
		retrieve: handleRoleMembershipGet, destroy: handleRoleMembershipDelete})
}

type roleState struct {
	roles map[uuid.UUID][]*role // by organization ID, oldest first
}

type role struct {
	id        uuid.UUID
	name      string
	createdAt time.Time
	createdBy *user
	members   []*roleMembership // oldest first
}

type roleMembership struct {
	id        uuid.UUID
	roleID    uuid.UUID
	member    *membership
	joinedAt  time.Time
	updatedAt time.Time
}

// Role is a role of the server, as the state holds it.
type Role struct {
	ID   posthogapi.RoleID
	Name string
	// Members are the user UUIDs of the role's members, oldest first.
	Members []posthogapi.UserUUID
}

// Roles returns the organization's roles, oldest first.
func (s *Server) Roles(orgID posthogapi.OrganizationID) []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Role
	for _, r := range s.areas.role.roles[uuid.UUID(orgID)] {
		pr := Role{ID: posthogapi.RoleID(r.id), Name: r.name}
		for _, m := range r.members {
			pr.Members = append(pr.Members, posthogapi.UserUUID(m.member.user.uuid))
		}
		out = append(out, pr)
	}
	return out
}

// AddRole adds a role to the organization with the given users (who must
// be members) as its members, and returns it. The name is trimmed, as the
// API trims it. It panics if the organization does not exist, a user is not
// a member, or the organization has a role of that name already, ignoring
// case (mistakes in the test, which the API would refuse).
func (s *Server) AddRole(orgID posthogapi.OrganizationID, name string, members ...posthogapi.UserUUID) Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	st := &s.areas.role
	name = strings.TrimSpace(name)
	if st.roleNamed(o, name, nil) != nil {
		panic("posthogtest: organization " + orgID.String() + " has a role named " + name)
	}
	now := s.now()
	r := &role{id: s.newID(), name: name, createdAt: now, createdBy: s.defUser}
	out := Role{ID: posthogapi.RoleID(r.id), Name: name}
	for _, u := range members {
		m := o.membership(s.mustUser(uuid.UUID(u)))
		if m == nil {
			panic("posthogtest: user " + u.String() + " is not a member of " + orgID.String())
		}
		r.members = append(r.members, &roleMembership{id: s.newID(), roleID: r.id, member: m, joinedAt: now, updatedAt: now})
		out.Members = append(out.Members, u)
	}
	st.roles[o.id] = append(st.orgRoles(o), r)
	return out
}

// find returns the role of o with id (nil if none).
func (st *roleState) find(o *org, id uuid.UUID) *role {
	for _, r := range st.orgRoles(o) {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (st *roleState) orgRoles(o *org) []*role {
	if st.roles == nil {
		st.roles = map[uuid.UUID][]*role{}
	}
	return st.roles[o.id]
}

// dropRoleMemberships removes a departing member from every role of the
// organization, as PostHog's cascade does.
func dropRoleMemberships(s *Server, o *org, m *membership) {
	for _, r := range s.areas.role.orgRoles(o) {
		kept := r.members[:0]
		for _, rm := range r.members {
			if rm.member != m {
				kept = append(kept, rm)
			}
		}
		r.members = kept
	}
}

// roleMembershipOut is RoleMembershipSerializer's answer (a struct: a role
// list embeds every membership of every role).
type roleMembershipOut struct {
	ID                 uuid.UUID  `json:"id"`
	RoleID             uuid.UUID  `json:"role_id"`
	OrganizationMember *memberOut `json:"organization_member"`
	User               any        `json:"user"`
	JoinedAt           time.Time  `json:"joined_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

func roleMembershipJSON(rm *roleMembership) *roleMembershipOut {
	return &roleMembershipOut{
		ID: rm.id, RoleID: rm.roleID, OrganizationMember: memberJSON(rm.member, ""),
		User: userBasicJSON(rm.member.user), JoinedAt: rm.joinedAt, UpdatedAt: rm.updatedAt,
	}
}

// roleVisibleOnly returns the caller's own membership when the caller may
// see no other member in role answers, nil when they may see everyone. The
// list is restricted for a member below admin when the organization turns
// members_can_see_org_members off; PostHog then shows the members with
// access to a project the caller can access. This server has no project
// access rules, so everyone has access to every project: a caller sees
// everyone when the organization has a project, and only themselves when
// it has none (PostHog also needs the organization's access control
// feature for the restriction; this server takes it as available).
// PostHog: products/access_control/backend/presentation/role.py
// RoleViewSet.get_serializer_context, RoleMembershipViewSet.safely_get_queryset;
// posthog/rbac/user_access_control.py restricted_visible_membership_ids,
// get_project_scoped_visible_membership_ids.
func (rc *reqCtx) roleVisibleOnly(o *org) *membership {
	m := o.membership(rc.user)
	if o.membersCanSeeMembers || m == nil || m.level >= LevelAdmin || len(rc.s.areas.projects.inOrg(o.id)) > 0 {
		return nil
	}
	return m
}

// roleJSON renders a role; only, when not nil, is the one membership the
// caller may see (roleVisibleOnly): the others are left out of members,
// and created_by is null unless it is the caller.
func roleJSON(o *org, r *role, only *membership) map[string]any {
	members := []*roleMembershipOut{}
	for _, rm := range r.members {
		if only == nil || rm.member == only {
			members = append(members, roleMembershipJSON(rm))
		}
	}
	var createdBy any
	if r.createdBy != nil && (only == nil || only.user == r.createdBy) {
		createdBy = userBasicJSON(r.createdBy)
	}
	return map[string]any{
		"id": r.id, "name": r.name, "created_at": r.createdAt, "created_by": createdBy,
		"members":    members,
		"is_default": o.defaultRoleID != nil && *o.defaultRoleID == r.id.String(),
	}
}

// roleFromPath resolves a role path value of the organization (404 when
// it is not a UUID or not one of the organization's roles).
// PostHog: ee/api/rbac/role.py RoleViewSet (roles of the organization in
// the path).
func (rc *reqCtx) roleFromPath(o *org, name string) *role {
	return fromPath(rc, name, func(id uuid.UUID) *role { return rc.s.areas.role.find(o, id) })
}

// roleIDFromPath resolves the {id} path value to a role of o.
func (rc *reqCtx) roleIDFromPath(o *org) *role { return rc.roleFromPath(o, "id") }

func handleRoleList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	var out []map[string]any
	for _, r := range rc.s.areas.role.orgRoles(o) {
		out = append(out, roleJSON(o, r, rc.roleVisibleOnly(o)))
	}
	page(rc, out)
}

// roleName validates the name field as RoleSerializer does: required,
// trimmed (a CharField), at most 200 characters, unique in the organization
// regardless of case, compared after trimming.
// PostHog: ee/api/rbac/role.py RoleSerializer.validate_name (newest:
// products/access_control/backend/presentation/role.py
// RoleSerializer.validate_name).
func (rc *reqCtx) roleName(o *org, f map[string]json.RawMessage, self *role) (string, bool) {
	name, ok := rc.charField(f, "name", true, 200)
	if !ok {
		return "", false
	}
	if rc.s.areas.role.roleNamed(o, name, self) != nil {
		rc.invalid("unique", "There is already a role with this name.", "name")
		return "", false
	}
	return name, true
}

// roleNamed returns the organization's role named name ignoring case,
// other than self.
func (st *roleState) roleNamed(o *org, name string, self *role) *role {
	for _, r := range st.orgRoles(o) {
		if r != self && strings.EqualFold(r.name, name) {
			return r
		}
	}
	return nil
}

func handleRoleCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	name, ok := rc.roleName(o, f, nil)
	if !ok {
		return
	}
	st := &rc.s.areas.role
	roles := st.orgRoles(o)
	// PostHog: the role serializer's create sets only the organization and
	// the viewset has no perform_create, so a role created through the API
	// has created_by null.
	r := &role{id: rc.s.newID(), name: name, createdAt: rc.s.now()}
	st.roles[o.id] = append(roles, r)
	rc.json(http.StatusCreated, roleJSON(o, r, rc.roleVisibleOnly(o)))
}

func handleRoleGet(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	if r := rc.roleIDFromPath(o); r != nil {
		rc.json(http.StatusOK, roleJSON(o, r, rc.roleVisibleOnly(o)))
	}
}

func handleRoleUpdate(put bool) handler {
	return func(rc *reqCtx) {
		o, r := adminOrgItem(rc, (*reqCtx).roleIDFromPath)
		if r == nil {
			return
		}
		f := rc.fields()
		if f == nil {
			return
		}
		if _, present := f["name"]; present || put {
			name, ok := rc.roleName(o, f, r)
			if !ok {
				return
			}
			r.name = name
		}
		rc.json(http.StatusOK, roleJSON(o, r, rc.roleVisibleOnly(o)))
	}
}

func handleRoleDelete(rc *reqCtx) {
	o, r := adminOrgItem(rc, (*reqCtx).roleIDFromPath)
	if r == nil {
		return
	}
	st := &rc.s.areas.role
	roles := st.orgRoles(o)
	for i, x := range roles {
		if x == r {
			st.roles[o.id] = append(roles[:i:i], roles[i+1:]...)
			break
		}
	}
	if o.defaultRoleID != nil && *o.defaultRoleID == r.id.String() {
		o.defaultRoleID = nil // the organization's foreign key is SET_NULL
	}
	rc.noContent()
}

// membershipRole finds the {role_id} of the path among the organization's
// roles; nil (and nothing written) when it is not one.
func (rc *reqCtx) membershipRole(o *org) *role {
	id, err := uuid.Parse(rc.r.PathValue("role_id"))
	if err != nil {
		return nil
	}
	return rc.s.areas.role.find(o, id)
}

// PostHog: ee/api/rbac/role.py RoleMembershipViewSet (filtered by the role
// in the path).
func handleRoleMembershipList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	// PostHog filters memberships by role; an unknown role is an empty
	// list, not a 404.
	var out []*roleMembershipOut
	only := rc.roleVisibleOnly(o)
	if r := rc.membershipRole(o); r != nil {
		for _, rm := range r.members {
			if only == nil || rm.member == only {
				out = append(out, roleMembershipJSON(rm))
			}
		}
	}
	page(rc, out)
}

// PostHog: ee/api/rbac/role.py RoleMembershipSerializer (user_uuid of a
// member, one membership per user and role) and RoleViewSet's admin-only
// writes.
func handleRoleMembershipCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	raw, present := f["user_uuid"]
	if !present {
		rc.required("user_uuid")
		return
	}
	userID, ok := value[uuid.UUID](rc, raw, "user_uuid", "Must be a valid UUID.")
	if !ok {
		return
	}
	r := rc.membershipRole(o)
	if r == nil {
		rc.invalid("invalid", "Role does not exist.", "")
		return
	}
	var target *membership
	if u := rc.s.userByUUID(userID); u != nil {
		target = o.membership(u)
	}
	if target == nil {
		rc.invalid("invalid", "User does not exist.", "")
		return
	}
	for _, rm := range r.members {
		if rm.member == target {
			rc.invalid("invalid", "User is already part of the role.", "")
			return
		}
	}
	now := rc.s.now()
	rm := &roleMembership{id: rc.s.newID(), roleID: r.id, member: target, joinedAt: now, updatedAt: now}
	r.members = append(r.members, rm)
	rc.json(http.StatusCreated, roleMembershipJSON(rm))
}

// roleMembershipFromPath finds {id} among the role's memberships,
// answering 404 when the role or the membership is not there.
// PostHog: ee/api/rbac/role.py RoleMembershipViewSet.
func (rc *reqCtx) roleMembershipFromPath(o *org) (*role, *roleMembership) {
	r := rc.membershipRole(o)
	id, err := uuid.Parse(rc.r.PathValue("id"))
	only := rc.roleVisibleOnly(o)
	if r != nil && err == nil {
		for _, rm := range r.members {
			if rm.id == id && (only == nil || rm.member == only) {
				return r, rm
			}
		}
	}
	rc.notFound()
	return nil, nil
}

func handleRoleMembershipGet(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	if _, rm := rc.roleMembershipFromPath(o); rm != nil {
		rc.json(http.StatusOK, roleMembershipJSON(rm))
	}
}

func handleRoleMembershipDelete(rc *reqCtx) {
	o, me := rc.orgFromPath()
	if o == nil || !rc.requireLevel(me, LevelAdmin) {
		return
	}
	r, rm := rc.roleMembershipFromPath(o)
	if rm == nil {
		return
	}
	for i, x := range r.members {
		if x == rm {
			r.members = append(r.members[:i:i], r.members[i+1:]...)
			break
		}
	}
	rc.noContent()
}
