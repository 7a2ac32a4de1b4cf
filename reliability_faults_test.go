package posthogapi

// Reliability cases 1-13 (retries, writes, rate limits, cancellation,
// timeouts). See RELIABILITY.md for the case table and the figures.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
)

var (
	relOrgID  = uuid.MustParse("0196a3b4-0000-7000-8000-000000000001")
	relUserID = uuid.MustParse("0196a3b4-0000-7000-8000-0000000000bb")
)

func injected(n int) { ReliabilityFigure("faults: injected (total)", int64(n)) }

// throttleLog records the 429 answers a test server sent, to count retries
// sent before the wait they announced.
type throttleLog struct {
	mu      sync.Mutex
	answers []throttleAnswer
}

type throttleAnswer struct {
	index int // index of the hit that was answered 429
	at    time.Time
	until time.Time
}

func (l *throttleLog) add(index int, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.answers = append(l.answers, throttleAnswer{index, now, now.Add(wait)})
	ReliabilityFigure("rate limits: 429 answers served", 1)
	injected(1)
}

// early counts hits sent before a 429's announced time. With sequential,
// any later hit (by index) counts, including one at the same instant (one
// caller: its own retry); otherwise only hits at a strictly later instant
// count (many callers: a request sent at the same instant as the 429 was
// answered had not learned of it).
func (l *throttleLog) early(hs []hit, sequential bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for i, h := range hs {
		for _, a := range l.answers {
			after := h.at.After(a.at) || sequential && i > a.index && h.at.Equal(a.at)
			if after && h.at.Before(a.until) {
				n++
				break
			}
		}
	}
	ReliabilityFigure("rate limits: retries sent before the announced time", int64(n))
	return n
}

// ----- 1 ---------------------------------------------------------------------

func TestReliability01_GETRetriedOn5xx(t *testing.T) {
	env := newRel(t, true)
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const fails = 2
				rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
					if i < fails {
						injected(1)
						phError(w, status, "server_error", "error", "A server error occurred.")
						return
					}
					writeJSON(w, http.StatusOK, relOrgJSON)
				})
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				org, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if org.Name != "Acme" || org.MemberCount != 3 {
					t.Errorf("decoded %+v", org)
				}
				hs, _ := rec.snapshot()
				if len(hs) != fails+1 {
					t.Errorf("hits = %d, want %d", len(hs), fails+1)
				}
				for _, g := range gaps(hs) {
					if g < DefaultRetryWaitMin {
						t.Errorf("retry after %v, below the floor %v", g, DefaultRetryWaitMin)
					}
				}
			})
		})
	}
}

// ----- 2 ---------------------------------------------------------------------

func TestReliability02_GETStopsAfterMaxRetries(t *testing.T) {
	env := newRel(t, true)
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/api/organizations/" {
				writeJSON(w, http.StatusOK, `{"count":0,"next":null,"previous":null,"results":[]}`)
				return
			}
			injected(1)
			phError(w, http.StatusServiceUnavailable, "server_error", "error", "A server error occurred.")
		})
		pn := newPipeNet(rec)
		defer pn.close()
		bt := &bodyTracker{base: pn.tr}
		c := pn.clientWith(t, bt, WithLogger(env.logger()))
		ctx := context.Background()
		for range 3 {
			_, err := c.Organizations.Get(ctx, OrganizationID(relOrgID))
			scanErr(t, err)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.StatusCode != 503 || ae.Type != "server_error" || ae.Detail != "A server error occurred." {
				t.Errorf("APIError = %+v", ae)
			}
			if ae.Attempts != DefaultMaxRetries+1 {
				t.Errorf("Attempts = %d, want %d", ae.Attempts, DefaultMaxRetries+1)
			}
			if len(ae.Body) == 0 || len(ae.Body) > DefaultMaxErrorBodyBytes {
				t.Errorf("Body has %d bytes", len(ae.Body))
			}
			if !errors.Is(err, ErrServer) {
				t.Error("not ErrServer")
			}
		}
		if n := rec.count(); n != 3*(DefaultMaxRetries+1) {
			t.Errorf("hits = %d, want %d", n, 3*(DefaultMaxRetries+1))
		}
		// retryablehttp calls CloseIdleConnections after every failed
		// call; authTransport hides it, so the pool survives: one
		// connection for all three failed calls and the next one.
		if _, err := c.Organizations.List(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if d := pn.dials.Load(); d != 1 {
			t.Errorf("connections dialled = %d, want 1 (pool emptied by a failed call?)", d)
		}
		ReliabilityFigureMax("leaks: connections dialled for 13 sequential calls with 12 failures (want 1)", pn.dials.Load())
		if n, _ := bt.check(t); n != 3*(DefaultMaxRetries+1)+1 {
			t.Errorf("bodies = %d", n)
		}
	})
}

