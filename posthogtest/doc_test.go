package posthogtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sourcePathRe matches a PostHog source file named in a comment, such as
// posthog/api/organization_member.py or products/batch_exports/backend/service.py.
var sourcePathRe = regexp.MustCompile(`\b(?:posthog|ee|products)/[a-z0-9_/]+\.py\b`)

// TestDocTableNamesEverySource fails when a rule's comment cites a PostHog
// file that the package doc's table "behaviour → PostHog source" (doc.go)
// does not name: a new rule needs a row.
func TestDocTableNamesEverySource(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	for _, p := range sourcePathRe.FindAllString(string(doc), -1) {
		inDoc[p] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	cited := 0
	for _, f := range files {
		if f == "doc.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, p := range sourcePathRe.FindAllString(line, -1) {
				cited++
				if !inDoc[p] {
					t.Errorf("%s cites %s, which doc.go's table does not name", f, p)
					inDoc[p] = true // report each path once
				}
			}
		}
	}
	if cited < 50 {
		t.Errorf("only %d PostHog source citations found in comments; the scan is broken", cited)
	}
}

// TestDocRulesNameExistingTests fails when the package doc's list of rules
// by area names a test that does not exist in this module (posthogtest's
// tests or the SDK's, one directory up), so that each rule's line points at
// a test that proves it.
func TestDocRulesNameExistingTests(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	up, err := filepath.Glob("../*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	funcRe := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	for _, f := range append(files, up...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range funcRe.FindAllStringSubmatch(string(b), -1) {
			defined[m[1]] = true
		}
	}
	named := regexp.MustCompile(`\bTest[A-Z]\w+`).FindAllString(string(doc), -1)
	if len(named) < 40 {
		t.Fatalf("doc.go names only %d tests", len(named))
	}
	for _, n := range named {
		if !defined[n] {
			t.Errorf("doc.go names %s, which no test file defines", n)
		}
	}
}
