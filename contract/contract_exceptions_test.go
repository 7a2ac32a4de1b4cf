package contract

import (
	"os"
	"strings"
	"testing"
)

// The server-vs-schema differences TestContract allows, the endpoints it
// cannot validate and the operations posthogtest refuses. SCHEMA-EXCEPTIONS.md
// is written by hand from these tables; TestSchemaExceptionsDocumented keeps
// the two in step.

// Sources cited in the table. "PH" is the public repository
// PostHog/posthog; reference/posthog-api.md is in the project's shared
// folder.
const (
	srcUser           = "PH posthog/api/user.py UserSerializer; posthog/models/user.py User.team"
	srcMethodFields   = "reference/posthog-api.md §2.1, §7: SerializerMethodFields are typed string by drf-spectacular"
	srcBatchExports   = "reference/posthog-api.md §2.8; PH posthog/batch_exports/http.py"
	srcBatchTests     = "PH posthog/batch_exports/http.py (test, run_test_step, run_test_step_new actions)"
	srcDomains        = "PH posthog/api/organization_domain.py"
	srcIdP            = "PH posthog/api/identity_provider_config.py IdentityProviderConfigViewSet (newer than both schemas)"
	srcFlags          = "PH posthog/api/organization_feature_flag.py OrganizationFeatureFlagView"
	srcInvites        = "reference/posthog-api.md §2.3; PH posthog/api/organization_invite.py bulk"
	srcMembers        = "PH posthog/api/organization_member.py scoped_api_keys"
	srcRollback       = "reference/posthog-api.md §3 (environments_rollback); PH posthog/api/organization.py"
	srcProjects       = "PH posthog/api/project.py"
	srcProxy          = "reference/posthog-api.md §4, §7; PH posthog/api/proxy_record.py"
	srcRoles          = "reference/posthog-api.md §2.7, §7; PH ee/api/rbac/role.py"
	srcTransfers      = "PH posthog/api/resource_transfer.py"
	pauseState        = `{"type":"object","required":["paused"],"properties":{"paused":{"type":"boolean"}}}`
	productIntentBody = `{"type":"object","required":["product_type"],"properties":{"product_type":{"type":"string"},"intent_context":{"type":"string"},"metadata":{"type":"object"}}}`
	testStep          = `{"type":"object","required":["name","description","result"],"properties":{"name":{"type":"string"},"description":{"type":"string"},` +
		`"result":{"type":"object","nullable":true,"required":["status"],"properties":{"status":{"type":"string","enum":["Passed","Failed","Skipped"]},"message":{"type":"string","nullable":true}}}}}`
	testStepBody = `{"allOf":[{"$ref":"#/components/schemas/BatchExport"},{"type":"object","properties":{"step":{"type":"integer","minimum":0}}}]}`
	transferBody = `{"type":"object","required":["source_team_id","destination_team_id","resource_kind","resource_id"],"properties":{` +
		`"source_team_id":{"type":"integer"},"destination_team_id":{"type":"integer"},"resource_kind":{"type":"string"},"resource_id":{"type":"string"}`
	resourceRef = `{"type":"object","required":["resource_kind","resource_id","display_name"],"properties":{"resource_kind":{"type":"string"},"resource_id":{"type":"string"},"display_name":{"type":"string"}}}`
)

// noBody is the replacement of a request exception for an action that
// reads no body.
const noBody = ""

const (
	opOrgs     = "/api/organizations/"
	opOrgID    = opOrgs + "{id}/"
	opBatch    = opOrgs + "{organization_id}/batch_exports/"
	opBatchID  = opBatch + "{id}/"
	opDomainID = opOrgs + "{organization_id}/domains/{id}/"
	opProject  = opOrgs + "{organization_id}/projects/{id}/"
	opProxy    = opOrgs + "{organization_id}/proxy_records/"
	opTransfer = opOrgs + "{organization_id}/resource_transfers/"
)

