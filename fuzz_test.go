package posthogapi

// Fuzz targets for the parsers and validators on the shared path. Seed
// corpora are in testdata/fuzz/<FuzzName>/; CI runs each briefly:
//
//	go test -run '^$' -fuzz '^FuzzRedact$' -fuzztime 20s .
//
// See RELIABILITY.md for the figures.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func fuzzClient(t testing.TB) *Client {
	c, err := NewClient(testKey, WithBaseURL("https://posthog.example/ph"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// insertAt puts ins into s at a position chosen by the fuzzer.
func insertAt(s, ins string, pos uint16) string {
	i := int(pos) % (len(s) + 1)
	return s[:i] + ins + s[i:]
}

// FuzzParseErrorBody: any error answer, with the client's key planted
// anywhere in it, maps to an *APIError whose every rendering is free of the
// key, whose body is capped, and whose kind follows the status.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"type":"validation_error","code":"required","detail":"This field is required.","attr":"name"}`,
		`{"detail":"Request was throttled. Expected available in 12 seconds."}`,
		`{"name":["This field may not be blank."]}`,
		`{"non_field_errors":["bad"]}`,
		`<html><body>502 Bad Gateway</body></html>`,
		`{"code":"phx_\u0043ANARYcanaryCANARYcanary0123456789"}`,
		`{"type":"` + strings.Repeat("a", 300) + `"}`,
		`{"detail":["a",["b"],{"c":1}]}`,
		`{"attr":{"nested":true},"detail":null}`,
		`{"detail":"\ud800"}`,
		"",
		"\xff\xfe",
	} {
		f.Add([]byte(s), uint16(0), uint16(400))
	}
	c := fuzzClient(f)
	c.cfg.maxErrorBody = 4 << 10
	f.Fuzz(func(t *testing.T, body []byte, pos, status uint16) {
		st := 400 + int(status)%200
		b := insertAt(string(body), testKey, pos)
		resp := &http.Response{StatusCode: st, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(b))}
		err := c.newAPIError(resp, http.MethodPost, "/api/organizations/", 1)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("not an *APIError: %v", err)
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), string(ae.Body), ae.Type, ae.Code, ae.Detail, ae.Attr} {
			if strings.Contains(s, testKey) || strings.Contains(s, "phx_CANARY") {
				t.Fatalf("key in %q", s)
			}
		}
		if int64(len(ae.Body)) > c.cfg.maxErrorBody+int64(len("[REDACTED]")) {
			t.Fatalf("body of %d bytes", len(ae.Body))
		}
		if !utf8.ValidString(err.Error()) && utf8.Valid(body) {
			t.Fatalf("invalid UTF-8 in %q", err.Error())
		}
		if errors.Is(err, ErrServer) != (st >= 500) || errors.Is(err, ErrNotFound) != (st == 404) {
			t.Fatalf("status %d: kinds wrong", st)
		}
		var rle *RateLimitError
		if errors.As(err, &rle) != (st == 429) || rle != nil && (rle.RetryAfter < 0 || rle.RetryAfter > maxServerWait) {
			t.Fatalf("status %d: RateLimitError %v", st, rle)
		}
	})
}

// FuzzParseRetryAfter: any Retry-After value gives a wait in [0, a week];
// garbage gives (0, false); delay-seconds are exact.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range []string{"7", "0", "-5", "3600", "garbage", "", " 12 ", "1e9", "99999999999999999999",
		"-99999999999999999999", "Fri, 02 Jan 2026 03:04:15 GMT", "Friday, 02-Jan-26 03:04:15 GMT",
		"Fri Jan  2 03:04:15 2026", "Sun, 06 Nov 1994 08:49:37 GMT", "+5", "0x10", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || d > maxServerWait {
			t.Fatalf("%q: wait %v", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("%q: not ok but %v", v, d)
		}
		if n, err := parseDigits(strings.TrimSpace(v)); err == nil && ok {
			if want := min(time.Duration(n)*time.Second, maxServerWait); n < 1<<31 && d != want {
				t.Fatalf("%q: %v, want %v", v, d, want)
			}
		}
		// Combined with a body hint, the header's wait is never lost.
		w := serverWait(v, []byte(`{"detail":"`+v+`"}`), now)
		if w < d || w > maxServerWait {
			t.Fatalf("%q: serverWait %v, header %v", v, w, d)
		}
	})
}

