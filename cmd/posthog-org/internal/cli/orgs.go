package cli

import (
	"context"
	"strconv"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
)

var orgColumns = []output.Column[*posthogapi.Organization]{
	{Header: "id", Value: func(o *posthogapi.Organization) string { return o.ID.String() }},
	{Header: "slug", Value: func(o *posthogapi.Organization) string { return o.Slug }},
	{Header: "name", Value: func(o *posthogapi.Organization) string { return o.Name }},
	{Header: "your level", Value: func(o *posthogapi.Organization) string {
		if o.MembershipLevel == nil {
			return ""
		}
		return o.MembershipLevel.String()
	}},
	{Header: "members", Value: func(o *posthogapi.Organization) string { return strconv.Itoa(o.MemberCount) }},
	{Header: "projects", Value: func(o *posthogapi.Organization) string { return strconv.Itoa(len(o.Projects)) }},
}

func (a *App) orgsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "orgs",
		Aliases: []string{"organizations", "org"},
		Short:   "List and show the organizations the key can see",
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the organizations the key can see",
		Example: `  posthog-org orgs list
  posthog-org orgs list -o csv > orgs.csv`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			c, err := a.api()
			if err != nil {
				return err
			}
			orgs, err := collect(c.Organizations.All(ctx, nil))
			if err != nil {
				return err
			}
			return output.Print(a.io.Out, a.format, nonNil(orgs), orgColumns)
		}),
	}
	cmd.AddCommand(list, &cobra.Command{
		Use:   "get",
		Short: "Show one organization (--org, or the key's current one)",
		Example: `  posthog-org orgs get
  posthog-org orgs get --org acme -o json`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			o, err := a.org(ctx)
			if err != nil {
				return err
			}
			return printOne(a, o, orgColumns)
		}),
	})
	return cmd
}

// listCommand is a "list" command printing what list returns for the
// organization (--org).
func listCommand[T any](a *App, short, example string, list func(context.Context, *posthogapi.Client, posthogapi.OrganizationID) ([]*T, error), cols []output.Column[*T]) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   short,
		Example: example,
		Args:    noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			org, err := a.org(ctx)
			if err != nil {
				return err
			}
			items, err := list(ctx, a.client, org.ID)
			if err != nil {
				return err
			}
			return output.Print(a.io.Out, a.format, nonNil(items), cols)
		}),
	}
}

// printOne prints one object: as PostHog sent it in JSON, as one row
// otherwise.
func printOne[T any](a *App, v T, cols []output.Column[T]) error {
	if a.format == output.JSON {
		return output.PrintJSON(a.io.Out, v)
	}
	return output.Print(a.io.Out, a.format, []T{v}, cols)
}

// nonNil returns s, or an empty slice for nil, so that JSON prints [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// noArgs refuses positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments (got %q)", cmd.CommandPath(), args[0])
	}
	return nil
}

// exactArgs wants exactly the named arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s wants %d argument(s): %v, got %d", cmd.CommandPath(), len(names), names, len(args))
		}
		return nil
	}
}

// minArgs wants at least the named arguments.
func minArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usagef("%s wants at least %d argument(s): %v, got %d", cmd.CommandPath(), len(names), names, len(args))
		}
		return nil
	}
}
