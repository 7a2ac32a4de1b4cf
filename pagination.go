package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// ListOptions selects one page of a limit/offset list. PostHog's default
// limit is 100.
type ListOptions struct {
	// Limit is the page size (0: PostHog's default, 100).
	Limit int `url:"limit,omitempty"`
	// Offset is the index of the first item.
	Offset int `url:"offset,omitempty"`
}

// Page is one page of a PostHog list.
type Page[T any] struct {
	// Count is the total number of items across all pages.
	Count int `json:"count"`
	// Next is the absolute URL of the next page, or "" on the last page.
	Next string `json:"next"`
	// Previous is the absolute URL of the previous page, or "".
	Previous string `json:"previous"`
	// Results are this page's items.
	Results []T `json:"results"`
}

// DefaultPrefetch is how many pages an All iterator fetches at once, by
// default, once the first page has told how many items there are (see
// WithPrefetch). Listing 10,000 members 100 at a time then takes 1 + 99/5,
// about 21, round trips instead of 100; with 4 it would take 26, a little
// over a quarter of the sequential time.
const DefaultPrefetch = 5

// WithPrefetch sets how many pages an All iterator fetches at once (default
// DefaultPrefetch); 0 or 1 fetches one page at a time, as a plain loop over
// the `next` links would. Pages are fetched ahead only when the list's links
// are limit/offset shaped, and only up to the total the first page gives;
// items still come in order, every request still goes through the rate
// limiter and the retry policy, and leaving the loop early cancels the
// fetches in flight (a loop that stops early may have requested up to n-1
// pages it never reads). At most n pages are held in memory beside the one
// being read.
func WithPrefetch(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("%w: negative prefetch", ErrInvalidArgument)
		}
		c.prefetch = n
		return nil
	}
}

