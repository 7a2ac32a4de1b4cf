package access

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/internal/emails"
)

// Status is what became of one change when a plan was applied.
type Status string

// Statuses.
const (
	// Done: PostHog made the change (its answer said so, or a re-read
	// after an unknown outcome showed it).
	Done Status = "done"
	// Failed: PostHog refused the change or it was not sent; nothing
	// changed. Running Plan again plans it again.
	Failed Status = "failed"
	// Skipped: a change it depends on is not done, so it was not sent.
	Skipped Status = "skipped"
	// Unknown: the answer was lost (posthogapi.ErrOutcomeUnknown) and a
	// re-read could not show the change. It was not sent again, and what
	// depends on it was skipped; Plan, run later, shows whether it
	// happened.
	Unknown Status = "unknown"
	// NotSent: a dry run; nothing was sent.
	NotSent Status = "not_sent"
)

// ApplyOptions changes how Apply runs. No option turns the safety rules
// off.
type ApplyOptions struct {
	// DryRun sends no request at all and reports every change NotSent.
	DryRun bool
}

// Result is the outcome of one change.
type Result struct {
	Change Change `json:"change"`
	Status Status `json:"status"`
	// Error says why a change failed, was skipped or is unknown.
	Error string `json:"error,omitempty"`
	// Err is the error behind Error (nil when done).
	Err error `json:"-"`
}

// Report is what Apply did, change by change, in the plan's order.
type Report struct {
	Results []Result `json:"results"`
	DryRun  bool     `json:"dry_run,omitempty"`
}

// Count returns how many changes ended with status st.
func (r *Report) Count(st Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == st {
			n++
		}
	}
	return n
}

// Err joins the errors of the changes that are not done (nil when all are,
// and for a dry run).
func (r *Report) Err() error {
	var errs []error
	for _, res := range r.Results {
		if res.Status != Done && res.Status != NotSent {
			errs = append(errs, fmt.Errorf("change %d (%s): %s: %w", res.Change.ID, res.Change.String(), res.Status, res.Err))
		}
	}
	return errors.Join(errs...)
}

// String is the report as text: one line per change and a summary.
func (r *Report) String() string {
	var b strings.Builder
	for _, res := range r.Results {
		fmt.Fprintf(&b, "%3d. %-8s %s", res.Change.ID, res.Status, res.Change.String())
		if res.Error != "" {
			fmt.Fprintf(&b, ": %s", res.Error)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "applied: %d done, %d failed, %d skipped, %d unknown", r.Count(Done), r.Count(Failed), r.Count(Skipped), r.Count(Unknown))
	if r.DryRun {
		fmt.Fprintf(&b, ", %d not sent (dry run)", r.Count(NotSent))
	}
	b.WriteByte('\n')
	return b.String()
}

// ErrRefused is wrapped by the error of a change Apply refuses to send
// because it would break a safety rule: removing or demoting the key's own
// user, or leaving an organization without an owner.
var ErrRefused = errors.New("access: refused by a safety rule")

// Apply runs the plan's changes in order, one at a time, and reports each
// one (Done, Failed, Skipped, Unknown). A change whose dependencies are
// not all done is skipped. A write whose outcome is unknown (a lost
// answer, a 5xx, see posthogapi.ErrOutcomeUnknown) is never sent again:
// Apply re-reads what it should have changed before going on, and counts
// it done if the change shows, Unknown otherwise. Nothing is retried
// beyond the client's own retry policy, so no invite is ever sent twice;
// run Plan again to finish what failed.
//
// The safety rules hold whatever the plan says (a plan may have been
// edited or be stale): Apply reads the key's user first and refuses
// (ErrRefused) to remove or demote it, and before demoting an owner it
// reads the organization's members and refuses when no other owner would
// be left. With DryRun it sends nothing at all.
//
// The error is the report's Err, or the error of reading the key's user.
// Apply uses the writes of the plan's change kinds and the reads needed
// to check and re-read them:
//
// API: GET /api/users/{uuid}/ (scope user:read)
// API: POST /api/organizations/{organization_id}/invites/ (scope organization_member:write)
// API: DELETE /api/organizations/{organization_id}/invites/{id}/ (scope organization_member:write)
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
// API: PATCH /api/organizations/{organization_id}/members/{user__uuid}/ (scope organization_member:write)
// API: DELETE /api/organizations/{organization_id}/members/{user__uuid}/ (scope organization_member:write)
// API: GET /api/organizations/{organization_id}/members/ (scope organization_member:read)
// API: POST /api/organizations/{organization_id}/roles/ (scope organization:write)
// API: GET /api/organizations/{organization_id}/roles/ (scope organization:read)
// API: GET /api/organizations/{organization_id}/roles/{id}/ (scope organization:read)
// API: POST /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ (scope organization:write)
// API: DELETE /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ (scope organization:write)
func Apply(ctx context.Context, c *posthogapi.Client, plan *ChangePlan, opts *ApplyOptions) (*Report, error) {
	if c == nil || plan == nil {
		return nil, fmt.Errorf("%w: nil client or plan", posthogapi.ErrInvalidArgument)
	}
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", posthogapi.ErrInvalidArgument)
	}
	if opts == nil {
		opts = &ApplyOptions{}
	}
	r := &Report{Results: make([]Result, 0, len(plan.Changes)), DryRun: opts.DryRun}
	if opts.DryRun {
		for _, ch := range plan.Changes {
			r.Results = append(r.Results, Result{Change: ch, Status: NotSent})
		}
		return r, nil
	}
	me, err := c.Users.Me(ctx)
	if err != nil {
		return nil, fmt.Errorf("access: reading the key's user: %w", err)
	}
	a := &applier{c: c, me: me, status: map[int]Status{}, roles: map[string]posthogapi.RoleID{}}
	for _, ch := range plan.Changes {
		res := a.run(ctx, ch)
		a.status[ch.ID] = res.Status
		if res.Err != nil {
			res.Error = res.Err.Error()
		}
		r.Results = append(r.Results, res)
	}
	return r, r.Err()
}

