package contract

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// newestRouterOnly are the operations of PostHog's newest organization
// router (posthog/api/__init__.py, 2026) that are in neither stored schema,
// read from the viewsets named beside them. Each is either carried by an
// SDK method's API: line or listed in README.md under "Not covered, and
// why" (server-fidelity item 14, "Coverage gaps"; identity_provider_configs
// is handled with the domains work).
var newestRouterOnly = map[operation]string{
	{"GET", "/api/organizations/{}/personal_api_keys/"}:                             "posthog/api/organization_personal_api_key.py OrganizationPersonalAPIKeyViewSet (list)",
	{"GET", "/api/organizations/{}/role_external_references/"}:                      "posthog/api/role_external_reference.py RoleExternalReferenceViewSet (list)",
	{"POST", "/api/organizations/{}/role_external_references/"}:                     "RoleExternalReferenceViewSet (create)",
	{"DELETE", "/api/organizations/{}/role_external_references/{}/"}:                "RoleExternalReferenceViewSet (destroy)",
	{"GET", "/api/organizations/{}/role_external_references/lookup/"}:               "RoleExternalReferenceViewSet.lookup",
	{"GET", "/api/organizations/{}/cimd_verification_tokens/"}:                      "posthog/api/cimd_verification_token.py CIMDVerificationTokenViewSet (list)",
	{"POST", "/api/organizations/{}/cimd_verification_tokens/"}:                     "CIMDVerificationTokenViewSet.create",
	{"GET", "/api/organizations/{}/cimd_verification_tokens/{}/"}:                   "CIMDVerificationTokenViewSet (retrieve)",
	{"PATCH", "/api/organizations/{}/cimd_verification_tokens/{}/"}:                 "CIMDVerificationTokenViewSet.partial_update",
	{"DELETE", "/api/organizations/{}/cimd_verification_tokens/{}/"}:                "CIMDVerificationTokenViewSet (destroy)",
	{"GET", "/api/organizations/{}/welcome/current/"}:                               "posthog/api/welcome.py WelcomeViewSet.current",
	{"GET", "/api/organizations/{}/welcome/"}:                                       "posthog/api/welcome.py WelcomeViewSet.list (older)",
	{"GET", "/api/organizations/{}/advanced_activity_logs/"}:                        "posthog/api/advanced_activity_logs OrganizationAdvancedActivityLogsViewSet (list)",
	{"GET", "/api/organizations/{}/advanced_activity_logs/available_filters/"}:      "AdvancedActivityLogsViewSet.available_filters",
	{"POST", "/api/organizations/{}/advanced_activity_logs/export/"}:                "OrganizationAdvancedActivityLogsViewSet.export",
	{"GET", "/api/organizations/{}/projects/{}/event_ingestion_restrictions/"}:      "posthog/api/project.py ProjectViewSet.event_ingestion_restrictions",
	{"GET", "/api/organizations/{}/projects/{}/logs_config/"}:                       "ProjectViewSet.logs_config",
	{"PATCH", "/api/organizations/{}/projects/{}/logs_config/"}:                     "ProjectViewSet.logs_config",
	{"GET", "/api/organizations/{}/projects/{}/default_release_conditions/"}:        "ProjectViewSet.default_release_conditions",
	{"PUT", "/api/organizations/{}/projects/{}/default_release_conditions/"}:        "ProjectViewSet.default_release_conditions",
	{"GET", "/api/organizations/{}/projects/{}/experiments_config/"}:                "ProjectViewSet.experiments_config",
	{"PATCH", "/api/organizations/{}/projects/{}/experiments_config/"}:              "ProjectViewSet.experiments_config",
	{"GET", "/api/organizations/{}/projects/{}/default_evaluation_contexts/"}:       "ProjectViewSet.default_evaluation_contexts",
	{"POST", "/api/organizations/{}/projects/{}/default_evaluation_contexts/"}:      "ProjectViewSet.default_evaluation_contexts",
	{"DELETE", "/api/organizations/{}/projects/{}/default_evaluation_contexts/"}:    "ProjectViewSet.default_evaluation_contexts",
	{"POST", "/api/organizations/{}/projects/{}/evaluation_context_suggestions/"}:   "ProjectViewSet.evaluation_context_suggestions",
	{"DELETE", "/api/organizations/{}/projects/{}/evaluation_context_suggestions/"}: "ProjectViewSet.evaluation_context_suggestions",
	{"GET", "/api/organizations/{}/projects/{}/settings_as_of/"}:                    "ProjectViewSet.settings_as_of",
}

var notCoveredOpRe = regexp.MustCompile(`^((?:(?:GET|POST|PUT|PATCH|DELETE) )+)(\S+)$`)

// readmeNotCovered returns the operations README.md lists under "Not
// covered, and why". A path starting with "..." is below
// /api/organizations/{organization_id}.
func readmeNotCovered(t *testing.T) map[operation]string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Not covered, and why\n")
	if !ok {
		t.Fatal(`README.md has no "## Not covered, and why" section`)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	out := map[operation]string{}
	for _, line := range strings.Split(sec, "\n") {
		if !strings.HasPrefix(line, "- ") {
			continue
		}
		head, why, _ := strings.Cut(line, ": ")
		if strings.TrimSpace(why) == "" {
			t.Errorf("README not-covered line gives no reason: %q", line)
		}
		parts := strings.Split(head, "`")
		for i := 1; i < len(parts); i += 2 {
			m := notCoveredOpRe.FindStringSubmatch(parts[i])
			if m == nil {
				t.Errorf("README not-covered entry %q is not METHOD... PATH", parts[i])
				continue
			}
			p := m[2]
			if rest, ok := strings.CutPrefix(p, "..."); ok {
				p = "/api/organizations/{organization_id}" + rest
			}
			for _, method := range strings.Fields(m[1]) {
				out[operation{method, normPath(p)}] = why
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("README lists no uncovered operation")
	}
	return out
}

// routerOnlyCovered returns the newest router's schema-less operations an
// SDK method covers (those README does not list as not covered), for
// TestEveryOperationHasAMethod.
func routerOnlyCovered(t *testing.T) map[operation]bool {
	t.Helper()
	listed := readmeNotCovered(t)
	out := map[operation]bool{}
	for op := range newestRouterOnly {
		if listed[op] == "" {
			out[op] = true
		}
	}
	return out
}

// TestFidelity14_NotCoveredListIsHonest: every route README lists as not
// covered is really absent from the SDK and is a route of the newest
// router; every schema-less route of the newest router is either carried by
// an API: line or listed.
func TestFidelity14_NotCoveredListIsHonest(t *testing.T) {
	covered := map[operation]string{}
	for _, l := range codeAPILines(t) {
		covered[l.op] = l.method
	}
	listed := readmeNotCovered(t)
	var bad []string
	for op := range listed {
		if m := covered[op]; m != "" {
			bad = append(bad, op.String()+" is listed as not covered but "+m+" carries it")
		}
		if newestRouterOnly[op] == "" {
			bad = append(bad, op.String()+" is listed as not covered but is not a known router route")
		}
	}
	for op := range newestRouterOnly {
		if covered[op] == "" && listed[op] == "" {
			bad = append(bad, op.String()+" is neither covered nor listed in README.md")
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("%d schema-less router operations: %d covered, %d listed as not covered", len(newestRouterOnly), len(newestRouterOnly)-len(listed), len(listed))
}
