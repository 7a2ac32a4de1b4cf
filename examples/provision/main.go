// Command provision sets up a project for a team in a chosen organization:
// it creates the project, invites people, creates a role and adds members
// to it, and creates a batch export to AWS S3 in that project. With
// -cleanup it deletes what an earlier run created.
//
//	provision -org ORG -project NAME [-reuse] [-invite EMAILS] [-role NAME]
//	          [-role-members EMAILS] [-bucket NAME] [-region R] [-prefix P]
//	          [-export NAME] [-state FILE]
//	provision -cleanup [-state FILE]
//
// ORG is an organization's name or ID. Project names are unique in an
// organization: when NAME is taken PostHog answers 409, and provision stops
// and says so, unless -reuse is given, in which case it provisions into the
// existing project (and -cleanup will not delete that project). A plan that
// allows no more projects is reported as such.
//
// An AwsS3 batch export needs an AWS S3 integration of the same project,
// which holds the credentials; PostHog's API cannot create one for you. The
// first run in a new project therefore stops (exit 3) after the project,
// invites and role, and asks you to connect the integration in PostHog
// (project settings, Integrations); the next run with the same flags
// resumes and creates the export. What each run creates is recorded in the
// state file (default provision-state.json), which -cleanup reads: it
// deletes the export, the role (or the members it added to a role it did
// not create), the invites it sent, and the project if it created it.
// Whatever is already gone counts as deleted, so -cleanup can be repeated.
//
// It runs against POSTHOG_PERSONAL_API_KEY / POSTHOG_HOST, or, when no key
// is set, against an in-memory PostHog where it provisions a demo project
// and cleans it up again. It needs the scopes organization:write,
// organization_member:write, project:write, integration:read and
// batch_export:write, and an admin's level in the organization.
//
// Exit codes: 0 done, 1 failed (the message says what), 2 usage error,
// 3 waiting for an AWS S3 integration in the project.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitWaiting = 3
)

// config is the command line.
type config struct {
	org, project       string
	reuse              bool
	invites            []string
	role               string
	roleMembers        []string
	bucket, region     string
	prefix, exportName string
	statePath          string
}

// State records what provision created, for resuming and for -cleanup.
// IDs are kept in PostHog's string form.
type State struct {
	OrganizationID string `json:"organization_id"`
	Organization   string `json:"organization"`
	ProjectID      int64  `json:"project_id,omitempty"`
	Project        string `json:"project"`
	// ProjectCreated is false for a project reused with -reuse, which
	// -cleanup leaves in place.
	ProjectCreated bool           `json:"project_created"`
	Invites        []CreatedThing `json:"invites,omitempty"`
	RoleID         string         `json:"role_id,omitempty"`
	Role           string         `json:"role,omitempty"`
	RoleCreated    bool           `json:"role_created,omitempty"`
	// RoleUsers are the users added to a role provision did not create
	// (ID: the user's UUID).
	RoleUsers []CreatedThing `json:"role_users,omitempty"`
	ExportID  string         `json:"export_id,omitempty"`
	Export    string         `json:"export,omitempty"`
	// CleanedUp is set by a -cleanup run that deleted everything.
	CleanedUp bool `json:"cleaned_up,omitempty"`
}

