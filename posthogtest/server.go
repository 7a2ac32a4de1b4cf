package posthogtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Server is an in-memory PostHog. Its methods are safe for concurrent use.
type Server struct {
	hs  *httptest.Server
	mux *http.ServeMux

	mu            sync.Mutex
	clock         func() time.Time
	deterministic bool
	idCounter     uint64
	nextUserID    int64

	users    []*user
	orgs     []*org
	keys     map[string]*apiKey
	defUser  *user
	defOrg   *org
	faults   []*fault
	requests []Request
	areas    areaStates
	throttle *throttle
	// legacyUnscoped lets keys without scopes do anything (LegacyUnscopedKeys).
	legacyUnscoped bool
	// latency is how long each request waits before it is handled
	// (WithLatency).
	latency time.Duration
	// routeScopes are the routes with the scope each requires, in the
	// order registered; doc.go's scope table is checked against them.
	routeScopes []routeScope

	// Hooks the areas register (see registerAreas): onMemberRemoved lets an area
	// (roles) drop what belonged to a removed member; onMemberJoined lets
	// an area (roles) give a user who joins an organization what PostHog
	// gives them; orgFeatureSources give the billing features each area's
	// plan helpers (SetProjectLimit, SetMaxProxyRecords, SetDomainFeatures)
	// grant an organization, so that available_product_features shows the
	// plan the server enforces: one fact, one state.
	onMemberRemoved   []func(*Server, *org, *membership)
	onMemberJoined    []func(*Server, *org, *membership)
	orgFeatureSources []func(*Server, *org) []map[string]any
}

// areaStates holds each API area's state, one typed field per area; a
// field's zero value is the area's empty state. Callers hold s.mu.
type areaStates struct {
	batchExports         batchExportsState
	projectBatchExports  projectBatchExportsState
	domain               domainState
	idp                  idpState
	flag                 flagState
	integrations         integrationsState
	projectIntegrations  projectIntegrationsState
	invite               inviteState
	legal                legalState
	githubLogin          githubLoginState
	oauthApp             oauthAppState
	rollback             rollbackState
	personalAPIKey       personalAPIKeyState
	projects             projectsState
	ingestionRestriction ingestionRestrictionState
	proxy                proxyState
	transfer             transferState
	roleExtRef           roleExtRefState
	role                 roleState
}

// routeScope is one registered route and the scope it requires.
type routeScope struct{ pattern, scope string }

// Option configures a Server.
type Option func(*Server)

// WithDeterministicIDs makes every generated UUID and key predictable
// (counting up from 00000000-0000-4000-8000-000000000001), for tests and
// examples with fixed output.
func WithDeterministicIDs() Option { return func(s *Server) { s.deterministic = true } }

// WithClock sets the clock used for created/updated times.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.clock = now
		}
	}
}

// WithFixedClock makes every timestamp t.
func WithFixedClock(t time.Time) Option { return WithClock(func() time.Time { return t }) }

// WithRateLimit makes the server throttle each key as PostHog Cloud does:
// at most perMinute requests in any minute and perHour in any hour (0 or
// less: no limit on that window). A throttled request gets PostHog's 429
// body ("Request was throttled. Expected available in N seconds.") and a
// Retry-After header with the same N.
func WithRateLimit(perMinute, perHour int) Option {
	return WithRateWindows(RateWindow{perMinute, time.Minute}, RateWindow{perHour, time.Hour})
}

// WithRateWindows throttles each key with the given sliding windows (say,
// PostHog's two scaled down for a quick test: 48 per 6 s and 480 per 60 s),
// answering 429 like WithRateLimit. Windows with Requests or Per at 0 or
// less are ignored.
func WithRateWindows(windows ...RateWindow) Option {
	return func(s *Server) { s.throttle = newThrottle(windows) }
}

// registerAreas registers every API area on s, from this one list: each
// function, in its area's file, adds the area's routes (s.route) and its
// hooks to this server. Options have run, so an area can read them.
func (s *Server) registerAreas() {
	registerBatchExports(s)
	registerDomains(s) // and registerIdentityProviderConfigs unless WithLegacyDomainSSO
	registerFeatureFlags(s)
	registerIntegrations(s)
	registerInvites(s)
	registerLegalDocuments(s)
	registerMembers(s)
	registerOAuthApplications(s)
	registerOrganizations(s)
	registerPersonalAPIKeys(s)
	registerProjectBatchExports(s)
	registerProjectIntegrations(s)
	registerProjects(s)
	registerProjectSettings(s)
	registerProxyRecords(s)
	registerResourceTransfers(s)
	registerRoleExternalReferences(s)
	registerRoles(s)
	registerUsers(s)
}

