package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/spf13/cobra"
)

var inviteColumns = []output.Column[*posthogapi.OrganizationInvite]{
	{Header: "email", Value: func(i *posthogapi.OrganizationInvite) string { return i.TargetEmail }},
	{Header: "level", Value: func(i *posthogapi.OrganizationInvite) string { return i.Level.String() }},
	{Header: "state", Value: func(i *posthogapi.OrganizationInvite) string {
		if i.IsExpired {
			return "expired"
		}
		return "pending"
	}},
	{Header: "created", Value: func(i *posthogapi.OrganizationInvite) string { return i.CreatedAt.UTC().Format(time.RFC3339) }},
	{Header: "id", Value: func(i *posthogapi.OrganizationInvite) string { return i.ID.String() }},
}

func (a *App) invitesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "invites",
		Aliases: []string{"invite"},
		Short:   "List, create (one or from a CSV file) and cancel invites",
	}
	cmd.AddCommand(listCommand(a, "List the organization's invites (pending and expired)", `  posthog-org invites list --org acme`,
		func(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID) ([]*posthogapi.OrganizationInvite, error) {
			return collect(c.Invites.All(ctx, org, nil))
		}, inviteColumns), a.inviteCreateCommand(), a.inviteBulkCommand(), a.inviteCancelCommand())
	return cmd
}

func (a *App) inviteCreateCommand() *cobra.Command {
	var level, firstName, message string
	var noEmail, dryRun bool
	cmd := &cobra.Command{
		Use:   "create EMAIL",
		Short: "Invite one person",
		Long: `Invite one person at a level (member by default). Someone who is already a
member, or already has a pending invite, is skipped.`,
		Example: `  posthog-org invites create ann@example.com
  posthog-org invites create ann@example.com --level admin --first-name Ann --dry-run`,
		Args: exactArgs("EMAIL"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			email, err := checkEmail(args[0])
			if err != nil {
				return err
			}
			lvl, err := parseLevel(level)
			if err != nil {
				return err
			}
			inv := posthogapi.InviteCreate{TargetEmail: email, Level: lvl, FirstName: firstName}
			if message != "" {
				inv.Message = &message
			}
			if noEmail {
				inv.SendEmail = posthogapi.Ptr(false)
			}
			return a.invite(ctx, []posthogapi.InviteCreate{inv}, dryRun)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&level, "level", "member", "level the invitee gets: member, admin or owner")
	f.StringVar(&firstName, "first-name", "", "the invitee's first name")
	f.StringVar(&message, "message", "", "a message for the invite email")
	f.BoolVar(&noEmail, "no-email", false, "create the invite without emailing it")
	dryRunFlag(cmd, &dryRun)
	return cmd
}

func (a *App) inviteBulkCommand() *cobra.Command {
	var file string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "bulk -f FILE.csv",
		Short: "Invite everyone in a CSV file",
		Long: `Invite everyone in a CSV file with a header row: the column email is required;
level (member, admin or owner; member when empty) and first_name are optional.
The whole file is checked before anything is sent: a malformed line, an
address that is not an email, an unknown level or an address listed twice
stops the command with the line number and sends nothing. People who are
already members or have a pending invite are skipped. Invites are sent in
PostHog's bulk chunks of 20; a chunk whose answer is lost is checked against
the invite list, never sent twice.`,
		Example: `  posthog-org invites bulk -f people.csv --dry-run
  posthog-org invites bulk -f people.csv --org acme

people.csv:
  email,level,first_name
  ann@example.com,admin,Ann
  bob@example.com,,Bob`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			invs, err := readInviteCSV(file, a.io.In)
			if err != nil {
				return err
			}
			return a.invite(ctx, invs, dryRun)
		}),
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the CSV file (- for stdin)")
	_ = cmd.MarkFlagRequired("file")
	dryRunFlag(cmd, &dryRun)
	return cmd
}

