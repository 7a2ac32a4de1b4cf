package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
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
	r := rawRoute(path)
	if r.err != nil {
		return r.err
	}
	_, err := c.do(ctx, &request{method: method, path: r.path, query: query, body: body, out: out})
	return err
}

// ListPage fetches one page of any PostHog list paginated with limit and
// offset (the {count, next, previous, results} shape), decoding its items
// as T, through Client.Do's request path and path rules. opts is the query:
// a *ListOptions, a struct embedding ListOptions, a url.Values, or nil.
func ListPage[T any](ctx context.Context, c *Client, path string, opts any) (*Page[T], error) {
	return list[T](ctx, c, rawRoute(path), opts)
}

// ListAll iterates over every item of any PostHog list paginated with
// limit and offset, or with a cursor, starting at opts (see ListPage), as
// the services' All iterators do: pages are fetched as the loop asks for
// items, opts is never modified, `next` links are followed only on the
// configured host and under /api/, and an error is yielded once and ends
// the iteration.
func ListAll[T any](ctx context.Context, c *Client, path string, opts any) iter.Seq2[*T, error] {
	return iterate[T](ctx, c, rawRoute(path), opts)
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

// rawRoute checks a caller's API path (Client.Do, ListPage, ListAll) and
// makes it a route below /api/ for the one URL builder, which checks it
// again as every path (no empty or dot segment). The path must start with
// /api/ and name an endpoint below it, hold no query or fragment, and no
// space or control character, raw or escaped (%00 is refused as a raw NUL
// is). A segment that decodes to an escaped dot segment (%252e%252e, which
// a proxy or server that decodes twice reads as "..") is refused too.
func rawRoute(path string) route {
	rest, ok := strings.CutPrefix(path, "/api/")
	if !ok {
		return route{err: fmt.Errorf("%w: path must start with /api/", ErrInvalidArgument)}
	}
	if strings.ContainsAny(rest, "?#") {
		return route{err: fmt.Errorf("%w: path must not hold a query or fragment; pass the query separately", ErrInvalidArgument)}
	}
	if rest == "" {
		return route{err: fmt.Errorf("%w: path names no endpoint below /api/", ErrInvalidArgument)}
	}
	for seg := range strings.SplitSeq(rest, "/") {
		v, err := url.PathUnescape(seg)
		if err != nil {
			return route{err: fmt.Errorf("%w: bad path escape", ErrInvalidArgument)}
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return route{err: fmt.Errorf("%w: path holds a space or control character", ErrInvalidArgument)}
		}
		if strings.Contains(v, "%") {
			if twice, err := url.PathUnescape(v); err == nil && hasDotSegment(twice) {
				return route{err: fmt.Errorf("%w: a path segment decodes twice to a dot segment", ErrInvalidArgument)}
			}
		}
	}
	return route{path: rest}
}
