//lint:file-ignore SA1019 the scenarios drive the deprecated domain SAML/SCIM fields and Domains.SCIMToken on purpose, against the older server (WithLegacyDomainSSO) that still has them

package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// contractScenarios drive each area through the SDK, every method that
// calls PostHog at least once, with request fields set wherever the SDK
// offers them so that their names and types meet the schema. e.c holds
// every scope; e.legacy (a legacy key without scopes) reaches the actions
// PostHog closes to scoped personal API keys. Errors are returned, not
// fatal, so that the exchanges made so far are still validated.
var contractScenarios = map[string]func(ctx context.Context, e *contractEnv) error{
	"organizations":             contractOrganizations,
	"members":                   contractMembers,
	"invites":                   contractInvites,
	"roles":                     contractRoles,
	"projects":                  contractProjects,
	"batch_exports":             contractBatchExports,
	"domains":                   contractDomains,
	"identity_provider_configs": contractIdentityProviderConfigs,
	"proxy_records":             contractProxyRecords,
	"integrations":              contractIntegrations,
	"legal_documents":           contractLegalDocuments,
	"feature_flags":             contractFeatureFlags,
	"oauth_applications":        contractOAuthApplications,
	"resource_transfers":        contractResourceTransfers,
}

// fail names the call that failed.
func fail(call string, err error) error { return fmt.Errorf("%s: %w", call, err) }

// drain walks an iterator to its end.
func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func contractOrganizations(ctx context.Context, e *contractEnv) error {
	c := e.c
	o, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{
		Name:                         "Contract",
		Enforce2FA:                   posthogapi.NewNullable(true),
		MembersCanInvite:             posthogapi.NewNullable(false),
		MembersCanUsePersonalAPIKeys: posthogapi.Ptr(true),
		AllowPubliclySharedResources: posthogapi.Ptr(false),
		IsAIDataProcessingApproved:   posthogapi.NewNullable(true),
		DefaultExperimentStatsMethod: posthogapi.NewNullable(posthogapi.ExperimentStatsFrequentist),
		DefaultAnonymizeIPs:          posthogapi.Ptr(true),
	})
	if err != nil {
		return fail("Organizations.Create", err)
	}
	if _, err := c.Organizations.List(ctx, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Organizations.List", err)
	}
	if err := drain(c.Organizations.All(ctx, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("Organizations.All", err)
	}
	if _, err := c.Organizations.Get(ctx, o.ID); err != nil {
		return fail("Organizations.Get", err)
	}
	if _, err := c.Organizations.GetCurrent(ctx); err != nil {
		return fail("Organizations.GetCurrent", err)
	}
	if _, err := c.Organizations.Update(ctx, o.ID, &posthogapi.OrganizationUpdate{
		Name:                         posthogapi.Ptr("Renamed"),
		LogoMediaID:                  posthogapi.Null[posthogapi.MediaID](),
		Enforce2FA:                   posthogapi.Null[bool](),
		MembersCanInvite:             posthogapi.NewNullable(true),
		IsAIDataProcessingApproved:   posthogapi.Null[bool](),
		DefaultExperimentStatsMethod: posthogapi.Null[posthogapi.ExperimentStatsMethod](),
		DefaultRoleID:                posthogapi.Null[posthogapi.RoleID](),
		DefaultAnonymizeIPs:          posthogapi.Ptr(false),
	}); err != nil {
		return fail("Organizations.Update", err)
	}
	if _, err := c.Organizations.Replace(ctx, o.ID, &posthogapi.OrganizationCreate{Name: "Replaced"}); err != nil {
		return fail("Organizations.Replace", err)
	}
	// The mapping names environments of the organization: its first project
	// (created with it) has one of the project's ID.
	if len(o.Projects) == 0 {
		return fail("Organizations.Create", fmt.Errorf("the new organization has no first project"))
	}
	first := o.Projects[0].ID
	if _, err := e.legacy.Organizations.EnvironmentsRollback(ctx, o.ID, map[posthogapi.ProjectID]posthogapi.ProjectID{first: first}); err != nil {
		return fail("Organizations.EnvironmentsRollback", err)
	}
	if err := c.Organizations.Delete(ctx, o.ID); err != nil {
		return fail("Organizations.Delete", err)
	}
	return nil
}

func contractMembers(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	u := e.srv.AddUser(posthogtest.UserSeed{Email: "contract@example.com", FirstName: "C"})
	e.srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	e.srv.SetGithubLogin(u.UUID, "contract-hog")
	since := time.Now().Add(-time.Hour)
	if _, err := c.Members.List(ctx, org, &posthogapi.MemberListOptions{
		ListOptions: posthogapi.ListOptions{Limit: 1}, Search: "contract", Order: posthogapi.MemberOrderJoinedAt,
	}); err != nil {
		return fail("Members.List", err)
	}
	if _, err := c.Members.List(ctx, org, &posthogapi.MemberListOptions{Email: u.Email, UpdatedAfter: &since}); err != nil {
		return fail("Members.List (filters)", err)
	}
	if err := drain(c.Members.All(ctx, org, &posthogapi.MemberListOptions{ListOptions: posthogapi.ListOptions{Limit: 1}})); err != nil {
		return fail("Members.All", err)
	}
	if _, err := c.Members.Get(ctx, org, u.UUID); err != nil {
		return fail("Members.Get", err)
	}
	if _, err := c.Members.GithubLogin(ctx, org, u.UUID); err != nil {
		return fail("Members.GithubLogin", err)
	}
	if _, err := e.legacy.Members.ScopedAPIKeys(ctx, org, u.UUID); err != nil {
		return fail("Members.ScopedAPIKeys", err)
	}
	if _, err := c.Members.Update(ctx, org, u.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin}); err != nil {
		return fail("Members.Update", err)
	}
	if _, err := c.Members.Replace(ctx, org, u.UUID, &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelMember}); err != nil {
		return fail("Members.Replace", err)
	}
	if err := c.Members.Delete(ctx, org, u.UUID); err != nil {
		return fail("Members.Delete", err)
	}
	return nil
}

