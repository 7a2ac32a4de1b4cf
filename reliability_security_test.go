package posthogapi

// Reliability cases 14-25 (hostile answers, bounds, the key staying home,
// secret hygiene, concurrency, TLS). See RELIABILITY.md.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// ----- 14 --------------------------------------------------------------------

func TestReliability14_MalformedJSONTypedDecodeError(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		name, body string
		syntax     bool
	}{
		{"truncated", `{"id":"0196a3b4-0000-7000-8000-000000000001","name":"Ac`, false},
		{"not_json", `<html>oops</html>`, true},
		{"wrong_type", `{"id":"0196a3b4-0000-7000-8000-000000000001","name":5}`, false},
		{"wrong_type_nested", `{"teams":[{"id":"x"}]}`, false},
		{"array_for_object", `[]`, false},
		{"string_for_object", `"hello"`, false},
		{"null", `null`, false},
		{"empty", ``, false},
		{"bad_uuid", `{"id":"not-a-uuid"}`, false},
		{"bad_time", `{"created_at":"yesterday"}`, false},
		{"hostile_key_in_time", `{"created_at":"` + testKey + `"}`, false},
		{"hostile_key_in_uuid", `{"id":"` + testKey + `"}`, false},
		{"hostile_key_in_urn_uuid", `{"id":"urn:uuid:` + testKey[:27] + `"}`, false},
		{"huge_number", `{"member_count":1e400}`, false},
		{"deep_nesting", strings.Repeat(`{"metadata":`, 20000), false},
		{"invalid_utf8", "{\"name\":\"\xff\xfe\"", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newMockClient(t, WithLogger(env.logger()))
			c.rc.HTTPClient.Transport = &authTransport{c: c, base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				injected(1)
				return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(tc.body)), Request: r}, nil
			})}
			org, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
			scanErr(t, err)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want *DecodeError", err)
			}
			if org != nil {
				t.Errorf("partial object returned: %+v", org)
			}
			if de.StatusCode != 200 || de.Method != "GET" || de.Path != "/ph/api/organizations/"+relOrgID.String()+"/" {
				t.Errorf("DecodeError = %+v", de)
			}
			var se *json.SyntaxError
			if tc.syntax && !errors.As(err, &se) {
				t.Errorf("%v does not unwrap to *json.SyntaxError", err)
			}
			ReliabilityFigure("hostile input: malformed 2xx answers (typed DecodeError, no panic)", 1)
		})
	}
	t.Run("list_wrong_types", func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", api(relOrgID.String()+"/members/"), respond(t, 200, `{"count":"x","results":{}}`, "", ""))
		p, err := c.Members.List(context.Background(), OrganizationID(relOrgID), nil)
		var de *DecodeError
		if !errors.As(err, &de) || p != nil {
			t.Errorf("List = %v, %v", p, err)
		}
	})
}

// ----- 15 --------------------------------------------------------------------

