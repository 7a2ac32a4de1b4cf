package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"
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

// pageServer serves the member list of orgID from a function of the
// request URL alone, so that a sequential loop and a prefetching one see the
// same pages. It counts requests and the most that were in flight at once.
type pageServer struct {
	t      *testing.T
	srv    *httptest.Server
	tr     *http.Transport
	answer func(w http.ResponseWriter, r *http.Request, offset, limit int)

	requests atomic.Int32
	inFlight atomic.Int32
	maxIn    atomic.Int32
}

// noLeaks checks, after the test and its cleanups (servers closed), that no
// goroutine it started is left.
func noLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func newPageServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, offset, limit int)) *pageServer {
	t.Helper()
	ps := &pageServer{t: t, answer: answer}
	ps.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.requests.Add(1)
		n := ps.inFlight.Add(1)
		defer ps.inFlight.Add(-1)
		for {
			m := ps.maxIn.Load()
			if n <= m || ps.maxIn.CompareAndSwap(m, n) {
				break
			}
		}
		if !strings.HasPrefix(r.URL.Path, "/api/organizations/"+orgID.String()+"/members/") {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		limit, offset := 100, 0
		if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
			limit = v
		}
		if v, err := strconv.Atoi(q.Get("offset")); err == nil && v > 0 {
			offset = v
		}
		w.Header().Set("Content-Type", "application/json")
		ps.answer(w, r, offset, limit)
	}))
	ps.tr = &http.Transport{}
	t.Cleanup(func() {
		ps.srv.CloseClientConnections()
		ps.srv.Close()
		ps.tr.CloseIdleConnections()
	})
	return ps
}

func (ps *pageServer) client(opts ...Option) *Client {
	ps.t.Helper()
	c, err := NewClient(testKey, append([]Option{
		WithBaseURL(ps.srv.URL), WithHTTPClient(&http.Client{Transport: ps.tr}),
		WithRetryWaitMin(time.Millisecond), WithMaxRetryWait(20 * time.Millisecond),
	}, opts...)...)
	if err != nil {
		ps.t.Fatal(err)
	}
	return c
}

// link is an absolute link to this list with a query.
func link(r *http.Request, query string) string {
	return "http://" + r.Host + r.URL.Path + "?" + query
}

// numberedPage writes items offset+1 ... offset+n (their user IDs), with the
// total count and next/previous links in DRF's shape.
func numberedPage(w http.ResponseWriter, r *http.Request, total, offset, limit int) {
	n := max(0, min(limit, total-offset))
	next := "null"
	if offset+limit < total {
		next = strconv.Quote(link(r, fmt.Sprintf("limit=%d&offset=%d", limit, offset+limit)))
	}
	writePage(w, total, next, offset, n)
}

