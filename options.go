package posthogapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client. Options are applied in order by NewClient; an
// option with a bad value makes NewClient fail.
type Option func(*config) error

type config struct {
	apiKey            string
	baseURL           string
	allowInsecureHTTP bool
	httpClient        *http.Client
	userAgent         string
	timeout           time.Duration
	timeoutSet        bool
	logger            *slog.Logger
	maxRetries        int
	maxRetryWait      time.Duration
	maxRetryElapsed   time.Duration
	retryWaitMin      time.Duration
	maxErrorBody      int64
	limiter           Limiter
	prefetch          int
	// legacyUnscopedKey sends the requests of actions without a scope
	// (WithLegacyUnscopedKey).
	legacyUnscopedKey bool
}

func defaultConfig() config {
	return config{
		baseURL:         DefaultBaseURL,
		userAgent:       DefaultUserAgent,
		timeout:         DefaultTimeout,
		maxRetries:      DefaultMaxRetries,
		maxRetryWait:    DefaultMaxRetryWait,
		maxRetryElapsed: DefaultMaxRetryElapsed,
		retryWaitMin:    DefaultRetryWaitMin,
		maxErrorBody:    DefaultMaxErrorBodyBytes,
		prefetch:        DefaultPrefetch,
	}
}

// WithBaseURL sets the PostHog instance to talk to: USCloud (the default),
// EUCloud, or a self-hosted instance's root URL, optionally under a path
// prefix (https://example.com/posthog). The API key is only ever sent to this
// scheme and host.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		c.baseURL = baseURL
		return nil
	}
}

// WithInsecureHTTP allows a plain http:// base URL on a host that is not
// loopback. The API key then crosses the network unencrypted; use it only on
// a trusted network.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecureHTTP = true
		return nil
	}
}

// WithHTTPClient sets the *http.Client whose transport carries the requests.
// The client is copied and wrapped, never modified: its Transport is used
// under the client's authentication and retry layers, and cross-host
// redirects are refused before its own CheckRedirect runs. Its Timeout, when
// not zero, is the per-attempt timeout (unless WithTimeout is given); a zero
// Timeout leaves DefaultTimeout in place.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return fmt.Errorf("%w: nil *http.Client", ErrInvalidArgument)
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent appends product (such as "my-tool/1.2") to the User-Agent,
// which always starts with posthogapi-go/<version>.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		product = strings.TrimSpace(product)
		if strings.ContainsAny(product, "\r\n") {
			return fmt.Errorf("%w: user agent contains a line break", ErrInvalidArgument)
		}
		if product != "" {
			c.userAgent = DefaultUserAgent + " " + product
		}
		return nil
	}
}

// WithTimeout bounds each HTTP attempt (connecting, sending, and reading the
// answer). Waits before an attempt (backoff, Retry-After, the rate limiter)
// are not part of it. The default is DefaultTimeout, or the Timeout of the
// client given to WithHTTPClient when that is not zero; WithTimeout(0) means
// no per-attempt bound, and then only the context's deadline ends a hung
// call.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: negative timeout", ErrInvalidArgument)
		}
		c.timeout = d
		c.timeoutSet = true
		return nil
	}
}

// WithLogger sets a logger for request and retry events (at Debug and Warn
// levels). Nothing secret is logged: no API key, no headers, no bodies, no
// query strings. A nil logger, like no option, keeps the client silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithMaxRetries sets how many times a retryable request is re-sent
// (default DefaultMaxRetries). 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("%w: negative retry count", ErrInvalidArgument)
		}
		c.maxRetries = n
		return nil
	}
}

// WithMaxRetryWait caps a single wait before a retry (default
// DefaultMaxRetryWait). When PostHog asks to wait longer than this (by
// Retry-After or "Expected available in N seconds"), the call returns a
// *RateLimitError at once so the caller can decide.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("%w: max retry wait must be positive", ErrInvalidArgument)
		}
		c.maxRetryWait = d
		return nil
	}
}

// WithMaxRetryElapsed caps the time a call spends retrying (default
// DefaultMaxRetryElapsed): no retry starts later than d after the call
// began, so a call without a deadline ends within about d plus one
// attempt's timeout. It also caps the wait for a RateLimiter's budget:
// a request that would wait longer is not sent (*RateLimitError). The
// context's deadline, when sooner, still wins.
func WithMaxRetryElapsed(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("%w: max retry elapsed must be positive", ErrInvalidArgument)
		}
		c.maxRetryElapsed = d
		return nil
	}
}

// WithRetryWaitMin sets the first backoff wait, which is also the floor of
// every wait (default DefaultRetryWaitMin).
func WithRetryWaitMin(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("%w: min retry wait must be positive", ErrInvalidArgument)
		}
		c.retryWaitMin = d
		return nil
	}
}

// WithMaxErrorBodyBytes caps how many bytes of an error answer are read
// (default DefaultMaxErrorBodyBytes). A huge error body cannot grow memory.
func WithMaxErrorBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("%w: error body cap must be positive", ErrInvalidArgument)
		}
		c.maxErrorBody = n
		return nil
	}
}
