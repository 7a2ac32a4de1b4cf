package posthogapi

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// projectIDName matches the names of fields, parameters and results that
// hold a project (team, environment) ID or a project integration's ID.
var projectIDName = regexp.MustCompile(`(?i)team|project|environment|integration`)

// intKinds are the spellings of plain integer types.
var intKinds = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
}

// plainInt reports whether the type expression is a plain integer, or a
// pointer, slice, array or map holding one.
func plainInt(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return intKinds[t.Name]
	case *ast.StarExpr:
		return plainInt(t.X)
	case *ast.ArrayType:
		return plainInt(t.Elt)
	case *ast.MapType:
		return plainInt(t.Key) || plainInt(t.Value)
	case *ast.Ellipsis:
		return plainInt(t.Elt)
	}
	return false
}

// TestProjectIDsAreTyped fails when an exported struct field, or a
// parameter or result of an exported function or method, holds a project
// (team, environment) ID as a plain integer instead of a ProjectID, or a
// project integration's ID instead of a ProjectIntegrationID: a field or
// parameter named after teams, projects, environments or integrations, or
// the ID field of a struct so named, whose type is an integer kind (or a
// pointer, slice or map of one). Issue 15 found ProjectAccess.ID,
// BatchExport.TeamID, the resource transfer team IDs and
// EnvironmentsRollback's map still int64 after 0.2.0 said every project ID
// was a ProjectID.
func TestProjectIDsAreTyped(t *testing.T) {
	fset, files := parseLibrary(t)
	var bad []string
	checked := 0
	report := func(pos token.Pos, what string) {
		bad = append(bad, fset.Position(pos).String()+": "+what)
	}
	// checkFields checks the names in fl. structName is the struct's name
	// for fields; for parameters and results it is the function's name when
	// that names teams, projects or environments (EnvironmentsRollback), so
	// that any integer it takes or returns counts.
	checkFields := func(owner string, fl *ast.FieldList, structName string) {
		if fl == nil {
			return
		}
		funcNamed := strings.Contains(owner, "(")
		for _, f := range fl.List {
			if len(f.Names) == 0 && funcNamed && projectIDName.MatchString(structName) && plainInt(f.Type) {
				report(f.Pos(), owner+" takes or returns a plain integer")
			}
			for _, n := range f.Names {
				if !n.IsExported() && !funcNamed {
					continue
				}
				checked++
				holds := projectIDName.MatchString(n.Name) ||
					(n.Name == "ID" && projectIDName.MatchString(structName)) ||
					(funcNamed && projectIDName.MatchString(structName))
				if holds && plainInt(f.Type) {
					report(n.Pos(), owner+"."+n.Name+" is a plain integer")
				}
			}
		}
	}
	for _, lf := range files {
		f := lf.file
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok || !ts.Name.IsExported() {
						continue
					}
					if st, ok := ts.Type.(*ast.StructType); ok {
						checkFields(ts.Name.Name, st.Fields, ts.Name.Name)
					}
					if projectIDName.MatchString(ts.Name.Name) && plainInt(ts.Type) &&
						ts.Name.Name != "ProjectID" && ts.Name.Name != "ProjectIntegrationID" {
						report(ts.Pos(), "type "+ts.Name.Name+" is a plain integer")
					}
				}
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				owner := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					recv := d.Recv.List[0].Type
					if s, ok := recv.(*ast.StarExpr); ok {
						recv = s.X
					}
					if id, ok := recv.(*ast.Ident); !ok || !id.IsExported() {
						continue
					} else {
						owner = id.Name + "." + owner
					}
				}
				checkFields(owner+"()", d.Type.Params, d.Name.Name)
				checkFields(owner+"()", d.Type.Results, d.Name.Name)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d fields and parameters checked: the source was not read", checked)
	}
	for _, b := range bad {
		t.Error(b)
	}
}
