package posthogtest

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// Membership levels, as PostHog numbers them.
const (
	LevelMember = 1
	LevelAdmin  = 8
	LevelOwner  = 15
)

type user struct {
	id            int64
	uuid          uuid.UUID
	distinctID    string
	email         string
	firstName     string
	lastName      string
	twoFA         bool
	socialAuth    bool
	emailVerified bool
	lastLogin     *time.Time
	dateJoined    time.Time
	role          string
	currentOrg    *org
}

type org struct {
	id                     uuid.UUID
	name, slug             string
	logoMediaID            *uuid.UUID
	createdAt, updatedAt   time.Time
	memberJoinEmail        bool
	enforce2FA             *bool
	membersCanInvite       *bool
	membersCanUsePAK       bool
	allowPublicShared      bool
	aiApproved             *bool
	statsMethod            *string
	anonymizeIPs           bool
	defaultRoleID          *string
	members                []*membership
	deleted                bool
	customerID             *string
	pluginsAccessLevel     int
	metadataInstanceTag    string
	isActive               *bool
	isNotActiveReasonField *string
	// The newest server's settings (api.zod.schemas.ts OrganizationApi).
	enforceVerifiedDomains   bool
	membersCanCreateProjects *bool
	membersCanSeeMembers     bool
	aiTrainingOptedIn        *bool
	aiTrainingLocked         *bool
	aiTrainingCTAShown       *bool
	aiTrainingNoticeAckAt    *time.Time
	isHIPAA                  *bool
	isPendingDeletion        *bool
}

type membership struct {
	id        uuid.UUID
	user      *user
	level     int
	joinedAt  time.Time
	updatedAt time.Time
}

// UserSeed describes a user to add with AddUser.
type UserSeed struct {
	Email, FirstName, LastName string
	// Is2FAEnabled and HasSocialAuth are reported on the user's memberships.
	Is2FAEnabled, HasSocialAuth bool
	// LastLogin is the user's last login (nil: never).
	LastLogin *time.Time
}

// User is a user of the server, as seeded.
type User struct {
	ID         int64
	UUID       posthogapi.UserUUID
	DistinctID string
	Email      string
	FirstName  string
	LastName   string
}

// Organization is an organization of the server, as seeded.
type Organization struct {
	ID   posthogapi.OrganizationID
	Name string
	Slug string
}

// Member is a user's membership of an organization.
type Member struct {
	ID    posthogapi.MembershipID
	User  User
	Level posthogapi.MembershipLevel
}

func (u *user) public() User {
	return User{ID: u.id, UUID: posthogapi.UserUUID(u.uuid), DistinctID: u.distinctID, Email: u.email, FirstName: u.firstName, LastName: u.lastName}
}

func (o *org) public() Organization {
	return Organization{ID: posthogapi.OrganizationID(o.id), Name: o.name, Slug: o.slug}
}

// DefaultUser returns the user that NewAPIKey makes keys for.
func (s *Server) DefaultUser() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defUser.public()
}

// DefaultOrganization returns the organization the default user owns and has
// as current ("@current").
func (s *Server) DefaultOrganization() Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defOrg.public()
}

// AddUser adds a user who belongs to no organization yet. The address is
// stored trimmed, with its domain lower-cased and its local part as given
// (Ann@Example.COM becomes Ann@example.com), as PostHog holds accounts from
// before it lower-cased whole addresses; an account PostHog creates today
// (AcceptInvite for a new user) is lower-cased whole.
func (s *Server) AddUser(seed UserSeed) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUser(seed).public()
}

// AddOrganization adds an organization owned by the user with the given
// UUID (the default user when owner is uuid.Nil).
//
// The organization has no project (as one whose projects were deleted),
// unlike one created through the API, which PostHog creates with its first
// project; add projects with AddProject.
func (s *Server) AddOrganization(name string, owner posthogapi.UserUUID) Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.defUser
	if owner != posthogapi.UserUUID(uuid.Nil) {
		u = s.mustUser(uuid.UUID(owner))
	}
	// The API stores names trimmed (OrganizationSerializer's CharField).
	return s.addOrg(strings.TrimSpace(name), u).public()
}

