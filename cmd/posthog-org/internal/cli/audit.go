package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/progress"
	"github.com/spf13/cobra"
)

// AuditRow is one member of one organization in the audit.
type AuditRow struct {
	Organization   string     `json:"organization"`
	OrganizationID string     `json:"organization_id"`
	Email          string     `json:"email"`
	Name           string     `json:"name"`
	Level          string     `json:"level"`
	TwoFactor      bool       `json:"two_factor"`
	LastLogin      *time.Time `json:"last_login"`
	// Roles are the member's role names, sorted; nil when the key may not
	// read roles (RolesReadable false).
	Roles         []string `json:"roles"`
	RolesReadable bool     `json:"roles_readable"`
}

var auditColumns = []output.Column[AuditRow]{
	{Header: "organization", Value: func(r AuditRow) string { return r.Organization }},
	{Header: "email", Value: func(r AuditRow) string { return r.Email }},
	{Header: "level", Value: func(r AuditRow) string { return r.Level }},
	{Header: "2fa", Value: func(r AuditRow) string { return yesNo(r.TwoFactor) }},
	{Header: "last login", Value: func(r AuditRow) string { return fmtTime(r.LastLogin) }},
	{Header: "roles", Value: func(r AuditRow) string {
		if !r.RolesReadable {
			return "(not readable with this key)"
		}
		return strings.Join(r.Roles, ";")
	}},
}

// pageSize is the member page size the audit reads (PostHog's default).
const pageSize = 100

func (a *App) auditCommand() *cobra.Command {
	var without2FA, privileged bool
	var inactive time.Duration
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit access in every organization the key sees: level, 2FA, last login, roles",
		Long: `Audit every member of every organization the key can see (or only --org):
level, two-factor authentication, last login and role names, one row per
member and organization. Reads only. Organizations are read at once (up to
--concurrency), and each organization's member pages at once, so the audit
takes about two round trips however many organizations there are.`,
		Example: `  posthog-org audit
  posthog-org audit --without-2fa -o csv > no-2fa.csv
  posthog-org audit --inactive 2160h --privileged`,
		Args: noArgs,
		RunE: a.run(func(ctx context.Context, _ []string) error {
			rows, err := a.audit(ctx)
			if err != nil {
				return err
			}
			kept := rows[:0]
			for _, r := range rows {
				if without2FA && r.TwoFactor {
					continue
				}
				if privileged && r.Level == posthogapi.MembershipLevelMember.String() {
					continue
				}
				if inactive > 0 && r.LastLogin != nil && time.Since(*r.LastLogin) < inactive {
					continue
				}
				kept = append(kept, r)
			}
			return output.Print(a.io.Out, a.format, nonNil(kept), auditColumns)
		}),
	}
	f := cmd.Flags()
	f.BoolVar(&without2FA, "without-2fa", false, "only members without two-factor authentication")
	f.BoolVar(&privileged, "privileged", false, "only admins and owners")
	f.DurationVar(&inactive, "inactive", 0, "only members who have not logged in for this long (e.g. 2160h), or never")
	return cmd
}

// audit reads every organization's members and roles.
func (a *App) audit(ctx context.Context) ([]AuditRow, error) {
	c, err := a.api()
	if err != nil {
		return nil, err
	}
	var orgs []*posthogapi.Organization
	if a.orgFlag != "" {
		o, err := a.org(ctx)
		if err != nil {
			return nil, err
		}
		orgs = []*posthogapi.Organization{o}
	} else if orgs, err = collect(c.Organizations.All(ctx, nil)); err != nil {
		return nil, fmt.Errorf("listing organizations: %w", err)
	}
	total := 0
	for _, o := range orgs {
		total += o.MemberCount
	}
	bar := a.bar(total, "auditing")
	defer bar.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type orgRows struct {
		rows []AuditRow
		err  error
	}
	results := eachOrgRun(ctx, a.concurrency, orgs, func(ctx context.Context, o *posthogapi.Organization) orgRows {
		rows, err := auditOrg(ctx, c, o, bar)
		if err != nil {
			cancel()
		}
		return orgRows{rows, err}
	})
	errs := make([]error, len(orgs))
	for i, r := range results {
		errs[i] = r.err
	}
	// The first failure cancelled the others: report it, not theirs.
	failed := -1
	for i, err := range errs {
		if err != nil && (failed < 0 || !errors.Is(err, context.Canceled) && errors.Is(errs[failed], context.Canceled)) {
			failed = i
		}
	}
	if failed >= 0 {
		return nil, fmt.Errorf("%s: %w", orgs[failed].Name, errs[failed])
	}
	var rows []AuditRow
	for _, r := range results {
		rows = append(rows, r.rows...)
	}
	return rows, nil
}