const cdnHTML = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudfront</center></body></html>`

func TestReliability15_HTMLGatewayError(t *testing.T) {
	env := newRel(t, true)
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && i >= 2 {
				writeJSON(w, http.StatusOK, relOrgJSON)
				return
			}
			injected(1)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, cdnHTML)
		})
		pn := newPipeNet(rec)
		defer pn.close()
		c := pn.client(t, WithLogger(env.logger()))
		if _, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID)); err != nil {
			t.Fatalf("GET after two HTML 502s: %v", err)
		}
		if n := rec.count(); n != 3 {
			t.Errorf("hits = %d, want 3", n)
		}
		err := writeCall(c, http.MethodPost)
		scanErr(t, err)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 502 {
			t.Fatalf("POST err = %v", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "502") || !strings.Contains(msg, "502 Bad Gateway") || strings.Contains(msg, "invalid character") {
			t.Errorf("error text = %q", msg)
		}
		if n := rec.count(); n != 4 {
			t.Errorf("hits = %d, want 4 (POST not retried)", n)
		}
	})
}

// ----- 16 --------------------------------------------------------------------

func TestReliability16_HugeErrorBodyBounded(t *testing.T) {
	env := newRel(t, true)
	const size = 50 << 20
	chunk := []byte(strings.Repeat(`{"detail":"x"}`, 2048))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		injected(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up: good
			}
		}
	}))
	defer srv.Close()
	bt := &bodyTracker{base: srv.Client().Transport}
	c := loopClient(t, srv.URL, WithLogger(env.logger()), WithHTTPClient(&http.Client{Transport: bt}))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, errGet := c.Organizations.Get(context.Background(), OrganizationID(relOrgID)) // 4 attempts
	errPost := writeCall(c, http.MethodPost)                                         // 1 attempt
	runtime.ReadMemStats(&after)
	for _, err := range []error{errGet, errPost} {
		scanErr(t, err)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 500 || len(ae.Body) > DefaultMaxErrorBodyBytes {
			t.Fatalf("err = %v", err)
		}
	}
	n, maxRead := bt.check(t)
	if n != DefaultMaxRetries+2 {
		t.Errorf("bodies = %d", n)
	}
	if limit := int64(DefaultMaxErrorBodyBytes + 4<<10); maxRead > limit {
		t.Errorf("read %d bytes of a %d-byte error body, want <= %d", maxRead, size, limit)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 16<<20 {
		t.Errorf("allocated %d bytes for %d error answers of 50 MB", alloc, n)
	}
	// Nested arrays in an error field are looked into only a few levels
	// deep: each level re-reads the value, and a hostile 18 KB body of
	// nested arrays cost 22 s of CPU before the bound (found by
	// FuzzParseErrorBody).
	if d := parseErrorBody([]byte(`{"detail":[[["ok"]]]}`)).Detail; d != "ok" {
		t.Errorf("nested detail = %q", d)
	}
	deep := `{"detail":[[[[["deep"]]]]]}` // five levels
	if d := parseErrorBody([]byte(deep)).Detail; d != "" {
		t.Errorf("detail %q read beyond the nesting bound", d)
	}
	ReliabilityFigureMax("bounds: most bytes read from one 50 MB error body", maxRead)
	ReliabilityFigureMax("bounds: bytes allocated for 5 answers of 50 MB (client+server)", int64(alloc))
}

// ----- 17, 18, 19: redirects ------------------------------------------------

// foreign is a server on another host (localhost instead of 127.0.0.1)
// that must never be reached with credentials; it counts every request.
type foreign struct {
	srv        *httptest.Server
	hits, auth atomic.Int64
}

func newForeign(t *testing.T) *foreign {
	t.Helper()
	f := &foreign{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		if r.Header.Get("Authorization") != "" || strings.Contains(r.URL.RawQuery, testKey) {
			f.auth.Add(1)
		}
		writeJSON(w, 200, `{"count":1,"next":null,"previous":null,"results":[`+relOrgJSON+`]}`)
	}))
	t.Cleanup(func() {
		f.srv.Close()
		ReliabilityFigure("key: requests reaching a foreign host", f.hits.Load())
		ReliabilityFigure("key: credential-bearing requests to foreign hosts", f.auth.Load())
		if f.hits.Load() != 0 {
			t.Errorf("the foreign host got %d requests (%d with credentials)", f.hits.Load(), f.auth.Load())
		}
	})
	return f
}

// url returns the foreign server's URL under the host name "localhost".
func (f *foreign) url(path string) string {
	u, _ := url.Parse(f.srv.URL)
	return "http://localhost:" + u.Port() + path
}

func attack() { ReliabilityFigure("key: redirect and pagination attacks", 1); injected(1) }

func TestReliability17_PresignedRedirectNotFollowedWithKey(t *testing.T) {
	env := newRel(t, true)
	storage := newForeign(t)
	presigned := storage.url("/bucket/dpa-signed.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA" + sigCanary +
		"&X-Amz-Signature=" + sigCanary + "&personal_api_key=" + queryKeyCanary)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attack()
		http.Redirect(w, r, presigned, http.StatusFound)
	}))
	defer api.Close()
	c := loopClient(t, api.URL, WithLogger(env.logger()), WithLegacyUnscopedKey())
	doc := "0196a3b4-0000-7000-8000-0000000000dd"
	_, err := c.do(context.Background(), &request{method: http.MethodGet, path: escapePath(relOrgID.String(), "legal_documents", doc, "download")})
	scanErr(t, err)
	if !errors.Is(err, ErrForeignHost) {
		t.Fatalf("err = %v, want ErrForeignHost", err)
	}
	for _, leak := range []string{sigCanary, queryKeyCanary, "X-Amz", "dpa-signed", "localhost"} {
		if strings.Contains(err.Error(), leak) || strings.Contains(fmt.Sprintf("%+v", err), leak) {
			t.Errorf("error shows %q: %v", leak, err)
		}
		for _, l := range env.logs.all() {
			if strings.Contains(l, leak) {
				t.Errorf("log line shows %q: %s", leak, l)
			}
		}
	}
}

func TestReliability18_CrossHostRedirectRefused(t *testing.T) {
	env := newRel(t, true)
	other := newForeign(t)
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
			t.Run(fmt.Sprintf("%d_%s", status, method), func(t *testing.T) {
				api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					attack()
					http.Redirect(w, r, other.url(r.URL.Path), status)
				}))
				defer api.Close()
				c := loopClient(t, api.URL, WithLogger(env.logger()))
				var err error
				switch method {
				case http.MethodGet:
					_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				case http.MethodDelete:
					err = c.Organizations.Delete(context.Background(), OrganizationID(relOrgID))
				default:
					err = writeCall(c, method)
				}
				scanErr(t, err)
				if !errors.Is(err, ErrForeignHost) || !strings.Contains(err.Error(), "redirect") {
					t.Errorf("err = %v, want a refused cross-host redirect", err)
				}
			})
		}
	}
}

func TestReliability19_RedirectChainAndDowngrade(t *testing.T) {
	env := newRel(t, true)
	other := newForeign(t)
	var (
		apiHits  atomic.Int64
		apiNoKey atomic.Int64
		conns    atomic.Int64
	)
	var apiURL string
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiHits.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			apiNoKey.Add(1)
		}
		attack()
		switch {
		case strings.HasSuffix(r.URL.Path, "/hop/"): // second hop: off to another host
			http.Redirect(w, r, other.url("/steal/"), http.StatusFound)
		case strings.Contains(r.URL.Path, "downgrade"):
			http.Redirect(w, r, strings.Replace(apiURL, "https://", "http://", 1)+"/api/organizations/x/", http.StatusFound)
		case strings.Contains(r.URL.Path, "rename"):
			u, _ := url.Parse(apiURL)
			http.Redirect(w, r, "https://localhost:"+u.Port()+"/api/organizations/x/", http.StatusFound)
		default: // first hop: same origin
			http.Redirect(w, r, r.URL.Path+"hop/", http.StatusFound)
		}
	}))
	api.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	api.Config.ErrorLog = log.New(io.Discard, "", 0)
	api.StartTLS()
	defer api.Close()
	apiURL = api.URL
	c, err := NewClient(testKey, WithBaseURL(api.URL), WithHTTPClient(api.Client()), WithLogger(env.logger()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seg      string
		wantHits int64
	}{
		{"chain", 2},     // api -> api (key re-added on the same origin) -> foreign: refused
		{"downgrade", 1}, // https -> http on the same host: refused
		{"rename", 1},    // same port, another host name: refused
	} {
		apiHits.Store(0)
		_, err := c.do(context.Background(), &request{method: http.MethodGet, path: escapePath(tc.seg)})
		scanErr(t, err)
		if !errors.Is(err, ErrForeignHost) {
			t.Errorf("%s: err = %v, want ErrForeignHost", tc.seg, err)
		}
		if apiHits.Load() != tc.wantHits {
			t.Errorf("%s: api hits = %d, want %d", tc.seg, apiHits.Load(), tc.wantHits)
		}
	}
	if apiNoKey.Load() != 0 {
		t.Errorf("%d same-origin hops lost the key", apiNoKey.Load())
	}
	// One TLS connection served every hop: no plaintext connection was
	// attempted on the downgrade.
	if conns.Load() != 1 {
		t.Errorf("api connections = %d, want 1", conns.Load())
	}
}

// ----- 20 --------------------------------------------------------------------

func TestReliability20_PaginationNextLinkValidated(t *testing.T) {
	env := newRel(t, true)
	other := newForeign(t)
	var apiURL string
	var next string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "" {
			t.Errorf("followed a bad next link to the api host: %s", r.URL)
		}
		attack()
		writeJSON(w, 200, fmt.Sprintf(`{"count":2,"next":%q,"previous":null,"results":[%s]}`, next, relOrgJSON))
	}))
	defer api.Close()
	apiURL = api.URL
	u, _ := url.Parse(apiURL)
	for _, tc := range []struct{ name, next string }{
		{"foreign_host", other.url("/api/organizations/?offset=1")},
		{"foreign_host_with_key", other.url("/api/organizations/?offset=1&personal_api_key=" + testKey)},
		{"https_scheme", "https://" + u.Host + "/api/organizations/?offset=1"},
		{"userinfo", "http://user:pass@" + u.Host + "/api/organizations/?offset=1"},
		{"userinfo_at_trick", "http://" + u.Host + "@localhost:" + u.Port() + "/api/organizations/?offset=1"},
		{"other_port", "http://127.0.0.1:1/api/organizations/?offset=1"},
		{"protocol_relative", "//localhost:" + u.Port() + "/api/organizations/?offset=1"},
		{"relative", "/api/organizations/?offset=1"},
		{"outside_prefix", apiURL + "/api/projects/?offset=1"},
		{"dot_dot", apiURL + "/api/organizations/../projects/?offset=1"},
		{"escaped_dot_dot", apiURL + "/api/organizations/%2e%2e/projects/?offset=1"},
		{"backslash_host", "http:\\\\localhost:" + u.Port() + "/api/organizations/?offset=1"},
		{"javascript", "javascript:alert(1)"},
		{"same_page", apiURL + "/api/organizations/"},
		{"garbage", "http://[::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next = tc.next
			c := loopClient(t, apiURL, WithLogger(env.logger()))
			var got int
			var err error
			for o, e := range c.Organizations.All(context.Background(), nil) {
				if e != nil {
					err = e
					break
				}
				got++
				_ = o
			}
			scanErr(t, err)
			if got != 1 || err == nil {
				t.Fatalf("items = %d, err = %v; want the first page, then an error", got, err)
			}
			if !errors.Is(err, ErrForeignHost) && !errors.Is(err, ErrPaginationStalled) && !strings.Contains(err.Error(), "next link") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// ----- 21 --------------------------------------------------------------------

// TestReliability21_SecretHygieneMatrix runs a hostile server that echoes
// the key it receives into every part of its answers (error fields, field
// names, \u escapes, HTML, headers, redirects, next links, decoded values),
// across statuses and methods, with a debug logger; every log line and
// every rendering of every error is scanned for the canary key. The other
// reliability tests scan their logs and errors the same way.
func TestReliability21_SecretHygieneMatrix(t *testing.T) {
	env := newRel(t, true)
	esc := func(s string) string { // every character as \u00XX
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	half := func(s string) string { return s[:4] + esc(s[4:]) }
	type echo func(key string, w http.ResponseWriter, status int)
	echoes := map[string]echo{
		"detail": func(k string, w http.ResponseWriter, s int) {
			phError(w, s, "invalid_request", "error", "Personal API key "+k+" is invalid")
		},
		"code_type_attr": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, fmt.Sprintf(`{"type":%q,"code":%q,"detail":"","attr":%q}`, k, k, k))
		},
		"field_name": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, fmt.Sprintf(`{%q:["bad"]}`, k))
		},
		"escaped_detail": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, `{"detail":"key `+esc(k)+`"}`)
		},
		"escaped_code": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, `{"code":"`+half(k)+`","type":"x"}`)
		},
		"query_form": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, `{"detail":"GET /api/?personal_api_key=`+k+`&x=1"}`)
		},
		"json_form_other_secret": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, `{"detail":"x","personal_api_key":"`+queryKeyCanary+`","token":"`+queryKeyCanary+`"}`)
		},
		"bearer_header_form": func(k string, w http.ResponseWriter, s int) {
			writeJSON(w, s, `{"detail":"Authorization: Bearer `+k+`"}`)
		},
		"html": func(k string, w http.ResponseWriter, s int) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(s)
			_, _ = io.WriteString(w, "<html><body>Bad key "+k+" from ?personal_api_key="+queryKeyCanary+"</body></html>")
		},
		"retry_after_header": func(k string, w http.ResponseWriter, s int) {
			w.Header().Set("Retry-After", k)
			phError(w, s, "throttled_error", "throttled", "slow down "+k)
		},
		"plain_text_signed_url": func(k string, w http.ResponseWriter, s int) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(s)
			_, _ = io.WriteString(w, "see https://s3.example/x?X-Amz-Signature="+sigCanary+"&X-Amz-Credential="+sigCanary)
		},
	}
	statuses := []int{400, 401, 403, 404, 409, 429, 500, 502, 503}
	names := make([]string, 0, len(echoes))
	for n := range echoes {
		names = append(names, n)
	}
	sort.Strings(names)
	var echoName atomic.Value
	var status atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		injected(1)
		echoes[echoName.Load().(string)](key, w, int(status.Load()))
	}))
	defer srv.Close()
	c := loopClient(t, srv.URL, WithLogger(env.logger()), WithMaxRetries(1))
	scenarios := 0
	for _, n := range names {
		for _, s := range statuses {
			echoName.Store(n)
			status.Store(int64(s))
			for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
				var err error
				switch method {
				case http.MethodGet:
					_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				case http.MethodDelete:
					err = c.Members.Delete(context.Background(), OrganizationID(relOrgID), UserUUID(relUserID))
				default:
					err = writeCall(c, method)
				}
				if err == nil {
					t.Errorf("%s %d %s: no error", n, s, method)
				}
				scanErr(t, err)
				for _, leak := range []string{sigCanary, queryKeyCanary} {
					if strings.Contains(fmt.Sprintf("%v %+v", err, err), leak) {
						t.Errorf("%s %d %s: %q in %v", n, s, method, leak, err)
					}
				}
				scenarios++
			}
		}
	}
	t.Run("body_cut_inside_the_key", func(t *testing.T) {
		for cut := 1; cut < len(testKey); cut++ {
			pad := strings.Repeat("x", 100)
			body := `{"detail":"` + pad + testKey
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, body)
			}))
			c := loopClient(t, srv.URL, WithMaxErrorBodyBytes(int64(len(`{"detail":"`)+len(pad)+cut)))
			_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
			srv.Close()
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatal(err)
			}
			// A cut of 8 or more bytes (the "phx_" prefix and 4 more) is
			// redacted; shorter stubs cannot contain the canary.
			scanErr(t, err)
			if cut >= 8 && strings.Contains(string(ae.Body), testKey[:cut]) {
				t.Errorf("cut %d: key stub in body %q", cut, ae.Body)
			}
			scenarios++
		}
	})
	t.Run("transport_error_text", func(t *testing.T) {
		c := loopClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("proxy said: bad header %s (personal_api_key=%s)", r.Header.Get("Authorization"), queryKeyCanary)
		})}), WithLogger(env.logger()))
		_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
		scanErr(t, err)
		if strings.Contains(err.Error(), queryKeyCanary) {
			t.Errorf("err = %v", err)
		}
		scenarios++
	})
	ReliabilityFigure("secrets: hostile echo scenarios", int64(scenarios))
	t.Logf("%d scenarios, %d log lines so far", scenarios, len(env.logs.all()))
}

