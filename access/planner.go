package access

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hogkit/posthogapi"
)

// draft is a change before the plan is sorted and numbered.
type draft struct {
	c       Change
	org     int // the organization's index in the desired state
	key     string
	role    string // roleKey, to sort
	deps    []*draft
	dropped bool
}

// heldDraft is a Held before numbering.
type heldDraft struct {
	h        Held
	org      int
	key      string
	waitsFor *draft
}

type planner struct {
	me     *posthogapi.User
	prune  bool
	drafts []*draft
	held   []*heldDraft
}

// planFrom computes the plan from what was read. It sends nothing.
func planFrom(me *posthogapi.User, desired *State, current []*orgState, opts *PlanOptions) (*ChangePlan, error) {
	pl := &planner{me: me, prune: opts.Prune}
	for i := range desired.Organizations {
		if err := pl.org(i, &desired.Organizations[i], current[i]); err != nil {
			return nil, err
		}
	}
	return pl.finish(), nil
}

func (pl *planner) add(org int, key, role string, c Change, deps ...*draft) *draft {
	d := &draft{c: c, org: org, key: key, role: role}
	for _, x := range deps {
		if x != nil {
			d.deps = append(d.deps, x)
		}
	}
	pl.drafts = append(pl.drafts, d)
	return d
}

func (pl *planner) hold(org int, key string, h Held, waitsFor *draft) {
	pl.held = append(pl.held, &heldDraft{h: h, org: org, key: key, waitsFor: waitsFor})
}