// readInviteCSV reads and checks the whole invite file.
func readInviteCSV(file string, stdin io.Reader) ([]posthogapi.InviteCreate, error) {
	var r io.Reader
	if file == "-" {
		r = stdin
	} else {
		f, err := os.Open(file)
		if err != nil {
			return nil, usagef("reading %s: %v", file, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	return parseInviteCSV(file, r)
}

// parseInviteCSV parses an invite CSV; every problem names its line.
func parseInviteCSV(name string, r io.Reader) ([]posthogapi.InviteCreate, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1 // level and first_name may be left off a row
	header, err := cr.Read()
	if err == io.EOF {
		return nil, usagef("%s: empty file (want a header row with email[,level,first_name])", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "email", "level", "first_name":
			if _, dup := col[h]; dup {
				return nil, usagef("%s:1: column %q appears twice", name, h)
			}
			col[h] = i
		default:
			return nil, usagef("%s:1: unknown column %q (want email, level, first_name)", name, h)
		}
	}
	if _, ok := col["email"]; !ok {
		return nil, usagef("%s:1: no email column", name)
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []posthogapi.InviteCreate
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		email, err := checkEmail(get(rec, "email"))
		if err != nil {
			return nil, usagef("%s:%d: %v", name, line, err)
		}
		key := strings.ToLower(email)
		if prev, dup := seen[key]; dup {
			return nil, usagef("%s:%d: %s is already on line %d", name, line, email, prev)
		}
		seen[key] = line
		lvl := posthogapi.MembershipLevelMember
		if s := get(rec, "level"); s != "" {
			if lvl, err = parseLevel(s); err != nil {
				return nil, usagef("%s:%d: %v", name, line, err)
			}
		}
		fn := get(rec, "first_name")
		if len([]rune(fn)) > 30 {
			return nil, usagef("%s:%d: first_name is longer than PostHog's 30 characters", name, line)
		}
		out = append(out, posthogapi.InviteCreate{TargetEmail: email, Level: lvl, FirstName: fn})
	}
	if len(out) == 0 {
		return nil, usagef("%s: no invites (only a header row)", name)
	}
	return out, nil
}

// csvError names the line (and column) of a CSV syntax error.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return usagef("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return usagef("%s: %v", name, err)
}

// invite sends invites to whoever is neither a member nor invited yet.
func (a *App) invite(ctx context.Context, invs []posthogapi.InviteCreate, dryRun bool) error {
	org, err := a.org(ctx)
	if err != nil {
		return err
	}
	members, err := collect(a.client.Members.All(ctx, org.ID, nil))
	if err != nil {
		return fmt.Errorf("listing members: %w", err)
	}
	pending, err := collect(a.client.Invites.All(ctx, org.ID, nil))
	if err != nil {
		return fmt.Errorf("listing invites: %w", err)
	}
	var results []Result
	var send []posthogapi.InviteCreate
	for _, inv := range invs {
		r := Result{Organization: org.Name, Action: "invite as " + inv.Level.String(), Target: inv.TargetEmail}
		switch {
		case memberByEmail(members, inv.TargetEmail) != nil:
			r.Status, r.Detail = StatusSkipped, "already a member"
		case hasPendingInvite(pending, inv.TargetEmail):
			r.Status, r.Detail = StatusSkipped, "already invited"
		case dryRun:
			r.Status = StatusDryRun
		default:
			send = append(send, inv)
			continue
		}
		results = append(results, r)
	}
	if len(send) > 0 {
		rep, err := a.client.Invites.BulkChunked(ctx, org.ID, send)
		if rep == nil {
			return err
		}
		for _, ir := range rep.Results() {
			r := Result{Organization: org.Name, Action: "invite as " + send[ir.Index].Level.String(), Target: ir.TargetEmail}
			switch ir.Status {
			case posthogapi.InviteCreated:
				r.Status = StatusDone
				if ir.Invite != nil {
					r.Detail = ir.Invite.ID.String()
				}
			case posthogapi.InviteNotCreated:
				r.Status, r.Detail = StatusFailed, chunkErr(rep, ir.Index)
			default:
				r.Status, r.Detail = StatusUnknown, chunkErr(rep, ir.Index)
			}
			results = append(results, r)
		}
	}
	return a.report(results)
}

// chunkErr is the error of the chunk that held invite i.
func chunkErr(rep *posthogapi.BulkInviteReport, i int) string {
	for _, ch := range rep.Chunks {
		if i >= ch.Start && i < ch.End && ch.Err != nil {
			return oneLine(ch.Err)
		}
	}
	if rep.ListErr != nil {
		return oneLine(rep.ListErr)
	}
	return ""
}

func memberByEmail(members []*posthogapi.OrganizationMember, email string) *posthogapi.OrganizationMember {
	for _, m := range members {
		if sameEmail(m.User.Email, email) {
			return m
		}
	}
	return nil
}

func hasPendingInvite(invs []*posthogapi.OrganizationInvite, email string) bool {
	for _, i := range invs {
		if !i.IsExpired && sameEmail(i.TargetEmail, email) {
			return true
		}
	}
	return false
}

func (a *App) inviteCancelCommand() *cobra.Command {
	var yes, dryRun bool
	cmd := &cobra.Command{
		Use:   "cancel EMAIL|ID",
		Short: "Cancel the invites of an address (or one invite by ID)",
		Long: `Cancel every invite of an address (pending or expired), or one invite by its
ID. Asks for confirmation on a terminal; needs --yes otherwise.`,
		Example: `  posthog-org invites cancel ann@example.com --yes`,
		Args:    exactArgs("EMAIL|ID"),
		RunE: a.run(func(ctx context.Context, args []string) error {
			id, idErr := posthogapi.ParseID[posthogapi.InviteID](args[0])
			if idErr != nil {
				if _, err := checkEmail(args[0]); err != nil {
					return usagef("%q is neither an email address nor an invite ID", args[0])
				}
			}
			org, err := a.org(ctx)
			if err != nil {
				return err
			}
			all, err := collect(a.client.Invites.All(ctx, org.ID, nil))
			if err != nil {
				return err
			}
			var targets []*posthogapi.OrganizationInvite
			for _, i := range all {
				if (idErr == nil && i.ID == id) || (idErr != nil && sameEmail(i.TargetEmail, args[0])) {
					targets = append(targets, i)
				}
			}
			if len(targets) == 0 {
				return fmt.Errorf("no invite for %s in %s", args[0], org.Name)
			}
			if !dryRun {
				if err := a.confirm(yes, fmt.Sprintf("Cancel %d invite(s) for %s in %s", len(targets), targets[0].TargetEmail, org.Name)); err != nil {
					return err
				}
			}
			var results []Result
			for _, i := range targets {
				r := Result{Organization: org.Name, Action: "cancel invite", Target: i.TargetEmail, Detail: i.ID.String()}
				if dryRun {
					r.Status = StatusDryRun
				} else {
					if err := a.client.Invites.Delete(ctx, org.ID, i.ID); err != nil {
						r = r.with(err)
					} else {
						r.Status = StatusDone
					}
				}
				results = append(results, r)
			}
			return a.report(results)
		}),
	}
	dryRunFlag(cmd, &dryRun)
	yesFlag(cmd, &yes)
	return cmd
}
