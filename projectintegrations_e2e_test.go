package posthogapi_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// TestIntegrations_CreateUseDelete: an aws-s3 integration created through
// the API can be linked by a batch export in the project; PostHog refuses
// to delete it while the export uses it, naming the export, and deletes it
// once the export is gone.
func TestIntegrations_CreateUseDelete(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "integration:read", "integration:write", "batch_export:write")
	proj := srv.AddProject(org, "P")

	in, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "prod", AccessKeyID: "AKIA", SecretAccessKey: "secret-canary"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Kind != posthogapi.ProjectIntegrationAWSS3 || in.Config["name"] != "prod" || in.Config["aws_secret_access_key"] != nil || !strings.HasPrefix(in.DisplayName, "prod (AWS account ") {
		t.Errorf("created %+v", in)
	}
	// The name is the integration's identity within its kind.
	_, err = c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "prod", AccessKeyID: "B", SecretAccessKey: "C"},
	})
	if !errors.Is(err, posthogapi.ErrValidation) || !strings.Contains(err.Error(), "An integration named 'prod' already exists") {
		t.Errorf("duplicate name: %v", err)
	}
	// Kinds that need a provider round trip are not served.
	_, err = c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationSlack, Config: posthogapi.IntegrationConfigMap{"code": "x"},
	})
	if !errors.Is(err, posthogapi.ErrValidation) {
		t.Errorf("slack: %v", err)
	}

	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: "b", Region: "eu-west-1", Prefix: "p/"})
	dest.IntegrationID = posthogapi.NewNullable(in.ID)
	be, err := c.ProjectBatchExports.Create(ctx, proj.ID, &posthogapi.BatchExportCreate{Name: "to s3", Interval: posthogapi.IntervalHour, Destination: dest})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Integrations.DeleteForProject(ctx, proj.ID, in.ID)
	if !errors.Is(err, posthogapi.ErrValidation) || !strings.Contains(err.Error(), "This integration is used by batch exports: to s3.") {
		t.Fatalf("delete while used: %v", err)
	}
	if err := c.ProjectBatchExports.Delete(ctx, proj.ID, be.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Integrations.DeleteForProject(ctx, proj.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Integrations.GetForProject(ctx, proj.ID, in.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("Get after delete: %v", err)
	}
	if got := srv.ProjectIntegrations(proj.ID); len(got) != 0 {
		t.Errorf("server still holds %v", got)
	}
}

// TestIntegrations_CreateNeedsWriteScope: integration:read does not create.
func TestIntegrations_CreateNeedsWriteScope(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "integration:read")
	proj := srv.AddProject(org, "P")
	_, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind:   posthogapi.ProjectIntegrationS3Compatible,
		Config: posthogapi.S3CompatibleIntegrationConfig{Name: "r2", EndpointURL: "https://r2.example", AccessKeyID: "a", SecretAccessKey: "s"},
	})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) {
		t.Errorf("read-only key: %v", err)
	}
}

// integrationsPath is the raw path of a project's integrations.
func integrationsPath(p posthogapi.ProjectID) string {
	return "/api/projects/" + strconv.FormatInt(int64(p), 10) + "/integrations/"
}

// TestFidelityDec02_AWSS3RoleBasedIntegration: posthogtest creates an
// aws-s3 integration from a name and a role ARN, with PostHog's display
// name and messages: a role another organization uses, an ARN of the wrong
// form, a missing ARN (server-fidelity-2026-12 item 2).
func TestFidelityDec02_AWSS3RoleBasedIntegration(t *testing.T) {
	ctx := context.Background()
	srv, org, c := e2eServer(t, "integration:read", "integration:write", "batch_export:write")
	proj := srv.AddProject(org, "P")
	const arn = "arn:aws:iam::123456789012:role/posthog-exports"
	in, err := c.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "role", RoleARN: arn},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Config["aws_role_arn"] != arn || in.Config["aws_account_id"] != nil || in.DisplayName != "role (AWS role '"+arn+"')" {
		t.Errorf("created %+v", in)
	}
	// A batch export links it like any aws-s3 integration.
	dest := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: "b", Region: "eu-west-1", Prefix: "p/"})
	dest.IntegrationID = posthogapi.NewNullable(in.ID)
	if _, err := c.ProjectBatchExports.Create(ctx, proj.ID, &posthogapi.BatchExportCreate{Name: "to s3", Interval: posthogapi.IntervalHour, Destination: dest}); err != nil {
		t.Fatal(err)
	}

	// The same role in another organization (is_unique_aws_role_by_organization_id).
	other := srv.AddOrganization("Other", srv.DefaultUser().UUID)
	otherProj := srv.AddProject(other.ID, "Q")
	_, err = c.Integrations.CreateForProject(ctx, otherProj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "role", RoleARN: arn},
	})
	if !errors.Is(err, posthogapi.ErrValidation) || !strings.Contains(err.Error(), "Cannot create AWS integration: Invalid role") {
		t.Errorf("role of another organization: %v", err)
	}

	key := srv.NewAPIKey("integration:write")
	for body, want := range map[string]string{
		`{"kind":"aws-s3","config":{"name":"x","aws_role_arn":"arn:aws:iam::123:role/r"}}`:                             "AWS role ARN is not valid",
		`{"kind":"aws-s3","config":{"name":"x","aws_role_arn":""}}`:                                                    "A valid role ARN is required for AWS integration",
		`{"kind":"aws-s3","config":{"aws_role_arn":"` + arn + `"}}`:                                                    "A name is required for AWS integration",
		`{"kind":"aws-s3","config":{"name":"role","aws_role_arn":"` + arn + `"}}`:                                      "An integration named 'role' already exists",
		`{"kind":"aws-s3","config":{"name":"k","aws_role_arn":5,"aws_access_key_id":"a","aws_secret_access_key":"s"}}`: "A valid role ARN is required for AWS integration",
	} {
		st, _, got := rawCall(t, srv, key, "POST", integrationsPath(proj.ID), body)
		if st != 400 || got["detail"] != want || got["code"] != "invalid_input" || got["attr"] != nil {
			t.Errorf("%s: %d %v, want 400 %q", body, st, got, want)
		}
	}
}

