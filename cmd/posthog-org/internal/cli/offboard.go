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
	refusal string // why the member is kept (the only owner)
	err     error  // reading the organization failed
}

func (a *App) offboardCommand() *cobra.Command {
	var allOrgs, yes, dryRun bool
	cmd := &cobra.Command{
		Use:   "offboard EMAIL",
		Short: "Remove a person from one organization (--org) or every organization (--all-orgs)",
		Long: `Offboard a person: remove their membership (with their role memberships) and
cancel their invites, in one organization (--org, or the key's current one)
or in every organization the key sees (--all-orgs). The address is matched
ignoring case. An organization's only owner is never removed: that
organization is reported as failed and left as it is.

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
			plans := eachOrgRun(ctx, a.concurrency, orgs, func(ctx context.Context, o *posthogapi.Organization) *offboardPlan {
				return planOffboard(ctx, c, o, email)
			})
			var results []Result
			removals, cancels := 0, 0
			for _, p := range plans {
				switch {
				case p.err != nil:
					st, d := outcome(p.err)
					results = append(results, Result{Organization: p.org.Name, Action: "read", Target: email, Status: st, Detail: d})
					continue
				case p.member == nil && len(p.invites) == 0:
					results = append(results, Result{Organization: p.org.Name, Action: "remove member", Target: email, Status: StatusSkipped, Detail: "not a member, no invite"})
					continue
				case p.refusal != "":
					results = append(results, Result{Organization: p.org.Name, Action: "remove member", Target: p.member.User.Email, Status: StatusFailed, Detail: p.refusal})
				case p.member != nil:
					removals++
				}
				cancels += len(p.invites)
			}
			if dryRun || removals+cancels == 0 {
				for _, p := range plans {
					results = append(results, p.results(StatusDryRun)...)
				}
				return a.report(results)
			}
			if err := a.confirm(yes, fmt.Sprintf("Offboard %s: remove from %d organization(s), cancel %d invite(s)", email, removals, cancels)); err != nil {
				return err
			}
			done := eachOrgRun(ctx, a.concurrency, orgs, func(ctx context.Context, o *posthogapi.Organization) []Result {
				for _, p := range plans {
					if p.org == o && p.err == nil {
						return p.apply(ctx, c)
					}
				}
				return nil
			})
			for _, rs := range done {
				results = append(results, rs...)
			}
			return a.report(results)
		}),
	}
	cmd.Flags().BoolVar(&allOrgs, "all-orgs", false, "offboard from every organization the key sees")
	dryRunFlag(cmd, &dryRun)
	yesFlag(cmd, &yes)
	return cmd
}

// planOffboard reads what offboarding email means in o.
func planOffboard(ctx context.Context, c *posthogapi.Client, o *posthogapi.Organization, email string) *offboardPlan {
	p := &offboardPlan{org: o}
	m, err := findMember(ctx, c, o.ID, email)
	if err != nil {
		p.err = err
		return p
	}
	p.member = m
	if p.invites, err = c.Invites.ListByEmail(ctx, o.ID, email); err != nil && !errors.Is(err, posthogapi.ErrPermissionDenied) {
		p.err = err
		return p
	}
	if m != nil && m.Level == posthogapi.MembershipLevelOwner {
		if err := lastOwnerCheck(ctx, c, o, m, "remove"); err != nil {
			if !isUsage(err) {
				p.err = err
				return p
			}
			p.refusal = "the only owner: make someone else owner first"
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
	if p.member != nil && p.refusal == "" {
		rs = append(rs, Result{Organization: p.org.Name, Action: "remove member", Target: p.member.User.Email, Status: st, Detail: p.member.Level.String()})
	}
	for _, inv := range p.invites {
		rs = append(rs, Result{Organization: p.org.Name, Action: "cancel invite", Target: inv.TargetEmail, Status: st, Detail: inv.ID.String()})
	}
	return rs
}

// apply makes the plan's changes: invites first, then the membership.
func (p *offboardPlan) apply(ctx context.Context, c *posthogapi.Client) []Result {
	rs := p.results(StatusDone)
	for i := range rs {
		var err error
		if rs[i].Action == "cancel invite" {
			id, _ := posthogapi.ParseID[posthogapi.InviteID](rs[i].Detail)
			err = c.Invites.Delete(ctx, p.org.ID, id)
		} else {
			err = c.Members.Delete(ctx, p.org.ID, p.member.User.UUID)
		}
		if err != nil {
			rs[i].Status, rs[i].Detail = outcome(err)
		}
	}
	return rs
}

// eachOrgRun runs fn for every organization, up to --concurrency at once, and
// returns the results in the organizations' order.
func eachOrgRun[T any](ctx context.Context, limit int, orgs []*posthogapi.Organization, fn func(context.Context, *posthogapi.Organization) T) []T {
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
