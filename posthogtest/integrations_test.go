package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func TestIntegrationServerBodies(t *testing.T) {
	srv := newTestServer(t, WithDeterministicIDs())
	org := srv.DefaultOrganization().ID
	in := srv.AddIntegration(org, "vercel", map[string]any{"type": "connectable"})
	if !strings.HasPrefix(in.IntegrationID, "icfg_") || in.Kind != "vercel" || in.OrganizationID != org {
		t.Errorf("seeded = %+v", in)
	}
	key := srv.NewAPIKey("organization_integration:write")
	base := "/api/organizations/" + org.String() + "/integrations/"

	status, page := rawCall(t, srv, key, "GET", base+"?limit=1", "")
	if status != 200 || page["count"] != float64(1) || page["next"] != nil {
		t.Fatalf("list: %d %v", status, page)
	}
	item := page["results"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "kind", "integration_id", "config", "created_at", "updated_at", "created_by"} {
		if _, ok := item[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	if item["created_by"].(map[string]any)["email"] != "owner@example.com" {
		t.Errorf("created_by = %v", item["created_by"])
	}

	// Environment mapping rejects personal API keys before anything else.
	status, body := rawCall(t, srv, key, "PATCH", base+in.ID.String()+"/environment-mapping/", `{"production": 1}`)
	if status != 403 || body["detail"] != "This action does not support personal API key access" {
		t.Errorf("environment mapping: %d %v", status, body)
	}
	if status, body = rawCall(t, srv, key, "GET", base+"nope/", ""); status != 404 || body["code"] != "not_found" {
		t.Errorf("malformed id: %d %v", status, body)
	}
	if status, _ = rawCall(t, srv, key, "DELETE", base+in.ID.String()+"/", ""); status != http.StatusNoContent {
		t.Errorf("delete: %d", status)
	}
	if status, _ = rawCall(t, srv, key, "DELETE", base+in.ID.String()+"/", ""); status != http.StatusNotFound {
		t.Errorf("second delete: %d", status)
	}
}

func TestIntegrationEnvironmentMappingHandler(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	plain := srv.AddIntegration(org, "vercel", nil)
	conn := srv.AddIntegration(org, "vercel", map[string]any{"type": "connectable"})
	pv := func(id uuid.UUID) map[string]string {
		return map[string]string{"organization_id": org.String(), "id": id.String()}
	}

	w := callHandler(t, srv, handleIntegrationEnvironmentMapping, "PATCH", "/", `{"production": 1}`, pv(uuid.UUID(plain.ID)))
	if w.Code != 400 || strings.TrimSpace(w.Body.String()) != `{"detail":"Environment mapping is only supported for connectable integrations."}` {
		t.Errorf("not connectable: %d %s", w.Code, w.Body)
	}
	w = callHandler(t, srv, handleIntegrationEnvironmentMapping, "PATCH", "/", `{"preview": 1}`, pv(uuid.UUID(conn.ID)))
	var e map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code != 400 || e["attr"] != "production" || e["code"] != "required" {
		t.Errorf("no production: %d %s", w.Code, w.Body)
	}
	// The server has no projects of its own, so no ID belongs to the
	// organization.
	w = callHandler(t, srv, handleIntegrationEnvironmentMapping, "PATCH", "/", `{"production": 5}`, pv(uuid.UUID(conn.ID)))
	if w.Code != 400 || strings.TrimSpace(w.Body.String()) != `{"detail":"Project 5 does not belong to this organization."}` {
		t.Errorf("foreign project: %d %s", w.Code, w.Body)
	}
	if w = callHandler(t, srv, handleIntegrationEnvironmentMapping, "PATCH", "/", `{"production": 5}`, pv(uuid.New())); w.Code != 404 {
		t.Errorf("unknown integration: %d", w.Code)
	}
	if got := srv.Integrations(org); got[1].Config["environment_mapping"] != nil {
		t.Errorf("mapping stored despite errors: %v", got[1].Config)
	}
}

func TestIntegrationAddPanicsForUnknownOrganization(t *testing.T) {
	srv := newTestServer(t)
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	srv.AddIntegration(posthogapi.OrganizationID(uuid.New()), "vercel", nil)
}

// TestOrganizationIntegrationVercelProjectIntegrations: mapping Vercel
// environments creates one vercel integration in each mapped project (once),
// and deleting the organization integration deletes the organization's
// vercel project integrations (PostHog's OrganizationIntegrationViewSet
// .environment_mapping and .perform_destroy).
func TestOrganizationIntegrationVercelProjectIntegrations(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	p := srv.AddProject(org, "P")
	q := srv.AddProject(org, "Q")
	srv.SeedIntegration(q.ID, IntegrationAWSS3, "keep")
	conn := srv.AddIntegration(org, "vercel", map[string]any{"type": "connectable"})
	pv := map[string]string{"organization_id": org.String(), "id": uuid.UUID(conn.ID).String()}
	body := fmt.Sprintf(`{"production": %d, "preview": %d}`, p.ID, q.ID)
	for range 2 {
		if w := callHandler(t, srv, handleIntegrationEnvironmentMapping, "PATCH", "/", body, pv); w.Code != 200 {
			t.Fatalf("mapping: %d %s", w.Code, w.Body)
		}
	}
	vercel := func(id posthogapi.ProjectID) int {
		n := 0
		for _, in := range srv.ProjectIntegrations(id) {
			if in.Kind == "vercel" {
				n++
			}
		}
		return n
	}
	if vercel(p.ID) != 1 || vercel(q.ID) != 1 {
		t.Fatalf("vercel project integrations: %d in P, %d in Q", vercel(p.ID), vercel(q.ID))
	}
	if w := callHandler(t, srv, handleIntegrationDelete, "DELETE", "/", "", pv); w.Code != 204 {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if vercel(p.ID) != 0 || vercel(q.ID) != 0 || len(srv.ProjectIntegrations(q.ID)) != 1 {
		t.Errorf("after delete: P %v, Q %v", srv.ProjectIntegrations(p.ID), srv.ProjectIntegrations(q.ID))
	}
}