// allFrom returns an iterator over every item of a list whose pages are
// {next, results} (limit/offset lists, and cursor lists, whose links are
// not offset shaped, so no page is fetched ahead), starting at the built
// URL first, or yielding buildErr. iterate builds first from a route and
// opts when it is called (later changes to opts
// have no effect, and opts is never modified); pages are fetched as the loop
// asks for items. The iterator follows PostHog's absolute `next` links only
// when they stay on the configured scheme, host and API path; it yields an
// error and stops on a foreign link, on a request error, and on a page that
// makes no progress.
//
// Once a page has told the total (count) and its `next` link has the
// limit/offset shape, up to the client's prefetch bound of the following
// pages are fetched at once (see WithPrefetch). That changes when pages are
// fetched, never which: each page is used only if the previous page's
// validated `next` link names it, so items come in order, the link and
// progress checks hold for every page, and an error on a page is yielded
// after the items of the pages before it. Leaving the loop cancels the
// fetches in flight and waits for them.
func allFrom[T any](ctx context.Context, c *Client, first *url.URL, buildErr error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if buildErr != nil {
			yield(nil, buildErr)
			return
		}
		pf := newPrefetcher[T](ctx, c)
		defer pf.stop()
		u := first
		p, err := pf.get(u)
		for {
			if err != nil {
				yield(nil, err)
				return
			}
			var next *url.URL
			var nextErr error
			if p.Next != "" {
				next, nextErr = c.nextURL(u, p.Next, len(p.Results))
				if nextErr == nil {
					// Start on the pages after this one before its items
					// are handed out.
					pf.ahead(u, next, p)
				}
			}
			for i := range p.Results {
				if !yield(&p.Results[i], nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			if nextErr != nil {
				yield(nil, nextErr)
				return
			}
			u = next
			p, err = pf.get(u)
		}
	}
}

// prefetcher fetches the pages of one iteration ahead of the loop, at most
// n at a time, from URLs it predicts by stepping the offset of the first
// validated `next` link.
type prefetcher[T any] struct {
	c   *Client
	ctx context.Context
	n   int

	cancel context.CancelFunc // ends the fetches in flight
	fctx   context.Context    // the fetches' context, made on first use
	wg     sync.WaitGroup
	queue  []*pageFetch[T] // fetches in page order, at most n

	off        bool       // prefetching is off for this iteration
	tmpl       *url.URL   // the first validated next link
	tmplQuery  url.Values // its query
	limit      int        // its page size
	nextOffset int        // the offset of the next page to fetch
}

// pageFetch is one page being fetched ahead.
type pageFetch[T any] struct {
	u    *url.URL
	done chan struct{}
	page *Page[T]
	err  error
}

func newPrefetcher[T any](ctx context.Context, c *Client) *prefetcher[T] {
	return &prefetcher[T]{c: c, ctx: ctx, n: c.cfg.prefetch, off: c.cfg.prefetch <= 1}
}

// get returns the page at u: the fetch ahead for u if one is queued first,
// else a fetch made now. A queue that does not start with u means the
// server's links are not the predicted ones: the fetches ahead are
// cancelled and the iteration goes on one page at a time.
func (pf *prefetcher[T]) get(u *url.URL) (*Page[T], error) {
	if len(pf.queue) > 0 {
		f := pf.queue[0]
		if sameURL(f.u, u) {
			pf.queue = pf.queue[1:]
			<-f.done // the fetch ends when it is answered or ctx ends
			return f.page, f.err
		}
		pf.cancel()
		pf.queue = nil
		pf.off = true
	}
	p := new(Page[T])
	if _, err := pf.c.do(pf.ctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
		return nil, err
	}
	return p, nil
}

// ahead is told each page p fetched from cur and its validated next link,
// and keeps up to n of the following pages, up to p.Count, being fetched.
// It does nothing unless the links are limit/offset shaped: next is cur's
// path with a limit equal to the number of items on the page and an offset
// just past them.
func (pf *prefetcher[T]) ahead(cur, next *url.URL, p *Page[T]) {
	if pf.off {
		return
	}
	if pf.tmpl == nil {
		q := next.Query()
		limit, okL := singleInt(q, "limit")
		offset, okO := singleInt(q, "offset")
		curOffset, okC := singleInt(cur.Query(), "offset")
		if !okC && !cur.Query().Has("offset") {
			curOffset, okC = 0, true
		}
		if !okL || !okO || !okC || limit <= 0 || limit != len(p.Results) ||
			offset != curOffset+limit || next.Path != cur.Path || p.Count <= offset {
			pf.off = true
			return
		}
		pf.tmpl, pf.tmplQuery, pf.limit, pf.nextOffset = next, q, limit, offset
		pf.fctx, pf.cancel = context.WithCancel(pf.ctx)
	}
	for len(pf.queue) < pf.n && pf.nextOffset < p.Count {
		pf.start(pf.pageURL(pf.nextOffset))
		pf.nextOffset += pf.limit
	}
}

// pageURL is the template link with its offset replaced.
func (pf *prefetcher[T]) pageURL(offset int) *url.URL {
	u := *pf.tmpl
	q := make(url.Values, len(pf.tmplQuery))
	for k, v := range pf.tmplQuery {
		q[k] = v
	}
	q.Set("offset", strconv.Itoa(offset))
	u.RawQuery = q.Encode()
	return &u
}

func (pf *prefetcher[T]) start(u *url.URL) {
	f := &pageFetch[T]{u: u, done: make(chan struct{})}
	pf.queue = append(pf.queue, f)
	pf.wg.Add(1)
	go func() {
		defer pf.wg.Done()
		defer close(f.done)
		p := new(Page[T])
		if _, err := pf.c.do(pf.fctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
			f.err = err
			return
		}
		f.page = p
	}()
}

// stop cancels the fetches in flight and waits for them to end.
func (pf *prefetcher[T]) stop() {
	if pf.cancel != nil {
		pf.cancel()
	}
	pf.wg.Wait()
}

// sameURL reports whether a and b name the same page: the same scheme,
// host and path, and the same query parameters in any order.
func sameURL(a, b *url.URL) bool {
	if a.Scheme != b.Scheme || !strings.EqualFold(a.Host, b.Host) || a.Path != b.Path {
		return false
	}
	qa, qb := a.Query(), b.Query()
	if len(qa) != len(qb) {
		return false
	}
	for k, va := range qa {
		vb, ok := qb[k]
		if !ok || len(va) != len(vb) {
			return false
		}
		for i := range va {
			if va[i] != vb[i] {
				return false
			}
		}
	}
	return true
}

// singleInt returns the integer value of key in q, when it has exactly one.
func singleInt(q url.Values, key string) (int, bool) {
	v := q[key]
	if len(v) != 1 {
		return 0, false
	}
	n, err := strconv.Atoi(v[0])
	return n, err == nil
}

// nextURL validates a `next` link from a page fetched from cur that held n
// items: same scheme and host as the base URL, no user info, the list's own
// path, and progress (not the same page again, not an empty page, not a
// smaller offset).
func (c *Client) nextURL(cur *url.URL, next string, n int) (*url.URL, error) {
	u, err := url.Parse(next)
	if err != nil {
		return nil, fmt.Errorf("posthogapi: GET %s: unparsable next link", cur.Path)
	}
	if !u.IsAbs() || !c.sameOrigin(u) {
		return nil, fmt.Errorf("%w: GET %s: next link is not on %s://%s", ErrForeignHost, cur.Path, c.baseURL.Scheme, c.baseURL.Host)
	}
	// PostHog's next links (DRF's pagination: the request's own URL with
	// another query) keep the list's path; one that goes anywhere else, even
	// another list of the same API, is not followed.
	if u.EscapedPath() != cur.EscapedPath() {
		return nil, fmt.Errorf("%w: GET %s: next link leaves the list's path", ErrForeignHost, cur.Path)
	}
	u.Fragment = ""
	if n == 0 {
		return nil, fmt.Errorf("%w: GET %s: empty page with a next link", ErrPaginationStalled, cur.Path)
	}
	if u.String() == cur.String() {
		return nil, fmt.Errorf("%w: GET %s: next link repeats the page", ErrPaginationStalled, cur.Path)
	}
	if no, ok := singleInt(u.Query(), "offset"); ok {
		if co, _ := singleInt(cur.Query(), "offset"); no <= co {
			return nil, fmt.Errorf("%w: GET %s: next offset %d does not advance past %d", ErrPaginationStalled, cur.Path, no, co)
		}
	}
	return u, nil
}

// pageNumberAll iterates over a list paged by page number (SCIM logs,
// project activity) from page start (at least 1), fetching page after page
// with fetch as the loop asks for items. PostHog's next links are used only
// to tell whether there is a next page, never followed, so they cannot lead
// the client elsewhere. The iterator yields an error and stops on a request
// error and on a page that makes no progress: an empty page that claims a
// next one, a page whose first item (by key; the zero key is not compared)
// is the previous page's first, or a next link that names an earlier page
// number. where names the list in those errors.
func pageNumberAll[T any, K comparable](where string, start int, fetch func(page int) (*Page[T], error), key func(*T) K) iter.Seq2[*T, error] {
	start = max(start, 1)
	return func(yield func(*T, error) bool) {
		var zero, prevFirst K
		for page := start; ; page++ {
			pg, err := fetch(page)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(pg.Results) > 0 {
				if first := key(&pg.Results[0]); first != zero && first == prevFirst {
					yield(nil, fmt.Errorf("%w: GET %s: page %d repeats the previous page", ErrPaginationStalled, where, page))
					return
				}
				prevFirst = key(&pg.Results[0])
			}
			for i := range pg.Results {
				if !yield(&pg.Results[i], nil) {
					return
				}
			}
			if pg.Next == "" {
				return
			}
			if err := checkPageNumberNext(where, page, len(pg.Results), pg.Next); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// checkPageNumberNext guards pageNumberAll against a page of n items, page
// number page, whose next link makes no progress.
func checkPageNumberNext(where string, page, n int, next string) error {
	if n == 0 {
		return fmt.Errorf("%w: GET %s: empty page %d with a next link", ErrPaginationStalled, where, page)
	}
	if u, err := url.Parse(next); err == nil {
		if v := u.Query().Get("page"); v != "" {
			if p, err := strconv.Atoi(v); err == nil && p <= page {
				return fmt.Errorf("%w: GET %s: next link points to page %d from page %d", ErrPaginationStalled, where, p, page)
			}
		}
	}
	return nil
}

// errSeq is an iterator that yields err alone.
func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