// ----- 22 --------------------------------------------------------------------

func TestReliability22_HostilePathValues(t *testing.T) {
	env := newRel(t, true)
	rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, relOrgJSON)
	})
	srv := httptest.NewServer(rec)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c := loopClient(t, srv.URL+"/ph", WithLogger(env.logger()))
	hostile := []string{
		"a/b", "%2F", "%2e%2e", "..%2F..%2F", "?q=1", "#frag", "a?b#c", "...", ".a", "a..",
		"\u202egnp.exe", "ünïcødé", "日本", strings.Repeat("A", 10<<10), "a\x00b", "\r\nHost: evil.example",
		"//evil.example", "@evil.example", "http://evil.example/", "a b", "%", "%zz", ";jsessionid=1",
	}
	for _, v := range hostile {
		ReliabilityFigure("hostile input: path values", 1)
		_, err := c.do(context.Background(), &request{method: http.MethodGet, path: escapePath(relOrgID.String(), "roles", v), out: new(Organization)})
		if err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
	hs, _ := rec.snapshot()
	if len(hs) != len(hostile) {
		t.Fatalf("hits = %d, want %d", len(hs), len(hostile))
	}
	for i, h := range hs {
		if h.host != u.Host {
			t.Errorf("%q: Host = %q", hostile[i], h.host)
		}
		p, err := url.PathUnescape(h.path)
		if err != nil {
			t.Errorf("%q: path %q", hostile[i], h.path)
		}
		prefix := "/ph/api/organizations/" + relOrgID.String() + "/roles/"
		if !strings.HasPrefix(h.path, prefix) || strings.Count(strings.TrimPrefix(h.path, prefix), "/") != 1 || h.query != "" {
			t.Errorf("%q: sent path %q (unescaped %q) query %q", hostile[i], h.path, p, h.query)
		}
	}
	// Dot and empty segments are refused before anything is sent, also
	// when they hide behind a "/" or "\" that escaping would encode.
	for _, v := range []string{"..", ".", "", "../", "../../admin", "a/../../x", "..\\..\\admin", "/..", "./x"} {
		_, err := c.do(context.Background(), &request{method: http.MethodGet, path: escapePath(relOrgID.String(), v)})
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%q: err = %v, want ErrInvalidArgument", v, err)
		}
	}
	if n := rec.count(); n != len(hostile) {
		t.Errorf("a refused path was sent")
	}
	t.Run("free_form_segments", func(t *testing.T) {
		// Services validate free-form values with checkSegment; buildURL
		// refuses dot and empty segments whatever the service did.
		for _, v := range []string{"", ".", "..", "../", "a/../../x", "..\\x", strings.Repeat("a", 1025), "a\xffb"} {
			if err := checkSegment("key", v); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("checkSegment(%.20q) = %v", v, err)
			}
		}
		for _, v := range []string{"a/b", "...", "%2F", "%2e%2e", "?q=1", "#frag", "ünïcødé", "//evil.example"} {
			if err := checkSegment("key", v); err != nil {
				t.Errorf("checkSegment(%q) = %v; escaping makes it harmless", v, err)
			}
		}
	})
	t.Run("base_url_validation", func(t *testing.T) {
		for _, tc := range []struct {
			url  string
			opts []Option
			ok   bool
		}{
			{"https://us.posthog.com", nil, true},
			{"https://posthog.example.com/prefix/", nil, true},
			{"http://127.0.0.1:8000", nil, true},
			{"http://localhost:8000", nil, true},
			{"http://[::1]:8000", nil, true},
			{"http://posthog.internal", nil, false},
			{"http://posthog.internal", []Option{WithInsecureHTTP()}, true},
			{"http://127.0.0.1.evil.example", nil, false},
			{"https://user:pass@us.posthog.com", nil, false},
			{"https://" + testKey + "@us.posthog.com", nil, false},
			{"https://us.posthog.com?x=1", nil, false},
			{"https://us.posthog.com#frag", nil, false},
			{"https://us.posthog.com/api/", nil, false},
			{"https://us.posthog.com/a/../b", nil, false},
			{"ftp://us.posthog.com", nil, false},
			{"us.posthog.com", nil, false},
			{"https://", nil, false},
			{"javascript:alert(1)", nil, false},
		} {
			_, err := NewClient(testKey, append([]Option{WithBaseURL(tc.url)}, tc.opts...)...)
			if (err == nil) != tc.ok {
				t.Errorf("%q: err = %v, want ok=%v", tc.url, err, tc.ok)
			}
			if err != nil {
				scanErr(t, err)
				if !errors.Is(err, ErrInvalidArgument) {
					t.Errorf("%q: %v is not ErrInvalidArgument", tc.url, err)
				}
			}
		}
	})
}

