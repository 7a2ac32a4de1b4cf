package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
)

func TestDo_DecodesIntoCallersValue(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/api/projects/7/dashboards/",
		respond(t, 200, `{"count": 1, "results": [{"id": 3, "name": "KPIs"}]}`, "limit=1&search=k", ""))
	var out struct {
		Count   int `json:"count"`
		Results []struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		} `json:"results"`
	}
	err := c.Do(context.Background(), "GET", "/api/projects/7/dashboards/", url.Values{"limit": {"1"}, "search": {"k"}}, nil, &out)
	if err != nil || out.Count != 1 || out.Results[0].Name != "KPIs" {
		t.Fatalf("Do: %+v, %v", out, err)
	}
	mt.RegisterResponder("PATCH", mockBase+"/api/projects/7/dashboards/3/",
		respond(t, 200, `{"id": 3}`, "", `{"name": "new"}`))
	if err := c.Do(context.Background(), "PATCH", "/api/projects/7/dashboards/3/", nil, map[string]string{"name": "new"}, nil); err != nil {
		t.Fatal(err)
	}
	mt.RegisterResponder("GET", mockBase+"/api/projects/7/dashboards/4/",
		respond(t, 404, `{"type":"invalid_request","code":"not_found","detail":"Not found."}`, "", ""))
	err = c.Do(context.Background(), "GET", "/api/projects/7/dashboards/4/", nil, nil, &out)
	if !errors.Is(err, ErrNotFound) || IgnoreNotFound(err) != nil {
		t.Errorf("404: %v", err)
	}
	assertNoCanary(t, err.Error())
}

// TestDo_RefusesPathsOffTheAPI: nothing is sent for a path that could
// leave the configured host or /api/.
func TestDo_RefusesPathsOffTheAPI(t *testing.T) {
	c, mt := newMockClient(t)
	for _, p := range []string{
		"", "api/projects/", "/projects/1/", "https://evil.example/api/x/", "//evil.example/api/x/",
		"/api/", "/api/../admin/", "/api/projects/%2e%2e/x/", "/api/projects/1/../../x/", "/api//x/",
		"/api/x/?token=1", "/api/x/#f", "/api/x y/", "/api/x/%zz/", "/api/a%2F..%2Fb/",
	} {
		err := c.Do(context.Background(), "GET", p, nil, nil, nil)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Do(%q) = %v, want ErrInvalidArgument", p, err)
		}
		if _, err := ListPage[map[string]any](context.Background(), c, p, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("ListPage(%q) = %v", p, err)
		}
	}
	if err := c.Do(context.Background(), "TRACE", "/api/x/", nil, nil, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("TRACE: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDo_PostNotRetriedAfter5xx: the escape hatch keeps the write policy:
// a POST answered 500 or 502 is not sent again; a GET answered 503 is.
func TestDo_PostNotRetriedAfter5xx(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", mockBase+"/api/projects/1/annotations/",
		httpmock.NewStringResponder(502, `bad gateway`))
	err := c.Do(context.Background(), "POST", "/api/projects/1/annotations/", nil, map[string]string{"content": "x"}, nil)
	if !errors.Is(err, ErrServer) {
		t.Errorf("POST: %v", err)
	}
	if n := mt.GetCallCountInfo()["POST "+mockBase+"/api/projects/1/annotations/"]; n != 1 {
		t.Errorf("POST sent %d times, want 1", n)
	}
	mt.RegisterResponder("GET", mockBase+"/api/projects/1/annotations/",
		httpmock.ResponderFromMultipleResponses([]*http.Response{
			httpmock.NewStringResponse(503, ""), httpmock.NewStringResponse(200, `{"ok": true}`),
		}))
	var out map[string]bool
	if err := c.Do(context.Background(), "GET", "/api/projects/1/annotations/", nil, nil, &out); err != nil || !out["ok"] {
		t.Errorf("GET after 503: %v, %v", out, err)
	}
}

// TestDo_KeyNeverLeavesTheHost: a redirect from the configured host to
// another one is refused before anything is sent there, and the foreign
// host never sees the key.
func TestDo_KeyNeverLeavesTheHost(t *testing.T) {
	var foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("foreign host got Authorization")
		}
	}))
	defer foreign.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/api/steal/", http.StatusFound)
	}))
	defer home.Close()
	c, err := NewClient(testKey, WithBaseURL(home.URL), WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/api/projects/1/", nil, nil, nil)
	if !errors.Is(err, ErrForeignHost) {
		t.Errorf("redirect off host: %v, want ErrForeignHost", err)
	}
	if foreignHits.Load() != 0 {
		t.Errorf("foreign host reached %d times", foreignHits.Load())
	}
	assertNoCanary(t, err.Error())
}

// TestListAll_RefusesForeignNextLink: the generic iterator follows next
// links only on the configured host and under /api/.
func TestListAll_RefusesForeignNextLink(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/api/projects/1/things/",
		httpmock.NewStringResponder(200, `{"count": 2, "next": "https://evil.example/api/projects/1/things/?offset=1", "results": [{"id": 1}]}`))
	var got []int
	var last error
	for v, err := range ListAll[struct{ ID int }](context.Background(), c, "/api/projects/1/things/", nil) {
		if err != nil {
			last = err
			break
		}
		got = append(got, v.ID)
	}
	if len(got) != 1 || !errors.Is(last, ErrForeignHost) {
		t.Errorf("got %v, %v", got, last)
	}
	mt.RegisterResponder("GET", mockBase+"/api/projects/2/things/",
		httpmock.NewStringResponder(200, `{"count": 2, "next": "`+mockBase+`/admin/things/?offset=1", "results": [{"id": 1}]}`))
	last = nil
	for _, err := range ListAll[struct{ ID int }](context.Background(), c, "/api/projects/2/things/", nil) {
		last = err
	}
	if !errors.Is(last, ErrForeignHost) {
		t.Errorf("next link off /api/: %v", last)
	}
}

