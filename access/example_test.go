package access_test

import (
	"context"
	"fmt"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/access"
	"github.com/hogkit/posthogapi/posthogtest"
)

// Plan a file against an organization, print the plan, apply it, and plan
// again.
func Example() {
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs())
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	srv.AddMember(org, srv.AddUser(posthogtest.UserSeed{Email: "ann@example.com"}).UUID, posthogapi.MembershipLevelMember)
	c, err := srv.Client(srv.NewAPIKey("user:read", "organization_member:write", "organization:write"))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	desired, err := access.ParseState(fmt.Appendf(nil, `{"organizations": [{"id": %q, "people": [
		{"email": "owner@example.com", "level": "owner"},
		{"email": "Ann@example.com", "level": "admin", "roles": ["Support"]},
		{"email": "bob@example.com", "roles": ["Support"]}]}]}`, org))
	if err != nil {
		panic(err)
	}
	plan, err := access.Plan(ctx, c, desired, nil)
	if err != nil {
		panic(err)
	}
	fmt.Print(plan)
	report, err := access.Apply(ctx, c, plan, nil)
	if err != nil {
		panic(err)
	}
	fmt.Print(report)
	again, err := access.Plan(ctx, c, desired, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("empty:", again.Empty())
	// Output:
	// organization 00000000-0000-4000-8000-000000000003:
	//     1. create role "Support"
	//     2. promote ann@example.com from member to admin
	//     3. invite bob@example.com as member
	//     4. add ann@example.com to role "Support" (after 1)
	//      - waits_for_join: bob@example.com gets roles Support after joining (PostHog gives roles only to members); run again then
	// plan: 4 changes (1 create_role, 1 promote, 1 invite, 1 add_to_role), 1 held
	//   1. done     create role "Support"
	//   2. done     promote ann@example.com from member to admin
	//   3. done     invite bob@example.com as member
	//   4. done     add ann@example.com to role "Support" (after 1)
	// applied: 4 done, 0 failed, 0 skipped, 0 unknown
	// empty: true
}
