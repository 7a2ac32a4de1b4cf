package access

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/hogkit/posthogapi"
)

// orgState is what Plan and Export read of one organization.
type orgState struct {
	id posthogapi.OrganizationID
	// members by EmailKey.
	members map[string]*member
	// byUser finds a member by their user's UUID.
	byUser map[posthogapi.UserUUID]*member
	// invites by EmailKey, newest first, expired ones included.
	invites map[string][]posthogapi.OrganizationInvite
	// roles by roleKey.
	roles map[string]*role
	// duplicates are EmailKeys that more than one member holds (accounts
	// from before PostHog lower-cased addresses).
	duplicates map[string]bool
	// sortedRoles caches roleList.
	sortedRoles []*role
	// rolesOf are each member's roles, in roleList's order (rolesOfUser).
	rolesOf map[posthogapi.UserUUID][]*role
}

// rolesOfUser returns the roles user is in, sorted by name.
func (cur *orgState) rolesOfUser(user posthogapi.UserUUID) []*role {
	if cur.rolesOf == nil {
		cur.rolesOf = map[posthogapi.UserUUID][]*role{}
		for _, r := range cur.roleList() {
			for u := range r.members {
				cur.rolesOf[u] = append(cur.rolesOf[u], r)
			}
		}
	}
	return cur.rolesOf[user]
}

type member struct {
	user  posthogapi.UserUUID
	email string
	level posthogapi.MembershipLevel
}

type role struct {
	id   posthogapi.RoleID
	name string
	// members maps a user to their membership of the role.
	members map[posthogapi.UserUUID]posthogapi.RoleMembershipID
}

// roleList returns the roles sorted by key.
func (cur *orgState) roleList() []*role {
	if cur.sortedRoles == nil {
		cur.sortedRoles = make([]*role, 0, len(cur.roles))
		for _, k := range sortedKeys(cur.roles) {
			cur.sortedRoles = append(cur.sortedRoles, cur.roles[k])
		}
	}
	return cur.sortedRoles
}

// pending returns the unexpired invite for key with the highest level (the
// newest of those), or nil: the most the person can join as.
func (cur *orgState) pending(key string) *posthogapi.OrganizationInvite {
	var best *posthogapi.OrganizationInvite
	for i := range cur.invites[key] {
		inv := &cur.invites[key][i]
		if !inv.IsExpired && (best == nil || inv.Level > best.Level) {
			best = inv
		}
	}
	return best
}

// readAll reads the key's user and every organization of orgs, all at
// once: one Users.Me and, per organization, the member, invite and role
// lists side by side (each list's pages fetched ahead by the client).
// Role memberships come embedded in the role list, complete (see the
// package documentation), so no role is read on its own.
func readAll(ctx context.Context, c *posthogapi.Client, orgs []posthogapi.OrganizationID) (*posthogapi.User, []*orgState, error) {
	if ctx == nil {
		return nil, nil, fmt.Errorf("%w: nil context", posthogapi.ErrInvalidArgument)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		me   *posthogapi.User
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
		cancel()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		u, err := c.Users.Me(ctx)
		if err != nil {
			fail(fmt.Errorf("access: reading the key's user: %w", err))
			return
		}
		me = u
	}()
	states := make([]*orgState, len(orgs))
	for i, id := range orgs {
		st := &orgState{
			id: id, members: map[string]*member{}, byUser: map[posthogapi.UserUUID]*member{},
			invites: map[string][]posthogapi.OrganizationInvite{}, roles: map[string]*role{},
			duplicates: map[string]bool{},
		}
		states[i] = st
		wg.Add(3)
		go func() {
			defer wg.Done()
			if err := st.readMembers(ctx, c); err != nil {
				fail(fmt.Errorf("access: organization %s: members: %w", id, err))
			}
		}()
		go func() {
			defer wg.Done()
			if err := st.readInvites(ctx, c); err != nil {
				fail(fmt.Errorf("access: organization %s: invites: %w", id, err))
			}
		}()
		go func() {
			defer wg.Done()
			if err := st.readRoles(ctx, c); err != nil {
				fail(fmt.Errorf("access: organization %s: roles: %w", id, err))
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		// The first error is the cause; the others are mostly the
		// cancellation it started.
		for _, err := range errs {
			if !errors.Is(err, context.Canceled) {
				return nil, nil, err
			}
		}
		return nil, nil, errs[0]
	}
	for _, st := range states {
		st.linkRoles()
	}
	return me, states, nil
}

// listedMember, listedRole and listedRoleMembership are the parts of
// PostHog's answers the planner uses: decoding only them keeps reading a
// large organization cheap.
type (
	listedUser struct {
		UUID  posthogapi.UserUUID `json:"uuid"`
		Email string              `json:"email"`
	}
	listedMember struct {
		User  listedUser                 `json:"user"`
		Level posthogapi.MembershipLevel `json:"level"`
	}
	listedRoleMembership struct {
		ID   posthogapi.RoleMembershipID `json:"id"`
		User listedUser                  `json:"user"`
	}
	listedRole struct {
		ID      posthogapi.RoleID      `json:"id"`
		Name    string                 `json:"name"`
		Members []listedRoleMembership `json:"members"`
	}
)

// orgPath is the path of one of the organization's lists.
func (st *orgState) orgPath(list string) string {
	return "/api/organizations/" + st.id.String() + "/" + list + "/"
}

func (st *orgState) readMembers(ctx context.Context, c *posthogapi.Client) error {
	if st.id.IsZero() {
		return fmt.Errorf("%w: zero organization id", posthogapi.ErrInvalidArgument)
	}
	opts := &posthogapi.MemberListOptions{Order: posthogapi.MemberOrderJoinedAt}
	for m, err := range posthogapi.ListAll[listedMember](ctx, c, st.orgPath("members"), opts) {
		if err != nil {
			return err
		}
		mm := &member{user: m.User.UUID, email: m.User.Email, level: m.Level}
		k := EmailKey(m.User.Email)
		if _, dup := st.members[k]; dup {
			st.duplicates[k] = true
		}
		st.members[k] = mm
		st.byUser[mm.user] = mm
	}
	return nil
}

func (st *orgState) readInvites(ctx context.Context, c *posthogapi.Client) error {
	for inv, err := range c.Invites.All(ctx, st.id, nil) {
		if err != nil {
			return err
		}
		k := EmailKey(inv.TargetEmail)
		st.invites[k] = append(st.invites[k], *inv)
	}
	for _, list := range st.invites {
		sort.SliceStable(list, func(i, j int) bool { return list[i].CreatedAt.After(list[j].CreatedAt) })
	}
	return nil
}

func (st *orgState) readRoles(ctx context.Context, c *posthogapi.Client) error {
	for r, err := range posthogapi.ListAll[listedRole](ctx, c, st.orgPath("roles"), nil) {
		if err != nil {
			return err
		}
		rr := &role{id: r.ID, name: r.Name, members: make(map[posthogapi.UserUUID]posthogapi.RoleMembershipID, len(r.Members))}
		for _, rm := range r.Members {
			rr.members[rm.User.UUID] = rm.ID
		}
		st.roles[roleKey(r.Name)] = rr
	}
	return nil
}

// linkRoles drops role memberships of users who are not members (stale
// rows; PostHog deletes them with the membership).
func (st *orgState) linkRoles() {
	for _, r := range st.roles {
		for u := range r.members {
			if st.byUser[u] == nil {
				delete(r.members, u)
			}
		}
	}
}
