package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// The contract check drives every SDK method that calls PostHog against
// posthogtest and validates every request the SDK sends and every answer
// posthogtest gives against PostHog's OpenAPI schemas, the parts the SDK
// uses copied to testdata/ (the newest schema first, then the Nov-2025 one). The only differences allowed are the documented places where
// PostHog's server and its schema disagree (schemaExceptions, mirrored in
// SCHEMA-EXCEPTIONS.md); each must still be needed by some exchange.
// Endpoints that neither schema has are listed in outsideSchemas, exactly.

// exceptionKind says what a schemaException replaces.
type exceptionKind int

const (
	// propertyException replaces one property of a component schema.
	propertyException exceptionKind = iota
	// requiredException replaces a component schema's required list.
	requiredException
	// responseException replaces (or adds) the answer of one operation at
	// one status.
	responseException
	// requestException replaces the JSON request body of one operation.
	requestException
	// queryException adds the query parameters an operation reads that the
	// schema does not list.
	queryException
	// pathException replaces the schema of one path parameter of an
	// operation (property names the parameter).
	pathException
)

// schemaException is one documented difference between what PostHog's
// server does and what its schema (drf-spectacular's output) says.
type schemaException struct {
	kind exceptionKind
	// schema and property name the component schema (property and required
	// exceptions).
	schema, property string
	// op is "METHOD path", the path spelled as in the schema (answer,
	// request and query exceptions), and status the answer's status.
	op     string
	status int
	// replacement is a JSON schema ("" for an answer or a request without a
	// body), for a required exception a JSON array of property names, and
	// for a query exception a JSON object of parameter names to schemas. A
	// schema may use "#/components/schemas/..." references.
	replacement string
	// sends is what the server sends (or accepts), in words.
	sends string
	// why explains the difference, source says where it is documented.
	why, source string
}

func propertyEx(schema, property, replacement, sends, why, source string) schemaException {
	return schemaException{kind: propertyException, schema: schema, property: property, replacement: replacement, sends: sends, why: why, source: source}
}

func requiredEx(schema, replacement, sends, why, source string) schemaException {
	return schemaException{kind: requiredException, schema: schema, replacement: replacement, sends: sends, why: why, source: source}
}

func responseEx(op string, status int, replacement, sends, why, source string) schemaException {
	return schemaException{kind: responseException, op: op, status: status, replacement: replacement, sends: sends, why: why, source: source}
}

func requestEx(op, replacement, sends, why, source string) schemaException {
	return schemaException{kind: requestException, op: op, replacement: replacement, sends: sends, why: why, source: source}
}

func queryEx(op, replacement, sends, why, source string) schemaException {
	return schemaException{kind: queryException, op: op, replacement: replacement, sends: sends, why: why, source: source}
}

func pathParamEx(op, param, replacement, sends, why, source string) schemaException {
	return schemaException{kind: pathException, op: op, property: param, replacement: replacement, sends: sends, why: why, source: source}
}

// cells returns the first two columns of the exception's row in
// SCHEMA-EXCEPTIONS.md.
func (e schemaException) cells() (string, string) {
	switch e.kind {
	case propertyException:
		return "`" + e.schema + "`", "`" + e.property + "`"
	case requiredException:
		return "`" + e.schema + "`", "required list"
	case responseException:
		return "answer " + e.component(), "`" + e.op + "` " + strconv.Itoa(e.status)
	case requestException:
		return "request body " + e.component(), "`" + e.op + "`"
	case pathException:
		return "path parameter `" + e.property + "`", "`" + e.op + "`"
	default:
		return "query parameters", "`" + e.op + "`"
	}
}

// anyUUID matches a UUID of any version (PostHog's IDs are version 7,
// which kin-openapi's RFC 4122 pattern refuses).
const anyUUID = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// Component labels of answers and request bodies the schema does not
// describe with a component.
const (
	labelNoBody   = "(no body in the schema)"
	labelNoStatus = "(status not in the schema)"
	labelInline   = "(inline schema)"
	labelNoOp     = "(operation not in the schemas)"
)

