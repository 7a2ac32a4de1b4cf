package posthogapi

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// eofBody is an answer's body that records how the SDK ended it: whether
// it was read to its end before Close, and whether the attempt's context was
// still live when the end was read.
type eofBody struct {
	r        io.Reader
	ctx      context.Context // the attempt's
	eof      bool
	ctxErr   error // the attempt context's error when the end was read
	closed   bool
	eofFirst bool // the end was read before Close
}

func (b *eofBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF && !b.eof {
		b.eof, b.ctxErr = true, b.ctx.Err()
	}
	return n, err
}

func (b *eofBody) Close() error {
	b.closed, b.eofFirst = true, b.eof
	return nil
}

// eofTransport answers every request with status and body, through an
// eofBody it keeps.
type eofTransport struct {
	status int
	body   string
	bodies []*eofBody
}

func (t *eofTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	b := &eofBody{r: strings.NewReader(t.body), ctx: req.Context()}
	t.bodies = append(t.bodies, b)
	return &http.Response{
		StatusCode: t.status, Status: http.StatusText(t.status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: b, Request: req,
		ContentLength: int64(len(t.body)),
	}, nil
}

// TestAnswerReadToEOFBeforeClose holds the SDK to what net/http needs to put
// a connection back in its pool after an answer (persistConn.readLoop):
// the body read to its end (io.EOF) before Close, and the attempt's context
// (the per-attempt timeout's) not cancelled before that end; a body closed
// early, or a cancel racing the end, makes net/http close the connection,
// and a client under load opens a new one for every such call.
func TestAnswerReadToEOFBeforeClose(t *testing.T) {
	const org = "0191e8a4-0000-7000-8000-000000000100"
	for _, tc := range []struct {
		name   string
		status int
		body   string
		call   func(context.Context, *Client) error
	}{
		{"200 decoded", http.StatusOK, `{"id":"` + org + `","name":"Acme"}` + "\n", func(ctx context.Context, c *Client) error {
			_, err := c.Organizations.Get(ctx, OrganizationID(uuid.MustParse(org)))
			return err
		}},
		{"204", http.StatusNoContent, "", func(ctx context.Context, c *Client) error {
			return c.Organizations.Delete(ctx, OrganizationID(uuid.MustParse(org)))
		}},
		{"200 not decoded", http.StatusOK, `{"detail":"deleted"}`, func(ctx context.Context, c *Client) error {
			return c.Organizations.Delete(ctx, OrganizationID(uuid.MustParse(org)))
		}},
		{"404 error", http.StatusNotFound, `{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}`, func(ctx context.Context, c *Client) error {
			if _, err := c.Organizations.Get(ctx, OrganizationID(uuid.MustParse(org))); err == nil {
				t.Error("a 404 answer gave no error")
			}
			return nil
		}},
	} {
		for _, timeout := range []Option{nil, WithTimeout(0)} {
			name := tc.name
			if timeout != nil {
				name += "/no timeout"
			}
			t.Run(name, func(t *testing.T) {
				tr := &eofTransport{status: tc.status, body: tc.body}
				opts := []Option{WithBaseURL(mockBase), WithHTTPClient(&http.Client{Transport: tr}), WithLegacyUnscopedKey()}
				if timeout != nil {
					opts = append(opts, timeout)
				}
				c, err := NewClient(testKey, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if err := tc.call(context.Background(), c); err != nil {
					t.Fatal(err)
				}
				if len(tr.bodies) != 1 {
					t.Fatalf("%d attempts, want 1", len(tr.bodies))
				}
				b := tr.bodies[0]
				switch {
				case !b.closed:
					t.Error("the body was not closed")
				case !b.eofFirst:
					t.Error("the body was closed before it was read to its end: net/http closes the connection")
				case b.ctxErr != nil:
					t.Errorf("the attempt's context ended (%v) before the body's end was read: net/http closes the connection", b.ctxErr)
				}
			})
		}
	}
}
