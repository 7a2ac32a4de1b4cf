// Package emails holds how PostHog normalizes an email address, for the
// places that must agree with it: the access planner (which invite a
// person already has) and posthogtest (which stores it as the server does).
package emails

import "strings"

// InviteAddress is the address PostHog stores for an invite to email:
// trimmed, the domain lower-cased, the local part as given
// (posthog/api/organization_invite.py
// OrganizationInviteSerializer.validate_target_email). An address without
// an @ is only trimmed.
func InviteAddress(email string) string {
	e := strings.TrimSpace(email)
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return e
	}
	return e[:at] + "@" + strings.ToLower(e[at+1:])
}
