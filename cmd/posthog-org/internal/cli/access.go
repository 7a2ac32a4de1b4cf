package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"
)

func (a *App) accessCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Access as code: export, plan and apply who is in an organization from a YAML or JSON file",
		Long: `Access as code: a YAML or JSON file lists, per organization, everyone who
should have access (email, level, role names) and optionally role
definitions. export writes the current state in that form; plan shows the
ordered changes that would make PostHog match the file; apply makes them.

Safety rules no flag turns off: the key's own user is never removed or
demoted, no organization is left without an owner (a file that would remove
or demote every owner is refused, and nothing is sent), an owner hand-over
promotes before it demotes, and removals (of members, invites and role
memberships the file does not list) happen only with --prune. People who are
invited but have not joined cannot be given roles yet: the plan says who
waits, and a later apply completes it.

File (YAML; the same fields in JSON):

  organizations:
    - id: 0190a1b2-0000-4000-8000-000000000001
      name: Acme            # for the reader
      roles:                # optional: roles that must exist
        - name: Engineering
      people:
        - email: ann@example.com
          level: owner      # member (default), admin or owner
          roles: [Engineering]`,
	}
	cmd.AddCommand(a.accessExportCommand(), a.accessPlanCommand(), a.accessApplyCommand())
	return cmd
}

func (a *App) accessExportCommand() *cobra.Command {
	var allOrgs bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write an organization's current access as YAML (or JSON with -o json)",
		Long: `Write the current access of an organization (--org, or the key's current one)
or of every organization the key sees (--all-orgs): every member with level
and roles, every pending invite, every role. Sorted, so two exports of the
same state are equal byte for byte; planning an export changes nothing.
YAML unless -o is given (a file to review and edit, also in a pipe), JSON
with -o json, one row per person with -o csv (-o table prints YAML too).`,
		Example: `  posthog-org access export > access.yaml
  posthog-org access export --all-orgs -o json > access.json`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			if allOrgs && a.orgFlag != "" {
				return usagef("--org and --all-orgs exclude each other")
			}
			c, err := a.api()
			if err != nil {
				return err
			}
			var ids []posthogapi.OrganizationID
			if allOrgs {
				orgs, err := collect(c.Organizations.All(ctx, nil))
				if err != nil {
					return fmt.Errorf("listing organizations: %w", err)
				}
				for _, o := range orgs {
					ids = append(ids, o.ID)
				}
			} else {
				o, err := a.org(ctx)
				if err != nil {
					return err
				}
				ids = []posthogapi.OrganizationID{o.ID}
			}
			st, err := access.Export(ctx, c, ids...)
			if err != nil {
				return err
			}
			switch {
			case a.outFlag == "": // YAML, wherever stdout goes: a file to edit
			case a.format == output.JSON:
				return output.PrintJSON(a.io.Out, st)
			case a.format == output.CSV:
				var rows [][]string
				for _, o := range st.Organizations {
					for _, p := range o.People {
						rows = append(rows, []string{o.ID.String(), o.Name, p.Email, string(p.Level), strings.Join(p.Roles, ";")})
					}
				}
				return output.PrintRows(a.io.Out, output.CSV, []string{"organization_id", "organization", "email", "level", "roles"}, rows)
			}
			b, err := yaml.Marshal(st)
			if err != nil {
				return err
			}
			_, err = a.io.Out.Write(b)
			return err
		}),
	}
	cmd.Flags().BoolVar(&allOrgs, "all-orgs", false, "export every organization the key sees")
	return cmd
}

// accessFileFlags are the flags plan and apply share.
type accessFileFlags struct {
	file  string
	prune bool
}

func (f *accessFileFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.file, "file", "f", "", "the access file, YAML or JSON (.json); - for stdin")
	cmd.Flags().BoolVar(&f.prune, "prune", false, "also remove members, invites and role memberships the file does not list")
	_ = cmd.MarkFlagRequired("file")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml", "json")
}