func contractInvites(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	p, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: "Private", ProjectSettings: posthogapi.ProjectSettings{AccessControl: posthogapi.Ptr(true)}})
	if err != nil {
		return fail("Projects.Create", err)
	}
	inv, err := c.Invites.Create(ctx, org, &posthogapi.InviteCreate{
		TargetEmail: "ann@example.com", FirstName: "Ann", Level: posthogapi.MembershipLevelAdmin,
		Message:               posthogapi.Ptr("Welcome"),
		PrivateProjectAccess:  []posthogapi.ProjectAccess{{ID: p.ID, Level: posthogapi.ProjectAccessMember}},
		SendEmail:             posthogapi.Ptr(false),
		CombinePendingInvites: true,
	})
	if err != nil {
		return fail("Invites.Create", err)
	}
	if _, err := c.Invites.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Invites.List", err)
	}
	if _, err := c.Invites.Bulk(ctx, org, []posthogapi.InviteCreate{
		{TargetEmail: "bo@example.com", FirstName: "Bo"},
		{TargetEmail: "cy@example.com", Level: posthogapi.MembershipLevelAdmin, SendEmail: posthogapi.Ptr(false)},
	}); err != nil {
		return fail("Invites.Bulk", err)
	}
	if _, err := c.Invites.BulkChunked(ctx, org, []posthogapi.InviteCreate{{TargetEmail: "di@example.com"}}); err != nil {
		return fail("Invites.BulkChunked", err)
	}
	if err := drain(c.Invites.All(ctx, org, &posthogapi.ListOptions{Limit: 2})); err != nil {
		return fail("Invites.All", err)
	}
	if _, err := c.Invites.Delegate(ctx, org, &posthogapi.InviteDelegate{TargetEmail: "cto@example.com", Message: "Please finish setup", StepAtDelegation: "install"}); err != nil {
		return fail("Invites.Delegate", err)
	}
	if err := c.Invites.Delete(ctx, org, inv.ID); err != nil {
		return fail("Invites.Delete", err)
	}
	return nil
}

func contractRoles(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	u := e.srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com", FirstName: "Mo"})
	e.srv.AddMember(org, u.UUID, posthogtest.LevelMember)
	r, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Engineers"})
	if err != nil {
		return fail("Roles.Create", err)
	}
	if _, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: "Ops"}); err != nil {
		return fail("Roles.Create", err)
	}
	if _, err := c.Roles.Update(ctx, org, r.ID, &posthogapi.RoleUpdate{Name: posthogapi.Ptr("Engineering")}); err != nil {
		return fail("Roles.Update", err)
	}
	if _, err := c.Roles.Replace(ctx, org, r.ID, &posthogapi.RoleCreate{Name: "Eng"}); err != nil {
		return fail("Roles.Replace", err)
	}
	m, err := c.Roles.AddUser(ctx, org, r.ID, u.UUID)
	if err != nil {
		return fail("Roles.AddUser", err)
	}
	if _, err := c.Roles.Get(ctx, org, r.ID); err != nil {
		return fail("Roles.Get", err)
	}
	if _, err := c.Roles.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Roles.List", err)
	}
	if err := drain(c.Roles.All(ctx, org, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("Roles.All", err)
	}
	if _, err := c.Roles.GetMembership(ctx, org, r.ID, m.ID); err != nil {
		return fail("Roles.GetMembership", err)
	}
	if _, err := c.Roles.ListMemberships(ctx, org, r.ID, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Roles.ListMemberships", err)
	}
	if err := drain(c.Roles.AllMemberships(ctx, org, r.ID, nil)); err != nil {
		return fail("Roles.AllMemberships", err)
	}
	if err := c.Roles.RemoveMembership(ctx, org, r.ID, m.ID); err != nil {
		return fail("Roles.RemoveMembership", err)
	}
	if err := c.Roles.Delete(ctx, org, r.ID); err != nil {
		return fail("Roles.Delete", err)
	}
	return nil
}

