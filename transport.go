package posthogapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callState follows one logical call across its attempts. All its users
// (the retry policy, the backoff and the transport) run on the calling
// goroutine, one attempt after another.
type callState struct {
	method string
	path   string
	// attempts counts the HTTP attempts made.
	attempts int
	// sent: an attempt may have reached PostHog's view code.
	sent bool
	// unknownOutcome: an attempt ended without a definite answer (a lost
	// response or a 5xx), so it may have run.
	unknownOutcome bool
	// wait is the server-requested wait before the next attempt.
	wait time.Duration
	// noRedirect: hand a 3xx back to the caller instead of following it;
	// location is then the answer's Location, taken out of the response so
	// that net/http neither follows it nor quotes it in an error.
	noRedirect bool
	location   string
}

type callStateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// isIdempotent reports whether re-sending method cannot duplicate a write.
func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// newRetryClient builds the retryablehttp client: our retry policy and
// backoff, its logger off, and errors passed through untouched.
func (c *Client) newRetryClient() *retryablehttp.Client {
	var hc http.Client
	if c.cfg.httpClient != nil {
		hc = *c.cfg.httpClient // copy: the caller's client is never modified
	} else {
		hc.Timeout = c.cfg.timeout
	}
	if c.cfg.timeoutSet || hc.Timeout == 0 && c.cfg.httpClient == nil {
		hc.Timeout = c.cfg.timeout
	}
	base := hc.Transport
	if base == nil {
		base = defaultTransport()
	}
	hc.Transport = &authTransport{c: c, base: base}
	userRedirect := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !c.sameOrigin(req.URL) {
			return fmt.Errorf("%w: refusing a redirect off %s", ErrForeignHost, c.baseURL.Host)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if userRedirect != nil {
			return userRedirect(req, via)
		}
		return nil
	}
	hc.Jar = nil // cookies are never needed and never sent
	return &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil,
		RetryWaitMin: c.cfg.retryWaitMin,
		RetryWaitMax: c.cfg.maxRetryWait,
		RetryMax:     c.cfg.maxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// defaultTransport is http.DefaultTransport tuned for many goroutines
// talking to one host.
func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 32
	t.ForceAttemptHTTP2 = true
	return t
}

// authTransport paces each attempt, adds the credentials, and refuses any
// request that is not for the configured scheme and host.
type authTransport struct {
	c    *Client
	base http.RoundTripper
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.c.sameOrigin(req.URL) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("%w: refusing to send credentials off %s", ErrForeignHost, t.c.baseURL.Host)
	}
	ctx := req.Context()
	if err := t.c.gate.wait(ctx); err != nil {
		return nil, closeReqBody(req, err)
	}
	if l := t.c.cfg.limiter; l != nil {
		if err := l.Wait(ctx); err != nil {
			return nil, closeReqBody(req, err)
		}
	}
	r2 := req.Clone(ctx)
	r2.Header.Set("Authorization", "Bearer "+t.c.cfg.apiKey)
	start := time.Now()
	resp, err := t.base.RoundTrip(r2)
	if resp != nil && resp.Request == nil {
		resp.Request = r2 // the retry backoff reads the call state from it
	}
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		if st := stateFrom(ctx); st != nil && st.noRedirect {
			st.location = resp.Header.Get("Location")
			resp.Header.Del("Location") // a 3xx without Location is returned as is
		}
	}
	if l := t.c.logger(); l != nil {
		attrs := []slog.Attr{
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Duration("duration", time.Since(start)),
		}
		if st := stateFrom(ctx); st != nil {
			attrs = append(attrs, slog.Int("attempt", st.attempts+1))
		}
		if err != nil {
			attrs = append(attrs, slog.String("error", sanitizeError(err).Error()))
		} else {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		l.LogAttrs(ctx, slog.LevelDebug, "posthogapi request", attrs...)
	}
	return resp, err
}

func closeReqBody(req *http.Request, err error) error {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return err
}

// checkRetry is the retry policy. GET, HEAD, PUT and DELETE are retried
// after transport errors, 429, 500, 502, 503 and 504. POST and PATCH are
// retried only when PostHog certainly did not run them: after a 429
// (throttled before the view runs) or a failure to connect.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		st = &callState{}
	}
	st.attempts++
	if ctx.Err() != nil {
		return false, nil // never retry after the deadline or a cancel
	}
	if err != nil {
		if errors.Is(err, ErrForeignHost) || isPermanentTLSError(err) {
			return false, nil
		}
		if isConnectError(err) {
			return c.logRetry(ctx, st, "connect failed", 0), nil
		}
		// The request may have been sent and run; the answer is lost.
		st.sent = true
		st.unknownOutcome = true
		if !isIdempotent(st.method) {
			return false, nil
		}
		return c.logRetry(ctx, st, "no answer", 0), nil
	}
	st.sent = true
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait := c.retryAfter(resp)
		if wait > c.cfg.maxRetryWait {
			// Too long to wait here: hand the decision to the caller.
			return false, nil
		}
		wait = max(wait, c.cfg.retryWaitMin)
		st.wait = wait
		c.gate.block(time.Now().Add(wait))
		return c.logRetry(ctx, st, "rate limited", resp.StatusCode), nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		st.unknownOutcome = true
		if !isIdempotent(st.method) {
			return false, nil
		}
		if wait := c.retryAfter(resp); wait > 0 {
			if wait > c.cfg.maxRetryWait {
				return false, nil
			}
			st.wait = wait
		}
		return c.logRetry(ctx, st, "server error", resp.StatusCode), nil
	}
	return false, nil
}

func (c *Client) logRetry(ctx context.Context, st *callState, reason string, status int) bool {
	if st.attempts > c.cfg.maxRetries {
		return true // retryablehttp stops here; nothing to announce
	}
	if l := c.logger(); l != nil {
		l.LogAttrs(ctx, slog.LevelWarn, "posthogapi retrying",
			slog.String("method", st.method),
			slog.String("path", st.path),
			slog.String("reason", reason),
			slog.Int("status", status),
			slog.Int("attempt", st.attempts))
	}
	return true
}

// retryAfter reads how long the server asked to wait, from Retry-After
// (seconds or an HTTP date) or from PostHog's "Expected available in N
// seconds" detail. It buffers the (capped) body so it can still be read for
// the error. 0 means no usable hint.
func (c *Client) retryAfter(resp *http.Response) time.Duration {
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return d
	}
	if resp.Body == nil {
		return 0
	}
	b := readCapped(resp.Body, c.cfg.maxErrorBody)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{bytes.NewReader(b), resp.Body}
	if d, ok := parseExpectedAvailable(parseErrorBody(b).Detail); ok {
		return d
	}
	return 0
}

// backoff returns the server-requested wait when there is one, else a
// jittered exponential backoff between min and max.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Request != nil {
		if st := stateFrom(resp.Request.Context()); st != nil && st.wait > 0 {
			w := st.wait
			st.wait = 0
			return w
		}
	}
	d := minWait << min(attempt, 16)
	if d <= 0 || d > maxWait {
		d = maxWait
	}
	// Jitter in [d/2, d]: spreads goroutines out, never below half.
	half := d / 2
	return max(half+rand.N(half+1), minWait)
}

// isConnectError reports whether err happened before the request could be
// sent: PostHog certainly did not see it.
func isConnectError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isPermanentTLSError reports certificate problems, which retrying cannot fix.
func isPermanentTLSError(err error) bool {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		certInvalid x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
		recordHdr   tls.RecordHeaderError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &certInvalid) || errors.As(err, &verify) || errors.As(err, &recordHdr)
}
