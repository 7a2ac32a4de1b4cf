package posthogtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Fault makes the server misbehave for matching requests, for tests of a
// program's resilience. The zero Method and Path match every request.
type Fault struct {
	// Method limits the fault to one HTTP method ("" = any).
	Method string
	// Path limits the fault to URL paths starting with this prefix ("" = any).
	Path string
	// Skip lets this many matching requests through untouched before the
	// fault applies (to fail, say, the second page or the second write).
	Skip int
	// Times is how many matching requests get the fault (0 means 1).
	Times int
	// Status answers with this status (and PostHog's error body for it, or
	// Body) instead of running the request.
	Status int
	// RetryAfter sets the Retry-After header of the faulty answer.
	RetryAfter string
	// Body replaces the faulty answer's body; ContentType its type
	// (default application/json).
	Body, ContentType string
	// Delay holds the request this long before handling it (or before the
	// faulty answer). The request's own cancellation ends the wait.
	Delay time.Duration
	// DropConnection runs the request in full, then closes the connection
	// without answering: a lost response. Status is ignored.
	DropConnection bool
	// AfterCommit runs the request in full, keeping what it changed, and
	// then answers Status (with PostHog's error body for it, or Body)
	// instead of the request's own answer: a 5xx after the write was
	// committed (as when PostHog fails after its database commit, or a proxy
	// answers 502/504 for a backend that finished), or, with a 2xx Status
	// and a Body that is not the expected JSON, a write done with an
	// unreadable answer (a request that failed keeps its own answer then).
	// The request log records the request's own status.
	AfterCommit bool
	// TruncateBody runs the request in full and sends its own status and
	// headers, with a Content-Length for the whole body, then only the
	// first half of the body, and closes the connection: the answer is cut
	// off after its (2xx) status. Status is ignored.
	TruncateBody bool
	// DatabaseUnavailable answers as the newest PostHog does when its
	// Postgres fails transiently: 503 {"type":"server_error","code":
	// "database_unavailable",...} with Retry-After: 1, without running the
	// request. Status, Body and RetryAfter are ignored. With CommitFirst
	// the request runs in full before the 503 (the write happened but the
	// answer says it failed).
	DatabaseUnavailable bool
	// CommitFirst, with DatabaseUnavailable, runs the request before
	// answering 503.
	CommitFirst bool
}

// DatabaseUnavailableDetail is the detail of the DatabaseUnavailable
// fault's answer. PostHog's exact wording was not available to check (only
// the status, type, code and Retry-After: 1 were); clients must not depend
// on it.
const DatabaseUnavailableDetail = "The database is temporarily unavailable. Please try again."

// FaultDatabaseUnavailable returns a fault that answers the next times
// matching requests with the newest server's 503 database_unavailable.
func FaultDatabaseUnavailable(method, path string, times int) Fault {
	return Fault{Method: method, Path: path, Times: times, DatabaseUnavailable: true}
}

// status is the status the fault answers.
func (f *fault) status() int {
	if f.DatabaseUnavailable {
		return http.StatusServiceUnavailable
	}
	return f.Status
}

// runsRequest reports whether the request runs before the fault applies.
func (f *fault) runsRequest() bool {
	return f.DropConnection || f.AfterCommit || f.TruncateBody || (f.DatabaseUnavailable && f.CommitFirst)
}

// answerAfterCommit answers a request that ran in full (its answer is in
// rw) as the fault says (AfterCommit, TruncateBody or DropConnection).
func answerAfterCommit(w http.ResponseWriter, rw *httptest.ResponseRecorder, f *fault) {
	switch {
	case f.DatabaseUnavailable && !f.DropConnection && !f.TruncateBody:
		// CommitFirst: the write happened, the answer says it failed.
		f.write(w)
		return
	case f.AfterCommit && !f.DropConnection && !f.TruncateBody:
		if f.Status >= 200 && f.Status <= 299 && (rw.Code < 200 || rw.Code > 299) {
			// No server answers 2xx for a request that failed: it keeps
			// its own answer.
			copyRecorded(w, rw)
			return
		}
		f.write(w)
		return
	case f.TruncateBody && !f.DropConnection:
		full := rw.Body.Bytes()
		for k, v := range rw.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(full)))
		w.WriteHeader(rw.Code)
		_, _ = w.Write(full[:len(full)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
	// Close the connection: no answer at all (DropConnection), or the rest
	// of the body never comes (TruncateBody).
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

type fault struct {
	Fault
	skip, left int
}

// InjectFault adds a fault. Faults are matched in the order they were
// added; each request takes at most one.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := f.Times
	if n <= 0 {
		n = 1
	}
	s.faults = append(s.faults, &fault{Fault: f, skip: max(f.Skip, 0), left: n})
}

// ClearFaults removes all pending faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(r *http.Request) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.Path != "" && !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		if f.skip > 0 {
			f.skip--
			return nil
		}
		f.left--
		if f.left <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}

func (f *fault) write(w http.ResponseWriter) {
	if f.DatabaseUnavailable {
		// PostHog: posthog/exceptions.py (newest) maps transient Postgres
		// errors to 503 code "database_unavailable" with Retry-After: 1.
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "server_error", "database_unavailable", DatabaseUnavailableDetail, "")
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	} else if f.Status == http.StatusTooManyRequests && f.Body == "" {
		// PostHog: drf-exceptions-hog handler.py sets Retry-After on every
		// throttled answer.
		w.Header().Set("Retry-After", "1")
	}
	if f.Body != "" {
		ct := f.ContentType
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	switch {
	case f.Status == http.StatusTooManyRequests:
		writeError(w, f.Status, "throttled_error", "throttled", "Request was throttled. Expected available in 1 second.", "")
	case f.Status >= 500:
		writeError(w, f.Status, "server_error", "error", "A server error occurred.", "")
	case f.Status == http.StatusNotFound:
		writeError(w, f.Status, "invalid_request", "not_found", "Not found.", "")
	case f.Status == http.StatusUnauthorized:
		writeError(w, f.Status, "authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid.", "")
	case f.Status == http.StatusForbidden:
		writeError(w, f.Status, "authentication_error", "permission_denied", "You do not have permission to perform this action.", "")
	default:
		writeError(w, f.Status, "invalid_request", "error", http.StatusText(f.Status), "")
	}
}

// Request is one request the server received, for assertions.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Body   string
	Header http.Header
	// APIKey is the bearer token the request carried ("" if none).
	APIKey string
	// Status is the answer's status (0 when the request ended unanswered).
	Status int
}

func (s *Server) record(r Request, status int) {
	r.Status = status
	s.mu.Lock()
	s.requests = append(s.requests, r)
	s.mu.Unlock()
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// copyRecorded sends a recorded answer as it is.
func copyRecorded(w http.ResponseWriter, rw *httptest.ResponseRecorder) {
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	_, _ = w.Write(rw.Body.Bytes())
}
