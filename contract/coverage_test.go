package contract

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The parts of PostHog's schemas and reference pages the tests read are
// copies in testdata/ (schemacut writes the two schema files; see
// DEVELOPING.md); a missing file fails the tests, nothing skips.
var (
	schemaPath  = "testdata/openapi.yaml"
	newestPath  = "testdata/organizations-newest.yaml"
	docsPattern = "testdata/posthog-docs/*.txt"
	// sdkSources are the SDK package's files, whose API: lines are read.
	sdkSources = "../*.go"
)

// schemaFiles are the schema files, the newest first.
func schemaFiles() []string { return []string{newestPath, schemaPath} }

// operation is one HTTP operation, its path normalised so that parameter
// names do not matter: /api/organizations/{}/members/{}/.
type operation struct{ method, path string }

func (o operation) String() string { return o.method + " " + o.path }

var paramRe = regexp.MustCompile(`\{[^}]*\}`)

func normPath(p string) string {
	p = paramRe.ReplaceAllString(p, "{}")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// apiLine is one "API: METHOD PATH (scope ...)" line of a method's doc.
type apiLine struct {
	op     operation
	raw    string
	scope  string
	method string // the Go method carrying it, as RolesService.List
}

var apiLineRe = regexp.MustCompile(`^API: (GET|POST|PUT|PATCH|DELETE) (/api/(?:organizations|projects|environments|users)/\S*) \(scope ([^)]+)\)$`)

// codeAPILines parses the SDK package's source and returns every API: line
// in the doc comments of exported methods.
func codeAPILines(t *testing.T) []apiLine {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(sdkSources)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no SDK sources at %s", sdkSources)
	}
	var out []apiLine
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Doc == nil || !fn.Name.IsExported() {
				continue
			}
			name := fn.Name.Name
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				name = id.Name + "." + name
			}
			for _, line := range strings.Split(fn.Doc.Text(), "\n") {
				if !strings.HasPrefix(line, "API: ") {
					continue
				}
				m := apiLineRe.FindStringSubmatch(line)
				if m == nil {
					t.Errorf("%s: malformed API line %q", name, line)
					continue
				}
				out = append(out, apiLine{op: operation{m[1], normPath(m[2])}, raw: m[2], scope: m[3], method: name})
			}
		}
	}
	return out
}

// schemaOps returns the /api/organizations/ operations of an OpenAPI file
// with the scopes each requires (nil: none listed).
func schemaOps(t *testing.T, path string) map[operation][]string {
	t.Helper()
	return schemaOpsUnder(t, path, "/api/organizations/")
}

// schemaOpsUnder returns the operations of an OpenAPI file whose paths
// start with prefix, with their scopes.
func schemaOpsUnder(t *testing.T, path, prefix string) map[operation][]string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	out := map[operation][]string{}
	for p, item := range doc.Paths.Map() {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		for method, op := range item.Operations() {
			var scopes []string
			if op.Security != nil {
				for _, req := range *op.Security {
					for _, s := range req {
						scopes = append(scopes, s...)
					}
				}
			}
			out[operation{method, normPath(p)}] = scopes
		}
	}
	return out
}

var (
	docsOpRe     = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE) (/api /organizations[^E]*)`)
	docsMethodRe = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE)$`)
	docsParamRe  = regexp.MustCompile(`/:[a-z_]+`)
)

// docsOps returns the operations named in PostHog's API reference pages,
// where paths are printed as "GET /api /organizations /:organization_id /members".
func docsOps(t *testing.T) map[operation]string {
	t.Helper()
	files, err := filepath.Glob(docsPattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no reference pages at %s", docsPattern)
	}
	out := map[operation]string{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		prevMethod := ""
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if prevMethod != "" && strings.HasPrefix(line, "/api /organizations") {
				line = prevMethod + " " + line
			}
			prevMethod = ""
			if docsMethodRe.MatchString(line) {
				prevMethod = line
				continue
			}
			m := docsOpRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			p := strings.ReplaceAll(strings.TrimSpace(m[2]), " ", "")
			p = docsParamRe.ReplaceAllString(p, "/{}")
			out[operation{m[1], normPath(p)}] = filepath.Base(name)
		}
		_ = f.Close()
	}
	return out
}

// apiOperation is one operation named by the API: lines of the SDK's
// methods.
type apiOperation struct {
	// Method is the HTTP method.
	Method string
	// Path is the path as the API: line spells it, such as
	// /api/organizations/{organization_id}/roles/{id}/.
	Path string
	// GoMethods are the Go methods whose doc carries the line.
	GoMethods []string
}

