// Command audit reports, for every organization the key can see, each
// member's level, two-factor authentication and roles, who holds owner and
// admin rights, which members have not turned on two-factor authentication,
// and which invites have been pending for more than N days.
//
//	audit [-days 7] [-org <uuid>] [-keys [-legacy-key]] [-json]
//
// With -keys it also lists the members' personal API keys with their scopes
// (masked, never the secret). PostHog serves that list only to organization
// admins, on plans with the organization security settings, and only to a
// browser session or, on a self-hosted PostHog older than migration 1052, a
// legacy personal API key without scopes (say so with -legacy-key): with any
// other key the report says the keys are not readable, and nothing is sent.
//
// It runs against POSTHOG_PERSONAL_API_KEY / POSTHOG_HOST, or against an
// in-memory PostHog when no key is set. It needs the scopes
// organization:read (organizations and roles) and organization_member:read.
// It only reads. It exits 1 when PostHog refuses or fails, 2 on a usage
// error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/examples/internal/exampleenv"
	"github.com/hogkit/posthogapi/posthogtest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Report is the audit of one organization.
type Report struct {
	Organization string `json:"organization"`
	ID           string `json:"id"`
	// Members is every member with their level, 2FA and roles, oldest
	// first; RolesListed is false when the key may not read roles.
	Members       []Access        `json:"members"`
	RolesListed   bool            `json:"roles_listed"`
	Privileged    []Person        `json:"privileged"`
	Without2FA    []Person        `json:"without_2fa"`
	StaleInvites  []PendingInvite `json:"stale_invites"`
	InvitesListed bool            `json:"invites_listed"`
	// Keys and KeysListed are set with -keys.
	Keys       []MemberKey `json:"keys,omitempty"`
	KeysListed bool        `json:"keys_listed,omitempty"`
}

// MemberKey is a member's personal API key in the report.
type MemberKey struct {
	Owner  string   `json:"owner"`
	Mask   string   `json:"mask"`
	Scopes []string `json:"scopes"`
	// Access is "all", "organization" or "projects: <names>".
	Access   string     `json:"access"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

// Access is what one member may do in the organization.
type Access struct {
	Email string `json:"email"`
	Level string `json:"level"`
	TwoFA bool   `json:"two_factor"`
	// Roles are the names of the member's roles, in PostHog's order.
	Roles []string `json:"roles"`
}

// Person is a member in the report.
type Person struct {
	Email string `json:"email"`
	Level string `json:"level"`
}

// PendingInvite is an invite older than the threshold.
type PendingInvite struct {
	Email     string    `json:"email"`
	Level     string    `json:"level"`
	CreatedAt time.Time `json:"created_at"`
	AgeDays   int       `json:"age_days"`
	Expired   bool      `json:"expired"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := exampleenv.Flags("audit", stderr,
		"usage: audit [-days N] [-org UUID] [-keys [-legacy-key]] [-json]",
		"Reports every member's level, 2FA and roles, owners and admins, members without 2FA, and stale invites,",
		"in every organization the key can see (or -org).")
	days := fs.Int("days", 7, "report invites pending for more than this many `days`")
	orgFlag := fs.String("org", "", "audit only the organization with this `uuid`")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	keys := fs.Bool("keys", false, "also list members' personal API keys and their scopes")
	legacyKey := fs.Bool("legacy-key", false, "the key is a legacy key without scopes on a self-hosted PostHog older than migration 1052 (needed by -keys)")
	if code, ok := exampleenv.Parse(fs, args, -1); !ok {
		return code
	}
	var only string // an organization ID in PostHog's form, or ""
	if *orgFlag != "" {
		id, err := uuid.Parse(*orgFlag)
		if err != nil {
			fmt.Fprintf(stderr, "audit: -org %q is not a UUID\n", *orgFlag)
			return 2
		}
		only = id.String()
	}
	if *days < 0 {
		fmt.Fprintln(stderr, "audit: -days must not be negative")
		return 2
	}

	info := stdout
	if *asJSON {
		info = stderr // keep stdout pure JSON
	}
	env, err := exampleenv.Connect("audit", getenv, info, seed, "organization:read", "organization_member:read")
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 1
	}
	defer env.Close()

	c := env.Client
	if *legacyKey {
		if c, err = env.ClientWith(posthogapi.WithLegacyUnscopedKey()); err != nil {
			fmt.Fprintln(stderr, "audit:", err)
			return 1
		}
	}
	reports, err := audit(ctx, c, only, time.Duration(*days)*24*time.Hour, env.Now, *keys)
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			fmt.Fprintln(stderr, "audit:", err)
			return 1
		}
		return 0
	}
	printTable(stdout, reports, *days, *keys)
	return 0
}