// plan reads the file and plans it. A plan the safety rules hold back
// (every owner removed or demoted, the key's own user, an address two
// accounts share) is refused as bad input, with the plan printed first.
func (a *App) plan(ctx context.Context, f *accessFileFlags) (*access.ChangePlan, error) {
	desired, err := readAccessFile(f.file, a.io.In)
	if err != nil {
		return nil, err
	}
	c, err := a.api()
	if err != nil {
		return nil, err
	}
	plan, err := access.Plan(ctx, c, desired, &access.PlanOptions{Prune: f.prune})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// safetyHolds are the plan's differences the safety rules refuse.
func safetyHolds(p *access.ChangePlan) []access.Held {
	var out []access.Held
	for _, h := range p.Held {
		if h.Reason == access.Safety {
			out = append(out, h)
		}
	}
	return out
}

func refuseHolds(file string, holds []access.Held) error {
	if len(holds) == 0 {
		return nil
	}
	return usagef("%s: refused by a safety rule (%d difference(s), nothing sent): %s", file, len(holds), holds[0].Detail)
}

func (a *App) accessPlanCommand() *cobra.Command {
	var f accessFileFlags
	cmd := &cobra.Command{
		Use:   "plan -f FILE",
		Short: "Show the changes that would make PostHog match the file (sends no write)",
		Long: `Show the ordered changes that would make PostHog match the file, and the
differences held back (people waiting to join before they get roles, removals
that need --prune, and what the safety rules refuse). Sends no write.
Exit code 2 when the safety rules refuse part of the file (for example a file
that would remove or demote every owner).`,
		Example: `  posthog-org access plan -f access.yaml
  posthog-org access plan -f access.yaml --prune -o json`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			plan, err := a.plan(ctx, &f)
			if err != nil {
				return err
			}
			if err := a.printPlan(plan); err != nil {
				return err
			}
			return refuseHolds(f.file, safetyHolds(plan))
		}),
	}
	f.add(cmd)
	return cmd
}

func (a *App) printPlan(plan *access.ChangePlan) error {
	rows := make([][]string, 0, len(plan.Changes))
	for _, c := range plan.Changes {
		rows = append(rows, changeRow(c, "planned", ""))
	}
	return a.printChanges(plan, rows, plan.String())
}

// printChanges prints a plan or a report: v in JSON, rows in CSV, text (the
// access package's own) in a table.
func (a *App) printChanges(v any, rows [][]string, text string) error {
	switch a.format {
	case output.JSON:
		return output.PrintJSON(a.io.Out, v)
	case output.CSV:
		return output.PrintRows(a.io.Out, output.CSV, changeHeaders, rows)
	}
	_, err := io.WriteString(a.io.Out, text)
	return err
}

var changeHeaders = []string{"id", "organization", "kind", "email", "role", "from", "to", "depends_on", "status", "error"}

func changeRow(c access.Change, status, errText string) []string {
	deps := make([]string, len(c.DependsOn))
	for i, d := range c.DependsOn {
		deps[i] = strconv.Itoa(d)
	}
	return []string{strconv.Itoa(c.ID), c.Organization.String(), string(c.Kind), c.Email, c.Role, string(c.From), string(c.To), strings.Join(deps, ";"), status, errText}
}