type applier struct {
	c      *posthogapi.Client
	me     *posthogapi.User
	status map[int]Status
	// roles are the IDs of the roles created so far, by organization and
	// roleKey.
	roles map[string]posthogapi.RoleID
}

func roleRef(org posthogapi.OrganizationID, name string) string {
	return org.String() + "/" + roleKey(name)
}

// run applies one change.
func (a *applier) run(ctx context.Context, ch Change) Result {
	res := Result{Change: ch}
	for _, d := range ch.DependsOn {
		if st := a.status[d]; st != Done {
			if st == "" {
				st = "not run"
			}
			res.Status, res.Err = Skipped, fmt.Errorf("change %d it depends on is %s", d, st)
			return res
		}
	}
	if err := a.safe(ctx, ch); err != nil {
		res.Status, res.Err = Failed, err
		return res
	}
	err := a.write(ctx, ch)
	if err == nil {
		res.Status = Done
		return res
	}
	if !mayHaveHappened(ch, err) {
		res.Status, res.Err = Failed, err
		return res
	}
	// The outcome is unknown: re-read before going on, never re-send.
	done, rerr := a.check(ctx, ch)
	switch {
	case rerr != nil:
		res.Status, res.Err = Unknown, fmt.Errorf("%w (re-reading failed too: %v)", err, rerr)
	case done:
		res.Status = Done
	default:
		res.Status, res.Err = Unknown, fmt.Errorf("%w (a re-read does not show the change yet; not sent again)", err)
	}
	return res
}

// mayHaveHappened reports whether a write that returned err may still
// have been made: a lost or unreadable answer or a server error, and, for
// a DELETE (which the client retries), a 404 that may answer the retry of
// a delete that happened.
func mayHaveHappened(ch Change, err error) bool {
	if errors.Is(err, posthogapi.ErrOutcomeUnknown) {
		return true
	}
	var ae *posthogapi.APIError
	if errors.As(err, &ae) && ae.StatusCode >= 500 {
		return true
	}
	var te *posthogapi.TransportError
	if errors.As(err, &te) && te.OutcomeUnknown {
		return true
	}
	switch ch.Kind {
	case CancelInvite, RemoveFromRole, RemoveMember:
		return errors.Is(err, posthogapi.ErrNotFound)
	}
	return false
}

// safe refuses changes that break a safety rule.
func (a *applier) safe(ctx context.Context, ch Change) error {
	switch ch.Kind {
	case Demote, RemoveMember:
	default:
		return nil
	}
	if ch.User == a.me.UUID {
		return fmt.Errorf("%w: %s is the key's own user", ErrRefused, ch.Email)
	}
	if ch.Kind != Demote || ch.From != LevelOwner {
		return nil
	}
	others := 0
	for m, err := range a.c.Members.All(ctx, ch.Organization, nil) {
		if err != nil {
			return fmt.Errorf("checking the organization keeps an owner: %w", err)
		}
		if m.Level == posthogapi.MembershipLevelOwner && m.User.UUID != ch.User {
			others++
		}
	}
	if others == 0 {
		return fmt.Errorf("%w: %s is the organization's last owner", ErrRefused, ch.Email)
	}
	return nil
}

