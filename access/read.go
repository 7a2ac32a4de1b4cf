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
	out := make([]*role, 0, len(cur.roles))
	for _, k := range sortedKeys(cur.roles) {
		out = append(out, cur.roles[k])
	}
	return out
}

// pending returns the newest unexpired invite for key, or nil.
func (cur *orgState) pending(key string) *posthogapi.OrganizationInvite {
	for i := range cur.invites[key] {
		if !cur.invites[key][i].IsExpired {
			return &cur.invites[key][i]
		}
	}
	return nil
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

func (st *orgState) readMembers(ctx context.Context, c *posthogapi.Client) error {
	for m, err := range c.Members.All(ctx, st.id, &posthogapi.MemberListOptions{Order: posthogapi.MemberOrderJoinedAt}) {
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
	for r, err := range c.Roles.All(ctx, st.id, nil) {
		if err != nil {
			return err
		}
		rr := &role{id: r.ID, name: r.Name, members: map[posthogapi.UserUUID]posthogapi.RoleMembershipID{}}
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