// ----- 23 --------------------------------------------------------------------

func TestReliability23_RetriedBodyIdentical(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		method string
		status int
	}{
		{http.MethodPut, 503},
		{http.MethodPut, 429},
		{http.MethodPatch, 429},
		{http.MethodPost, 429},
	} {
		t.Run(fmt.Sprintf("%s_%d", tc.method, tc.status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
					if i < 2 {
						injected(1)
						w.Header().Set("Retry-After", "1")
						phError(w, tc.status, "x", "y", "again")
						return
					}
					writeJSON(w, 200, relOrgJSON)
				})
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				if err := writeCall(c, tc.method); err != nil {
					t.Fatal(err)
				}
				checkSameBodies(t, rec, 3)
			})
		})
	}
	t.Run("307_same_host", func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if i == 0 {
				http.Redirect(w, r, r.URL.Path+"moved/", http.StatusTemporaryRedirect)
				return
			}
			writeJSON(w, 200, relOrgJSON)
		})
		srv := httptest.NewServer(rec)
		defer srv.Close()
		c := loopClient(t, srv.URL, WithLogger(env.logger()))
		if err := writeCall(c, http.MethodPatch); err != nil {
			t.Fatal(err)
		}
		checkSameBodies(t, rec, 2)
	})
}

func checkSameBodies(t *testing.T, rec *recorder, n int) {
	t.Helper()
	hs, _ := rec.snapshot()
	if len(hs) != n {
		t.Fatalf("hits = %d, want %d", len(hs), n)
	}
	for _, h := range hs[1:] {
		if h.bodySHA != hs[0].bodySHA || h.contentLen != hs[0].contentLen || h.bodyLen == 0 || int64(h.bodyLen) != h.contentLen {
			t.Errorf("attempt body differs: %d/%d bytes vs %d/%d", h.bodyLen, h.contentLen, hs[0].bodyLen, hs[0].contentLen)
		}
		if h.auth != "Bearer "+testKey || h.method != hs[0].method {
			t.Errorf("attempt %s without the key", h.method)
		}
	}
	ReliabilityFigure("writes: replayed bodies compared (identical bytes and Content-Length)", int64(n-1))
}

