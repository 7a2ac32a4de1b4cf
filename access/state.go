package access

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hogkit/posthogapi"
)

// Level is a membership level by name, as a person writes it in a file.
type Level string

// Levels. The empty Level in a Person means LevelMember.
const (
	LevelMember Level = "member"
	LevelAdmin  Level = "admin"
	LevelOwner  Level = "owner"
)

// Valid reports whether l is one of the three levels (the empty Level is
// not: Person.Level defaults it).
func (l Level) Valid() bool { return l == LevelMember || l == LevelAdmin || l == LevelOwner }

// Membership returns PostHog's number for l (0 for an invalid level).
func (l Level) Membership() posthogapi.MembershipLevel {
	switch l {
	case LevelMember:
		return posthogapi.MembershipLevelMember
	case LevelAdmin:
		return posthogapi.MembershipLevelAdmin
	case LevelOwner:
		return posthogapi.MembershipLevelOwner
	}
	return 0
}

// LevelOf names PostHog's membership level ("" for a number PostHog does
// not use).
func LevelOf(m posthogapi.MembershipLevel) Level {
	switch m {
	case posthogapi.MembershipLevelMember:
		return LevelMember
	case posthogapi.MembershipLevelAdmin:
		return LevelAdmin
	case posthogapi.MembershipLevelOwner:
		return LevelOwner
	}
	return ""
}

// State is who is in one or more organizations, at what level and in which
// roles: the desired state a program or a person writes (often in a file,
// reviewed like code), or the current state Export reads. Its JSON form is
// stable and diffs well: Export sorts everything.
type State struct {
	Organizations []Organization `json:"organizations"`
}

// Organization is the access of one organization.
type Organization struct {
	// ID is the organization's ID (required).
	ID posthogapi.OrganizationID `json:"id"`
	// Name is for the reader; Plan ignores it.
	Name string `json:"name,omitempty"`
	// Roles are role definitions: roles that must exist even when nobody
	// is in them. Roles named by People are created when missing too, so
	// this list is optional. Roles are never deleted.
	Roles []Role `json:"roles,omitempty"`
	// People are everyone who should have access: members, and people
	// invited who have not joined yet.
	People []Person `json:"people"`
}

// Role is a role definition.
type Role struct {
	// Name is compared as PostHog compares role names: trimmed, without
	// case (products/access_control/backend/presentation/role.py RoleSerializer.validate_name, name__iexact).
	Name string `json:"name"`
}

// Person is one person's access to an organization.
type Person struct {
	// Email is compared as described in the package documentation
	// ("Email addresses").
	Email string `json:"email"`
	// Level is the membership level; empty means LevelMember.
	Level Level `json:"level,omitempty"`
	// Roles are the names of the roles the person is in. A person who is
	// invited but has not joined cannot be given roles yet (PostHog adds
	// only members to roles); the plan says they wait, and a later run
	// gives them once the person has joined.
	Roles []string `json:"roles,omitempty"`
}

// level is p's level with the default applied.
func (p *Person) level() Level {
	if p.Level == "" {
		return LevelMember
	}
	return p.Level
}