func parseDigits(s string) (int64, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, errors.New("not digits")
	}
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
		if n > 1<<40 {
			return 0, errors.New("big")
		}
	}
	return n, nil
}

// FuzzBuildPath: whatever the path values, the request URL keeps the base
// URL's scheme and host, stays under /ph/api/organizations/ after any
// normalization, has exactly the segments it was built from, and no query
// or fragment; a value that is empty or a dot segment is refused.
func FuzzBuildPath(f *testing.F) {
	for _, s := range []string{"..", ".", "", "../../admin", "%2e%2e", "a/b", "?x=1", "#f", "@evil.example", "//evil.example",
		"http://evil.example/", "\x00", "ü", "%", "%zz", ";a=b", "\\..\\", strings.Repeat("x", 2000)} {
		f.Add(s, "members")
	}
	c := fuzzClient(f)
	const prefix = "/ph/api/organizations/"
	f.Fuzz(func(t *testing.T, a, b string) {
		u, err := c.buildURL(&request{path: escapePath("0196a3b4-0000-7000-8000-000000000001", a, "roles", b)})
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("err = %v", err)
			}
			for _, v := range []string{a, b} {
				for _, part := range append(strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '\\' }), v) {
					if part == "" || part == "." || part == ".." {
						return
					}
				}
			}
			t.Fatalf("%q, %q refused: %v", a, b, err)
		}
		// Parse the URL as the HTTP client will, from its string.
		p, err := url.Parse(u.String())
		if err != nil {
			t.Fatalf("%q: %v", u, err)
		}
		if p.Scheme != "https" || p.Host != "posthog.example" || p.User != nil {
			t.Fatalf("%q, %q: URL %q changed host", a, b, u)
		}
		if p.RawQuery != "" || p.Fragment != "" || p.ForceQuery {
			t.Fatalf("%q, %q: URL %q has a query or fragment", a, b, u)
		}
		// p.Path is the decoded path: what a server sees after decoding
		// %2F; \ is a separator to some servers too.
		decoded := strings.ReplaceAll(p.Path, "\\", "/")
		if !strings.HasPrefix(path.Clean(decoded)+"/", prefix) {
			t.Fatalf("%q, %q: path %q leaves the prefix", a, b, p.Path)
		}
		rest := strings.TrimPrefix(p.EscapedPath(), prefix)
		segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
		if len(segs) != 4 {
			t.Fatalf("%q, %q: %d segments in %q", a, b, len(segs), rest)
		}
		for i, want := range []string{"0196a3b4-0000-7000-8000-000000000001", a, "roles", b} {
			got, err := url.PathUnescape(segs[i])
			if err != nil || got != want {
				t.Fatalf("segment %d = %q, want %q", i, got, want)
			}
		}
	})
}

// FuzzNextURL: a next link is followed only if it keeps the scheme, the
// host and the API prefix (also after the HTTP client re-parses it), has no
// user info, and makes progress.
func FuzzNextURL(f *testing.F) {
	for _, s := range []string{
		"https://posthog.example/ph/api/organizations/?limit=100&offset=100",
		"https://posthog.example/ph/api/organizations/x/members/?offset=200&personal_api_key=" + testKey,
		"https://evil.example/ph/api/organizations/?offset=1",
		"http://posthog.example/ph/api/organizations/?offset=1",
		"https://user:pw@posthog.example/ph/api/organizations/?offset=1",
		"https://posthog.example@evil.example/ph/api/organizations/?offset=1",
		"https://posthog.example/ph/api/organizations/../projects/?offset=1",
		"https://posthog.example/ph/api/organizations/%2e%2e/projects/?offset=1",
		"https://posthog.example/ph/api/organizations/%2F..%2F/?offset=1",
		"//evil.example/ph/api/organizations/",
		"https:\\\\evil.example/ph/api/organizations/",
		"https://POSTHOG.EXAMPLE/ph/api/organizations/?offset=1",
		"https://posthog.example:443/ph/api/organizations/?offset=1",
		"https://posthog.example/ph/api/organizations/?offset=0",
		"https://posthog.example/ph/api/organizations/#frag",
		"https://posthog.example\t.evil/ph/api/organizations/",
		"https://[::1]/ph/api/organizations/",
	} {
		f.Add(s, 3)
	}
	c := fuzzClient(f)
	cur, _ := c.buildURL(&request{path: "", query: &ListOptions{Limit: 100}})
	f.Fuzz(func(t *testing.T, next string, n int) {
		u, err := c.nextURL(cur, next, n)
		if err != nil {
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), next) && next != "" && len(next) > 8 && strings.Contains(next, "?") {
				t.Fatalf("error shows the link: %v", err)
			}
			return
		}
		for _, v := range []*url.URL{u, mustParse(t, u.String())} {
			if v.Scheme != "https" || !strings.EqualFold(v.Host, "posthog.example") || v.User != nil {
				t.Fatalf("%q accepted: %q", next, v)
			}
			if !strings.HasPrefix(path.Clean(v.Path)+"/", c.apiPrefix) {
				t.Fatalf("%q accepted: path %q leaves %s", next, v.Path, c.apiPrefix)
			}
		}
		if n == 0 || u.String() == cur.String() {
			t.Fatalf("%q accepted without progress", next)
		}
	})
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("%q does not re-parse: %v", s, err)
	}
	return u
}