func TestIgnoreNotFound(t *testing.T) {
	other := errors.New("boom")
	for _, tc := range []struct {
		in, want error
	}{
		{nil, nil},
		{ErrNotFound, nil},
		{fmt.Errorf("wrapped: %w", ErrNotFound), nil},
		{other, other},
		{ErrPermissionDenied, ErrPermissionDenied},
	} {
		if got := IgnoreNotFound(tc.in); got != tc.want {
			t.Errorf("IgnoreNotFound(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestDo_RefusesEscapedControlAndDoubleEncodedDots closes two gaps found by
// probing Client.Do: a segment that decodes to a control character (%00)
// is refused as a raw one is, and a segment that decodes twice to a dot
// segment (%252e%252e, which a proxy decoding twice reads as "..") is
// refused instead of going out. Harmless double escapes go out unchanged.
func TestDo_RefusesEscapedControlAndDoubleEncodedDots(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.RequestURI)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := NewClient(testKey, WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, p := range []string{
		"/api/x/%00/", "/api/x/a%00b/", "/api/x/%0d%0aHost:%20evil/", "/api/x/%7f/", "/api/x/%09/", "/api/x/%20/",
		"/api/x/\x00/", "/api/x/%252e%252e/y/", "/api/x/%252E%252e/", "/api/x/%252e/", "/api/x/a%252f%252e%252e/",
		"/api/x/%25252e/%252e%252e/",
	} {
		if err := c.Do(ctx, http.MethodGet, p, nil, nil, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Do(%q) = %v, want ErrInvalidArgument", p, err)
		}
		if _, err := ListPage[map[string]any](ctx, c, p, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("ListPage(%q) = %v, want ErrInvalidArgument", p, err)
		}
		for _, err := range ListAll[map[string]any](ctx, c, p, nil) {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("ListAll(%q) = %v, want ErrInvalidArgument", p, err)
			}
		}
	}
	if len(got) != 0 {
		t.Fatalf("refused paths were sent: %q", got)
	}
	// What is not a control character or a dot segment, even escaped
	// twice, goes out byte for byte as the caller escaped it.
	for _, p := range []string{"/api/x/%252f/", "/api/x/%25252e%25252e/", "/api/x/a%2520b/", "/api/x/%2e%2ex/"} {
		if err := c.Do(ctx, http.MethodGet, p, nil, nil, nil); err != nil {
			t.Errorf("Do(%q) = %v", p, err)
		}
	}
	want := []string{"/api/x/%252f/", "/api/x/%25252e%25252e/", "/api/x/a%2520b/", "/api/x/%2e%2ex/"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// FuzzDoPath: whatever path Client.Do accepts becomes a URL, as the client
// sends it, on the base URL's host, under /ph/api/ after any normalization,
// with no segment that holds a control character once decoded or that is a
// dot segment once decoded twice; whatever it refuses wraps
// ErrInvalidArgument.
func FuzzDoPath(f *testing.F) {
	for _, s := range []string{"/api/x/", "/api/x/%00/", "/api/x/%252e%252e/", "/api/%2e%2e/", "/api/a/b/", "/api/x y/",
		"/api/x/%25252e/", "/api/\\..\\/", "/api/a%2F..%2F..%2Fb/", "/api/x/%0a/", "/api/%zz/", "/api/x/%u002e/"} {
		f.Add(s)
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, p string) {
		r := rawRoute(p)
		var u *url.URL
		err := r.err
		if err == nil {
			u, err = c.buildURL(&request{path: r.path})
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("%q: %v", p, err)
			}
			return
		}
		v, err := url.Parse(u.String())
		if err != nil {
			t.Fatalf("%q: sent URL %q does not parse: %v", p, u, err)
		}
		if v.Host != "posthog.example" || v.RawQuery != "" || v.Fragment != "" {
			t.Fatalf("%q: sent %q", p, v)
		}
		if !strings.HasPrefix(path.Clean(v.Path)+"/", "/ph/api/") {
			t.Fatalf("%q: path %q leaves /ph/api/", p, v.Path)
		}
		for _, seg := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(v.EscapedPath(), "/ph/api/"), "/"), "/") {
			once, err := url.PathUnescape(seg)
			if err != nil {
				t.Fatalf("%q: segment %q does not unescape", p, seg)
			}
			if strings.ContainsFunc(once, func(r rune) bool { return r < ' ' || r == 0x7f }) {
				t.Fatalf("%q: segment %q holds a control character", p, seg)
			}
			for _, v := range []string{once, unescapeOr(once)} {
				for _, part := range append(strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '\\' }), v) {
					if part == "." || part == ".." {
						t.Fatalf("%q: segment %q is a dot segment decoded", p, seg)
					}
				}
			}
		}
	})
}

// unescapeOr is s path-unescaped, or s when it does not unescape.
func unescapeOr(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