// CreatedThing is an object provision created, with a label for messages.
type CreatedThing struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// errWaiting ends a run that must wait for an integration.
var errWaiting = errors.New("waiting for an AWS S3 integration")

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fset := exampleenv.Flags("provision", stderr,
		"usage: provision -org ORG -project NAME [-reuse] [-invite EMAILS] [-role NAME] [-role-members EMAILS]",
		"                 [-bucket NAME] [-region R] [-prefix P] [-export NAME] [-state FILE]",
		"       provision -cleanup [-state FILE]",
		"Creates a project with invites, a role and an S3 batch export; -cleanup deletes them again.")
	var cfg config
	var invites, roleMembers string
	fset.StringVar(&cfg.org, "org", "", "the organization's `name or ID`")
	fset.StringVar(&cfg.project, "project", "", "the new project's `name`")
	fset.BoolVar(&cfg.reuse, "reuse", false, "provision into an existing project of that name (PostHog answers 409 otherwise)")
	fset.StringVar(&invites, "invite", "", "comma-separated `emails` to invite as members")
	fset.StringVar(&cfg.role, "role", "", "a role to create (or reuse) for the team")
	fset.StringVar(&roleMembers, "role-members", "", "comma-separated `emails` of organization members to add to -role")
	fset.StringVar(&cfg.bucket, "bucket", "", "create a daily batch export of events to this S3 `bucket`")
	fset.StringVar(&cfg.region, "region", "us-east-1", "the bucket's AWS `region`")
	fset.StringVar(&cfg.prefix, "prefix", "posthog/{table}/", "the S3 key `prefix`")
	fset.StringVar(&cfg.exportName, "export", "", "the batch export's `name` (default: PROJECT to S3)")
	fset.StringVar(&cfg.statePath, "state", "provision-state.json", "the `file` recording what was created")
	cleanup := fset.Bool("cleanup", false, "delete what the runs recorded in -state created")
	if code, ok := exampleenv.Parse(fset, args, 0); !ok {
		return code
	}
	cfg.invites, cfg.roleMembers = emails(invites), emails(roleMembers)
	for _, e := range append(append([]string{}, cfg.invites...), cfg.roleMembers...) {
		if !strings.Contains(e, "@") {
			fmt.Fprintf(stderr, "provision: %q is not an email address\n", e)
			return exitUsage
		}
	}
	if len(cfg.roleMembers) > 0 && cfg.role == "" {
		fmt.Fprintln(stderr, "provision: -role-members needs -role")
		return exitUsage
	}

	env, err := exampleenv.Connect("provision", getenv, stdout, seed,
		"organization:write", "organization_member:write", "project:write", "integration:read", "batch_export:write")
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return exitFailed
	}
	defer env.Close()
	if env.Server != nil {
		return demo(ctx, env, cfg, stdout, stderr)
	}
	if *cleanup {
		return cleanupRun(ctx, env.Client, cfg.statePath, stdout, stderr)
	}
	if cfg.org == "" || strings.TrimSpace(cfg.project) == "" {
		fmt.Fprintln(stderr, "provision: give -org and -project (or -cleanup)")
		return exampleenv.Usage(fset)
	}
	return provisionRun(ctx, env.Client, cfg, nil, stdout, stderr)
}

// emails splits a comma-separated list.
func emails(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// provisionRun provisions as cfg says, recording progress in the state
// file. connect, when set, is called with a new project's ID (the demo uses
// it to connect an integration as a person would in PostHog's UI).
func provisionRun(ctx context.Context, c *posthogapi.Client, cfg config, connect func(int64), stdout, stderr io.Writer) int {
	st, err := loadState(cfg.statePath)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return exitFailed
	}
	if st.Project != "" && !st.CleanedUp && (!strings.EqualFold(st.Project, cfg.project) || !sameOrg(st, cfg.org)) {
		fmt.Fprintf(stderr, "provision: %s records project %q in %s; use another -state for another project\n", cfg.statePath, st.Project, st.Organization)
		return exitUsage
	}
	if st.CleanedUp {
		st = &State{}
	}
	p := &provisioner{c: c, cfg: cfg, st: st, out: stdout, connect: connect}
	err = p.run(ctx)
	if p.st.ProjectID != 0 { // nothing to record before there is a project
		if serr := saveState(cfg.statePath, p.st); serr != nil {
			fmt.Fprintln(stderr, "provision: saving the state:", serr)
			return exitFailed
		}
	}
	switch {
	case errors.Is(err, errWaiting):
		return exitWaiting
	case err != nil:
		fmt.Fprintln(stderr, "provision:", err)
		if p.st.ProjectID != 0 {
			fmt.Fprintf(stderr, "provision: what was created is recorded in %s; run again to resume, or with -cleanup to undo\n", cfg.statePath)
		}
		return exitFailed
	case p.failed > 0:
		fmt.Fprintf(stderr, "provision: %d step(s) failed; run again to retry them\n", p.failed)
		return exitFailed
	}
	fmt.Fprintf(stdout, "Provisioned project %q (%d) in %s. Undo with: provision -cleanup -state %s\n", p.st.Project, p.st.ProjectID, p.st.Organization, cfg.statePath)
	return exitOK
}

func sameOrg(st *State, org string) bool {
	return st.Organization == org || strings.EqualFold(st.OrganizationID, org)
}

// provisioner does one provisioning run.
type provisioner struct {
	c       *posthogapi.Client
	cfg     config
	st      *State
	out     io.Writer
	connect func(int64)
	failed  int // steps that failed without stopping the run
}

