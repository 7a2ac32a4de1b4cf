package posthogtest

import "github.com/hogkit/posthogapi/internal/emails"

// How PostHog stores and compares email addresses, in one place:
//
//   - a user created today has the whole address lower-cased
//     (posthog/models/user.py UserManager.create_user calls
//     posthog/helpers/email_utils.py EmailNormalizer.normalize); accounts
//     from before may keep upper case in the local part, which AddUser
//     seeds (see userAddress);
//   - an invite's target_email has its domain lower-cased and its local
//     part kept (posthog/api/organization_invite.py
//     OrganizationInviteSerializer.validate_target_email);
//   - creating an invite refuses only a member whose address is exactly
//     the target (OrganizationInviteSerializer.create, user__email=...)
//     and deletes only the invites with exactly that target
//     (OrganizationInviteManager._get_invites_for_user_org, target_email=...,
//     also for combine_pending_invites);
//   - accepting an invite compares without case: a member with the
//     address in any case is refused, and the address's other invites in
//     any case are deleted (posthog/models/organization_invite.py
//     OrganizationInvite.validate, user__email__iexact, and
//     OrganizationInvite.use, target_email__iexact).

// userAddress is how AddUser stores a seeded account's address: trimmed,
// with the domain lower-cased and the local part as given, as accounts
// PostHog created before it lower-cased whole addresses are stored
// (Django's BaseUserManager.normalize_email lower-cases the domain only).
// A seed in lower case is stored as today's server stores it.
func userAddress(email string) string { return emails.InviteAddress(email) }

// memberWithExactEmail reports whether a member's address is exactly
// email, as OrganizationInviteSerializer.create checks it
// (user__email=target_email).
func (o *org) memberWithExactEmail(email string) bool {
	for _, m := range o.members {
		if m.user.email == email {
			return true
		}
	}
	return false
}

// deleteInvitesExact removes the organization's invites (expired ones too)
// whose target is exactly email, as creating an invite does
// (OrganizationInviteManager.delete_existing_invites).
func (s *Server) deleteInvitesExact(o *org, email string) {
	st := &s.areas.invite
	kept := st.invites[:0]
	for _, inv := range st.invites {
		if inv.org == o && inv.email == email {
			continue
		}
		kept = append(kept, inv)
	}
	st.invites = kept
}