// org plans one organization.
func (pl *planner) org(idx int, d *Organization, cur *orgState) error {
	self := cur.byUser[pl.me.UUID]
	if self == nil {
		return fmt.Errorf("access: organization %s: the key's user %s is not a member: %w", d.ID, pl.me.Email, posthogapi.ErrPermissionDenied)
	}
	if self.level < posthogapi.MembershipLevelAdmin {
		return fmt.Errorf("access: organization %s: the key's user %s is a member, not an admin, and cannot change access: %w", d.ID, pl.me.Email, posthogapi.ErrPermissionDenied)
	}
	isOwner := self.level == posthogapi.MembershipLevelOwner
	orgID := d.ID
	base := Change{Organization: orgID}
	safety := func(key, email, detail string) {
		pl.hold(idx, key, Held{Reason: Safety, Organization: orgID, Email: email, Detail: detail}, nil)
	}

	// Roles: defined ones and those people name, created when missing.
	needed := map[string]string{}
	for _, r := range d.Roles {
		if _, ok := needed[roleKey(r.Name)]; !ok {
			needed[roleKey(r.Name)] = strings.TrimSpace(r.Name)
		}
	}
	for _, p := range d.People {
		for _, r := range p.Roles {
			if _, ok := needed[roleKey(r)]; !ok {
				needed[roleKey(r)] = strings.TrimSpace(r)
			}
		}
	}
	created := map[string]*draft{}
	for _, rk := range sortedKeys(needed) {
		if cur.roles[rk] == nil {
			c := base
			c.Kind, c.Role = CreateRole, needed[rk]
			created[rk] = pl.add(idx, "", rk, c)
		}
	}

	var toOwner, ownerDown []*draft
	want := map[string]*Person{}
	for i := range d.People {
		want[EmailKey(d.People[i].Email)] = &d.People[i]
	}

	for _, key := range sortedKeys(want) {
		p := want[key]
		level := p.level()
		if cur.duplicates[key] {
			safety(key, p.Email, fmt.Sprintf("%s: more than one account has this address (in different case); change them by hand", p.Email))
			continue
		}
		m := cur.members[key]
		if m == nil {
			pl.invitee(idx, key, p, cur, isOwner)
			continue
		}
		have := LevelOf(m.level)
		switch {
		case have == level:
		case m.user == pl.me.UUID:
			safety(key, m.email, fmt.Sprintf("%s is the key's own user: it stays %s (nobody may change their own level, and the plan never demotes it)", m.email, have))
		case (have == LevelOwner || level == LevelOwner) && !isOwner:
			safety(key, m.email, fmt.Sprintf("%s: %s to %s needs an owner; the key's user is an admin", m.email, have, level))
		case level.Membership() > m.level:
			c := base
			c.Kind, c.Email, c.User, c.From, c.To = Promote, m.email, m.user, have, level
			dr := pl.add(idx, key, "", c)
			if level == LevelOwner {
				toOwner = append(toOwner, dr)
			}
		default:
			c := base
			c.Kind, c.Email, c.User, c.From, c.To = Demote, m.email, m.user, have, level
			dr := pl.add(idx, key, "", c)
			if have == LevelOwner {
				ownerDown = append(ownerDown, dr)
			}
		}
		wantRoles := map[string]bool{}
		for _, r := range p.Roles {
			rk := roleKey(r)
			if wantRoles[rk] {
				continue
			}
			wantRoles[rk] = true
			r := cur.roles[rk]
			c := base
			c.Kind, c.Email, c.User, c.Role = AddToRole, m.email, m.user, needed[rk]
			switch {
			case r == nil:
				pl.add(idx, key, rk, c, created[rk])
			default:
				if _, in := r.members[m.user]; !in {
					c.RoleID, c.Role = r.id, r.name
					pl.add(idx, key, rk, c)
				}
			}
		}
		var extra []string
		for _, r := range cur.rolesOfUser(m.user) {
			rm := r.members[m.user]
			if wantRoles[roleKey(r.name)] {
				continue
			}
			if pl.prune {
				c := base
				c.Kind, c.Email, c.User, c.Role, c.RoleID, c.RoleMembership = RemoveFromRole, m.email, m.user, r.name, r.id, rm
				pl.add(idx, key, roleKey(r.name), c)
			} else {
				extra = append(extra, r.name)
			}
		}
		if len(extra) > 0 {
			pl.hold(idx, key, Held{Reason: NeedsPrune, Organization: orgID, Email: m.email, Roles: extra,
				Detail: fmt.Sprintf("%s is in roles the state does not list (%s); Prune removes them", m.email, strings.Join(extra, ", "))}, nil)
		}
		// A member's own pending invite is left alone: it cannot be
		// accepted while they are a member (PostHog: "You already are a
		// member of this organization."), and it goes when they are removed.
	}

	// Members the state does not list.
	for _, key := range sortedKeys(cur.members) {
		if want[key] != nil {
			continue
		}
		m := cur.members[key]
		switch {
		case cur.duplicates[key]:
			if pl.prune {
				safety(key, m.email, fmt.Sprintf("%s: more than one account has this address (in different case); remove them by hand", m.email))
			}
		case m.user == pl.me.UUID:
			if pl.prune {
				safety(key, m.email, fmt.Sprintf("%s is the key's own user: it is never removed", m.email))
			}
		case !pl.prune:
			pl.hold(idx, key, Held{Reason: NeedsPrune, Organization: orgID, Email: m.email,
				Detail: fmt.Sprintf("%s (%s) is a member the state does not list; Prune removes them", m.email, LevelOf(m.level))}, nil)
		case m.level == posthogapi.MembershipLevelOwner && !isOwner:
			safety(key, m.email, fmt.Sprintf("%s is an owner; only an owner can remove them, and the key's user is an admin", m.email))
		default:
			var demote *draft
			if m.level == posthogapi.MembershipLevelOwner {
				c := base
				c.Kind, c.Email, c.User, c.From, c.To = Demote, m.email, m.user, LevelOwner, LevelAdmin
				demote = pl.add(idx, key, "", c)
				ownerDown = append(ownerDown, demote)
			}
			c := base
			c.Kind, c.Email, c.User = RemoveMember, m.email, m.user
			pl.add(idx, key, "", c, demote)
			// Their own pending invites go too: after the removal they
			// would let them back in.
			pl.cancelPending(idx, key, cur)
		}
	}

	// Pending invites of people the state does not list.
	for _, key := range sortedKeys(cur.invites) {
		if want[key] != nil || cur.members[key] != nil {
			continue
		}
		if pl.prune {
			pl.cancelPending(idx, key, cur)
			continue
		}
		if inv := cur.pending(key); inv != nil {
			pl.hold(idx, key, Held{Reason: NeedsPrune, Organization: orgID, Email: inv.TargetEmail,
				Detail: fmt.Sprintf("%s is invited (%s) but not in the state; Prune cancels the invite", inv.TargetEmail, LevelOf(inv.Level))}, nil)
		}
	}

	pl.keepAnOwner(idx, orgID, cur, toOwner, ownerDown)
	return nil
}

