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

// call is one logical API call on its way through go-retryablehttp: the
// policy decided for it (policyFor) and what its attempts have learned.
// go-retryablehttp's callbacks for the call (CheckRetry, PrepareRetry) and
// the round trip that logs each attempt are the call's own methods, bound
// when the call starts (newCall): they read the call's state directly, and
// nothing travels in the context. The attempts run one after another on the
// calling goroutine.
type call struct {
	c      *Client
	method string
	path   string
	policy policy
	// start is when the call began; no retry starts after
	// start+MaxRetryElapsed.
	start time.Time
	// attempts counts the HTTP attempts made.
	attempts int
	// unknownOutcome: an attempt may have reached PostHog and ended without
	// a definite answer (a lost response, a timeout after sending, a 5xx),
	// so it may have run.
	unknownOutcome bool
	// wait is the wait before the next attempt, decided by checkRetry (the
	// server's hint or the backoff) and slept by prepareRetry.
	wait time.Duration
	// location is the Location of the 3xx answer of a call that does not
	// follow redirects (see RoundTrip).
	location string
	// rc runs the attempts: the client's retry settings with the call's
	// callbacks. hc is its http.Client: the client's, with the call's
	// redirect rule, sending through the call (RoundTrip) to next, the
	// client's transport.
	rc   retryablehttp.Client
	hc   http.Client
	next http.RoundTripper
}

// policy is what one call may do, decided in one place: policyFor.
type policy struct {
	// resendUnknown: an attempt whose outcome is unknown (sent, then its
	// answer lost, or a 5xx) may be sent again. Only where a repeat cannot
	// duplicate a write (isIdempotent); otherwise the call ends with
	// ErrOutcomeUnknown. Any method is re-sent when PostHog certainly did
	// not run it (a 429, a failure to connect).
	resendUnknown bool
	// goneIsDone: a 404 after an attempt whose outcome is unknown is the
	// call's success (a DELETE that an earlier attempt did).
	goneIsDone bool
	// followRedirects: same-origin redirects are followed (others are
	// refused: ErrForeignHost). Without it a 3xx is the call's answer, and
	// do hands its Location to the caller without following it
	// (LegalDocuments.DownloadURL: a presigned URL on another host).
	followRedirects bool
}

// policyFor decides the policy of a request: what its method allows, and
// what the request asks for.
func policyFor(r *request) policy {
	return policy{
		resendUnknown:   isIdempotent(r.method),
		goneIsDone:      r.method == http.MethodDelete,
		followRedirects: !r.noRedirect,
	}
}

// newCall starts a call of method on path (the URL's path, for errors and
// logs) under policy p.
func (c *Client) newCall(method, path string, p policy) *call {
	cl := &call{c: c, method: method, path: path, policy: p, start: time.Now()}
	cl.hc = *c.rc.HTTPClient
	cl.next, cl.hc.Transport = cl.hc.Transport, cl
	cl.rc = retryablehttp.Client{
		HTTPClient:   &cl.hc,
		RetryWaitMin: c.rc.RetryWaitMin,
		RetryWaitMax: c.rc.RetryWaitMax,
		RetryMax:     c.rc.RetryMax,
		CheckRetry:   cl.checkRetry,
		Backoff:      noBackoff,
		PrepareRetry: cl.prepareRetry,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return cl
}

// RoundTrip sends one attempt of the call (or a redirect within it) through
// the client's transport, and logs it with its attempt number. For a call
// that does not follow redirects, it takes the Location out of a 3xx
// answer into cl.location, so that net/http neither follows it nor parses
// and quotes it in an error.
func (cl *call) RoundTrip(req *http.Request) (*http.Response, error) {
	l := cl.c.logger()
	var start time.Time
	if l != nil {
		start = time.Now()
	}
	resp, err := cl.next.RoundTrip(req)
	if err == nil && !cl.policy.followRedirects && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		cl.location = resp.Header.Get("Location")
		resp.Header.Del("Location")
	}
	if l == nil {
		return resp, err
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Duration("duration", time.Since(start)),
		slog.Int("attempt", cl.attempts+1),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", cl.c.redact(sanitizeError(err).Error())))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	l.LogAttrs(req.Context(), slog.LevelDebug, "posthogapi request", attrs...)
	return resp, err
}

// isIdempotent reports whether re-sending method cannot duplicate a write.
func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// newRetryClient builds the client's retry settings and its http.Client
// (the caller's, copied, over authTransport, refusing foreign redirects).
// No call runs on it: each call runs on its own retryablehttp.Client made
// from it with the call's callbacks (newCall).
func (c *Client) newRetryClient() *retryablehttp.Client {
	var hc http.Client
	if c.cfg.httpClient != nil {
		hc = *c.cfg.httpClient // copy: the caller's client is never modified
	}
	// The per-attempt timeout: WithTimeout when given, else the caller's
	// client's own Timeout, else DefaultTimeout. A caller's client with no
	// Timeout (the zero value, as in &http.Client{Transport: t}) does not
	// switch the bound off; only WithTimeout(0) does.
	timeout := hc.Timeout
	if c.cfg.timeoutSet || timeout == 0 {
		timeout = c.cfg.timeout
	}
	// authTransport enforces it as a context deadline, and the http.Client
	// has none: with a Timeout, net/http would not recognise authTransport
	// as its own *http.Transport and would pay its cancellation fallback (a
	// timer, a goroutine and some 18 allocations) on every attempt.
	hc.Timeout = 0
	base := hc.Transport
	if base == nil {
		base = defaultTransport()
	}
	// authTransport has no CloseIdleConnections method on purpose:
	// retryablehttp calls HTTPClient.CloseIdleConnections after every call
	// that ends in an error, which would empty the pool shared by all the
	// client's goroutines.
	hc.Transport = &authTransport{c: c, base: base, timeout: timeout, authorization: []string{"Bearer " + c.cfg.apiKey}}
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
	}
}

