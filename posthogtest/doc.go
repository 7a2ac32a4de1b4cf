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
//	  everything with LegacyUnscopedKeys          older versions had the legacy shortcut)
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
//	roles: names unique per organization,       ee/api/rbac/role.py RoleSerializer, RoleViewSet,
//	  created_by null when created by the API,    RoleMembershipSerializer, RoleMembershipViewSet
//	  memberships of members only
//	role external references                    posthog/api/role_external_reference.py
//	                                              RoleExternalReferenceViewSet;
//	                                              posthog/models/role_external_reference.py
//	projects: name stripped, 1..200 chars,      posthog/api/project.py
//	  unique ignoring case (409 conflict),        ProjectBackwardCompatSerializer
//	  unique default name
//	projects: plan limit 403 on create and PUT, posthog/api/project.py PremiumMultiProjectPermission
//	  one demo project, at most 2000              .has_permission, MAX_ALLOWED_PROJECTS_PER_ORG
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
//	project integrations: create aws-s3 and     IntegrationSerializer.create; IntegrationViewSet
//	  s3-compatible, delete unless a batch        perform_destroy, IntegrationManagementPermission
//	  export uses it
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
// Faults (InjectFault: lost answers, statuses after commit, cut bodies,
// database_unavailable) stand for what a network or PostHog's
// infrastructure may do; they are not rules of PostHog's code.
//
// # Where the fake is knowingly more lenient than the server
//
//   - Member search: PostHog also finds fuzzy (trigram) matches, labelled
//     "similar"; only substring matches ("exact") are found here.
//   - members_can_see_org_members: PostHog may hide members (and role
//     creators) from non-admins when it is off; the setting is stored and
//     returned, but lists are not filtered by it here.
//   - Identity provider configs: the SSRF check of the ID-JAG and OIDC URLs
//     (is_url_allowed) is not made.
//   - Batch exports: the Data Pipelines add-on and PostHog's feature flags
//     are not checked (any organization may create any export), an
//     integration's credentials are not checked (only its kind and
//     project), and the SSRF check of Postgres and Redshift hosts is not
//     made.
//   - Batch export destination without "type" on PATCH, and the legacy S3
//     type on servers without an S3 workflow: PostHog answers 500; the fake
//     answers a 400 (the SDK refuses both before sending).
//   - Project-level batch exports: the per-team limit of concurrent
//     backfills is not modelled.
//   - Organization PUT: self-hosted PostHog without its multi-organization
//     plan answers 403; the fake serves Cloud and accepts it.
//   - Organization integrations: the Vercel calls PostHog makes on delete
//     and mapping, and the 409 while invoices are unpaid, are not modelled.
//   - Project integrations: the kind filter's choice validation is not
//     made. Only aws-s3 and s3-compatible ones are created through the API
//     (other kinds answer 400 "Kind not supported": PostHog contacts their
//     provider or runs an OAuth flow); an aws-s3 key is not checked with
//     AWS STS (its account ID is recorded as 000000000000), and an
//     s3-compatible endpoint gets no SSRF check. Who may delete one:
//     organization admins, or its creator (PostHog's
//     Integration.can_be_managed_by_creator may be narrower).
//   - Role external references: TimeSensitiveActionPermission (session
//     re-authentication) is not modelled.
//   - Rate limits apply only with WithRateLimit, as PostHog applies them
//     only when RATE_LIMIT_ENABLED; the diagnose cooldown always applies.
//   - Bulk invites: an invalid item is reported with its field's attr;
//     PostHog flattens list errors into a body without attr.
//   - Unverified either way: whether unscoped keys still exist on PostHog
//     Cloud (LegacyUnscopedKeys), whether bulk invites run in a transaction
//     (WithAtomicBulkInvites), and which legal document fields are current.
package posthogtest
