package posthogtest

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// scopeRow is one line of doc.go's table "Scopes of the newest server, by
// endpoint".
type scopeRow struct {
	method, path, scope, source string
}

var (
	scopeRowRe  = regexp.MustCompile(`(?m)^//\t(GET|POST|PUT|PATCH|DELETE) (/api/\S+) \| ([^|]+) \| (.+)$`)
	apiLineRe   = regexp.MustCompile(`(?m)^// API: (GET|POST|PUT|PATCH|DELETE) (/api/\S+) \(scope ([^)]+)\)$`)
	pathParamRe = regexp.MustCompile(`\{[^}/]+\}`)
)

// opKey is "METHOD path" with every path parameter written {} and the
// trailing slash kept, so that doc lines, API: lines and route patterns
// compare.
func opKey(method, path string) string {
	path = strings.TrimSuffix(path, "{$}")
	return method + " " + pathParamRe.ReplaceAllString(path, "{}")
}

func scopeTable(t *testing.T) map[string]scopeRow {
	t.Helper()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]scopeRow{}
	for _, m := range scopeRowRe.FindAllStringSubmatch(string(doc), -1) {
		r := scopeRow{m[1], m[2], strings.TrimSpace(m[3]), m[4]}
		k := opKey(r.method, r.path)
		if _, dup := rows[k]; dup {
			t.Errorf("doc.go's scope table has %s twice", k)
		}
		// A row names the file and view, and the read_file id of the version
		// read, unless the newest server lacks the action (404) or no stored
		// version has it (a † row, not verified).
		located := strings.Contains(r.source, "#") || strings.Contains(r.source, "404") ||
			(strings.Contains(r.source, "in no stored version") && strings.HasSuffix(r.source, "†"))
		if !strings.Contains(r.source, ".py ") || !located {
			t.Errorf("%s: source %q names no PostHog file and read_file id", k, r.source)
		}
		rows[k] = r
	}
	if len(rows) < 130 {
		t.Fatalf("doc.go's scope table has %d rows", len(rows))
	}
	return rows
}

// forEachRoute calls f once for every route the fake can serve: those of a
// default server with the legacy organization backfill, then those only a
// WithLegacyDomainSSO server has (the legacy domain SCIM token; it serves no
// identity provider configurations).
func forEachRoute(t *testing.T, f func(srv *Server, rs routeScope)) {
	t.Helper()
	seen := map[string]bool{}
	for _, opts := range [][]Option{{WithLegacyBatchExportBackfill()}, {WithLegacyDomainSSO()}} {
		srv := NewServer(opts...)
		for _, rs := range srv.routeScopes {
			if !seen[rs.pattern] {
				seen[rs.pattern] = true
				f(srv, rs)
			}
		}
		srv.Close()
	}
}

// routeScopeText is how the table writes a route's scope.
func routeScopeText(scope string) string {
	if scope == noScope {
		return "none"
	}
	return scope
}

// TestFidelityDecScope_TableMatchesRoutesAndAPILines keeps three things in
// step: doc.go's table of the newest server's scopes, the scope each route
// of the fake requires, and the scope each posthogapi method's API: line
// names. A route or API: line without a row, a row without both, or a scope
// that differs fails.
func TestFidelityDecScope_TableMatchesRoutesAndAPILines(t *testing.T) {
	rows := scopeTable(t)
	routed := map[string]bool{}
	forEachRoute(t, func(_ *Server, rs routeScope) {
		method, path, _ := strings.Cut(rs.pattern, " ")
		k := opKey(method, path)
		routed[k] = true
		r, ok := rows[k]
		switch {
		case !ok:
			t.Errorf("route %s has no row in doc.go's scope table", rs.pattern)
		case r.scope != routeScopeText(rs.scope):
			t.Errorf("route %s requires %q, doc.go's table says %q (%s)", rs.pattern, routeScopeText(rs.scope), r.scope, r.source)
		}
	})

	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range apiLineRe.FindAllStringSubmatch(string(src), -1) {
			k := opKey(m[1], m[2])
			documented[k] = true
			r, ok := rows[k]
			if !ok {
				t.Errorf("%s: API: %s %s has no row in doc.go's scope table", filepath.Base(f), m[1], m[2])
				continue
			}
			// The API: line's scope is its text up to the first ";" or
			// ","; what follows explains it.
			lineScope := strings.TrimSpace(strings.FieldsFunc(m[3], func(c rune) bool { return c == ';' || c == ',' })[0])
			tableScope := strings.TrimSuffix(r.scope, internalViewsetMark)
			if lineScope != tableScope {
				t.Errorf("%s: API: %s %s says scope %q, doc.go's table %q (%s)", filepath.Base(f), m[1], m[2], m[3], r.scope, r.source)
			}
			if strings.HasSuffix(r.scope, internalViewsetMark) && !strings.Contains(m[3], `"*" does not grant`) {
				t.Errorf("%s: API: %s %s does not say that \"*\" does not grant %s", filepath.Base(f), m[1], m[2], tableScope)
			}
		}
	}
	for k, r := range rows {
		if !routed[k] {
			t.Errorf("doc.go's scope table has %s %s, which the fake does not serve", r.method, r.path)
		}
		if !documented[k] {
			t.Errorf("doc.go's scope table has %s %s, which no API: line names", r.method, r.path)
		}
	}
}

