package posthogtest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRoutingLikePostHog(t *testing.T) {
	srv := newTestServer(t)
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
	srv := newTestServer(t)
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

func TestRequestLog(t *testing.T) {
	srv := newTestServer(t)
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

func TestDeterministicIDs(t *testing.T) {
	a := newTestServer(t, WithDeterministicIDs())
	b := newTestServer(t, WithDeterministicIDs())
	if a.DefaultOrganization().ID != b.DefaultOrganization().ID || a.NewAPIKey() != b.NewAPIKey() {
		t.Fatal("IDs differ between runs")
	}
}

func TestFaults(t *testing.T) {
	srv := newTestServer(t)
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
