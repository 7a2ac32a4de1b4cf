package posthogapi

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// activityEntries returns a JSON list of activity entries whose IDs end in
// the given two-digit numbers.
func activityEntries(ids ...int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id": "0195a1b2-0000-7000-8000-0000000000%02d", "user": null, "unread": false,
			"organization_id": null, "was_impersonated": false, "is_system": false, "activity": "updated",
			"item_id": "42", "scope": "Team", "detail": null, "created_at": "2025-03-01T09:00:00Z"}`, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// activityPager answers the page the request names (1-based) from pages and
// records each request as "page/limit".
func activityPager(t *testing.T, pages []string, seen *[]string) httpmock.Responder {
	t.Helper()
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		*seen = append(*seen, q.Get("page")+"/"+q.Get("limit"))
		n := 0
		if _, err := fmt.Sscan(q.Get("page"), &n); err != nil || n < 1 || n > len(pages) {
			return httpmock.NewStringResponse(404, `{"type":"invalid_request","code":"not_found","detail":"Invalid page.","attr":null}`), nil
		}
		return httpmock.NewStringResponse(200, pages[n-1]), nil
	}
}

func TestProjectsAllActivityWalksPageNumbers(t *testing.T) {
	c, mt := newMockClient(t)
	var seen []string
	// PostHog's links go off the host here: the iterator must only read
	// them as "there is more" and ask for page n+1 itself.
	pages := []string{
		`{"results": ` + activityEntries(1, 2) + `, "next": "https://evil.example/x?page=2", "previous": null, "total_count": 5}`,
		`{"results": ` + activityEntries(3, 4) + `, "next": "https://evil.example/x?page=3", "previous": "p", "total_count": 5}`,
		`{"results": ` + activityEntries(5) + `, "next": null, "previous": "p", "total_count": 5}`,
	}
	mt.RegisterResponder(http.MethodGet, api(projOrg.String()+"/projects/42/activity/"), activityPager(t, pages, &seen))
	opts := &ProjectActivityOptions{Limit: 2}
	seq := c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, opts)
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("AllActivity fetched %d pages before iteration", n)
	}
	opts.Limit = 50 // changes after the call have no effect
	var got []string
	for a, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.ID.String()[34:])
	}
	if strings.Join(got, ",") != "01,02,03,04,05" || strings.Join(seen, ",") != "1/2,2/2,3/2" {
		t.Errorf("ids = %v, requests = %v", got, seen)
	}
	if opts.Page != 0 {
		t.Errorf("options modified: %+v", opts)
	}

	// ListActivity answers the same pages as Page, total_count as Count.
	p, err := c.Projects.ListActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Limit: 2, Page: 3})
	if err != nil || p.Count != 5 || len(p.Results) != 1 || p.Next != "" || p.Previous != "p" {
		t.Fatalf("ListActivity = %+v, %v", p, err)
	}

	// Starting at a page, and stopping on break after one request.
	seen = nil
	n := 0
	for _, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Limit: 2, Page: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 || strings.Join(seen, ",") != "2/2,3/2" {
		t.Errorf("from page 2: n = %d, requests = %v", n, seen)
	}
	seen = nil
	for range seq {
		break
	}
	if len(seen) != 1 {
		t.Errorf("break: requests = %v", seen)
	}
}

func TestProjectsAllActivityStallsAndErrors(t *testing.T) {
	cases := map[string][]string{
		"empty page with next": {`{"results": [], "next": "n?page=2", "total_count": 9}`},
		"same page again": {
			`{"results": ` + activityEntries(1) + `, "next": "n?page=2", "total_count": 9}`,
			`{"results": ` + activityEntries(1) + `, "next": "n?page=3", "total_count": 9}`,
		},
		"next points back": {`{"results": ` + activityEntries(1) + `, "next": "https://posthog.example/x?page=1", "total_count": 9}`},
	}
	for name, pages := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			var seen []string
			mt.RegisterResponder(http.MethodGet, api(projOrg.String()+"/projects/42/activity/"), activityPager(t, pages, &seen))
			var errs []error
			for a, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, nil) {
				if err != nil {
					errs = append(errs, err)
				} else if a == nil {
					t.Fatal("nil item without error")
				}
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrPaginationStalled) || len(seen) > len(pages) {
				t.Fatalf("errors = %v, requests = %v", errs, seen)
			}
		})
	}

	c, mt := newMockClient(t)
	var errs []error
	for _, err := range c.Projects.AllActivity(context.Background(), OrganizationID(projOrg), 42, &ProjectActivityOptions{Page: -1}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) || mt.GetTotalCallCount() != 0 {
		t.Errorf("invalid options: errors = %v, %d requests", errs, mt.GetTotalCallCount())
	}
}

func TestBatchExportsAllLogs(t *testing.T) {
	c, mt := newMockClient(t)
	entry := func(msg string) string {
		return `{"log_source_id": "` + beID.String() + `", "instance_id": "run-1", "timestamp": "2025-11-02T00:16:00Z", "level": "INFO", "message": "` + msg + `"}`
	}
	var queries []string
	mt.RegisterResponder(http.MethodGet, bePath(beID.String()+"/logs/"), func(req *http.Request) (*http.Response, error) {
		queries = append(queries, req.URL.RawQuery)
		if req.URL.Query().Get("offset") == "" {
			return httpmock.NewStringResponse(200, `{"count": 3, "next": "`+bePath(beID.String()+"/logs/")+`?level=INFO&limit=2&offset=2", "previous": null, "results": [`+entry("a")+`,`+entry("b")+`]}`), nil
		}
		return httpmock.NewStringResponse(200, `{"count": 3, "next": null, "previous": "p", "results": [`+entry("c")+`]}`), nil
	})
	var got []string
	for e, err := range c.BatchExports.AllLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{
		ListOptions: ListOptions{Limit: 2}, Level: []BatchExportLogLevel{LogLevelInfo},
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Message)
	}
	if strings.Join(got, "") != "abc" || len(queries) != 2 || queries[0] != "level=INFO&limit=2" {
		t.Errorf("messages = %v, queries = %v", got, queries)
	}
	var errs []error
	for _, err := range c.BatchExports.AllLogs(context.Background(), OrganizationID(beOrg), BatchExportID(beID), &BatchExportLogsOptions{ListOptions: ListOptions{Limit: 501}}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) || len(queries) != 2 {
		t.Errorf("invalid limit: errors = %v, queries = %v", errs, queries)
	}
}

// secretCanary is set in every secret field of TestSecretsRedactedInEveryFormat.
const secretCanary = "CANARY-s3cr3t-7f1d"

// redactingValues holds, for every type whose String redacts, a value with
// each of its secret fields set to secretCanary.
func redactingValues() []any {
	s := secretCanary
	aws := AWSCredentials{AccessKeyID: s, SecretAccessKey: s}
	dest := NewBatchExportDestination(PostgresConfig{User: s, Password: s, Host: "db"})
	dest.RawConfig = map[string]any{"password": s, "nested": map[string]any{"token": s}}
	return []any{
		S3Config{BucketName: "b", AWSAccessKeyID: s, AWSSecretAccessKey: s},
		SnowflakeConfig{User: s, Password: s, PrivateKey: s, PrivateKeyPassphrase: s},
		PostgresConfig{User: s, Password: s, Host: "db"},
		RedshiftConfig{User: s, Password: s, CopyInputs: &RedshiftCopyInputs{
			S3Bucket: "stage", BucketCredentials: &RedshiftCredentials{AWS: &aws},
		}},
		BigQueryConfig{PrivateKey: s, PrivateKeyID: s, ClientEmail: s, TokenURI: s},
		HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: s},
		aws,
		dest,
		IdentityProviderConfig{Name: "n", SCIMBearerToken: Ptr(s)},
		IdentityProviderConfigCreate{Name: Ptr("n"), SAMLX509Cert: Ptr(s), OIDCClientSecret: Ptr(s)},
		IdentityProviderConfigUpdate{Name: Ptr("n"), SAMLX509Cert: NewNullable(s), OIDCClientSecret: Ptr(s)},
		IdPSCIMToken{SCIMEnabled: true, SCIMBearerToken: s},
		OrganizationDomain{Domain: "example.com", SCIMBearerToken: Ptr(s)},
		SCIMToken{SCIMEnabled: true, SCIMBearerToken: s},
		ProjectSettings{SlackIncomingWebhook: NewNullable(s)},
		AWSS3IntegrationConfig{Name: "n", AccessKeyID: s, SecretAccessKey: s},
		S3CompatibleIntegrationConfig{Name: "n", EndpointURL: "https://r2.example", AccessKeyID: s, SecretAccessKey: s},
		IntegrationConfigMap{"host": "db", "password": s},
		ProjectCreate{Name: "p", ProjectSettings: ProjectSettings{SlackIncomingWebhook: NewNullable(s)}},
		ProjectUpdate{Name: Ptr("p"), ProjectSettings: ProjectSettings{SlackIncomingWebhook: NewNullable(s)}},
		Project{Name: "p", APIToken: "phc_public", SecretAPIToken: Ptr(s), SecretAPITokenBackup: Ptr(s), LiveEventsToken: Ptr(s), SlackIncomingWebhook: Ptr(s)},
	}
}

// TestSecretsRedactedInEveryFormat prints every type with a redacting
// String, its pointer, and values that hold one, with every verb: no
// output holds a secret, and %#v redacts what %v redacts. It also reads
// the package source: every type whose String redacts must have a
// GoString and be listed in redactingValues.
func TestSecretsRedactedInEveryFormat(t *testing.T) {
	values := redactingValues()
	listed := map[string]bool{}
	var all []any
	for _, v := range values {
		listed[reflect.TypeOf(v).Name()] = true
		p := reflect.New(reflect.TypeOf(v))
		p.Elem().Set(reflect.ValueOf(v))
		all = append(all, v, p.Interface())
	}
	s := secretCanary
	create := BatchExportCreate{Name: "n", Destination: NewBatchExportDestination(HTTPConfig{URL: "u", Token: s}), Interval: IntervalHour}
	all = append(all, create, &create, []any{values[0], values[len(values)-1]},
		RedshiftCredentials{AWS: &AWSCredentials{AccessKeyID: s, SecretAccessKey: s}},
		Page[IdentityProviderConfig]{Results: []IdentityProviderConfig{{SCIMBearerToken: Ptr(s)}}},
		Page[OrganizationDomain]{Results: []OrganizationDomain{{SCIMBearerToken: Ptr(s)}}},
		ProjectIntegrationCreate{Kind: ProjectIntegrationPostgreSQL, Config: IntegrationConfigMap{"password": s}},
		&ProjectIntegrationCreate{Kind: ProjectIntegrationAWSS3, Config: AWSS3IntegrationConfig{Name: "n", AccessKeyID: s, SecretAccessKey: s}},
		ProjectIntegrationCreate{Kind: ProjectIntegrationS3Compatible, Config: &S3CompatibleIntegrationConfig{Name: "n", EndpointURL: "e", AccessKeyID: s, SecretAccessKey: s}})
	for _, v := range all {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secretCanary) {
				t.Errorf("%T with %s leaks: %s", v, verb, out)
			}
		}
	}
	for _, v := range values {
		if out := fmt.Sprintf("%#v", v); !strings.Contains(out, "[REDACTED]") || !strings.HasPrefix(out, "posthogapi.") {
			t.Errorf("%T %%#v = %s, want the type name and a redaction", v, out)
		}
	}
	if out := fmt.Sprint(values[len(values)-1]); !strings.Contains(out, "phc_public") {
		t.Errorf("Project hides its public token: %s", out)
	}

	redacting, goString := redactingTypes(t)
	if len(redacting) < len(values) {
		t.Fatalf("found %d redacting String methods in the source, %v; the scan is broken", len(redacting), redacting)
	}
	for _, name := range redacting {
		if !goString[name] {
			t.Errorf("%s has a redacting String but no GoString", name)
		}
		if !listed[name] {
			t.Errorf("%s has a redacting String but is not in redactingValues", name)
		}
	}
}

// redactingTypes reads the package source and returns the types whose
// String method redacts (calls a redacting helper or writes [REDACTED]) and
// the set of types with a GoString method.
func redactingTypes(t *testing.T) ([]string, map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var redacting []string
	goString := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range src.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Body == nil {
				continue
			}
			rt := fd.Recv.List[0].Type
			if st, ok := rt.(*ast.StarExpr); ok {
				rt = st.X
			}
			id, ok := rt.(*ast.Ident)
			if !ok {
				continue
			}
			switch fd.Name.Name {
			case "GoString":
				goString[id.Name] = true
			case "String":
				redacts := false
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.Ident:
						if strings.Contains(strings.ToLower(n.Name), "redact") || n.Name == "configString" {
							redacts = true
						}
					case *ast.BasicLit:
						if strings.Contains(n.Value, "[REDACTED]") {
							redacts = true
						}
					}
					return true
				})
				if redacts {
					redacting = append(redacting, id.Name)
				}
			}
		}
	}
	sort.Strings(redacting)
	return redacting, goString
}

// TestSurfaceRules reads the package source and holds every service method
// to the naming rules of the README's "Naming" paragraph: a method that
// returns one *Page[T] is List or ListX and has an iterator twin All or AllX,
// every iterator has its List twin, every Replace takes an *XReplace, and no
// exported method or function takes a bare bool.
func TestSurfaceRules(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	type method struct{ page, iter bool }
	services := map[string]map[string]method{}
	fset := token.NewFileSet()
	replaces := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range src.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			where := fset.Position(fd.Pos()).String() + " " + fd.Name.Name
			for _, p := range fd.Type.Params.List {
				if id, ok := p.Type.(*ast.Ident); ok && id.Name == "bool" {
					t.Errorf("%s takes a bare bool; use an options struct", where)
				}
			}
			if fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			st, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := st.X.(*ast.Ident)
			if !ok || !strings.HasSuffix(recv.Name, "Service") {
				continue
			}
			var m method
			if res := fd.Type.Results; res != nil && len(res.List) > 0 {
				switch r := res.List[0].Type.(type) {
				case *ast.StarExpr:
					if ix, ok := r.X.(*ast.IndexExpr); ok {
						if id, ok := ix.X.(*ast.Ident); ok && id.Name == "Page" {
							m.page = true
						}
					}
				case *ast.IndexListExpr:
					if sel, ok := r.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Seq2" {
						m.iter = true
					}
				}
			}
			if services[recv.Name] == nil {
				services[recv.Name] = map[string]method{}
			}
			services[recv.Name][fd.Name.Name] = m
			if fd.Name.Name == "Replace" {
				replaces++
				params := fd.Type.Params.List
				last, _ := params[len(params)-1].Type.(*ast.StarExpr)
				if last == nil {
					t.Errorf("%s: last parameter is not a pointer", where)
					continue
				}
				if id, ok := last.X.(*ast.Ident); !ok || !strings.HasSuffix(id.Name, "Replace") {
					t.Errorf("%s takes %v, want an *XReplace", where, last.X)
				}
			}
		}
	}
	pages, iters := 0, 0
	for svc, methods := range services {
		for name, m := range methods {
			switch {
			case m.page:
				pages++
				rest, ok := strings.CutPrefix(name, "List")
				if !ok {
					t.Errorf("%s.%s returns a page but is not named List…", svc, name)
				} else if !methods["All"+rest].iter {
					t.Errorf("%s.%s returns a page but %s.All%s is not its iterator", svc, name, svc, rest)
				}
			case m.iter:
				iters++
				rest, ok := strings.CutPrefix(name, "All")
				if !ok {
					t.Errorf("%s.%s returns an iterator but is not named All…", svc, name)
				} else if !methods["List"+rest].page {
					t.Errorf("%s.%s has no List%s returning its page", svc, name, rest)
				}
			}
		}
	}
	if pages < 20 || pages != iters || replaces < 8 {
		t.Errorf("scan found %d page methods, %d iterators, %d Replace methods; the scan is broken", pages, iters, replaces)
	}
}