// auditOrg reads one organization: its roles and all its member pages at
// once.
func auditOrg(ctx context.Context, c *posthogapi.Client, o *posthogapi.Organization, bar *progress.Bar) ([]AuditRow, error) {
	var (
		wg       sync.WaitGroup
		roles    map[posthogapi.UserUUID][]string
		rolesErr error
	)
	wg.Go(func() { roles, rolesErr = rolesByUser(ctx, c, o.ID) })
	members, err := readMembers(ctx, c, o, bar)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	if rolesErr != nil {
		return nil, fmt.Errorf("roles: %w", rolesErr)
	}
	// Sorted by address without case: each row's key is lowered once, and
	// the sort moves small (key, index) pairs, not rows.
	type keyed struct {
		key string
		i   int
	}
	unsorted := make([]AuditRow, 0, len(members))
	order := make([]keyed, 0, len(members))
	orgID := o.ID.String()
	for _, m := range members {
		r := AuditRow{
			Organization: o.Name, OrganizationID: orgID, Email: m.User.Email, Name: fullName(m.User),
			Level: m.Level.String(), TwoFactor: m.Is2FAEnabled, LastLogin: m.LastLogin, RolesReadable: roles != nil,
		}
		if roles != nil {
			r.Roles = nonNil(roles[m.User.UUID])
		}
		order = append(order, keyed{strings.ToLower(r.Email), len(unsorted)})
		unsorted = append(unsorted, r)
	}
	slices.SortFunc(order, func(x, y keyed) int { return cmp.Compare(x.key, y.key) })
	rows := make([]AuditRow, len(order))
	for i, k := range order {
		rows[i] = unsorted[k.i]
	}
	return rows, nil
}

// rolesByUser maps each user to the names of their roles, sorted. A role
// list carries every membership of each role (PostHog's RoleSerializer.
// get_members in ee/api/rbac/role.py), so one list is enough. It returns
// nil without an error when the key may not read roles.
func rolesByUser(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID) (map[posthogapi.UserUUID][]string, error) {
	out := map[posthogapi.UserUUID][]string{}
	for r, err := range c.Roles.All(ctx, org, nil) {
		if err != nil {
			if refused(err) {
				return nil, nil
			}
			return nil, err
		}
		for _, m := range r.Members {
			out[m.User.UUID] = append(out[m.User.UUID], r.Name)
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out, nil
}

// readMembers reads all of an organization's members. The organization
// list already told how many there are, so every page is asked for at once
// (at most maxPagesAtOnce in flight); if the pages disagree with each other
// (members joined or left meanwhile) it reads the list again page after
// page.
func readMembers(ctx context.Context, c *posthogapi.Client, o *posthogapi.Organization, bar *progress.Bar) ([]*posthogapi.OrganizationMember, error) {
	pages := max(1, (o.MemberCount+pageSize-1)/pageSize)
	got := make([]*posthogapi.Page[posthogapi.OrganizationMember], pages)
	errs := make([]error, pages)
	sem := make(chan struct{}, maxPagesAtOnce)
	var wg sync.WaitGroup
	for i := range pages {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			got[i], errs[i] = c.Members.List(ctx, o.ID, &posthogapi.MemberListOptions{ListOptions: posthogapi.ListOptions{Limit: pageSize, Offset: i * pageSize}})
			if errs[i] == nil {
				bar.Add(len(got[i].Results))
			}
		})
	}
	wg.Wait()
	var members []*posthogapi.OrganizationMember
	seen := map[posthogapi.MembershipID]bool{}
	consistent := true
	for i, p := range got {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if p.Count != got[0].Count || (i == pages-1 && p.Next != "") {
			consistent = false
		}
		for j := range p.Results {
			m := &p.Results[j]
			if seen[m.ID] {
				consistent = false
				continue
			}
			seen[m.ID] = true
			members = append(members, m)
		}
	}
	if consistent && len(members) == got[0].Count {
		return members, nil
	}
	// The list changed while it was read: read it again in order.
	bar.AddTotal(got[0].Count)
	members = members[:0]
	for m, err := range c.Members.All(ctx, o.ID, nil) {
		if err != nil {
			return nil, err
		}
		bar.Add(1)
		members = append(members, m)
	}
	return members, nil
}

// maxPagesAtOnce bounds one organization's member pages in flight: all the
// pages of a 1,000-member organization.
const maxPagesAtOnce = 10

// refused reports whether err is PostHog refusing the key (a missing scope
// or too low a level) rather than a failure.
func refused(err error) bool {
	return errorsIsPermission(err)
}
