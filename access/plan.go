package access

import (
	"context"
	"fmt"
	"strings"

	"github.com/hogkit/posthogapi"
)

// ChangeKind is what a Change does.
type ChangeKind string

// Change kinds, in the order a plan runs them within an organization.
const (
	// CreateRole creates a role (Role).
	CreateRole ChangeKind = "create_role"
	// Promote raises a member's level (From → To). Promotions come first,
	// so that an owner hand-over makes the new owner before the old one
	// is demoted.
	Promote ChangeKind = "promote"
	// Invite invites a person who is neither a member nor invited (To is
	// the level). An expired invite for the address is replaced.
	Invite ChangeKind = "invite"
	// Reinvite replaces a pending invite at another level (From → To):
	// PostHog cannot change an invite, and a new invite for the same
	// address deletes the earlier one.
	Reinvite ChangeKind = "reinvite"
	// AddToRole gives a member a role.
	AddToRole ChangeKind = "add_to_role"
	// RemoveFromRole takes a role from a member (with Prune only).
	RemoveFromRole ChangeKind = "remove_from_role"
	// CancelInvite deletes a pending invite: for a person the state does
	// not list (with Prune only; also the invite of a member being
	// removed), or another invite of a listed person at a level above
	// theirs (one they could join with).
	CancelInvite ChangeKind = "cancel_invite"
	// Demote lowers a member's level (From → To).
	Demote ChangeKind = "demote"
	// RemoveMember removes a member from the organization (with Prune
	// only). An owner is demoted to admin first (PostHog refuses to
	// remove an owner), by a Demote the removal depends on.
	RemoveMember ChangeKind = "remove_member"
)

// phase orders the kinds.
var phase = map[ChangeKind]int{
	CreateRole: 0, Promote: 1, Invite: 2, Reinvite: 2, AddToRole: 3, RemoveFromRole: 4,
	CancelInvite: 5, Demote: 6, RemoveMember: 7,
}

// Change is one write of a plan.
type Change struct {
	// ID is the change's position in the plan, from 1.
	ID           int                       `json:"id"`
	Kind         ChangeKind                `json:"kind"`
	Organization posthogapi.OrganizationID `json:"organization"`
	// Email is the person's address as the write sends it: a member's as
	// PostHog stores it, an invite's target as the state or an existing
	// invite spells it.
	Email string `json:"email,omitempty"`
	// Role is the role's name (CreateRole, AddToRole, RemoveFromRole).
	Role string `json:"role,omitempty"`
	// From and To are levels: From the current one (Promote, Demote,
	// Reinvite), To the new one (also Invite).
	From Level `json:"from,omitempty"`
	To   Level `json:"to,omitempty"`
	// DependsOn are the IDs of changes that must be done first; Apply
	// skips this change when one of them is not done.
	DependsOn []int `json:"depends_on,omitempty"`
	// The IDs the write addresses, as read when planning. RoleID is zero
	// for a role the plan creates; User is the member's user.
	User           posthogapi.UserUUID         `json:"user,omitzero"`
	RoleID         posthogapi.RoleID           `json:"role_id,omitzero"`
	RoleMembership posthogapi.RoleMembershipID `json:"role_membership,omitzero"`
	Invite         posthogapi.InviteID         `json:"invite,omitzero"`
}

// String describes the change on one line.
func (c *Change) String() string {
	var s string
	switch c.Kind {
	case CreateRole:
		s = fmt.Sprintf("create role %q", c.Role)
	case Promote:
		s = fmt.Sprintf("promote %s from %s to %s", c.Email, c.From, c.To)
	case Demote:
		s = fmt.Sprintf("demote %s from %s to %s", c.Email, c.From, c.To)
	case Invite:
		s = fmt.Sprintf("invite %s as %s", c.Email, c.To)
	case Reinvite:
		s = fmt.Sprintf("re-invite %s as %s (invited as %s)", c.Email, c.To, c.From)
	case CancelInvite:
		s = fmt.Sprintf("cancel the invite of %s (%s)", c.Email, c.From)
	case AddToRole:
		s = fmt.Sprintf("add %s to role %q", c.Email, c.Role)
	case RemoveFromRole:
		s = fmt.Sprintf("remove %s from role %q", c.Email, c.Role)
	case RemoveMember:
		s = fmt.Sprintf("remove %s from the organization", c.Email)
	default:
		s = string(c.Kind)
	}
	if len(c.DependsOn) > 0 {
		ids := make([]string, len(c.DependsOn))
		for i, d := range c.DependsOn {
			ids[i] = fmt.Sprint(d)
		}
		s += " (after " + strings.Join(ids, ", ") + ")"
	}
	return s
}

// HeldReason says why a Held entry is not a change.
type HeldReason string

// Reasons a difference is held back.
const (
	// WaitsForJoin: the person is invited and has not joined, so they
	// cannot be given roles yet; a run after they join gives them.
	WaitsForJoin HeldReason = "waits_for_join"
	// NeedsPrune: a removal (of a member, an invite or a role membership)
	// that only Prune makes.
	NeedsPrune HeldReason = "needs_prune"
	// Safety: a change the safety rules refuse, whatever the options:
	// removing or demoting the key's own user, leaving the organization
	// without an owner, a change the key's user may not make (only
	// owners make, demote or remove owners), an address two accounts
	// share.
	Safety HeldReason = "safety"
)