// defaultMaxConnsPerHost bounds the connections the default transport opens
// to PostHog. It equals the idle pool, so that every connection can go back
// to the pool: many goroutines queue for a connection instead of opening
// (and then closing) extra ones. PostHog's budget (8 requests a second)
// needs far fewer.
const defaultMaxConnsPerHost = 32

// defaultTransport is http.DefaultTransport tuned for many goroutines
// talking to one host.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = defaultMaxConnsPerHost
	t.MaxConnsPerHost = defaultMaxConnsPerHost
	t.ForceAttemptHTTP2 = true
	return t
}

// authTransport adds the credentials, refuses any request that is not for
// the configured scheme and host, and bounds each attempt by the
// per-attempt timeout. Pacing (the 429 gate and the rate limiter) happens
// before each attempt, outside the per-attempt timeout: see Client.pace.
type authTransport struct {
	c    *Client
	base http.RoundTripper
	// timeout bounds one attempt: connecting, sending, the answer's headers
	// and reading its body (0: no bound). It is a context deadline on the
	// request sent, so that the base transport (a *http.Transport by
	// default) cancels the attempt itself.
	timeout time.Duration
	// authorization is the Authorization header's value, made once.
	authorization []string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.c.sameOrigin(req.URL) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("%w: refusing to send credentials off %s", ErrForeignHost, t.c.baseURL.Host)
	}
	ctx := req.Context()
	// A RoundTripper must not change its request: send a copy that has its
	// own header and context (everything else is only read below).
	var (
		r2     *http.Request
		cancel context.CancelFunc
	)
	if t.timeout > 0 {
		r2 = req.WithContext(t.attemptContext(req, &cancel)) // a shallow copy
	} else {
		r2 = new(http.Request)
		*r2 = *req
	}
	r2.Header = make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		r2.Header[k] = v
	}
	r2.Header["Authorization"] = t.authorization
	resp, err := t.base.RoundTrip(r2)
	if resp != nil && resp.Request == nil {
		// net/http's Transport sets it; a custom one may not. A redirect
		// within the attempt finds the attempt's deadline through it
		// (attemptContext).
		resp.Request = r2
	}
	if cancel != nil {
		if err != nil && r2.Context().Err() != nil && ctx.Err() == nil {
			// The attempt's deadline, not the caller's context, ended it: a
			// timeout, retried like a lost answer. As net/http's own
			// Client.Timeout error, it does not unwrap to the cause (a
			// connect that timed out is not taken for a refused one).
			err = &attemptTimeoutError{msg: err.Error() + " (per-attempt timeout " + t.timeout.String() + " exceeded while awaiting headers)"}
		}
		if err != nil || resp == nil || resp.Body == nil {
			cancel()
		} else {
			// The deadline bounds the reading of the body too; the attempt's
			// context ends with it (EOF, an error or Close).
			resp.Body = &deadlineBody{rc: resp.Body, cancel: cancel, ctx: r2.Context(), parent: ctx, timeout: t.timeout}
		}
	}
	return resp, err
}

