package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hogkit/posthogapi"
	"github.com/spf13/cobra"
)

// offboardPlan is what offboarding does in one organization.
type offboardPlan struct {
	org     *posthogapi.Organization
	member  *posthogapi.OrganizationMember // nil: not a member
	invites []posthogapi.OrganizationInvite
	demote  bool   // an owner, demoted to admin before the removal
	refusal string // why the member is kept (the only owner)
	err     error  // reading the organization failed
}

func (a *App) offboardCommand() *cobra.Command {
	var allOrgs, demoteOwner, yes, dryRun bool
	cmd := &cobra.Command{
		Use:   "offboard EMAIL",
		Short: "Remove a person from one organization (--org) or every organization (--all-orgs)",
		Long: `Offboard a person: remove their membership (with their role memberships) and
cancel their invites, in one organization (--org, or the key's current one)
or in every organization the key sees (--all-orgs). The address is matched
ignoring case. PostHog removes no owner: with --demote-owner an owner is
demoted to admin first, then removed; without it, and always for an
organization's only owner, that organization is reported as failed and its
membership left as it is. The key's own user is never removed.

Everything is read first and shown; on a terminal you confirm once, otherwise
--yes is needed. Organizations are then worked on at once (up to
--concurrency); when some fail and others succeed the exit code is 3.`,
		Example: `  posthog-org offboard ann@example.com --all-orgs --dry-run
  posthog-org offboard ann@example.com --all-orgs --yes
  posthog-org offboard ann@example.com --org acme`,
		Args: exactArgs("EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			email, err := checkEmail(args[0])
			if err != nil {
				return err
			}
			if allOrgs && a.orgFlag != "" {
				return usagef("--org and --all-orgs exclude each other")
			}
			c, err := a.api()
			if err != nil {
				return err
			}
			var orgs []*posthogapi.Organization
			if allOrgs {
				if orgs, err = collect(c.Organizations.All(ctx, nil)); err != nil {
					return fmt.Errorf("listing organizations: %w", err)
				}
			} else {
				o, err := a.org(ctx)
				if err != nil {
					return err
				}
				orgs = []*posthogapi.Organization{o}
			}
			bar := a.bar(len(orgs), "reading organizations")
			plans := eachOrgRun(ctx, a.concurrency, orgs, func(ctx context.Context, o *posthogapi.Organization) *offboardPlan {
				defer bar.Add(1)
				return a.planOffboard(ctx, o, email, demoteOwner)
			})
			bar.Done()
			removals, cancels := 0, 0
			for _, p := range plans {
				if p.err == nil && p.member != nil && p.refusal == "" {
					removals++
				}
				if p.err == nil {
					cancels += len(p.invites)
				}
			}
			changes := make([][]Result, len(plans))
			if dryRun || removals+cancels == 0 {
				for i, p := range plans {
					changes[i] = p.results(StatusDryRun)
				}
			} else {
				if err := a.confirm(yes, fmt.Sprintf("Offboard %s: remove from %d organization(s), cancel %d invite(s)", email, removals, cancels)); err != nil {
					return err
				}
				bar := a.bar(len(plans), "offboarding")
				changes = eachOrgRun(ctx, a.concurrency, plans, func(ctx context.Context, p *offboardPlan) []Result {
					defer bar.Add(1)
					if p.err != nil {
						return nil
					}
					return p.apply(ctx, c)
				})
				bar.Done()
			}
			var results []Result
			for i, p := range plans {
				switch {
				case p.err != nil:
					st, d := outcome(p.err)
					results = append(results, Result{Organization: p.org.Name, Action: "read", Target: email, Status: st, Detail: d})
				case p.member == nil && len(p.invites) == 0:
					results = append(results, Result{Organization: p.org.Name, Action: actionRemove, Target: email, Status: StatusSkipped, Detail: "not a member, no invite"})
				case p.refusal != "":
					results = append(results, Result{Organization: p.org.Name, Action: actionRemove, Target: p.member.User.Email, Status: StatusFailed, Detail: p.refusal})
				}
				results = append(results, changes[i]...)
			}
			return a.report(results)
		}),
	}
	cmd.Flags().BoolVar(&allOrgs, "all-orgs", false, "offboard from every organization the key sees")
	cmd.Flags().BoolVar(&demoteOwner, "demote-owner", false, "demote an owner to admin first (never an organization's only owner)")
	dryRunFlag(cmd, &dryRun)
	yesFlag(cmd, &yes)
	return cmd
}