// ----- 3 ---------------------------------------------------------------------

func TestReliability03_WriteNotRetriedOn5xx(t *testing.T) {
	env := newRel(t, true)
	for _, status := range []int{500, 502, 503, 504} {
		for _, method := range []string{http.MethodPost, http.MethodPatch} {
			t.Run(fmt.Sprintf("%s_%d", method, status), func(t *testing.T) {
				rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
					rec := r.Context().Value(recKey{}).(*recorder)
					rec.commit() // the view ran, then failed
					injected(1)
					phError(w, status, "server_error", "error", "A server error occurred.")
				})
				srv := httptest.NewServer(withRec(rec))
				defer srv.Close()
				c := loopClient(t, srv.URL, WithLogger(env.logger()))
				var err error
				if method == http.MethodPost {
					_, err = c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "Acme"})
				} else {
					name := "Acme 2"
					_, err = c.Organizations.Update(context.Background(), OrganizationID(relOrgID), &OrganizationUpdate{Name: &name})
				}
				scanErr(t, err)
				if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrServer) {
					t.Errorf("err = %v, want ErrOutcomeUnknown and ErrServer", err)
				}
				hs, commits := rec.snapshot()
				if len(hs) != 1 || commits != 1 {
					t.Errorf("hits = %d, commits = %d, want 1 and 1", len(hs), commits)
				}
				ReliabilityFigure("writes: 5xx writes (calls)", 1)
				ReliabilityFigure("writes: duplicated writes", int64(max(commits-1, 0)))
			})
		}
	}
	// 501 says the server did not implement the method: the outcome is known.
	err := &APIError{StatusCode: 501, Method: http.MethodPost}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Error("501 matched ErrOutcomeUnknown")
	}
	if errors.Is(&APIError{StatusCode: 500, Method: http.MethodGet}, ErrOutcomeUnknown) {
		t.Error("GET 500 matched ErrOutcomeUnknown")
	}
}

type recKey struct{}

// withRec makes the recorder reachable from its script via the context.
func withRec(rec *recorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), recKey{}, rec)))
	})
}

