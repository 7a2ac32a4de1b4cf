package posthogtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// call sends a raw request to srv and decodes the JSON answer.
func call(t *testing.T, srv *Server, key, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: answer is not a JSON object: %q", method, path, raw)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func TestAuthErrors(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	st, _, body := call(t, srv, "", "GET", "/api/organizations/", "")
	if st != 401 || body["code"] != "not_authenticated" || body["type"] != "authentication_error" {
		t.Fatalf("no key: %d %v", st, body)
	}
	st, _, body = call(t, srv, "phx_wrong", "GET", "/api/organizations/", "")
	if st != 401 || body["code"] != "authentication_failed" {
		t.Fatalf("bad key: %d %v", st, body)
	}
	key := srv.NewAPIKey("organization:read")
	srv.RevokeAPIKey(key)
	if st, _, _ = call(t, srv, key, "GET", "/api/organizations/", ""); st != 401 {
		t.Fatalf("revoked key: %d", st)
	}
}

func TestScopes(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization().ID.String()
	for _, tc := range []struct {
		scopes []string
		method string
		path   string
		want   int
		detail string
	}{
		{[]string{"organization:read"}, "GET", "/api/organizations/" + org + "/", 200, ""},
		{[]string{"organization:write"}, "GET", "/api/organizations/" + org + "/", 200, ""}, // write implies read
		{[]string{"*"}, "GET", "/api/organizations/" + org + "/members/", 200, ""},
		{nil, "GET", "/api/organizations/" + org + "/members/", 403, "API key missing required scope 'organization_member:read'"}, // no legacy shortcut
		{[]string{"organization:read"}, "GET", "/api/organizations/" + org + "/members/", 403, "API key missing required scope 'organization_member:read'"},
		{[]string{"organization_member:read"}, "PATCH", "/api/organizations/" + org + "/", 403, "API key missing required scope 'organization:write'"},
		{[]string{"*"}, "POST", "/api/organizations/" + org + "/environments_rollback/", 403, "This action does not support personal API key access"},
	} {
		st, _, body := call(t, srv, srv.NewAPIKey(tc.scopes...), tc.method, tc.path, "{}")
		if st != tc.want || tc.detail != "" && body["detail"] != tc.detail {
			t.Errorf("%v %s %s: %d %v", tc.scopes, tc.method, tc.path, st, body)
		}
	}
}