// schemaDocs are the schema files as published, without the exceptions,
// loaded once: component names the component each row of
// SCHEMA-EXCEPTIONS.md must name.
var schemaDocs = sync.OnceValues(func() ([]*openapi3.T, error) {
	var docs []*openapi3.T
	for _, path := range schemaFiles() {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
})

// component names, in backquotes, the schema component of the request
// body (requestException) or of the answer at the status
// (responseException) that the exception replaces, as the newest schema
// file having the operation declares it; or one of the labels above.
func (e schemaException) component() string {
	docs, err := schemaDocs()
	if err != nil {
		return "(schemas unreadable: " + err.Error() + ")"
	}
	for _, doc := range docs {
		op := operationOf(doc, e.op)
		if op == nil {
			continue
		}
		var content openapi3.Content
		if e.kind == requestException {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				return labelNoBody
			}
			content = op.RequestBody.Value.Content
		} else {
			r := op.Responses.Value(strconv.Itoa(e.status))
			if r == nil || r.Value == nil {
				return labelNoStatus
			}
			content = r.Value.Content
		}
		mt := content.Get("application/json")
		switch {
		case mt == nil || mt.Schema == nil:
			return labelNoBody
		case mt.Schema.Ref == "":
			return labelInline
		}
		return "`" + strings.TrimPrefix(mt.Schema.Ref, "#/components/schemas/") + "`"
	}
	return labelNoOp
}

func (e schemaException) String() string {
	a, b := e.cells()
	return strings.ReplaceAll(a+" "+b, "`", "")
}

// recorder keeps every exchange that passes through it.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	ex   []exchange
}

type exchange struct {
	area     string
	req      *http.Request
	reqBody  []byte
	status   int
	header   http.Header
	respBody []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	r.mu.Lock()
	r.ex = append(r.ex, exchange{req: req.Clone(context.Background()), reqBody: body, status: resp.StatusCode, header: resp.Header.Clone(), respBody: rb})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) exchanges() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.ex...)
}

// contract holds the schemas, patched with the exceptions.
type contract struct {
	docs    []*openapi3.T
	routers []routers.Router // newest schema first
	// undo[i] reverts exception i in every document; redo re-applies it.
	undo, redo []func()
}

func loadContract(t *testing.T) *contract {
	t.Helper()
	c := &contract{undo: make([]func(), len(schemaExceptions)), redo: make([]func(), len(schemaExceptions))}
	for _, path := range schemaFiles() {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc.Servers = openapi3.Servers{{URL: "/"}}
		c.docs = append(c.docs, doc)
	}
	for i, e := range schemaExceptions {
		applied := 0
		var undos []func()
		for _, doc := range c.docs {
			undo, err := e.apply(doc)
			if err != nil {
				t.Fatalf("exception %s: %v", e, err)
			}
			if undo != nil {
				applied++
				undos = append(undos, undo)
			}
		}
		if applied == 0 {
			t.Errorf("exception %s matches nothing in either schema: remove it", e)
		}
		c.undo[i] = func() {
			for _, u := range undos {
				u()
			}
		}
		c.redo[i] = func() {
			undos = undos[:0]
			for _, doc := range c.docs {
				if undo, _ := e.apply(doc); undo != nil {
					undos = append(undos, undo)
				}
			}
		}
	}
	for _, doc := range c.docs {
		r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
		if err != nil {
			t.Fatal(err)
		}
		c.routers = append(c.routers, r)
	}
	return c
}

// parseSchema decodes a replacement schema and resolves its component
// references in doc; ok is false when doc lacks a referenced component.
func parseSchema(doc *openapi3.T, js string) (ref *openapi3.SchemaRef, ok bool, err error) {
	ref = new(openapi3.SchemaRef)
	if err := json.Unmarshal([]byte(js), ref); err != nil {
		return nil, false, fmt.Errorf("replacement %s: %w", js, err)
	}
	ok = true
	var resolve func(r *openapi3.SchemaRef)
	resolve = func(r *openapi3.SchemaRef) {
		if r == nil {
			return
		}
		if r.Ref != "" {
			target := doc.Components.Schemas[strings.TrimPrefix(r.Ref, "#/components/schemas/")]
			if target == nil {
				ok = false
				return
			}
			r.Value = target.Value
			return
		}
		v := r.Value
		if v == nil {
			return
		}
		for _, p := range v.Properties {
			resolve(p)
		}
		resolve(v.Items)
		resolve(v.AdditionalProperties.Schema)
		for _, group := range [][]*openapi3.SchemaRef{v.AllOf, v.OneOf, v.AnyOf} {
			for _, g := range group {
				resolve(g)
			}
		}
	}
	resolve(ref)
	return ref, ok, nil
}

