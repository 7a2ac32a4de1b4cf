// Command access-sync makes an organization's people match a file: who is
// in it, at what level, in which roles. It prints the plan, and with -apply
// carries it out; removals need -prune. The key's own user is never removed
// or demoted, and an organization never loses its last owner.
//
//	access-sync [-apply] [-prune] [-json] FILE.json
//	access-sync -export ORG_UUID > FILE.json   (start a file from today's state)
//
// The file is an access.State in JSON:
//
//	{"organizations": [{"id": "<uuid>", "roles": [{"name": "Support"}],
//	  "people": [{"email": "ann@example.com", "level": "admin", "roles": ["Support"]}]}]}
//
// Without POSTHOG_PERSONAL_API_KEY it runs against an in-memory PostHog with a
// built-in sample. The key needs user:read, organization_member:write and
// organization:write. It exits 1 when a change failed or its outcome is
// unknown (run it again: it plans only what is left).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := exampleenv.Flags("access-sync", stderr, "usage: access-sync [-apply] [-prune] [-json] FILE.json | -export ORG_UUID")
	apply := fs.Bool("apply", false, "carry the plan out (default: only print it)")
	prune := fs.Bool("prune", false, "also remove members, invites and role memberships the file does not list")
	asJSON := fs.Bool("json", false, "print the plan and the report as JSON")
	export := fs.String("export", "", "print the organization with this `uuid` as a file and exit")
	if code, ok := exampleenv.Parse(fs, args, 1); !ok {
		return code
	}
	env, err := exampleenv.Connect("access-sync", getenv, stderr, seed, "user:read", "organization_member:write", "organization:write")
	if err != nil {
		fmt.Fprintln(stderr, "access-sync:", err)
		return 1
	}
	defer env.Close()
	fail := func(err error) int { fmt.Fprintln(stderr, "access-sync:", err); return 1 }

	if *export != "" {
		id, err := posthogapi.ParseID[posthogapi.OrganizationID](*export)
		if err != nil {
			return fail(err)
		}
		st, err := access.Export(ctx, env.Client, id)
		if err != nil {
			return fail(err)
		}
		return printJSON(stdout, st, fail)
	}
	var data []byte
	switch {
	case fs.NArg() == 1:
		if data, err = os.ReadFile(fs.Arg(0)); err != nil {
			return fail(err)
		}
	case fs.NArg() == 0 && env.Server != nil:
		fmt.Fprintln(stderr, "No file given: using the built-in sample.")
		data = sample(env.Server.DefaultOrganization().ID)
	default:
		return exampleenv.Usage(fs)
	}
	desired, err := access.ParseState(data)
	if err != nil {
		return fail(err)
	}
	plan, err := access.Plan(ctx, env.Client, desired, &access.PlanOptions{Prune: *prune})
	if err != nil {
		return fail(err)
	}
	if *asJSON && !*apply {
		return printJSON(stdout, plan, fail)
	}
	fmt.Fprint(stdout, plan)
	if !*apply {
		return 0
	}
	report, err := access.Apply(ctx, env.Client, plan, nil)
	if report == nil {
		return fail(err)
	}
	if *asJSON {
		printJSON(stdout, report, fail)
	} else {
		fmt.Fprint(stdout, report)
	}
	if err != nil {
		return fail(fmt.Errorf("%d change(s) not done; run again to finish", len(report.Results)-report.Count(access.Done)))
	}
	return 0
}

func printJSON(w io.Writer, v any, fail func(error) int) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(w, "%s\n", b)
	return 0
}

// seed gives the in-memory PostHog a few people to sync.
func seed(srv *posthogtest.Server) {
	org := srv.DefaultOrganization().ID
	for _, p := range []struct {
		email string
		level posthogapi.MembershipLevel
	}{{"ann@example.com", posthogapi.MembershipLevelMember}, {"leaver@example.com", posthogapi.MembershipLevelAdmin}} {
		srv.AddMember(org, srv.AddUser(posthogtest.UserSeed{Email: p.email}).UUID, p.level)
	}
	srv.AddInvite(org, posthogtest.InviteSeed{Email: "bob@example.com"})
}

func sample(org posthogapi.OrganizationID) []byte {
	return fmt.Appendf(nil, `{"organizations": [{"id": %q, "roles": [{"name": "Support"}], "people": [
  {"email": "owner@example.com", "level": "owner"},
  {"email": "Ann@example.com", "level": "admin", "roles": ["Support"]},
  {"email": "bob@example.com", "level": "admin", "roles": ["Support"]},
  {"email": "cleo@example.com"}]}]}`, org)
}
