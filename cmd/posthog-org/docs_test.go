package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/cli"
	"github.com/spf13/cobra/doc"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/ from the commands' help")

// TestDocsUpToDate generates the reference pages (one per command, from the
// commands' own help) and fails when the committed docs/ differ. Refresh
// them with: go test -run TestDocsUpToDate -update-docs .
func TestDocsUpToDate(t *testing.T) {
	dir := t.TempDir()
	root := cli.NewRootCommand()
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		t.Fatal(err)
	}
	fresh, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if *updateDocs {
		old, _ := filepath.Glob(filepath.Join("docs", "*.md"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll("docs", 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range fresh {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("docs", filepath.Base(f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	committed, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var names, committedNames []string
	for _, f := range fresh {
		names = append(names, filepath.Base(f))
	}
	for _, f := range committed {
		committedNames = append(committedNames, filepath.Base(f))
	}
	if !slices.Equal(names, committedNames) {
		t.Fatalf("docs/ has pages %v, the commands make %v: run go test -run TestDocsUpToDate -update-docs .", committedNames, names)
	}
	for _, f := range fresh {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("docs", filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/%s is stale: run go test -run TestDocsUpToDate -update-docs .", filepath.Base(f))
		}
	}
}
