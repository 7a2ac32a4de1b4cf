package access_test

import (
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// allScopes are the scopes Plan and Apply need.
var allScopes = []string{"user:read", "organization_member:write", "organization:write"}

// world is a server with a client of the default user (an owner of the
// default organization) holding allScopes.
type world struct {
	srv *posthogtest.Server
	org posthogapi.OrganizationID
	c   *posthogapi.Client
}

func newWorld(t testing.TB, opts ...posthogtest.Option) *world {
	t.Helper()
	srv := posthogtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(srv.NewAPIKey(allScopes...), posthogapi.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return &world{srv: srv, org: srv.DefaultOrganization().ID, c: c}
}

// member adds a user with email to the organization at level.
func (w *world) member(email string, level posthogapi.MembershipLevel) posthogtest.Member {
	u := w.srv.AddUser(posthogtest.UserSeed{Email: email})
	return w.srv.AddMember(w.org, u.UUID, level)
}
