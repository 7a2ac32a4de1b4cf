package posthogapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// e2eServer starts a server for one test and returns it, its default
// organization and a client whose key has the given scopes (see e2eClient).
func e2eServer(t *testing.T, scopes ...string) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	return srv, posthogapi.OrganizationID(uuid.UUID(srv.DefaultOrganization().ID)), e2eClient(t, srv, srv.NewAPIKey(scopes...))
}

// e2eLegacyServer is e2eServer with a key without scopes on a server that
// lets such legacy keys do anything (posthogtest.LegacyUnscopedKeys), for
// the actions PostHog offers no scope for.
func e2eLegacyServer(t *testing.T) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys())
	t.Cleanup(srv.Close)
	return srv, posthogapi.OrganizationID(uuid.UUID(srv.DefaultOrganization().ID)), e2eClient(t, srv, srv.NewAPIKey())
}

// e2eClient returns a client of srv authenticated with key. It does not
// retry, so an error answer is seen as the server gave it.
func e2eClient(t *testing.T, srv *posthogtest.Server, key string) *posthogapi.Client {
	t.Helper()
	c, err := srv.Client(key, posthogapi.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rawCall sends one request to srv with key and returns the status, the
// headers and the decoded JSON body.
func rawCall(t *testing.T, srv *posthogtest.Server, key, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPServer().Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, resp.Header, m
}

func newServerClient(t *testing.T, scopes ...string) (*posthogtest.Server, *posthogapi.Client) {
	t.Helper()
	srv := posthogtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.Client(srv.NewAPIKey(scopes...))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}