func contractProjects(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	p, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{
		Name: "Web app",
		ProjectSettings: posthogapi.ProjectSettings{
			ProductDescription:                          posthogapi.NewNullable("A web app"),
			Timezone:                                    "Europe/Berlin",
			WeekStartDay:                                posthogapi.NewNullable(posthogapi.WeekStartMonday),
			SessionRecordingSampleRate:                  posthogapi.NewNullable("0.5"),
			AppURLs:                                     []string{"https://app.example.com"},
			AnonymizeIPs:                                posthogapi.Ptr(false),
			CompletedSnippetOnboarding:                  posthogapi.Ptr(true),
			TestAccountFilters:                          []map[string]any{{"key": "email", "value": "@example.com", "operator": "not_icontains", "type": "person"}},
			TestAccountFiltersDefaultChecked:            posthogapi.NewNullable(true),
			PathCleaningFilters:                         posthogapi.NewNullable([]map[string]any{{"alias": "<id>", "regex": `\d+`}}),
			DataAttributes:                              []string{"data-attr", "data-test"},
			PersonDisplayNameProperties:                 posthogapi.NewNullable([]string{"email", "name"}),
			AutocaptureOptOut:                           posthogapi.NewNullable(false),
			AutocaptureExceptionsOptIn:                  posthogapi.NewNullable(true),
			AutocaptureWebVitalsOptIn:                   posthogapi.NewNullable(true),
			AutocaptureWebVitalsAllowedMetrics:          posthogapi.NewNullable([]string{"LCP", "CLS"}),
			CaptureConsoleLogOptIn:                      posthogapi.NewNullable(true),
			CapturePerformanceOptIn:                     posthogapi.NewNullable(true),
			SessionRecordingOptIn:                       posthogapi.Ptr(true),
			SessionRecordingMinimumDurationMilliseconds: posthogapi.NewNullable(1000),
			SurveysOptIn:                                posthogapi.NewNullable(true),
			HeatmapsOptIn:                               posthogapi.NewNullable(true),
			FlagsPersistenceDefault:                     posthogapi.NewNullable(false),
			RecordingDomains:                            posthogapi.NewNullable([]string{"https://app.example.com"}),
			InjectWebApps:                               posthogapi.NewNullable(false),
			BusinessModel:                               posthogapi.NewNullable(posthogapi.BusinessModelB2B),
			ReceiveOrgLevelActivityLogs:                 posthogapi.NewNullable(true),
			AutocaptureExceptionsErrorsToIgnore:         posthogapi.NewNullable([]string{"ResizeObserver loop limit exceeded"}),
			SessionRecordingNetworkPayloadCaptureConfig: posthogapi.NewNullable(map[string]any{"recordHeaders": true}),
			SessionRecordingMaskingConfig:               posthogapi.NewNullable(map[string]any{"maskAllInputs": true}),
			IsDemo:                                      posthogapi.Ptr(false),
		},
	})
	if err != nil {
		return fail("Projects.Create", err)
	}
	if _, err := c.Projects.Get(ctx, org, p.ID); err != nil {
		return fail("Projects.Get", err)
	}
	if _, err := c.Projects.List(ctx, org, &posthogapi.ProjectListOptions{ListOptions: posthogapi.ListOptions{Limit: 1}, Search: "web"}); err != nil {
		return fail("Projects.List", err)
	}
	e.srv.AddProject(org, "Second")
	if err := drain(c.Projects.All(ctx, org, &posthogapi.ProjectListOptions{ListOptions: posthogapi.ListOptions{Limit: 1}})); err != nil {
		return fail("Projects.All", err)
	}
	if _, err := c.Projects.Update(ctx, org, p.ID, &posthogapi.ProjectUpdate{
		Name: posthogapi.Ptr("Web app (prod)"),
		ProjectSettings: posthogapi.ProjectSettings{
			WeekStartDay:               posthogapi.Null[posthogapi.WeekStartDay](),
			SlackIncomingWebhook:       posthogapi.Null[string](),
			CorrelationConfig:          posthogapi.NewNullable(map[string]any{"excluded_person_property_names": []string{"$browser"}}),
			SessionRecordingLinkedFlag: posthogapi.Null[map[string]any](),
			SessionReplayConfig:        posthogapi.NewNullable(map[string]any{"record_canvas": true}),
			SurveyConfig:               posthogapi.Null[map[string]any](),
			AccessControl:              posthogapi.Ptr(false),
			PrimaryDashboard:           posthogapi.Null[int64](),
			LiveEventsColumns:          posthogapi.NewNullable([]string{"event", "person"}),
			ExtraSettings:              posthogapi.NewNullable(map[string]any{"x": 1}),
			Modifiers:                  posthogapi.NewNullable(map[string]any{"personsOnEventsMode": "person_id_override_properties_on_events"}),
			HasCompletedOnboardingFor:  posthogapi.NewNullable(map[string]any{"product_analytics": true}),
			ConversationsEnabled:       posthogapi.NewNullable(false),
			ConversationsSettings:      posthogapi.NewNullable(map[string]any{"widget_domains": []string{"https://app.example.com"}}),
			LogsSettings:               posthogapi.Null[map[string]any](),
			ProactiveTasksEnabled:      posthogapi.NewNullable(false),
		},
	}); err != nil {
		return fail("Projects.Update", err)
	}
	if _, err := c.Projects.Replace(ctx, org, p.ID, &posthogapi.ProjectCreate{Name: "Web"}); err != nil {
		return fail("Projects.Replace", err)
	}
	if _, err := c.Projects.AddProductIntent(ctx, org, p.ID, &posthogapi.ProductIntentCreate{
		ProductType: posthogapi.ProductSessionReplay, IntentContext: "onboarding product selected", Metadata: map[string]any{"from": "contract"},
	}); err != nil {
		return fail("Projects.AddProductIntent", err)
	}
	if _, err := c.Projects.CompleteProductOnboarding(ctx, org, p.ID, &posthogapi.ProductIntentCreate{ProductType: posthogapi.ProductSessionReplay}); err != nil {
		return fail("Projects.CompleteProductOnboarding", err)
	}
	l := e.legacy
	if _, err := l.Projects.ListActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 5, Page: 1}); err != nil {
		return fail("Projects.ListActivity", err)
	}
	if err := drain(l.Projects.AllActivity(ctx, org, p.ID, &posthogapi.ProjectActivityOptions{Limit: 2})); err != nil {
		return fail("Projects.AllActivity", err)
	}
	if _, err := l.Projects.IsGeneratingDemoData(ctx, org, p.ID); err != nil {
		return fail("Projects.IsGeneratingDemoData", err)
	}
	if _, err := l.Projects.ResetToken(ctx, org, p.ID); err != nil {
		return fail("Projects.ResetToken", err)
	}
	if _, err := l.Projects.RotateSecretToken(ctx, org, p.ID); err != nil {
		return fail("Projects.RotateSecretToken", err)
	}
	if _, err := l.Projects.RotateSecretToken(ctx, org, p.ID); err != nil {
		return fail("Projects.RotateSecretToken (again, to keep a backup)", err)
	}
	if _, err := l.Projects.DeleteSecretTokenBackup(ctx, org, p.ID); err != nil {
		return fail("Projects.DeleteSecretTokenBackup", err)
	}
	if _, err := l.Projects.GenerateConversationsPublicToken(ctx, org, p.ID); err != nil {
		return fail("Projects.GenerateConversationsPublicToken", err)
	}
	target := e.srv.AddOrganization("Target", e.srv.DefaultUser().UUID)
	moved, err := l.Projects.ChangeOrganization(ctx, org, p.ID, target.ID)
	if err != nil {
		return fail("Projects.ChangeOrganization", err)
	}
	if err := c.Projects.Delete(ctx, target.ID, moved.ID); err != nil {
		return fail("Projects.Delete", err)
	}
	return nil
}