// operationOf returns doc's operation for "METHOD path", or nil.
func operationOf(doc *openapi3.T, op string) *openapi3.Operation {
	method, path, _ := strings.Cut(op, " ")
	item := doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

// apply patches doc and returns the function that reverts the patch, or
// nil when doc has nothing the exception applies to.
func (e schemaException) apply(doc *openapi3.T) (func(), error) {
	switch e.kind {
	case propertyException, requiredException:
		s := doc.Components.Schemas[e.schema]
		if s == nil || s.Value == nil {
			return nil, nil
		}
		if e.kind == requiredException {
			var names []string
			if err := json.Unmarshal([]byte(e.replacement), &names); err != nil {
				return nil, fmt.Errorf("required list %s: %w", e.replacement, err)
			}
			old := s.Value.Required
			s.Value.Required = names
			return func() { s.Value.Required = old }, nil
		}
		old, present := s.Value.Properties[e.property]
		if !present {
			return nil, nil
		}
		repl, ok, err := parseSchema(doc, e.replacement)
		if err != nil || !ok {
			return nil, err
		}
		s.Value.Properties[e.property] = repl
		return func() { s.Value.Properties[e.property] = old }, nil
	case responseException:
		op := operationOf(doc, e.op)
		if op == nil {
			return nil, nil
		}
		resp := openapi3.NewResponse().WithDescription("server-vs-schema exception: " + e.why)
		if e.replacement != "" {
			repl, ok, err := parseSchema(doc, e.replacement)
			if err != nil || !ok {
				return nil, err
			}
			resp = resp.WithJSONSchemaRef(repl)
		}
		code := strconv.Itoa(e.status)
		old := op.Responses.Value(code)
		op.Responses.Set(code, &openapi3.ResponseRef{Value: resp})
		return func() {
			if old == nil {
				op.Responses.Delete(code)
			} else {
				op.Responses.Set(code, old)
			}
		}, nil
	case requestException:
		op := operationOf(doc, e.op)
		if op == nil {
			return nil, nil
		}
		old := op.RequestBody
		if e.replacement == noBody {
			op.RequestBody = nil
			return func() { op.RequestBody = old }, nil
		}
		repl, ok, err := parseSchema(doc, e.replacement)
		if err != nil || !ok {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithJSONSchemaRef(repl).WithRequired(true)}
		return func() { op.RequestBody = old }, nil
	case pathException:
		op := operationOf(doc, e.op)
		if op == nil {
			return nil, nil
		}
		_, path, _ := strings.Cut(e.op, " ")
		item := doc.Paths.Value(path)
		p := op.Parameters.GetByInAndName(openapi3.ParameterInPath, e.property)
		if p == nil {
			p = item.Parameters.GetByInAndName(openapi3.ParameterInPath, e.property)
		}
		if p == nil {
			return nil, nil
		}
		repl, ok, err := parseSchema(doc, e.replacement)
		if err != nil || !ok {
			return nil, err
		}
		old := p.Schema
		p.Schema = repl
		return func() { p.Schema = old }, nil
	case queryException:
		op := operationOf(doc, e.op)
		if op == nil {
			return nil, nil
		}
		var params map[string]json.RawMessage
		if err := json.Unmarshal([]byte(e.replacement), &params); err != nil {
			return nil, fmt.Errorf("query parameters %s: %w", e.replacement, err)
		}
		old := op.Parameters
		op.Parameters = append(openapi3.Parameters(nil), old...)
		for name, js := range params {
			repl, ok, err := parseSchema(doc, string(js))
			if err != nil || !ok {
				return nil, err
			}
			p := openapi3.NewQueryParameter(name)
			p.Schema = repl
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
		}
		return func() { op.Parameters = old }, nil
	}
	return nil, fmt.Errorf("unknown exception kind %d", e.kind)
}

// route finds the exchange's operation, in the newest schema first; route
// is nil when neither schema has it.
func (c *contract) route(ex exchange) (req *http.Request, route *routers.Route, params map[string]string) {
	req = ex.req.Clone(context.Background())
	req.URL.Scheme, req.URL.Host, req.Host = "", "", ""
	for _, r := range c.routers {
		var err error
		if route, params, err = r.FindRoute(req); err == nil {
			return req, route, params
		}
	}
	return req, nil, nil
}

// check validates one exchange. It reports whether a schema route matched,
// and the differences found.
func (c *contract) check(ex exchange) (matched bool, problems []string) {
	req, route, params := c.route(ex)
	if route == nil {
		return false, nil
	}
	req.Body = io.NopCloser(bytes.NewReader(ex.reqBody))
	opts := &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
		// An answer whose status the schema does not list is a difference
		// too (kin-openapi lets it through by default).
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		// The reasons are enough; the schema dumps would drown them.
		// Strings the schemas give format "uuid" (path parameters, IDs in
		// bodies) must be UUIDs (kin-openapi checks no format by default).
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails(),
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(anyUUID))},
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	reqProblem := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("request %s %s: ", ex.req.Method, ex.req.URL.Path)+fmt.Sprintf(format, args...)+fmt.Sprintf("\nbody: %.600s", ex.reqBody))
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		reqProblem("does not match the schema: %v", err)
	}
	op := route.Operation
	// The server ignores query parameters it does not read, so a misnamed
	// filter would be dropped silently: report every one the schema does
	// not list.
	// A parameter the schema does not type as an array is read once (DRF
	// takes the last value), so sending it repeatedly loses values.
	for name, values := range req.URL.Query() {
		p := op.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
		if p == nil {
			p = route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
		}
		switch {
		case p == nil:
			reqProblem("query parameter %q is not in the schema", name)
		case len(values) > 1 && (p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray)):
			reqProblem("query parameter %q is sent %d times; the server reads one value", name, len(values))
		}
	}
	if op.RequestBody == nil {
		// DRF reads a body the schema does not describe without complaint,
		// so a body sent to an operation without one is a difference too
		// (an empty object aside).
		if b := bytes.TrimSpace(ex.reqBody); len(b) > 0 && !bytes.Equal(b, []byte("{}")) {
			reqProblem("the schema has no request body for this operation")
		}
	} else if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && len(ex.reqBody) > 0 {
		// DRF ignores properties its serializer does not know, so a
		// misnamed field would be dropped silently: report every property
		// the schema does not declare.
		var body any
		if err := json.Unmarshal(ex.reqBody, &body); err != nil {
			reqProblem("the body is not JSON: %v", err)
		} else {
			var unknown []string
			unknownProperties(mt.Schema.Value, body, "", &unknown)
			if len(unknown) > 0 {
				reqProblem("properties the schema does not declare: %s", strings.Join(unknown, ", "))
			}
		}
	}

	ansProblem := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("answer %d to %s %s: ", ex.status, ex.req.Method, ex.req.URL.Path)+fmt.Sprintf(format, args...)+fmt.Sprintf("\nbody: %.600s", ex.respBody))
	}
	resp := op.Responses.Status(ex.status)
	if resp == nil && ex.status >= 400 {
		// drf-spectacular documents no error answers; they must have
		// PostHog's error shape (reference/posthog-api.md §3).
		if err := errorBody.VisitJSON(decodeJSON(ex.respBody), openapi3.MultiErrors()); err != nil {
			ansProblem("is not PostHog's error body: %v", err)
		}
		return true, problems
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: ex.status, Header: ex.header,
		Body: io.NopCloser(bytes.NewReader(ex.respBody)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		ansProblem("does not match the schema: %v", err)
	}
	if resp != nil && resp.Value != nil && len(resp.Value.Content) == 0 && len(bytes.TrimSpace(ex.respBody)) > 0 {
		desc := ""
		if resp.Value.Description != nil {
			desc = *resp.Value.Description
		}
		ansProblem("has a body; the schema says %q", desc)
	}
	return true, problems
}