// AddMember makes the user a member of the organization at level (1 member,
// 8 admin, 15 owner), as joining does: a new member is given the
// organization's default role, if it has one. For a user who is already a
// member, it changes the level only. It panics on any other level, which
// PostHog's database refuses.
func (s *Server) AddMember(orgID posthogapi.OrganizationID, userUUID posthogapi.UserUUID, level posthogapi.MembershipLevel) Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	if level != LevelMember && level != LevelAdmin && level != LevelOwner {
		panic(fmt.Sprintf("posthogtest: %d is not a membership level (1, 8 or 15)", level))
	}
	m := s.join(o, s.mustUser(uuid.UUID(userUUID)), int(level))
	return Member{ID: posthogapi.MembershipID(m.id), User: m.user.public(), Level: posthogapi.MembershipLevel(m.level)}
}

// Members returns the organization's members, oldest first.
func (s *Server) Members(orgID posthogapi.OrganizationID) []Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgByID(uuid.UUID(orgID))
	if o == nil {
		return nil
	}
	out := make([]Member, 0, len(o.members))
	for _, m := range o.members {
		out = append(out, Member{ID: posthogapi.MembershipID(m.id), User: m.user.public(), Level: posthogapi.MembershipLevel(m.level)})
	}
	return out
}

// Organizations returns every organization on the server.
func (s *Server) Organizations() []Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Organization
	for _, o := range s.orgs {
		out = append(out, o.public())
	}
	return out
}

// must returns what a seeding method looked up, and panics (as the
// method's doc says) when it found nothing: a mistake in the test, named
// by the format and args ("no user %s").
func must[T any](v *T, format string, args ...any) *T {
	if v == nil {
		panic(fmt.Sprintf("posthogtest: "+format, args...))
	}
	return v
}

func (s *Server) mustUser(id uuid.UUID) *user {
	return must(s.userByUUID(id), "no user %s", id)
}

func (s *Server) addUser(seed UserSeed) *user {
	u := &user{
		id:            s.nextUserID,
		uuid:          s.newID(),
		email:         userAddress(seed.Email),
		firstName:     seed.FirstName,
		lastName:      seed.LastName,
		twoFA:         seed.Is2FAEnabled,
		socialAuth:    seed.HasSocialAuth,
		emailVerified: true,
		lastLogin:     seed.LastLogin,
		dateJoined:    s.now(),
	}
	s.nextUserID++
	u.distinctID = s.newSecret("")
	if u.email == "" {
		u.email = fmt.Sprintf("user%d@example.com", u.id)
	}
	s.users = append(s.users, u)
	return u
}

var slugStrip = regexp.MustCompile(`[^a-z0-9]+`)

