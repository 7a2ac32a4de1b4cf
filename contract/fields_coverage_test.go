package contract

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hogkit/posthogapi"
)

// responseTypes maps each schema that an /api/organizations/ operation
// answers with (directly, in a page, or nested) to the Go type that decodes
// it.
var responseTypes = map[string]any{
	"Organization":                 posthogapi.Organization{},
	"OrganizationMember":           posthogapi.OrganizationMember{},
	"UserBasic":                    posthogapi.UserBasic{},
	"OrganizationDomain":           posthogapi.OrganizationDomain{},
	"OrganizationInvite":           posthogapi.OrganizationInvite{},
	"BatchExport":                  posthogapi.BatchExport{},
	"BatchExportDestination":       posthogapi.BatchExportDestination{},
	"BatchExportRun":               posthogapi.BatchExportRun{},
	"OrganizationIntegration":      posthogapi.OrganizationIntegration{},
	"OrganizationOAuthApplication": posthogapi.OrganizationOAuthApplication{},
	"ProjectBackwardCompat":        posthogapi.Project{},
	"ProjectBackwardCompatBasic":   posthogapi.ProjectBasic{},
	"ProxyRecord":                  posthogapi.ProxyRecord{},
	"Role":                         posthogapi.Role{},
	"RoleMembership":               posthogapi.RoleMembership{},
}

// omittedFields are schema properties deliberately without a Go field.
var omittedFields = map[string]string{}

// schemaName returns the component name of a $ref.
func schemaName(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

// collectResponseSchemas adds to seen every object schema reachable from the
// 2xx answers of the /api/organizations/ operations in doc.
func collectResponseSchemas(doc *openapi3.T, seen map[string]*openapi3.Schema) {
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		s := ref.Value
		if ref.Ref != "" {
			name := schemaName(ref.Ref)
			if _, ok := seen[name]; ok {
				return
			}
			if strings.HasPrefix(name, "Paginated") {
				walk(s.Properties["results"])
				return
			}
			if len(s.Properties) > 0 {
				seen[name] = s
			}
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, r := range group {
				walk(r)
			}
		}
	}
	for p, item := range doc.Paths.Map() {
		if !strings.HasPrefix(p, "/api/organizations/") {
			continue
		}
		for _, op := range item.Operations() {
			for code, resp := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") || resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// jsonFields returns the JSON names of a struct type's fields, embedded
// structs included.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// TestEveryResponseFieldHasAStructField fails if a property of a response
// schema (in either schema file) has no struct field with its JSON name and
// is not listed in omittedFields.
func TestEveryResponseFieldHasAStructField(t *testing.T) {
	props := map[string]map[string]bool{}
	for _, path := range []string{schemaPath, newestPath} {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]*openapi3.Schema{}
		collectResponseSchemas(doc, seen)
		for name, s := range seen {
			if props[name] == nil {
				props[name] = map[string]bool{}
			}
			for p, ref := range s.Properties {
				if ref.Value != nil && ref.Value.WriteOnly {
					continue // never in an answer
				}
				props[name][p] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	checked := 0
	for _, name := range names {
		v, ok := responseTypes[name]
		if !ok {
			t.Errorf("schema %s has no Go type in responseTypes", name)
			continue
		}
		fields := jsonFields(reflect.TypeOf(v))
		for p := range props[name] {
			checked++
			if !fields[p] && omittedFields[name+"."+p] == "" {
				t.Errorf("%s.%s has no field in %T", name, p, v)
			}
		}
	}
	t.Logf("%d response schemas, %d properties checked", len(names), checked)
}