// loopClient is a client for a loopback server with fast retries (for
// tests that are not about waits).
func loopClient(t testing.TB, base string, opts ...Option) *Client {
	t.Helper()
	o := append([]Option{WithBaseURL(base), WithRetryWaitMin(time.Millisecond), WithMaxRetryWait(20 * time.Millisecond)}, opts...)
	c, err := NewClient(testKey, o...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ----- 4 ---------------------------------------------------------------------
// The 1000-run lost-response figures on posthogtest are in
// reliability_e2e_test.go (TestReliability04_LostResponse1000Writes).

func TestReliability04_LostResponseWriteNotReplayed(t *testing.T) {
	env := newRel(t, true)
	commitThenDrop := func(rec *recorder) func(int, http.ResponseWriter, *http.Request) {
		return func(i int, w http.ResponseWriter, r *http.Request) {
			rec.commit()
			injected(1)
			dropConn(w)
		}
	}
	t.Run("drop", func(t *testing.T) {
		for _, method := range []string{http.MethodPost, http.MethodPatch} {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(nil)
				rec.script = commitThenDrop(rec)
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				err := writeCall(c, method)
				scanErr(t, err)
				checkLost(t, err, rec)
			})
		}
	})
	t.Run("timeout_after_sending", func(t *testing.T) {
		for _, method := range []string{http.MethodPost, http.MethodPatch} {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(nil)
				rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
					rec.commit()
					injected(1)
					<-r.Context().Done() // never answers
				}
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				start := time.Now()
				err := writeCall(c, method)
				scanErr(t, err)
				checkLost(t, err, rec)
				if d := time.Since(start); d != DefaultTimeout {
					t.Errorf("returned after %v, want the per-attempt timeout %v", d, DefaultTimeout)
				}
			})
		}
	})
	t.Run("DELETE_404_after_lost_answer_is_done", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rec := newRecorder(nil)
			rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
				if i == 0 {
					rec.commit() // deleted, answer lost
					injected(1)
					dropConn(w)
					return
				}
				phError(w, http.StatusNotFound, "invalid_request", "not_found", "Not found.")
			}
			pn := newPipeNet(rec)
			defer pn.close()
			c := pn.client(t, WithLogger(env.logger()))
			if err := c.Members.Delete(context.Background(), OrganizationID(relOrgID), UserUUID(relUserID)); err != nil {
				t.Errorf("Delete = %v, want success (the lost attempt deleted it)", err)
			}
			if hs, commits := rec.snapshot(); len(hs) != 2 || commits != 1 {
				t.Errorf("hits = %d, commits = %d", len(hs), commits)
			}
		})
	})
	t.Run("DELETE_404_after_5xx_is_done", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
				if i == 0 {
					injected(1)
					phError(w, http.StatusBadGateway, "server_error", "error", "bad gateway")
					return
				}
				phError(w, http.StatusNotFound, "invalid_request", "not_found", "Not found.")
			})
			pn := newPipeNet(rec)
			defer pn.close()
			c := pn.client(t)
			if err := c.Members.Delete(context.Background(), OrganizationID(relOrgID), UserUUID(relUserID)); err != nil {
				t.Errorf("Delete = %v, want success", err)
			}
		})
	})
	t.Run("DELETE_404_first_is_not_found", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
				phError(w, http.StatusNotFound, "invalid_request", "not_found", "Not found.")
			})
			pn := newPipeNet(rec)
			defer pn.close()
			c := pn.client(t)
			if err := c.Members.Delete(context.Background(), OrganizationID(relOrgID), UserUUID(relUserID)); !errors.Is(err, ErrNotFound) {
				t.Errorf("Delete = %v, want ErrNotFound", err)
			}
		})
	})
	t.Run("DELETE_404_after_connect_failure_is_not_found", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
				phError(w, http.StatusNotFound, "invalid_request", "not_found", "Not found.")
			})
			pn := newPipeNet(rec)
			defer pn.close()
			c := pn.clientWith(t, failFirstDial(pn.tr))
			if err := c.Members.Delete(context.Background(), OrganizationID(relOrgID), UserUUID(relUserID)); !errors.Is(err, ErrNotFound) {
				t.Errorf("Delete = %v, want ErrNotFound (nothing was sent before)", err)
			}
		})
	})
}

// writeCall runs one write of the given method against relOrgID.
func writeCall(c *Client, method string) error {
	ctx := context.Background()
	switch method {
	case http.MethodPost:
		_, err := c.Organizations.Create(ctx, &OrganizationCreate{Name: "Acme"})
		return err
	case http.MethodPatch:
		name := "Acme 2"
		_, err := c.Organizations.Update(ctx, OrganizationID(relOrgID), &OrganizationUpdate{Name: &name})
		return err
	case http.MethodPut:
		_, err := c.Organizations.Replace(ctx, OrganizationID(relOrgID), &OrganizationCreate{Name: "Acme 3"})
		return err
	}
	panic(method)
}

