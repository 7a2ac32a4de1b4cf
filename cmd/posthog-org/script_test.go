package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/cli"
	"github.com/hogkit/posthogapi/posthogtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary run as posthog-org when a script calls it:
// each call is a process of its own, as a user's would be.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"posthog-org": func() {
			os.Exit(cli.Main(context.Background(), os.Args[1:], cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// scriptClock is the fixed time of the scripts' server (its invites and
// joins), so that outputs compare.
var scriptClock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// TestScripts runs testdata/script/*.txtar: each script gets a fresh
// posthogtest server (deterministic IDs, fixed clock) with the default
// organization "Test Organization" (owner@example.com, owner), its URL in
// POSTHOG_HOST and a key with every scope in POSTHOG_PERSONAL_API_KEY.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs(), posthogtest.WithFixedClock(scriptClock))
			env.Defer(srv.Close)
			env.Values[serverKey{}] = srv
			env.Setenv("POSTHOG_HOST", srv.URL())
			env.Setenv("POSTHOG_PERSONAL_API_KEY", srv.NewAPIKey("*"))
			env.Setenv("ORG_ID", srv.DefaultOrganization().ID.String())
			return nil
		},
		Cmds: scriptCommands,
	})
}

type serverKey struct{}

func server(ts *testscript.TestScript) *posthogtest.Server {
	return ts.Value(serverKey{}).(*posthogtest.Server)
}

// orgByName finds a seeded organization by name.
func orgByName(ts *testscript.TestScript, name string) posthogapi.OrganizationID {
	for _, o := range server(ts).Organizations() {
		if o.Name == name {
			return o.ID
		}
	}
	ts.Fatalf("no organization %q", name)
	return posthogapi.OrganizationID{}
}

// userByEmail finds a seeded user by email, adding one when there is none.
func userByEmail(ts *testscript.TestScript, email string, twoFA bool) posthogapi.UserUUID {
	srv := server(ts)
	for _, o := range srv.Organizations() {
		for _, m := range srv.Members(o.ID) {
			if strings.EqualFold(m.User.Email, email) {
				return m.User.UUID
			}
		}
	}
	login := scriptClock.Add(-48 * time.Hour)
	return srv.AddUser(posthogtest.UserSeed{Email: email, Is2FAEnabled: twoFA, LastLogin: &login}).UUID
}

func level(ts *testscript.TestScript, s string) posthogapi.MembershipLevel {
	l, err := posthogapi.ParseMembershipLevel(s)
	ts.Check(err)
	return l
}

