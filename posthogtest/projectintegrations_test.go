package posthogtest

import (
	"net/http"
	"strconv"
	"testing"
)

func TestProjectIntegrationsServer(t *testing.T) {
	srv := newTestServer(t)
	proj := srv.AddProject(srv.DefaultOrganization().ID, "Main").ID
	id := srv.SeedIntegration(proj, IntegrationAWSS3, "AWS prod")
	srv.SeedIntegration(proj, IntegrationSlack, "workspace")
	base := "/api/projects/" + strconv.FormatInt(int64(proj), 10) + "/integrations/"
	status, body := rawCall(t, srv, srv.NewAPIKey("integration:read"), "GET", base+"?kind=aws-s3", "")
	if status != http.StatusOK || body["count"] != float64(1) {
		t.Fatalf("list: %d %v", status, body)
	}
	status, body = rawCall(t, srv, srv.NewAPIKey("integration:read"), "GET", base+strconv.FormatInt(int64(id), 10)+"/", "")
	if status != http.StatusOK || body["display_name"] != "AWS prod" || body["kind"] != "aws-s3" || body["errors"] != "" {
		t.Errorf("get: %d %v", status, body)
	}
	if status, body := rawCall(t, srv, srv.NewAPIKey("batch_export:read"), "GET", base, ""); status != http.StatusForbidden ||
		body["detail"] != "API key missing required scope 'integration:read'" {
		t.Errorf("without scope: %d %v", status, body)
	}
	if status, _ := rawCall(t, srv, srv.NewAPIKey("*"), "GET", "/api/projects/999/integrations/", ""); status != http.StatusNotFound {
		t.Errorf("unknown project: %d", status)
	}
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	theirs := srv.AddProject(other.ID, "Theirs").ID
	if len(srv.ProjectIntegrations(theirs)) != 0 || len(srv.ProjectIntegrations(proj)) != 2 {
		t.Errorf("seeded = %v / %v", srv.ProjectIntegrations(theirs), srv.ProjectIntegrations(proj))
	}
}
