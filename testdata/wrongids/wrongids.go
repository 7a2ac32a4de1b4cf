// Package wrongids is compiled by TestWrongIDsDoNotCompile, never by
// "go build ./...": each line marked ERROR passes an ID of the wrong kind
// in an offboarding flow and must be a compile error; the unmarked calls
// are the right ones and must compile.
package wrongids

import (
	"context"

	"github.com/hogkit/posthogapi"
)

func offboard(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID, m *posthogapi.OrganizationMember,
	role *posthogapi.Role, rm *posthogapi.RoleMembership, inv *posthogapi.OrganizationInvite, p *posthogapi.Project,
	integ *posthogapi.ProjectIntegration) {
	// The right IDs.
	_, _ = c.Members.GetByEmail(ctx, org, m.User.Email)
	_, _ = c.Roles.ListForUser(ctx, org, m.User.UUID)
	_ = c.Roles.RemoveUser(ctx, org, role.ID, m.User.UUID)
	_ = c.Roles.RemoveMembership(ctx, org, role.ID, rm.ID)
	_ = c.Invites.Delete(ctx, org, inv.ID)
	_, _ = c.Members.Update(ctx, org, m.User.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
	_ = c.Members.Delete(ctx, org, m.User.UUID)

	// Every wrong kind of ID in the same flow.
	_ = c.Members.Delete(ctx, org, m.ID)                              // ERROR organization membership ID for the user's UUID
	_ = c.Members.Delete(ctx, org, rm.ID)                             // ERROR role membership ID for the user's UUID
	_, _ = c.Members.Update(ctx, org, m.ID, nil)                      // ERROR organization membership ID for the user's UUID
	_ = c.Members.Delete(ctx, m.User.UUID, m.User.UUID)               // ERROR user's UUID for the organization ID
	_ = c.Roles.RemoveUser(ctx, org, role.ID, m.ID)                   // ERROR organization membership ID for the user's UUID
	_ = c.Roles.RemoveUser(ctx, org, role.ID, rm.ID)                  // ERROR role membership ID for the user's UUID
	_ = c.Roles.RemoveUser(ctx, org, m.User.UUID, m.User.UUID)        // ERROR user's UUID for the role ID
	_ = c.Roles.RemoveUser(ctx, role.ID, org, m.User.UUID)            // ERROR role and organization swapped
	_ = c.Roles.RemoveMembership(ctx, org, role.ID, m.User.UUID)      // ERROR user's UUID for the role membership ID
	_ = c.Roles.RemoveMembership(ctx, org, role.ID, m.ID)             // ERROR organization membership ID for the role membership ID
	_ = c.Roles.RemoveMembership(ctx, org, rm.RoleID, rm.ID)          // right: the membership names its role
	_, _ = c.Roles.ListForUser(ctx, org, m.ID)                        // ERROR organization membership ID for the user's UUID
	_ = c.Invites.Delete(ctx, org, m.User.UUID)                       // ERROR user's UUID for the invite ID
	_ = c.Invites.Delete(ctx, org, posthogapi.InviteID(org))          // right only by an explicit conversion (the caller's own doing)
	_ = c.Invites.Delete(ctx, org, org)                               // ERROR organization ID for the invite ID
	_, _ = c.Roles.AddUser(ctx, org, role.ID, m.ID)                   // ERROR organization membership ID for the user's UUID
	_, _ = c.Projects.Get(ctx, org, p.ID)                             // right
	_, _ = c.ProjectBatchExports.List(ctx, p.ID, nil)                 // right
	_, _ = c.Integrations.GetForProject(ctx, p.ID, integ.ID)          // right
	_, _ = c.Integrations.GetForProject(ctx, integ.ID, p.ID)          // ERROR project and integration swapped
	_, _ = c.ProjectBatchExports.List(ctx, integ.ID, nil)             // ERROR integration ID for the project ID
	_, _ = c.Organizations.Get(ctx, role.ID)                          // ERROR role ID for the organization ID
	_, _ = c.Members.GetByEmail(ctx, posthogapi.OrganizationID{}, "") // right to the compiler; refused before sending (nil UUID)
}