// Held is a difference between the desired and the current state that the
// plan does not change, and why.
type Held struct {
	Reason       HeldReason                `json:"reason"`
	Organization posthogapi.OrganizationID `json:"organization"`
	Email        string                    `json:"email,omitempty"`
	// Roles are the roles the person waits for (WaitsForJoin) or the
	// role memberships Prune would remove (NeedsPrune).
	Roles []string `json:"roles,omitempty"`
	// WaitsFor is the ID of the plan's invite the person must accept
	// (WaitsForJoin), 0 when they were invited earlier.
	WaitsFor int `json:"waits_for,omitempty"`
	// Detail says what is held, for people.
	Detail string `json:"detail"`
}

// String describes the held difference on one line.
func (h *Held) String() string { return string(h.Reason) + ": " + h.Detail }

// PlanOptions changes what Plan plans. No option turns the safety rules
// off.
type PlanOptions struct {
	// Prune removes what the desired state does not list: members
	// (RemoveMember), pending invites (CancelInvite) and role memberships
	// (RemoveFromRole). Without it, those are only reported (NeedsPrune).
	Prune bool
}

// ChangePlan is what Plan returns: the ordered changes that make the
// current state the desired one, and what it holds back. Its String is
// the text form; encoding/json gives the JSON form (all fields tagged).
// Both are deterministic: the same states give the same plan.
type ChangePlan struct {
	// Changes in the order Apply runs them: organizations in the order of
	// the desired state; within one, by ChangeKind (create roles,
	// promote, invite, add to roles, remove from roles, cancel invites,
	// demote, remove members), then by EmailKey and role name.
	Changes []Change `json:"changes"`
	// Held are the differences not planned, in the same order.
	Held []Held `json:"held,omitempty"`
	// Prune records PlanOptions.Prune.
	Prune bool `json:"prune"`
	// Self is the key's own user, whom the plan never removes or demotes.
	Self posthogapi.UserUUID `json:"self"`
}

// Empty reports whether the plan has no change.
func (p *ChangePlan) Empty() bool { return p == nil || len(p.Changes) == 0 }

// String is the plan as text: one line per change and per held
// difference, grouped by organization, and a summary line.
func (p *ChangePlan) String() string {
	if p == nil {
		return "no plan\n"
	}
	var b strings.Builder
	// Organizations in the order they come, each with its changes and then
	// what it holds back.
	var orgs []posthogapi.OrganizationID
	seen := map[posthogapi.OrganizationID]bool{}
	note := func(id posthogapi.OrganizationID) {
		if !seen[id] {
			seen[id] = true
			orgs = append(orgs, id)
		}
	}
	for _, c := range p.Changes {
		note(c.Organization)
	}
	for _, h := range p.Held {
		note(h.Organization)
	}
	for _, id := range orgs {
		fmt.Fprintf(&b, "organization %s:\n", id)
		for i := range p.Changes {
			if c := &p.Changes[i]; c.Organization == id {
				fmt.Fprintf(&b, "  %3d. %s\n", c.ID, c.String())
			}
		}
		for i := range p.Held {
			if h := &p.Held[i]; h.Organization == id {
				fmt.Fprintf(&b, "     - %s\n", h.String())
			}
		}
	}
	counts := map[ChangeKind]int{}
	for _, c := range p.Changes {
		counts[c.Kind]++
	}
	var parts []string
	for _, k := range []ChangeKind{CreateRole, Promote, Invite, Reinvite, AddToRole, RemoveFromRole, CancelInvite, Demote, RemoveMember} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to change")
	}
	fmt.Fprintf(&b, "plan: %d changes (%s), %d held\n", len(p.Changes), strings.Join(parts, ", "), len(p.Held))
	return b.String()
}

// Plan reads the current state of the desired state's organizations and
// returns the changes that make it the desired one. It sends no write.
//
// It reads with the fewest requests: the key's user (Users.Me) and, for
// each organization, the member, invite and role lists, all side by side
// (each list's pages fetched ahead, see posthogapi.WithPrefetch). Role
// memberships come embedded in the role list (Role.Members, complete; see
// the package documentation), so no role is read on its own: the reads
// take as many round trips as the longest list has pages, not one per role.
//
// The key needs user:read, organization_member:read and organization:read
// (and the write scopes to Apply), and its user must be an admin of each
// organization: PostHog lets only admins change access.
//
// API: GET /api/users/{uuid}/ (scope user:read)
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
func Plan(ctx context.Context, c *posthogapi.Client, desired *State, opts *PlanOptions) (*ChangePlan, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil client", posthogapi.ErrInvalidArgument)
	}
	if err := desired.Validate(); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &PlanOptions{}
	}
	ids := make([]posthogapi.OrganizationID, len(desired.Organizations))
	for i, o := range desired.Organizations {
		ids[i] = o.ID
	}
	me, current, err := readAll(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	return planFrom(me, desired, current, opts)
}