func checkLost(t *testing.T, err error, rec *recorder) {
	t.Helper()
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v, want ErrOutcomeUnknown", err)
	}
	var te *TransportError
	if !errors.As(err, &te) || !te.OutcomeUnknown || te.Attempts != 1 {
		t.Errorf("err = %#v, want a *TransportError with OutcomeUnknown after 1 attempt", err)
	}
	hs, commits := rec.snapshot()
	if len(hs) != 1 || commits != 1 {
		t.Errorf("hits = %d, commits = %d, want 1 and 1", len(hs), commits)
	}
	ReliabilityFigure("writes: lost-response writes (calls)", 1)
	ReliabilityFigure("writes: duplicated writes", int64(max(commits-1, 0)))
}

// failFirstDial returns a transport whose first request fails as a
// connection refused (nothing sent), then passes through.
func failFirstDial(base http.RoundTripper) http.RoundTripper {
	var n sync.Mutex
	failed := false
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Lock()
		first := !failed
		failed = true
		n.Unlock()
		if first {
			injected(1)
			if r.Body != nil {
				_ = r.Body.Close()
			}
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
		}
		return base.RoundTrip(r)
	})
}

// ----- 5 ---------------------------------------------------------------------

func TestReliability05_WriteRetriedAfterConnectFailure(t *testing.T) {
	env := newRel(t, true)
	for _, method := range []string{http.MethodPost, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			rec := newRecorder(nil)
			rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
				rec.commit()
				writeJSON(w, http.StatusOK, relOrgJSON)
			}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			c := loopClient(t, srv.URL, WithLogger(env.logger()),
				WithHTTPClient(&http.Client{Transport: failFirstDial(srv.Client().Transport)}))
			if err := writeCall(c, method); err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			if hs, commits := rec.snapshot(); len(hs) != 1 || commits != 1 {
				t.Errorf("hits = %d, commits = %d, want 1 and 1", len(hs), commits)
			}
			ReliabilityFigure("writes: connect-failure writes retried (calls)", 1)
		})
	}
	t.Run("real_connection_refused", func(t *testing.T) {
		// A port nobody listens on: every attempt is refused, every
		// attempt is retried (nothing was sent), and the error does
		// not say "outcome unknown".
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		c := loopClient(t, "http://"+addr, WithLogger(env.logger()))
		_, err = c.Organizations.Create(context.Background(), &OrganizationCreate{Name: "Acme"})
		scanErr(t, err)
		var te *TransportError
		if !errors.As(err, &te) || te.OutcomeUnknown || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("err = %v, want a TransportError without OutcomeUnknown", err)
		}
		if te.Attempts != DefaultMaxRetries+1 {
			t.Errorf("attempts = %d, want %d", te.Attempts, DefaultMaxRetries+1)
		}
		if !isConnectError(err) {
			t.Errorf("isConnectError(%v) = false", err)
		}
	})
	t.Run("classification", func(t *testing.T) {
		for _, tc := range []struct {
			err  error
			want bool
		}{
			{&net.OpError{Op: "dial", Err: errors.New("refused")}, true},
			{fmt.Errorf("wrapped: %w", &net.OpError{Op: "dial", Err: errors.New("i/o timeout")}), true},
			{&net.DNSError{Err: "no such host", Name: "x"}, true},
			{&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, false},
			{&net.OpError{Op: "write", Err: errors.New("broken pipe")}, false},
			{errors.New("EOF"), false},
			{context.DeadlineExceeded, false},
		} {
			if got := isConnectError(tc.err); got != tc.want {
				t.Errorf("isConnectError(%v) = %v", tc.err, got)
			}
		}
	})
}

// ----- 6 ---------------------------------------------------------------------