// undeclaredAnswerProperties returns the properties of a successful answer
// that its schema does not declare, array indices written as *. They are
// not differences (servers add fields before schemas catch up), but an
// invented one in posthogtest would go unnoticed, so TestContract logs them.
func (c *contract) undeclaredAnswerProperties(ex exchange) []string {
	_, route, _ := c.route(ex)
	if route == nil || ex.status/100 != 2 {
		return nil
	}
	resp := route.Operation.Responses.Status(ex.status)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	var out []string
	unknownProperties(mt.Schema.Value, decodeJSON(ex.respBody), "", &out)
	for i, p := range out {
		out[i] = arrayIndex.ReplaceAllString(p, "/*")
	}
	return out
}

var arrayIndex = regexp.MustCompile(`/[0-9]+`)

// errorBody is PostHog's error answer: exceptions_hog's {type, code,
// detail, attr}, or DRF's bare {"detail": ...} some views send.
var errorBody = func() *openapi3.Schema {
	s := new(openapi3.Schema)
	if err := json.Unmarshal([]byte(`{"type":"object","required":["detail"],"properties":{"type":{"type":"string"},"code":{"type":"string"},"detail":{"type":"string"},"attr":{"type":"string","nullable":true}}}`), s); err != nil {
		panic(err)
	}
	return s
}()

