package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi/posthogtest"
)

func TestBulkInviteDemo(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "built-in sample") {
		t.Error("no mention of the sample")
	}
	for _, want := range []string{
		"person22@example.com|invited as member",
		"lead@example.com|invited as admin",
		"not-an-email|skipped: not an email address",
		"person01@example.com|skipped: same address as line 2",
		`boss@example.com|skipped: unknown level "emperor"`,
	} {
		email, status, _ := strings.Cut(want, "|")
		if !hasRow(out.String(), email, status) {
			t.Errorf("output lacks %s %s:\n%s", email, status, out.String())
		}
	}
}

func writeCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("email,first name,level\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "p%02d@example.com,P%d,member\n", i, i)
	}
	b.WriteString(",no email,member\n")
	file := filepath.Join(t.TempDir(), "invites.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestBulkInviteFile runs the program as against a real PostHog (the
// environment points it at a posthogtest server).
func TestBulkInviteFile(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	file := writeCSV(t, 25)
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*"), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-no-email", file}, nil, &out, &errb, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			posts++
			if !strings.Contains(r.Body, `"send_email":false`) {
				t.Errorf("-no-email not sent: %s", r.Body)
			}
		}
	}
	if posts != 2 {
		t.Fatalf("%d bulk requests, want 2 (20 + 5)", posts)
	}
	if n := len(srv.Invites(srv.DefaultOrganization().ID)); n != 25 {
		t.Fatalf("%d invites on the server", n)
	}
	if !hasRow(out.String(), "(none)", "skipped: no email") {
		t.Errorf("bad row not reported:\n%s", out.String())
	}
}

// TestBulkInviteServerError answers the second request 502 from a
// gateway: its rows are reported unknown (PostHog may still be running
// it), the first chunk's rows are invited, nothing is re-sent, and the
// program exits 1.
func TestBulkInviteServerError(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	file := writeCSV(t, 25)
	srv.InjectFault(posthogtest.Fault{Method: "POST", Skip: 1, Status: 502})
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*"), "POSTHOG_HOST": srv.URL()}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{file}, nil, &out, &errb, func(k string) string { return env[k] })
	if code != 1 || !strings.Contains(errb.String(), "5 invite(s) failed") {
		t.Fatalf("exit %d\nstderr: %s", code, errb.String())
	}
	if !hasRow(out.String(), "p19@example.com", "invited as member") || strings.Count(out.String(), "unknown: PostHog may have created it") != 5 {
		t.Fatalf("output:\n%s", out.String())
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	if posts != 2 {
		t.Fatalf("%d POSTs: a failed chunk was re-sent", posts)
	}
}

func TestBulkInviteUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, nil, &out, &errb, func(string) string { return "" }); code != 0 || !strings.Contains(errb.String(), "usage: bulk-invite") {
		t.Fatalf("-h: %d %s", code, errb.String())
	}
	if code := run(context.Background(), []string{"a.csv", "b.csv"}, nil, &out, &errb, func(string) string { return "" }); code != 2 {
		t.Fatalf("two files: %d", code)
	}
	if code := run(context.Background(), []string{"/does/not/exist.csv"}, nil, &out, &errb, func(string) string { return "" }); code != 1 || !strings.Contains(errb.String(), "no such file") {
		t.Fatalf("missing file: %d %s", code, errb.String())
	}
}

// hasRow reports whether a report line names email with status.
func hasRow(out, email, status string) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == email && strings.Join(f[3:], " ") == status {
			return true
		}
	}
	return false
}

// TestBulkInviteCreatedThen500 creates the second chunk and then answers
// 500: BulkChunked lists the invites and the rows are reported invited;
// a 500 before anything ran leaves them "not created".
func TestBulkInviteCreatedThen500(t *testing.T) {
	for _, afterCommit := range []bool{true, false} {
		srv := posthogtest.NewServer()
		file := writeCSV(t, 25)
		srv.InjectFault(posthogtest.Fault{Method: "POST", Skip: 1, Status: 500, AfterCommit: afterCommit})
		env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*"), "POSTHOG_HOST": srv.URL()}
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{file}, nil, &out, &errb, func(k string) string { return env[k] })
		srv.Close()
		wantRow, wantCode := "invited as member", 0
		if !afterCommit {
			wantRow, wantCode = "not created: ", 1
		}
		if code != wantCode || !strings.HasPrefix(rowStatus(out.String(), "p24@example.com"), wantRow) {
			t.Errorf("after commit %v: exit %d, output:\n%s\nstderr: %s", afterCommit, code, out.String(), errb.String())
		}
	}
}

// rowStatus returns the status printed for email ("" when absent).
func rowStatus(out, email string) string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[2] == email {
			return strings.Join(f[3:], " ")
		}
	}
	return ""
}