func TestReliability06_RetryAfterSecondsHonoured(t *testing.T) {
	env := newRel(t, true)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				tl := &throttleLog{}
				rec := newRecorder(nil)
				rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
					if i == 0 {
						tl.add(i, 7*time.Second)
						w.Header().Set("Retry-After", "7")
						phError(w, 429, "throttled_error", "throttled", "Request was throttled.")
						return
					}
					rec.commit()
					writeJSON(w, http.StatusOK, relOrgJSON)
				}
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				var err error
				if method == http.MethodGet {
					_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				} else {
					err = writeCall(c, method)
				}
				if err != nil {
					t.Fatal(err)
				}
				hs, commits := rec.snapshot()
				if len(hs) != 2 || commits != 1 {
					t.Fatalf("hits = %d, commits = %d", len(hs), commits)
				}
				if g := hs[1].at.Sub(hs[0].at); g < 7*time.Second {
					t.Errorf("retried after %v, want >= 7s", g)
				}
				if n := tl.early(hs, true); n != 0 {
					t.Errorf("%d early retries", n)
				}
			})
		})
	}
}

// ----- 7 ---------------------------------------------------------------------

func TestReliability07_ExpectedAvailableDetailHonoured(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		name, header, detail string
		want                 time.Duration
	}{
		{"detail_only", "", "Request was throttled. Expected available in 12 seconds.", 12 * time.Second},
		{"header_shorter_than_detail", "3", "Request was throttled. Expected available in 12 seconds.", 12 * time.Second},
		{"header_longer_than_detail", "20", "Request was throttled. Expected available in 2 seconds.", 20 * time.Second},
		{"header_only", "9", "Request was throttled.", 9 * time.Second},
		{"garbage_header_and_detail", "soon", "Request was throttled. Expected available in 12 seconds.", 12 * time.Second},
		{"fractional_detail_rounded_up", "", "Request was throttled. Expected available in 0.4 seconds.", time.Second},
		{"singular_second", "", "Request was throttled. Expected available in 1 second.", time.Second},
		{"http_date", "date+9s", "Request was throttled.", 9 * time.Second},
		{"no_hint_backoff_floor", "", "Request was throttled.", DefaultRetryWaitMin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				tl := &throttleLog{}
				rec := newRecorder(nil)
				rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
					if i == 0 {
						tl.add(i, tc.want)
						h := tc.header
						if h == "date+9s" {
							h = time.Now().Add(9 * time.Second).UTC().Format(http.TimeFormat)
						}
						if h != "" {
							w.Header().Set("Retry-After", h)
						}
						phError(w, 429, "throttled_error", "throttled", tc.detail)
						return
					}
					rec.commit()
					writeJSON(w, http.StatusOK, relOrgJSON)
				}
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				if err := writeCall(c, http.MethodPatch); err != nil {
					t.Fatal(err)
				}
				hs, commits := rec.snapshot()
				if len(hs) != 2 || commits != 1 {
					t.Fatalf("hits = %d, commits = %d", len(hs), commits)
				}
				if g := hs[1].at.Sub(hs[0].at); g < tc.want {
					t.Errorf("retried after %v, want >= %v", g, tc.want)
				}
				if n := tl.early(hs, true); n != 0 {
					t.Errorf("%d early retries", n)
				}
			})
		})
	}
}

// ----- 8 ---------------------------------------------------------------------