// NewServer starts a server on a loopback address. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		mux:        http.NewServeMux(),
		clock:      time.Now,
		keys:       map[string]*apiKey{},
		nextUserID: 1,
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.registerAreas()
	s.defUser = s.addUser(UserSeed{Email: "owner@example.com", FirstName: "Olive", LastName: "Owner", Is2FAEnabled: true})
	s.defOrg = s.addOrg("Test Organization", s.defUser)
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL returns the server's base URL (http://127.0.0.1:port), for
// posthogapi.WithBaseURL.
func (s *Server) URL() string { return s.hs.URL }

// Close shuts the server down and closes its connections.
func (s *Server) Close() {
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// HTTPServer returns the underlying httptest.Server (for its ConnState hook
// or its client).
func (s *Server) HTTPServer() *httptest.Server { return s.hs }

func (s *Server) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// newID returns a fresh UUID (random, or counting with WithDeterministicIDs).
// Callers hold s.mu.
func (s *Server) newID() uuid.UUID {
	if !s.deterministic {
		return uuid.New()
	}
	s.idCounter++
	u, _ := uuid.Parse(fmt.Sprintf("00000000-0000-4000-8000-%012x", s.idCounter))
	return u
}

func (s *Server) newSecret(prefix string) string {
	if s.deterministic {
		s.idCounter++
		return fmt.Sprintf("%s%032x", prefix, s.idCounter)
	}
	var b [20]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// ----- routing ---------------------------------------------------------------

// handler serves one route with the request's context.
type handler func(rc *reqCtx)

// noScope marks an action with no required scopes: PostHog rejects
// personal API keys there.
const noScope = ""

// route registers pattern ("METHOD /api/organizations/...", with the
// trailing slash) behind authentication and the scope check.
func (s *Server) route(pattern, scope string, h handler) {
	s.routeScopes = append(s.routeScopes, routeScope{pattern, scope})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		rc := r.Context().Value(reqCtxKey{}).(*reqCtx)
		if !rc.authenticate() {
			return
		}
		if !rc.admit() {
			return
		}
		if !rc.checkScope(scope) {
			return
		}
		h(rc)
	})
}

type reqCtxKey struct{}

// reqCtx carries one request through authentication and a handler.
type reqCtx struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	key  *apiKey
	user *user
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	rec := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Body:   string(body),
		Header: r.Header.Clone(),
		APIKey: bearer(r),
	}
	if !s.wait(r) {
		s.record(rec, 0)
		return
	}
	f := s.takeFault(r)
	if f != nil && f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			s.record(rec, 0)
			return
		case <-t.C:
		}
	}
	if f != nil && (f.Status != 0 || f.DatabaseUnavailable) && !f.runsRequest() {
		s.record(rec, f.status())
		f.write(w)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "/") {
		// PostHog's routes take the trailing slash as optional.
		r.URL.Path += "/"
		r.URL.RawPath = ""
	}
	// The answer is rendered under the server's lock and sent after it, so
	// that answers in flight reach the network at once, as a real
	// server's do, instead of one after another.
	rw := httptest.NewRecorder()
	s.dispatch(rw, r, body)
	s.record(rec, rw.Code)
	if f != nil && f.runsRequest() {
		// The request ran in full: now lose or spoil its answer.
		answerAfterCommit(w, rw, f)
		return
	}
	copyRecorded(w, rw)
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rc := &reqCtx{s: s, w: w, r: r, body: body}
	r = r.WithContext(context.WithValue(r.Context(), reqCtxKey{}, rc))
	rc.r = r
	if _, pattern := s.mux.Handler(r); pattern == "" {
		if !rc.authenticate() {
			return
		}
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, p := s.mux.Handler(r2); p != "" {
				rc.error(http.StatusMethodNotAllowed, "invalid_request", "method_not_allowed", fmt.Sprintf("Method %q not allowed.", r.Method), "")
				return
			}
		}
		rc.error(http.StatusNotFound, "invalid_request", "not_found", "Endpoint not found.", "")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// ----- responses -------------------------------------------------------------

func (rc *reqCtx) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
		return
	}
	rc.w.Header().Set("Content-Type", "application/json")
	rc.w.WriteHeader(status)
	_, _ = rc.w.Write(b)
}

func (rc *reqCtx) noContent() { rc.w.WriteHeader(http.StatusNoContent) }

// error writes PostHog's error body {"type","code","detail","attr"}.
func (rc *reqCtx) error(status int, typ, code, detail, attr string) {
	writeError(rc.w, status, typ, code, detail, attr)
}

