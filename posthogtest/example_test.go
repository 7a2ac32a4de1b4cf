package posthogtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// promoteAll is the code under test: it makes every member an admin.
func promoteAll(ctx context.Context, c *posthogapi.Client, org posthogapi.Organization) (int, error) {
	n := 0
	for m, err := range c.Members.All(ctx, org.ID, nil) {
		if err != nil {
			return n, err
		}
		if m.Level != posthogapi.MembershipLevelMember {
			continue
		}
		if _, err := c.Members.Update(ctx, org.ID, m.User.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Test a program that uses posthogapi: seed the server, point a client at
// it, run the code, then check the server's state and what it received.
func Example() {
	srv := posthogtest.NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization()
	for _, email := range []string{"ann@example.com", "ben@example.com"} {
		u := srv.AddUser(posthogtest.UserSeed{Email: email})
		srv.AddMember(org.ID, u.UUID, posthogtest.LevelMember)
	}

	c, err := srv.Client(srv.NewAPIKey("organization:read", "organization_member:write"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	o, err := c.Organizations.Get(ctx, org.ID)
	if err != nil {
		log.Fatal(err)
	}
	n, err := promoteAll(ctx, c, *o)
	fmt.Println("promoted", n, err)

	for _, m := range srv.Members(org.ID) {
		fmt.Println(m.User.Email, m.Level)
	}
	patches := 0
	for _, r := range srv.Requests() {
		if r.Method == "PATCH" {
			patches++
		}
	}
	fmt.Println("PATCH requests:", patches)
	// Output:
	// promoted 2 <nil>
	// owner@example.com owner
	// ann@example.com admin
	// ben@example.com admin
	// PATCH requests: 2
}

// Inject faults to test how a program copes with PostHog misbehaving.
func ExampleServer_InjectFault() {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c, _ := srv.Client(srv.NewAPIKey("*"), posthogapi.WithMaxRetries(0))

	// The next POST runs, but its answer is lost.
	srv.InjectFault(posthogtest.Fault{Method: "POST", DropConnection: true})
	_, err := c.Organizations.Create(context.Background(), &posthogapi.OrganizationCreate{Name: "Maybe"})
	fmt.Println(errors.Is(err, posthogapi.ErrOutcomeUnknown), len(srv.Organizations()))

	// The next two requests are answered 503.
	srv.InjectFault(posthogtest.Fault{Status: 503, Times: 2})
	_, err = c.Organizations.GetCurrent(context.Background())
	fmt.Println(errors.Is(err, posthogapi.ErrServer))
	// Output:
	// true 2
	// true
}