// s3Destination is an AwsS3 destination as today's PostHog accepts it: no
// credentials, an aws-s3 project integration.
func s3Destination(integration posthogapi.ProjectIntegrationID) posthogapi.BatchExportDestinationRequest {
	d := posthogapi.NewBatchExportDestination(&posthogapi.AwsS3Config{
		BucketName: "ph-exports", Region: "eu-west-1", Prefix: "events/",
		FileFormat: "Parquet", Compression: "zstd", Encryption: "aws:kms", KMSKeyID: "key-1",
		MaxFileSizeMB: posthogapi.Ptr(100), LegacyParquetExtension: posthogapi.Ptr(false),
	})
	d.IntegrationID = posthogapi.NewNullable(integration)
	return d
}

func contractBatchExports(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	// Exports go to the organization's first project, whose integrations
	// hold the destinations' credentials.
	project := e.srv.AddProject(org, "Main").ID
	awsS3 := e.srv.SeedIntegration(project, posthogtest.IntegrationAWSS3, "AWS")
	gcp := e.srv.SeedIntegration(project, posthogtest.IntegrationGoogleCloudServiceAccount, "GCP")
	if _, err := c.Integrations.ListForProject(ctx, project, &posthogapi.ProjectIntegrationListOptions{Kind: posthogapi.ProjectIntegrationAWSS3}); err != nil {
		return fail("Integrations.ListForProject", err)
	}
	if err := drain(c.Integrations.AllForProject(ctx, project, nil)); err != nil {
		return fail("Integrations.AllForProject", err)
	}
	if _, err := c.Integrations.GetForProject(ctx, project, awsS3); err != nil {
		return fail("Integrations.GetForProject", err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	be, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{
		Name: "Events to S3", Interval: posthogapi.IntervalHour, Destination: s3Destination(posthogapi.ProjectIntegrationID(int64(awsS3))),
		Model: posthogapi.Ptr(posthogapi.ModelEvents), Paused: posthogapi.Ptr(false),
		StartAt: &start, HogQLQuery: posthogapi.Ptr("SELECT event FROM events"),
		EndAt:    posthogapi.Ptr(start.AddDate(1, 0, 0)),
		Filters:  []map[string]any{{"key": "$browser", "value": "Chrome", "operator": "exact", "type": "event"}},
		Timezone: posthogapi.Ptr("UTC"),
	})
	if err != nil {
		return fail("BatchExports.Create", err)
	}
	e.srv.AddBatchExportRun(org, be.ID, "Completed")
	e.srv.AddBatchExportRun(org, be.ID, "FailedRetryable")
	if _, err := c.BatchExports.Get(ctx, org, be.ID); err != nil {
		return fail("BatchExports.Get", err)
	}
	if _, err := c.BatchExports.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("BatchExports.List", err)
	}
	if err := drain(c.BatchExports.All(ctx, org, nil)); err != nil {
		return fail("BatchExports.All", err)
	}
	if _, err := c.BatchExports.Update(ctx, org, be.ID, &posthogapi.BatchExportUpdate{
		Name: posthogapi.Ptr("Events to S3 (daily)"), Interval: posthogapi.Ptr(posthogapi.IntervalDay),
		OffsetHour: posthogapi.NewNullable(3), Timezone: posthogapi.NewNullable("Europe/Berlin"),
		Destination: &posthogapi.BatchExportDestinationRequest{Config: posthogapi.AwsS3Config{Region: "us-east-1"}},
		Paused:      posthogapi.Ptr(false), HogQLQuery: posthogapi.Ptr("SELECT event, timestamp FROM events"),
		StartAt: posthogapi.Null[time.Time](), EndAt: posthogapi.NewNullable(start.AddDate(2, 0, 0)),
		Filters: posthogapi.Null[[]map[string]any](), LastPausedAt: posthogapi.Null[time.Time](),
	}); err != nil {
		return fail("BatchExports.Update", err)
	}
	if _, err := c.BatchExports.Update(ctx, org, be.ID, &posthogapi.BatchExportUpdate{
		OffsetHour: posthogapi.Null[int](), Timezone: posthogapi.Null[string](), Model: posthogapi.Null[posthogapi.BatchExportModel](),
	}); err != nil {
		return fail("BatchExports.Update (nulls)", err)
	}
	if _, err := c.BatchExports.Pause(ctx, org, be.ID); err != nil {
		return fail("BatchExports.Pause", err)
	}
	if _, err := c.BatchExports.Unpause(ctx, org, be.ID, &posthogapi.BatchExportUnpauseOptions{Backfill: true}); err != nil {
		return fail("BatchExports.Unpause", err)
	}
	if _, err := c.BatchExports.Replace(ctx, org, be.ID, &posthogapi.BatchExportCreate{
		Name: "Replaced", Interval: posthogapi.IntervalWeek, OffsetDay: posthogapi.Ptr(1),
		Destination: s3Destination(posthogapi.ProjectIntegrationID(int64(awsS3))),
	}); err != nil {
		return fail("BatchExports.Replace", err)
	}
	end := time.Now().UTC().Truncate(time.Hour)
	from := end.Add(-3 * time.Hour)
	//lint:ignore SA1019 the contract drives every method, deprecated ones included, while they have an API: line
	if _, err := c.BatchExports.Backfill(ctx, org, be.ID, &posthogapi.BatchExportBackfillRequest{StartAt: &from, EndAt: &end}); err != nil {
		return fail("BatchExports.Backfill", err)
	}
	if _, err := e.legacy.BatchExports.ListLogs(ctx, org, be.ID, &posthogapi.BatchExportLogsOptions{
		ListOptions: posthogapi.ListOptions{Limit: 10}, Level: []posthogapi.BatchExportLogLevel{posthogapi.LogLevelInfo, posthogapi.LogLevelError}, Search: "run",
		After: &from, Before: &end, InstanceID: "run-1",
	}); err != nil {
		return fail("BatchExports.ListLogs", err)
	}
	if err := drain(e.legacy.BatchExports.AllLogs(ctx, org, be.ID, &posthogapi.BatchExportLogsOptions{Level: []posthogapi.BatchExportLogLevel{posthogapi.LogLevelError}})); err != nil {
		return fail("BatchExports.AllLogs", err)
	}
	if _, err := c.BatchExports.Test(ctx, org, posthogapi.DestinationBigQuery); err != nil {
		return fail("BatchExports.Test", err)
	}
	bq := posthogapi.NewBatchExportDestination(posthogapi.BigQueryConfig{ProjectID: "proj", DatasetID: "ds", TableID: "events"})
	bq.IntegrationID = posthogapi.NewNullable(gcp)
	step := &posthogapi.BatchExportTestStepRequest{Step: 1, BatchExportCreate: posthogapi.BatchExportCreate{
		Name: "probe", Interval: posthogapi.IntervalHour, Destination: bq,
	}}
	if _, err := c.BatchExports.RunTestStepNew(ctx, org, step); err != nil {
		return fail("BatchExports.RunTestStepNew", err)
	}
	bqExport, err := c.BatchExports.Create(ctx, org, &step.BatchExportCreate)
	if err != nil {
		return fail("BatchExports.Create (BigQuery)", err)
	}
	if _, err := c.BatchExports.RunTestStep(ctx, org, bqExport.ID, step); err != nil {
		return fail("BatchExports.RunTestStep", err)
	}
	if err := c.BatchExports.Delete(ctx, org, be.ID); err != nil {
		return fail("BatchExports.Delete", err)
	}
	return nil
}