func TestReliability08_LongRetryAfterReturnsRateLimitError(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		name, header, detail string
		want                 time.Duration
	}{
		{"seconds", "3600", "Request was throttled.", time.Hour},
		{"http_date_a_day_ahead", "date+24h", "Request was throttled.", 24 * time.Hour},
		{"detail", "", "Request was throttled. Expected available in 3600 seconds.", time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				tl := &throttleLog{}
				rec := newRecorder(nil)
				rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
					if i == 0 {
						tl.add(i, tc.want)
						h := tc.header
						if h == "date+24h" {
							h = time.Now().Add(24 * time.Hour).UTC().Format(http.TimeFormat)
						}
						if h != "" {
							w.Header().Set("Retry-After", h)
						}
						phError(w, 429, "throttled_error", "throttled", tc.detail)
						return
					}
					writeJSON(w, http.StatusOK, relOrgJSON)
				}
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				start := time.Now()
				_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				scanErr(t, err)
				var rle *RateLimitError
				if !errors.As(err, &rle) || !errors.Is(err, ErrRateLimited) {
					t.Fatalf("err = %v, want *RateLimitError", err)
				}
				if rle.RetryAfter != tc.want {
					t.Errorf("RetryAfter = %v, want %v", rle.RetryAfter, tc.want)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("waited %v before giving up, want 0", d)
				}
				// Another call sharing the client fails fast too,
				// without sending anything.
				_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				if !errors.As(err, &rle) || rle.RetryAfter <= DefaultMaxRetryWait {
					t.Errorf("second call: %v, want a *RateLimitError without sending", err)
				}
				if n := rec.count(); n != 1 {
					t.Errorf("hits = %d, want 1", n)
				}
				hs, _ := rec.snapshot()
				if n := tl.early(hs, true); n != 0 {
					t.Errorf("%d early requests", n)
				}
				// The gate holds other calls back for at most an hour (a
				// bogus Retry-After cannot stop a client for days); after
				// that, the caller's own calls go out.
				time.Sleep(min(tc.want, maxGateBlock))
				if _, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID)); err != nil {
					t.Errorf("after the wait: %v", err)
				}
			})
		})
	}
}

// ----- 9 ---------------------------------------------------------------------

func TestReliability09_ZeroOrGarbageRetryAfterNoHotLoop(t *testing.T) {
	env := newRel(t, true)
	for _, h := range []string{"0", "-5", "garbage", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "", "1e9", "99999999999999999999"} {
		for _, status := range []int{429, 503} {
			t.Run(fmt.Sprintf("%d_%q", status, h), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
						injected(1)
						if status == 429 {
							ReliabilityFigure("rate limits: 429 answers served", 1)
						}
						if h != "" {
							w.Header().Set("Retry-After", h)
						}
						phError(w, status, "throttled_error", "throttled", "Request was throttled.")
					})
					pn := newPipeNet(rec)
					defer pn.close()
					c := pn.client(t, WithLogger(env.logger()))
					_, err := c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
					scanErr(t, err)
					hs, _ := rec.snapshot()
					if h == "99999999999999999999" {
						// Parses as a huge wait (capped at a week): above the cap, so no retry at all.
						if len(hs) != 1 {
							t.Errorf("hits = %d, want 1", len(hs))
						}
						return
					}
					if len(hs) != DefaultMaxRetries+1 {
						t.Errorf("hits = %d, want %d", len(hs), DefaultMaxRetries+1)
					}
					for _, g := range gaps(hs) {
						ReliabilityFigure("rate limits: retry gaps checked against the floor", 1)
						if g < DefaultRetryWaitMin {
							t.Errorf("gap %v below the floor %v", g, DefaultRetryWaitMin)
						}
					}
				})
			})
		}
	}
}

// ----- 10 --------------------------------------------------------------------

