// Package posthogtest runs an in-memory PostHog on loopback for tests: the
// organization API of posthogapi, stateful, with PostHog's pagination,
// status codes, error bodies and per-key scopes, and faults on demand.
//
// A test of a program that uses posthogapi starts a server, makes a key,
// points the client at the server, and asserts on the server's state or its
// request log:
//
//	srv := posthogtest.NewServer()
//	defer srv.Close()
//	key := srv.NewAPIKey("organization_member:read")
//	c, err := posthogapi.NewClient(key, posthogapi.WithBaseURL(srv.URL()))
//	// ... run the code under test with c ...
//	for _, r := range srv.Requests() { ... }
//
// Requests logs everything received; Writes keeps the writes (method, path,
// body, status), and Snapshot gives an organization's members, pending and
// expired invites and roles in a stable order, for "what changed" checks.
// InvitesCreated counts the invites the API created per address (more than
// one: someone was invited twice). WithLatency delays every answer, to count
// a program's round trips.
//
// The server starts with one user (the default user, owner@example.com) who
// owns one organization (the default organization). NewAPIKey makes keys
// for that user; AddUser, AddOrganization and AddMember seed more.
//
// # Behaviour and its PostHog source
//
// The server is meant to be as strict as today's PostHog, never laxer. Each
// rule it enforces mirrors the PostHog code named below (paths in the
// public repository PostHog/posthog unless said otherwise; "DRF" is Django
// REST framework, "exceptions_hog" PostHog/drf-exceptions-hog), and the
// code enforcing it carries a comment naming the same file and function.
//
//	Behaviour                                   PostHog source
//	------------------------------------------  ------------------------------------------------
//	personal API key authentication, 401,       posthog/auth.py PersonalAPIKeyAuthentication
//	  last_used_at
//	scopes: x:write grants x:read, "*" all but  posthog/permissions.py APIScopePermission
//	  INTERNAL; actions without required          .has_permission
//	  scopes refuse personal API keys
//	keys without scopes refused; allowed        posthog/permissions.py APIScopePermission (newest;
//	  everything with LegacyUnscopedKeys          older versions had the legacy shortcut);
//	  (older self-hosted servers only)            posthog/migrations/1052_migrate_legacy_personal_api_key_scopes.py
//	401 with WWW-Authenticate: Bearer           posthog/api/routing.py get_authenticators (DRF
//	  resource_metadata="…"                       APIView.get_authenticate_header)
//	organization-level 403s: key not scoped to  posthog/permissions.py
//	  the organization, project-scoped key on     _check_organization_personal_api_key_restrictions
//	  an organization route, organization that
//	  refuses personal API keys
//	organization and team from the path, 404    posthog/api/routing.py TeamAndOrgViewSetMixin
//	  for others' organizations and projects
//	membership levels, admin-only writes        posthog/permissions.py OrganizationMemberPermissions,
//	                                              OrganizationAdminWritePermissions
//	throttle 480/minute and 4800/hour per key,  posthog/rate_limit.py BurstRateThrottle,
//	  429 with Retry-After, "1 second."           SustainedRateThrottle; DRF exceptions.py Throttled
//	error body {type, code, detail, attr};      exceptions_hog handler.py (code "invalid" rewritten
//	  "invalid" answered as "invalid_input"       by _get_main_exception_and_code)
//	503 database_unavailable, Retry-After: 1    posthog/exceptions.py (newest)
//	limit/offset pages of 100, no max limit     posthog/settings/web.py REST_FRAMEWORK
//	                                              (LimitOffsetPagination)
//	cursor pages of runs and backfills          products/batch_exports/backend/api/batch_export.py
//	                                              (CursorPagination)
//	organizations: writable fields, owner-only  posthog/api/organization.py OrganizationSerializer,
//	  delete, environments rollback               OrganizationViewSet; posthog/models/organization.py
//	members: list, search, order, email filter  posthog/api/organization_member.py
//	                                              OrganizationMemberViewSet; posthog/api/shared.py
//	                                              SearchMatchTypeSerializerMixin
//	members: who may edit whom, own level       posthog/api/organization_member.py
//	  refused, owner grants keep the granter      OrganizationMemberObjectPermissions
//	                                              .has_object_permission,
//	                                              OrganizationMemberSerializer.update;
//	                                              posthog/models/organization.py
//	                                              OrganizationMembership.validate_update
//	owners cannot leave or be removed           posthog/api/organization_member.py perform_destroy;
//	                                              posthog/models/user.py User.leave
//	members' scoped keys, GitHub login          posthog/api/organization_member.py scoped_api_keys,
//	                                              github_login
//	invites: one pending per address, 3-day     posthog/api/organization_invite.py
//	  validity, level not above the inviter's,    OrganizationInviteSerializer.validate / .create,
//	  members_can_invite, member's address        OrganizationInviteViewSet
//	bulk invites: at most 20, whole list        posthog/api/organization_invite.py
//	  validated first, then created one by one    OrganizationInviteViewSet.bulk;
//	  without a transaction (WithAtomicBulk-      posthog/settings/data_stores.py (no ATOMIC_REQUESTS)
//	  Invites: all-or-nothing)
//	delegate invites (201)                      posthog/api/organization_invite.py delegate
//	email addresses: an invite's domain         posthog/api/organization_invite.py
//	  lower-cased; invite create matches          OrganizationInviteSerializer.validate_target_email,
//	  members and earlier invites exactly;        .create; posthog/models/organization_invite.py
//	  accepting matches any case; new accounts    OrganizationInvite.validate, .use;
//	  lower-cased whole; seeded (older)           posthog/models/user.py UserManager.create_user;
//	  accounts keep the local part's case         posthog/helpers/email_utils.py EmailNormalizer
//	the key's user (/api/users/@me/ only,       posthog/api/user.py UserViewSet.get_object,
//	  user:read), its unexpired invites            UserSerializer.get_pending_invites
//	roles: members_can_see_org_members off     posthog/rbac/user_access_control.py
//	  hides other members (and role creators)     restricted_visible_membership_ids,
//	  from members below admin in role answers    get_project_scoped_visible_membership_ids
//	  when no project is accessible
//	people who join (invite acceptance,         posthog/models/organization_invite.py
//	  AddMember) get the default role             OrganizationInvite.use; posthog/models/user.py
//	                                              User.join
//	roles: names trimmed and unique per         ee/api/rbac/role.py RoleSerializer, RoleViewSet,
//	  organization ignoring case, created_by      RoleMembershipSerializer, RoleMembershipViewSet;
//	  null when created by the API, memberships   newest home:
//	  of members only                             products/access_control/backend/presentation/role.py
//	role external references                    posthog/api/role_external_reference.py
//	                                              RoleExternalReferenceViewSet;
//	                                              posthog/models/role_external_reference.py
//	projects: name stripped, 1..200 chars,      posthog/api/project.py
//	  unique ignoring case (409 conflict),        ProjectBackwardCompatSerializer
//	  unique default name
//	projects: plan limit 403 on create and PUT, posthog/api/project.py PremiumMultiProjectPermission
//	  one demo project, at most 2000              .has_permission, MAX_ALLOWED_PROJECTS_PER_ORG
//	projects: who may create (plan limit, then  posthog/api/project.py ProjectViewSet
//	  admins or members_can_create_projects),     .dangerously_get_permissions; posthog/permissions.py
//	  first project of a new organization         UserCanCreateProjectPermission;
//	                                              posthog/models/organization.py
//	                                              OrganizationManager.bootstrap
//	projects: admin-only settings (update and   posthog/api/team/settings_validation.py
//	  create), primary_dashboard not on create,   validate_team_attrs; posthog/api/team/team_config.py
//	  errors_to_ignore at most 300 characters     TEAM_CONFIG_ADMIN_FIELDS_SET
//	projects: PATCH needs project:write, actions posthog/api/project.py ProjectViewSet
//	  (activity, tokens, product intents,         (dangerously_get_required_scopes and the actions);
//	  change_organization), settings              posthog/api/team.py
//	batch exports: fields, intervals, models,   products/batch_exports/backend/api/batch_export.py
//	  pause/unpause, backfills, runs, logs         BatchExportSerializer, BatchExportViewSet,
//	                                              BatchExportRunViewSet, BatchExportBackfillViewSet;
//	                                              posthog/batch_exports/http.py (older home);
//	                                              posthog/api/log_entries.py LogEntryMixin.logs
//	batch export destinations: legacy S3        products/batch_exports/backend/api/batch_export.py
//	  refused, integration required per type,     BatchExportSerializer.validate_destination;
//	  credential fields refused, HTTP URL         products/batch_exports/backend/service.py
//	  allow-list, per-type inputs                 DESTINATION_WORKFLOWS and *BatchExportInputs
//	batch export test and test steps scopes     products/batch_exports/backend/api/batch_export.py
//	  (batch_export:read / :write)                BatchExportViewSet.test, run_test_step,
//	                                              run_test_step_new
//	project-level batch export routes, and the  products/batch_exports/backend/routes.py
//	  same on /api/environments/                  register_legacy_dual_route
//	project integrations: list and get, other   posthog/api/integration.py IntegrationViewSet,
//	  teams' integrations do not exist            IntegrationSerializer; posthog/models/integration.py
//	                                              Integration.IntegrationKind;
//	                                              posthog/api/scoped_related_fields.py
//	                                              TeamScopedPrimaryKeyRelatedField
//	project integrations: create aws-s3 (key    IntegrationSerializer.validate_kind, create,
//	  or role ARN) and s3-compatible with         _build_integration; IntegrationViewSet perform_destroy,
//	  per-field messages, kind choices,           IntegrationManagementPermission;
//	  delete by project admins unless a batch     posthog/models/integration/aws.py (AWS_ROLE_ARN_RE,
//	  export uses it                              AWSRoleBasedIntegration, AWSCredentialsIntegration,
//	                                              S3CompatibleIntegration); posthog/models/integration/common.py
//	                                              _return_non_empty_str_from_config;
//	                                              posthog/models/integration/model.py Integration.IntegrationKind
//	project backfills: dates, beginning of      products/batch_exports/backend/api/batch_export.py
//	  time, 500 without end_at on non-HTTP        create_backfill, validate_date_input,
//	  exports                                     BatchExportBackfillViewSet; products/batch_exports/backend/service.py
//	                                              backfill_export
//	no organization-level backfill (404 unless  products/batch_exports/backend/api/batch_export.py
//	  WithLegacyBatchExportBackfill)              BatchExportViewSet (newest: no backfill action)
//	OAuth applications of the organization      posthog/api/oauth_application.py
//	                                              OrganizationOAuthApplicationViewSet
//	organization integrations: read, delete,    posthog/api/organization_integration.py
//	  environment mapping
//	domains: unique, verification, JIT,         posthog/api/organization_domain.py
//	  enforce_verified_domains, would_block_self  OrganizationDomainSerializer, OrganizationDomainViewset
//	domain and identity provider SCIM logs      posthog/api/scim_request_log.py SCIMRequestLogFilter,
//	                                              SCIMRequestLogPagination
//	identity provider configs: CRUD, scopes,    posthog/api/identity_provider_config.py
//	  SCIM token and logs                         IdentityProviderConfigSerializer,
//	                                              IdentityProviderConfigViewSet; posthog/api/__init__.py;
//	                                              posthog/models/identity_provider_config.py
//	                                              ConfigScope, DomainScope; ee/api/scim/utils.py
//	                                              enable_scim_for_config, disable_scim_for_config
//	legacy domain SAML/SCIM fields and          posthog/api/organization_domain.py (older versions)
//	  domains/{id}/scim/token/ (WithLegacyDomainSSO)
//	proxy records: plan limit, states, no PUT/  posthog/api/proxy_record.py ProxyRecordViewset
//	  PATCH (405), retry, diagnose cooldown,      (create, destroy, retry, diagnose)
//	  200 {"success": true} on delete
//	proxy record domains: trimmed, unique        posthog/api/proxy_record.py ProxyRecordSerializer;
//	  across organizations and at most 64 in      posthog/models/proxy_record.py ProxyRecord
//	  the database only (500 otherwise)
//	legal documents: fields, one per type,      products/legal_documents/backend/presentation/views.py,
//	  presigned download                          serializers.py
//	personal API keys of the organization       posthog/api/organization_personal_api_key.py
//	  (admins, premium feature 402, masked)       OrganizationPersonalAPIKeyViewSet;
//	                                              posthog/permissions.py
//	                                              OrganizationAdminReadPermissions,
//	                                              PremiumFeaturePermission; posthog/exceptions.py;
//	                                              posthog/models/personal_api_key.py
//	                                              get_organization_personal_api_keys;
//	                                              posthog/models/utils.py mask_key_value
//	organization feature flags: retrieve by     posthog/api/organization_feature_flag.py
//	  key, copy_flags                             OrganizationFeatureFlagView
//	resource transfers (INTERNAL scope)         posthog/api/resource_transfer.py
//	                                              ResourceTransferViewSet
//
// # Every rule of the organization areas
//
// Read from the newest server code the search index holds (organization.py,
// organization_member.py, organization_invite.py, role.py, project.py with
// team/settings_validation.py and team/config, proxy_record.py,
// organization_domain.py, permissions.py and the models). One line per
// rule: "ok" with the test that proves it, or "differs" with the reason.
//
// Organizations:
//   - list: the caller's organizations, narrowed to a key's scoped ones: ok
//     (TestE2EOrganizationLifecycle, TestFidelity14_OrganizationLevel403s)
//   - get: 404 for another's organization, "@current" the user's: ok
//     (TestE2EOrganizationErrors)
//   - create: organization:write, creator becomes owner and gets the first
//     project: ok (TestFidelityDec09_OrganizationCreateBootstrapsProject)
//   - name: trimmed, required, not blank, at most 64: ok
//     (TestFidelityDec18_OrganizationNamesTrimmed)
//   - update needs an admin, delete an owner ("Your organization access
//     level is insufficient."): ok (TestE2EOrganizationErrors)
//   - logo_media_id must name uploaded media: ok, none exists here
//     (TestFidelityDecAudit_LogoMediaMustExist)
//   - default_experiment_stats_method choices, newest settings: ok
//     (TestFidelity07_OrganizationNewestFields)
//   - enforce_verified_domains is one setting: ok
//     (TestFidelityDec11_EnforceVerifiedDomainsOneState); the guard PostHog
//     puts on turning it on, and on inviting addresses of unverified
//     domains while it is on: differs, not modelled (the newest organization
//     and invite views are not in the index; only the domain view's comment
//     and PostHog's UI mention them)
//   - default_role_id: any string is stored; differs, unverified (the
//     newest serializer is not in the index: what PostHog answers for an ID
//     that is not a role is unknown)
//   - environments_rollback: admin, no scope, body checks: ok
//     (TestFidelityDec20_EnvironmentsRollbackBody)
//
// Members:
//   - search (at most 200 characters), order, email and updated_after
//     filters: ok (TestFidelity12_MemberSearchAndFilters); fuzzy matches
//     differ (see below)
//   - edits of others need an admin, never above the editor's level, own
//     level refused even unchanged: ok (TestFidelity11_MemberEditRules,
//     TestE2EMemberLevelRules)
//   - making an owner keeps the granter owner: ok
//     (TestFidelity04_GrantingOwnerKeepsGranterOwner)
//   - level is a choice with a default (not required, null refused): ok
//     (TestFidelityDec19_MemberLevelNotRequired)
//   - owners cannot leave or be removed: ok
//     (TestFidelity03_OwnerCannotLeaveOrBeRemoved)
//   - joining makes the organization the user's current one, leaving
//     falls back to their first remaining one: ok
//     (TestFidelityDec14_JoinMakesOrganizationCurrent,
//     TestFidelityDecAudit_LeaveKeepsACurrentOrganization)
//   - github_login (organization_member:read), scoped_api_keys (no
//     scope): ok (TestMemberGithubLoginE2E, TestE2EMembers)
//   - inactive users and PostHog's bots are left out of lists: no such
//     users here
//
// Invites:
//   - members invite only with members_can_invite: ok (TestInviteE2ERules)
//   - target_email required, an email address, domain lower-cased;
//     first_name trimmed, at most 30: ok (TestInviteCreateOnTheWire,
//     TestFidelityDecAudit_InviteFirstNameTrimmed)
//   - level not above the inviter's (403), a choice: ok
//     (TestInviteE2ERules, TestFidelityDec19_MemberLevelNotRequired)
//   - private_project_access: list of {id, level} of the organization's
//     projects: ok (TestInviteE2ERules)
//   - a member's address (exactly, as PostHog compares it) is refused: ok
//     (TestInviteE2ERules)
//   - earlier invites for the address are deleted, combine_pending_invites
//     merges the unexpired ones: ok (TestInviteE2ECombinePending)
//   - three days of validity: ok (TestInviteE2EAuditOldInvites)
//   - bulk: a list of at most 20, all validated, then created one by one
//     without a transaction: ok (TestInviteBulkLimitsOnTheWire,
//     TestFidelityDecSettled_BulkInvitesNotAtomic)
//   - delegate: ok (TestInviteE2EDelegate); acceptance joins with the
//     default role: ok (TestFidelityDec14_DefaultRoleGivenOnJoin)
//
// Roles and role memberships:
//   - writes need an admin, reads a member: ok (TestRolesE2EPermissions)
//   - name trimmed, required, at most 200, unique ignoring case (code
//     unique), required on PUT: ok (TestFidelityDec16_RoleNamesTrimmedBeforeUniqueCheck,
//     TestRoleValidationAnswers)
//   - created_by null for API-created roles, is_default from
//     default_role_id, which a deleted role clears: ok (TestRolesE2E)
//   - members_can_see_org_members filters role answers: ok
//     (TestFidelityDecSettled_MembersCanSeeOrgMembersInRoles)
//   - membership: user_uuid a UUID of a member, "Role does not exist.",
//     "User does not exist.", "User is already part of the role.": ok
//     (TestRolesE2E, TestRoleValidationAnswers)
//   - a departing member leaves every role: ok
//     (TestRolesE2EMemberRemovalDropsRoleMemberships)
//
// Projects:
//   - create: plan limit first, then admin or members_can_create_projects
//     (a demo project: any member): ok (TestFidelityDec13_WhoMayCreateProjects)
//   - plan limit on create and PUT, one demo project, 2000 at most: ok
//     (TestFidelity05_ProjectReplaceRefusedByPlanLimit)
//   - admin-only settings on update and on create: ok
//     (TestFidelityDec10_MembersCannotChangeAdminSettings,
//     TestFidelityDec13_WhoMayCreateProjects)
//   - name stripped, 1 to 200, unique ignoring case (409), an unchanged name
//     not checked again: ok (TestFidelity06_ProjectNamesUniquePerOrganization,
//     TestFidelityDecAudit_UnchangedProjectNameNotChecked)
//   - primary_dashboard not on create, a dashboard of the project: ok
//     (TestFidelityDec15_PrimaryDashboardNotOnCreate)
//   - autocapture_exceptions_errors_to_ignore: ok
//     (TestFidelityDec17_ErrorsToIgnoreAtMost300)
//   - app_urls and recording_domains lose null and empty items: ok
//     (TestFidelityDecAudit_EmptyURLsDropped); the wildcard rules of
//     app_urls and conversations_settings.widget_domains
//     (validate_authorized_url_wildcards): differs, not modelled (not read)
//   - setting types and bounds: ok (TestProjectSettingValidation); the
//     settings the SDK does not send (revenue_analytics_config,
//     session_recording_retention_period, ...) are dropped here: differs,
//     PostHog validates and stores them
//   - delete needs a project admin: ok (TestProjectsE2EPermissions);
//     pending deletion differs (see below;
//     TestFidelityDecAlso_ProjectDeletionAtOnce)
//   - token actions need a project admin: ok (TestProjectTokenActionsNeedAdmin)
//   - activity and the token actions have no scope: ok
//     (TestProjectsE2EPersonalKeyRejected)
//   - change_organization (admin of both organizations; a move to the same
//     organization succeeds, as PostHog compares a UUID with a string),
//     product intents: ok (TestProjectChangeOrganization,
//     TestProjectsE2EProductIntents); a target that is not a UUID: PostHog
//     500 (an uncaught Django ValidationError), here 400 (the SDK sends
//     only UUIDs)
//   - "@current": differs, always 404 (this server keeps no current project
//     per user)
//
// Proxy records:
//   - writes need an admin; retry and diagnose have no scope: ok
//     (TestProxyActionsNeedAdmin, TestProxyRecordsE2EScopesAndKeys)
//   - the plan's limit (2 by default): ok (TestProxyRecordsE2ELifecycle)
//   - domain trimmed, not blank; unique across organizations and at most 64
//     in the database only (500): ok
//     (TestFidelityDec12_ProxyDomainUniqueAcrossOrganizations,
//     TestFidelityDec12_ProxyDomainDatabaseLimits)
//   - PUT and PATCH 405; delete at once before going live, else deleting:
//     ok (TestProxyRecordsE2EScopesAndKeys, TestProxyRecordsE2EStatusAndMessage)
//   - retry only erroring or timed_out; diagnose cooldown 30 s per user and
//     record: ok (TestProxyRetry, TestProxyDiagnoseCooldown)
//
// Domains:
//   - writes need an admin: ok (TestDomainE2EScopesAndLevels)
//   - domain trimmed, unique across organizations (DRF's model message),
//     then the pattern: ok (TestFidelityDecAudit_DomainCreateField,
//     TestDomainE2EUniqueAcrossOrganizations)
//   - create needs automatic provisioning (403): ok
//     (TestDomainE2EAutomaticProvisioningFeature)
//   - jit_provisioning_enabled and sso_enforcement dropped on create, only
//     after verification on update, jit needs the feature; the name is
//     read-only: ok (TestDomainE2ELifecycle)
//   - delete guard with enforce_verified_domains: ok
//     (TestFidelity02_DomainDeleteWouldBlockSelf)
//   - verify (no scope, already_verified), SCIM logs (admins, no scope,
//     filters, pages of 20): ok (TestDomainE2EVerifyWithLegacyKey,
//     TestDomainE2ESCIMLogsPaging)
//
// # Rules of the newest server, by area
//
// Issue 15's audit read, for each area below, the newest server's
// serializer, viewset, permissions and model constraints. Every validation
// and permission rule found there is one line: the test that proves the fake
// applies it, or "difference" when the list of differences below says why it
// does not. (Organizations, members, invites, roles, projects, proxy records
// and domains are in the section above.)
//
// Scopes and authentication (posthog/permissions.py APIScopePermission,
// posthog/auth.py PersonalAPIKeyAuthentication):
//   - missing or unknown key: 401 not_authenticated / authentication_failed,
//     with WWW-Authenticate: TestAuthErrors, TestFidelityDecOpen_WWWAuthenticateOn401
//   - action without required scopes: 403 "This action does not support
//     personal API key access" to every key: TestFidelityDecOpen_PersonalAPIKeyLowerCase,
//     TestFidelityDec01_RoleExternalReferenceLookupRefusedToKeys
//   - key without scopes refused on every action (migration 1052): TestFidelityDec07_UnscopedKeysRefusedOnNewestServer,
//     TestFidelity09_UnscopedKeysRefusedByDefault
//   - x:write grants x:read; "*" grants all but INTERNAL objects; missing
//     scope 403 "API key missing required scope '<scope>'": TestScopes
//   - every endpoint's scope as the newest server computes it (the table
//     below), refused without it and let through with it:
//     TestFidelityDecScope_TableMatchesRoutesAndAPILines,
//     TestFidelityDecScope_EveryRouteRefusesKeysWithoutItsScope
//   - an action naming required_scopes on an INTERNAL view takes only a key
//     naming the scope, not "*": TestFidelityDecScope_FeatureFlagsCopy
//   - organization refusing personal API keys for non-admins, project-scoped
//     key on an organization route, key scoped to other organizations:
//     TestFidelity14_OrganizationLevel403s
//   - OAuth and ID-JAG tokens without scopes, project secret API keys: difference
//     (the fake has personal API keys only)
//   - throttles 480/minute and 4800/hour with Retry-After: TestRateLimit,
//     TestFidelity14_ThrottleDetailAndRetryAfter
//
// Batch exports of the organization, the project and the environment
// (products/batch_exports/backend/api/batch_export.py BatchExportSerializer,
// BatchExportViewSet, BatchExportRunViewSet, BatchExportBackfillViewSet;
// products/batch_exports/backend/service.py):
//   - batch_export:read / :write per action, test and test steps included:
//     TestBatchExportE2EScopes, TestFidelity08_TestStepScopes
//   - field types, choices (interval, model, destination type), offsets
//     and the intervals they apply to, timezone, filters, hogql_query:
//     TestBatchExportServerValidationBodies, TestBatchExportServerSchemaFromHogQL
//   - filters naming the run's data interval: TestBatchExportFiltersNotRunAttributes
//   - Redshift: sticky integration, its kind, a host for AWS Redshift
//     integrations, and in COPY mode the four inputs, integration IDs of
//     the project's aws-s3 integrations that stay integrations, inline
//     credentials with both keys, the authorization's forms:
//     TestBatchExportRedshiftCopyRules, TestFidelity01_IntegrationKindAndProject
//   - legacy S3 type refused on create: TestFidelity01_LegacyS3RefusedOnCreate
//   - integration required per destination type, of the right kind and
//     project: TestFidelity01_IntegrationRequiredOnCreate, TestFidelity01_IntegrationKindAndProject,
//     TestFidelity01_IntegrationRequiredOnUpdateDiffers
//   - credential fields unknown, required and typed config fields:
//     TestFidelity01_CredentialFieldsAreUnknown, TestBatchExportE2EServerValidation
//   - HTTP destination URL allow-list, HTTP exports events only:
//     TestFidelity01_HTTPDestinationURL, TestBatchExportE2EServerValidation
//   - destination type cannot change: TestBatchExportE2EServerValidation
//   - exports of other organizations and projects do not exist:
//     TestBatchExportE2EOtherOrganization, TestProjectBatchExports_ProjectAccess
//   - runs and backfills in cursor pages, latest runs: TestProjectBatchExports_RunsCursorPages,
//     TestBatchExportE2ERunsAndListing, TestProjectBackfillRules
//   - /api/environments/ serves the same exports: TestEnvironmentBatchExports_SameExportsAsProject
//   - no organization-level backfill action (404): TestFidelityDecOpen_OrganizationBackfillNotFound
//   - backfill: "BatchExport not found.", beginning of time behind a flag,
//     naive and malformed datetimes, dates for daily and weekly exports, the
//     weekly weekday, start before end, end not in the future, invalid
//     cursor: TestProjectBackfillRules, TestProjectBatchExports_Backfills
//   - backfill without end_at of a non-HTTP, non-NoOp export: 500:
//     TestFidelityDec03_BackfillWithoutEndRefusedBeforeSending
//   - cancel only a running or starting backfill: TestProjectBatchExports_Backfills
//   - logs: no scope (personal API keys refused), parameter checks:
//     TestBatchExportServerLogsHandler
//   - S3 destinations: blank bucket, region or prefix, file format and
//     compression, integration of the S3 kind: TestFidelity01_IntegrationKindAndProject,
//     TestBatchExportServerValidationBodies
//   - concurrent backfill limit per team (429), Data Pipelines add-on,
//     feature flags (higher frequencies, hogql model), a filter's type
//     among SUPPORTED_FILTER_TYPES, inline Snowflake credentials of
//     exports made before integrations, SSRF checks: difference
//
// Project integrations (posthog/api/integration.py, posthog/models/integration/):
//   - integration:read lists and reads, other teams' integrations do not
//     exist: TestProjectIntegrationsServer, TestProjectIntegrationsListGet
//   - kind is a choice (invalid_choice on kind), slack-posthog-code refused,
//     kinds the API cannot create "Kind not supported":
//     TestFidelityDec05_UnknownIntegrationKind
//   - aws-s3 from a name and an access key, or from a name and a role ARN
//     matching AWS_ROLE_ARN_RE and used by no other organization:
//     TestFidelityDec02_AWSS3RoleBasedIntegration
//   - one message per missing field, in PostHog's order (aws-s3,
//     s3-compatible): TestFidelityDec06_AWSFieldMessages
//   - name unique per team and kind: TestIntegrations_CreateUseDelete
//   - any project member creates with integration:write:
//     TestFidelityDec04_IntegrationDeleteNeedsProjectAdmin, TestIntegrations_CreateNeedsWriteScope
//   - delete needs a project admin ("You don't have sufficient permissions
//     in the project."): TestFidelityDec04_IntegrationDeleteNeedsProjectAdmin
//   - delete refused while a batch export uses it: TestIntegrations_CreateUseDelete
//   - AWS STS checks, the SSRF check of s3-compatible endpoints, the creator
//     exception, the kind filter's choice check, other kinds: difference
//
// Organization integrations (posthog/api/organization_integration.py):
//   - organization_integration:read / :write, environment mapping without a
//     scope, mapping only for connectable kinds, projects of the
//     organization: TestIntegrationE2EPermissions, TestIntegrationEnvironmentMappingHandler
//   - mapping creates a vercel integration in each mapped project; delete
//     removes the organization's vercel project integrations:
//     TestOrganizationIntegrationVercelProjectIntegrations
//   - Vercel calls and the unpaid-invoice 409: difference
//
// Role external references (posthog/api/role_external_reference.py):
//   - organization:read lists, organization:write and an admin create and
//     delete: TestRoleExternalReferenceRules
//   - lookup declares no scope: TestFidelityDec01_RoleExternalReferenceLookupRefusedToKeys
//   - lookup query: provider and provider organization required, slug or
//     ID: TestRoleExternalReferenceLookupRules
//   - fields required, trimmed, provider 32 and others 255 characters, role
//     of the organization: TestRoleExternalReferenceRules, TestRoleExternalReferenceFieldsTrimmed
//   - duplicate slug or ID per provider and provider organization, any case:
//     TestRoleExternalReferenceRules
//   - list filters (provider, provider organization any case, role_id) and
//     order: TestRoleExternalReferenceRules
//   - references go with their role: TestRoleExternalReferencesCascadeE2E
//   - role_id that is not a UUID, TimeSensitiveActionPermission: difference
//
// Identity provider configurations (posthog/api/identity_provider_config.py):
//   - organization:read reads, admins write: TestIdentityProviderConfigRules
//   - choices, HTTPS issuer, list fields, domains of the organization, OIDC
//     settings on OIDC configurations, OIDC/SCIM/XAA plan features:
//     TestIdentityProviderConfigRules
//   - overlapping configurations on verified domains, lifecycle, delete
//     while unscoped (unscoped_config): TestFidelity02_IdentityProviderConfigLifecycle
//   - SCIM token (no scope; SCIM feature and enabled config), SCIM logs
//     (admins, page numbers): TestFidelity02_IdentityProviderConfigSCIMToken,
//     TestFidelity02_IdentityProviderConfigSCIMLogsPagination
//   - SSRF check of the ID-JAG and OIDC URLs: difference
//
// Personal API keys of the organization (posthog/api/organization_personal_api_key.py):
//   - INTERNAL (no personal API key), admins only, premium feature 402,
//     masked values, keys of the organization's members, order by last use
//     then creation with never-used keys first: TestFidelity14_PersonalAPIKeysE2E
//   - access_scope all / organization / projects with the organization's
//     projects: TestPersonalAPIKeysAccessScope
//
// OAuth applications (posthog/api/oauth_application.py):
//   - organization:read, any member, the organization's applications newest
//     first: TestOAuthApplicationsE2E
//   - create, update and delete: difference (not served)
//
// Legal documents (products/legal_documents/backend/presentation/):
//   - legal_document:read / :write, download without a scope, admins and
//     owners only: TestLegalDocumentsE2EPermissions
//   - document type choice, company name, address for a DPA, email, DPA
//     mode, one document per type, BAA add-on: TestLegalDocumentsE2EServerValidation,
//     TestLegalDocumentsE2E
//   - signed documents cannot be deleted, download 404 until signed:
//     TestLegalDocumentAnswers, TestLegalDocumentsE2EDownload
//   - representative name and title required, a DPA mode required for a
//     DPA: difference
//
// Resource transfers (posthog/api/resource_transfer.py):
//   - INTERNAL (no personal API key), teams of the organization, known and
//     mutable kinds, different teams, resources of the source team:
//     TestResourceTransferAnswers, TestResourceTransfersE2E
//   - substitutions keep the resource's kind: TestResourceTransferSubstitutionKindMismatch
//   - per-project access control (member of both teams, viewer in the
//     source, editor in the destination): difference
//
// Organization feature flags (posthog/api/organization_feature_flag.py):
//   - INTERNAL view: retrieve declares no scope (no personal API key);
//     copy_flags declares feature_flag:write, which "*" does not grant:
//     TestFeatureFlagsE2E, TestFidelityDecScope_FeatureFlagsCopy
//   - flags of the organization's projects by key, deleted ones skipped,
//     GET of copy_flags 405: TestFeatureFlagsE2E
//   - copy: its own {"error"} bodies for missing fields and an unknown
//     flag, unknown target projects in "failed": TestFeatureFlagCopyRules
//   - copy's per-flag editor access check, projects outside the
//     organization: difference
//
// Faults (InjectFault: lost answers, statuses after commit, cut bodies,
// database_unavailable) stand for what a network or PostHog's
// infrastructure may do; they are not rules of PostHog's code.
//
// # Scopes of the newest server, by endpoint
//
// Issue 15 item 2 read, for every "API:" line of posthogapi, the newest
// stored PostHog view behind it and computed its scope as
// posthog/permissions.py ScopeBasePermission._get_required_scopes does
// (read_file id 63204939808): the action's required_scopes, else the view's
// dangerously_get_required_scopes, else none for scope_object "INTERNAL",
// else <scope_object>:read for list and retrieve (or the view's
// scope_object_read_actions) and :write for create, update, partial_update
// and destroy (or scope_object_write_actions), else none. "none" means
// APIScopePermission.has_permission answers every personal API key 403
// "This action does not support personal API key access" (posthogapi
// refuses those methods before sending); "on an INTERNAL viewset" means
// the action names the scope on a view whose scope_object is INTERNAL,
// where "*" does not stand for it. posthog/api/routing.py
// TeamAndOrgViewSetMixin.get_permissions (id 61078516585) puts
// APIScopePermission in every chain except one a view builds in
// dangerously_get_permissions. One line per endpoint: method and path,
// scope, then the PostHog file, view and action, and the read_file id (#) of
// the version read. The route of each endpoint here requires exactly the
// scope of its line, and its method's API: line names it
// (TestFidelityDecScope_TableMatchesRoutesAndAPILines,
// TestFidelityDecScope_EveryRouteRefusesKeysWithoutItsScope).
//
// Files: batch_export.py is products/batch_exports/backend/api/batch_export.py
// (BatchExportOrganizationViewSet under /api/organizations/, BatchExportViewSet
// under /api/projects/ and /api/environments/ by
// products/batch_exports/backend/routes.py register_legacy_dual_route);
// role.py is products/access_control/backend/presentation/role.py; legal_documents
// views.py is products/legal_documents/backend/presentation/views.py;
// organization_feature_flag.py is the newest stored version (PostHog moved it
// to products/feature_flags/backend/api/); the others are in posthog/api/.
// † marks an endpoint not verified against the newest server: the newest
// version of its file is not stored (organization.py and
// organization_invite.py are older versions without the newest features, and
// no stored invite view has delegate; log_entries.py predates the
// batch_export.py read), so the fake and the SDK
// keep the scope of the version read, which the 1404d6c schema also lists.
// Where the newest server has no such action at all (404), the line says so
// and gives the scope of the older version the legacy options model.
//
//	GET /api/environments/{environment_id}/batch_exports/ | batch_export:read | batch_export.py BatchExportViewSet.list #59793430054
//	POST /api/environments/{environment_id}/batch_exports/ | batch_export:write | batch_export.py BatchExportViewSet.create #59793430054
//	GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ | batch_export:read | batch_export.py BatchExportBackfillViewSet.list #59793430054
//	POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/ | batch_export:write | batch_export.py BatchExportBackfillViewSet.create #59793430054
//	GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/ | batch_export:read | batch_export.py BatchExportBackfillViewSet.retrieve #59793430054
//	POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ | batch_export:write | batch_export.py BatchExportBackfillViewSet.cancel #59793430054
//	GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/ | batch_export:read | batch_export.py BatchExportRunViewSet.list #70304481370
//	GET /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/ | batch_export:read | batch_export.py BatchExportRunViewSet.retrieve #70304481370
//	POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/retry/ | batch_export:write | batch_export.py BatchExportRunViewSet.retry #70304481370
//	POST /api/environments/{environment_id}/batch_exports/{batch_export_id}/runs/{id}/cancel/ | batch_export:write | batch_export.py BatchExportRunViewSet.cancel #70304481370
//	GET /api/environments/{environment_id}/batch_exports/{id}/ | batch_export:read | batch_export.py BatchExportViewSet.retrieve #59793430054
//	PATCH /api/environments/{environment_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.partial_update #59793430054
//	PUT /api/environments/{environment_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.update #59793430054
//	DELETE /api/environments/{environment_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.destroy #59793430054
//	GET /api/environments/{environment_id}/batch_exports/{id}/logs/ | none | log_entries.py LogEntryMixin.logs #103364310 †
//	POST /api/environments/{environment_id}/batch_exports/{id}/pause/ | batch_export:write | batch_export.py BatchExportViewSet.pause #59793430054
//	POST /api/environments/{environment_id}/batch_exports/{id}/unpause/ | batch_export:write | batch_export.py BatchExportViewSet.unpause #59793430054
//	GET /api/organizations/ | organization:read | organization.py OrganizationViewSet.list #53246274 †
//	POST /api/organizations/ | organization:write | organization.py OrganizationViewSet.create #53246274 †
//	GET /api/organizations/{id}/ | organization:read | organization.py OrganizationViewSet.retrieve #53246274 †
//	PATCH /api/organizations/{id}/ | organization:write | organization.py OrganizationViewSet.partial_update #53246274 †
//	PUT /api/organizations/{id}/ | organization:write | organization.py OrganizationViewSet.update #53246274 †
//	DELETE /api/organizations/{id}/ | organization:write | organization.py OrganizationViewSet.destroy #53246274 †
//	POST /api/organizations/{id}/environments_rollback/ | none | organization.py OrganizationViewSet.environments_rollback #53246274 †
//	GET /api/organizations/{organization_id}/batch_exports/ | batch_export:read | batch_export.py BatchExportOrganizationViewSet.list #59793430054
//	POST /api/organizations/{organization_id}/batch_exports/ | batch_export:write | batch_export.py BatchExportOrganizationViewSet.create #59793430054
//	POST /api/organizations/{organization_id}/batch_exports/run_test_step_new/ | batch_export:write | batch_export.py BatchExportViewSet.run_test_step_new #59793430054
//	GET /api/organizations/{organization_id}/batch_exports/test/ | batch_export:read | batch_export.py BatchExportViewSet.test #59793430054
//	GET /api/organizations/{organization_id}/batch_exports/{id}/ | batch_export:read | batch_export.py BatchExportOrganizationViewSet.retrieve #59793430054
//	PATCH /api/organizations/{organization_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportOrganizationViewSet.partial_update #59793430054
//	PUT /api/organizations/{organization_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportOrganizationViewSet.update #59793430054
//	DELETE /api/organizations/{organization_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportOrganizationViewSet.destroy #59793430054
//	POST /api/organizations/{organization_id}/batch_exports/{id}/backfill/ | batch_export:write | batch_export.py BatchExportViewSet.backfill (older, #17352076232; newest: no action, 404)
//	GET /api/organizations/{organization_id}/batch_exports/{id}/logs/ | none | log_entries.py LogEntryMixin.logs #103364310 †
//	POST /api/organizations/{organization_id}/batch_exports/{id}/pause/ | batch_export:write | batch_export.py BatchExportViewSet.pause #59793430054
//	POST /api/organizations/{organization_id}/batch_exports/{id}/run_test_step/ | batch_export:write | batch_export.py BatchExportViewSet.run_test_step #59793430054
//	POST /api/organizations/{organization_id}/batch_exports/{id}/unpause/ | batch_export:write | batch_export.py BatchExportViewSet.unpause #59793430054
//	GET /api/organizations/{organization_id}/domains/ | organization:read | organization_domain.py OrganizationDomainViewset.list #57742260155
//	POST /api/organizations/{organization_id}/domains/ | organization:write | organization_domain.py OrganizationDomainViewset.create #57742260155
//	GET /api/organizations/{organization_id}/domains/{id}/ | organization:read | organization_domain.py OrganizationDomainViewset.retrieve #57742260155
//	PATCH /api/organizations/{organization_id}/domains/{id}/ | organization:write | organization_domain.py OrganizationDomainViewset.partial_update #57742260155
//	PUT /api/organizations/{organization_id}/domains/{id}/ | organization:write | organization_domain.py OrganizationDomainViewset.update #57742260155
//	DELETE /api/organizations/{organization_id}/domains/{id}/ | organization:write | organization_domain.py OrganizationDomainViewset.destroy #57742260155
//	GET /api/organizations/{organization_id}/domains/{id}/scim/logs/ | none | organization_domain.py OrganizationDomainViewset.scim_logs #57742260155
//	POST /api/organizations/{organization_id}/domains/{id}/scim/token/ | none | organization_domain.py OrganizationDomainViewset.scim_token (older, #157811649; newest: no action, 404)
//	POST /api/organizations/{organization_id}/domains/{id}/verify/ | none | organization_domain.py OrganizationDomainViewset.verify #57742260155
//	POST /api/organizations/{organization_id}/feature_flags/copy_flags/ | feature_flag:write on an INTERNAL viewset | organization_feature_flag.py OrganizationFeatureFlagView.copy_flags #54535175027
//	GET /api/organizations/{organization_id}/feature_flags/{feature_flag_key}/ | none | organization_feature_flag.py OrganizationFeatureFlagView.retrieve #54535175027
//	GET /api/organizations/{organization_id}/identity_provider_configs/ | organization:read | identity_provider_config.py IdentityProviderConfigViewSet.list #65842711030
//	POST /api/organizations/{organization_id}/identity_provider_configs/ | organization:write | identity_provider_config.py IdentityProviderConfigViewSet.create #65842711030
//	GET /api/organizations/{organization_id}/identity_provider_configs/{id}/ | organization:read | identity_provider_config.py IdentityProviderConfigViewSet.retrieve #65842711030
//	PATCH /api/organizations/{organization_id}/identity_provider_configs/{id}/ | organization:write | identity_provider_config.py IdentityProviderConfigViewSet.partial_update #65842711030
//	PUT /api/organizations/{organization_id}/identity_provider_configs/{id}/ | organization:write | identity_provider_config.py IdentityProviderConfigViewSet.update #65842711030
//	DELETE /api/organizations/{organization_id}/identity_provider_configs/{id}/ | organization:write | identity_provider_config.py IdentityProviderConfigViewSet.destroy #65842711030
//	GET /api/organizations/{organization_id}/identity_provider_configs/{id}/scim/logs/ | none | identity_provider_config.py IdentityProviderConfigViewSet.scim_logs #65842711030
//	POST /api/organizations/{organization_id}/identity_provider_configs/{id}/scim/token/ | none | identity_provider_config.py IdentityProviderConfigViewSet.scim_token #65842711030
//	GET /api/organizations/{organization_id}/integrations/ | organization_integration:read | organization_integration.py OrganizationIntegrationViewSet.list #54538475279
//	GET /api/organizations/{organization_id}/integrations/{id}/ | organization_integration:read | organization_integration.py OrganizationIntegrationViewSet.retrieve #54538475279
//	DELETE /api/organizations/{organization_id}/integrations/{id}/ | organization_integration:write | organization_integration.py OrganizationIntegrationViewSet.destroy #54538475279
//	PATCH /api/organizations/{organization_id}/integrations/{id}/environment-mapping/ | none | organization_integration.py OrganizationIntegrationViewSet.environment_mapping #54538475279
//	GET /api/organizations/{organization_id}/invites/ | organization_member:read | organization_invite.py OrganizationInviteViewSet.list #11875380 †
//	POST /api/organizations/{organization_id}/invites/ | organization_member:write | organization_invite.py OrganizationInviteViewSet.create (this version's dangerously_get_permissions leaves APIScopePermission out: any key) #11875380 †
//	POST /api/organizations/{organization_id}/invites/bulk/ | organization_member:write | organization_invite.py OrganizationInviteViewSet.bulk #11875380 †
//	POST /api/organizations/{organization_id}/invites/delegate/ | organization_member:write | organization_invite.py OrganizationInviteViewSet.delegate (in no stored version) †
//	DELETE /api/organizations/{organization_id}/invites/{id}/ | organization_member:write | organization_invite.py OrganizationInviteViewSet.destroy #11875380 †
//	GET /api/organizations/{organization_id}/legal_documents/ | legal_document:read | legal_documents views.py LegalDocumentViewSet.list #54846403160
//	POST /api/organizations/{organization_id}/legal_documents/ | legal_document:write | legal_documents views.py LegalDocumentViewSet.create #54846403160
//	GET /api/organizations/{organization_id}/legal_documents/{id}/ | legal_document:read | legal_documents views.py LegalDocumentViewSet.retrieve #54846403160
//	DELETE /api/organizations/{organization_id}/legal_documents/{id}/ | legal_document:write | legal_documents views.py LegalDocumentViewSet.destroy #54846403160
//	GET /api/organizations/{organization_id}/legal_documents/{id}/download/ | none | legal_documents views.py LegalDocumentViewSet.download (a staff user's chain, dangerously_get_permissions, skips the scope check) #54846403160
//	GET /api/organizations/{organization_id}/members/ | organization_member:read | organization_member.py OrganizationMemberViewSet.list #54713287459
//	PATCH /api/organizations/{organization_id}/members/{user__uuid}/ | organization_member:write | organization_member.py OrganizationMemberViewSet.partial_update #54713287459
//	PUT /api/organizations/{organization_id}/members/{user__uuid}/ | organization_member:write | organization_member.py OrganizationMemberViewSet.update #54713287459
//	DELETE /api/organizations/{organization_id}/members/{user__uuid}/ | organization_member:write | organization_member.py OrganizationMemberViewSet.destroy #54713287459
//	GET /api/organizations/{organization_id}/members/{user__uuid}/github_login/ | organization_member:read | organization_member.py OrganizationMemberViewSet.github_login #54713287459
//	GET /api/organizations/{organization_id}/members/{user__uuid}/scoped_api_keys/ | none | organization_member.py OrganizationMemberViewSet.scoped_api_keys #54713287459
//	GET /api/organizations/{organization_id}/oauth_applications/ | organization:read | oauth_application.py OrganizationOAuthApplicationViewSet.list #20286855094
//	GET /api/organizations/{organization_id}/personal_api_keys/ | none | organization_personal_api_key.py OrganizationPersonalAPIKeyViewSet.list #54925724810
//	GET /api/organizations/{organization_id}/projects/ | project:read | project.py ProjectViewSet.list #61961739068
//	POST /api/organizations/{organization_id}/projects/ | project:write | project.py ProjectViewSet.create #61961739068
//	GET /api/organizations/{organization_id}/projects/{id}/ | project:read | project.py ProjectViewSet.retrieve #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/ | project:write | project.py ProjectViewSet.partial_update, dangerously_get_required_scopes #61961739068
//	PUT /api/organizations/{organization_id}/projects/{id}/ | project:write | project.py ProjectViewSet.update #61961739068
//	DELETE /api/organizations/{organization_id}/projects/{id}/ | project:write | project.py ProjectViewSet.destroy #61961739068
//	GET /api/organizations/{organization_id}/projects/{id}/activity/ | none | project.py ProjectViewSet.activity #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/add_product_intent/ | project:read | project.py ProjectViewSet.add_product_intent #61961739068
//	POST /api/organizations/{organization_id}/projects/{id}/change_organization/ | none | project.py ProjectViewSet.change_organization #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/complete_product_onboarding/ | project:read | project.py ProjectViewSet.complete_product_onboarding #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/delete_secret_token_backup/ | none | project.py ProjectViewSet.delete_secret_token_backup #61961739068
//	GET /api/organizations/{organization_id}/projects/{id}/event_ingestion_restrictions/ | project:read | project.py ProjectViewSet.event_ingestion_restrictions #61961739068
//	POST /api/organizations/{organization_id}/projects/{id}/generate_conversations_public_token/ | none | project.py ProjectViewSet.generate_conversations_public_token #61961739068
//	GET /api/organizations/{organization_id}/projects/{id}/is_generating_demo_data/ | none | project.py ProjectViewSet.is_generating_demo_data #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/reset_token/ | none | project.py ProjectViewSet.reset_token #61961739068
//	PATCH /api/organizations/{organization_id}/projects/{id}/rotate_secret_token/ | none | project.py ProjectViewSet.rotate_secret_token #61961739068
//	GET /api/organizations/{organization_id}/proxy_records/ | organization:read | proxy_record.py ProxyRecordViewset.list #54508036395
//	POST /api/organizations/{organization_id}/proxy_records/ | organization:write | proxy_record.py ProxyRecordViewset.create #54508036395
//	GET /api/organizations/{organization_id}/proxy_records/{id}/ | organization:read | proxy_record.py ProxyRecordViewset.retrieve #54508036395
//	PATCH /api/organizations/{organization_id}/proxy_records/{id}/ | organization:write | proxy_record.py ProxyRecordViewset.partial_update (http_method_names: 405 after the scope) #54508036395
//	PUT /api/organizations/{organization_id}/proxy_records/{id}/ | organization:write | proxy_record.py ProxyRecordViewset.update (http_method_names: 405 after the scope) #54508036395
//	DELETE /api/organizations/{organization_id}/proxy_records/{id}/ | organization:write | proxy_record.py ProxyRecordViewset.destroy #54508036395
//	POST /api/organizations/{organization_id}/proxy_records/{id}/diagnose/ | none | proxy_record.py ProxyRecordViewset.diagnose #54508036395
//	POST /api/organizations/{organization_id}/proxy_records/{id}/retry/ | none | proxy_record.py ProxyRecordViewset.retry #54508036395
//	POST /api/organizations/{organization_id}/resource_transfers/preview/ | none | resource_transfer.py ResourceTransferViewSet.preview #52048945409
//	POST /api/organizations/{organization_id}/resource_transfers/search/ | none | resource_transfer.py ResourceTransferViewSet.search #52048945409
//	POST /api/organizations/{organization_id}/resource_transfers/transfer/ | none | resource_transfer.py ResourceTransferViewSet.transfer #52048945409
//	GET /api/organizations/{organization_id}/role_external_references/ | organization:read | role_external_reference.py RoleExternalReferenceViewSet.list #51876859888
//	POST /api/organizations/{organization_id}/role_external_references/ | organization:write | role_external_reference.py RoleExternalReferenceViewSet.create #51876859888
//	GET /api/organizations/{organization_id}/role_external_references/lookup/ | none | role_external_reference.py RoleExternalReferenceViewSet.lookup #51876859888
//	DELETE /api/organizations/{organization_id}/role_external_references/{id}/ | organization:write | role_external_reference.py RoleExternalReferenceViewSet.destroy #51876859888
//	GET /api/organizations/{organization_id}/roles/ | organization:read | role.py RoleViewSet.list #66718734032
//	POST /api/organizations/{organization_id}/roles/ | organization:write | role.py RoleViewSet.create #66718734032
//	GET /api/organizations/{organization_id}/roles/{id}/ | organization:read | role.py RoleViewSet.retrieve #66718734032
//	PATCH /api/organizations/{organization_id}/roles/{id}/ | organization:write | role.py RoleViewSet.partial_update #66718734032
//	PUT /api/organizations/{organization_id}/roles/{id}/ | organization:write | role.py RoleViewSet.update #66718734032
//	DELETE /api/organizations/{organization_id}/roles/{id}/ | organization:write | role.py RoleViewSet.destroy #66718734032
//	GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ | organization:read | role.py RoleMembershipViewSet.list #66718734032
//	POST /api/organizations/{organization_id}/roles/{role_id}/role_memberships/ | organization:write | role.py RoleMembershipViewSet.create #66718734032
//	GET /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ | organization:read | role.py RoleMembershipViewSet.retrieve #66718734032
//	DELETE /api/organizations/{organization_id}/roles/{role_id}/role_memberships/{id}/ | organization:write | role.py RoleMembershipViewSet.destroy #66718734032
//	GET /api/projects/{project_id}/batch_exports/ | batch_export:read | batch_export.py BatchExportViewSet.list #59793430054
//	POST /api/projects/{project_id}/batch_exports/ | batch_export:write | batch_export.py BatchExportViewSet.create #59793430054
//	GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ | batch_export:read | batch_export.py BatchExportBackfillViewSet.list #59793430054
//	POST /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/ | batch_export:write | batch_export.py BatchExportBackfillViewSet.create #59793430054
//	GET /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/ | batch_export:read | batch_export.py BatchExportBackfillViewSet.retrieve #59793430054
//	POST /api/projects/{project_id}/batch_exports/{batch_export_id}/backfills/{id}/cancel/ | batch_export:write | batch_export.py BatchExportBackfillViewSet.cancel #59793430054
//	GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/ | batch_export:read | batch_export.py BatchExportRunViewSet.list #70304481370
//	GET /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/ | batch_export:read | batch_export.py BatchExportRunViewSet.retrieve #70304481370
//	POST /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/retry/ | batch_export:write | batch_export.py BatchExportRunViewSet.retry #70304481370
//	POST /api/projects/{project_id}/batch_exports/{batch_export_id}/runs/{id}/cancel/ | batch_export:write | batch_export.py BatchExportRunViewSet.cancel #70304481370
//	GET /api/projects/{project_id}/batch_exports/{id}/ | batch_export:read | batch_export.py BatchExportViewSet.retrieve #59793430054
//	PATCH /api/projects/{project_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.partial_update #59793430054
//	PUT /api/projects/{project_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.update #59793430054
//	DELETE /api/projects/{project_id}/batch_exports/{id}/ | batch_export:write | batch_export.py BatchExportViewSet.destroy #59793430054
//	GET /api/projects/{project_id}/batch_exports/{id}/logs/ | none | log_entries.py LogEntryMixin.logs #103364310 †
//	POST /api/projects/{project_id}/batch_exports/{id}/pause/ | batch_export:write | batch_export.py BatchExportViewSet.pause #59793430054
//	POST /api/projects/{project_id}/batch_exports/{id}/unpause/ | batch_export:write | batch_export.py BatchExportViewSet.unpause #59793430054
//	GET /api/projects/{project_id}/integrations/ | integration:read | integration.py IntegrationViewSet.list #54498230460
//	POST /api/projects/{project_id}/integrations/ | integration:write | integration.py IntegrationViewSet.create #54498230460
//	GET /api/projects/{project_id}/integrations/{id}/ | integration:read | integration.py IntegrationViewSet.retrieve #54498230460
//	DELETE /api/projects/{project_id}/integrations/{id}/ | integration:write | integration.py IntegrationViewSet.destroy #54498230460
//	GET /api/users/{uuid}/ | user:read | user.py UserViewSet.retrieve (scope_object "user", retrieve a read action; "@me" only for non-staff) #71491252191
//
// # Where the fake knowingly differs from the server (mostly more lenient)
//
//   - Member search: PostHog also finds fuzzy (trigram) matches, labelled
//     "similar"; only substring matches ("exact") are found here.
//   - members_can_see_org_members: PostHog filters role answers by project
//     access rules (a member below admin sees the members with access to
//     a project they can access); this server has no project access rules,
//     so everyone has access to every project, and the filter hides others
//     only in an organization without a project. The member list itself
//     is not filtered by the setting, on PostHog either.
//   - Identity provider configs: the SSRF check of the ID-JAG and OIDC URLs
//     (is_url_allowed) is not made.
//   - Batch exports: the Data Pipelines add-on and PostHog's feature flags
//     are not checked (any organization may create any export), an
//     integration's credentials are not checked (only its kind and
//     project), and the SSRF check of Postgres and Redshift hosts is not
//     made.
//   - Batch export destination without "type" on PATCH, and the legacy S3
//     type on servers without an S3 workflow: PostHog answers 500; the fake
//     answers a 400 (the SDK refuses both before sending). A backfill
//     without end_at of a non-HTTP export is answered 500 as PostHog does.
//   - Project-level batch exports: the per-team limit of concurrent
//     backfills is not modelled.
//   - Project delete: PostHog marks the project pending deletion and a
//     background workflow removes it (meanwhile a second DELETE answers
//     400 "This project is already being deleted."); this server removes
//     it at once, so a second DELETE answers 404. PostHog Cloud also
//     refuses to delete the last project of an organization with an
//     active subscription; this server has no billing, so it never does.
//   - The default organization and AddOrganization's organizations start
//     without a project (one whose projects were deleted); an organization
//     created through the API gets its first project, as on PostHog.
//   - Organization features (invite settings, access control) are taken
//     as available wherever PostHog gates a rule on them
//     (members_can_invite, members_can_create_projects,
//     members_can_see_org_members); without them PostHog lets every member
//     invite, lets no plain member create projects, and filters nothing.
//   - Project settings: app_urls is admin-only here; PostHog leaves it to
//     web analytics editors when the organization has access control.
//     Project access rules (per-project levels) are not modelled: a
//     member's project level is their organization level.
//   - Booleans: DRF's BooleanField also takes 1, 0 and strings such as
//     "true" or "yes"; this server takes only JSON true and false (stricter;
//     the SDK sends only those).
//   - environments_rollback: "Environments not found: {…}" lists the IDs in
//     ascending order; Python prints its set in hash order, which differs
//     for large IDs.
//   - Organization PUT: self-hosted PostHog without its multi-organization
//     plan answers 403; the fake serves Cloud and accepts it.
//   - Organization integrations: the Vercel calls PostHog makes on delete
//     and mapping, and the 409 while invoices are unpaid, are not modelled.
//   - Project integrations: the kind filter's choice validation is not
//     made. Only aws-s3 and s3-compatible ones are created through the API
//     (other valid kinds answer 400 "Kind not supported": PostHog contacts
//     their provider or runs an OAuth flow); an aws-s3 key is not checked
//     with AWS STS (its account ID is recorded as 000000000000), a role ARN
//     is not assumed (PostHog assumes it with the external ID
//     posthog-<organization id> and refuses a role that lets it in without
//     one), and an s3-compatible endpoint gets no SSRF check ("Invalid
//     endpoint URL: ..."). Deleting needs a project admin here; PostHog's
//     Integration.can_be_managed_by_creator also lets some creators delete
//     their own (its comments name Google accounts; its body was not
//     found), so the fake is stricter for those.
//   - Role external references: TimeSensitiveActionPermission (session
//     re-authentication) is not modelled; it applies only to session
//     logins, never to personal API keys. A role_id filter that is not a
//     UUID is a 400 here; PostHog's queryset raises Django's
//     ValidationError from the filter (a 500 or a 400 depending on its
//     exception handling).
//   - Invite create's scope: the newest indexed OrganizationInviteViewSet
//     (posthog/api/organization_invite.py, @459cacf) builds its create
//     permissions in dangerously_get_permissions without
//     APIScopePermission, so PostHog may let any personal API key create
//     invites; a newer view (the one with delegate) is not indexed. The
//     fake requires organization_member:write, the safe side
//     (server-fidelity-2026-12 item 8).
//   - Organization feature flag copies: PostHog looks the source flag and
//     the target projects up by project ID without limiting them to the
//     organization in the path, and checks the caller's editor access to
//     the source flag ("You do not have permission to copy this flag.");
//     the fake knows only the organization's projects and checks no
//     per-flag access.
//   - Resource transfers and feature flag copies: PostHog's project access
//     control (UserAccessControl: member of each team, viewer of the source
//     resources, editor in the destination) is not modelled; every member
//     of the organization has full access to every project here.
//   - OAuth applications: one version of PostHog's oauth_application.py
//     also creates, updates and deletes them (admins); the fake serves the
//     list only, as the SDK does.
//   - Legal documents: one version of serializers.py requires
//     representative_name, representative_title and, for a DPA, a dpa_mode
//     of pretty or lawyer, while the views.py read no longer passes them
//     on; the fake accepts them missing (unverified which is current).
//   - WWW-Authenticate: the resource_metadata URL is
//     <server>/.well-known/oauth-protected-resource here; PostHog's exact
//     path was not read.
//   - Batch exports: the concurrent backfill limit per team (429 "Too many
//     concurrent batch export backfills for this team.", checked before
//     the dates) is not modelled; neither is the check that each filter's
//     type is one of service.py's SUPPORTED_FILTER_TYPES (the list was not
//     read), nor the inline Snowflake password or private key of exports
//     made before integrations (new ones need an integration). HogQL
//     queries are checked for UNIONs, JOINs and the events table only;
//     PostHog's validate_hogql_query also refuses CTEs, subqueries and
//     fields batch exports cannot read, and its Workflows destination
//     needs a feature flag.
//   - Rate limits apply only with WithRateLimit, as PostHog applies them
//     only when RATE_LIMIT_ENABLED; the diagnose cooldown always applies.
//   - Bulk invites: an invalid item is reported with its field's attr;
//     PostHog flattens list errors into a body without attr.
//   - LegacyUnscopedKeys and WithLegacyBatchExportBackfill model older
//     self-hosted servers only: no current PostHog has unscoped keys
//     (migration 1052) or the organization-level backfill action.
//   - WithAtomicBulkInvites models no current server: PostHog's bulk
//     invites are not atomic (settled), as this server's are by default.
//   - Scopes not verified against the newest server (the † lines of the
//     scope table): the newest posthog/api/organization.py,
//     posthog/api/organization_invite.py and posthog/api/log_entries.py are
//     not stored, so the organization endpoints (list, create, retrieve,
//     update, partial update, destroy, environments_rollback), the invite
//     endpoints (list, create, destroy, bulk, delegate) and the batch export
//     logs (organization, project, environment) keep the scopes of the
//     versions read, which the 1404d6c schema also lists; delegate is in no
//     stored version.
//   - Organization feature flag copies: the newest copy_flags validates its
//     body with CopyFlagsRequestSerializer (DRF 400 bodies), can copy
//     dependencies and reports a failed target with "error_message"
//     ("Project not found."); the fake answers as the older versions do
//     ({"error": ...} for missing fields, "errors" per failed target). Only
//     its scope is the newest one's.
package posthogtest
