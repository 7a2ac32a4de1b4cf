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

// route is the path of one endpoint below /api/, escaped and ending with
// the trailing slash PostHog's routes use, as at builds it; or the first
// error met building it or checking the call's input (check). The generic
// helpers (get, send, del, list, iterate) return that error before anything
// is sent.
type route struct {
	path string
	err  error
}

// pathSegment is implemented by the typed pieces of a path: the IDs, which
// validate themselves and name their kind in the error, and free-form values
// (flagKey), which validate themselves with checkSegment.
type pathSegment interface {
	segment() (string, error)
}

// at builds an endpoint's path from its pieces, in the order of PostHog's
// route: a string is a fixed segment of the route ("organizations",
// "roles"), never a value; a value is typed (an ID, a ProjectID, a
// flagKey) and validated by its type. Each segment is escaped, so no
// value can add a segment, a query or a fragment.
//
//	at("organizations", org, "roles", id)   // organizations/{org}/roles/{id}/
func at(pieces ...any) route {
	var b strings.Builder
	for _, p := range pieces {
		var s string
		switch p := p.(type) {
		case string:
			s = p
		case pathSegment:
			v, err := p.segment()
			if err != nil {
				return route{err: err}
			}
			s = v
		default:
			return route{err: fmt.Errorf("posthogapi: path piece of type %T", p)}
		}
		b.WriteString(url.PathEscape(s))
		b.WriteByte('/')
	}
	return route{path: b.String()}
}

// check keeps r's error, or else err: a call's input is validated after
// its path, before anything is sent.
func (r route) check(err error) route {
	if r.err == nil {
		r.err = err
	}
	return r
}

// validate refuses the nil UUID, which can only be a caller's mistake.
func (id ID[K]) validate() error {
	if id.IsZero() {
		return fmt.Errorf("%w: %s is the nil UUID", ErrInvalidArgument, id.Kind())
	}
	return nil
}

// segment is id in a path, once validated.
func (id ID[K]) segment() (string, error) { return id.String(), id.validate() }

// segment refuses a project ID that is not positive.
func (id ProjectID) segment() (string, error) {
	if id <= 0 {
		return "", fmt.Errorf("%w: project ID must be positive, not %d", ErrInvalidArgument, id)
	}
	return strconv.FormatInt(int64(id), 10), nil
}

// segment refuses a project integration ID that is not positive.
func (id ProjectIntegrationID) segment() (string, error) {
	if id <= 0 {
		return "", fmt.Errorf("%w: project integration ID must be positive, not %d", ErrInvalidArgument, id)
	}
	return strconv.FormatInt(int64(id), 10), nil
}

// get fetches the object at r, with q (a url-tagged struct, url.Values or
// nil) as its query.
func get[T any](ctx context.Context, c *Client, r route, q any) (*T, error) {
	return fetch[T](ctx, c, &request{method: http.MethodGet, query: q}, r)
}

// send sends body (nil: none) to r with method and decodes the answer.
func send[T any](ctx context.Context, c *Client, method string, r route, body any) (*T, error) {
	return fetch[T](ctx, c, &request{method: method, body: body}, r)
}

// fetch runs req on r's path and decodes the answer into a new T.
func fetch[T any](ctx context.Context, c *Client, req *request, r route) (*T, error) {
	if r.err != nil {
		return nil, r.err
	}
	out := new(T)
	req.path, req.out = r.path, out
	if _, err := c.do(ctx, req); err != nil {
		return nil, err
	}
	return out, nil
}

// del deletes the object at r; an answer body, if any, is discarded.
func del(ctx context.Context, c *Client, r route) error {
	return sendOnly(ctx, c, http.MethodDelete, r, nil)
}

// sendOnly sends body (nil: none) to r with method and discards the answer.
func sendOnly(ctx context.Context, c *Client, method string, r route, body any) error {
	if r.err != nil {
		return r.err
	}
	_, err := c.do(ctx, &request{method: method, path: r.path, body: body})
	return err
}

// list fetches one page of the list at r, with opts as its query.
func list[T any](ctx context.Context, c *Client, r route, opts any) (*Page[T], error) {
	return get[Page[T]](ctx, c, r, opts)
}

// iterate iterates over every item of the list at r, starting at opts
// (see allFrom: pages are fetched as the loop asks for items).
func iterate[T any](ctx context.Context, c *Client, r route, opts any) iter.Seq2[*T, error] {
	if r.err != nil {
		return errSeq[T](r.err)
	}
	first, err := c.buildURL(&request{path: r.path, query: opts})
	return allFrom[T](ctx, c, first, err)
}
