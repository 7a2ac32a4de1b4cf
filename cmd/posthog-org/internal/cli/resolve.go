package cli

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// org resolves --org: an organization ID is used as it is (PostHog answers
// 404 for one the key cannot see), a slug or name is looked up among the
// key's organizations (slug first, then name ignoring case), and no --org
// is the key's current organization.
func (a *App) org(ctx context.Context) (*posthogapi.Organization, error) {
	c, err := a.api()
	if err != nil {
		return nil, err
	}
	ref := strings.TrimSpace(a.orgFlag)
	if ref == "" {
		o, err := c.Organizations.GetCurrent(ctx)
		if err != nil {
			return nil, fmt.Errorf("current organization: %w", err)
		}
		return o, nil
	}
	if id, err := posthogapi.ParseID[posthogapi.OrganizationID](ref); err == nil {
		o, err := c.Organizations.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("organization %s: %w", ref, err)
		}
		return o, nil
	}
	orgs, err := collect(c.Organizations.All(ctx, nil))
	if err != nil {
		return nil, fmt.Errorf("listing organizations: %w", err)
	}
	for _, o := range orgs {
		if o.Slug == ref {
			return o, nil
		}
	}
	var byName []*posthogapi.Organization
	for _, o := range orgs {
		if strings.EqualFold(o.Name, ref) {
			byName = append(byName, o)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		names := make([]string, 0, len(orgs))
		for _, o := range orgs {
			names = append(names, o.Slug)
		}
		return nil, usagef("--org %q: no organization with this ID, slug or name (the key sees: %s)", ref, strings.Join(names, ", "))
	}
	return nil, usagef("--org %q: %d organizations have this name; use the slug or ID", ref, len(byName))
}

// collect gathers an iterator's items, stopping at the first error.
func collect[T any](seq func(func(*T, error) bool)) ([]*T, error) {
	var out []*T
	for it, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// checkEmail rejects what is not a single plain email address.
func checkEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", usagef("%q is not an email address", s)
	}
	return s, nil
}

// sameEmail compares two addresses ignoring case, as PostHog matches an
// invite's address (target_email__iexact in OrganizationInviteViewSet) and
// as an operator means them: Ann@Example.com and ann@example.com are one
// person.
func sameEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// parseLevel parses a membership level with a usage error naming the
// choices.
func parseLevel(s string) (posthogapi.MembershipLevel, error) {
	l, err := posthogapi.ParseMembershipLevel(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return 0, usagef("unknown level %q (want member, admin or owner)", s)
	}
	return l, nil
}

// findMember finds a member by user UUID or email (exact first, then
// ignoring case). It returns nil, nil when there is none.
func findMember(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID, who string) (*posthogapi.OrganizationMember, error) {
	if id, err := uuid.Parse(who); err == nil {
		m, err := c.Members.Get(ctx, org, posthogapi.UserUUID(id))
		if errors.Is(err, posthogapi.ErrNotFound) {
			return nil, nil
		}
		return m, err
	}
	email, err := checkEmail(who)
	if err != nil {
		return nil, err
	}
	m, err := c.Members.GetByEmail(ctx, org, email)
	if err == nil || !errors.Is(err, posthogapi.ErrNotFound) {
		return m, err
	}
	members, err := collect(c.Members.All(ctx, org, nil))
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if sameEmail(m.User.Email, email) {
			return m, nil
		}
	}
	return nil, nil
}

// owners counts the owners among members.
func owners(members []*posthogapi.OrganizationMember) int {
	n := 0
	for _, m := range members {
		if m.Level == posthogapi.MembershipLevelOwner {
			n++
		}
	}
	return n
}

// lastOwnerCheck refuses to demote or remove m when it is the
// organization's only owner.
func lastOwnerCheck(ctx context.Context, c *posthogapi.Client, org *posthogapi.Organization, m *posthogapi.OrganizationMember, what string) error {
	if m.Level != posthogapi.MembershipLevelOwner {
		return nil
	}
	members, err := collect(c.Members.All(ctx, org.ID, nil))
	if err != nil {
		return fmt.Errorf("counting owners of %s: %w", org.Name, err)
	}
	if owners(members) <= 1 {
		return usagef("refusing to %s %s: the only owner of %s (make someone else owner first)", what, m.User.Email, org.Name)
	}
	return nil
}

// findRole finds a role by ID or name (ignoring case, as PostHog keeps
// names unique regardless of case); unknown names are a usage error naming
// the roles that exist.
func findRole(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID, ref string) (*posthogapi.Role, error) {
	roles, err := collect(c.Roles.All(ctx, org, nil))
	if err != nil {
		return nil, fmt.Errorf("listing roles: %w", err)
	}
	for _, r := range roles {
		if r.ID.String() == strings.ToLower(ref) || strings.EqualFold(r.Name, strings.TrimSpace(ref)) {
			return r, nil
		}
	}
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	return nil, usagef("unknown role %q (roles: %s)", ref, strings.Join(names, ", "))
}

// confirm asks before a destructive change: --yes skips the question, a
// terminal gets a y/N prompt, anything else is refused.
func (a *App) confirm(yes bool, question string) error {
	if yes {
		return nil
	}
	if !a.io.InTTY || !a.io.ErrTTY {
		return usagef("%s: refusing without --yes (stdin is not a terminal to confirm on)", question)
	}
	fmt.Fprintf(a.io.Err, "%s? [y/N] ", question)
	var answer string
	_, _ = fmt.Fscanln(a.io.In, &answer)
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return errCancelled
}

// checkEmailOrUUID accepts a user UUID or an email address.
func checkEmailOrUUID(s string) (string, error) {
	if _, err := uuid.Parse(s); err == nil {
		return s, nil
	}
	return checkEmail(s)
}

// selfCheck refuses to remove or demote the key's own user, which would
// lock the key out. A key without the user:read scope cannot tell who it
// is; PostHog itself then still refuses a change of one's own level.
func (a *App) selfCheck(ctx context.Context, m *posthogapi.OrganizationMember, what string) error {
	me, known, err := a.self(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("reading the key's own user: %w", err)
	case known && me == m.User.UUID:
		return usagef("refusing to %s %s: the key's own user (it would lock this key out)", what, m.User.Email)
	}
	return nil
}

// self returns the key's own user, read once (Users.Me); known is false
// when the key may not read it (no user:read scope).
func (a *App) self(ctx context.Context) (posthogapi.UserUUID, bool, error) {
	a.selfMu.Lock()
	defer a.selfMu.Unlock()
	if !a.selfRead {
		u, err := a.client.Users.Me(ctx)
		switch {
		case errors.Is(err, posthogapi.ErrPermissionDenied):
		case err != nil:
			return posthogapi.UserUUID{}, false, err
		default:
			a.selfUUID, a.selfKnown = u.UUID, true
		}
		a.selfRead = true
	}
	return a.selfUUID, a.selfKnown, nil
}