// scriptCommands seed the server and check its state and the requests it
// received.
var scriptCommands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// exits N PROG ARGS...: run PROG (as exec does, keeping its stdout and
	// stderr) and check that it exits with code N.
	"exits": func(ts *testscript.TestScript, neg bool, args []string) {
		want, err := strconv.Atoi(args[0])
		ts.Check(err)
		err = ts.Exec(args[1], args[2:]...)
		got := 0
		if ee, ok := err.(*exec.ExitError); ok {
			got = ee.ExitCode()
		} else if err != nil {
			ts.Fatalf("%v", err)
		}
		if (got == want) == neg {
			ts.Fatalf("exit code %d, want %d", got, want)
		}
	},
	// org NAME: add an organization owned by owner@example.com.
	"org": func(ts *testscript.TestScript, neg bool, args []string) {
		srv := server(ts)
		srv.AddOrganization(args[0], srv.DefaultUser().UUID)
	},
	// member [-org NAME] [-2fa] EMAIL LEVEL: add a member.
	"member": func(ts *testscript.TestScript, neg bool, args []string) {
		srv := server(ts)
		org, args := orgArg(ts, args)
		twoFA := false
		if len(args) > 0 && args[0] == "-2fa" {
			twoFA, args = true, args[1:]
		}
		srv.AddMember(org, userByEmail(ts, args[0], twoFA), level(ts, args[1]))
	},
	// members [-org NAME] N PREFIX: add N members PREFIXi@example.com.
	"members": func(ts *testscript.TestScript, neg bool, args []string) {
		srv := server(ts)
		org, args := orgArg(ts, args)
		n, err := strconv.Atoi(args[0])
		ts.Check(err)
		for i := range n {
			srv.AddMember(org, userByEmail(ts, fmt.Sprintf("%s%d@example.com", args[1], i), false), posthogapi.MembershipLevelMember)
		}
	},
	// role [-org NAME] NAME EMAIL...: add a role with members.
	"role": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		var users []posthogapi.UserUUID
		for _, e := range args[1:] {
			users = append(users, userByEmail(ts, e, false))
		}
		server(ts).AddRole(org, args[0], users...)
	},
	// invite [-org NAME] EMAIL: add a pending invite.
	"invite": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		server(ts).AddInvite(org, posthogtest.InviteSeed{Email: args[0], CreatedAt: scriptClock.Add(-time.Hour)})
	},
	// project [-org NAME] NAME: add a project.
	"project": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		server(ts).AddProject(org, args[0])
	},
	// key SCOPE...: replace POSTHOG_PERSONAL_API_KEY with a key of these scopes.
	"key": func(ts *testscript.TestScript, neg bool, args []string) {
		ts.Setenv("POSTHOG_PERSONAL_API_KEY", server(ts).NewAPIKey(args...))
	},
	// subst-org FILE: replace ORG_ID in FILE with the default organization's ID.
	"subst-org": func(ts *testscript.TestScript, neg bool, args []string) {
		path := ts.MkAbs(args[0])
		b, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(b), "ORG_ID", server(ts).DefaultOrganization().ID.String())), 0o644))
	},
	// cp-key FILE: write POSTHOG_PERSONAL_API_KEY's value into FILE.
	"cp-key": func(ts *testscript.TestScript, neg bool, args []string) {
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(ts.Getenv("POSTHOG_PERSONAL_API_KEY")+"\n"), 0o600))
	},
	// fault KIND METHOD PATH [TIMES]: inject a fault. KIND: lost (the
	// write runs, the connection drops), 429 (Retry-After: 1), 500 (not
	// run), 500-after-commit, 503, 403.
	"fault": func(ts *testscript.TestScript, neg bool, args []string) {
		f := posthogtest.Fault{Method: args[1], Path: args[2], Times: 1}
		if len(args) > 3 {
			n, err := strconv.Atoi(args[3])
			ts.Check(err)
			f.Times = n
		}
		switch args[0] {
		case "lost":
			f.DropConnection = true
		case "429":
			f.Status, f.RetryAfter = 429, "1"
		case "500":
			f.Status = 500
		case "500-after-commit":
			f.Status, f.AfterCommit = 500, true
		case "503":
			f.Status = 503
		case "403":
			f.Status = 403
		default:
			ts.Fatalf("unknown fault %q", args[0])
		}
		server(ts).InjectFault(f)
	},
	// writes [METHOD] N: the server received exactly N write requests (of
	// METHOD, or of any method but GET) since the script began.
	"writes": func(ts *testscript.TestScript, neg bool, args []string) {
		method := ""
		if len(args) == 2 {
			method, args = args[0], args[1:]
		}
		want, err := strconv.Atoi(args[0])
		ts.Check(err)
		got := 0
		var seen []string
		for _, r := range server(ts).Requests() {
			if r.Method != "GET" && (method == "" || r.Method == method) {
				got++
				seen = append(seen, r.Method+" "+r.Path)
			}
		}
		if (got == want) == neg {
			ts.Fatalf("writes: got %d, want %d: %v", got, want, seen)
		}
	},
	// reads PATH N: the server received exactly N GETs of PATH.
	"reads": func(ts *testscript.TestScript, neg bool, args []string) {
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		got := 0
		for _, r := range server(ts).Requests() {
			if r.Method == "GET" && r.Path == args[0] {
				got++
			}
		}
		expect(ts, neg, got == want, "reads %s: got %d, want %d", args[0], got, want)
	},
	// requests N: the server received exactly N requests (any method).
	"requests": func(ts *testscript.TestScript, neg bool, args []string) {
		want, err := strconv.Atoi(args[0])
		ts.Check(err)
		if got := len(server(ts).Requests()); (got == want) == neg {
			ts.Fatalf("requests: got %d, want %d", got, want)
		}
	},
	// is-member [-org NAME] EMAIL [LEVEL]: EMAIL is a member (at LEVEL).
	"is-member": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		found := false
		for _, m := range server(ts).Members(org) {
			if strings.EqualFold(m.User.Email, args[0]) && (len(args) == 1 || m.Level == level(ts, args[1])) {
				found = true
			}
		}
		expect(ts, neg, found, "is-member %v: %v", args, found)
	},
	// is-invited [-org NAME] EMAIL N: EMAIL has exactly N invites.
	"is-invited": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		n := 0
		for _, inv := range server(ts).Invites(org) {
			if strings.EqualFold(inv.Email, args[0]) {
				n++
			}
		}
		want, err := strconv.Atoi(args[1])
		ts.Check(err)
		if (n == want) == neg {
			ts.Fatalf("is-invited %s: %d invites, want %d", args[0], n, want)
		}
	},
	// in-role [-org NAME] ROLE EMAIL: EMAIL is in ROLE.
	"in-role": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		srv := server(ts)
		found := false
		for _, r := range srv.Roles(org) {
			if r.Name != args[0] {
				continue
			}
			for _, u := range r.Members {
				for _, m := range srv.Members(org) {
					if m.User.UUID == u && strings.EqualFold(m.User.Email, args[1]) {
						found = true
					}
				}
			}
		}
		expect(ts, neg, found, "in-role %v: %v", args, found)
	},
	// has-role [-org NAME] ROLE: the role exists.
	"has-role": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		found := slices.ContainsFunc(server(ts).Roles(org), func(r posthogtest.Role) bool { return r.Name == args[0] })
		expect(ts, neg, found, "has-role %s: %v", args[0], found)
	},
	// project-id [-org NAME] NAME VAR: set $VAR to the project's ID.
	"project-id": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		for _, p := range server(ts).Projects(org) {
			if p.Name == args[0] {
				ts.Setenv(args[1], strconv.FormatInt(int64(p.ID), 10))
				return
			}
		}
		ts.Fatalf("no project %q", args[0])
	},
	// has-project [-org NAME] NAME: a project has this name.
	"has-project": func(ts *testscript.TestScript, neg bool, args []string) {
		org, args := orgArg(ts, args)
		found := slices.ContainsFunc(server(ts).Projects(org), func(p posthogtest.Project) bool { return p.Name == args[0] })
		expect(ts, neg, found, "has-project %s: %v", args[0], found)
	},
}

// orgArg takes an optional leading "-org NAME" (default: the default
// organization).
func orgArg(ts *testscript.TestScript, args []string) (posthogapi.OrganizationID, []string) {
	if len(args) >= 2 && args[0] == "-org" {
		return orgByName(ts, args[1]), args[2:]
	}
	return server(ts).DefaultOrganization().ID, args
}

// expect fails the script when found disagrees with the command's sense
// (neg: "!" before it).
func expect(ts *testscript.TestScript, neg, found bool, format string, args ...any) {
	if found == neg {
		ts.Fatalf(format, args...)
	}
}