// attemptContext returns the context of one attempt: the request's own
// context bounded by the per-attempt timeout. A redirect followed within the
// attempt keeps the deadline of the attempt's first request, as
// http.Client.Timeout did: the whole attempt, redirects included, is
// bounded once.
func (t *authTransport) attemptContext(req *http.Request, cancel *context.CancelFunc) context.Context {
	deadline := time.Now().Add(t.timeout)
	if prev := req.Response; prev != nil && prev.Request != nil {
		if d, ok := prev.Request.Context().Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
	}
	ctx, c := context.WithDeadline(req.Context(), deadline)
	*cancel = c
	return ctx
}

// attemptTimeoutError is the error of an attempt that ran out of its
// per-attempt timeout. It is a net.Error whose Timeout is true and, like
// net/http's Client.Timeout error, it matches context.DeadlineExceeded.
type attemptTimeoutError struct{ msg string }

func (e *attemptTimeoutError) Error() string   { return e.msg }
func (e *attemptTimeoutError) Timeout() bool   { return true }
func (e *attemptTimeoutError) Temporary() bool { return true }
func (e *attemptTimeoutError) Is(target error) bool {
	return target == context.DeadlineExceeded
}

// deadlineBody is an answer's body read under its attempt's deadline: the
// attempt's context is cancelled (its timer stopped) at the end of the body
// or on Close, and a read cut off by the deadline fails with an
// attemptTimeoutError.
type deadlineBody struct {
	rc      io.ReadCloser
	cancel  context.CancelFunc
	ctx     context.Context // the attempt's
	parent  context.Context // the caller's
	timeout time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == nil {
		return n, nil
	}
	if err != io.EOF && b.ctx.Err() != nil && b.parent.Err() == nil {
		err = &attemptTimeoutError{msg: err.Error() + " (per-attempt timeout " + b.timeout.String() + " exceeded while reading body)"}
	}
	b.cancel()
	return n, err
}

func (b *deadlineBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

// checkRetry applies the call's policy after each attempt. A call that may
// resend an unknown outcome (policy.resendUnknown: GET, HEAD, PUT, DELETE)
// is retried after transport errors, 429, 500, 502, 503 and 504; any other
// (POST, PATCH) only when PostHog certainly did not run it: after a 429
// (throttled before the view runs) or a failure to connect. Nothing is
// retried after the context ends, after a TLS certificate error, or when
// the next attempt would start after MaxRetryElapsed. It also decides the
// wait before the next attempt (st.wait), which prepareRetry sleeps.
func (st *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	c := st.c
	st.attempts++
	if err != nil {
		switch {
		case errors.Is(err, ErrForeignHost), isPermanentTLSError(err):
			// Refused before anything was sent; retrying cannot help.
			return false, nil
		case isConnectError(err):
			// Nothing was sent: safe to retry for every method.
		default:
			// The request may have been sent and run; the answer is lost.
			st.unknownOutcome = true
		}
		if ctx.Err() != nil || st.unknownOutcome && !st.policy.resendUnknown {
			return false, nil
		}
		reason := "no answer"
		if !st.unknownOutcome {
			reason = "connect failed"
		}
		return st.schedule(ctx, c.expBackoff(st.attempts), reason, 0), nil
	}
	if ctx.Err() != nil {
		return false, nil // never retry after the deadline or a cancel
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		hint := c.retryAfter(resp)
		if hint > c.cfg.maxRetryWait {
			// Too long to wait here: hand the decision to the caller, and
			// make the calls sharing the gate fail fast too.
			c.pauseAll(ctx, time.Now().Add(min(hint, maxGateBlock)))
			return false, nil
		}
		wait := hint
		if wait <= 0 {
			wait = c.expBackoff(st.attempts) // no usable hint: back off
		}
		wait = max(wait, c.cfg.retryWaitMin) // Retry-After: 0 is no hot loop
		c.pauseAll(ctx, time.Now().Add(wait))
		return st.schedule(ctx, wait, "rate limited", resp.StatusCode), nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		st.unknownOutcome = true
		if !st.policy.resendUnknown {
			return false, nil
		}
		wait := c.expBackoff(st.attempts)
		if hint := c.retryAfter(resp); hint > 0 {
			if hint > c.cfg.maxRetryWait {
				return false, nil
			}
			wait = max(hint, c.cfg.retryWaitMin)
		}
		return st.schedule(ctx, wait, "server error", resp.StatusCode), nil
	}
	return false, nil
}

// schedule decides whether one more attempt fits (retries left, and it
// would start before MaxRetryElapsed), records its wait and logs it.
func (st *call) schedule(ctx context.Context, wait time.Duration, reason string, status int) bool {
	c := st.c
	if st.attempts > c.cfg.maxRetries {
		return false
	}
	if time.Since(st.start)+wait > c.cfg.maxRetryElapsed {
		return false
	}
	st.wait = wait
	if l := c.logger(); l != nil {
		l.LogAttrs(ctx, slog.LevelWarn, "posthogapi retrying",
			slog.String("method", st.method),
			slog.String("path", st.path),
			slog.String("reason", reason),
			slog.Int("status", status),
			slog.Int("attempt", st.attempts),
			slog.Duration("wait", wait))
	}
	return true
}

// noBackoff makes retryablehttp go straight to prepareRetry, which does the
// waiting (so that it can share the 429 gate and the rate limiter, and
// happen outside the per-attempt timeout).
func noBackoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }

// prepareRetry runs before each retry: it sleeps the wait checkRetry chose,
// then paces the attempt like a first one.
func (st *call) prepareRetry(req *http.Request) error {
	ctx := req.Context()
	if err := sleepCtx(ctx, st.wait); err != nil {
		return err
	}
	st.wait = 0
	return st.c.pace(ctx, st)
}

// pauseAll holds back the calls sharing the client's Limiter (or, without
// one, the client's own goroutines) until until: PostHog answered 429.
func (c *Client) pauseAll(ctx context.Context, until time.Time) {
	if l := c.cfg.limiter; l != nil {
		l.Pause(ctx, until)
		return
	}
	c.gate.block(until)
}

// pace waits until an attempt may be sent: with a Limiter, until it allows
// one (its pause over and its budget allowing); without one, until the 429
// gate shared by the client's goroutines is open. A pause longer than
// MaxRetryWait, or a budget wait longer than MaxRetryElapsed, is not
// waited: pace returns a *RateLimitError at once, and nothing is sent.
func (c *Client) pace(ctx context.Context, st *call) error {
	var (
		d   time.Duration
		err error
	)
	if l := c.cfg.limiter; l != nil {
		d, err = l.Acquire(ctx, WaitCaps{MaxPause: c.cfg.maxRetryWait, MaxBudgetWait: c.cfg.maxRetryElapsed})
	} else {
		d, err = c.gate.wait(ctx, c.cfg.maxRetryWait)
	}
	if errors.Is(err, ErrWaitTooLong) {
		return &RateLimitError{RetryAfter: d, APIError: &APIError{
			StatusCode: http.StatusTooManyRequests,
			Type:       "throttled_error",
			Code:       "throttled",
			Detail:     "not sent: the key's rate limit (learned from an earlier 429 or counted by the client) allows the next request in " + d.Round(time.Second).String(),
			Method:     st.method,
			Path:       st.path,
			Attempts:   st.attempts,
		}}
	}
	return err
}

// retryAfter reads how long the server asked to wait (see serverWait). It
// buffers the (capped) body so it can still be read for the error. 0 means
// no usable hint (absent, garbage, 0 or in the past).
func (c *Client) retryAfter(resp *http.Response) time.Duration {
	var b []byte
	if resp.Body != nil {
		b = readCapped(resp.Body, c.cfg.maxErrorBody)
		resp.Body = struct {
			io.Reader
			io.Closer
		}{bytes.NewReader(b), resp.Body}
	}
	return serverWait(resp.Header.Get("Retry-After"), b, time.Now())
}

// expBackoff returns the jittered exponential backoff before retry number
// attempt (1 for the first retry): RetryWaitMin doubled per attempt, capped
// at MaxRetryWait, jittered down to half, never below RetryWaitMin.
func (c *Client) expBackoff(attempt int) time.Duration {
	minWait, maxWait := c.cfg.retryWaitMin, c.cfg.maxRetryWait
	d := minWait << min(max(attempt-1, 0), 16)
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