func writePage(w http.ResponseWriter, count int, next string, first, n int) {
	var b strings.Builder
	fmt.Fprintf(&b, `{"count":%d,"next":%s,"previous":null,"results":[`, count, next)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"0196a1b2-0000-7000-8000-%012d","user":{"id":%d,"uuid":"0196a1b2-0000-7000-9000-%012d","email":"u%d@example.com","hedgehog_config":null},"level":1,"joined_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","is_2fa_enabled":false,"has_social_auth":false,"last_login":null}`, first+i+1, first+i+1, first+i+1, first+i+1)
	}
	b.WriteString(`]}`)
	_, _ = w.Write([]byte(b.String()))
}

// collect runs the iterator to its end and returns the user IDs and the
// errors in the order they came.
func collect(t *testing.T, c *Client, opts *MemberListOptions) (ids []int64, errs []error) {
	t.Helper()
	for m, err := range c.Members.All(context.Background(), OrganizationID(orgID), opts) {
		if err != nil {
			if m != nil {
				t.Errorf("an error came with an item")
			}
			errs = append(errs, err)
			continue
		}
		ids = append(ids, m.User.ID)
	}
	return ids, errs
}

func checkNumbered(t *testing.T, ids []int64, want int) {
	t.Helper()
	if len(ids) != want {
		t.Fatalf("%d items, want %d", len(ids), want)
	}
	for i, id := range ids {
		if id != int64(i+1) {
			t.Fatalf("item %d is user %d: out of order", i, id)
		}
	}
}

// TestPrefetchInOrder lists 1,234 members in pages of 10 answered after
// random delays, so that pages finish out of order: every item comes once,
// in order, with one request a page, never more than n in flight.
func TestPrefetchInOrder(t *testing.T) {
	noLeaks(t)
	for _, n := range []int{0, 1, 2, 5, 16} {
		t.Run(fmt.Sprintf("prefetch=%d", n), func(t *testing.T) {
			var mu sync.Mutex
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			ps := newPageServer(t, func(w http.ResponseWriter, r *http.Request, offset, limit int) {
				mu.Lock()
				d := time.Duration(rng.IntN(3000)) * time.Microsecond
				mu.Unlock()
				time.Sleep(d)
				numberedPage(w, r, 1234, offset, limit)
			})
			ids, errs := collect(t, ps.client(WithPrefetch(n)), &MemberListOptions{ListOptions: ListOptions{Limit: 10}})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			checkNumbered(t, ids, 1234)
			if got := ps.requests.Load(); got != 124 {
				t.Errorf("%d requests for 124 pages", got)
			}
			if got, bound := ps.maxIn.Load(), int32(max(n, 1)); got > bound {
				t.Errorf("%d requests in flight at once, bound %d", got, bound)
			}
		})
	}
}

// TestPrefetchReachesBound holds the first wave of fetches ahead until all
// of them have arrived: the iterator must really have n in flight.
func TestPrefetchReachesBound(t *testing.T) {
	const n = 5
	var wave sync.WaitGroup
	wave.Add(n)
	var waveSeen atomic.Int32
	ps := newPageServer(t, func(w http.ResponseWriter, r *http.Request, offset, limit int) {
		if offset > 0 && waveSeen.Add(1) <= n {
			wave.Done()
			done := make(chan struct{})
			go func() { wave.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Errorf("only %d of %d fetches ahead arrived together", n-int(waveSeen.Load()), n)
			}
		}
		numberedPage(w, r, 1000, offset, limit)
	})
	ids, errs := collect(t, ps.client(WithPrefetch(n)), nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	checkNumbered(t, ids, 1000)
	if got := ps.maxIn.Load(); got != n {
		t.Errorf("at most %d requests in flight, want %d", got, n)
	}
}

// TestPrefetchBreakCancels breaks out of the loop while fetches ahead are
// held by the server: they must be cancelled, the loop must return, and no
// goroutine may be left.
func TestPrefetchBreakCancels(t *testing.T) {
	noLeaks(t)
	var held, cancelled atomic.Int32
	release := make(chan struct{})
	ps := newPageServer(t, func(w http.ResponseWriter, r *http.Request, offset, limit int) {
		if offset > 0 {
			held.Add(1)
			select {
			case <-r.Context().Done():
				cancelled.Add(1)
				return
			case <-release:
			}
		}
		numberedPage(w, r, 500, offset, limit)
	})
	defer close(release)
	c := ps.client(WithPrefetch(4))
	n := 0
	for _, err := range c.Members.All(context.Background(), OrganizationID(orgID), &MemberListOptions{ListOptions: ListOptions{Limit: 10}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 3 {
			for held.Load() < 4 { // all four fetches ahead have reached the server
				time.Sleep(time.Millisecond)
			}
			break
		}
	}
	// All returned: its fetches were cancelled and waited for.
	ps.srv.CloseClientConnections()
	ps.srv.Close() // waits for the handlers
	if got := cancelled.Load(); got != 4 {
		t.Errorf("%d of 4 held fetches saw their request cancelled", got)
	}
	ps.tr.CloseIdleConnections()
}

// TestPrefetchErrorAfterEarlierPages fails page k (a 404, not retried): the
// items of the pages before it come first, then the error, then nothing.
func TestPrefetchErrorAfterEarlierPages(t *testing.T) {
	noLeaks(t)
	for _, k := range []int{2, 3, 7} {
		ps := newPageServer(t, func(w http.ResponseWriter, r *http.Request, offset, limit int) {
			if offset == (k-1)*limit {
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"type":"invalid_request","code":"not_found","detail":"Not found."}`))
				return
			}
			numberedPage(w, r, 100, offset, limit)
		})
		var ids []int64
		var gotErr error
		var afterErr int
		for m, err := range ps.client(WithPrefetch(5)).Members.All(context.Background(), OrganizationID(orgID), &MemberListOptions{ListOptions: ListOptions{Limit: 10}}) {
			switch {
			case gotErr != nil:
				afterErr++
			case err != nil:
				gotErr = err
			default:
				ids = append(ids, m.User.ID)
			}
		}
		checkNumbered(t, ids, (k-1)*10)
		if !errors.Is(gotErr, ErrNotFound) || afterErr != 0 {
			t.Errorf("page %d: err %v, %d yields after it", k, gotErr, afterErr)
		}
	}
}

// TestPrefetchNotLimitOffset: links that are not limit/offset shaped (a
// cursor, a page number, a limit that is not the page's size, an offset
// that skips) are followed one page at a time.
func TestPrefetchNotLimitOffset(t *testing.T) {
	for name, nextQuery := range map[string]func(offset, limit int) string{
		"cursor":        func(offset, limit int) string { return "cursor=c" + strconv.Itoa(offset+limit) },
		"page number":   func(offset, limit int) string { return "page=" + strconv.Itoa((offset+limit)/limit) },
		"limit differs": func(offset, limit int) string { return fmt.Sprintf("limit=%d&offset=%d", limit+1, offset+limit) },
		"offset skips":  func(offset, limit int) string { return fmt.Sprintf("limit=%d&offset=%d", limit, offset+limit+1) },
		"two offsets": func(offset, limit int) string {
			return fmt.Sprintf("limit=%d&offset=%d&offset=%d", limit, offset+limit, offset+limit)
		},
	} {
		t.Run(name, func(t *testing.T) {
			ps := newPageServer(t, func(w http.ResponseWriter, r *http.Request, _, _ int) {
				// Position from the first number in the query, whatever its name.
				q := r.URL.Query()
				pos := 0
				for _, k := range []string{"cursor", "page", "offset"} {
					if v := q[k]; len(v) > 0 {
						n, _ := strconv.Atoi(strings.TrimPrefix(v[0], "c"))
						if k == "page" {
							n *= 10
						}
						pos = n
					}
				}
				next := "null"
				if pos+10 < 60 {
					next = strconv.Quote(link(r, nextQuery(pos, 10)))
				}
				writePage(w, 60, next, pos, min(10, 60-pos))
			})
			ids, errs := collect(t, ps.client(WithPrefetch(5)), &MemberListOptions{ListOptions: ListOptions{Limit: 10}})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if len(ids) == 0 || ps.maxIn.Load() != 1 {
				t.Errorf("%d items; %d requests in flight at once, want 1", len(ids), ps.maxIn.Load())
			}
		})
	}
}

