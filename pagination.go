package posthogapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// listPage fetches one page of path with opts as the query.
func listPage[T any](ctx context.Context, c *Client, path string, opts any) (*Page[T], error) {
	p := new(Page[T])
	if _, err := c.do(ctx, &request{method: http.MethodGet, path: path, query: opts, out: p}); err != nil {
		return nil, err
	}
	return p, nil
}

// all returns an iterator over every item of a limit/offset list, starting
// at opts. The first URL is built when all is called (later changes to opts
// have no effect, and opts is never modified); pages are fetched lazily as
// the loop asks for items. The iterator follows PostHog's absolute `next`
// links only when they stay on the configured scheme, host and API path; it
// yields an error and stops on a foreign link, on a request error, and on a
// page that makes no progress.
func all[T any](ctx context.Context, c *Client, path string, opts any) iter.Seq2[*T, error] {
	first, buildErr := c.buildURL(&request{path: path, query: opts})
	return func(yield func(*T, error) bool) {
		if buildErr != nil {
			yield(nil, buildErr)
			return
		}
		u := first
		for {
			p := new(Page[T])
			if _, err := c.do(ctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
				yield(nil, err)
				return
			}
			for i := range p.Results {
				if !yield(&p.Results[i], nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			next, err := c.nextURL(u, p.Next, len(p.Results))
			if err != nil {
				yield(nil, err)
				return
			}
			u = next
		}
	}
}

// nextURL validates a `next` link from a page fetched from cur that held n
// items: same scheme and host as the base URL, no user info, a path under
// the client's API prefix, and progress (not the same page again, not an
// empty page, not a smaller offset).
func (c *Client) nextURL(cur *url.URL, next string, n int) (*url.URL, error) {
	u, err := url.Parse(next)
	if err != nil {
		return nil, fmt.Errorf("posthogapi: GET %s: unparsable next link", cur.Path)
	}
	if !u.IsAbs() || !c.sameOrigin(u) {
		return nil, fmt.Errorf("%w: GET %s: next link is not on %s://%s", ErrForeignHost, cur.Path, c.baseURL.Scheme, c.baseURL.Host)
	}
	if !strings.HasPrefix(u.Path, c.apiPrefix) || strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
		return nil, fmt.Errorf("%w: GET %s: next link leaves %s", ErrForeignHost, cur.Path, c.apiPrefix)
	}
	u.Fragment = ""
	if n == 0 {
		return nil, fmt.Errorf("%w: GET %s: empty page with a next link", ErrPaginationStalled, cur.Path)
	}
	if u.String() == cur.String() {
		return nil, fmt.Errorf("%w: GET %s: next link repeats the page", ErrPaginationStalled, cur.Path)
	}
	if no, ok := queryInt(u, "offset"); ok {
		if co, _ := queryInt(cur, "offset"); no <= co && u.Path == cur.Path {
			return nil, fmt.Errorf("%w: GET %s: next offset %d does not advance past %d", ErrPaginationStalled, cur.Path, no, co)
		}
	}
	return u, nil
}

func queryInt(u *url.URL, key string) (int, bool) {
	v := u.Query().Get(key)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}