var schemaExceptions = []schemaException{
	// Path parameters.
	pathParamEx("GET "+opOrgID, "id", `{"type":"string","anyOf":[{"format":"uuid"},{"enum":["@current"]}]}`,
		"a UUID or @current (Organizations.GetCurrent)", `the schema types {id} as a UUID; the viewset resolves "@current" to the user's current organization`,
		"PH posthog/api/organization.py OrganizationViewSet.get_object (\"@current\" is the user's current organization)"),
	pathParamEx("GET /api/users/{uuid}/", "uuid", `{"type":"string","anyOf":[{"format":"uuid"},{"enum":["@me"]}]}`,
		"@me (Users.Me)", `the schema types {uuid} as a UUID; the viewset resolves "@me" to the requesting user, and refuses other UUIDs to non-staff`,
		"PH posthog/api/user.py UserViewSet.get_object"),
	// Component properties.
	propertyEx("BatchExportDestination", "type", `{"type":"string","enum":["S3","Snowflake","Postgres","Redshift","BigQuery","Databricks","AzureBlob","Workflows","HTTP","NoOp","AwsS3","S3Compatible","FileDownload"]}`,
		"also AwsS3, S3Compatible and FileDownload", "the schemas predate the AwsS3/S3Compatible split; today's server refuses new S3 exports",
		"PH products/batch_exports/backend/models/batch_export.py BatchExportDestination.Destination; products/batch_exports/backend/service.py DESTINATION_WORKFLOWS"),
	propertyEx("Integration", "kind", `{"type":"string"}`,
		"any Integration.IntegrationKind, such as aws-s3, s3-compatible, postgresql, snowflake", "the schema's KindEnum lists only some kinds (none of the batch export ones but databricks)",
		"PH posthog/models/integration.py Integration.IntegrationKind; posthog/api/integration.py IntegrationSerializer"),
	propertyEx("Organization", "member_count", `{"type":"integer","readOnly":true}`,
		"an integer", "a SerializerMethodField typed string by the schema; the server counts members", srcMethodFields),
	propertyEx("Organization", "metadata", `{"type":"object","readOnly":true}`,
		`an object {"instance_tag": ...}`, "a SerializerMethodField typed string by the schema", srcMethodFields),
	propertyEx("Organization", "teams", `{"type":"array","readOnly":true,"items":{"type":"object"}}`,
		"TeamBasic objects whose values may be null (has_completed_onboarding_for of a new project)", "a SerializerMethodField given free-form items ({}), which OpenAPI 3.0 reads as not nullable", srcMethodFields+"; PH posthog/api/organization.py OrganizationSerializer.get_teams"),
	propertyEx("OrganizationMember", "last_login", `{"type":"string","format":"date-time","readOnly":true,"nullable":true}`,
		"null for users who never logged in", "the schema does not mark the field nullable; User.last_login is a nullable column", "reference/posthog-api.md §2.2"),
	propertyEx("ProjectBackwardCompat", "default_modifiers", `{"type":"object","readOnly":true}`,
		"an object of HogQL modifiers", "a SerializerMethodField typed string by the schema", srcMethodFields+"; "+srcProjects),
	propertyEx("ProjectBackwardCompat", "person_on_events_querying_enabled", `{"type":"boolean","readOnly":true}`,
		"a boolean", "a SerializerMethodField typed string by the schema", srcMethodFields+"; "+srcProjects),
	propertyEx("ProjectBackwardCompat", "product_intents", `{"type":"array","readOnly":true,"items":{"type":"object"}}`,
		"a list of intent objects (product_type, created_at, onboarding_completed_at, ...)", "a SerializerMethodField typed string by the schema", srcMethodFields+"; "+srcProjects),
	propertyEx("Role", "members", `{"type":"array","readOnly":true,"items":{"$ref":"#/components/schemas/RoleMembership"}}`,
		"a list of RoleMembership objects", "a SerializerMethodField typed string by the schema", srcRoles),
	propertyEx("Role", "is_default", `{"type":"boolean","readOnly":true}`,
		"a boolean", "a SerializerMethodField typed string by the schema", srcRoles),
	propertyEx("Role", "created_by", `{"allOf":[{"$ref":"#/components/schemas/UserBasic"}],"readOnly":true,"nullable":true}`,
		"null for roles created through the API", "the role serializer's create sets only the organization (fidelity item 14)", srcRoles),
	propertyEx("User", "role_at_organization", `{"type":"string","enum":["engineering","data","product","founder","leadership","marketing","sales","other"],"nullable":true}`,
		"null for a user who did not say", "a ChoiceField with required=False; the model column is nullable and DRF renders None as null", srcUser),
	propertyEx("User", "team", `{"allOf":[{"$ref":"#/components/schemas/TeamBasic"}],"readOnly":true,"nullable":true}`,
		"null when the user's current organization has no project", "User.team is None without a project; the schema does not mark the field nullable", srcUser),

	// Organizations.
	requestEx("POST "+opOrgID+"environments_rollback/", `{"type":"object","additionalProperties":{"type":"integer"}}`,
		`a map of environment ID to project ID, {"<id>": <id>}`, "drf-spectacular gives the viewset's Organization serializer to the action", srcRollback),
	responseEx("POST "+opOrgID+"environments_rollback/", 202, `{"type":"object","required":["success","message"],"properties":{"success":{"type":"boolean"},"message":{"type":"string"}}}`,
		`202 {"success": true, "message": "Migration started"}`, "the schema lists 200 with an Organization", srcRollback),

	// Members.
	queryEx("GET "+opOrgs+"{organization_id}/members/",
		`{"search":{"type":"string","maxLength":200},"email":{"type":"string"},"order":{"type":"string","enum":["joined_at","-joined_at"]},"updated_after":{"type":"string","format":"date-time"}}`,
		"search, email, order, updated_after besides limit and offset", "the schema lists only limit and offset", "reference/posthog-api.md §4; PH posthog/api/organization_member.py"),
	responseEx("GET "+opOrgs+"{organization_id}/members/{user__uuid}/scoped_api_keys/", 200,
		`{"type":"object","required":["has_keys","has_keys_active_last_week","keys"],"properties":{"has_keys":{"type":"boolean"},"has_keys_active_last_week":{"type":"boolean"},`+
			`"keys":{"type":"array","items":{"type":"object","required":["name","last_used_at"],"properties":{"name":{"type":"string"},"last_used_at":{"type":"string","format":"date-time","nullable":true}}}}}}`,
		"{has_keys, has_keys_active_last_week, keys: [{name, last_used_at}]}", "the schema gives the action the viewset's OrganizationMember serializer", srcMembers),

	// Invites.
	requestEx("POST "+opOrgs+"{organization_id}/invites/bulk/", `{"type":"array","maxItems":20,"items":{"$ref":"#/components/schemas/OrganizationInvite"}}`,
		"a JSON array of at most 20 invites", "the schema gives the action one OrganizationInvite", srcInvites),
	responseEx("POST "+opOrgs+"{organization_id}/invites/bulk/", 201, `{"type":"array","items":{"$ref":"#/components/schemas/OrganizationInvite"}}`,
		"201 with the list of created invites", `the schema says 200 "No response body"`, srcInvites),

	// Projects.
	queryEx("GET "+opProject+"activity/", `{"limit":{"type":"integer","minimum":1},"page":{"type":"integer","minimum":1}}`,
		"limit and page", "the schema lists no parameters for the action", srcProjects+" activity"),
	responseEx("GET "+opProject+"activity/", 200,
		`{"type":"object","required":["results","next","previous","total_count"],"properties":{"results":{"type":"array","items":{"type":"object","required":["id","activity","scope","created_at"],"properties":{`+
			`"id":{"type":"string","format":"uuid"},"user":{"type":"object","nullable":true},"unread":{"type":"boolean"},"organization_id":{"type":"string","format":"uuid","nullable":true},`+
			`"was_impersonated":{"type":"boolean","nullable":true},"is_system":{"type":"boolean","nullable":true},"activity":{"type":"string"},"item_id":{"type":"string","nullable":true},`+
			`"scope":{"type":"string"},"detail":{"type":"object","nullable":true},"created_at":{"type":"string","format":"date-time"}}}},`+
			`"next":{"type":"string","nullable":true},"previous":{"type":"string","nullable":true},"total_count":{"type":"integer"}}}`,
		"an activity log page {results, next, previous, total_count}", "the schema gives the action the viewset's ProjectBackwardCompat serializer", srcProjects+" activity (activity_page_response)"),
	responseEx("GET "+opProject+"is_generating_demo_data/", 200, `{"type":"object","required":["is_generating_demo_data"],"properties":{"is_generating_demo_data":{"type":"boolean"}}}`,
		`{"is_generating_demo_data": bool}`, "the schema gives the action the viewset's ProjectBackwardCompat serializer", srcProjects+" is_generating_demo_data"),
	requestEx("PATCH "+opProject+"add_product_intent/", productIntentBody,
		"{product_type, intent_context, metadata}", "the action reads a ProductIntentSerializer, not the PatchedProjectBackwardCompat the schema names", srcProjects+" add_product_intent"),
	responseEx("PATCH "+opProject+"add_product_intent/", 201, `{"$ref":"#/components/schemas/ProjectBackwardCompat"}`,
		"201 with the project's settings", "the view answers status=201; the schema lists 200", srcProjects+" add_product_intent"),
	requestEx("PATCH "+opProject+"complete_product_onboarding/", productIntentBody,
		"{product_type, intent_context, metadata}", "the action reads product_type and a ProductIntentSerializer, not PatchedProjectBackwardCompat", srcProjects+" complete_product_onboarding"),
	requestEx("POST "+opProject+"change_organization/", `{"type":"object","required":["organization_id"],"properties":{"organization_id":{"type":"string","format":"uuid"}}}`,
		`{"organization_id": "<uuid>"}`, "the action reads organization_id, which ProjectBackwardCompat does not have", srcProjects+" change_organization"),

	// Batch exports.
	requestEx("POST "+opBatchID+"pause/", noBody,
		"no body", "the schema requires a BatchExport body the action never reads", srcBatchExports),
	responseEx("POST "+opBatchID+"pause/", 200, pauseState,
		`{"paused": true}`, `the schema says "No response body"`, srcBatchExports),
	requestEx("POST "+opBatchID+"unpause/", `{"type":"object","properties":{"backfill":{"type":"boolean"}}}`,
		`{"backfill": bool}`, "the schema requires a BatchExport body; the action reads only backfill", srcBatchExports),
	responseEx("POST "+opBatchID+"unpause/", 200, pauseState,
		`{"paused": false}`, `the schema says "No response body"`, srcBatchExports),
	requestEx("POST "+opBatchID+"backfill/", `{"type":"object","properties":{"start_at":{"type":"string","format":"date-time"},"end_at":{"type":"string","format":"date-time"}}}`,
		"{start_at, end_at}", "the schema requires a BatchExport body; the deprecated action reads a backfill interval", srcBatchExports),
	responseEx("POST "+opBatchID+"backfill/", 200, `{"type":"object","required":["backfill_id"],"properties":{"backfill_id":{"type":"string"}}}`,
		`{"backfill_id": "<workflow id>"}`, `the schema says "No response body"`, srcBatchExports),
	queryEx("GET "+opBatchID+"logs/",
		`{"limit":{"type":"integer","minimum":1,"maximum":500},"offset":{"type":"integer","minimum":0},"after":{"type":"string","format":"date-time"},"before":{"type":"string","format":"date-time"},`+
			`"level":{"type":"string","pattern":"^(DEBUG|LOG|INFO|WARNING|ERROR)(,(DEBUG|LOG|INFO|WARNING|ERROR))*$"},"search":{"type":"string"},"instance_id":{"type":"string"}}`,
		"limit, offset, after, before, level (comma-separated), search, instance_id", "the schema lists no parameters for the action",
		"PH posthog/api/log_entries.py LogEntryRequestSerializer, LogEntryMixin.logs"),
	responseEx("GET "+opBatchID+"logs/", 200,
		`{"type":"object","required":["count","next","previous","results"],"properties":{"count":{"type":"integer"},"next":{"type":"string","nullable":true},"previous":{"type":"string","nullable":true},`+
			`"results":{"type":"array","items":{"type":"object","required":["timestamp","level","message"],"properties":{"team_id":{"type":"integer"},"log_source_id":{"type":"string"},`+
			`"instance_id":{"type":"string"},"timestamp":{"type":"string","format":"date-time"},"level":{"type":"string","enum":["DEBUG","LOG","INFO","WARNING","ERROR"]},"message":{"type":"string"}}}}}}`,
		"a limit/offset page of log entries", `the schema says "No response body"`, "PH posthog/api/log_entries.py LogEntryMixin.logs"),
	queryEx("GET /api/projects/{project_id}/integrations/", `{"kind":{"type":"string"}}`,
		"kind, to list the integrations of one kind", "the schema lists only limit and offset", "PH posthog/api/integration.py IntegrationViewSet.filterset_fields"),
	queryEx("GET "+opBatch+"test/", `{"destination":{"type":"string"}}`,
		"destination, the destination type to list the test steps of", "the schema lists no parameters for the action", srcBatchTests),
	responseEx("GET "+opBatch+"test/", 200, `{"type":"object","required":["steps"],"properties":{"steps":{"type":"array","items":`+testStep+`}}}`,
		"{steps: [{name, description, result: null}]}", `the schema says "No response body"`, srcBatchTests),
	requestEx("POST "+opBatchID+"run_test_step/", testStepBody,
		"a BatchExport plus the step number", "the schema's BatchExport body has no step", srcBatchTests),
	responseEx("POST "+opBatchID+"run_test_step/", 200, testStep,
		"{name, description, result: {status, message}}", `the schema says "No response body"`, srcBatchTests),
	requestEx("POST "+opBatch+"run_test_step_new/", testStepBody,
		"a BatchExport plus the step number", "the schema's BatchExport body has no step", srcBatchTests),
	responseEx("POST "+opBatch+"run_test_step_new/", 200, testStep,
		"{name, description, result: {status, message}}", `the schema says "No response body"`, srcBatchTests),

	// Domains.
	requiredEx("OrganizationDomain", `["id","domain","is_verified","verified_at","verification_challenge","scim_base_url"]`,
		"the newest serializer's fields only", "SAML/SCIM moved to identity_provider_configs: the newest OrganizationDomainSerializer has no has_saml, has_scim or scim_bearer_token (older servers still send them)",
		srcDomains+" OrganizationDomainSerializer.Meta.fields (newest)"),
	requestEx("PUT "+opDomainID, `{"$ref":"#/components/schemas/PatchedOrganizationDomain"}`,
		"the writable settings without domain", "domain is read-only once created (get_fields), so a PUT need not carry the schema's required domain", srcDomains+" OrganizationDomainSerializer.get_fields"),
	requestEx("POST "+opDomainID+"verify/", noBody,
		"no body (the SDK sends {})", "the schema requires an OrganizationDomain body the action never reads", srcDomains+" verify"),
	responseEx("POST "+opDomainID+"verify/", 200, `{"$ref":"#/components/schemas/OrganizationDomain"}`,
		"the domain", `the schema says "No response body"`, srcDomains+" verify"),
	requestEx("POST "+opDomainID+"scim/token/", noBody,
		"no body (the SDK sends {})", "the schema requires an OrganizationDomain body the action never reads", "reference/posthog-api.md §2.4"),
	responseEx("POST "+opDomainID+"scim/token/", 200,
		`{"type":"object","required":["scim_enabled","scim_base_url","scim_bearer_token"],"properties":{"scim_enabled":{"type":"boolean"},"scim_base_url":{"type":"string"},"scim_bearer_token":{"type":"string"}}}`,
		"{scim_enabled, scim_base_url, scim_bearer_token}", `the schema says "No response body"`, "reference/posthog-api.md §2.4"),

	// Feature flags.
	responseEx("GET "+opOrgs+"{organization_id}/feature_flags/{feature_flag_key}/", 200,
		`{"type":"array","items":{"type":"object","required":["flag_id","team_id","created_by","filters","created_at","active"],"properties":{"flag_id":{"type":"integer"},"team_id":{"type":"integer"},`+
			`"created_by":{"allOf":[{"$ref":"#/components/schemas/UserBasic"}],"nullable":true},"filters":{"type":"object"},"created_at":{"type":"string","format":"date-time"},"active":{"type":"boolean"}}}}`,
		"a list of the key's flags, one per project", `the schema says "No response body"`, srcFlags),
	requestEx("POST "+opOrgs+"{organization_id}/feature_flags/copy_flags/",
		`{"type":"object","required":["feature_flag_key","from_project","target_project_ids"],"properties":{"feature_flag_key":{"type":"string"},"from_project":{"type":"integer"},`+
			`"target_project_ids":{"type":"array","items":{"type":"integer"}},"copy_schedule":{"type":"boolean"}}}`,
		"{feature_flag_key, from_project, target_project_ids, copy_schedule}", "the schema has no request body for the action", srcFlags),
	responseEx("POST "+opOrgs+"{organization_id}/feature_flags/copy_flags/", 200,
		`{"type":"object","required":["success","failed"],"properties":{"success":{"type":"array","items":{"type":"object","additionalProperties":true,"required":["id","key","filters","active"],"properties":{`+
			`"id":{"type":"integer"},"key":{"type":"string"},"name":{"type":"string"},"filters":{"type":"object"},"active":{"type":"boolean"},"version":{"type":"integer"}}}},`+
			`"failed":{"type":"array","items":{"type":"object","required":["project_id","errors"],"properties":{"project_id":{"type":"integer"},"errors":{}}}}}}`,
		"{success: [flag], failed: [{project_id, errors}]}", `the schema says "No response body"`, srcFlags),

	// Proxy records.
	responseEx("GET "+opProxy, 200,
		`{"type":"object","required":["results","max_proxy_records"],"properties":{"results":{"type":"array","items":{"$ref":"#/components/schemas/ProxyRecord"}},"max_proxy_records":{"type":"integer"}}}`,
		"{results, max_proxy_records}", "the viewset has pagination_class = None; the schema names a limit/offset page", srcProxy),
	responseEx("DELETE "+opProxy+"{id}/", 200, `{"type":"object","required":["success"],"properties":{"success":{"type":"boolean"}}}`,
		`200 {"success": true}`, "the schema lists 204", srcProxy),
	requestEx("POST "+opProxy+"{id}/retry/", noBody,
		"no body", "the schema requires a ProxyRecord body the action never reads", srcProxy+" retry"),

	// Resource transfers.
	requestEx("POST "+opTransfer+"preview/", transferBody+`}}`,
		"{source_team_id, destination_team_id, resource_kind, resource_id}", "the schema has no request body (the view's _FallbackSerializer)", srcTransfers),
	responseEx("POST "+opTransfer+"preview/", 200,
		`{"type":"object","required":["resources"],"properties":{"resources":{"type":"array","items":{"type":"object","required":["resource_kind","resource_id","display_name","friendly_kind","user_facing"],"properties":{`+
			`"resource_kind":{"type":"string"},"resource_id":{"type":"string"},"display_name":{"type":"string"},"friendly_kind":{"type":"string"},"user_facing":{"type":"boolean"},"suggested_substitution":`+resourceRef+`}}}}}`,
		"{resources: [...]}", `the schema says "No response body"`, srcTransfers),
	requestEx("POST "+opTransfer+"transfer/", transferBody+`,"substitutions":{"type":"array","items":{"type":"object","required":["source_resource_kind","source_resource_id","destination_resource_kind","destination_resource_id"],`+
		`"properties":{"source_resource_kind":{"type":"string"},"source_resource_id":{"type":"string"},"destination_resource_kind":{"type":"string"},"destination_resource_id":{"type":"string"}}}}}}`,
		"the preview body plus substitutions", "the schema has no request body (the view's _FallbackSerializer)", srcTransfers),
	responseEx("POST "+opTransfer+"transfer/", 201,
		`{"type":"object","required":["created_resources","count"],"properties":{"created_resources":{"type":"array","items":{"type":"object","required":["kind","id","team_id"],"properties":{`+
			`"kind":{"type":"string"},"id":{"type":"string"},"team_id":{"type":"integer"}}}},"count":{"type":"integer"}}}`,
		"201 {created_resources: [{kind, id, team_id}], count}", `the schema says 200 "No response body"`, srcTransfers),
	requestEx("POST "+opTransfer+"search/", `{"type":"object","required":["team_id","resource_kind"],"properties":{"team_id":{"type":"integer"},"resource_kind":{"type":"string"},"q":{"type":"string"}}}`,
		"{team_id, resource_kind, q}", "the schema has no request body (the view's _FallbackSerializer)", srcTransfers),
	responseEx("POST "+opTransfer+"search/", 200, `{"type":"object","required":["results"],"properties":{"results":{"type":"array","items":`+resourceRef+`}}}`,
		"{results: [{resource_kind, resource_id, display_name}]}", `the schema says "No response body"`, srcTransfers),
}