func contractDomains(ctx context.Context, e *contractEnv) error {
	c, l, org := e.c, e.legacy, e.org.ID
	d, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{
		Domain: "example.com", SAMLEntityID: posthogapi.Ptr("https://idp.example.com"),
		SAMLACSURL: posthogapi.Ptr("https://idp.example.com/acs"), SAMLX509Cert: posthogapi.Ptr("CERT"),
	})
	if err != nil {
		return fail("Domains.Create", err)
	}
	if _, err := c.Domains.Create(ctx, org, &posthogapi.DomainCreate{Domain: "a.example.com"}); err != nil {
		return fail("Domains.Create", err)
	}
	if _, err := c.Domains.Get(ctx, org, d.ID); err != nil {
		return fail("Domains.Get", err)
	}
	if _, err := c.Domains.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Domains.List", err)
	}
	if err := drain(c.Domains.All(ctx, org, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("Domains.All", err)
	}
	if _, err := l.Domains.Verify(ctx, org, d.ID); err != nil {
		return fail("Domains.Verify (no DNS record)", err)
	}
	e.srv.PublishDNSChallenge(org, d.ID)
	if _, err := l.Domains.Verify(ctx, org, d.ID); err != nil {
		return fail("Domains.Verify", err)
	}
	if _, err := c.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{
		JITProvisioningEnabled: posthogapi.Ptr(true), SSOEnforcement: posthogapi.Ptr(posthogapi.SSOEnforcementSAML),
		SAMLEntityID: posthogapi.NewNullable("https://idp2.example.com"), SCIMEnabled: posthogapi.Ptr(true),
	}); err != nil {
		return fail("Domains.Update", err)
	}
	if _, err := c.Domains.Replace(ctx, org, d.ID, &posthogapi.DomainUpdate{
		SAMLX509Cert: posthogapi.Null[string](), SSOEnforcement: posthogapi.Ptr(posthogapi.SSOEnforcementNone),
		SAMLACSURL: posthogapi.NewNullable("https://idp2.example.com/acs"),
	}); err != nil {
		return fail("Domains.Replace", err)
	}
	if err := contractLegacyDomainSCIMToken(ctx, e); err != nil {
		return err
	}
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		e.srv.AddSCIMLog(org, d.ID, posthogtest.SCIMLogSeed{
			Method: "POST", Path: "/scim/v2/" + d.ID.String() + "/Users",
			RequestBody: map[string]any{"userName": fmt.Sprintf("user%d@example.com", i)},
			Status:      201, IdentityProvider: "okta", DurationMS: posthogapi.Ptr(i),
			CreatedAt: base.Add(time.Duration(i) * time.Minute),
		})
	}
	after, before := base.Add(-time.Minute), base.Add(time.Hour)
	if _, err := l.Domains.ListSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{
		Page: 1, PageSize: 2, StatusMin: 200, StatusMax: 299, Search: "user", After: &after, Before: &before,
	}); err != nil {
		return fail("Domains.ListSCIMLogs", err)
	}
	if err := drain(l.Domains.AllSCIMLogs(ctx, org, d.ID, &posthogapi.SCIMLogOptions{PageSize: 2})); err != nil {
		return fail("Domains.AllSCIMLogs", err)
	}
	if err := c.Domains.Delete(ctx, org, d.ID); err != nil {
		return fail("Domains.Delete", err)
	}
	return nil
}

