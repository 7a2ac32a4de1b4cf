package posthogapi_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// The shared setup of the end-to-end tests (DEVELOPING.md, "Tests"): start
// servers and clients with these, not by hand. Every server they start is
// closed when its test ends.

// e2eStart starts a posthogtest server with opts for one test.
func e2eStart(t *testing.T, opts ...posthogtest.Option) *posthogtest.Server {
	t.Helper()
	srv := posthogtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// e2eServerWith starts a server with opts and returns it, its default
// organization and a client whose key has the given scopes (see e2eClient).
func e2eServerWith(t *testing.T, opts []posthogtest.Option, scopes ...string) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	srv := e2eStart(t, opts...)
	return srv, posthogapi.OrganizationID(uuid.UUID(srv.DefaultOrganization().ID)), e2eClient(t, srv, srv.NewAPIKey(scopes...))
}

// e2eServer starts a server for one test and returns it, its default
// organization and a client whose key has the given scopes (see e2eClient).
func e2eServer(t *testing.T, scopes ...string) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	return e2eServerWith(t, nil, scopes...)
}

// e2eLegacyServer is e2eServer with a key without scopes on a server that
// lets such legacy keys do anything (posthogtest.LegacyUnscopedKeys), for
// the actions PostHog offers no scope for.
func e2eLegacyServer(t *testing.T) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	return e2eServerWith(t, []posthogtest.Option{posthogtest.LegacyUnscopedKeys()})
}

// legacySSOServer is e2eServer on a posthogtest that behaves like the older
// PostHog with SAML and SCIM on domains (posthogtest.WithLegacyDomainSSO).
func legacySSOServer(t *testing.T, scopes ...string) (*posthogtest.Server, posthogapi.OrganizationID, *posthogapi.Client) {
	t.Helper()
	return e2eServerWith(t, []posthogtest.Option{posthogtest.WithLegacyDomainSSO(), posthogtest.LegacyUnscopedKeys()}, scopes...)
}

// newServerClient starts a server for one test and returns it with a
// client whose key has the given scopes and which retries as the SDK does
// by default (see retryingClient).
func newServerClient(t *testing.T, scopes ...string) (*posthogtest.Server, *posthogapi.Client) {
	t.Helper()
	srv := e2eStart(t)
	return srv, retryingClient(t, srv, srv.NewAPIKey(scopes...))
}

// retryingClient returns a client of srv authenticated with key, with the
// SDK's default retry policy changed only by opts (e2eClient does not
// retry).
func retryingClient(t *testing.T, srv *posthogtest.Server, key string, opts ...posthogapi.Option) *posthogapi.Client {
	t.Helper()
	c, err := srv.Client(key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fastRetries keeps the SDK's retry policy with waits of a few
// milliseconds, for the tests that count what a retried write did.
var fastRetries = []posthogapi.Option{posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetryWait(10 * time.Millisecond)}

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

func wantAPIError(t *testing.T, err error, status int, code, attr string) *posthogapi.APIError {
	t.Helper()
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	if ae.StatusCode != status || ae.Code != code || ae.Attr != attr {
		t.Fatalf("err = %v (status %d code %q attr %q), want %d %q %q", err, ae.StatusCode, ae.Code, ae.Attr, status, code, attr)
	}
	return ae
}