// ----- 24 --------------------------------------------------------------------

// stormServer is PostHog's throttle (a sliding window per key, like DRF's
// SimpleRateThrottle: 429 with "Expected available in N seconds." and no
// Retry-After) plus brownouts during which it answers every request 429
// with Retry-After set to the end of the brownout.
type stormServer struct {
	mu             sync.Mutex
	history        []time.Time // successful requests, for the throttle
	start          time.Time
	brownouts      [][2]time.Duration
	tl             throttleLog
	rec            *recorder
	throttleAnswer int
	patches        int
}

func (s *stormServer) handle(i int, w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := time.Now()
	since := now.Sub(s.start)
	for _, b := range s.brownouts {
		if since >= b[0] && since < b[1] {
			wait := b[1] - since
			s.mu.Unlock()
			s.tl.add(i, wait)
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
			phError(w, 429, "throttled_error", "throttled", "Request was throttled.")
			return
		}
	}
	for _, win := range []struct {
		n int
		d time.Duration
	}{{DefaultRequestsPerMinute, time.Minute}, {DefaultRequestsPerHour, time.Hour}} {
		cnt := 0
		var oldest time.Time
		for j := len(s.history) - 1; j >= 0 && now.Sub(s.history[j]) < win.d; j-- {
			cnt++
			oldest = s.history[j]
		}
		if cnt >= win.n {
			wait := win.d - now.Sub(oldest)
			s.throttleAnswer++
			s.mu.Unlock()
			s.tl.add(i, wait)
			phError(w, 429, "throttled_error", "throttled", fmt.Sprintf("Request was throttled. Expected available in %d seconds.", int((wait+time.Second-1)/time.Second)))
			return
		}
	}
	s.history = append(s.history, now)
	if r.Method == http.MethodPatch {
		s.patches++
	}
	s.mu.Unlock()
	writeJSON(w, 200, relOrgJSON)
}