// write sends the change.
func (a *applier) write(ctx context.Context, ch Change) error {
	org := ch.Organization
	switch ch.Kind {
	case CreateRole:
		r, err := a.c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: ch.Role})
		if err == nil {
			a.roles[roleRef(org, ch.Role)] = r.ID
		}
		return err
	case Promote, Demote:
		_, err := a.c.Members.Update(ctx, org, ch.User, &posthogapi.MemberUpdate{Level: ch.To.Membership()})
		return err
	case Invite, Reinvite:
		_, err := a.c.Invites.Create(ctx, org, &posthogapi.InviteCreate{TargetEmail: ch.Email, Level: ch.To.Membership()})
		return err
	case CancelInvite:
		return a.c.Invites.Delete(ctx, org, ch.Invite)
	case AddToRole:
		id, err := a.roleID(ch)
		if err != nil {
			return err
		}
		_, err = a.c.Roles.AddUser(ctx, org, id, ch.User)
		return err
	case RemoveFromRole:
		return a.c.Roles.RemoveMembership(ctx, org, ch.RoleID, ch.RoleMembership)
	case RemoveMember:
		return a.c.Members.Delete(ctx, org, ch.User)
	}
	return fmt.Errorf("%w: unknown change kind %q", posthogapi.ErrInvalidArgument, ch.Kind)
}

func (a *applier) roleID(ch Change) (posthogapi.RoleID, error) {
	if !ch.RoleID.IsZero() {
		return ch.RoleID, nil
	}
	if id, ok := a.roles[roleRef(ch.Organization, ch.Role)]; ok {
		return id, nil
	}
	return posthogapi.RoleID{}, fmt.Errorf("%w: role %q has no ID (it was not created by this plan)", posthogapi.ErrInvalidArgument, ch.Role)
}

// check re-reads whether ch happened.
func (a *applier) check(ctx context.Context, ch Change) (bool, error) {
	org := ch.Organization
	switch ch.Kind {
	case CreateRole:
		for r, err := range a.c.Roles.All(ctx, org, nil) {
			if err != nil {
				return false, err
			}
			if roleKey(r.Name) == roleKey(ch.Role) {
				a.roles[roleRef(org, ch.Role)] = r.ID
				return true, nil
			}
		}
		return false, nil
	case Promote, Demote, RemoveMember:
		found := false
		for m, err := range a.c.Members.All(ctx, org, nil) {
			if err != nil {
				return false, err
			}
			if m.User.UUID == ch.User {
				found = true
				if ch.Kind != RemoveMember {
					return m.Level == ch.To.Membership(), nil
				}
			}
		}
		return ch.Kind == RemoveMember && !found, nil
	case Invite, Reinvite, CancelInvite:
		invites, err := a.c.Invites.ListByEmail(ctx, org, ch.Email)
		if err != nil {
			return false, err
		}
		for _, inv := range invites {
			if ch.Kind == CancelInvite && inv.ID == ch.Invite {
				return false, nil
			}
			if ch.Kind != CancelInvite && inv.TargetEmail == emails.InviteAddress(ch.Email) && !inv.IsExpired &&
				inv.Level == ch.To.Membership() && inv.ID != ch.Invite {
				return true, nil
			}
		}
		return ch.Kind == CancelInvite, nil
	case AddToRole, RemoveFromRole:
		id, err := a.roleID(ch)
		if err != nil {
			return false, err
		}
		r, err := a.c.Roles.Get(ctx, org, id)
		if err != nil {
			if ch.Kind == RemoveFromRole && errors.Is(err, posthogapi.ErrNotFound) {
				return true, nil // the role is gone, and the membership with it
			}
			return false, err
		}
		in := false
		for _, m := range r.Members {
			if m.User.UUID == ch.User {
				in = true
			}
		}
		return in == (ch.Kind == AddToRole), nil
	}
	return false, fmt.Errorf("%w: unknown change kind %q", posthogapi.ErrInvalidArgument, ch.Kind)
}
