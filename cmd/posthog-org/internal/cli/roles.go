package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
)

var roleColumns = []output.Column[*posthogapi.Role]{
	{Header: "name", Value: func(r *posthogapi.Role) string { return r.Name }},
	{Header: "members", Value: func(r *posthogapi.Role) string { return strconv.Itoa(len(r.Members)) }},
	{Header: "default", Value: func(r *posthogapi.Role) string { return yesNo(r.IsDefault) }},
	{Header: "id", Value: func(r *posthogapi.Role) string { return r.ID.String() }},
}

var roleMemberColumns = []output.Column[posthogapi.RoleMembership]{
	{Header: "email", Value: func(m posthogapi.RoleMembership) string { return m.User.Email }},
	{Header: "name", Value: func(m posthogapi.RoleMembership) string { return fullName(m.User) }},
	{Header: "joined", Value: func(m posthogapi.RoleMembership) string { return m.JoinedAt.UTC().Format(time.DateOnly) }},
	{Header: "user uuid", Value: func(m posthogapi.RoleMembership) string { return m.User.UUID.String() }},
}

func (a *App) rolesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "roles",
		Aliases: []string{"role"},
		Short:   "List, create and delete roles, and manage who is in them",
	}
	var createDry, deleteDry, deleteYes bool
	create := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create a role",
		Example: `  posthog-org roles create Engineering`,
		Args:    exactArgs("NAME"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			name, err := roleName(args[0])
			if err != nil {
				return err
			}
			org, err := a.org(ctx)
			if err != nil {
				return err
			}
			r := Result{Organization: org.Name, Action: "create role", Target: name}
			if existing, err := findRole(ctx, a.client, org.ID, name); err == nil {
				r.Status, r.Detail = StatusSkipped, "exists: "+existing.ID.String()
				return a.report([]Result{r})
			} else if !isUsage(err) {
				return err
			}
			if createDry {
				r.Status = StatusDryRun
				return a.report([]Result{r})
			}
			role, err := a.client.Roles.Create(ctx, org.ID, &posthogapi.RoleCreate{Name: name})
			r = r.with(err)
			if err == nil {
				r.Detail = role.ID.String()
			}
			return a.report([]Result{r})
		}),
	}
	dryRunFlag(create, &createDry)
	del := &cobra.Command{
		Use:   "delete ROLE",
		Short: "Delete a role (by name or ID)",
		Long: `Delete a role, by name or ID; its members lose what the role gave them.
Asks for confirmation on a terminal; needs --yes otherwise.`,
		Example: `  posthog-org roles delete Contractors --yes`,
		Args:    exactArgs("ROLE"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			org, role, err := a.role(ctx, args[0])
			if err != nil {
				return err
			}
			r := Result{Organization: org.Name, Action: "delete role", Target: role.Name, Detail: fmt.Sprintf("%d members", len(role.Members))}
			if deleteDry {
				r.Status = StatusDryRun
				return a.report([]Result{r})
			}
			if err := a.confirm(deleteYes, fmt.Sprintf("Delete role %s (%d members) in %s", role.Name, len(role.Members), org.Name)); err != nil {
				return err
			}
			r = r.with(a.client.Roles.Delete(ctx, org.ID, role.ID))
			return a.report([]Result{r})
		}),
	}
	dryRunFlag(del, &deleteDry)
	yesFlag(del, &deleteYes)

	cmd.AddCommand(listCommand(a, "List the organization's roles", `  posthog-org roles list`,
		func(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID) ([]*posthogapi.Role, error) {
			return collect(c.Roles.All(ctx, org, nil))
		}, roleColumns), create, del, a.roleMembersCommand())
	return cmd
}

// role resolves the organization and one of its roles by name or ID.
func (a *App) role(ctx context.Context, ref string) (*posthogapi.Organization, *posthogapi.Role, error) {
	org, err := a.org(ctx)
	if err != nil {
		return nil, nil, err
	}
	role, err := findRole(ctx, a.client, org.ID, ref)
	return org, role, err
}