func audit(ctx context.Context, c *posthogapi.Client, only string, maxAge time.Duration, now time.Time, keys bool) ([]Report, error) {
	var reports []Report
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		if only != "" && org.ID.String() != only {
			continue
		}
		r := Report{Organization: org.Name, ID: org.ID.String(), Members: []Access{}, Privileged: []Person{}, Without2FA: []Person{}, StaleInvites: []PendingInvite{}}
		roles, err := rolesByUser(ctx, c, org)
		if err != nil {
			return nil, err
		}
		r.RolesListed = roles != nil
		for m, err := range c.Members.All(ctx, org.ID, &posthogapi.MemberListOptions{Order: posthogapi.MemberOrderJoinedAt}) {
			if err != nil {
				return nil, fmt.Errorf("members of %s: %w", org.Name, err)
			}
			a := Access{Email: m.User.Email, Level: m.Level.String(), TwoFA: m.Is2FAEnabled, Roles: roles[m.User.UUID.String()]}
			if a.Roles == nil {
				a.Roles = []string{}
			}
			r.Members = append(r.Members, a)
			p := Person{Email: m.User.Email, Level: m.Level.String()}
			if m.Level >= posthogapi.MembershipLevelAdmin {
				r.Privileged = append(r.Privileged, p)
			}
			if !m.Is2FAEnabled {
				r.Without2FA = append(r.Without2FA, p)
			}
		}
		r.InvitesListed = true
		for inv, err := range c.Invites.All(ctx, org.ID, nil) {
			if refused(err) {
				r.InvitesListed = false // the key may not read invites here
				break
			}
			if err != nil {
				return nil, fmt.Errorf("invites of %s: %w", org.Name, err)
			}
			if age := now.Sub(inv.CreatedAt); age > maxAge {
				r.StaleInvites = append(r.StaleInvites, PendingInvite{
					Email: inv.TargetEmail, Level: inv.Level.String(), CreatedAt: inv.CreatedAt,
					AgeDays: int(age / (24 * time.Hour)), Expired: inv.IsExpired,
				})
			}
		}
		if keys {
			if err := listKeys(ctx, c, org, &r); err != nil {
				return nil, err
			}
		}
		reports = append(reports, r)
	}
	if only != "" && len(reports) == 0 {
		return nil, fmt.Errorf("organization %s is not visible to this key", only)
	}
	return reports, nil
}

// rolesByUser maps each user's UUID (in its string form) to the names of
// the roles they hold in org. It returns nil, without an error, when the
// key may not read the roles.
func rolesByUser(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization) (map[string][]string, error) {
	out := map[string][]string{}
	for role, err := range c.Roles.All(ctx, org.ID, nil) {
		if refused(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("roles of %s: %w", org.Name, err)
		}
		for rm, err := range c.Roles.AllMemberships(ctx, org.ID, role.ID, nil) {
			if err != nil {
				return nil, fmt.Errorf("members of role %s in %s: %w", role.Name, org.Name, err)
			}
			u := rm.User.UUID.String()
			out[u] = append(out[u], role.Name)
		}
	}
	return out, nil
}

// refused reports whether err is PostHog refusing the key (a missing scope
// or too low a level) rather than a failure.
func refused(err error) bool {
	var scopeErr *posthogapi.ScopeError
	return errors.As(err, &scopeErr) || errors.Is(err, posthogapi.ErrPermissionDenied)
}

// listKeys adds the organization's personal API keys to r.
func listKeys(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization, r *Report) error {
	r.Keys = []MemberKey{}
	for k, err := range c.PersonalAPIKeys.All(ctx, org.ID, nil) {
		var apiErr *posthogapi.APIError
		if errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) || errors.Is(err, posthogapi.ErrPermissionDenied) ||
			(errors.As(err, &apiErr) && apiErr.StatusCode == 402) {
			r.Keys = nil // scoped key, not an admin, or not on the plan
			return nil
		}
		if err != nil {
			return fmt.Errorf("personal API keys of %s: %w", r.Organization, err)
		}
		mk := MemberKey{Owner: k.Owner.Email, Scopes: k.Scopes, Access: string(k.AccessScope.Type), LastUsed: k.LastUsedAt}
		if k.MaskValue != nil {
			mk.Mask = *k.MaskValue
		}
		if k.AccessScope.Type == posthogapi.PersonalAPIKeyAccessProjects {
			var names []string
			for _, p := range k.AccessScope.Projects {
				names = append(names, p.Name)
			}
			mk.Access += ": " + strings.Join(names, ", ")
		}
		r.Keys = append(r.Keys, mk)
	}
	r.KeysListed = true
	return nil
}