func (s *Server) addOrg(name string, owner *user) *org {
	now := s.now()
	slug := strings.Trim(slugStrip.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if slug == "" {
		slug = "organization"
	}
	base := slug
	for i := 2; s.slugTaken(slug); i++ {
		slug = fmt.Sprintf("%s-%d", base, i)
	}
	t := true
	o := &org{
		id: s.newID(), name: name, slug: slug, createdAt: now, updatedAt: now,
		memberJoinEmail: true, membersCanInvite: &t, membersCanUsePAK: true, allowPublicShared: true,
		pluginsAccessLevel: 9, metadataInstanceTag: "none", isActive: &t,
	}
	o.setNewestDefaults()
	s.orgs = append(s.orgs, o)
	s.addMembership(o, owner, LevelOwner)
	if owner.currentOrg == nil || owner.currentOrg.deleted {
		owner.currentOrg = o
	}
	return o
}

// setNewestDefaults gives the newest server's settings their defaults.
func (o *org) setNewestDefaults() {
	f, t := false, true
	o.membersCanSeeMembers = true
	o.membersCanCreateProjects = &f
	o.aiTrainingLocked, o.aiTrainingCTAShown, o.isHIPAA, o.isPendingDeletion = &f, &t, &f, &f
}

func (s *Server) slugTaken(slug string) bool {
	for _, o := range s.orgs {
		if o.slug == slug {
			return true
		}
	}
	return false
}

func (s *Server) addMembership(o *org, u *user, level int) *membership {
	if m := o.membership(u); m != nil {
		m.level = level
		m.updatedAt = s.now()
		return m
	}
	now := s.now()
	m := &membership{id: s.newID(), user: u, level: level, joinedAt: now, updatedAt: now}
	o.members = append(o.members, m)
	if u.currentOrg == nil || u.currentOrg.deleted {
		u.currentOrg = o
	}
	return m
}

func (s *Server) userByUUID(id uuid.UUID) *user {
	for _, u := range s.users {
		if u.uuid == id {
			return u
		}
	}
	return nil
}

// mustOrg returns the organization id for a seeding method, which panics
// (as its doc says) when there is no such organization.
func (s *Server) mustOrg(id uuid.UUID) *org {
	return must(s.orgByID(id), "no organization %s", id)
}

func (s *Server) orgByID(id uuid.UUID) *org {
	for _, o := range s.orgs {
		if o.id == id && !o.deleted {
			return o
		}
	}
	return nil
}

func (o *org) membership(u *user) *membership {
	for _, m := range o.members {
		if m.user == u {
			return m
		}
	}
	return nil
}

// lookupOrg resolves the {organization_id} or {id} path value ("@current"
// allowed) to an organization the caller belongs to, answering 404 (or 403
// for a key scoped to other organizations) when it cannot. It returns the
// caller's membership too.
// PostHog: posthog/api/organization.py OrganizationViewSet (only the
// caller's organizations are found; 404 otherwise).
func (rc *reqCtx) lookupOrg(raw string) (*org, *membership) {
	var o *org
	if raw == "@current" {
		o = rc.user.currentOrg
		if o != nil && o.deleted {
			o = nil
		}
	} else if id, err := uuid.Parse(raw); err == nil {
		o = rc.s.orgByID(id)
	}
	if o == nil {
		rc.notFound()
		return nil, nil
	}
	if !rc.keyReachesOrg(o.id) {
		return nil, nil
	}
	m := o.membership(rc.user)
	if m == nil {
		rc.notFound()
		return nil, nil
	}
	return o, m
}

// orgFromPath resolves the organization_id path value.
func (rc *reqCtx) orgFromPath() (*org, *membership) {
	return rc.lookupOrg(rc.r.PathValue("organization_id"))
}

// requireLevel answers 403 unless m is at least level.
// PostHog: posthog/permissions.py OrganizationMemberPermissions /
// OrganizationAdminWritePermissions ("Your organization access level is
// insufficient.").
func (rc *reqCtx) requireLevel(m *membership, level int) bool {
	if m.level >= level {
		return true
	}
	rc.forbidden("Your organization access level is insufficient.")
	return false
}

// userBasicOut is PostHog's UserBasicSerializer answer (a struct, not a
// map: member pages hold a hundred of them).
type userBasicOut struct {
	ID                 int64     `json:"id"`
	UUID               uuid.UUID `json:"uuid"`
	DistinctID         string    `json:"distinct_id"`
	FirstName          string    `json:"first_name"`
	LastName           string    `json:"last_name"`
	Email              string    `json:"email"`
	IsEmailVerified    bool      `json:"is_email_verified"`
	HedgehogConfig     any       `json:"hedgehog_config"`
	RoleAtOrganization any       `json:"role_at_organization"`
}

// userBasicJSON is u as UserBasicSerializer writes it, a snapshot; nil (JSON
// null) for no user.
func userBasicJSON(u *user) any {
	if u == nil {
		return nil
	}
	var role any
	if u.role != "" {
		role = u.role
	}
	return &userBasicOut{
		ID: u.id, UUID: u.uuid, DistinctID: u.distinctID, FirstName: u.firstName,
		LastName: u.lastName, Email: u.email, IsEmailVerified: u.emailVerified, RoleAtOrganization: role,
	}
}