func (p *provisioner) run(ctx context.Context) error {
	org, err := findOrganization(ctx, p.c, p.cfg.org)
	if err != nil {
		return err
	}
	p.st.OrganizationID, p.st.Organization = org.ID.String(), org.Name
	if err := p.project(ctx, org); err != nil {
		return err
	}
	if err := p.invite(ctx, org); err != nil {
		return err
	}
	if p.cfg.role != "" {
		if err := p.role(ctx, org); err != nil {
			return err
		}
	}
	if p.cfg.bucket != "" {
		return p.export(ctx)
	}
	return nil
}

// findOrganization returns the organization the key can see whose name or
// ID is nameOrID.
func findOrganization(ctx context.Context, c *posthogapi.Client, nameOrID string) (*posthogapi.Organization, error) {
	var names []string
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		if org.Name == nameOrID || strings.EqualFold(org.ID.String(), nameOrID) {
			return org, nil
		}
		names = append(names, fmt.Sprintf("%q (%s)", org.Name, org.ID))
	}
	return nil, fmt.Errorf("no organization %q is visible to this key; it sees %s", nameOrID, strings.Join(names, ", "))
}

// project creates the project, finds the one an earlier run created, or
// with -reuse the existing one of that name.
func (p *provisioner) project(ctx context.Context, org *posthogapi.Organization) error {
	if p.st.ProjectID != 0 {
		proj, err := p.c.Projects.Get(ctx, org.ID, posthogapi.ProjectID(p.st.ProjectID))
		if errors.Is(err, posthogapi.ErrNotFound) {
			return fmt.Errorf("project %d recorded in %s is gone; remove %s to start over", p.st.ProjectID, p.cfg.statePath, p.cfg.statePath)
		}
		if err != nil {
			return fmt.Errorf("reading project %d: %w", p.st.ProjectID, err)
		}
		fmt.Fprintf(p.out, "Project %q (%d) in %s: there already, from an earlier run.\n", proj.Name, proj.ID, org.Name)
		return nil
	}
	proj, err := p.c.Projects.Create(ctx, org.ID, &posthogapi.ProjectCreate{Name: p.cfg.project})
	var apiErr *posthogapi.APIError
	switch {
	case err == nil:
		p.st.ProjectID, p.st.Project, p.st.ProjectCreated = int64(proj.ID), proj.Name, true
		fmt.Fprintf(p.out, "Created project %q (%d) in %s.\n", proj.Name, proj.ID, org.Name)
		if p.connect != nil {
			p.connect(int64(proj.ID))
		}
		return nil
	case errors.Is(err, posthogapi.ErrConflict):
		existing, ferr := findProject(ctx, p.c, org, p.cfg.project)
		if ferr != nil {
			return ferr
		}
		if !p.cfg.reuse {
			return fmt.Errorf("a project named %q already exists in %s (ID %d): pass -reuse to provision into it, or choose another -project", existing.Name, org.Name, existing.ID)
		}
		p.st.ProjectID, p.st.Project, p.st.ProjectCreated = int64(existing.ID), existing.Name, false
		fmt.Fprintf(p.out, "Reusing the existing project %q (%d) in %s (-cleanup will leave it in place).\n", existing.Name, existing.ID, org.Name)
		return nil
	case errors.Is(err, posthogapi.ErrPermissionDenied) && errors.As(err, &apiErr) && strings.Contains(apiErr.Detail, "maximum limit of allowed projects"):
		return fmt.Errorf("%s's plan allows no more projects (PostHog: %q); delete a project or upgrade the plan", org.Name, apiErr.Detail)
	default:
		return fmt.Errorf("creating project %q in %s: %w", p.cfg.project, org.Name, err)
	}
}

// findProject returns the organization's project named name (PostHog
// compares project names ignoring case and surrounding space).
func findProject(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization, name string) (*posthogapi.ProjectBasic, error) {
	for proj, err := range c.Projects.All(ctx, org.ID, nil) {
		if err != nil {
			return nil, fmt.Errorf("projects of %s: %w", org.Name, err)
		}
		if strings.EqualFold(strings.TrimSpace(proj.Name), strings.TrimSpace(name)) {
			return proj, nil
		}
	}
	return nil, fmt.Errorf("PostHog says a project named %q exists in %s, but it is not listed", name, org.Name)
}

