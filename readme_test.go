package posthogapi_test

import (
	"context"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestREADMEOffboard is the README's posthogtest snippet, kept here so that
// it compiles and passes.
func TestREADMEOffboard(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization()
	bob := srv.AddUser(posthogtest.UserSeed{Email: "bob@example.com"})
	srv.AddMember(org.ID, bob.UUID, posthogtest.LevelMember)

	c, err := posthogapi.NewClient(srv.NewAPIKey("organization_member:write"),
		posthogapi.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	// The code under test.
	if err := c.Members.Delete(context.Background(), org.ID, bob.UUID); err != nil {
		t.Fatal(err)
	}
	if len(srv.Members(org.ID)) != 1 {
		t.Fatal("bob is still a member")
	}
	for _, r := range srv.Requests() { // what the server received
		t.Log(r.Method, r.Path, r.Status)
	}
}
