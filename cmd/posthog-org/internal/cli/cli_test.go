package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// run runs the command in this process against srv, with stdin (and
// stderr) taken for a terminal when tty is set.
func run(t *testing.T, srv *posthogtest.Server, stdin string, tty bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"POSTHOG_HOST": srv.URL(), "POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*")}
	code = Main(context.Background(), args, Streams{
		In: strings.NewReader(stdin), Out: &out, Err: &errb,
		InTTY: tty, ErrTTY: tty,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

func seedMember(srv *posthogtest.Server, email string) {
	u := srv.AddUser(posthogtest.UserSeed{Email: email})
	srv.AddMember(srv.DefaultOrganization().ID, u.UUID, posthogapi.MembershipLevelMember)
}

func hasMember(srv *posthogtest.Server, email string) bool {
	for _, m := range srv.Members(srv.DefaultOrganization().ID) {
		if m.User.Email == email {
			return true
		}
	}
	return false
}

// On a terminal a destructive command asks, and only "y" or "yes" goes on.
func TestConfirmOnTerminal(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	seedMember(srv, "ann@example.com")

	for _, answer := range []string{"", "n\n", "no\n", "maybe\n"} {
		code, _, stderr := run(t, srv, answer, true, "members", "remove", "ann@example.com", "-o", "csv")
		if code != ExitCancelled || !strings.Contains(stderr, "Remove ann@example.com (member) from Test Organization? [y/N] ") {
			t.Fatalf("answer %q: code %d, stderr %q", answer, code, stderr)
		}
		if !hasMember(srv, "ann@example.com") {
			t.Fatalf("answer %q removed the member", answer)
		}
	}
	if n := len(srv.Writes()); n != 0 {
		t.Fatalf("%d writes after refusals", n)
	}
	code, stdout, stderr := run(t, srv, "yes\n", true, "members", "remove", "ann@example.com", "-o", "csv")
	if code != ExitOK || !strings.Contains(stdout, "remove member,ann@example.com,done") {
		t.Fatalf("yes: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if hasMember(srv, "ann@example.com") {
		t.Fatal("yes did not remove the member")
	}
}

// Not on a terminal, a destructive command needs --yes and sends nothing.
func TestConfirmNeedsYes(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	seedMember(srv, "ann@example.com")
	code, _, stderr := run(t, srv, "y\n", false, "members", "remove", "ann@example.com")
	if code != ExitUsage || !strings.Contains(stderr, "refusing without --yes") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if n := len(srv.Writes()); n != 0 || !hasMember(srv, "ann@example.com") {
		t.Fatalf("%d writes", n)
	}
}

// On a terminal without -o, output is a table; progress is drawn on stderr.
func TestTerminalDefaults(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	seedMember(srv, "ann@example.com")
	var out, errb bytes.Buffer
	env := map[string]string{"POSTHOG_HOST": srv.URL(), "POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*")}
	code := Main(context.Background(), []string{"audit"}, Streams{
		In: strings.NewReader(""), Out: &out, Err: &errb, OutTTY: true, ErrTTY: true,
		Getenv: func(k string) string { return env[k] },
	})
	if code != ExitOK || !strings.HasPrefix(out.String(), "ORGANIZATION ") || !strings.Contains(errb.String(), "auditing") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

func TestDescribe(t *testing.T) {
	scope := &posthogapi.ScopeError{Scope: "organization:write", APIError: &posthogapi.APIError{StatusCode: 403, Code: "permission_denied", Detail: "API key missing required scope 'organization:write'", Method: "POST", Path: "/api/organizations/x/roles/"}}
	for _, tc := range []struct {
		err  error
		code int
		line string
	}{
		{runError{scope}, ExitFailure, "POST /api/organizations/x/roles/: 403 permission_denied: API key missing required scope 'organization:write' (the key lacks the scope organization:write: add it to the personal API key)"},
		{runError{usagef("bad %s", "input")}, ExitUsage, "bad input"},
		{runError{partialError{usagef("x")}}, ExitPartial, "x"},
		{runError{errCancelled}, ExitCancelled, "cancelled"},
		{usageError{posthogapi.ErrInvalidArgument}, ExitUsage, "invalid argument"},
	} {
		code, line := describe(tc.err)
		if code != tc.code || line != tc.line {
			t.Errorf("describe(%v) = %d, %q; want %d, %q", tc.err, code, line, tc.code, tc.line)
		}
	}
}

func TestParseInviteCSV(t *testing.T) {
	invs, err := parseInviteCSV("p.csv", strings.NewReader("\ufeffEmail, Level ,first_name\nann@example.com,ADMIN,Ann\nbob@example.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 2 || invs[0].Level != posthogapi.MembershipLevelAdmin || invs[0].FirstName != "Ann" || invs[1].Level != posthogapi.MembershipLevelMember {
		t.Fatalf("%+v", invs)
	}
	for in, want := range map[string]string{
		"":                               "p.csv: empty file",
		"email\n":                        "p.csv: no invites",
		"email,email\n":                  `p.csv:1: column "email" appears twice`,
		"email,team\n":                   `p.csv:1: unknown column "team"`,
		"email\nann@example.com\nann@\n": `p.csv:3: "ann@" is not an email address`,
		"email,level\na@example.com,x\n": `p.csv:2: unknown level "x"`,
		"email\n\"a@example.com\n":       "p.csv:2:",
		"email,first_name\na@example.com," + strings.Repeat("x", 31) + "\n": "p.csv:2: first_name is longer",
	} {
		_, err := parseInviteCSV("p.csv", strings.NewReader(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) || !isUsage(err) {
			t.Errorf("%q: %v, want a usage error starting %q", in, err, want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, ok := range []string{"ann@example.com", "a.b+c@sub.example.co.uk"} {
		if _, err := checkEmail(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ann", "ann@", "@example.com", "Ann <ann@example.com>", "ann@localhost", "ann@example.com, bob@example.com"} {
		if _, err := checkEmail(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLineOf(t *testing.T) {
	data := []byte("a: 1\nb:\n  - email: x@y\n    level: boss\n")
	if got := lineOf(data, `organization o: x@y has level "boss" (member, admin or owner)`); got != 4 {
		t.Fatalf("line %d, want 4", got)
	}
	if got := lineOf(data, `no quotes`); got != 0 {
		t.Fatalf("line %d, want 0", got)
	}
}