// invite invites those who are neither members nor invited yet, in one
// BulkChunked call.
func (p *provisioner) invite(ctx context.Context, org *posthogapi.Organization) error {
	var todo []posthogapi.InviteCreate
	for _, email := range p.cfg.invites {
		_, err := p.c.Members.GetByEmail(ctx, org.ID, email)
		if err == nil {
			fmt.Fprintf(p.out, "Invite %s: already a member.\n", email)
			continue
		}
		if !errors.Is(err, posthogapi.ErrNotFound) {
			return fmt.Errorf("looking up %s: %w", email, err)
		}
		pending, err := p.c.Invites.ListByEmail(ctx, org.ID, email)
		if err != nil {
			return fmt.Errorf("invites for %s: %w", email, err)
		}
		if hasLive(pending) {
			fmt.Fprintf(p.out, "Invite %s: already invited.\n", email)
			continue
		}
		todo = append(todo, posthogapi.InviteCreate{TargetEmail: email, Level: posthogapi.MembershipLevelMember})
	}
	if len(todo) == 0 {
		return nil
	}
	report, err := p.c.Invites.BulkChunked(ctx, org.ID, todo)
	if report == nil {
		return fmt.Errorf("inviting: %w", err)
	}
	for _, r := range report.Results() {
		if r.Status != posthogapi.InviteCreated {
			p.failed++
			fmt.Fprintf(p.out, "Invite %s: FAILED (%s); run again to retry.\n", r.TargetEmail, r.Status)
			continue
		}
		inv := r.Invite
		if inv == nil { // created, but the answer did not show it: look it up
			listed, err := p.c.Invites.ListByEmail(ctx, org.ID, r.TargetEmail)
			if err != nil || len(listed) == 0 {
				p.failed++
				fmt.Fprintf(p.out, "Invite %s: created, but not found to record it (-cleanup will miss it): %v\n", r.TargetEmail, err)
				continue
			}
			inv = &listed[len(listed)-1]
		}
		p.st.Invites = append(p.st.Invites, CreatedThing{ID: inv.ID.String(), Email: inv.TargetEmail})
		fmt.Fprintf(p.out, "Invited %s.\n", inv.TargetEmail)
	}
	return nil
}

// hasLive reports whether an invite is still usable.
func hasLive(invites []posthogapi.OrganizationInvite) bool {
	for _, inv := range invites {
		if !inv.IsExpired {
			return true
		}
	}
	return false
}

// role finds or creates the role and adds the members to it.
func (p *provisioner) role(ctx context.Context, org *posthogapi.Organization) error {
	var role *posthogapi.Role
	for r, err := range p.c.Roles.All(ctx, org.ID, nil) {
		if err != nil {
			return fmt.Errorf("roles of %s: %w", org.Name, err)
		}
		if strings.EqualFold(r.Name, p.cfg.role) {
			role = r
			break
		}
	}
	if role == nil {
		r, err := p.c.Roles.Create(ctx, org.ID, &posthogapi.RoleCreate{Name: p.cfg.role})
		if err != nil {
			return fmt.Errorf("creating role %q: %w", p.cfg.role, err)
		}
		role = r
		p.st.RoleID, p.st.Role, p.st.RoleCreated = r.ID.String(), r.Name, true
		fmt.Fprintf(p.out, "Created role %q.\n", r.Name)
	} else if p.st.RoleID != role.ID.String() {
		p.st.RoleID, p.st.Role, p.st.RoleCreated = role.ID.String(), role.Name, false
		fmt.Fprintf(p.out, "Role %q exists already; adding the members to it.\n", role.Name)
	}
	for _, email := range p.cfg.roleMembers {
		m, err := p.c.Members.GetByEmail(ctx, org.ID, email)
		if errors.Is(err, posthogapi.ErrNotFound) {
			p.failed++
			fmt.Fprintf(p.out, "Role member %s: FAILED, not a member of %s (roles take members: invite them, and add them once they joined).\n", email, org.Name)
			continue
		}
		if err != nil {
			return fmt.Errorf("looking up %s: %w", email, err)
		}
		in, err := inRole(ctx, p.c, org, role, m)
		if err != nil {
			return err
		}
		if in {
			fmt.Fprintf(p.out, "Role member %s: already in %q.\n", email, role.Name)
			continue
		}
		if _, err := p.c.Roles.AddUser(ctx, org.ID, role.ID, m.User.UUID); err != nil {
			p.failed++
			fmt.Fprintf(p.out, "Role member %s: FAILED: %v\n", email, err)
			continue
		}
		if !p.st.RoleCreated {
			p.st.RoleUsers = append(p.st.RoleUsers, CreatedThing{ID: m.User.UUID.String(), Email: email})
		}
		fmt.Fprintf(p.out, "Added %s to role %q.\n", email, role.Name)
	}
	return nil
}

