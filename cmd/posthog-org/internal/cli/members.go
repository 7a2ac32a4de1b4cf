package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
)

var memberColumns = []output.Column[*posthogapi.OrganizationMember]{
	{Header: "email", Value: func(m *posthogapi.OrganizationMember) string { return m.User.Email }},
	{Header: "name", Value: func(m *posthogapi.OrganizationMember) string { return fullName(m.User) }},
	{Header: "level", Value: func(m *posthogapi.OrganizationMember) string { return m.Level.String() }},
	{Header: "2fa", Value: func(m *posthogapi.OrganizationMember) string { return yesNo(m.Is2FAEnabled) }},
	{Header: "last login", Value: func(m *posthogapi.OrganizationMember) string { return fmtTime(m.LastLogin) }},
	{Header: "joined", Value: func(m *posthogapi.OrganizationMember) string { return m.JoinedAt.UTC().Format(time.DateOnly) }},
	{Header: "user uuid", Value: func(m *posthogapi.OrganizationMember) string { return m.User.UUID.String() }},
}

func fullName(u posthogapi.UserBasic) string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

func (a *App) membersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "members",
		Aliases: []string{"member"},
		Short:   "List members, show one, change their level or remove them",
	}
	var dryRun, yes bool
	setLevel := &cobra.Command{
		Use:   "set-level EMAIL LEVEL",
		Short: "Set a member's level (member, admin or owner)",
		Long: `Set a member's level: member, admin or owner. The organization's only owner
is never demoted (make someone else owner first), nor the key's own user.`,
		Example: `  posthog-org members set-level ann@example.com admin
  posthog-org members set-level ann@example.com member --org acme --dry-run`,
		Args: exactArgs("EMAIL", "LEVEL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			level, err := parseLevel(args[1])
			if err != nil {
				return err
			}
			org, m, err := a.member(ctx, args[0])
			if err != nil {
				return err
			}
			r := Result{Organization: org.Name, Action: "set level " + level.String(), Target: m.User.Email}
			switch {
			case m.Level == level:
				r.Status, r.Detail = StatusSkipped, "already "+level.String()
				return a.report([]Result{r})
			case level < m.Level:
				if err := a.selfCheck(ctx, m, "demote"); err != nil {
					return err
				}
				if err := lastOwnerCheck(ctx, a.client, org, m, "demote"); err != nil {
					return err
				}
			}
			if dryRun {
				r.Status, r.Detail = StatusDryRun, "from "+m.Level.String()
				return a.report([]Result{r})
			}
			_, err = a.client.Members.Update(ctx, org.ID, m.User.UUID, &posthogapi.MemberUpdate{Level: level})
			r = r.with(err)
			if err == nil {
				r.Detail = "was " + m.Level.String()
			}
			return a.report([]Result{r})
		}),
	}
	dryRunFlag(setLevel, &dryRun)
	setLevel.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return []cobra.Completion{"member", "admin", "owner"}, cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}

	remove := &cobra.Command{
		Use:   "remove EMAIL",
		Short: "Remove a member from the organization",
		Long: `Remove a member from the organization (their role memberships go with it).
PostHog removes no owner: demote an owner to admin first (set-level). The
key's own user is never removed (it would lock the key out). Asks for confirmation on a
terminal; needs --yes otherwise.`,
		Example: `  posthog-org members remove ann@example.com
  posthog-org members remove ann@example.com --org acme --yes`,
		Args: exactArgs("EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			org, m, err := a.member(ctx, args[0])
			if err != nil {
				return err
			}
			if err := a.selfCheck(ctx, m, "remove"); err != nil {
				return err
			}
			if err := lastOwnerCheck(ctx, a.client, org, m, "remove"); err != nil {
				return err
			}
			if m.Level == posthogapi.MembershipLevelOwner {
				return usagef("%s is an owner of %s and PostHog removes no owner: set their level to admin first", m.User.Email, org.Name)
			}
			r := Result{Organization: org.Name, Action: "remove member", Target: m.User.Email}
			if dryRun {
				r.Status, r.Detail = StatusDryRun, m.Level.String()
				return a.report([]Result{r})
			}
			if err := a.confirm(yes, fmt.Sprintf("Remove %s (%s) from %s", m.User.Email, m.Level, org.Name)); err != nil {
				return err
			}
			r = r.with(a.client.Members.Delete(ctx, org.ID, m.User.UUID))
			return a.report([]Result{r})
		}),
	}
	dryRunFlag(remove, &dryRun)
	yesFlag(remove, &yes)

	cmd.AddCommand(listCommand(a, "List the organization's members", `  posthog-org members list
  posthog-org members list --org acme -o csv`,
		func(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID) ([]*posthogapi.OrganizationMember, error) {
			return collect(c.Members.All(ctx, org, &posthogapi.MemberListOptions{Order: posthogapi.MemberOrderJoinedAt}))
		}, memberColumns), &cobra.Command{
		Use:   "get EMAIL",
		Short: "Show one member, by email or user UUID",
		Example: `  posthog-org members get ann@example.com
  posthog-org members get ann@example.com -o json`,
		Args: exactArgs("EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			_, m, err := a.member(ctx, args[0])
			if err != nil {
				return err
			}
			return printOne(a, m, memberColumns)
		}),
	}, setLevel, remove)
	return cmd
}

// member resolves the organization and a member of it; not a member is an
// error.
func (a *App) member(ctx context.Context, who string) (*posthogapi.Organization, *posthogapi.OrganizationMember, error) {
	if _, err := checkEmailOrUUID(who); err != nil {
		return nil, nil, err
	}
	org, err := a.org(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, err := findMember(ctx, a.client, org.ID, who)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, fmt.Errorf("%s is not a member of %s", who, org.Name)
	}
	return org, m, nil
}

func dryRunFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "dry-run", false, "print what would change and send no write")
}

func yesFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVarP(p, "yes", "y", false, "do not ask for confirmation (needed when stdin is not a terminal)")
}