func printTable(w io.Writer, reports []Report, days int, keys bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range reports {
		fmt.Fprintf(tw, "\n%s (%s)\n", r.Organization, r.ID)
		fmt.Fprintf(tw, "  Members (%d):\n", len(r.Members))
		for _, a := range r.Members {
			twoFA := "2FA off"
			if a.TwoFA {
				twoFA = "2FA on"
			}
			roles := "roles: " + strings.Join(a.Roles, ", ")
			switch {
			case !r.RolesListed:
				roles = "roles: not readable with this key"
			case len(a.Roles) == 0:
				roles = "no roles"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", a.Email, a.Level, twoFA, roles)
		}
		fmt.Fprintf(tw, "  Owners and admins (%d):\n", len(r.Privileged))
		for _, p := range r.Privileged {
			fmt.Fprintf(tw, "    %s\t%s\n", p.Email, p.Level)
		}
		fmt.Fprintf(tw, "  Members without 2FA (%d):\n", len(r.Without2FA))
		for _, p := range r.Without2FA {
			fmt.Fprintf(tw, "    %s\t%s\n", p.Email, p.Level)
		}
		printKeys(tw, r, keys)
		if !r.InvitesListed {
			fmt.Fprintf(tw, "  Invites: not readable with this key\n")
			continue
		}
		fmt.Fprintf(tw, "  Invites pending more than %d days (%d):\n", days, len(r.StaleInvites))
		for _, inv := range r.StaleInvites {
			state := "pending"
			if inv.Expired {
				state = "expired"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%d days\t%s\n", inv.Email, inv.Level, inv.AgeDays, state)
		}
	}
	_ = tw.Flush()
}

func printKeys(w io.Writer, r Report, asked bool) {
	switch {
	case r.KeysListed:
		fmt.Fprintf(w, "  Personal API keys (%d):\n", len(r.Keys))
		for _, k := range r.Keys {
			used := "never used"
			if k.LastUsed != nil {
				used = "last used " + k.LastUsed.Format(time.DateOnly)
			}
			fmt.Fprintf(w, "    %s\t%s\t%s\t%s\t%s\n", k.Owner, k.Mask, strings.Join(k.Scopes, " "), k.Access, used)
		}
	case asked:
		fmt.Fprintf(w, "  Personal API keys: not readable with this key (PostHog needs an admin's legacy key without scopes)\n")
	}
}

// seed fills the demo server with something worth auditing.
func seed(srv *posthogtest.Server) {
	org := srv.DefaultOrganization()
	for _, u := range []struct {
		email string
		level int
		twoFA bool
	}{
		{"ada@example.com", posthogtest.LevelAdmin, true},
		{"grace@example.com", posthogtest.LevelMember, false},
		{"linus@example.com", posthogtest.LevelMember, false},
	} {
		user := srv.AddUser(posthogtest.UserSeed{Email: u.email, Is2FAEnabled: u.twoFA})
		srv.AddMember(org.ID, user.UUID, posthogapi.MembershipLevel(u.level))
		switch u.email {
		case "ada@example.com":
			srv.NewAPIKeyFor(user.UUID, "insight:read", "feature_flag:write")
			srv.AddRole(org.ID, "Engineering", user.UUID)
		case "grace@example.com":
			srv.AddRole(org.ID, "Support", user.UUID)
		}
	}
	srv.AddProject(org.ID, "Web app")
	srv.AddInvite(org.ID, posthogtest.InviteSeed{Email: "old@example.com", CreatedAt: exampleenv.DemoTime.AddDate(0, 0, -30)})
	srv.AddInvite(org.ID, posthogtest.InviteSeed{Email: "new@example.com", CreatedAt: exampleenv.DemoTime.AddDate(0, 0, -1)})

	other := srv.AddOrganization("Side Project", srv.DefaultUser().UUID)
	srv.AddProject(other.ID, "Side site")
	u := srv.AddUser(posthogtest.UserSeed{Email: "ken@example.com"})
	srv.AddMember(other.ID, u.UUID, posthogtest.LevelAdmin)
	srv.AddRole(other.ID, "Maintainers", u.UUID)
}