func inRole(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization, role *posthogapi.Role, m *posthogapi.OrganizationMember) (bool, error) {
	for rm, err := range c.Roles.AllMemberships(ctx, org.ID, role.ID, nil) {
		if err != nil {
			return false, fmt.Errorf("members of role %q: %w", role.Name, err)
		}
		if rm.User.UUID == m.User.UUID {
			return true, nil
		}
	}
	return false, nil
}

// export creates the S3 batch export in the project, linked to the
// project's AWS S3 integration.
func (p *provisioner) export(ctx context.Context) error {
	project := p.st.ProjectID
	name := p.cfg.exportName
	if name == "" {
		name = p.st.Project + " to S3"
	}
	for be, err := range p.c.ProjectBatchExports.All(ctx, posthogapi.ProjectID(project), nil) {
		if err != nil {
			return fmt.Errorf("batch exports of project %d: %w", project, err)
		}
		if be.Name == name {
			fmt.Fprintf(p.out, "Batch export %q: there already.\n", name)
			return nil
		}
	}
	var integration *posthogapi.ProjectIntegration
	opts := &posthogapi.ProjectIntegrationListOptions{Kind: posthogapi.ProjectIntegrationAWSS3}
	for in, err := range p.c.Integrations.AllForProject(ctx, posthogapi.ProjectID(project), opts) {
		if err != nil {
			return fmt.Errorf("integrations of project %d: %w", project, err)
		}
		if in.Kind == posthogapi.ProjectIntegrationAWSS3 && integration == nil {
			integration = in
		}
	}
	if integration == nil {
		fmt.Fprintf(p.out, "Batch export %q: WAITING. Project %q (%d) has no AWS S3 integration, and PostHog's API cannot create one.\n", name, p.st.Project, project)
		fmt.Fprintf(p.out, "  Connect one in PostHog (project settings, Integrations, AWS S3), then run the same command again: it resumes from %s.\n", p.cfg.statePath)
		return errWaiting
	}
	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: p.cfg.bucket, Region: p.cfg.region, Prefix: p.cfg.prefix})
	dest.IntegrationID = posthogapi.NewNullable(integration.ID)
	be, err := p.c.ProjectBatchExports.Create(ctx, posthogapi.ProjectID(project), &posthogapi.BatchExportCreate{
		Name: name, Destination: dest, Interval: posthogapi.IntervalDay,
	})
	if err != nil {
		return fmt.Errorf("creating batch export %q: %w", name, err)
	}
	p.st.ExportID, p.st.Export = be.ID.String(), be.Name
	fmt.Fprintf(p.out, "Created batch export %q to s3://%s in project %d, using integration %q (%d).\n", be.Name, p.cfg.bucket, be.TeamID, integration.DisplayName, integration.ID)
	return nil
}

// cleanupRun deletes what the state file records, in reverse order.
// Whatever is already gone counts as deleted (IgnoreNotFound): the IDs come
// from the state file this program wrote, so a 404 means gone, not a
// mistaken ID.
func cleanupRun(ctx context.Context, c *posthogapi.Client, path string, stdout, stderr io.Writer) int {
	st, err := loadState(path)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return exitFailed
	}
	if st.OrganizationID == "" {
		fmt.Fprintf(stdout, "Nothing to clean up: %s records nothing.\n", path)
		return exitOK
	}
	var org posthogapi.Organization
	if err := org.ID.UnmarshalText([]byte(st.OrganizationID)); err != nil {
		fmt.Fprintf(stderr, "provision: %s: organization ID: %v\n", path, err)
		return exitFailed
	}
	failed := 0
	step := func(what string, err error) {
		switch {
		case errors.Is(err, errGone):
			fmt.Fprintf(stdout, "%s: already gone.\n", what)
		case err != nil:
			failed++
			fmt.Fprintf(stdout, "%s: FAILED: %v\n", what, err)
		default:
			fmt.Fprintf(stdout, "%s: deleted.\n", what)
		}
	}
	if st.ExportID != "" {
		var be posthogapi.BatchExport
		err := be.ID.UnmarshalText([]byte(st.ExportID))
		if err == nil {
			err = gone(c.ProjectBatchExports.Delete(ctx, posthogapi.ProjectID(st.ProjectID), be.ID))
		}
		step(fmt.Sprintf("Batch export %q", st.Export), err)
	}
	if st.RoleID != "" {
		var role posthogapi.Role
		err := role.ID.UnmarshalText([]byte(st.RoleID))
		switch {
		case err != nil:
			step(fmt.Sprintf("Role %q", st.Role), err)
		case st.RoleCreated:
			step(fmt.Sprintf("Role %q", st.Role), gone(c.Roles.Delete(ctx, org.ID, role.ID)))
		default:
			for _, u := range st.RoleUsers {
				var m posthogapi.OrganizationMember
				err := m.User.UUID.UnmarshalText([]byte(u.ID))
				if err == nil {
					err = gone(c.Roles.RemoveUser(ctx, org.ID, role.ID, m.User.UUID))
				}
				step(fmt.Sprintf("%s in role %q", u.Email, st.Role), err)
			}
		}
	}
	for _, inv := range st.Invites {
		var i posthogapi.OrganizationInvite
		err := i.ID.UnmarshalText([]byte(inv.ID))
		if err == nil {
			err = gone(c.Invites.Delete(ctx, org.ID, i.ID))
		}
		step("Invite for "+inv.Email, err)
	}
	if st.ProjectCreated {
		step(fmt.Sprintf("Project %q (%d)", st.Project, st.ProjectID), gone(c.Projects.Delete(ctx, org.ID, posthogapi.ProjectID(st.ProjectID))))
	} else if st.ProjectID != 0 {
		fmt.Fprintf(stdout, "Project %q (%d): left in place (it existed before; -reuse).\n", st.Project, st.ProjectID)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "provision: %d deletion(s) failed; run -cleanup again to retry\n", failed)
		return exitFailed
	}
	st.CleanedUp = true
	if err := saveState(path, st); err != nil {
		fmt.Fprintln(stderr, "provision: saving the state:", err)
		return exitFailed
	}
	fmt.Fprintf(stdout, "Cleaned up: everything recorded in %s is gone.\n", path)
	return exitOK
}

