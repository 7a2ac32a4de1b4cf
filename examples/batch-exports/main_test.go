package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestBatchExportsDemoList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"events to AWS S3", "AwsS3 (integration 1)", "Completed at 2026-01-15 09:00",
		"persons to Postgres", "Postgres (integration 2)", "Failed at", "staging copy", "NoOp ", "never ran"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// world is a server with two organizations holding an export of the same
// name, and the environment that points the program at it.
func world(t *testing.T) (*posthogtest.Server, func(string) string, *posthogapi.BatchExport) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	key := srv.NewAPIKey("organization:read", "batch_export:write")
	c, err := srv.Client(key)
	if err != nil {
		t.Fatal(err)
	}
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	var first *posthogapi.BatchExport
	for _, org := range []posthogtest.Organization{srv.DefaultOrganization(), other} {
		for _, name := range []string{"nightly", "dup"} {
			if org.ID == other.ID && name == "nightly" {
				continue
			}
			be, err := c.BatchExports.Create(context.Background(), org.ID, &posthogapi.BatchExportCreate{
				Name: name, Destination: posthogapi.NewBatchExportDestination(posthogapi.NoOpConfig{}), Interval: posthogapi.IntervalDay,
			})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = be
			}
		}
	}
	srv.AddBatchExportRun(srv.DefaultOrganization().ID, first.ID, "Running")
	env := map[string]string{"POSTHOG_PERSONAL_API_KEY": key, "POSTHOG_HOST": srv.URL()}
	return srv, func(k string) string { return env[k] }, first
}

func TestBatchExportsPauseUnpause(t *testing.T) {
	srv, getenv, nightly := world(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"pause", "nightly"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "nightly ("+nightly.ID.String()+") in Test Organization is now paused.") {
		t.Fatalf("pause: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"list"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "paused  Running at") {
		t.Fatalf("list after pause: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"-backfill", "unpause", "nightly"}, &out, &errb, getenv); code != 0 || !strings.Contains(out.String(), "is now running.") {
		t.Fatalf("unpause: exit %d\n%s%s", code, out.String(), errb.String())
	}
	var sawBackfill bool
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/unpause/") && strings.Contains(r.Body, `"backfill":true`) {
			sawBackfill = true
		}
	}
	if !sawBackfill {
		t.Fatal("-backfill was not sent")
	}
}

func TestBatchExportsNameErrors(t *testing.T) {
	srv, getenv, _ := world(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"pause", "dup"}, &out, &errb, getenv); code != 1 || !strings.Contains(errb.String(), `2 batch exports are named "dup"`) {
		t.Fatalf("ambiguous: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-org", srv.DefaultOrganization().ID.String(), "pause", "dup"}, &out, &errb, getenv); code != 0 {
		t.Fatalf("-org disambiguates: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run(context.Background(), []string{"unpause", "missing"}, &out, &errb, getenv); code != 1 || !strings.Contains(errb.String(), `no batch export named "missing"`) {
		t.Fatalf("missing: exit %d: %s", code, errb.String())
	}
	for _, args := range [][]string{{"pause"}, {"frobnicate", "x"}, {"list", "x"}, {"-org", "nope", "list"}, {"a", "b", "c"}} {
		if code := run(context.Background(), args, &out, &errb, getenv); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code := run(context.Background(), []string{"-h"}, &out, &errb, getenv); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}
