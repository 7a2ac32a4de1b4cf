package posthogapi

// The README's "Naming" rules, checked over the package source.

import (
	"go/ast"
	"strings"
	"testing"
)

// TestSurfaceRules reads the package source and holds every service method
// to the naming rules of the README's "Naming" paragraph: a method that
// returns one *Page[T] is List or ListX and has an iterator twin All or AllX,
// every iterator has its List twin, every Replace takes an *XReplace, and no
// exported method or function takes a bare bool.
func TestSurfaceRules(t *testing.T) {
	type method struct{ page, iter bool }
	services := map[string]map[string]method{}
	fset, files := parseLibrary(t)
	replaces := 0
	for _, lf := range files {
		for _, d := range lf.file.Decls {
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
