package posthogtest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func registerMembers(s *Server) {
	const base = "/api/organizations/{organization_id}/members/"
	s.routeViewSet(base, viewSet{scopeObject: "organization_member", lookup: "user_uuid",
		list: handleMemberList, partialUpdate: handleMemberUpdate, update: handleMemberUpdate, destroy: handleMemberDelete})
	s.route("GET "+base+"{user_uuid}/scoped_api_keys/{$}", noScope, handleMemberScopedKeys)
	s.route("GET "+base+"{user_uuid}/github_login/{$}", "organization_member:read", handleMemberGithubLogin)
}

// memberOut is OrganizationMemberSerializer's answer.
type memberOut struct {
	ID              uuid.UUID  `json:"id"`
	User            any        `json:"user"`
	Level           int        `json:"level"`
	JoinedAt        time.Time  `json:"joined_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Is2FAEnabled    bool       `json:"is_2fa_enabled"`
	HasSocialAuth   bool       `json:"has_social_auth"`
	LastLogin       *time.Time `json:"last_login"`
	SearchMatchType string     `json:"search_match_type,omitempty"`
}

func memberJSON(m *membership, matchType string) *memberOut {
	return &memberOut{
		ID: m.id, User: userBasicJSON(m.user), Level: m.level, JoinedAt: m.joinedAt, UpdatedAt: m.updatedAt,
		Is2FAEnabled: m.user.twoFA, HasSocialAuth: m.user.socialAuth, LastLogin: m.user.lastLogin,
		SearchMatchType: matchType,
	}
}

func handleMemberList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	q := rc.r.URL.Query()
	search := strings.TrimSpace(q.Get("search"))
	if len([]rune(search)) > 200 {
		// PostHog: posthog/api/organization_member.py raises
		// ValidationError({"search": ...}) itself (code invalid_input).
		rc.invalid("invalid", "Search query must be 200 characters or fewer.", "search")
		return
	}
	// PostHog: posthog/api/organization_member.py falls back to -joined_at
	// for any order it does not know, without an error.
	order := q.Get("order")
	if order != "joined_at" {
		order = "-joined_at"
	}
	var updatedAfter time.Time
	if v := q.Get("updated_after"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			rc.invalid("invalid", "Enter a valid date/time.", "updated_after")
			return
		}
		updatedAfter = t
	}
	// PostHog: the email filter is an exact user__email match.
	email := q.Get("email")
	members := byJoinTime(o.members, order == "joined_at")
	if email == "" && updatedAfter.IsZero() && search == "" {
		pageOf(rc, members, func(m *membership) *memberOut { return memberJSON(m, "") })
		return
	}
	type hit struct {
		m     *membership
		match string
	}
	out := make([]hit, 0, len(members))
	for _, m := range members {
		if email != "" && m.user.email != email {
			continue
		}
		if !updatedAfter.IsZero() && !m.updatedAt.After(updatedAfter) {
			continue
		}
		match := ""
		if search != "" {
			// PostHog: substring matches are "exact"; its fuzzy (trigram)
			// matches, labelled "similar", are not modelled, so the fake finds
			// fewer members than PostHog may for a misspelt query.
			s := strings.ToLower(search)
			u := m.user
			if !strings.Contains(strings.ToLower(u.email), s) && !strings.Contains(strings.ToLower(u.firstName+" "+u.lastName), s) {
				continue
			}
			match = "exact"
		}
		out = append(out, hit{m, match})
	}
	pageOf(rc, out, func(h hit) *memberOut { return memberJSON(h.m, h.match) })
}

// byJoinTime returns members sorted by join time, oldest first when asc,
// as a stable sort would. Members are usually stored in join order already:
// then it only checks that (and reverses for newest first), which keeps a
// page of a large organization from costing a sort of all of it.
func byJoinTime(members []*membership, asc bool) []*membership {
	increasing := true
	for i := 1; i < len(members); i++ {
		if !members[i-1].joinedAt.Before(members[i].joinedAt) {
			increasing = false
			break
		}
	}
	switch {
	case increasing && asc:
		return members
	case increasing:
		out := make([]*membership, len(members))
		for i, m := range members {
			out[len(members)-1-i] = m
		}
		return out
	}
	return sortedBy(members, func(a, b *membership) bool {
		if asc {
			return a.joinedAt.Before(b.joinedAt)
		}
		return a.joinedAt.After(b.joinedAt)
	})
}

// memberTarget resolves the {organization_id} and {user_uuid} ("@me"
// allowed) path values to the organization, the caller's membership and the
// target's membership. On failure it has answered (404 or 403) and target is
// nil.
// PostHog: posthog/api/organization_member.py
// OrganizationMemberViewSet.get_object (looked up by user__uuid).
func (rc *reqCtx) memberTarget() (o *org, me, target *membership) {
	o, me = rc.orgFromPath()
	if o == nil {
		return nil, nil, nil
	}
	raw := rc.r.PathValue("user_uuid")
	var u *user
	if raw == "@me" {
		u = rc.user
	} else if id, err := uuid.Parse(raw); err == nil {
		u = rc.s.userByUUID(id)
	}
	if u != nil {
		target = o.membership(u)
	}
	if target == nil {
		rc.notFound()
	}
	return o, me, target
}

// handleMemberUpdate serves PATCH and PUT alike (no field is required).
func handleMemberUpdate(rc *reqCtx) {
	_, me, target := rc.memberTarget()
	if target == nil || !rc.mayEditMember(me, target) {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	// PostHog: posthog/api/organization_member.py
	// OrganizationMemberSerializer: level has a model default, so even
	// PUT does not require it.
	if _, present := f["level"]; present {
		level := target.level
		if !rc.levelField(f, "level", &level) {
			return
		}
		// PostHog: posthog/api/organization_member.py
		// OrganizationMemberSerializer.update runs validate_update with
		// the level whenever the body has one, changed or not
		// (posthog/models/organization.py
		// OrganizationMembership.validate_update).
		switch {
		case target == me:
			rc.forbidden("You can't change your own access level.")
			return
		case level == LevelOwner && me.level != LevelOwner:
			rc.forbidden("You can only make another member owner if you're this organization's owner.")
			return
		case level != LevelOwner && level > me.level:
			rc.forbidden("You can only change access level of others to lower or equal to your current one.")
			return
		}
		// Granting owner keeps the granter an owner (the newest
		// validate_update no longer demotes them).
		target.level = level
	}
	target.updatedAt = rc.s.now()
	rc.json(http.StatusOK, memberJSON(target, ""))
}

// mayEditMember answers 403 unless me may update or remove target. PostHog:
// posthog/api/organization_member.py
// OrganizationMemberObjectPermissions.has_object_permission runs
// validate_update(membership) for every PUT, PATCH and DELETE of another
// member, level or not (posthog/models/organization.py
// OrganizationMembership.validate_update).
func (rc *reqCtx) mayEditMember(me, target *membership) bool {
	if target == me {
		return true
	}
	if me.level < LevelAdmin {
		rc.forbidden("You can only edit others if you are an admin.")
		return false
	}
	if target.level > me.level {
		rc.forbidden("You can only edit others with level lower or equal to you.")
		return false
	}
	return true
}

func handleMemberDelete(rc *reqCtx) {
	o, me, target := rc.memberTarget()
	if target == nil || !rc.mayEditMember(me, target) {
		return
	}
	if target.level == LevelOwner {
		// PostHog: posthog/api/organization_member.py perform_destroy calls
		// posthog/models/user.py User.leave, which refuses an owner's
		// membership, whether the owner leaves or another owner removes them.
		rc.invalid("invalid", "Cannot leave the organization as its owner!", "")
		return
	}
	rc.s.removeMembership(o, target)
	rc.noContent()
}

// removeMembership removes a member and whatever hangs off the membership
// in other areas.
func (s *Server) removeMembership(o *org, m *membership) {
	for i, x := range o.members {
		if x == m {
			o.members = append(o.members[:i], o.members[i+1:]...)
			break
		}
	}
	if m.user.currentOrg == o {
		// PostHog: posthog/models/user.py User.leave makes the user's first
		// remaining organization the current one.
		m.user.currentOrg = nil
		for _, other := range s.orgs {
			if !other.deleted && other.membership(m.user) != nil {
				m.user.currentOrg = other
				break
			}
		}
	}
	for _, hook := range s.onMemberRemoved {
		hook(s, o, m)
	}
}

// join makes u a member of o at level as PostHog's User.join does: the
// membership, the joined organization as the user's current one, then the
// organization's default role (hooks). A user who is already a member
// keeps the membership, at the new level.
// PostHog: posthog/models/user.py User.join.
func (s *Server) join(o *org, u *user, level int) *membership {
	if m := o.membership(u); m != nil {
		return s.addMembership(o, u, level)
	}
	m := s.addMembership(o, u, level)
	u.currentOrg = o
	for _, hook := range s.onMemberJoined {
		hook(s, o, m)
	}
	return m
}

func handleMemberScopedKeys(rc *reqCtx) {
	o, _, target := rc.memberTarget()
	if target == nil {
		return
	}
	keys := []map[string]any{}
	for _, k := range rc.s.keys {
		if k.user == target.user && (len(k.orgs) == 0 || slices.Contains(k.orgs, o.id)) {
			keys = append(keys, map[string]any{"name": "key", "last_used_at": nil})
		}
	}
	rc.json(http.StatusOK, map[string]any{"has_keys": len(keys) > 0, "has_keys_active_last_week": false, "keys": keys})
}

type githubLoginState struct{ logins map[uuid.UUID]string }

// SetGithubLogin links a GitHub username to the user with the given UUID,
// as signing in with GitHub does ("" unlinks it).
func (s *Server) SetGithubLogin(userUUID posthogapi.UserUUID, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.githubLogin
	if st.logins == nil {
		st.logins = map[uuid.UUID]string{}
	}
	if login == "" {
		delete(st.logins, uuid.UUID(userUUID))
		return
	}
	st.logins[uuid.UUID(userUUID)] = login
}

func handleMemberGithubLogin(rc *reqCtx) {
	_, _, target := rc.memberTarget()
	if target == nil {
		return
	}
	var login any
	if l, ok := rc.s.areas.githubLogin.logins[target.user.uuid]; ok {
		login = l
	}
	rc.json(http.StatusOK, map[string]any{"github_login": login})
}
