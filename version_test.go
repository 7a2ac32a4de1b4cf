package posthogapi

import (
	"os"
	"regexp"
	"testing"
)

// TestVersionInChangelog fails when Version is not the newest released
// version of CHANGELOG.md (the first "## [x.y.z]" heading after
// [Unreleased]): a release bumps both together.
func TestVersionInChangelog(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("CHANGELOG.md has no released version (## [x.y.z] - yyyy-mm-dd)")
	}
	if got := string(m[1]); got != Version {
		t.Errorf("Version is %q, CHANGELOG.md's newest release is %q", Version, got)
	}
}