func decodeJSON(b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	return v
}

// unknownProperties appends the path of every property of v that s does
// not declare, where s declares properties and no additionalProperties.
func unknownProperties(s *openapi3.Schema, v any, at string, out *[]string) {
	if s == nil {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		props := map[string]*openapi3.SchemaRef{}
		open := collectProperties(s, props)
		for k, val := range x {
			p, ok := props[k]
			if !ok {
				if !open {
					*out = append(*out, at+"/"+k)
				}
				continue
			}
			unknownProperties(p.Value, val, at+"/"+k, out)
		}
	case []any:
		items := s.Items
		for _, g := range s.AllOf {
			if items == nil && g.Value != nil {
				items = g.Value.Items
			}
		}
		if items == nil {
			return
		}
		for i, e := range x {
			unknownProperties(items.Value, e, fmt.Sprintf("%s/%d", at, i), out)
		}
	}
}

// collectProperties gathers the properties s declares, through allOf,
// oneOf and anyOf; it reports whether s also admits undeclared ones.
func collectProperties(s *openapi3.Schema, props map[string]*openapi3.SchemaRef) (open bool) {
	for k, p := range s.Properties {
		props[k] = p
	}
	declared := len(s.Properties) > 0
	for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		for _, g := range group {
			if g.Value == nil {
				continue
			}
			if collectProperties(g.Value, props) {
				open = true
			}
			declared = declared || len(g.Value.Properties) > 0
		}
	}
	ap := s.AdditionalProperties
	return open || !declared || ap.Schema != nil || (ap.Has != nil && *ap.Has)
}

// opMatcher maps a request to the operation of the API: line it belongs to.
type opMatcher struct {
	ops []apiTemplate
}

type apiTemplate struct {
	key      string // "METHOD /api/organizations/{}/roles/{}/"
	method   string
	segments []string // "" for a parameter
	literals int
}

func newOpMatcher(ops []apiOperation) *opMatcher {
	m := &opMatcher{}
	for _, o := range ops {
		tpl := apiTemplate{key: opKey(o.Method, o.Path), method: o.Method}
		for _, seg := range strings.Split(strings.Trim(o.Path, "/"), "/") {
			if strings.HasPrefix(seg, "{") {
				seg = ""
			} else {
				tpl.literals++
			}
			tpl.segments = append(tpl.segments, seg)
		}
		m.ops = append(m.ops, tpl)
	}
	return m
}

// opKey names an operation with its parameters unnamed:
// "PATCH /api/organizations/{}/roles/{}/".
func opKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return method + " /" + strings.Join(segs, "/") + "/"
}

// match returns the key of the most specific operation matching the
// request (a literal segment beats a parameter), or "".
func (m *opMatcher) match(r *http.Request) string {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	best, bestLiterals := "", -1
	for _, t := range m.ops {
		if t.method != r.Method || len(t.segments) != len(segs) {
			continue
		}
		ok := true
		for i, s := range t.segments {
			if s != "" && s != segs[i] {
				ok = false
				break
			}
		}
		if ok && t.literals > bestLiterals {
			best, bestLiterals = t.key, t.literals
		}
	}
	return best
}

// succeeded reports whether an answer is a success: a 2xx, or the 302 to a
// presigned URL with which PostHog answers a legal document download.
func succeeded(ex exchange) bool {
	return ex.status/100 == 2 || (ex.status == http.StatusFound && ex.header.Get("Location") != "")
}

// contractEnv is what a scenario drives: a posthogtest server, its default
// organization, a client whose key has every scope ("*") and a client with
// a legacy key without scopes, for the actions PostHog closes to scoped
// personal API keys. Both clients' traffic is recorded.
type contractEnv struct {
	srv    *posthogtest.Server
	org    posthogtest.Organization
	c      *posthogapi.Client
	legacy *posthogapi.Client
	rec    *recorder
}

