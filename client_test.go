package posthogapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestNewClientRejectsBadConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		key  string
		opts []Option
	}{
		"empty key":          {"", nil},
		"blank key":          {"  ", nil},
		"key with newline":   {"phx_a\nb", nil},
		"user info":          {"k", []Option{WithBaseURL("https://user:pw@us.posthog.com")}},
		"http non-loopback":  {"k", []Option{WithBaseURL("http://posthog.internal")}},
		"ftp":                {"k", []Option{WithBaseURL("ftp://us.posthog.com")}},
		"no host":            {"k", []Option{WithBaseURL("https://")}},
		"query":              {"k", []Option{WithBaseURL("https://us.posthog.com/?x=1")}},
		"fragment":           {"k", []Option{WithBaseURL("https://us.posthog.com/#x")}},
		"api path":           {"k", []Option{WithBaseURL("https://us.posthog.com/api/organizations")}},
		"dot segment":        {"k", []Option{WithBaseURL("https://us.posthog.com/a/../b")}},
		"relative":           {"k", []Option{WithBaseURL("us.posthog.com")}},
		"nil http client":    {"k", []Option{WithHTTPClient(nil)}},
		"negative timeout":   {"k", []Option{WithTimeout(-time.Second)}},
		"negative retries":   {"k", []Option{WithMaxRetries(-1)}},
		"zero retry wait":    {"k", []Option{WithMaxRetryWait(0)}},
		"user agent newline": {"k", []Option{WithUserAgent("a\r\nX-Evil: 1")}},
	} {
		if _, err := NewClient(tc.key, tc.opts...); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		} else {
			assertNoCanary(t, err.Error())
		}
	}
}

func TestNewClientAcceptsGoodConfig(t *testing.T) {
	for base, want := range map[string]string{
		"":                           USCloud,
		EUCloud:                      EUCloud,
		"https://posthog.example/":   "https://posthog.example",
		"https://posthog.example/ph": "https://posthog.example/ph",
		"http://localhost:8000":      "http://localhost:8000",
		"http://127.0.0.1:8000":      "http://127.0.0.1:8000",
		"http://[::1]:8000":          "http://[::1]:8000",
	} {
		opts := []Option{}
		if base != "" {
			opts = append(opts, WithBaseURL(base))
		}
		c, err := NewClient("phx_key", opts...)
		if err != nil {
			t.Errorf("%q: %v", base, err)
			continue
		}
		if c.BaseURL() != want {
			t.Errorf("%q: BaseURL = %q, want %q", base, c.BaseURL(), want)
		}
	}
	if _, err := NewClient("phx_key", WithBaseURL("http://posthog.internal"), WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
}

func TestNewClientFromEnv(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	if _, err := NewClientFromEnv(); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("no key: %v", err)
	}
	t.Setenv(EnvAPIKey, "phx_env")
	t.Setenv(EnvHost, EUCloud)
	c, err := NewClientFromEnv()
	if err != nil || c.BaseURL() != EUCloud {
		t.Fatalf("c = %v, err = %v", c, err)
	}
	c, err = NewClientFromEnv(WithBaseURL("https://posthog.example"))
	if err != nil || c.BaseURL() != "https://posthog.example" {
		t.Fatalf("override: %v %v", c, err)
	}
}

func TestRequestHeaders(t *testing.T) {
	c, mt := newMockClient(t, WithUserAgent("offboarder/1.0"))
	var got http.Header
	mt.RegisterResponder("PATCH", api(orgID.String()+"/"), func(req *http.Request) (*http.Response, error) {
		got = req.Header.Clone()
		return httpmock.NewStringResponse(200, orgJSON), nil
	})
	if _, err := c.Organizations.Update(context.Background(), OrganizationID(orgID), &OrganizationUpdate{Name: Ptr("x")}); err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer "+testKey || got.Get("User-Agent") != "posthogapi-go/"+Version+" offboarder/1.0" ||
		got.Get("Content-Type") != "application/json" || got.Get("Accept") != "application/json" {
		t.Fatalf("headers = %v", got)
	}
}