// outsideSchemas are the operations the SDK calls that neither schema file
// has, with where they are documented. They cannot be validated; the test
// fails if another endpoint turns out to be missing from the schemas, or if
// one of these appears in them.
var outsideSchemas = map[string]string{
	"GET /api/organizations/{}/domains/{}/scim/logs/":                     "reference/posthog-api.md §1, §2.4; PH posthog/api/organization_domain.py scim_logs",
	"GET /api/organizations/{}/identity_provider_configs/":                srcIdP,
	"POST /api/organizations/{}/identity_provider_configs/":               srcIdP,
	"GET /api/organizations/{}/identity_provider_configs/{}/":             srcIdP,
	"PATCH /api/organizations/{}/identity_provider_configs/{}/":           srcIdP,
	"PUT /api/organizations/{}/identity_provider_configs/{}/":             srcIdP,
	"DELETE /api/organizations/{}/identity_provider_configs/{}/":          srcIdP,
	"POST /api/organizations/{}/identity_provider_configs/{}/scim/token/": srcIdP,
	"GET /api/organizations/{}/identity_provider_configs/{}/scim/logs/":   srcIdP,
	"GET /api/organizations/{}/members/{}/github_login/":                  "reference/posthog-api.md §1; PH posthog/api/organization_member.py github_login",
	"POST /api/organizations/{}/invites/delegate/":                        "PostHog's API reference pages (reference/posthog-docs); reference/posthog-api.md §1 did not find it in PH organization_invite.py",
	"DELETE /api/organizations/{}/integrations/{}/":                       "reference/posthog-api.md §1, §2.9 (both schemas list only list and retrieve)",
	"PATCH /api/organizations/{}/integrations/{}/environment-mapping/":    "reference/posthog-api.md §1, §2.9",
	"GET /api/organizations/{}/legal_documents/":                          "reference/posthog-api.md §1, §2.10",
	"POST /api/organizations/{}/legal_documents/":                         "reference/posthog-api.md §1, §2.10",
	"GET /api/organizations/{}/legal_documents/{}/":                       "reference/posthog-api.md §1, §2.10",
	"DELETE /api/organizations/{}/legal_documents/{}/":                    "reference/posthog-api.md §1, §2.10",
	"GET /api/organizations/{}/legal_documents/{}/download/":              "reference/posthog-api.md §1, §2.10",
	"POST /api/organizations/{}/proxy_records/{}/diagnose/":               "reference/posthog-api.md §1, §6; PH posthog/api/proxy_record.py",
}