// maxInWindow returns the most hits in any window of length d.
func maxInWindow(hs []hit, d time.Duration) int {
	ts := make([]time.Time, len(hs))
	for i, h := range hs {
		ts[i] = h.at
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= d {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func TestReliability24_HundredGoroutines429Storm(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		name    string
		clients int
	}{
		{"one_client", 1},
		{"two_clients_one_limiter", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const goroutines, calls = 100, 10
				// Brownouts where the budget's waves of requests land
				// (at 0 s, 60 s, 120 s ...), so that the 100 goroutines
				// meet 429s together.
				s := &stormServer{start: time.Now(), brownouts: [][2]time.Duration{
					{0, 3 * time.Second},
					{60 * time.Second, 62 * time.Second},
					{120 * time.Second, 121 * time.Second},
				}}
				s.rec = newRecorder(s.handle)
				pn := newPipeNet(s.rec)
				defer pn.close()
				lim := NewRateLimiter()
				clients := make([]*Client, tc.clients)
				for i := range clients {
					clients[i] = pn.client(t, WithRateLimiter(lim), WithLogger(env.logger()))
				}
				var (
					wg                          sync.WaitGroup
					ok, rateLimited, other, pok atomic.Int64
				)
				for g := range goroutines {
					wg.Go(func() {
						c := clients[g%len(clients)]
						for i := range calls {
							var err error
							if i%4 == 3 {
								err = writeCall(c, http.MethodPatch)
								if err == nil {
									pok.Add(1)
								}
							} else {
								_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
							}
							var rle *RateLimitError
							switch {
							case err == nil:
								ok.Add(1)
							case errors.As(err, &rle):
								rateLimited.Add(1)
							default:
								other.Add(1)
								t.Errorf("call: %v", err)
							}
						}
					})
				}
				wg.Wait()
				elapsed := time.Since(s.start)
				hs, _ := s.rec.snapshot()
				perMinute := maxInWindow(hs, time.Minute)
				early := s.tl.early(hs, false)
				t.Logf("%d calls: %d ok, %d rate-limited; %d requests over %v; max %d in a minute; %d throttled by the budget; %d early; %d dials, %d open at most",
					goroutines*calls, ok.Load(), rateLimited.Load(), len(hs), elapsed, perMinute, s.throttleAnswer, early, pn.dials.Load(), pn.maxOpen.Load())
				if perMinute > DefaultRequestsPerMinute {
					t.Errorf("%d requests in one minute, budget %d", perMinute, DefaultRequestsPerMinute)
				}
				if s.throttleAnswer != 0 {
					t.Errorf("%d requests over the per-key budget were sent", s.throttleAnswer)
				}
				if early != 0 {
					t.Errorf("%d requests sent before the announced time", early)
				}
				if d := pn.dials.Load(); d > defaultMaxConnsPerHost || pn.maxOpen.Load() > defaultMaxConnsPerHost {
					t.Errorf("dialled %d connections, %d open at most; pool is %d", d, pn.maxOpen.Load(), defaultMaxConnsPerHost)
				}
				if int64(s.patches) != pok.Load() {
					t.Errorf("server ran %d PATCHes, client saw %d succeed", s.patches, pok.Load())
				}
				if ok.Load()+rateLimited.Load() != goroutines*calls {
					t.Errorf("calls unaccounted for")
				}
				ReliabilityFigure("storm: calls by 100 goroutines", goroutines*calls)
				ReliabilityFigure("storm: requests sent", int64(len(hs)))
				ReliabilityFigureMax("storm: most requests in any 60 s window (budget 480)", int64(perMinute))
				ReliabilityFigure("storm: requests over the budget (server-throttled)", int64(s.throttleAnswer))
				ReliabilityFigureMax("storm: connections dialled (pool 32)", pn.dials.Load())
				ReliabilityFigure("writes: duplicated writes", max(int64(s.patches)-pok.Load(), 0))
				ReliabilityFigure("writes: lost writes", max(pok.Load()-int64(s.patches), 0))
			})
		})
	}
}