func contractProxyRecords(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	r, err := c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "e.example.com"})
	if err != nil {
		return fail("ProxyRecords.Create", err)
	}
	if _, err := c.ProxyRecords.Get(ctx, org, r.ID); err != nil {
		return fail("ProxyRecords.Get", err)
	}
	if _, err := c.ProxyRecords.List(ctx, org); err != nil {
		return fail("ProxyRecords.List", err)
	}
	// The newest PostHog refuses PUT and PATCH (neverSucceeds).
	if _, err := c.ProxyRecords.Update(ctx, org, r.ID, &posthogapi.ProxyRecordUpdate{Domain: posthogapi.Ptr("x.example.com")}); err == nil {
		return fail("ProxyRecords.Update", fmt.Errorf("succeeded; posthogtest answers 405"))
	}
	if _, err := c.ProxyRecords.Replace(ctx, org, r.ID, &posthogapi.ProxyRecordCreate{Domain: "x.example.com"}); err == nil {
		return fail("ProxyRecords.Replace", fmt.Errorf("succeeded; posthogtest answers 405"))
	}
	e.srv.SetProxyRecordStatus(org, r.ID, posthogtest.ProxyErroring)
	e.srv.SetProxyRecordMessage(org, r.ID, "CAA record blocks issuance")
	if _, err := e.legacy.ProxyRecords.Diagnose(ctx, org, r.ID); err != nil {
		return fail("ProxyRecords.Diagnose", err)
	}
	if _, err := e.legacy.ProxyRecords.Retry(ctx, org, r.ID); err != nil {
		return fail("ProxyRecords.Retry", err)
	}
	if err := c.ProxyRecords.Delete(ctx, org, r.ID); err != nil {
		return fail("ProxyRecords.Delete", err)
	}
	return nil
}

func contractIntegrations(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	in := e.srv.AddIntegration(org, "vercel", map[string]any{"type": "connectable", "account": "acme"})
	p1 := e.srv.AddProject(org, "Production")
	p2 := e.srv.AddProject(org, "Preview")
	if _, err := c.Integrations.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("Integrations.List", err)
	}
	if err := drain(c.Integrations.All(ctx, org, nil)); err != nil {
		return fail("Integrations.All", err)
	}
	if _, err := c.Integrations.Get(ctx, org, in.ID); err != nil {
		return fail("Integrations.Get", err)
	}
	if _, err := e.legacy.Integrations.EnvironmentMapping(ctx, org, in.ID, &posthogapi.IntegrationEnvironmentMapping{
		Production: posthogapi.ProjectID(int64(p1.ID)), Preview: posthogapi.Ptr(p2.ID), Development: posthogapi.Ptr(p2.ID),
	}); err != nil {
		return fail("Integrations.EnvironmentMapping", err)
	}
	if err := c.Integrations.Delete(ctx, org, in.ID); err != nil {
		return fail("Integrations.Delete", err)
	}
	return nil
}