func TestReliability10_NonRetryableStatusesTyped(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		status int
		body   string
		is     []error
		scope  string
	}{
		{512, `{"type":"server_error","code":"EstimatedQueryExecutionTimeTooLong","detail":"Estimated query execution time is too long.","attr":null}`, []error{ErrServer}, ""},
		{501, `{"detail":"Not implemented."}`, []error{ErrServer}, ""},
		{400, `{"type":"validation_error","code":"required","detail":"This field is required.","attr":"name"}`, []error{ErrValidation}, ""},
		{401, `{"type":"authentication_error","code":"authentication_failed","detail":"Personal API key found in request Authorization header is invalid.","attr":null}`, []error{ErrUnauthorized}, ""},
		{403, `{"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'organization:read'","attr":null}`, []error{ErrPermissionDenied, ErrMissingScope}, "organization:read"},
		{403, `{"type":"authentication_error","code":"permission_denied","detail":"This action does not support Personal API Key access","attr":null}`, []error{ErrPermissionDenied, ErrPersonalAPIKeyNotSupported}, ""},
		{404, `{"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null}`, []error{ErrNotFound}, ""},
		{409, `{"type":"invalid_request","code":"conflict","detail":"Conflict.","attr":null}`, nil, ""},
		{402, `{"detail":"Payment required."}`, nil, ""},
		{405, `{"type":"invalid_request","code":"method_not_allowed","detail":"Method \"PATCH\" not allowed.","attr":null}`, nil, ""},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
				injected(1)
				writeJSON(w, tc.status, tc.body)
			})
			srv := httptest.NewServer(rec)
			defer srv.Close()
			c := loopClient(t, srv.URL, WithLogger(env.logger()))
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var err error
				if method == http.MethodGet {
					_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				} else {
					err = writeCall(c, method)
				}
				scanErr(t, err)
				var ae *APIError
				if !errors.As(err, &ae) || ae.StatusCode != tc.status || ae.Attempts != 1 {
					t.Fatalf("%s: err = %v, want an *APIError %d after 1 attempt", method, err, tc.status)
				}
				for _, want := range tc.is {
					if !errors.Is(err, want) {
						t.Errorf("%s: %v is not %v", method, err, want)
					}
				}
				var se *ScopeError
				if got := errors.As(err, &se); got != (tc.scope != "") || got && se.Scope != tc.scope {
					t.Errorf("%s: ScopeError = %v", method, se)
				}
			}
			if n := rec.count(); n != 2 {
				t.Errorf("hits = %d, want 2 (one per call)", n)
			}
		})
	}
}

// ----- 11 --------------------------------------------------------------------

func TestReliability11_CancelDuringBackoff(t *testing.T) {
	env := newRel(t, true)
	for _, tc := range []struct {
		name     string
		status   int
		header   string
		cancelAt time.Duration
	}{
		{"5xx_backoff", 503, "", 100 * time.Millisecond},
		{"429_retry_after", 429, "10", 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
					injected(1)
					if tc.header != "" {
						w.Header().Set("Retry-After", tc.header)
					}
					phError(w, tc.status, "server_error", "error", "try later")
				})
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				timer := time.AfterFunc(tc.cancelAt, cancel)
				defer timer.Stop()
				start := time.Now()
				_, err := c.Organizations.Get(ctx, OrganizationID(relOrgID))
				scanErr(t, err)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
				if d := time.Since(start); d != tc.cancelAt {
					t.Errorf("returned %v after start, want at the cancel (%v)", d, tc.cancelAt)
				}
				time.Sleep(time.Minute)
				synctest.Wait()
				if n := rec.count(); n != 1 {
					t.Errorf("hits = %d, want 1", n)
				}
			})
		})
	}
}

// ----- 12 --------------------------------------------------------------------

func TestReliability12_DeadlineWhileServerSlow(t *testing.T) {
	env := newRel(t, true)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(nil)
				rec.script = func(i int, w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost {
						rec.commit()
					}
					injected(1)
					select {
					case <-r.Context().Done():
					case <-time.After(time.Hour):
					}
				}
				pn := newPipeNet(rec)
				defer pn.close()
				c := pn.client(t, WithLogger(env.logger()))
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				start := time.Now()
				var err error
				if method == http.MethodGet {
					_, err = c.Organizations.Get(ctx, OrganizationID(relOrgID))
				} else {
					_, err = c.Organizations.Create(ctx, &OrganizationCreate{Name: "Acme"})
				}
				scanErr(t, err)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want DeadlineExceeded", err)
				}
				if d := time.Since(start); d != 5*time.Second {
					t.Errorf("returned after %v, want 5s", d)
				}
				if method == http.MethodPost && !errors.Is(err, ErrOutcomeUnknown) {
					t.Errorf("POST err = %v, want ErrOutcomeUnknown too", err)
				}
				time.Sleep(10 * time.Minute)
				synctest.Wait()
				if hs, commits := rec.snapshot(); len(hs) != 1 || commits > 1 {
					t.Errorf("hits = %d, commits = %d after the deadline, want 1", len(hs), commits)
				}
			})
		})
	}
}

// ----- 13 --------------------------------------------------------------------