func TestHTTPClientNotModified(t *testing.T) {
	hc := &http.Client{Timeout: 7 * time.Second}
	if _, err := NewClient("phx_key", WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.CheckRedirect != nil || hc.Timeout != 7*time.Second {
		t.Fatalf("caller's client modified: %+v", hc)
	}
}

func TestCrossHostRedirectRefused(t *testing.T) {
	var foreignAuth atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			foreignAuth.Add(1)
		}
		_, _ = w.Write([]byte(orgJSON))
	}))
	defer foreign.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	c, err := NewClient(testKey, WithBaseURL(api.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Organizations.Get(context.Background(), OrganizationID(orgID))
	if !errors.Is(err, ErrForeignHost) {
		t.Fatalf("err = %v", err)
	}
	assertNoCanary(t, fmt.Sprintf("%v %+v", err, err))
	if foreignAuth.Load() != 0 {
		t.Fatal("the key reached the foreign host")
	}
}

func TestSameHostRedirectFollowed(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			w.WriteHeader(401)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/old/") {
			http.Redirect(w, r, srv.URL+"/api/organizations/"+orgID.String()+"/", http.StatusMovedPermanently)
			return
		}
		_, _ = w.Write([]byte(orgJSON))
	}))
	defer srv.Close()
	c, err := NewClient(testKey, WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	o := new(Organization)
	if _, err := c.do(context.Background(), &request{method: "GET", path: "old/", out: o}); err != nil || o.ID != OrganizationID(orgID) {
		t.Fatalf("o = %v, err = %v", o.ID, err)
	}
}

// TestCanaryNeverLeaks runs failing calls of every kind with a debug logger
// and checks that the API key appears in no error string and no log line,
// even when the server echoes the key back.
func TestCanaryNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger), WithMaxRetries(1))
	echo := func(status int) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(status, `{"type":"x","code":"y","detail":"bad key `+req.Header.Get("Authorization")+`","attr":null}`), nil
		}
	}
	mt.RegisterResponder("GET", api(orgID.String()+"/"), echo(401))
	mt.RegisterResponder("PATCH", api(orgID.String()+"/"), echo(503))
	mt.RegisterResponder("PUT", api(orgID.String()+"/"), func(req *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(502, "<html>"+req.Header.Get("Authorization")+"</html>"), nil
	})
	mt.RegisterResponder("POST", api(""), func(req *http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("connection reset (%s)", "proxy said nothing")
	})
	mt.RegisterResponder("DELETE", api(orgID.String()+"/"), echo(429))
	mt.RegisterResponder("GET", membersURL(), httpmock.NewStringResponder(200, memberPage(3, 0, 1, "https://evil.example/?personal_api_key="+testKey)))
	ctx := context.Background()
	var errs []error
	_, err := c.Organizations.Get(ctx, OrganizationID(orgID))
	errs = append(errs, err)
	_, err = c.Organizations.Update(ctx, OrganizationID(orgID), &OrganizationUpdate{Name: Ptr("x")})
	errs = append(errs, err)
	_, err = c.Organizations.Replace(ctx, OrganizationID(orgID), &OrganizationCreate{Name: "x"})
	errs = append(errs, err)
	_, err = c.Organizations.Create(ctx, &OrganizationCreate{Name: "x"})
	errs = append(errs, err)
	errs = append(errs, c.Organizations.Delete(ctx, OrganizationID(orgID)))
	for _, err := range c.Members.All(ctx, OrganizationID(orgID), nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 6 {
		t.Fatalf("errors = %d", len(errs))
	}
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		assertNoCanary(t, fmt.Sprintf("%v | %+v | %#v", err, err, err))
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			assertNoCanary(t, string(apiErr.Body))
			assertNoCanary(t, apiErr.Detail)
		}
	}
	if logs.Len() == 0 {
		t.Fatal("debug logger captured nothing")
	}
	assertNoCanary(t, logs.String())
	if strings.Contains(logs.String(), "Authorization") {
		t.Fatal("headers logged")
	}
}

func TestSilentWithoutLogger(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(orgID.String()+"/"), httpmock.NewStringResponder(503, serverErr))
	if c.logger() != nil {
		t.Fatal("logger set by default")
	}
	_, _ = c.Organizations.Get(context.Background(), OrganizationID(orgID))
	if c.rc.Logger != nil {
		t.Fatal("retryablehttp logger enabled")
	}
}