// errGone marks a deletion of something already deleted.
var errGone = errors.New("already gone")

// gone returns errGone for a 404, err otherwise.
func gone(err error) error {
	if err != nil && posthogapi.IgnoreNotFound(err) == nil {
		return errGone
	}
	return err
}

// loadState reads the state file; a missing file is an empty state.
func loadState(path string) (*State, error) {
	st := &State{}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%s is not a provision state file: %v", path, err)
	}
	return st, nil
}

// saveState writes the state file (through a temporary file, so that a
// crash leaves the old one).
func saveState(path string, st *State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".provision-state-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// demo provisions a project on the in-memory PostHog and cleans it up
// again. The state file lives in a temporary directory unless -state is
// given.
func demo(ctx context.Context, env *exampleenv.Env, cfg config, stdout, stderr io.Writer) int {
	if cfg.statePath == "provision-state.json" {
		dir, err := os.MkdirTemp("", "provision-demo-")
		if err != nil {
			fmt.Fprintln(stderr, "provision:", err)
			return exitFailed
		}
		defer os.RemoveAll(dir)
		cfg.statePath = filepath.Join(dir, "state.json")
	}
	if cfg.org == "" {
		cfg.org = "Acme"
	}
	if cfg.project == "" {
		cfg.project = "Checkout"
	}
	if len(cfg.invites) == 0 {
		cfg.invites = []string{"new.hire@example.com", "contractor@example.com"}
	}
	if cfg.role == "" {
		cfg.role, cfg.roleMembers = "Checkout team", []string{"ada@example.com"}
	}
	if cfg.bucket == "" {
		cfg.bucket = "acme-analytics"
	}
	connect := func(project int64) {
		env.Server.SeedIntegration(posthogapi.ProjectID(project), posthogtest.IntegrationAWSS3, "acme-aws")
		fmt.Fprintln(stdout, "(demo: an AWS S3 integration is connected to the new project, as you would in PostHog's UI)")
	}
	if code := provisionRun(ctx, env.Client, cfg, connect, stdout, stderr); code != exitOK {
		return code
	}
	fmt.Fprintln(stdout, "\nNow -cleanup:")
	return cleanupRun(ctx, env.Client, cfg.statePath, stdout, stderr)
}

// seed gives the demo an organization "Acme" that already has a project and
// members, on a plan that allows a few projects.
func seed(srv *posthogtest.Server) {
	acme := srv.AddOrganization("Acme", srv.DefaultUser().UUID)
	srv.SetProjectLimit(acme.ID, 5)
	srv.AddProject(acme.ID, "Website")
	for _, e := range []string{"ada@example.com", "grace@example.com"} {
		u := srv.AddUser(posthogtest.UserSeed{Email: e})
		srv.AddMember(acme.ID, u.UUID, posthogtest.LevelMember)
	}
}
