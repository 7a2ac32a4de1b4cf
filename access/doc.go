// Package access manages who is in a PostHog organization, at what level
// and in which roles, as code: a desired State (written by hand or by a
// program, reviewed like code) is compared with what PostHog has, and the
// differences become an ordered ChangePlan that Apply carries out.
//
//	desired, err := access.ParseState(file)          // or build a State in Go
//	plan, err := access.Plan(ctx, client, desired, &access.PlanOptions{Prune: prune})
//	fmt.Print(plan)                                  // or json.Marshal(plan)
//	report, err := access.Apply(ctx, client, plan, nil)
//
// Export reads the current state into the same form, to start a file from.
//
// # Changes
//
// A plan creates missing roles, promotes, invites (or re-invites at another
// level: PostHog cannot change an invite), adds members to roles, removes
// role memberships, cancels invites, demotes and removes members, in that
// order within an organization. Removals (members, pending invites, role
// memberships the state does not list) are planned only with
// PlanOptions.Prune; without it they are listed as Held (NeedsPrune).
// Roles are never deleted.
//
// People who are invited but have not joined cannot be given roles yet:
// PostHog adds only members to a role (products/access_control/backend/presentation/role.py
// RoleMembershipSerializer.create, "User does not exist."). The plan holds
// those roles back (WaitsForJoin, naming the invite the person waits for),
// and the first plan after they join adds them.
//
// # Safety
//
// No option turns these rules off, in Plan or in Apply:
//   - the key's own user (posthogapi.UsersService.Me) is never removed or
//     demoted (PostHog refuses a change of one's own level anyway);
//   - an organization is never left without an owner: if the desired state
//     would demote or remove every owner, one owner's demotion is held back
//     (Safety), and Apply reads the members before demoting an owner and
//     refuses (ErrRefused) if no other owner is left;
//   - an owner hand-over promotes the new owner before the old one is
//     demoted: owner demotions depend on the promotions to owner, so a
//     failed promotion skips them;
//   - removals happen only with Prune;
//   - a dry run (ApplyOptions.DryRun) sends no request at all, and Plan and
//     Export send no write.
//
// # Email addresses
//
// Two addresses are the same person when their EmailKey (trimmed,
// lower-cased) is equal, because that is how PostHog matches an invite to
// people: accepting an invite compares the invitee's address with
// EmailNormalizer.normalize, which lower-cases it
// (posthog/models/organization_invite.py OrganizationInvite.validate;
// posthog/helpers/email_utils.py EmailNormalizer), refuses it when a member
// has the address in any case (OrganizationInvite.validate,
// user__email__iexact) and then deletes the address's other invites in any
// case (OrganizationInvite.use, target_email__iexact).
//
// PostHog stores addresses in three ways, which is why comparing them as
// written would go wrong:
//   - accounts created today have the whole address lower-cased
//     (posthog/models/user.py UserManager.create_user calls
//     EmailNormalizer.normalize), but accounts created before that may keep
//     upper-case letters in the local part, Ann@example.com (PostHog's
//     EmailLookupHandler.get_user_by_email still falls back to a
//     case-insensitive match for them);
//   - an invite's target_email keeps the local part as given and
//     lower-cases the domain (posthog/api/organization_invite.py
//     OrganizationInviteSerializer.validate_target_email);
//   - creating an invite deletes the earlier invites whose target_email is
//     exactly the same, and refuses only a member whose address is exactly
//     the same (OrganizationInviteSerializer.create and
//     OrganizationInviteManager._get_invites_for_user_org, exact filters),
//     and the member list's email filter is exact too
//     (posthog/api/organization_member.py, user__email).
//
// So the plan re-invites with the address as the existing invite stores it
// (so PostHog replaces it), cancels another invite spelt differently when
// it would let the person join above their level (PostHog keeps both),
// never invites someone who is a member under another case (PostHog would
// create an invite nobody can accept), and reads whole lists instead of
// filtering by email. An address that two accounts of one organization
// share in different case is held back (Safety) for a person to resolve.
//
// # Reads
//
// Plan and Export read, side by side, the key's user and each
// organization's member, invite and role lists: their round trips are
// those of the longest list. A role's members come embedded in the role
// list: PostHog's RoleSerializer.get_members serializes every membership
// of the role (role.roles.all(), unpaged; products/access_control/backend/presentation/role.py), so
// Role.Members in a list is complete. It is filtered only for a viewer
// whose member visibility is restricted
// (restricted_visible_membership_ids: a non-admin who can reach no
// project), and the role_memberships endpoint is filtered the same way;
// Plan refuses to run for a non-admin, so the lists it reads are whole.
// Expired invites are listed by PostHog beside pending ones
// (OrganizationInvite.is_expired, three days); the plan treats them as no
// invite at all, and a new invite replaces one.
package access
