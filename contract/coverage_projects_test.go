package contract

import (
	"strings"
	"sync"
	"testing"
)

// Methods on routes outside /api/organizations/ (ProjectBatchExports, on
// /api/projects/{project_id}/..., the same service on
// /api/environments/{environment_id}/..., and Users.Me on
// /api/users/{uuid}/) are checked against the project
// and environment operations of the full schema: the operation exists, and
// the scope the doc names is the schema's.

var (
	projectOpsOnce sync.Once
	projectOps     map[operation][]string
)

// projectOperations returns the /api/projects/ and /api/environments/
// operations of the full schema with their scopes.
func projectOperations(t *testing.T) map[operation][]string {
	t.Helper()
	projectOpsOnce.Do(func() {
		projectOps = schemaOpsUnder(t, schemaPath, "/api/projects/")
		for op, scopes := range schemaOpsUnder(t, schemaPath, "/api/environments/") {
			projectOps[op] = scopes
		}
		for op, scopes := range schemaOpsUnder(t, schemaPath, "/api/users/") {
			projectOps[op] = scopes
		}
	})
	return projectOps
}

// checkProjectAPILine reports whether l names a project operation of the
// schema, and fails t if its scope disagrees with the schema's.
func checkProjectAPILine(t *testing.T, l apiLine) bool {
	t.Helper()
	if !strings.HasPrefix(l.raw, "/api/projects/") && !strings.HasPrefix(l.raw, "/api/environments/") && !strings.HasPrefix(l.raw, "/api/users/") {
		return false
	}
	scopes, ok := projectOperations(t)[l.op]
	if !ok {
		return false
	}
	if len(scopes) == 0 && !strings.HasPrefix(l.scope, "none") {
		t.Errorf("%s (%s): schema lists no scope, doc says %q", l.op, l.method, l.scope)
	}
	for _, s := range scopes {
		if !strings.Contains(l.scope, s) {
			t.Errorf("%s (%s): schema requires %q, doc says %q", l.op, l.method, s, l.scope)
		}
	}
	return true
}