// invitee plans a person who is not a member: an invite at their level,
// or a re-invite, and their roles wait until they join.
func (pl *planner) invitee(idx int, key string, p *Person, cur *orgState, isOwner bool) {
	orgID := cur.id
	level := p.level()
	if level == LevelOwner && !isOwner {
		pl.hold(idx, key, Held{Reason: Safety, Organization: orgID, Email: p.Email,
			Detail: fmt.Sprintf("%s: only an owner can invite an owner; the key's user is an admin", p.Email)}, nil)
		return
	}
	var pending []posthogapi.OrganizationInvite
	var expired *posthogapi.OrganizationInvite
	for i, inv := range cur.invites[key] {
		if inv.IsExpired {
			if expired == nil {
				expired = &cur.invites[key][i]
			}
			continue
		}
		pending = append(pending, inv)
	}
	var invite *draft
	keep := -1 // the pending invite that stays or is replaced
	for i, inv := range pending {
		if LevelOf(inv.Level) == level {
			keep = i
			break
		}
	}
	base := Change{Organization: orgID}
	switch {
	case keep >= 0:
	case len(pending) > 0:
		keep = 0
		c := base
		c.Kind, c.Email, c.From, c.To, c.Invite = Reinvite, pending[0].TargetEmail, LevelOf(pending[0].Level), level, pending[0].ID
		invite = pl.add(idx, key, "", c)
	default:
		email := strings.TrimSpace(p.Email)
		c := base
		if expired != nil {
			// The same address (as stored) replaces the expired invite.
			email, c.Invite = expired.TargetEmail, expired.ID
		}
		c.Kind, c.Email, c.To = Invite, email, level
		invite = pl.add(idx, key, "", c)
	}
	for i, inv := range pending {
		if i == keep || (invite != nil && inv.TargetEmail == pending[keep].TargetEmail) || inv.Level <= level.Membership() {
			// Kept, deleted by the re-invite (PostHog deletes the
			// address's earlier invites, matching it exactly), or another
			// spelling at the level or below: accepting one deletes the
			// others, and a lower level is raised by the next run. Only an
			// invite above the level is cancelled.
			continue
		}
		c := base
		c.Kind, c.Email, c.From, c.Invite = CancelInvite, inv.TargetEmail, LevelOf(inv.Level), inv.ID
		pl.add(idx, key, inv.TargetEmail, c)
	}
	if len(p.Roles) > 0 {
		names := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			names[i] = strings.TrimSpace(r)
		}
		sort.Strings(names)
		pl.hold(idx, key, Held{Reason: WaitsForJoin, Organization: orgID, Email: p.Email, Roles: names,
			Detail: fmt.Sprintf("%s gets roles %s after joining (PostHog gives roles only to members); run again then", p.Email, strings.Join(names, ", "))}, invite)
	}
}

// cancelPending cancels every pending invite for key.
func (pl *planner) cancelPending(idx int, key string, cur *orgState) {
	for _, inv := range cur.invites[key] {
		if inv.IsExpired {
			continue
		}
		pl.add(idx, key, inv.TargetEmail, Change{Organization: cur.id, Kind: CancelInvite, Email: inv.TargetEmail, From: LevelOf(inv.Level), Invite: inv.ID})
	}
}

// keepAnOwner makes sure the organization keeps an owner: owner demotions
// wait for the promotions to owner (a hand-over promotes before it
// demotes), and if no owner would be left, the first demotion (and the
// removal behind it) is held back.
func (pl *planner) keepAnOwner(idx int, orgID posthogapi.OrganizationID, cur *orgState, toOwner, ownerDown []*draft) {
	owners := 0
	for _, m := range cur.byUser {
		if m.level == posthogapi.MembershipLevelOwner {
			owners++
		}
	}
	if owners-len(ownerDown)+len(toOwner) <= 0 && len(ownerDown) > 0 {
		sort.SliceStable(ownerDown, func(i, j int) bool { return ownerDown[i].key < ownerDown[j].key })
		keep := ownerDown[0]
		keep.dropped = true
		for _, d := range pl.drafts {
			for _, dep := range d.deps {
				if dep == keep {
					d.dropped = true
				}
			}
		}
		pl.hold(idx, keep.key, Held{Reason: Safety, Organization: orgID, Email: keep.c.Email,
			Detail: fmt.Sprintf("%s stays owner: the organization would be left without one", keep.c.Email)}, nil)
		ownerDown = ownerDown[1:]
	}
	for _, d := range ownerDown {
		d.deps = append(d.deps, toOwner...)
	}
}

// finish sorts and numbers the changes.
func (pl *planner) finish() *ChangePlan {
	var live []*draft
	for _, d := range pl.drafts {
		if !d.dropped {
			live = append(live, d)
		}
	}
	sort.SliceStable(live, func(i, j int) bool {
		a, b := live[i], live[j]
		if a.org != b.org {
			return a.org < b.org
		}
		if phase[a.c.Kind] != phase[b.c.Kind] {
			return phase[a.c.Kind] < phase[b.c.Kind]
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.role < b.role
	})
	ids := map[*draft]int{}
	for i, d := range live {
		ids[d] = i + 1
	}
	p := &ChangePlan{Changes: make([]Change, 0, len(live)), Prune: pl.prune, Self: pl.me.UUID}
	for i, d := range live {
		c := d.c
		c.ID = i + 1
		for _, dep := range d.deps {
			if id := ids[dep]; id > 0 {
				c.DependsOn = append(c.DependsOn, id)
			}
		}
		sort.Ints(c.DependsOn)
		p.Changes = append(p.Changes, c)
	}
	sort.SliceStable(pl.held, func(i, j int) bool {
		a, b := pl.held[i], pl.held[j]
		if a.org != b.org {
			return a.org < b.org
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.h.Reason < b.h.Reason
	})
	for _, h := range pl.held {
		x := h.h
		if h.waitsFor != nil {
			x.WaitsFor = ids[h.waitsFor]
		}
		p.Held = append(p.Held, x)
	}
	return p
}
