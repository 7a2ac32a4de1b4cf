package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi/posthogtest"
)

func TestQuickstartOnDemoServer(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"running against an in-memory PostHog",
		"Test Organization (6 members)",
		"ada@example.com        member",
		"Set ken@example.com to admin.",
		`The read-only key was refused, as expected: it lacks the scope "organization_member:read" (HTTP 403). This refusal is the expected outcome.`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	assertLastLine(t, out.String())
}

// assertLastLine checks that the output ends by saying the run succeeded.
func assertLastLine(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "Quickstart finished: every step succeeded." {
		t.Errorf("last line = %q", last)
	}
}

// TestQuickstartWithoutReadOnlyKey: on a real PostHog without
// POSTHOG_READONLY_API_KEY the refusal step is skipped, and the run still
// ends by saying it succeeded.
func TestQuickstartWithoutReadOnlyKey(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("organization:read", "organization_member:write"), "POSTHOG_HOST": srv.URL()}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(step skipped)") || strings.Contains(out.String(), "refused") {
		t.Errorf("output:\n%s", out.String())
	}
	assertLastLine(t, out.String())
}

// TestQuickstartWithKey runs the "real PostHog" path, pointed at a
// posthogtest server through the environment.
func TestQuickstartWithKey(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization()
	u := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com"})
	srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	env := map[string]string{
		"POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*"),
		"POSTHOG_HOST":             srv.URL(),
		"POSTHOG_READONLY_API_KEY": srv.NewAPIKey("organization:read"),
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Using PostHog at "+srv.URL()) || !strings.Contains(out.String(), "Set bob@example.com to member.") {
		t.Fatalf("output:\n%s", out.String())
	}
	assertLastLine(t, out.String())
	if got := srv.Members(org.ID)[1].Level; got != posthogtest.LevelMember {
		t.Fatalf("level changed to %d on a real run", got)
	}
}
