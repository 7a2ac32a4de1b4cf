// Command batch-exports lists every batch export the key can see with the
// status of its latest run, and pauses or unpauses an export by name.
//
//	batch-exports [-org <uuid>] [list]
//	batch-exports [-org <uuid>] pause NAME
//	batch-exports [-org <uuid>] [-backfill] unpause NAME
//
// NAME must match exactly one export in the organizations searched (all the
// key can see, or -org). The list shows the project integration a
// destination links (AwsS3, Postgres ... keep their credentials there). It runs against POSTHOG_PERSONAL_API_KEY /
// POSTHOG_HOST, or against an in-memory PostHog when no key is set. It
// needs organization:read and batch_export:read (list) or
// batch_export:write (pause, unpause).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// found is a batch export and the organization it belongs to.
type found struct {
	org    *posthogapi.Organization
	export *posthogapi.BatchExport
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := exampleenv.Flags("batch-exports", stderr,
		"usage: batch-exports [-org UUID] [list]",
		"       batch-exports [-org UUID] pause NAME",
		"       batch-exports [-org UUID] [-backfill] unpause NAME")
	orgFlag := fs.String("org", "", "only the organization with this `uuid`")
	backfill := fs.Bool("backfill", false, "with unpause: export the data missed while paused")
	if code, ok := exampleenv.Parse(fs, args, 2); !ok {
		return code
	}
	cmd, name := "list", fs.Arg(1)
	if fs.NArg() > 0 {
		cmd = fs.Arg(0)
	}
	if (cmd == "list") != (name == "") || cmd != "list" && cmd != "pause" && cmd != "unpause" {
		return exampleenv.Usage(fs)
	}
	var only uuid.UUID
	if *orgFlag != "" {
		id, err := uuid.Parse(*orgFlag)
		if err != nil {
			fmt.Fprintf(stderr, "batch-exports: -org %q is not a UUID\n", *orgFlag)
			return 2
		}
		only = id
	}

	env, err := exampleenv.Connect("batch-exports", getenv, stdout, nil, "organization:read", "batch_export:write")
	if err != nil {
		fmt.Fprintln(stderr, "batch-exports:", err)
		return 1
	}
	defer env.Close()
	if env.Server != nil {
		if err := seedDemo(ctx, env); err != nil {
			fmt.Fprintln(stderr, "batch-exports: seeding the demo:", err)
			return 1
		}
	}

	exports, err := collect(ctx, env.Client, only)
	if err != nil {
		fmt.Fprintln(stderr, "batch-exports:", err)
		return 1
	}
	if cmd == "list" {
		printList(stdout, exports)
		return 0
	}

	var matches []found
	for _, f := range exports {
		if f.export.Name == name {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 0:
		fmt.Fprintf(stderr, "batch-exports: no batch export named %q\n", name)
		return 1
	case 1:
	default:
		fmt.Fprintf(stderr, "batch-exports: %d batch exports are named %q; use -org to pick one:\n", len(matches), name)
		for _, m := range matches {
			fmt.Fprintf(stderr, "  %s in %s (%s)\n", m.export.ID, m.org.Name, m.org.ID)
		}
		return 1
	}
	m := matches[0]
	var state *posthogapi.BatchExportPauseState
	if cmd == "pause" {
		state, err = env.Client.BatchExports.Pause(ctx, m.org.ID, m.export.ID)
	} else {
		state, err = env.Client.BatchExports.Unpause(ctx, m.org.ID, m.export.ID, &posthogapi.BatchExportUnpauseOptions{Backfill: *backfill})
	}
	if err != nil {
		fmt.Fprintf(stderr, "batch-exports: %s %q: %v\n", cmd, name, err)
		return 1
	}
	word := "running"
	if state.Paused {
		word = "paused"
	}
	fmt.Fprintf(stdout, "%s (%s) in %s is now %s.\n", name, m.export.ID, m.org.Name, word)
	return 0
}

// collect lists the batch exports of every organization searched.
func collect(ctx context.Context, c *posthogapi.Client, only uuid.UUID) ([]found, error) {
	var out []found
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		if only != uuid.Nil && org.ID != posthogapi.OrganizationID(only) {
			continue
		}
		for be, err := range c.BatchExports.All(ctx, org.ID, nil) {
			if err != nil {
				return nil, fmt.Errorf("batch exports of %s: %w", org.Name, err)
			}
			out = append(out, found{org: org, export: be})
		}
	}
	return out, nil
}

func printList(w io.Writer, exports []found) {
	if len(exports) == 0 {
		fmt.Fprintln(w, "No batch exports.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORGANIZATION\tNAME\tDESTINATION\tINTERVAL\tSTATE\tLATEST RUN")
	for _, f := range exports {
		be := f.export
		state := "active"
		if be.Paused {
			state = "paused"
		}
		latest := "never ran"
		if r := be.LatestRun(); r != nil {
			latest = fmt.Sprintf("%s at %s", r.Status, r.CreatedAt.UTC().Format("2006-01-02 15:04"))
			if r.LatestError != nil && *r.LatestError != "" {
				latest += ": " + strings.TrimSpace(*r.LatestError)
			}
		}
		dest := string(be.Destination.Type)
		if id := be.Destination.Integration; id != nil {
			dest += fmt.Sprintf(" (integration %d)", *id)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.org.Name, be.Name, dest, be.Interval, state, latest)
	}
	_ = tw.Flush()
}

// seedDemo creates a few exports (through the API, as a user would) and
// gives them runs. As on today's PostHog, the AwsS3 and Postgres
// destinations carry no credentials: they link project integrations (here
// seeded in the organization's first project, where its exports go; on
// PostHog they are connected in the UI), and only non-secret settings are
// sent.
func seedDemo(ctx context.Context, env *exampleenv.Env) error {
	org := env.Server.DefaultOrganization()
	project := env.Server.AddProject(org.ID, "Main").ID
	awsS3 := env.Server.SeedIntegration(project, posthogtest.IntegrationAWSS3, "AWS (analytics account)")
	postgres := env.Server.SeedIntegration(project, posthogtest.IntegrationPostgreSQL, "db.internal")
	demo := []struct {
		name        string
		cfg         posthogapi.DestinationConfig
		integration posthogapi.ProjectIntegrationID
		interval    posthogapi.BatchExportInterval
		runs        []string
	}{
		{"events to AWS S3", posthogapi.AwsS3Config{BucketName: "analytics", Region: "eu-west-1", Prefix: "events/", FileFormat: "Parquet", Compression: "zstd"}, posthogapi.ProjectIntegrationID(int64(awsS3)), posthogapi.IntervalHour, []string{"Completed", "Completed"}},
		{"persons to Postgres", posthogapi.PostgresConfig{Database: "posthog", Schema: "exports"}, posthogapi.ProjectIntegrationID(int64(postgres)), posthogapi.IntervalDay, []string{"Completed", "Failed"}},
		{"staging copy", posthogapi.NoOpConfig{}, 0, posthogapi.IntervalEvery5Minutes, nil},
	}
	for _, d := range demo {
		dest := posthogapi.NewBatchExportDestination(d.cfg)
		if d.integration != 0 {
			dest.IntegrationID = posthogapi.NewNullable(d.integration)
		}
		be, err := env.Client.BatchExports.Create(ctx, org.ID, &posthogapi.BatchExportCreate{
			Name: d.name, Destination: dest, Interval: d.interval,
		})
		if err != nil {
			return err
		}
		for _, status := range d.runs {
			env.Server.AddBatchExportRun(org.ID, be.ID, posthogapi.BatchExportRunStatus(status))
		}
	}
	return nil
}