func newContractEnv(t *testing.T) *contractEnv {
	t.Helper()
	// The legacy client reaches the actions with no scope; the deprecated
	// organization-level backfill exists only on older servers.
	srv := posthogtest.NewServer(posthogtest.LegacyUnscopedKeys(), posthogtest.WithLegacyBatchExportBackfill())
	t.Cleanup(srv.Close)
	// A plan without a project limit, so Projects.Replace succeeds.
	srv.SetProjectLimit(srv.DefaultOrganization().ID, 0)
	rec := &recorder{base: http.DefaultTransport}
	client := func(key string) *posthogapi.Client {
		c, err := srv.Client(key, posthogapi.WithHTTPClient(&http.Client{Transport: rec}), posthogapi.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return &contractEnv{srv: srv, org: srv.DefaultOrganization(), c: client(srv.NewAPIKey("*")), legacy: client(srv.NewAPIKey()), rec: rec}
}

func TestContract(t *testing.T) {
	con := loadContract(t)
	apiOps := apiOperations(t)
	matcher := newOpMatcher(apiOps)

	names := make([]string, 0, len(contractScenarios))
	for n := range contractScenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	var all []exchange
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			e := newContractEnv(t)
			err := contractScenarios[name](context.Background(), e)
			for _, ex := range e.rec.exchanges() {
				ex.area = name
				all = append(all, ex)
			}
			if err != nil {
				t.Fatalf("scenario: %v", err)
			}
		})
	}

	validated := 0
	succeededOps := map[string]bool{}
	answered := map[string][]int{}
	unmatched := map[string]int{}
	undeclared := map[string]bool{}
	for _, ex := range all {
		op := matcher.match(ex.req)
		if op == "" {
			t.Errorf("%s: %s %s is the operation of no API: line", ex.area, ex.req.Method, ex.req.URL.Path)
			continue
		}
		answered[op] = append(answered[op], ex.status)
		if succeeded(ex) {
			succeededOps[op] = true
		}
		matched, problems := con.check(ex)
		if !matched {
			unmatched[op]++
			continue
		}
		validated++
		for _, p := range problems {
			t.Errorf("%s: %s", ex.area, p)
		}
		for _, p := range con.undeclaredAnswerProperties(ex) {
			undeclared[op+" "+p] = true
		}
	}

	// Completeness: every operation of an API: line was driven to a success
	// (or to the refusal neverSucceeds documents).
	var missing []string
	for _, o := range apiOps {
		key := opKey(o.Method, o.Path)
		if ns, ok := neverSucceeds[key]; ok {
			if !containsInt(answered[key], ns.status) {
				t.Errorf("%s (%s) never answered its documented %d: got %v", key, strings.Join(o.GoMethods, ", "), ns.status, answered[key])
			}
			if succeededOps[key] {
				t.Errorf("%s succeeded, but neverSucceeds says posthogtest refuses it (%s): remove it from neverSucceeds", key, ns.why)
			}
			continue
		}
		if !succeededOps[key] {
			missing = append(missing, fmt.Sprintf("%s (%s; answers seen: %v)", key, strings.Join(o.GoMethods, ", "), answered[key]))
		}
	}
	for _, m := range missing {
		t.Errorf("no scenario drives %s to a successful answer", m)
	}

	// Endpoints outside both schemas: exactly the documented ones.
	var outside []string
	for op := range unmatched {
		outside = append(outside, op)
		if outsideSchemas[op] == "" {
			t.Errorf("%s matches no operation of either schema and is not in outsideSchemas", op)
		}
	}
	for op := range outsideSchemas {
		if _, ok := unmatched[op]; !ok {
			t.Errorf("outsideSchemas lists %s, which was either not driven or is in a schema now", op)
		}
	}
	sort.Strings(outside)

	// Every exception is needed: without it some exchange fails. (Skipped
	// once something failed: the answer would only add noise.)
	if !t.Failed() {
		for i, e := range schemaExceptions {
			con.undo[i]()
			needed := false
			for _, ex := range all {
				if _, problems := con.check(ex); len(problems) > 0 {
					needed = true
					break
				}
			}
			con.redo[i]()
			if !needed {
				t.Errorf("exception %s is not needed: every exchange validates without it", e)
			}
		}
	}

	t.Logf("%d exchanges, %d validated against the schemas; %d of %d operations with API: lines succeeded (%d refused by design); %d exceptions",
		len(all), validated, len(succeededOps), len(apiOps), len(neverSucceeds), len(schemaExceptions))
	t.Logf("%d operations in neither schema, %d exchanges not validated: %s", len(outside), len(all)-validated, strings.Join(outside, ", "))
	if len(undeclared) > 0 {
		list := make([]string, 0, len(undeclared))
		for k := range undeclared {
			list = append(list, k)
		}
		sort.Strings(list)
		t.Logf("answer properties neither schema declares (newer server fields; check any new one against PostHog's serializers):\n%s", strings.Join(list, "\n"))
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestContractCatchesDifferences feeds the checker made-up exchanges, so
// that a checker that lets everything through cannot pass for a green
// contract test.
func TestContractCatchesDifferences(t *testing.T) {
	con := loadContract(t)
	const org = "/api/organizations/0196a1b2-0000-7000-8000-000000000001/"
	mk := func(method, target, reqBody string, status int, respBody string) exchange {
		req := httptest.NewRequest(method, "http://posthog.test"+target, strings.NewReader(reqBody))
		if reqBody != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		h := http.Header{}
		if respBody != "" {
			h.Set("Content-Type", "application/json")
		}
		return exchange{req: req, reqBody: []byte(reqBody), status: status, header: h, respBody: []byte(respBody)}
	}
	emptyPage := `{"count":0,"next":null,"previous":null,"results":[]}`
	cases := []struct {
		name string
		ex   exchange
		want string // "" for no difference
	}{
		{"valid delete", mk("DELETE", org, "", 204, ""), ""},
		{"valid list", mk("GET", org+"members/?limit=1&offset=2", "", 200, emptyPage), ""},
		{"misnamed body property", mk("PATCH", org, `{"nmae":"x"}`, 204, ""), "properties the schema does not declare: /nmae"},
		{"wrong request type", mk("PATCH", org, `{"name":5}`, 204, ""), "request PATCH " + org + ": does not match the schema"},
		{"wrong answer type", mk("GET", org+"members/", "", 200, `{"count":"x","next":null,"previous":null,"results":[]}`), "does not match the schema"},
		{"undocumented success status", mk("DELETE", org, "", 200, ""), "status is not supported"},
		{"body where the schema has none", mk("DELETE", org, "", 204, `{"deleted":true}`), "has a body"},
		{"request body where the schema has none", mk("DELETE", org, `{"force":true}`, 204, ""), "the schema has no request body"},
		{"misnamed query parameter", mk("GET", org+"members/?serach=x", "", 200, emptyPage), `query parameter "serach" is not in the schema`},
		{"repeated query parameter", mk("GET", org+"members/?limit=1&limit=2", "", 200, emptyPage), `query parameter "limit" is sent 2 times`},
		{"error answer of another shape", mk("GET", org, "", 404, `{"error":"gone"}`), "is not PostHog's error body"},
	}
	for _, tc := range cases {
		matched, problems := con.check(tc.ex)
		got := strings.Join(problems, "\n")
		switch {
		case !matched:
			t.Errorf("%s: no schema route matched", tc.name)
		case tc.want == "" && got != "":
			t.Errorf("%s: unexpected differences:\n%s", tc.name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: differences %q, want one containing %q", tc.name, got, tc.want)
		}
	}
	if matched, _ := con.check(mk("GET", org+"no_such_thing/", "", 200, "{}")); matched {
		t.Error("an endpoint in neither schema matched a route")
	}

	// A required-list exception takes effect, and its undo reverts it.
	noCount := mk("GET", org+"members/", "", 200, `{"next":null,"previous":null,"results":[]}`)
	if _, problems := con.check(noCount); len(problems) == 0 {
		t.Fatal("a page without count passed")
	}
	e := requiredEx("PaginatedOrganizationMemberList", `["results"]`, "", "", "")
	var undos []func()
	for _, doc := range con.docs {
		undo, err := e.apply(doc)
		if err != nil || undo == nil {
			t.Fatalf("apply: %v (undo %v)", err, undo != nil)
		}
		undos = append(undos, undo)
	}
	if _, problems := con.check(noCount); len(problems) != 0 {
		t.Errorf("with count no longer required: %v", problems)
	}
	for _, u := range undos {
		u()
	}
	if _, problems := con.check(noCount); len(problems) == 0 {
		t.Error("undo did not restore the required list")
	}
}