// EmailKey is the form under which this package compares email addresses:
// trimmed and lower-cased, as PostHog matches an invite to its invitee and
// to members (see the package documentation). Two addresses with the same
// key are the same person.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// roleKey is how role names are compared: trimmed, without case.
func roleKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Validate checks the state as Plan reads it: every organization has an ID
// and appears once, every person an address (once per organization, by
// EmailKey), a valid level and role names PostHog accepts. The error wraps
// posthogapi.ErrInvalidArgument.
func (s *State) Validate() error {
	if s == nil {
		return fmt.Errorf("%w: nil state", posthogapi.ErrInvalidArgument)
	}
	seenOrg := map[posthogapi.OrganizationID]bool{}
	for i := range s.Organizations {
		o := &s.Organizations[i]
		if o.ID.IsZero() {
			return fmt.Errorf("%w: organization %d has no id", posthogapi.ErrInvalidArgument, i)
		}
		if seenOrg[o.ID] {
			return fmt.Errorf("%w: organization %s is listed twice", posthogapi.ErrInvalidArgument, o.ID)
		}
		seenOrg[o.ID] = true
		for _, r := range o.Roles {
			if err := checkRoleName(o.ID, r.Name); err != nil {
				return err
			}
		}
		seen := map[string]string{}
		for _, p := range o.People {
			if err := checkEmail(o.ID, p.Email); err != nil {
				return err
			}
			k := EmailKey(p.Email)
			if prev, dup := seen[k]; dup {
				return fmt.Errorf("%w: organization %s lists %q and %q, the same person", posthogapi.ErrInvalidArgument, o.ID, prev, p.Email)
			}
			seen[k] = p.Email
			if !p.level().Valid() {
				return fmt.Errorf("%w: organization %s: %s has level %q (member, admin or owner)", posthogapi.ErrInvalidArgument, o.ID, p.Email, p.Level)
			}
			for _, r := range p.Roles {
				if err := checkRoleName(o.ID, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func checkRoleName(org posthogapi.OrganizationID, name string) error {
	n := strings.TrimSpace(name)
	if n == "" {
		return fmt.Errorf("%w: organization %s: empty role name", posthogapi.ErrInvalidArgument, org)
	}
	if len([]rune(n)) > posthogapi.MaxRoleNameLength {
		return fmt.Errorf("%w: organization %s: role name %q is longer than %d characters", posthogapi.ErrInvalidArgument, org, name, posthogapi.MaxRoleNameLength)
	}
	return nil
}

// checkEmail is a shape check: one @ with something on both sides, no
// spaces.
func checkEmail(org posthogapi.OrganizationID, email string) error {
	e := strings.TrimSpace(email)
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n") {
		return fmt.Errorf("%w: organization %s: %q is not an email address", posthogapi.ErrInvalidArgument, org, email)
	}
	return nil
}

// Export reads the current access of the given organizations into a
// State: every member with their level and roles, every person with a
// pending invite at the invite's level (the highest, if they have several;
// without roles: they cannot have any yet), and every role as a
// definition. Expired invites grant nothing and
// are left out. Everything is sorted (organizations as given, people by
// EmailKey, roles by name), so two exports of the same state are equal
// byte for byte. Planning an exported state changes nothing.
//
// It makes the reads Plan makes (see Plan), with the same scopes; the
// organizations' names come from the key's user (Users.Me). In the rare
// organization where two accounts hold the same address in different case
// (accounts from before PostHog lower-cased addresses), both are exported,
// and such a file does not validate until a person has resolved them.
//
// API: GET /api/users/{uuid}/ (scope user:read)
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
func Export(ctx context.Context, c *posthogapi.Client, orgs ...posthogapi.OrganizationID) (*State, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil client", posthogapi.ErrInvalidArgument)
	}
	if len(orgs) == 0 {
		return nil, fmt.Errorf("%w: no organization to export", posthogapi.ErrInvalidArgument)
	}
	me, current, err := readAll(ctx, c, orgs)
	if err != nil {
		return nil, err
	}
	out := &State{Organizations: make([]Organization, 0, len(orgs))}
	for i, id := range orgs {
		out.Organizations = append(out.Organizations, current[i].export(orgName(me, id)))
	}
	return out, nil
}

func orgName(me *posthogapi.User, id posthogapi.OrganizationID) string {
	for _, o := range me.Organizations {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// export turns what was read into an Organization.
func (cur *orgState) export(name string) Organization {
	o := Organization{ID: cur.id, Name: name, People: []Person{}}
	for _, r := range cur.roleList() {
		o.Roles = append(o.Roles, Role{Name: r.name})
	}
	for _, k := range sortedKeys(cur.members) {
		m := cur.members[k]
		p := Person{Email: m.email, Level: LevelOf(m.level)}
		for _, r := range cur.rolesOfUser(m.user) {
			p.Roles = append(p.Roles, r.name)
		}
		o.People = append(o.People, p)
	}
	for _, k := range sortedKeys(cur.invites) {
		if _, member := cur.members[k]; member {
			continue
		}
		if inv := cur.pending(k); inv != nil {
			o.People = append(o.People, Person{Email: inv.TargetEmail, Level: LevelOf(inv.Level)})
		}
	}
	sort.SliceStable(o.People, func(i, j int) bool { return EmailKey(o.People[i].Email) < EmailKey(o.People[j].Email) })
	return o
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParseState decodes a State from JSON, refusing unknown fields (a
// misspelt "roles" must not silently mean "no roles"), and validates it.
func ParseState(data []byte) (*State, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	s := new(State)
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%w: reading access state: %v", posthogapi.ErrInvalidArgument, err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}