// roleName checks a role name as PostHog does before sending it.
func roleName(s string) (string, error) {
	if s == "" || len([]rune(s)) > posthogapi.MaxRoleNameLength {
		return "", usagef("a role name is 1 to %d characters", posthogapi.MaxRoleNameLength)
	}
	return s, nil
}

func isUsage(err error) bool {
	_, ok := err.(usageError)
	return ok
}

func (a *App) roleMembersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "members",
		Short: "List, add and remove a role's members",
	}
	var addDry, rmDry, rmYes bool
	add := &cobra.Command{
		Use:   "add ROLE EMAIL...",
		Short: "Add members of the organization to a role",
		Long: `Add members of the organization to a role (by name or ID). Everyone is
checked first: an address that is not an email, or not a member, stops the
command before anything is sent. People already in the role are skipped.`,
		Example: `  posthog-org roles members add Engineering ann@example.com bob@example.com`,
		Args:    minArgs("ROLE", "EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			return a.changeRoleMembers(ctx, args[0], args[1:], true, addDry, true)
		}),
	}
	dryRunFlag(add, &addDry)
	rm := &cobra.Command{
		Use:   "remove ROLE EMAIL...",
		Short: "Remove people from a role",
		Long: `Remove people from a role (by name or ID); they stay members of the
organization. Asks for confirmation on a terminal; needs --yes otherwise.`,
		Example: `  posthog-org roles members remove Engineering ann@example.com --yes`,
		Args:    minArgs("ROLE", "EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			return a.changeRoleMembers(ctx, args[0], args[1:], false, rmDry, rmYes)
		}),
	}
	dryRunFlag(rm, &rmDry)
	yesFlag(rm, &rmYes)
	cmd.AddCommand(&cobra.Command{
		Use:     "list ROLE",
		Short:   "List a role's members",
		Example: `  posthog-org roles members list Engineering`,
		Args:    exactArgs("ROLE"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			_, role, err := a.role(ctx, args[0])
			if err != nil {
				return err
			}
			return output.Print(a.io.Out, a.format, nonNil(role.Members), roleMemberColumns)
		}),
	}, add, rm)
	return cmd
}

// changeRoleMembers adds or removes people to or from a role.
func (a *App) changeRoleMembers(ctx context.Context, roleRef string, emails []string, add, dryRun, yes bool) error {
	for _, e := range emails {
		if _, err := checkEmail(e); err != nil {
			return err
		}
	}
	org, role, err := a.role(ctx, roleRef)
	if err != nil {
		return err
	}
	inRole := func(email string) *posthogapi.RoleMembership {
		for i := range role.Members {
			if sameEmail(role.Members[i].User.Email, email) {
				return &role.Members[i]
			}
		}
		return nil
	}
	var members []*posthogapi.OrganizationMember
	if add {
		if members, err = collect(a.client.Members.All(ctx, org.ID, nil)); err != nil {
			return fmt.Errorf("listing members: %w", err)
		}
		for _, e := range emails {
			if memberByEmail(members, e) == nil && inRole(e) == nil {
				return usagef("%s is not a member of %s (invite them first)", e, org.Name)
			}
		}
	}
	action := "remove from role " + role.Name
	if add {
		action = "add to role " + role.Name
	}
	if !add && !dryRun {
		if err := a.confirm(yes, fmt.Sprintf("Remove %d person(s) from role %s in %s", len(emails), role.Name, org.Name)); err != nil {
			return err
		}
	}
	var results []Result
	for _, e := range emails {
		r := Result{Organization: org.Name, Action: action, Target: e}
		rm := inRole(e)
		switch {
		case add && rm != nil:
			r.Status, r.Detail = StatusSkipped, "already in the role"
		case !add && rm == nil:
			r.Status, r.Detail = StatusSkipped, "not in the role"
		case dryRun:
			r.Status = StatusDryRun
		case add:
			_, err := a.client.Roles.AddUser(ctx, org.ID, role.ID, memberByEmail(members, e).User.UUID)
			r = r.with(err)
		default:
			r = r.with(a.client.Roles.RemoveMembership(ctx, org.ID, role.ID, rm.ID))
		}
		results = append(results, r)
	}
	return a.report(results)
}