// TestPrefetchSameAsSequential compares prefetching with a plain
// sequential loop on servers that misbehave in many ways (counts that
// change, pages shorter than the limit, links that jump back, repeat, go
// foreign or change shape midway, empty pages, errors): the items and the
// errors must be the same, in the same order.
func TestPrefetchSameAsSequential(t *testing.T) {
	noLeaks(t)
	kinds := []string{"ok", "count grows", "count shrinks", "short page", "jump back", "repeat", "foreign", "cursor", "empty with next", "404", "500", "bad json", "skip ahead"}
	for seed := range 60 {
		kind := kinds[seed%len(kinds)]
		at := 10 * (1 + seed%7) // the offset where the server misbehaves
		answer := func(w http.ResponseWriter, r *http.Request, offset, limit int) {
			total := 95
			if offset >= at {
				switch kind {
				case "count grows":
					total = 140
				case "count shrinks":
					total = at + 5
				case "short page":
					numberedPage(w, r, total, offset, 3)
					return
				case "jump back":
					writePage(w, total, strconv.Quote(link(r, fmt.Sprintf("limit=%d&offset=%d", limit, offset-limit))), offset, limit)
					return
				case "repeat":
					writePage(w, total, strconv.Quote(r.URL.String()), offset, limit)
					return
				case "foreign":
					writePage(w, total, `"https://evil.example/api/organizations/x/members/?limit=10&offset=999"`, offset, limit)
					return
				case "cursor":
					if offset < total-limit {
						writePage(w, total, strconv.Quote(link(r, fmt.Sprintf("limit=%d&offset=%d&cursor=x", limit, offset+limit))), offset, limit)
						return
					}
				case "empty with next":
					writePage(w, total, strconv.Quote(link(r, fmt.Sprintf("limit=%d&offset=%d", limit, offset+limit))), offset, 0)
					return
				case "404":
					w.WriteHeader(http.StatusNotFound)
					_, _ = w.Write([]byte(`{"detail":"Not found."}`))
					return
				case "500":
					w.WriteHeader(http.StatusInternalServerError)
					return
				case "bad json":
					_, _ = w.Write([]byte(`{"count":`))
					return
				case "skip ahead":
					if offset+2*limit < total {
						writePage(w, total, strconv.Quote(link(r, fmt.Sprintf("limit=%d&offset=%d", limit, offset+2*limit))), offset, limit)
						return
					}
				}
			}
			numberedPage(w, r, total, offset, limit)
		}
		opts := &MemberListOptions{ListOptions: ListOptions{Limit: 10}}
		seqIDs, seqErrs := collect(t, newPageServer(t, answer).client(WithPrefetch(1), WithMaxRetries(0)), opts)
		ps := newPageServer(t, answer)
		preIDs, preErrs := collect(t, ps.client(WithPrefetch(4), WithMaxRetries(0)), opts)
		if fmt.Sprint(seqIDs) != fmt.Sprint(preIDs) || len(seqErrs) != len(preErrs) {
			t.Fatalf("%s at %d: sequential gave %v %v, prefetching %v %v", kind, at, seqIDs, seqErrs, preIDs, preErrs)
		}
		for i := range seqErrs {
			if errText(seqErrs[i]) != errText(preErrs[i]) {
				t.Fatalf("%s at %d: sequential error %v, prefetching %v", kind, at, seqErrs[i], preErrs[i])
			}
		}
	}
}

// errText is an error's text without the port of the test server.
func errText(err error) string {
	s := err.Error()
	if i := strings.Index(s, "127.0.0.1:"); i >= 0 {
		j := i + len("127.0.0.1:")
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		s = s[:i] + s[j:]
	}
	return s
}

func TestWithPrefetchValidates(t *testing.T) {
	if _, err := NewClient(testKey, WithPrefetch(-1)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("WithPrefetch(-1): %v", err)
	}
	c, err := NewClient(testKey)
	if err != nil || c.cfg.prefetch != DefaultPrefetch {
		t.Errorf("default prefetch %d, %v", c.cfg.prefetch, err)
	}
}