// TestFidelityDecScope_EveryRouteRefusesKeysWithoutItsScope sends every
// route of the fake a request with a key that lacks its scope and one that
// has it, as PostHog's APIScopePermission.has_permission
// (posthog/permissions.py) decides before the view runs: a route without a
// scope refuses even "*" ("This action does not support personal API key
// access"); a route with one refuses a key with unrelated scopes ("API key
// missing required scope '<scope>'") and lets the scope (or its :write for
// a :read) through; on an INTERNAL view "*" is not enough.
func TestFidelityDecScope_EveryRouteRefusesKeysWithoutItsScope(t *testing.T) {
	ids := strings.NewReplacer(
		"{project_id}", "1",
		"{environment_id}", "1",
		"{user_uuid}", "0190c2e5-8e6f-7000-8000-0000000000aa",
		"{role_id}", "0190c2e5-8e6f-7000-8000-0000000000ab",
		"{batch_export_id}", "0190c2e5-8e6f-7000-8000-0000000000ac",
		"{feature_flag_key}", "some-flag",
		"{id}", "0190c2e5-8e6f-7000-8000-0000000000ad",
		"{$}", "",
	)
	detail := func(srv *Server, method, path, key string) (int, string) {
		t.Helper()
		body := "{}"
		if method == http.MethodGet || method == http.MethodDelete {
			body = ""
		}
		st, b := rawCall(t, srv, key, method, path, body)
		d, _ := b["detail"].(string)
		return st, d
	}
	const notSupported = "This action does not support personal API key access"
	checked := 0
	forEachRoute(t, func(srv *Server, rs routeScope) {
		all := srv.NewAPIKey("*")
		unrelated := srv.NewAPIKey("survey:write", "insight:read")
		method, pattern, _ := strings.Cut(rs.pattern, " ")
		path := strings.ReplaceAll(ids.Replace(pattern), "{organization_id}", srv.DefaultOrganization().ID.String())
		if strings.Contains(path, "{") {
			t.Fatalf("route %s: parameter left in %s", rs.pattern, path)
		}
		checked++
		if rs.scope == noScope {
			if st, d := detail(srv, method, path, all); st != http.StatusForbidden || d != notSupported {
				t.Errorf("%s with \"*\": %d %q, want 403 %q", rs.pattern, st, d, notSupported)
			}
			return
		}
		want, internal := strings.CutSuffix(rs.scope, internalViewsetMark)
		missing := "API key missing required scope '" + want + "'"
		if st, d := detail(srv, method, path, unrelated); st != http.StatusForbidden || d != missing {
			t.Errorf("%s with unrelated scopes: %d %q, want 403 %q", rs.pattern, st, d, missing)
		}
		if st, d := detail(srv, method, path, all); internal != (st == http.StatusForbidden && d == missing) {
			t.Errorf("%s with \"*\": %d %q (INTERNAL view: %v)", rs.pattern, st, d, internal)
		}
		grants := []string{want}
		if obj, ok := strings.CutSuffix(want, ":read"); ok {
			grants = append(grants, obj+":write")
		}
		for _, g := range grants {
			if st, d := detail(srv, method, path, srv.NewAPIKey(g)); st == http.StatusForbidden && (d == missing || d == notSupported) {
				t.Errorf("%s with %s: refused by the scope check: %q", rs.pattern, g, d)
			}
		}
	})
	if checked < 100 {
		t.Fatalf("only %d routes checked", checked)
	}
}