// TestReliability24_OthersWaitAfter429 staggers 100 goroutines over
// time, so that most start their calls after another one was told to wait:
// none may send before the announced time, with or without a RateLimiter.
func TestReliability24_OthersWaitAfter429(t *testing.T) {
	env := newRel(t, true)
	for _, withLimiter := range []bool{false, true} {
		t.Run(fmt.Sprintf("limiter=%v", withLimiter), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &stormServer{start: time.Now(), brownouts: [][2]time.Duration{
					{time.Second, 6 * time.Second},
					{10 * time.Second, 12 * time.Second},
				}}
				s.rec = newRecorder(s.handle)
				pn := newPipeNet(s.rec)
				defer pn.close()
				var opts []Option
				if withLimiter {
					opts = append(opts, WithRateLimiter(NewRateLimiter()))
				}
				c := pn.client(t, append(opts, WithLogger(env.logger()))...)
				var wg sync.WaitGroup
				for g := range 100 {
					wg.Go(func() {
						time.Sleep(time.Duration(g) * 150 * time.Millisecond)
						for range 3 {
							_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
							var rle *RateLimitError
							if err != nil && !errors.As(err, &rle) {
								t.Errorf("call: %v", err)
							}
							time.Sleep(100 * time.Millisecond)
						}
					})
				}
				wg.Wait()
				hs, _ := s.rec.snapshot()
				if early := s.tl.early(hs, false); early != 0 {
					t.Errorf("%d requests sent after a 429 and before its announced time", early)
				}
				if len(s.tl.answers) == 0 || len(s.tl.answers) > 3 {
					t.Errorf("%d 429 answers; want the few sent before the news spread", len(s.tl.answers))
				}
				t.Logf("%d requests, %d answered 429", len(hs), len(s.tl.answers))
			})
		})
	}
}