// FuzzRedact: a secret planted in any text, in any of the shapes the client
// may meet (a PostHog key, a bearer header, query and form parameters,
// JSON fields, presigned signatures), never survives Redact; Redact is
// idempotent and keeps valid UTF-8 valid.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "error: ", `{"detail":"x"}`, "GET /api/?a=1&", "<html>", "personal_api_key", "Bearer", `\`, `"`, "ü"} {
		f.Add(s, uint16(0), uint8(0), "abc123")
	}
	shapes := []func(v string) string{
		func(v string) string { return "phx_" + v },
		func(v string) string { return " Bearer " + v },
		func(v string) string { return " bearer\t" + v },
		func(v string) string { return "?personal_api_key=" + v },
		func(v string) string { return "&PERSONAL_API_KEY=" + v },
		func(v string) string { return "personal_api_key%3D" + v },
		func(v string) string { return `"personal_api_key": "` + v + `"` },
		func(v string) string { return `"access_token":"` + v + `"` },
		func(v string) string { return "X-Amz-Signature=" + v },
		func(v string) string { return "x-amz-credential=" + v },
		func(v string) string { return "X-Goog-Signature=" + v },
		func(v string) string { return "&sig=" + v },
		func(v string) string { return "token=" + v },
		func(v string) string { return " Basic " + v },
	}
	f.Fuzz(func(t *testing.T, s string, pos uint16, shape uint8, tail string) {
		// The secret: a fixed canary plus fuzzer-chosen characters of the
		// kind secrets are made of.
		secret := "SECRETCANARY" + strings.Map(func(r rune) rune {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				return r
			}
			return -1
		}, tail)
		in := insertAt(s, shapes[int(shape)%len(shapes)](secret), pos)
		out := Redact(in)
		if strings.Contains(out, "SECRETCANARY") {
			t.Fatalf("Redact(%q) = %q", in, out)
		}
		if again := Redact(out); again != out {
			t.Fatalf("not idempotent: %q -> %q", out, again)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", in)
		}
		if o := Redact(s); strings.Contains(s, "SECRETCANARY") == false && len(o) > len(s)+len("[REDACTED]")*len(s) {
			t.Fatalf("Redact grew %q", s)
		}
	})
}

// FuzzDecodeOrganization: any 2xx body gives an *Organization or a typed
// *DecodeError (never both, never a panic), and the error never shows the
// key.
func FuzzDecodeOrganization(f *testing.F) {
	for _, s := range []string{relOrgJSON, `{"id":"x"}`, `{"created_at":"` + testKey + `"}`, `null`, ``, `[]`, `{"teams":[{"id":1e999}]}`,
		`{"id":"urn:uuid:` + testKey + `"}`, `{"metadata":` + strings.Repeat("[", 100)} {
		f.Add([]byte(s))
	}
	var body []byte
	c, err := NewClient(testKey, WithBaseURL("https://posthog.example"), WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(string(body))), Request: r}, nil
	})}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		body = b
		org, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
		if (org == nil) == (err == nil) {
			t.Fatalf("org %v, err %v", org, err)
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.StatusCode != 200 {
				t.Fatalf("err = %v", err)
			}
			if s := fmt.Sprintf("%v %+v", err, err); strings.Contains(s, testKey) {
				t.Fatalf("key in %q", s)
			}
		}
	})
}
