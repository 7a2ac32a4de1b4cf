package posthogapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// testKey is a canary: tests assert it never shows up in errors or logs.
const testKey = "phx_CANARYcanaryCANARYcanary0123456789"

// mockBase mounts the API under a path prefix, so every test also checks
// that paths are built below the base URL's path.
const mockBase = "https://posthog.example/ph"

// api returns the mock URL of an API path below /api/organizations/.
func api(path string) string { return mockBase + "/api/organizations/" + path }

// newMockClient returns a client whose requests go to an httpmock transport
// (no network), with fast retries.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{
		WithBaseURL(mockBase),
		WithHTTPClient(&http.Client{Transport: mt}),
		WithRetryWaitMin(time.Millisecond),
		WithMaxRetryWait(50 * time.Millisecond),
		// The mock stands for any server: requests of actions without a
		// scope are sent to it (the default refusal is tested in
		// scopeless_test.go).
		WithLegacyUnscopedKey(),
	}
	c, err := NewClient(testKey, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// respond returns a responder that checks the request's query and JSON body
// (when wantQuery / wantBody are not empty; wantBody is compared as JSON)
// and answers status with body.
func respond(t *testing.T, status int, body string, wantQuery string, wantBody string) httpmock.Responder {
	t.Helper()
	return func(req *http.Request) (*http.Response, error) {
		t.Helper()
		if got := req.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("Authorization = %q", got)
		}
		if wantQuery != "" && req.URL.RawQuery != wantQuery {
			t.Errorf("query = %q, want %q", req.URL.RawQuery, wantQuery)
		}
		if wantBody != "" {
			if req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type = %q", req.Header.Get("Content-Type"))
			}
			got, _ := io.ReadAll(req.Body)
			assertJSONEqual(t, got, []byte(wantBody))
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// assertJSONEqual fails unless got and want are the same JSON value.
func assertJSONEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body = %s\nwant   %s", compact(got), compact(want))
	}
}

func compact(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

// assertNoCanary fails if s contains the test key.
func assertNoCanary(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, testKey) || strings.Contains(s, "CANARY") {
		t.Errorf("canary key leaked: %s", s)
	}
}

// netOpError is a failure to connect: the request never left.
var netOpError = net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}

// escapePath is the path below /api/organizations/ of raw segments, escaped
// by the one path builder (at) as the services' paths are: the reliability
// tests and fuzz targets probe the shared request path with it.
func escapePath(segments ...string) string {
	pieces := []any{"organizations"}
	for _, s := range segments {
		pieces = append(pieces, s)
	}
	return at(pieces...).path
}

func jsonResponse(status int, body string) *http.Response {
	r := httpmock.NewStringResponse(status, body)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// libraryFile is one of the package's non-test Go files, parsed.
type libraryFile struct {
	name string
	file *ast.File
}

// parseLibrary parses the package's non-test Go files, for the tests that
// check a rule over the library's source (naming, redaction, typed project
// IDs, decoder coverage).
func parseLibrary(t *testing.T) (*token.FileSet, []libraryFile) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []libraryFile
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, libraryFile{name, f})
	}
	return fset, files
}
