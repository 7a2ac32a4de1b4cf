package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

// memberPage renders a page of n members starting at offset, with next
// pointing at nextURL ("" for none).
func memberPage(total, offset, n int, nextURL string) string {
	var items []string
	for i := 0; i < n; i++ {
		items = append(items, strings.Replace(memberJSON, `"first_name": "Max"`, fmt.Sprintf(`"first_name": "M%d"`, offset+i), 1))
	}
	next := "null"
	if nextURL != "" {
		next = `"` + nextURL + `"`
	}
	return fmt.Sprintf(`{"count": %d, "next": %s, "previous": null, "results": [%s]}`, total, next, strings.Join(items, ","))
}

func registerThreePages(mt *httpmock.MockTransport, hits *atomic.Int32) {
	u := membersURL()
	mt.RegisterResponderWithQuery("GET", u, "limit=2", func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return httpmock.NewStringResponse(200, memberPage(5, 0, 2, u+"?limit=2&offset=2")), nil
	})
	mt.RegisterResponderWithQuery("GET", u, "limit=2&offset=2", func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return httpmock.NewStringResponse(200, memberPage(5, 2, 2, u+"?limit=2&offset=4")), nil
	})
	mt.RegisterResponderWithQuery("GET", u, "limit=2&offset=4", func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return httpmock.NewStringResponse(200, memberPage(5, 4, 1, "")), nil
	})
}

func TestIteratorThreePages(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	registerThreePages(mt, &hits)
	opts := &MemberListOptions{ListOptions: ListOptions{Limit: 2}}
	var names []string
	for m, err := range c.Members.All(context.Background(), OrganizationID(orgID), opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m.User.FirstName)
	}
	if got := strings.Join(names, ","); got != "M0,M1,M2,M3,M4" {
		t.Fatalf("names = %s", got)
	}
	if hits.Load() != 3 {
		t.Fatalf("hits = %d", hits.Load())
	}
	if opts.Limit != 2 || opts.Offset != 0 {
		t.Fatalf("caller's options changed: %+v", opts)
	}
}

func TestIteratorIsLazyAndStopsOnBreak(t *testing.T) {
	// One page at a time: with prefetching on, the pages after the first
	// are requested before the loop asks (TestPrefetchBreakCancels).
	c, mt := newMockClient(t, WithPrefetch(1))
	var hits atomic.Int32
	registerThreePages(mt, &hits)
	seq := c.Members.All(context.Background(), OrganizationID(orgID), &MemberListOptions{ListOptions: ListOptions{Limit: 2}})
	if hits.Load() != 0 {
		t.Fatal("All fetched before iteration")
	}
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("hits after break on page 1 = %d, want 1", hits.Load())
	}
}

func TestIteratorOptionsSnapshot(t *testing.T) {
	c, mt := newMockClient(t)
	var hits atomic.Int32
	registerThreePages(mt, &hits)
	opts := &MemberListOptions{ListOptions: ListOptions{Limit: 2}}
	seq := c.Members.All(context.Background(), OrganizationID(orgID), opts)
	opts.Limit = 99 // changing the options after All has no effect
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 {
		t.Fatalf("n = %d", n)
	}
}

func TestIteratorErrorOnPage2(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	u := membersURL()
	mt.RegisterResponderWithQuery("GET", u, "limit=2", httpmock.NewStringResponder(200, memberPage(5, 0, 2, u+"?limit=2&offset=2")))
	mt.RegisterResponderWithQuery("GET", u, "limit=2&offset=2", httpmock.NewStringResponder(500, serverErr))
	var items, errs int
	for m, err := range c.Members.All(context.Background(), OrganizationID(orgID), &MemberListOptions{ListOptions: ListOptions{Limit: 2}}) {
		if err != nil {
			errs++
			if m != nil || !errors.Is(err, ErrServer) {
				t.Fatalf("m = %v, err = %v", m, err)
			}
			continue
		}
		items++
	}
	if items != 2 || errs != 1 {
		t.Fatalf("items = %d, errs = %d", items, errs)
	}
}

func TestIteratorRefusesForeignNext(t *testing.T) {
	var foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
	}))
	defer foreign.Close()
	for _, next := range []string{
		foreign.URL + "/ph/api/organizations/" + orgID.String() + "/members/?offset=2",
		"http://posthog.example/ph/api/organizations/x/members/?offset=2",          // downgrade
		"https://user:pw@posthog.example/ph/api/organizations/x/members/?offset=2", // user info
		"https://posthog.example/ph/api/projects/?offset=2",                        // off the API prefix
		"/ph/api/organizations/x/members/?offset=2",                                // relative
		"https://posthog.example.evil.com/ph/api/organizations/x/members/",
		// Same host and API, another list: DRF's next keeps the list's path.
		"https://posthog.example/ph/api/organizations/" + uuid.New().String() + "/members/?offset=2",
		"https://posthog.example/ph/api/organizations/" + orgID.String() + "/invites/?offset=2",
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", membersURL(), httpmock.NewStringResponder(200, memberPage(4, 0, 2, next)))
		var items int
		var gotErr error
		for _, err := range c.Members.All(context.Background(), OrganizationID(orgID), nil) {
			if err != nil {
				gotErr = err
				continue
			}
			items++
		}
		if items != 2 || !errors.Is(gotErr, ErrForeignHost) {
			t.Errorf("next %q: items = %d, err = %v", next, items, gotErr)
		}
		if gotErr != nil {
			assertNoCanary(t, gotErr.Error())
		}
		if mt.GetTotalCallCount() != 1 {
			t.Errorf("next %q: %d calls", next, mt.GetTotalCallCount())
		}
	}
	if foreignHits.Load() != 0 {
		t.Fatalf("foreign server contacted %d times", foreignHits.Load())
	}
}

func TestIteratorNoProgressGuard(t *testing.T) {
	u := membersURL()
	for name, body := range map[string]string{
		"same page again":     memberPage(10, 0, 2, u),
		"empty page and next": memberPage(10, 0, 0, u+"?offset=2"),
		"offset goes back":    memberPage(10, 0, 2, u+"?offset=0&limit=2"),
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", u, httpmock.NewStringResponder(200, body))
		var gotErr error
		for _, err := range c.Members.All(context.Background(), OrganizationID(orgID), nil) {
			if err != nil {
				gotErr = err
			}
		}
		if !errors.Is(gotErr, ErrPaginationStalled) {
			t.Errorf("%s: err = %v", name, gotErr)
		}
		if mt.GetTotalCallCount() > 2 {
			t.Errorf("%s: %d calls", name, mt.GetTotalCallCount())
		}
	}
}
