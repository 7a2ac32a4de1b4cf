package cli

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
)

var projectColumns = []output.Column[*posthogapi.ProjectBasic]{
	{Header: "id", Value: func(p *posthogapi.ProjectBasic) string { return strconv.FormatInt(int64(p.ID), 10) }},
	{Header: "name", Value: func(p *posthogapi.ProjectBasic) string { return p.Name }},
	{Header: "timezone", Value: func(p *posthogapi.ProjectBasic) string { return string(p.Timezone) }},
	{Header: "demo", Value: func(p *posthogapi.ProjectBasic) string { return yesNo(p.IsDemo) }},
	{Header: "ingested events", Value: func(p *posthogapi.ProjectBasic) string { return yesNo(p.IngestedEvent) }},
}

func (a *App) projectsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "projects",
		Aliases: []string{"project"},
		Short:   "List, show, create and rename projects",
	}
	var createDry, updateDry bool
	var newName string
	create := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create a project",
		Example: `  posthog-org projects create "Web app" --org acme`,
		Args:    exactArgs("NAME"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			name, err := projectName(args[0])
			if err != nil {
				return err
			}
			org, err := a.org(ctx)
			if err != nil {
				return err
			}
			r := Result{Organization: org.Name, Action: "create project", Target: name}
			if createDry {
				r.Status = StatusDryRun
				return a.report([]Result{r})
			}
			p, err := a.client.Projects.Create(ctx, org.ID, &posthogapi.ProjectCreate{Name: name})
			r = r.with(err)
			if err == nil {
				r.Detail = strconv.FormatInt(int64(p.ID), 10)
			}
			return a.report([]Result{r})
		}),
	}
	dryRunFlag(create, &createDry)
	update := &cobra.Command{
		Use:     "update ID --name NAME",
		Short:   "Rename a project",
		Example: `  posthog-org projects update 12345 --name "Web app (EU)"`,
		Args:    exactArgs("ID"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			name, err := projectName(newName)
			if err != nil {
				return err
			}
			org, p, err := a.project(ctx, args[0])
			if err != nil {
				return err
			}
			r := Result{Organization: org.Name, Action: "rename project", Target: args[0], Detail: p.Name + " -> " + name}
			switch {
			case p.Name == name:
				r.Status, r.Detail = StatusSkipped, "already named "+name
			case updateDry:
				r.Status = StatusDryRun
			default:
				_, err = a.client.Projects.Update(ctx, org.ID, p.ID, &posthogapi.ProjectUpdate{Name: &name})
				if err != nil {
					r = r.with(err)
				} else {
					r.Status = StatusDone
				}
			}
			return a.report([]Result{r})
		}),
	}
	update.Flags().StringVar(&newName, "name", "", "the project's new name")
	_ = update.MarkFlagRequired("name")
	dryRunFlag(update, &updateDry)
	cmd.AddCommand(listCommand(a, "List the organization's projects", `  posthog-org projects list --org acme`,
		func(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID) ([]*posthogapi.ProjectBasic, error) {
			return collect(c.Projects.All(ctx, org, nil))
		}, projectColumns), &cobra.Command{
		Use:     "get ID",
		Short:   "Show a project",
		Example: `  posthog-org projects get 12345 -o json`,
		Args:    exactArgs("ID"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			_, p, err := a.project(ctx, args[0])
			if err != nil {
				return err
			}
			if a.format == output.JSON {
				return printProjectJSON(a.io.Out, p)
			}
			return output.PrintRows(a.io.Out, a.format, []string{"id", "name", "timezone", "api token"},
				[][]string{{strconv.FormatInt(int64(p.ID), 10), p.Name, string(p.Timezone), p.APIToken}})
		}),
	}, create, update)
	return cmd
}

// projectSecrets are the JSON keys of a project that hold secrets (the SDK
// redacts the same ones in %v): never printed.
var projectSecrets = []string{"secret_api_token", "secret_api_token_backup", "live_events_token", "slack_incoming_webhook"}

// printProjectJSON prints a project as PostHog sent it, secrets redacted.
func printProjectJSON(w io.Writer, p *posthogapi.Project) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, k := range projectSecrets {
		if v, ok := m[k]; ok && v != nil && v != "" {
			m[k] = "[redacted]"
		}
	}
	return output.PrintJSON(w, m)
}

// project resolves the organization and one of its projects by ID.
func (a *App) project(ctx context.Context, ref string) (*posthogapi.Organization, *posthogapi.Project, error) {
	id, err := projectID(ref)
	if err != nil {
		return nil, nil, err
	}
	org, err := a.org(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.client.Projects.Get(ctx, org.ID, id)
	return org, p, err
}

func projectID(s string) (posthogapi.ProjectID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, usagef("%q is not a project ID (a positive number)", s)
	}
	return posthogapi.ProjectID(n), nil
}

func projectName(s string) (string, error) {
	if strings.TrimSpace(s) == "" || len([]rune(s)) > 200 {
		return "", usagef("a project name is 1 to 200 characters, not blank")
	}
	return s, nil
}
