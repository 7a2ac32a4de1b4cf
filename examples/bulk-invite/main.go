// Command bulk-invite invites people listed in a CSV file (email, first
// name, level) to an organization, 20 per request, and reports the outcome
// of every row. A bad row (no email, a malformed address, an unknown level,
// a repeated address) is reported and skipped; it does not stop the others.
//
//	bulk-invite [-org <uuid>] [-no-email] invites.csv   (or - for stdin)
//
// The level column takes member, admin or owner (or 1, 8, 15) and defaults
// to member. A header row starting with "email" is skipped. Without
// POSTHOG_PERSONAL_API_KEY it runs against an in-memory PostHog, and without
// a file it uses a built-in sample. It needs organization:read and
// organization_member:write. It exits 1 if any invite failed or its outcome
// is unknown.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// row is one line of the CSV file.
type row struct {
	line   int
	invite posthogapi.InviteCreate
	status string // the outcome, filled in as the program goes
	failed bool
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := exampleenv.Flags("bulk-invite", stderr,
		"usage: bulk-invite [-org UUID] [-no-email] FILE.csv",
		"CSV columns: email, first name, level (member|admin|owner). Use - for stdin.")
	orgFlag := fs.String("org", "", "invite to the organization with this `uuid` (default: the key's current organization)")
	noEmail := fs.Bool("no-email", false, "create the invites without emailing them")
	if code, ok := exampleenv.Parse(fs, args, 1); !ok {
		return code
	}

	env, err := exampleenv.Connect("bulk-invite", getenv, stdout, nil, "organization:read", "organization_member:write")
	if err != nil {
		fmt.Fprintln(stderr, "bulk-invite:", err)
		return 1
	}
	defer env.Close()

	var in io.Reader
	switch name := fs.Arg(0); {
	case name == "-":
		in = stdin
	case name != "":
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "bulk-invite:", err)
			return 1
		}
		defer f.Close()
		in = f
	case env.Server != nil:
		fmt.Fprintln(stdout, "No file given: using the built-in sample.")
		in = strings.NewReader(sample)
	default:
		return exampleenv.Usage(fs)
	}
	rows, err := parse(in, *noEmail)
	if err != nil {
		fmt.Fprintln(stderr, "bulk-invite:", err)
		return 1
	}

	org, err := target(ctx, env.Client, *orgFlag)
	if err != nil {
		fmt.Fprintln(stderr, "bulk-invite:", err)
		return 1
	}
	send(ctx, env.Client, org, rows)

	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nInvites to %s:\n", org.Name)
	failed := 0
	for _, r := range rows {
		email := r.invite.TargetEmail
		if email == "" {
			email = "(none)"
		}
		fmt.Fprintf(tw, "  line %d\t%s\t%s\n", r.line, email, r.status)
		if r.failed {
			failed++
		}
	}
	_ = tw.Flush()
	if failed > 0 {
		fmt.Fprintf(stderr, "bulk-invite: %d invite(s) failed\n", failed)
		return 1
	}
	return 0
}

func target(ctx context.Context, c *posthogapi.Client, id string) (*posthogapi.Organization, error) {
	if id == "" {
		return c.Organizations.GetCurrent(ctx)
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, fmt.Errorf("-org %q is not a UUID", id)
	}
	return c.Organizations.Get(ctx, posthogapi.OrganizationID(u))
}

// parse reads the CSV; rows that cannot be sent get their status now.
func parse(in io.Reader, noEmail bool) ([]*row, error) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#'
	var rows []*row
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rows = append(rows, &row{line: pe.Line, status: "skipped: " + pe.Err.Error()})
				continue
			}
			return nil, err
		}
		if len(rows) == 0 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "email") {
			continue // header
		}
		rw := &row{line: line}
		rows = append(rows, rw)
		field := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		email := field(0)
		addr, err := mail.ParseAddress(email)
		switch {
		case email == "":
			rw.status = "skipped: no email"
			continue
		case err != nil || addr.Address != email:
			rw.invite.TargetEmail = email
			rw.status = "skipped: not an email address"
			continue
		}
		rw.invite.TargetEmail = email
		key := strings.ToLower(email)
		if first, dup := seen[key]; dup {
			rw.status = fmt.Sprintf("skipped: same address as line %d", first)
			continue
		}
		seen[key] = line
		if name := field(1); len([]rune(name)) > 30 {
			rw.status = "skipped: first name longer than 30 characters"
			continue
		} else {
			rw.invite.FirstName = name
		}
		rw.invite.Level = posthogapi.MembershipLevelMember
		if lv := field(2); lv != "" {
			level, err := posthogapi.ParseMembershipLevel(lv)
			if err != nil {
				rw.status = fmt.Sprintf("skipped: unknown level %q", lv)
				continue
			}
			rw.invite.Level = level
		}
		if noEmail {
			rw.invite.SendEmail = posthogapi.Ptr(false)
		}
	}
	return rows, nil
}

// send invites every row without a status, 20 per request, and records
// each row's outcome.
func send(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization, rows []*row) {
	var todo []*row
	var invites []posthogapi.InviteCreate
	for _, r := range rows {
		if r.status == "" {
			todo = append(todo, r)
			invites = append(invites, r.invite)
		}
	}
	if len(invites) == 0 {
		return
	}
	report, err := c.Invites.BulkChunked(ctx, org.ID, invites)
	if report == nil {
		for _, r := range todo {
			r.status, r.failed = "failed: "+err.Error(), true
		}
		return
	}
	// BulkChunked reconciles a chunk that failed by listing the invites,
	// so each row is known created, not created, or unknown.
	for _, chunk := range report.Chunks {
		for _, res := range chunk.Results {
			r := todo[res.Index]
			switch {
			case res.Status == posthogapi.InviteCreated:
				r.status = "invited as " + r.invite.Level.String()
			case res.Status == posthogapi.InviteUnknown:
				r.status, r.failed = "unknown: PostHog may have created it; check before re-sending ("+chunk.Err.Error()+")", true
			case !chunk.Sent:
				r.status, r.failed = "not sent: "+chunk.Err.Error(), true
			default:
				r.status, r.failed = "not created: "+chunk.Err.Error(), true
			}
		}
	}
}

// sample is the built-in CSV: 23 good rows (two requests) and three bad ones.
var sample = func() string {
	var b strings.Builder
	b.WriteString("email,first name,level\n")
	for i := 1; i <= 22; i++ {
		fmt.Fprintf(&b, "person%02d@example.com,Person %d,member\n", i, i)
	}
	b.WriteString("lead@example.com,Lead,admin\n")
	b.WriteString("not-an-email,Broken,member\n")
	b.WriteString("person01@example.com,Again,member\n")
	b.WriteString("boss@example.com,Boss,emperor\n")
	return b.String()
}()