func writeError(w http.ResponseWriter, status int, typ, code, detail, attr string) {
	body := map[string]any{"type": typ, "code": code, "detail": detail, "attr": nil}
	if attr != "" {
		body["attr"] = attr
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// detailOnly writes the bare {"detail": ...} some PostHog views answer.
func (rc *reqCtx) detailOnly(status int, detail string) {
	rc.json(status, map[string]string{"detail": detail})
}

// PostHog: DRF Http404, rendered by exceptions_hog handler.py.
func (rc *reqCtx) notFound() {
	rc.error(http.StatusNotFound, "invalid_request", "not_found", "Not found.", "")
}

// PostHog: DRF PermissionDenied, rendered by exceptions_hog handler.py.
func (rc *reqCtx) forbidden(detail string) {
	rc.error(http.StatusForbidden, "authentication_error", "permission_denied", detail, "")
}

// invalid answers a 400 validation error. Code "invalid" becomes
// "invalid_input", as PostHog's error handler rewrites it for every
// ValidationError (PostHog: drf-exceptions-hog handler.py
// _get_main_exception_and_code.override_or_return).
func (rc *reqCtx) invalid(code, detail, attr string) {
	if code == "invalid" {
		code = "invalid_input"
	}
	rc.error(http.StatusBadRequest, "validation_error", code, detail, attr)
}

// PostHog: DRF Field.fail("required"), "This field is required.".
func (rc *reqCtx) required(attr string) {
	rc.invalid("required", "This field is required.", attr)
}

// decode parses the JSON body into v, answering 400 and returning false on
// malformed JSON.
// PostHog: DRF JSONParser ParseError ("JSON parse error - ...").
func (rc *reqCtx) decode(v any) bool {
	if len(bytes.TrimSpace(rc.body)) == 0 {
		rc.body = []byte("{}")
	}
	if err := json.Unmarshal(rc.body, v); err != nil {
		rc.error(http.StatusBadRequest, "invalid_request", "parse_error", "JSON parse error - "+err.Error(), "")
		return false
	}
	return true
}

// fields parses the JSON body as an object; nil and a 400 when it is not one.
func (rc *reqCtx) fields() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if !rc.decode(&m) {
		return nil
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	return m
}

// page answers a limit/offset page of items with PostHog's absolute next and
// previous links.
func page[T any](rc *reqCtx, items []T) {
	pageOf(rc, items, func(x T) T { return x })
}

// pageOf is page for items rendered one by one: only the page's items are
// rendered, so a long list costs its page, not its length.
func pageOf[T, U any](rc *reqCtx, items []T, render func(T) U) {
	q := rc.r.URL.Query()
	limit, offset := 100, 0
	if v := q.Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			limit = n
		}
	}
	if v := q.Get("offset"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			offset = n
		}
	}
	total := len(items)
	lo, hi := min(offset, total), min(offset+limit, total)
	results := make([]U, 0, hi-lo)
	for _, x := range items[lo:hi] {
		results = append(results, render(x))
	}
	body := struct {
		Count    int     `json:"count"`
		Next     *string `json:"next"`
		Previous *string `json:"previous"`
		Results  []U     `json:"results"`
	}{Count: total, Results: results}
	if offset+limit < total {
		next := rc.pageURL(limit, offset+limit)
		body.Next = &next
	}
	if offset > 0 {
		prev := rc.pageURL(limit, max(offset-limit, 0))
		body.Previous = &prev
	}
	rc.json(http.StatusOK, body)
}

// pageURL builds an absolute URL for this request with limit and offset
// replaced, as DRF's build_absolute_uri does.
func (rc *reqCtx) pageURL(limit, offset int) string {
	q := rc.r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	} else {
		q.Del("offset")
	}
	u := url.URL{Scheme: "http", Host: rc.r.Host, Path: rc.r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// sortedBy sorts a copy of items by less.
func sortedBy[T any](items []T, less func(a, b T) bool) []T {
	out := append([]T(nil), items...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// newestFirst returns items ordered by created time, newest first; among
// equal times the one later in items (created later) comes first, as
// PostHog's ordering "-created_at" on auto-increment or time-ordered rows.
func newestFirst[T any](items []T, created func(T) time.Time) []T {
	out := slices.Clone(items)
	slices.Reverse(out)
	return sortedBy(out, func(a, b T) bool { return created(a).After(created(b)) })
}

// toUUIDs converts typed IDs to the plain UUIDs the fake keeps.
func toUUIDs[T ~[16]byte](ids []T) []uuid.UUID {
	out := make([]uuid.UUID, len(ids))
	for i, id := range ids {
		out[i] = uuid.UUID(id)
	}
	return out
}

// typedIDs converts the fake's plain UUIDs to typed IDs.
func typedIDs[T ~[16]byte](ids []uuid.UUID) []T {
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = T(id)
	}
	return out
}

// fromPath resolves the UUID in the path value name with find. A value that
// is not a UUID, or that find does not know, answers 404 "Not found." and
// gives nil, as DRF's get_object_or_404 does for a viewset's queryset.
func fromPath[T any](rc *reqCtx, name string, find func(uuid.UUID) *T) *T {
	var v *T
	if id, err := uuid.Parse(rc.r.PathValue(name)); err == nil {
		v = find(id)
	}
	if v == nil {
		rc.notFound()
	}
	return v
}