func TestRoutingLikePostHog(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	org := srv.DefaultOrganization().ID.String()
	if st, _, body := call(t, srv, key, "GET", "/api/organizations/"+org, ""); st != 200 || body["id"] != org {
		t.Fatalf("no trailing slash: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "GET", "/api/organizations/"+org+"/nonsense/", ""); st != 404 || body["detail"] != "Endpoint not found." {
		t.Fatalf("unknown route: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "POST", "/api/organizations/"+org+"/", "{}"); st != 405 || body["code"] != "method_not_allowed" {
		t.Fatalf("wrong method: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "GET", "/api/organizations/not-a-uuid/", ""); st != 404 || body["code"] != "not_found" {
		t.Fatalf("bad id: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "POST", "/api/organizations/", "{"); st != 400 || body["code"] != "parse_error" {
		t.Fatalf("bad JSON: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "POST", "/api/organizations/", `{"name": ""}`); st != 400 || body["attr"] != "name" || body["code"] != "blank" {
		t.Fatalf("blank name: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "POST", "/api/organizations/", `{}`); st != 400 || body["attr"] != "name" || body["code"] != "required" {
		t.Fatalf("no name: %d %v", st, body)
	}
	if st, _, body := call(t, srv, key, "PATCH", "/api/organizations/"+org+"/", `{"enforce_2fa": "yes"}`); st != 400 || body["attr"] != "enforce_2fa" {
		t.Fatalf("bad bool: %d %v", st, body)
	}
}

func TestPaginationLinks(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	org := srv.DefaultOrganization().ID
	for i := 0; i < 4; i++ {
		u := srv.AddUser(UserSeed{})
		srv.AddMember(org, u.UUID, LevelMember)
	}
	key := srv.NewAPIKey("*")
	st, _, body := call(t, srv, key, "GET", "/api/organizations/"+org.String()+"/members/?limit=2&offset=2&order=joined_at", "")
	if st != 200 || body["count"] != float64(5) || len(body["results"].([]any)) != 2 {
		t.Fatalf("page: %d %v", st, body)
	}
	next, _ := body["next"].(string)
	prev, _ := body["previous"].(string)
	if !strings.HasPrefix(next, srv.URL()+"/api/organizations/") || !strings.Contains(next, "offset=4") || !strings.Contains(next, "order=joined_at") {
		t.Fatalf("next = %q", next)
	}
	if !strings.HasPrefix(prev, srv.URL()) || strings.Contains(prev, "offset=") {
		t.Fatalf("previous = %q", prev)
	}
}

func TestFaults(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	srv.InjectFault(Fault{Method: "GET", Path: "/api/organizations/", Times: 2, Status: 429, RetryAfter: "7"})
	for i := 0; i < 2; i++ {
		st, h, body := call(t, srv, key, "GET", "/api/organizations/", "")
		if st != 429 || h.Get("Retry-After") != "7" || body["type"] != "throttled_error" {
			t.Fatalf("fault %d: %d %v", i, st, body)
		}
	}
	if st, _, _ := call(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
		t.Fatalf("after faults: %d", st)
	}
	srv.InjectFault(Fault{Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html"})
	req, _ := http.NewRequest("GET", srv.URL()+"/api/organizations/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 502 || string(raw) != "<html>bad gateway</html>" || resp.Header.Get("Content-Type") != "text/html" {
		t.Fatalf("HTML fault: %d %q", resp.StatusCode, raw)
	}

	// A dropped connection after the write ran: the organization exists,
	// the client got no answer.
	srv.InjectFault(Fault{Method: "POST", DropConnection: true})
	req, _ = http.NewRequest("POST", srv.URL()+"/api/organizations/", strings.NewReader(`{"name": "Lost"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("dropped connection answered")
	}
	found := false
	for _, o := range srv.Organizations() {
		found = found || o.Name == "Lost"
	}
	if !found {
		t.Fatal("the dropped request did not run")
	}

	srv.InjectFault(Fault{Delay: 30 * time.Millisecond})
	start := time.Now()
	call(t, srv, key, "GET", "/api/organizations/", "")
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("delay not applied")
	}
}

func TestRequestLog(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	key := srv.NewAPIKey("*")
	call(t, srv, key, "POST", "/api/organizations/?x=1", `{"name": "Logged"}`)
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("log = %+v", reqs)
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/api/organizations/" || r.Query.Get("x") != "1" || r.Body != `{"name": "Logged"}` || r.APIKey != key || r.Status != 201 {
		t.Fatalf("entry = %+v", r)
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Fatal("not reset")
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := NewServer(WithRateLimit(3, 0), WithClock(func() time.Time { return now }))
	defer srv.Close()
	key := srv.NewAPIKey("*")
	for i := 0; i < 3; i++ {
		if st, _, _ := call(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	st, h, body := call(t, srv, key, "GET", "/api/organizations/", "")
	if st != 429 || h.Get("Retry-After") != "60" || body["detail"] != "Request was throttled. Expected available in 60 seconds." {
		t.Fatalf("throttled: %d %v %v", st, h, body)
	}
	if st, _, _ := call(t, srv, srv.NewAPIKey("*"), "GET", "/api/organizations/", ""); st != 200 {
		t.Fatal("another key was throttled")
	}
	now = now.Add(time.Minute)
	if st, _, _ := call(t, srv, key, "GET", "/api/organizations/", ""); st != 200 {
		t.Fatalf("after a minute: %d", st)
	}
}

func TestDeterministicIDs(t *testing.T) {
	a := NewServer(WithDeterministicIDs())
	defer a.Close()
	b := NewServer(WithDeterministicIDs())
	defer b.Close()
	if a.DefaultOrganization().ID != b.DefaultOrganization().ID || a.NewAPIKey() != b.NewAPIKey() {
		t.Fatal("IDs differ between runs")
	}
}