// apiOperations returns every operation named by an API: line, sorted by
// path and method.
func apiOperations(t *testing.T) []apiOperation {
	t.Helper()
	byOp := map[operation]*apiOperation{}
	for _, l := range codeAPILines(t) {
		o := byOp[l.op]
		if o == nil {
			o = &apiOperation{Method: l.op.method, Path: l.raw}
			byOp[l.op] = o
		}
		o.GoMethods = append(o.GoMethods, l.method)
	}
	out := make([]apiOperation, 0, len(byOp))
	for _, o := range byOp {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// TestEveryOperationHasAMethod fails if an operation under
// /api/organizations/ in either schema or in the reference pages has no
// method carrying its API: line, or if a method's scope disagrees with the
// schema.
func TestEveryOperationHasAMethod(t *testing.T) {
	lines := codeAPILines(t)
	covered := map[operation][]apiLine{}
	for _, l := range lines {
		covered[l.op] = append(covered[l.op], l)
	}

	old := schemaOps(t, schemaPath)
	newest := schemaOps(t, newestPath)
	docs := docsOps(t)
	if len(old) == 0 || len(newest) == 0 || len(docs) == 0 {
		t.Fatalf("nothing parsed: %d %d %d operations", len(old), len(newest), len(docs))
	}

	all := map[operation]bool{}
	for op := range old {
		all[op] = true
	}
	for op := range newest {
		all[op] = true
	}
	for op := range docs {
		all[op] = true
	}
	for op := range routerOnlyCovered(t) { // coverage_gaps_test.go
		all[op] = true
	}
	var missing []string
	for op := range all {
		if len(covered[op]) == 0 {
			missing = append(missing, op.String())
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no method carries API: %s", m)
	}

	// Scopes: the newest schema wins where it has the operation, except
	// where PostHog's code newer than both schemas declares another scope
	// (posthogtest/doc.go's scope table gives the source of each).
	newerCode := map[operation]string{
		// organization_feature_flag.py OrganizationFeatureFlagView.copy_flags
		// (newest, read_file id 54535175027): required_scopes
		// ["feature_flag:write"]; the 1404d6c schema lists none.
		{"POST", "/api/organizations/{}/feature_flags/copy_flags/"}: "feature_flag:write",
	}
	for op := range all {
		if want := newerCode[op]; want != "" {
			for _, l := range covered[op] {
				if !strings.HasPrefix(l.scope, want) {
					t.Errorf("%s (%s): the newest PostHog requires %q, doc says %q", op, l.method, want, l.scope)
				}
			}
			continue
		}
		scopes, ok := newest[op]
		if !ok {
			scopes, ok = old[op]
		}
		if !ok {
			continue // reference pages only: scopes are checked by review
		}
		for _, l := range covered[op] {
			if len(scopes) == 0 {
				if !strings.HasPrefix(l.scope, "none") {
					t.Errorf("%s (%s): schema lists no scope, doc says %q", op, l.method, l.scope)
				}
				continue
			}
			for _, s := range scopes {
				if !strings.Contains(l.scope, s) {
					t.Errorf("%s (%s): schema requires %q, doc says %q", op, l.method, s, l.scope)
				}
			}
		}
	}

	// Every API line names a real operation (or one documented in
	// reference/posthog-api.md from PostHog's source).
	sourceOnly := map[operation]string{
		{"POST", "/api/organizations/{}/proxy_records/{}/diagnose/"}: "PostHog's proxy_record.py (newer than both schemas)",
		{"GET", "/api/organizations/{}/members/{}/github_login/"}:    "PostHog's organization_member.py github_login action (reference/posthog-api.md §1)",
		{"DELETE", "/api/organizations/{}/legal_documents/{}/"}:      "PostHog's legal_documents views: destroy answers 204 (reference/posthog-api.md §2.10)",
		// PostHog's identity_provider_config.py IdentityProviderConfigViewSet (newer than both schemas).
		{"GET", "/api/organizations/{}/identity_provider_configs/"}:                "PostHog's identity_provider_config.py (list)",
		{"POST", "/api/organizations/{}/identity_provider_configs/"}:               "PostHog's identity_provider_config.py (create)",
		{"GET", "/api/organizations/{}/identity_provider_configs/{}/"}:             "PostHog's identity_provider_config.py (retrieve)",
		{"PATCH", "/api/organizations/{}/identity_provider_configs/{}/"}:           "PostHog's identity_provider_config.py (partial_update)",
		{"PUT", "/api/organizations/{}/identity_provider_configs/{}/"}:             "PostHog's identity_provider_config.py (update)",
		{"DELETE", "/api/organizations/{}/identity_provider_configs/{}/"}:          "PostHog's identity_provider_config.py (destroy)",
		{"POST", "/api/organizations/{}/identity_provider_configs/{}/scim/token/"}: "PostHog's identity_provider_config.py scim_token",
		{"GET", "/api/organizations/{}/identity_provider_configs/{}/scim/logs/"}:   "PostHog's identity_provider_config.py scim_logs",
		// Project-level routes the SDK uses beside the organization API
		// (in the full schema as integrations_list / integrations_retrieve).
		{"GET", "/api/projects/{}/integrations/"}:    "PostHog's posthog/api/integration.py IntegrationViewSet list (integration:read)",
		{"GET", "/api/projects/{}/integrations/{}/"}: "PostHog's posthog/api/integration.py IntegrationViewSet retrieve (integration:read)",
	}
	for _, l := range lines {
		if !all[l.op] && sourceOnly[l.op] == "" && !checkProjectAPILine(t, l) {
			t.Errorf("%s carries API: %s %s, which is in no schema or reference page", l.method, l.op.method, l.raw)
		}
	}
	t.Logf("%d of %d operations under /api/organizations/ have a method (%d in the Nov-2025 schema, %d in the newest part, %d in the reference pages); %d API lines in all",
		len(all)-len(missing), len(all), len(old), len(newest), len(docs), len(lines))
}