func contractLegalDocuments(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	d, err := c.LegalDocuments.Create(ctx, org, &posthogapi.LegalDocumentCreate{
		DocumentType: posthogapi.LegalDocumentDPA, CompanyName: "Hedgehogs Ltd",
		CompanyAddress: "1 Spiny Way, London", RepresentativeName: "Hattie Hog",
		RepresentativeTitle: "CEO", RepresentativeEmail: "hattie@example.com", DPAMode: posthogapi.DPAModePretty,
	})
	if err != nil {
		return fail("LegalDocuments.Create", err)
	}
	e.srv.GrantBAAAddon(org)
	baa, err := c.LegalDocuments.Create(ctx, org, &posthogapi.LegalDocumentCreate{
		DocumentType: posthogapi.LegalDocumentBAA, CompanyName: "Hedgehogs Ltd", CompanyAddress: "1 Spiny Way",
		RepresentativeEmail: "hattie@example.com",
	})
	if err != nil {
		return fail("LegalDocuments.Create (BAA)", err)
	}
	if _, err := c.LegalDocuments.Get(ctx, org, d.ID); err != nil {
		return fail("LegalDocuments.Get", err)
	}
	if _, err := c.LegalDocuments.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("LegalDocuments.List", err)
	}
	if err := drain(c.LegalDocuments.All(ctx, org, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("LegalDocuments.All", err)
	}
	e.srv.SignLegalDocument(org, d.ID)
	if _, err := e.legacy.LegalDocuments.DownloadURL(ctx, org, d.ID); err != nil {
		return fail("LegalDocuments.DownloadURL", err)
	}
	if _, err := e.legacy.LegalDocuments.Download(ctx, org, d.ID, io.Discard); err != nil {
		return fail("LegalDocuments.Download", err)
	}
	if err := c.LegalDocuments.Delete(ctx, org, baa.ID); err != nil {
		return fail("LegalDocuments.Delete", err)
	}
	return nil
}

func contractFeatureFlags(ctx context.Context, e *contractEnv) error {
	org := e.org.ID
	e.srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 1, Key: "beta-rollout", Name: "Beta", Active: true})
	e.srv.AddFeatureFlag(org, posthogtest.FeatureFlagSeed{ProjectID: 2, Key: "other", Name: "Other"})
	if _, err := e.legacy.FeatureFlags.Get(ctx, org, "beta-rollout"); err != nil {
		return fail("FeatureFlags.Get", err)
	}
	if _, err := e.legacy.FeatureFlags.Copy(ctx, org, &posthogapi.FeatureFlagCopy{
		FeatureFlagKey: "beta-rollout", FromProject: 1, TargetProjectIDs: []posthogapi.ProjectID{2, 404}, CopySchedule: true,
	}); err != nil {
		return fail("FeatureFlags.Copy", err)
	}
	return nil
}

func contractOAuthApplications(ctx context.Context, e *contractEnv) error {
	c, org := e.c, e.org.ID
	e.srv.AddOAuthApplication(org, posthogtest.OAuthApplicationSeed{Name: "First", RedirectURIs: []string{"https://a.example/cb"}})
	e.srv.AddOAuthApplication(org, posthogtest.OAuthApplicationSeed{Name: "Second", ClientID: "client-2", IsVerified: true})
	if _, err := c.OAuthApplications.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("OAuthApplications.List", err)
	}
	if err := drain(c.OAuthApplications.All(ctx, org, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("OAuthApplications.All", err)
	}
	return nil
}

func contractResourceTransfers(ctx context.Context, e *contractEnv) error {
	l, org := e.legacy, e.org.ID
	cohort := e.srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Cohort", Name: "Power users"})
	insight := e.srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Insight", Name: "Weekly signups",
		DependsOn: []posthogtest.ResourceKey{{Kind: "Cohort", ID: cohort}}})
	dash := e.srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 1, Kind: "Dashboard", Name: "Growth",
		DependsOn: []posthogtest.ResourceKey{{Kind: "Insight", ID: insight}}})
	existing := e.srv.AddTransferableResource(org, posthogtest.TransferableResource{TeamID: 2, Kind: "Cohort", Name: "Power users (team 2)"})
	req := &posthogapi.ResourceTransferRequest{SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: posthogapi.ResourceKindDashboard, ResourceID: dash}
	if _, err := l.ResourceTransfers.Preview(ctx, org, req); err != nil {
		return fail("ResourceTransfers.Preview", err)
	}
	if _, err := l.ResourceTransfers.Search(ctx, org, &posthogapi.ResourceSearch{TeamID: 2, ResourceKind: posthogapi.ResourceKindCohort, Q: "power"}); err != nil {
		return fail("ResourceTransfers.Search", err)
	}
	if _, err := l.ResourceTransfers.Transfer(ctx, org, &posthogapi.ResourceTransfer{
		SourceTeamID: 1, DestinationTeamID: 2, ResourceKind: posthogapi.ResourceKindDashboard, ResourceID: dash,
		Substitutions: []posthogapi.ResourceSubstitution{{SourceResourceKind: posthogapi.ResourceKindCohort, SourceResourceID: cohort,
			DestinationResourceKind: posthogapi.ResourceKindCohort, DestinationResourceID: existing}},
	}); err != nil {
		return fail("ResourceTransfers.Transfer", err)
	}
	return nil
}