// planOffboard reads what offboarding email means in o.
func (a *App) planOffboard(ctx context.Context, o *posthogapi.Organization, email string, demoteOwner bool) *offboardPlan {
	c := a.client
	p := &offboardPlan{org: o}
	m, err := findMember(ctx, c, o.ID, email)
	if err != nil {
		p.err = err
		return p
	}
	p.member = m
	if m != nil {
		if err := a.selfCheck(ctx, m, "remove"); err != nil {
			if !isUsage(err) {
				p.err = err
				return p
			}
			p.refusal = "the key's own user: removing it would lock this key out"
		}
	}
	if p.invites, err = c.Invites.ListByEmail(ctx, o.ID, email); err != nil && !errors.Is(err, posthogapi.ErrPermissionDenied) {
		p.err = err
		return p
	}
	if m != nil && p.refusal == "" && m.Level == posthogapi.MembershipLevelOwner {
		if err := lastOwnerCheck(ctx, c, o, m, "remove"); err != nil {
			if !isUsage(err) {
				p.err = err
				return p
			}
			p.refusal = "the only owner: make someone else owner first"
			return p
		}
		p.demote = demoteOwner
		if !demoteOwner {
			p.refusal = "an owner: PostHog removes no owner (--demote-owner demotes them first)"
		}
	}
	return p
}

// results are the plan's changes with status st (for --dry-run).
func (p *offboardPlan) results(st Status) []Result {
	if p.err != nil {
		return nil
	}
	var rs []Result
	for _, inv := range p.invites {
		rs = append(rs, Result{Organization: p.org.Name, Action: actionCancelInvite, Target: inv.TargetEmail, Status: st, Detail: inv.ID.String()})
	}
	if p.member != nil && p.refusal == "" {
		if p.demote {
			rs = append(rs, Result{Organization: p.org.Name, Action: actionDemote, Target: p.member.User.Email, Status: st, Detail: "owner -> admin"})
		}
		rs = append(rs, Result{Organization: p.org.Name, Action: actionRemove, Target: p.member.User.Email, Status: st, Detail: p.member.Level.String()})
	}
	return rs
}

// The actions of an offboarding.
const (
	actionCancelInvite = "cancel invite"
	actionDemote       = "demote to admin"
	actionRemove       = "remove member"
)

// apply makes the plan's changes: invites first, then the membership (an
// owner demoted first; the removal is skipped when the demotion failed).
func (p *offboardPlan) apply(ctx context.Context, c *posthogapi.Client) []Result {
	rs := p.results(StatusDone)
	demoted := true
	for i := range rs {
		var err error
		switch rs[i].Action {
		case actionCancelInvite:
			id, _ := posthogapi.ParseID[posthogapi.InviteID](rs[i].Detail)
			err = c.Invites.Delete(ctx, p.org.ID, id)
		case actionDemote:
			_, err = c.Members.Update(ctx, p.org.ID, p.member.User.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
			demoted = err == nil
		default:
			if !demoted {
				rs[i].Status, rs[i].Detail = StatusSkipped, "the demotion before it did not succeed"
				continue
			}
			err = c.Members.Delete(ctx, p.org.ID, p.member.User.UUID)
		}
		if err != nil {
			rs[i] = rs[i].with(err)
		}
	}
	return rs
}

// eachOrgRun runs fn for every organization, up to --concurrency at once, and
// returns the results in the organizations' order.
func eachOrgRun[O, T any](ctx context.Context, limit int, orgs []O, fn func(context.Context, O) T) []T {
	out := make([]T, len(orgs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, o := range orgs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = fn(ctx, o)
		})
	}
	wg.Wait()
	return out
}
