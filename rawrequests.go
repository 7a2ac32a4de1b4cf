package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"
)

// Do calls any PostHog endpoint, including those this package does not
// wrap, through the same request path as every method: the key goes only to
// the configured host (redirects and links elsewhere are refused), the
// retry policy of method applies (a POST or PATCH is never re-sent after a
// 5xx or a lost answer), the rate limiter paces it, errors are the same
// typed errors (errors.Is(err, ErrNotFound) ...) and never carry the key.
//
// path is the API path below the base URL, starting with /api/, such as
// "/api/projects/123/dashboards/"; escape values with url.PathEscape. A path
// that does not start with /api/, holds a query or fragment, an empty
// segment or a dot segment ("." or "..", escaped or not) is refused with
// ErrInvalidArgument before anything is sent, so no path can leave the
// configured host or the API. query is a struct with `url` tags (as
// ListOptions) or a url.Values; body is encoded as JSON; a 2xx answer's JSON
// is decoded into out (a pointer), unless out is nil or the answer is 204.
// method is GET, POST, PUT, PATCH or DELETE. The actions this package
// knows to declare no API scope are refused with an *UnsupportedActionError
// here too, unless the client was made WithLegacyUnscopedKey.
func (c *Client) Do(ctx context.Context, method, path string, query, body, out any) error {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("%w: method %q is not one of GET, POST, PUT, PATCH, DELETE", ErrInvalidArgument, method)
	}
	u, err := c.apiURL(path, query)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, &request{method: method, absolute: u, body: body, out: out})
	return err
}

// ListPage fetches one page of any PostHog list paginated with limit and
// offset (the {count, next, previous, results} shape), decoding its items
// as T, through Client.Do's request path and path rules. opts is the query:
// a *ListOptions, a struct embedding ListOptions, a url.Values, or nil.
func ListPage[T any](ctx context.Context, c *Client, path string, opts any) (*Page[T], error) {
	u, err := c.apiURL(path, opts)
	if err != nil {
		return nil, err
	}
	p := new(Page[T])
	if _, err := c.do(ctx, &request{method: http.MethodGet, absolute: u, out: p}); err != nil {
		return nil, err
	}
	return p, nil
}

// ListAll iterates over every item of any PostHog list paginated with
// limit and offset, or with a cursor, starting at opts (see ListPage), as
// the services' All iterators do: pages are fetched as the loop asks for
// items, opts is never modified, `next` links are followed only on the
// configured host and under /api/, and an error is yielded once and ends
// the iteration.
func ListAll[T any](ctx context.Context, c *Client, path string, opts any) iter.Seq2[*T, error] {
	u, err := c.apiURL(path, opts)
	return allFrom[T](ctx, c, u, err)
}

// IgnoreNotFound returns nil when err is a 404 answer (errors.Is(err,
// ErrNotFound)), and err otherwise. Use it where "already gone" is success,
// as in an idempotent delete:
//
//	err := posthogapi.IgnoreNotFound(c.Invites.Delete(ctx, org, id))
//
// Only wrap calls whose IDs you trust: PostHog also answers 404 for an ID
// of the wrong kind or of another organization.
func IgnoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// apiRoot is the base URL's path joined with "/api/".
func (c *Client) apiRoot() string {
	return strings.TrimSuffix(c.baseURL.Path, "/") + "/api/"
}

// apiURL builds the URL of an API path (starting with /api/, escaped) on
// the base URL, with q (a url-tagged struct or url.Values) as its query.
// The path is checked as buildURL checks service paths.
func (c *Client) apiURL(path string, q any) (*url.URL, error) {
	rest, ok := strings.CutPrefix(path, "/api/")
	if !ok {
		return nil, fmt.Errorf("%w: path must start with /api/", ErrInvalidArgument)
	}
	if strings.ContainsAny(rest, "?#") {
		return nil, fmt.Errorf("%w: path must not hold a query or fragment; pass the query separately", ErrInvalidArgument)
	}
	for _, r := range rest {
		if r <= ' ' || r == 0x7f {
			return nil, fmt.Errorf("%w: path holds a space or control character", ErrInvalidArgument)
		}
	}
	if rest == "" {
		return nil, fmt.Errorf("%w: path names no endpoint below /api/", ErrInvalidArgument)
	}
	if err := checkPath(rest); err != nil {
		return nil, err
	}
	raw := c.apiRoot() + rest
	unescaped, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: bad path escape", ErrInvalidArgument)
	}
	u := *c.baseURL
	u.Path, u.RawPath = unescaped, raw
	switch v := q.(type) {
	case nil:
	case url.Values:
		u.RawQuery = v.Encode()
	default:
		vals, err := query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("%w: encoding query: %v", ErrInvalidArgument, err)
		}
		u.RawQuery = vals.Encode()
	}
	return &u, nil
}