// contractLegacyDomainSCIMToken drives Domains.SCIMToken, which only the
// older server has, on a second posthogtest with WithLegacyDomainSSO (its
// traffic is recorded with the rest).
func contractLegacyDomainSCIMToken(ctx context.Context, e *contractEnv) error {
	srv := posthogtest.NewServer(posthogtest.WithLegacyDomainSSO(), posthogtest.LegacyUnscopedKeys())
	defer srv.Close()
	l, err := srv.Client(srv.NewAPIKey(), posthogapi.WithHTTPClient(&http.Client{Transport: e.rec}), posthogapi.WithMaxRetries(0))
	if err != nil {
		return err
	}
	org := srv.DefaultOrganization().ID
	d := srv.AddDomain(org, "example.com")
	srv.VerifyDomain(org, d.ID)
	if _, err := l.Domains.Update(ctx, org, d.ID, &posthogapi.DomainUpdate{SCIMEnabled: posthogapi.Ptr(true)}); err != nil {
		return fail("Domains.Update (older server)", err)
	}
	if _, err := l.Domains.SCIMToken(ctx, org, d.ID); err != nil {
		return fail("Domains.SCIMToken (older server)", err)
	}
	return nil
}

func contractIdentityProviderConfigs(ctx context.Context, e *contractEnv) error {
	c, l, org := e.c, e.legacy, e.org.ID
	dom := e.srv.AddDomain(org, "example.com")
	e.srv.VerifyDomain(org, dom.ID)
	cfg, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		Name: posthogapi.Ptr("Okta"), DomainScope: posthogapi.Ptr(posthogapi.IdPDomainScopeSelected),
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeSAML), OrganizationDomainIDs: []posthogapi.DomainID{dom.ID},
		SAMLEntityID: posthogapi.Ptr("https://idp.example.com"), SAMLACSURL: posthogapi.Ptr("https://idp.example.com/acs"),
		SAMLX509Cert: posthogapi.Ptr("CERT"), SCIMEnabled: posthogapi.Ptr(true),
		IDJAGIssuerURL: posthogapi.Ptr("https://idp.example.com"), IDJAGJWKSURL: posthogapi.Ptr("https://idp.example.com/jwks"),
		IDJAGAllowedClients: []string{"client"},
	})
	if err != nil {
		return fail("IdentityProviderConfigs.Create", err)
	}
	oidc, err := c.IdentityProviderConfigs.Create(ctx, org, &posthogapi.IdentityProviderConfigCreate{
		ConfigScope: posthogapi.Ptr(posthogapi.IdPConfigScopeOIDC), OIDCIssuerURL: posthogapi.Ptr("https://idp.example.com"),
		OIDCClientID: posthogapi.Ptr("client"), OIDCClientSecret: posthogapi.Ptr("secret"),
	})
	if err != nil {
		return fail("IdentityProviderConfigs.Create (OIDC)", err)
	}
	if _, err := c.IdentityProviderConfigs.List(ctx, org, &posthogapi.ListOptions{Limit: 1}); err != nil {
		return fail("IdentityProviderConfigs.List", err)
	}
	if err := drain(c.IdentityProviderConfigs.All(ctx, org, &posthogapi.ListOptions{Limit: 1})); err != nil {
		return fail("IdentityProviderConfigs.All", err)
	}
	if _, err := c.IdentityProviderConfigs.Get(ctx, org, cfg.ID); err != nil {
		return fail("IdentityProviderConfigs.Get", err)
	}
	if _, err := c.IdentityProviderConfigs.Update(ctx, org, cfg.ID, &posthogapi.IdentityProviderConfigUpdate{
		Name: posthogapi.Ptr("Okta prod"), SAMLX509Cert: posthogapi.Null[string](), IDJAGJWKSURL: posthogapi.Null[string](),
		OrganizationDomainIDs: []posthogapi.DomainID{}, IDJAGAllowedClients: []string{},
	}); err != nil {
		return fail("IdentityProviderConfigs.Update", err)
	}
	if _, err := c.IdentityProviderConfigs.Replace(ctx, org, oidc.ID, &posthogapi.IdentityProviderConfigUpdate{
		OIDCClientSecret: posthogapi.Ptr("rotated"), DomainScope: posthogapi.NewNullable(posthogapi.IdPDomainScopeAll),
	}); err != nil {
		return fail("IdentityProviderConfigs.Replace", err)
	}
	if _, err := l.IdentityProviderConfigs.SCIMToken(ctx, org, cfg.ID); err != nil {
		return fail("IdentityProviderConfigs.SCIMToken", err)
	}
	for i := range 3 {
		e.srv.AddIdentityProviderConfigSCIMLog(org, cfg.ID, posthogtest.SCIMLogSeed{
			Method: "POST", RequestBody: map[string]any{"userName": fmt.Sprintf("user%d@example.com", i)}, Status: 201,
		})
	}
	if _, err := l.IdentityProviderConfigs.ListSCIMLogs(ctx, org, cfg.ID, &posthogapi.SCIMLogOptions{Page: 1, PageSize: 2, StatusMin: 200}); err != nil {
		return fail("IdentityProviderConfigs.SCIMLogs", err)
	}
	if err := drain(l.IdentityProviderConfigs.AllSCIMLogs(ctx, org, cfg.ID, &posthogapi.SCIMLogOptions{PageSize: 2})); err != nil {
		return fail("IdentityProviderConfigs.AllSCIMLogs", err)
	}
	if err := c.IdentityProviderConfigs.Delete(ctx, org, cfg.ID); err != nil {
		return fail("IdentityProviderConfigs.Delete", err)
	}
	return nil
}