func TestReliability13_DefaultPerAttemptTimeout(t *testing.T) {
	env := newRel(t, true)
	t.Run("defaults", func(t *testing.T) {
		c, err := NewClient(testKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := attemptTimeout(t, c); got != DefaultTimeout {
			t.Errorf("NewClient: timeout = %v, want %v", got, DefaultTimeout)
		}
		c, _ = NewClient(testKey, WithHTTPClient(&http.Client{}))
		if got := attemptTimeout(t, c); got != DefaultTimeout {
			t.Errorf("WithHTTPClient(zero Timeout): timeout = %v, want %v", got, DefaultTimeout)
		}
		c, _ = NewClient(testKey, WithHTTPClient(&http.Client{Timeout: time.Second}))
		if got := attemptTimeout(t, c); got != time.Second {
			t.Errorf("WithHTTPClient(1s): timeout = %v", got)
		}
		c, _ = NewClient(testKey, WithHTTPClient(&http.Client{Timeout: time.Second}), WithTimeout(0))
		if got := attemptTimeout(t, c); got != 0 {
			t.Errorf("WithTimeout(0): timeout = %v", got)
		}
	})
	for _, tc := range []struct {
		name    string
		method  string
		retries int
	}{
		{"GET", http.MethodGet, DefaultMaxRetries},
		{"GET_many_retries_bounded_by_MaxRetryElapsed", http.MethodGet, 50},
		{"POST", http.MethodPost, DefaultMaxRetries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(func(i int, w http.ResponseWriter, r *http.Request) {
					injected(1)
					<-r.Context().Done() // accepts, never sends headers
				})
				pn := newPipeNet(rec)
				defer pn.close()
				// No WithTimeout and no context deadline: SDK defaults.
				c := pn.client(t, WithLogger(env.logger()), WithMaxRetries(tc.retries))
				start := time.Now()
				var err error
				if tc.method == http.MethodGet {
					_, err = c.Organizations.Get(context.Background(), OrganizationID(relOrgID))
				} else {
					err = writeCall(c, tc.method)
				}
				scanErr(t, err)
				elapsed := time.Since(start)
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					t.Errorf("err = %v, want a timeout", err)
				}
				hs, _ := rec.snapshot()
				for _, g := range gaps(hs) {
					if g < DefaultTimeout {
						t.Errorf("attempt lasted %v, want >= %v", g, DefaultTimeout)
					}
				}
				if tc.method == http.MethodPost {
					if len(hs) != 1 || elapsed != DefaultTimeout || !errors.Is(err, ErrOutcomeUnknown) {
						t.Errorf("POST: hits = %d, elapsed %v, err %v", len(hs), elapsed, err)
					}
					return
				}
				if elapsed > DefaultMaxRetryElapsed+DefaultTimeout {
					t.Errorf("call took %v, above MaxRetryElapsed + Timeout", elapsed)
				}
				if tc.retries == DefaultMaxRetries && len(hs) != DefaultMaxRetries+1 {
					t.Errorf("hits = %d, want %d", len(hs), DefaultMaxRetries+1)
				}
				ReliabilityFigureMax("bounds: longest call against a silent server, no deadline (s)", int64(elapsed/time.Second))
				t.Logf("%s: %d attempts in %v (virtual)", tc.name, len(hs), elapsed)
			})
		})
	}
}

// attemptTimeout returns the client's per-attempt timeout, and checks that
// it is the SDK's own transport that enforces it: an http.Client.Timeout
// would make net/http pay its cancellation fallback (a timer and a
// goroutine per attempt) over the SDK's RoundTripper.
func attemptTimeout(t *testing.T, c *Client) time.Duration {
	t.Helper()
	if got := c.rc.HTTPClient.Timeout; got != 0 {
		t.Errorf("http.Client.Timeout = %v, want 0 (the timeout is a context deadline in authTransport)", got)
	}
	at, ok := c.rc.HTTPClient.Transport.(*authTransport)
	if !ok {
		t.Fatalf("transport = %T, want *authTransport", c.rc.HTTPClient.Transport)
	}
	return at.timeout
}