// neverSucceeds are operations the SDK still offers that posthogtest, like
// the newest PostHog, refuses for every caller, with the status it answers.
// They are driven once each and must answer that status.
var neverSucceeds = map[string]struct {
	status int
	why    string
}{
	"PUT /api/organizations/{}/proxy_records/{}/":   {405, "the newest proxy record viewset allows only GET, POST and DELETE (reference/posthog-api.md §7)"},
	"PATCH /api/organizations/{}/proxy_records/{}/": {405, "the newest proxy record viewset allows only GET, POST and DELETE (reference/posthog-api.md §7)"},
}

// TestSchemaExceptionsDocumented checks that SCHEMA-EXCEPTIONS.md has one
// row per exception of the table above, and no other, and lists the
// endpoints of outsideSchemas and neverSucceeds.
func TestSchemaExceptionsDocumented(t *testing.T) {
	b, err := os.ReadFile("../SCHEMA-EXCEPTIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[[2]string]int{}
	listed := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "- `") {
			op, _, _ := strings.Cut(strings.TrimPrefix(line, "- `"), "`")
			listed[op]++
			continue
		}
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Schema ") {
			continue
		}
		cells := strings.Split(line, " | ")
		if len(cells) < 5 {
			continue
		}
		rows[[2]string{strings.TrimPrefix(cells[0], "| "), cells[1]}]++
	}
	n := 0
	for _, e := range schemaExceptions {
		a, b := e.cells()
		if rows[[2]string{a, b}] != 1 {
			t.Errorf("SCHEMA-EXCEPTIONS.md has %d rows for %s | %s, want 1", rows[[2]string{a, b}], a, b)
		}
		n++
	}
	total := 0
	for _, c := range rows {
		total += c
	}
	if total != n {
		t.Errorf("SCHEMA-EXCEPTIONS.md has %d exception rows, the table in contract_test.go %d", total, n)
	}
	want := map[string]bool{}
	for op := range outsideSchemas {
		want[op] = true
	}
	for op := range neverSucceeds {
		want[op] = true
	}
	for op := range want {
		if listed[op] != 1 {
			t.Errorf("SCHEMA-EXCEPTIONS.md lists %s %d times, want once", op, listed[op])
		}
	}
	for op := range listed {
		if !want[op] {
			t.Errorf("SCHEMA-EXCEPTIONS.md lists %s, which is in neither outsideSchemas nor neverSucceeds", op)
		}
	}
}