// TestFidelityDec04_IntegrationDeleteNeedsProjectAdmin: a plain member
// cannot delete a project integration, even one they created, and the 403
// reads as TeamMemberStrictManagementPermission's (server-fidelity-2026-12
// item 4).
func TestFidelityDec04_IntegrationDeleteNeedsProjectAdmin(t *testing.T) {
	ctx := context.Background()
	srv, org, admin := e2eServer(t, "integration:read", "integration:write")
	proj := srv.AddProject(org, "P")
	u := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	member := e2eClient(t, srv, srv.NewAPIKeyFor(u.UUID, "integration:write"))
	mine, err := member.Integrations.CreateForProject(ctx, proj.ID, &posthogapi.ProjectIntegrationCreate{
		Kind: posthogapi.ProjectIntegrationAWSS3, Config: posthogapi.AWSS3IntegrationConfig{Name: "mine", AccessKeyID: "a", SecretAccessKey: "s"},
	})
	if err != nil {
		t.Fatalf("a member creates: %v", err)
	}
	err = member.Integrations.DeleteForProject(ctx, proj.ID, mine.ID)
	var apiErr *posthogapi.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || apiErr.Detail != "You don't have sufficient permissions in the project." {
		t.Fatalf("member deletes own integration: %v", err)
	}
	if err := admin.Integrations.DeleteForProject(ctx, proj.ID, mine.ID); err != nil {
		t.Fatalf("admin deletes: %v", err)
	}
}

// TestFidelityDec05_UnknownIntegrationKind: a kind outside PostHog's
// choices is DRF's invalid_choice on attr kind; slack-posthog-code is
// refused by validate_kind; valid kinds the API cannot create answer "Kind
// not supported" (server-fidelity-2026-12 item 5).
func TestFidelityDec05_UnknownIntegrationKind(t *testing.T) {
	srv, org, _ := e2eServer(t)
	proj := srv.AddProject(org, "P")
	key := srv.NewAPIKey("integration:write")
	for body, want := range map[string][3]string{
		`{"kind":"aws-s4","config":{}}`:             {"invalid_choice", `"aws-s4" is not a valid choice.`, "kind"},
		`{"kind":"","config":{}}`:                   {"invalid_choice", `"" is not a valid choice.`, "kind"},
		`{"kind":null,"config":{}}`:                 {"null", "This field may not be null.", "kind"},
		`{"config":{}}`:                             {"required", "This field is required.", "kind"},
		`{"kind":"slack-posthog-code","config":{}}`: {"invalid_input", "This integration kind is deprecated and can no longer be created.", "kind"},
		`{"kind":"hubspot","config":{}}`:            {"invalid_input", "Kind not supported", ""},
	} {
		st, _, got := rawCall(t, srv, key, "POST", integrationsPath(proj.ID), body)
		attr, _ := got["attr"].(string)
		if st != 400 || got["code"] != want[0] || got["detail"] != want[1] || attr != want[2] {
			t.Errorf("%s: %d %v, want %v", body, st, got, want)
		}
	}
}

// TestFidelityDec06_AWSFieldMessages: posthogtest names the first missing
// field as PostHog's integration_from_config does (server-fidelity-2026-12
// item 6).
func TestFidelityDec06_AWSFieldMessages(t *testing.T) {
	srv, org, _ := e2eServer(t)
	proj := srv.AddProject(org, "P")
	key := srv.NewAPIKey("integration:write")
	for body, want := range map[string]string{
		`{"kind":"aws-s3","config":{"aws_access_key_id":"a","aws_secret_access_key":"s"}}`:                   "A name is required for AWS integration",
		`{"kind":"aws-s3","config":{"name":"n","aws_secret_access_key":"s"}}`:                                "Access key ID is required for AWS integration",
		`{"kind":"aws-s3","config":{"name":"n","aws_access_key_id":"a"}}`:                                    "Secret access key is required for AWS integration",
		`{"kind":"aws-s3","config":{"name":"n","aws_access_key_id":"","aws_secret_access_key":"s"}}`:         "Access key ID is required for AWS integration",
		`{"kind":"s3-compatible","config":{"endpoint_url":"https://e"}}`:                                     "A name is required for S3-compatible integration",
		`{"kind":"s3-compatible","config":{"name":"n","endpoint_url":"https://e"}}`:                          "Access key ID is required for S3-compatible integration",
		`{"kind":"s3-compatible","config":{"name":"n","aws_access_key_id":"a"}}`:                             "Secret access key is required for S3-compatible integration",
		`{"kind":"s3-compatible","config":{"name":"n","aws_access_key_id":"a","aws_secret_access_key":"s"}}`: "Endpoint URL is required for S3-compatible integration",
	} {
		st, _, got := rawCall(t, srv, key, "POST", integrationsPath(proj.ID), body)
		if st != 400 || got["detail"] != want {
			t.Errorf("%s: %d %v, want %q", body, st, got, want)
		}
	}
}