func (a *App) accessApplyCommand() *cobra.Command {
	var f accessFileFlags
	var yes, dryRun bool
	cmd := &cobra.Command{
		Use:   "apply -f FILE",
		Short: "Make PostHog match the file",
		Long: `Plan the file, then make the changes one at a time and report each one:
done, failed, skipped (a change it depends on was not done) or unknown (the
answer was lost and a re-read could not show it; never sent again). Run it
again to finish what failed: a plan of a matching state is empty.

A plan with removals or demotions asks for confirmation on a terminal and
needs --yes otherwise. The safety rules refuse a file that would remove or
demote every owner or the key's own user (exit 2, nothing sent). With
--dry-run nothing at all is sent after the plan's reads. Exit code 3 when
some changes were made and others failed or are unknown.`,
		Example: `  posthog-org access apply -f access.yaml --dry-run
  posthog-org access apply -f access.yaml --prune --yes`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			plan, err := a.plan(ctx, &f)
			if err != nil {
				return err
			}
			if holds := safetyHolds(plan); len(holds) > 0 {
				if err := a.printPlan(plan); err != nil {
					return err
				}
				return refuseHolds(f.file, holds)
			}
			if !dryRun {
				if n := destructive(plan); n > 0 {
					if err := a.confirm(yes, fmt.Sprintf("Apply %d change(s), %d of them removals or demotions", len(plan.Changes), n)); err != nil {
						return err
					}
				}
			}
			rep, applyErr := access.Apply(ctx, a.client, plan, &access.ApplyOptions{DryRun: dryRun})
			if rep == nil {
				return applyErr
			}
			if err := a.printReport(rep); err != nil {
				return err
			}
			done := rep.Count(access.Done)
			bad := rep.Count(access.Failed) + rep.Count(access.Unknown) + rep.Count(access.Skipped)
			switch {
			case bad == 0:
				return nil
			case done > 0:
				return partialError{fmt.Errorf("%d of %d changes done; %d failed, %d unknown, %d skipped: %w", done, len(rep.Results),
					rep.Count(access.Failed), rep.Count(access.Unknown), rep.Count(access.Skipped), firstErr(rep))}
			}
			return fmt.Errorf("no change done; %d failed, %d unknown, %d skipped: %w",
				rep.Count(access.Failed), rep.Count(access.Unknown), rep.Count(access.Skipped), firstErr(rep))
		}),
	}
	f.add(cmd)
	dryRunFlag(cmd, &dryRun)
	yesFlag(cmd, &yes)
	return cmd
}

// firstErr is the error of the first change not done.
func firstErr(rep *access.Report) error {
	for _, r := range rep.Results {
		if r.Err != nil {
			return fmt.Errorf("change %d (%s): %w", r.Change.ID, r.Change.String(), r.Err)
		}
	}
	return rep.Err()
}

// destructive counts the plan's removals and demotions.
func destructive(p *access.ChangePlan) int {
	n := 0
	for _, c := range p.Changes {
		switch c.Kind {
		case access.RemoveMember, access.Demote, access.RemoveFromRole, access.CancelInvite:
			n++
		}
	}
	return n
}

func (a *App) printReport(rep *access.Report) error {
	rows := make([][]string, 0, len(rep.Results))
	for _, r := range rep.Results {
		rows = append(rows, changeRow(r.Change, string(r.Status), r.Error))
	}
	return a.printChanges(rep, rows, rep.String())
}

// readAccessFile reads and checks an access file: JSON when its name ends
// in .json, YAML otherwise. Every error names the file and, where it can be
// found, the line.
func readAccessFile(name string, stdin io.Reader) (*access.State, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usagef("reading %s: %v", name, err)
	}
	js := data
	if !strings.EqualFold(filepath.Ext(name), ".json") {
		if js, err = yaml.YAMLToJSON(data); err != nil {
			msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				return nil, usagef("%s:%s: %s", name, m[1], m[2])
			}
			return nil, usagef("%s: %s", name, msg)
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			return nil, usagef("%s: empty file", name)
		}
	} else if err := jsonSyntax(name, data); err != nil {
		return nil, err
	}
	st, err := access.ParseState(js)
	if err != nil {
		msg := strings.TrimPrefix(strings.ReplaceAll(err.Error(), "posthogapi: invalid argument: ", ""), "access: ")
		if line := lineOf(data, msg); line > 0 {
			return nil, usagef("%s:%d: %s", name, line, msg)
		}
		return nil, usagef("%s: %s", name, msg)
	}
	return st, nil
}

// jsonSyntax reports a JSON syntax error with its line.
func jsonSyntax(name string, data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return usagef("%s:%d: %v", name, line, se)
	}
	return nil
}

// yamlLine is how the YAML parser names the line of a syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

var quoted = regexp.MustCompile(`"([^"]+)"`)

// lineOf finds the line of the file where the value an error message
// quotes (the last quoted value: a misspelt field, a bad address or level)
// first appears; 0 when none does.
func lineOf(data []byte, msg string) int {
	ms := quoted.FindAllStringSubmatch(msg, -1)
	for i := len(ms) - 1; i >= 0; i-- {
		needle := []byte(ms[i][1])
		if at := bytes.Index(data, needle); at >= 0 {
			return 1 + bytes.Count(data[:at], []byte("\n"))
		}
	}
	return 0
}
