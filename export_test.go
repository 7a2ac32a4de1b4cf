package posthogapi

import (
	"sort"
	"testing"
)

// Test-only exports for the external test package: contract_test.go
// (package posthogapi_test, because it imports posthogtest) reads the same
// schema files and parses the API: lines the same way as coverage_test.go.

// SchemaFiles returns the paths of the newest schema and of the Nov-2025
// schema, in that order.
func SchemaFiles() []string { return []string{newestPath, schemaPath} }

// RequireShared skips t when the schemas are not in the shared folder.
func RequireShared(t *testing.T) {
	t.Helper()
	requireShared(t)
}

// APIOperation is one operation named by the API: lines of the package's
// methods.
type APIOperation struct {
	// Method is the HTTP method.
	Method string
	// Path is the path as the API: line spells it, such as
	// /api/organizations/{organization_id}/roles/{id}/.
	Path string
	// GoMethods are the Go methods whose doc carries the line.
	GoMethods []string
}

// APIOperations returns every operation named by an API: line, sorted by
// path and method.
func APIOperations(t *testing.T) []APIOperation {
	t.Helper()
	byOp := map[operation]*APIOperation{}
	for _, l := range codeAPILines(t) {
		o := byOp[l.op]
		if o == nil {
			o = &APIOperation{Method: l.op.method, Path: l.raw}
			byOp[l.op] = o
		}
		o.GoMethods = append(o.GoMethods, l.method)
	}
	out := make([]APIOperation, 0, len(byOp))
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