// TestRateLimiterSlidingWindows checks the limiter alone over more than an
// hour of virtual time: never more than 480 sends in 60 s or 4800 in an
// hour, and no slower than that.
func TestRateLimiterSlidingWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewRateLimiter()
		start := time.Now()
		var mu sync.Mutex
		var sends []hit
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				for range 550 {
					if err := l.Wait(context.Background()); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					sends = append(sends, hit{at: time.Now()})
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if m := maxInWindow(sends, time.Minute); m != DefaultRequestsPerMinute {
			t.Errorf("max per minute = %d", m)
		}
		if h := maxInWindow(sends, time.Hour); h != DefaultRequestsPerHour {
			t.Errorf("max per hour = %d", h)
		}
		// 5500 sends: 4800 in the first hour (10 minutes of 480), the
		// rest once the first ones leave the hour window.
		if d := time.Since(start); d < time.Hour || d > time.Hour+2*time.Minute {
			t.Errorf("5500 sends took %v", d)
		}
		ReliabilityFigure("rate limits: limiter sends checked over 1 h of virtual time", int64(len(sends)))
	})
}

// ----- 25 --------------------------------------------------------------------

func TestReliability25_TLSFailureNotRetried(t *testing.T) {
	env := newRel(t, true)
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the handler over an untrusted connection")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	for _, tc := range []struct {
		name, base string
		opts       []Option
	}{
		// The default roots do not trust httptest's certificate.
		{"self_signed", srv.URL, nil},
		// Trusted certificate, wrong host name (it names 127.0.0.1, not localhost).
		{"wrong_host", "https://localhost:" + u.Port(), []Option{WithHTTPClient(srv.Client())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conns.Store(0)
			c, err := NewClient(testKey, append([]Option{WithBaseURL(tc.base), WithLogger(env.logger()), WithRetryWaitMin(time.Millisecond)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
			scanErr(t, err)
			var te *TransportError
			if !errors.As(err, &te) || te.Attempts != 1 || !isPermanentTLSError(err) {
				t.Fatalf("err = %v, want one attempt and a certificate error", err)
			}
			if conns.Load() != 1 {
				t.Errorf("connections = %d, want 1 (no retry)", conns.Load())
			}
			if strings.Contains(err.Error(), "?") {
				t.Errorf("error carries a query: %v", err)
			}
		})
	}
}
