package posthogapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// BatchExportsService manages batch exports: /api/organizations/{organization_id}/batch_exports/.
//
// A batch export sends a project's events, persons or sessions to a
// destination (AwsS3, S3Compatible, Snowflake, BigQuery ...) on a schedule.
// Today's PostHog keeps the credentials of most destinations in a project
// integration (see Integrations.ListForProject) that the destination links
// by ID: AwsS3, S3Compatible, BigQuery, Databricks and AzureBlob always
// need one, Postgres, Snowflake and Redshift when created. The legacy S3
// type is refused. Create, Update, Replace and the test steps check these
// rules before sending (ErrInvalidArgument). Configs that still carry
// credentials (Postgres, Redshift, HTTP ...) are redacted by their String
// and GoString methods; PostHog never sends secrets back, and this package
// never logs request or response bodies.
type BatchExportsService service

// DestinationType is the kind of a batch export destination.
type DestinationType string

// Destination types. AwsS3, S3Compatible and FileDownload exist only on
// newer PostHog versions, which also refuse new exports of the legacy type
// S3 (PH products/batch_exports/backend/models/batch_export.py).
const (
	DestinationS3         DestinationType = "S3"
	DestinationSnowflake  DestinationType = "Snowflake"
	DestinationPostgres   DestinationType = "Postgres"
	DestinationRedshift   DestinationType = "Redshift"
	DestinationBigQuery   DestinationType = "BigQuery"
	DestinationDatabricks DestinationType = "Databricks"
	DestinationAzureBlob  DestinationType = "AzureBlob"
	// DestinationWorkflows feeds PostHog Workflows. PostHog leaves these
	// exports out of List and All; Get still returns them.
	DestinationWorkflows    DestinationType = "Workflows"
	DestinationHTTP         DestinationType = "HTTP"
	DestinationNoOp         DestinationType = "NoOp"
	DestinationAwsS3        DestinationType = "AwsS3"
	DestinationS3Compatible DestinationType = "S3Compatible"
	DestinationFileDownload DestinationType = "FileDownload"
)

var destinationTypes = []DestinationType{
	DestinationS3, DestinationSnowflake, DestinationPostgres, DestinationRedshift,
	DestinationBigQuery, DestinationDatabricks, DestinationAzureBlob, DestinationWorkflows,
	DestinationHTTP, DestinationNoOp, DestinationAwsS3, DestinationS3Compatible,
	DestinationFileDownload,
}

// Valid reports whether t is a destination type this package knows.
func (t DestinationType) Valid() bool {
	return slices.Contains(destinationTypes, t)
}

// BatchExportInterval is how often a batch export runs.
type BatchExportInterval string

// Batch export intervals. Intervals other than hour, day and week need a
// PostHog feature flag (403 otherwise).
const (
	IntervalHour           BatchExportInterval = "hour"
	IntervalDay            BatchExportInterval = "day"
	IntervalWeek           BatchExportInterval = "week"
	IntervalEvery5Minutes  BatchExportInterval = "every 5 minutes"
	IntervalEvery15Minutes BatchExportInterval = "every 15 minutes" // newer PostHog versions only
)

// Valid reports whether i is one of PostHog's intervals.
func (i BatchExportInterval) Valid() bool {
	switch i {
	case IntervalHour, IntervalDay, IntervalWeek, IntervalEvery5Minutes, IntervalEvery15Minutes:
		return true
	}
	return false
}

// BatchExportModel is the data a batch export sends.
type BatchExportModel string

// Batch export models.
const (
	ModelEvents   BatchExportModel = "events"
	ModelPersons  BatchExportModel = "persons"
	ModelSessions BatchExportModel = "sessions"
	// ModelHogQL exports the result of HogQLQuery (newer PostHog versions,
	// behind a feature flag).
	ModelHogQL BatchExportModel = "hogql"
)

// Valid reports whether m is one of PostHog's models.
func (m BatchExportModel) Valid() bool {
	switch m {
	case ModelEvents, ModelPersons, ModelSessions, ModelHogQL:
		return true
	}
	return false
}

// BatchExportRunStatus is the state of one batch export run.
type BatchExportRunStatus string

// Batch export run statuses.
const (
	RunStatusCancelled       BatchExportRunStatus = "Cancelled"
	RunStatusCompleted       BatchExportRunStatus = "Completed"
	RunStatusContinuedAsNew  BatchExportRunStatus = "ContinuedAsNew"
	RunStatusFailed          BatchExportRunStatus = "Failed"
	RunStatusFailedRetryable BatchExportRunStatus = "FailedRetryable"
	RunStatusFailedBilling   BatchExportRunStatus = "FailedBilling"
	RunStatusTerminated      BatchExportRunStatus = "Terminated"
	RunStatusTimedOut        BatchExportRunStatus = "TimedOut"
	RunStatusRunning         BatchExportRunStatus = "Running"
	RunStatusStarting        BatchExportRunStatus = "Starting"
)

// Finished reports whether a run in status s is over (it will not change
// again unless retried).
func (s BatchExportRunStatus) Finished() bool {
	switch s {
	case RunStatusRunning, RunStatusStarting, RunStatusContinuedAsNew:
		return false
	}
	return true
}

// BatchExport is a batch export as PostHog sends it.
type BatchExport struct {
	ID BatchExportID `json:"id"`
	// TeamID is the project (team) whose data is exported.
	TeamID ProjectID `json:"team_id"`
	Name   string    `json:"name"`
	// Model is nil (or "") when PostHog stored none; PostHog then exports
	// events.
	Model       *BatchExportModel      `json:"model"`
	Destination BatchExportDestination `json:"destination"`
	Interval    BatchExportInterval    `json:"interval"`
	Paused      bool                   `json:"paused"`
	CreatedAt   time.Time              `json:"created_at"`
	// LastUpdatedAt is when the export was last changed.
	LastUpdatedAt time.Time  `json:"last_updated_at"`
	LastPausedAt  *time.Time `json:"last_paused_at"`
	// StartAt and EndAt bound the runs PostHog schedules.
	StartAt *time.Time `json:"start_at"`
	EndAt   *time.Time `json:"end_at"`
	// LatestRuns are the ten most recent runs, newest first.
	LatestRuns []BatchExportRun `json:"latest_runs"`
	// HogQLQuery is the custom query, when PostHog echoes it; it usually
	// sends the compiled query in Schema.HogQLQuery instead.
	HogQLQuery string `json:"hogql_query,omitempty"`
	// Schema is the field selection compiled from a HogQL query; nil for
	// the built-in models.
	Schema *BatchExportSchema `json:"schema"`
	// Filters are property filters on the exported events (HogQL property
	// filter objects); nil when none.
	Filters []map[string]any `json:"filters"`
	// Timezone is the IANA time zone of day and week boundaries (newer
	// servers; nil on older ones).
	Timezone *string `json:"timezone"`
	// OffsetDay is the weekday weekly exports start on (0 Sunday .. 6
	// Saturday); nil for other intervals.
	OffsetDay *int `json:"offset_day"`
	// OffsetHour is the hour (0..23) daily and weekly exports start at.
	OffsetHour *int `json:"offset_hour"`
}

// LatestRun returns the most recent run, or nil when the export never ran.
func (b *BatchExport) LatestRun() *BatchExportRun {
	if b == nil || len(b.LatestRuns) == 0 {
		return nil
	}
	latest := &b.LatestRuns[0]
	for i := range b.LatestRuns[1:] {
		if r := &b.LatestRuns[i+1]; r.CreatedAt.After(latest.CreatedAt) {
			latest = r
		}
	}
	return latest
}

// BatchExportSchema is the selection PostHog compiles from a HogQL query.
type BatchExportSchema struct {
	Fields     []BatchExportSchemaField `json:"fields"`
	Values     map[string]any           `json:"values"`
	HogQLQuery string                   `json:"hogql_query,omitempty"`
}

// BatchExportSchemaField is one selected expression of a BatchExportSchema.
type BatchExportSchemaField struct {
	Expression string `json:"expression"`
	Alias      string `json:"alias"`
}

// BatchExportDestination is a batch export's destination as PostHog sends
// it. Config never holds secrets: PostHog strips credentials from answers.
type BatchExportDestination struct {
	Type DestinationType `json:"type"`
	// Config is the destination's settings (see DecodeConfig for a typed
	// view).
	Config map[string]any `json:"config"`
	// Integration is the ID of the project integration holding the
	// destination's credentials, if any.
	Integration *ProjectIntegrationID `json:"integration"`
}

// DecodeConfig decodes Config into v, typically a pointer to the config
// struct of the destination's type:
//
//	var s3 posthogapi.S3Config
//	err := export.Destination.DecodeConfig(&s3)
func (d *BatchExportDestination) DecodeConfig(v any) error {
	b, err := json.Marshal(d.Config)
	if err != nil {
		return fmt.Errorf("posthogapi: encoding destination config: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("posthogapi: decoding %s destination config: %w", d.Type, err)
	}
	return nil
}

// BatchExportRun is one run of a batch export over one data interval.
type BatchExportRun struct {
	ID     BatchExportRunID     `json:"id"`
	Status BatchExportRunStatus `json:"status"`
	// RecordsCompleted is how many records were exported so far.
	RecordsCompleted *int64  `json:"records_completed"`
	LatestError      *string `json:"latest_error"`
	// DataIntervalStart is nil for a backfill from the beginning of time.
	DataIntervalStart *time.Time `json:"data_interval_start"`
	DataIntervalEnd   time.Time  `json:"data_interval_end"`
	// Cursor is an opaque resume cursor.
	Cursor        *string    `json:"cursor"`
	CreatedAt     time.Time  `json:"created_at"`
	FinishedAt    *time.Time `json:"finished_at"`
	LastUpdatedAt time.Time  `json:"last_updated_at"`
	// RecordsTotalCount is how many records the run should export.
	RecordsTotalCount *int64 `json:"records_total_count"`
	BytesExported     *int64 `json:"bytes_exported"`
	// RecordsFailed counts records that failed downstream processing (newer
	// PostHog versions only).
	RecordsFailed *int64 `json:"records_failed,omitempty"`
	// BatchExport is the ID of the export the run belongs to.
	BatchExport BatchExportID `json:"batch_export"`
	// Backfill is the ID of the backfill that started the run, if any.
	Backfill *BatchExportBackfillID `json:"backfill"`
}

// DestinationConfig is the typed config of one destination type:
// AwsS3Config, S3CompatibleConfig, SnowflakeConfig, PostgresConfig,
// RedshiftConfig, BigQueryConfig, DatabricksConfig, AzureBlobConfig,
// HTTPConfig, WorkflowsConfig or NoOpConfig. S3Config, which only decodes
// legacy exports, is none: writing it does not compile. Fields left at their zero value are not sent, so in an update
// only the settings you set change (PostHog merges the config).
type DestinationConfig interface {
	// DestinationType is the type the config is for.
	DestinationType() DestinationType
}

// BatchExportDestinationRequest is the destination in a create or update
// body. Set Config to a typed config, RawConfig to extra keys (it wins over
// Config on conflicts, and is the way to send settings this package has no
// field for), or both. Type may be left empty when Config is set.
type BatchExportDestinationRequest struct {
	Type      DestinationType
	Config    DestinationConfig
	RawConfig map[string]any
	// IntegrationID links the project integration that holds the
	// destination's credentials, of the kind DestinationType.IntegrationKind
	// names. Required for AwsS3, S3Compatible, BigQuery, Databricks and
	// AzureBlob (in every request for the last three; an AwsS3 or
	// S3Compatible update without it keeps the linked one) and for
	// Postgres, Snowflake and Redshift on create. Null unlinks it, which
	// PostHog refuses for all of these but legacy Postgres exports.
	IntegrationID Nullable[ProjectIntegrationID]
}

// NewBatchExportDestination returns a destination request for cfg, with the
// type taken from cfg.
func NewBatchExportDestination(cfg DestinationConfig) BatchExportDestinationRequest {
	var t DestinationType
	if !isNilConfig(cfg) {
		t = cfg.DestinationType()
	}
	return BatchExportDestinationRequest{Type: t, Config: cfg}
}

// isNilConfig reports whether cfg is nil or a nil pointer (whose value
// methods would panic).
func isNilConfig(cfg DestinationConfig) bool {
	if cfg == nil {
		return true
	}
	v := reflect.ValueOf(cfg)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// destinationType is the type to send: Type, or the config's.
func (d *BatchExportDestinationRequest) destinationType() DestinationType {
	if d.Type == "" && !isNilConfig(d.Config) {
		return d.Config.DestinationType()
	}
	return d.Type
}

// validate checks the destination before it is sent, with PostHog's rules
// for a new export (create) or an existing one (an update, a PUT, or a test
// step of a stored export). PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination.
func (d *BatchExportDestinationRequest) validate(create bool) error {
	t := d.destinationType()
	switch {
	case t == "":
		return fmt.Errorf("%w: batch export destination has no type", ErrInvalidArgument)
	case !t.Valid():
		return fmt.Errorf("%w: unknown batch export destination type %q", ErrInvalidArgument, t)
	case t == DestinationS3:
		return fmt.Errorf("%w: the 'S3' destination type is deprecated and PostHog refuses it; use %s (AwsS3Config) for AWS S3 or %s (S3CompatibleConfig) for S3-compatible storage, with an integration holding the credentials",
			ErrInvalidArgument, DestinationAwsS3, DestinationS3Compatible)
	}
	if !isNilConfig(d.Config) {
		if d.Config.DestinationType() != t {
			return fmt.Errorf("%w: %T is not a config for destination type %s", ErrInvalidArgument, d.Config, t)
		}
	}
	if err := d.checkCredentialFields(t); err != nil {
		return err
	}
	if v, ok := d.IntegrationID.Get(); ok && v <= 0 {
		return fmt.Errorf("%w: integration id must be positive", ErrInvalidArgument)
	}
	if err := d.checkIntegration(t, create); err != nil {
		return err
	}
	return d.checkHTTPURL(t)
}

// checkIntegration applies PostHog's integration requirements: AwsS3 and
// S3Compatible need one on create and cannot drop it (an update without
// integration_id keeps the stored one); BigQuery, Databricks and AzureBlob
// need it in every request that carries the destination; Postgres,
// Snowflake and Redshift need it on create (exports made before
// integrations keep their inline credentials when edited; an export that
// has an integration cannot drop it, which PostHog checks against the
// stored export).
func (d *BatchExportDestinationRequest) checkIntegration(t DestinationType, create bool) error {
	_, has := d.IntegrationID.Get()
	required := false
	switch t {
	case DestinationAwsS3, DestinationS3Compatible:
		required = create || d.IntegrationID.IsNull()
	case DestinationBigQuery, DestinationDatabricks, DestinationAzureBlob:
		required = true
	case DestinationPostgres, DestinationSnowflake, DestinationRedshift:
		required = create
	}
	if required && !has {
		return fmt.Errorf("%w: integration is required for %s batch exports: set IntegrationID to a project integration of kind %s (see Integrations.ListForProject)",
			ErrInvalidArgument, t, destinationIntegrationKind[t])
	}
	return nil
}

// destinationIntegrationKind is the integration kind each integration-backed
// destination needs (PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination).
var destinationIntegrationKind = map[DestinationType]ProjectIntegrationKind{
	DestinationAwsS3:        ProjectIntegrationAWSS3,
	DestinationS3Compatible: ProjectIntegrationS3Compatible,
	DestinationBigQuery:     ProjectIntegrationGoogleCloudServiceAccount,
	DestinationDatabricks:   ProjectIntegrationDatabricks,
	DestinationAzureBlob:    ProjectIntegrationAzureBlob,
	DestinationPostgres:     ProjectIntegrationPostgreSQL,
	DestinationSnowflake:    ProjectIntegrationSnowflake,
	DestinationRedshift:     ProjectIntegrationAWSRedshift,
}

// IntegrationKind returns the kind of project integration a destination of
// type t links, and false for destinations without one.
func (t DestinationType) IntegrationKind() (ProjectIntegrationKind, bool) {
	k, ok := destinationIntegrationKind[t]
	return k, ok
}

// credentialConfigKeys are config keys PostHog no longer declares for a
// destination (its credentials live in the integration): the server answers
// "Configuration has unknown field/s". PostHog: products/batch_exports/backend/service.py
// AwsS3BatchExportInputs, S3CompatibleBatchExportInputs, SnowflakeBatchExportInputs.
var credentialConfigKeys = map[DestinationType][]string{
	DestinationAwsS3:        {"aws_access_key_id", "aws_secret_access_key", "endpoint_url"},
	DestinationS3Compatible: {"aws_access_key_id", "aws_secret_access_key", "endpoint_url"},
	DestinationSnowflake:    {"account", "user", "password", "private_key", "private_key_passphrase", "authentication_type"},
}

// checkCredentialFields refuses credentials in a config of a destination
// whose credentials live in its integration.
func (d *BatchExportDestinationRequest) checkCredentialFields(t DestinationType) error {
	keys := credentialConfigKeys[t]
	if len(keys) == 0 {
		return nil
	}
	cfg, err := d.config()
	if err != nil {
		return fmt.Errorf("%w: encoding destination config: %v", ErrInvalidArgument, err)
	}
	var found []string
	for _, k := range keys {
		if _, ok := cfg[k]; ok {
			found = append(found, k)
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("%w: %s batch exports take their credentials from the linked integration; PostHog refuses the config field/s %s",
			ErrInvalidArgument, t, strings.Join(found, ", "))
	}
	return nil
}

// httpDestinationURLs are the only URLs PostHog accepts for HTTP
// destinations (an SSRF guard). PostHog: products/batch_exports/backend/api/batch_export.py
// BatchExportSerializer.validate_destination.
var httpDestinationURLs = []string{"https://us.i.posthog.com/batch/", "https://eu.i.posthog.com/batch/"}

// HTTPDestinationURLs returns the URLs an HTTP destination may send to.
func HTTPDestinationURLs() []string { return append([]string(nil), httpDestinationURLs...) }

func (d *BatchExportDestinationRequest) checkHTTPURL(t DestinationType) error {
	if t != DestinationHTTP {
		return nil
	}
	cfg, err := d.config()
	if err != nil {
		return fmt.Errorf("%w: encoding destination config: %v", ErrInvalidArgument, err)
	}
	raw, ok := cfg["url"]
	if !ok || raw == nil || raw == "" {
		return nil
	}
	u, _ := raw.(string)
	if slices.Contains(httpDestinationURLs, u) {
		return nil
	}
	return fmt.Errorf("%w: HTTP destination url must be %s", ErrInvalidArgument, strings.Join(httpDestinationURLs, " or "))
}

// config merges Config and RawConfig into the object sent as "config".
func (d BatchExportDestinationRequest) config() (map[string]any, error) {
	out := map[string]any{}
	if !isNilConfig(d.Config) {
		b, err := json.Marshal(d.Config)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	for k, v := range d.RawConfig {
		out[k] = v
	}
	return out, nil
}

// MarshalJSON encodes {"type", "config", "integration_id"}.
func (d BatchExportDestinationRequest) MarshalJSON() ([]byte, error) {
	cfg, err := d.config()
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Type          DestinationType                `json:"type"`
		Config        map[string]any                 `json:"config"`
		IntegrationID Nullable[ProjectIntegrationID] `json:"integration_id,omitzero"`
	}{d.destinationType(), cfg, d.IntegrationID})
}

// String describes the destination with secret settings redacted, so that
// printing or logging a request does not leak credentials.
func (d BatchExportDestinationRequest) String() string {
	cfg, err := d.config()
	if err != nil {
		return fmt.Sprintf("{%s config:(unencodable)}", d.destinationType())
	}
	return fmt.Sprintf("{%s config:%s}", d.destinationType(), redactedConfigString(cfg))
}

// GoString is String for %#v, so that no format verb prints credentials.
func (d BatchExportDestinationRequest) GoString() string {
	s := "posthogapi.BatchExportDestinationRequest" + d.String()
	if v, ok := d.IntegrationID.Get(); ok {
		s += fmt.Sprintf("{integration_id:%d}", v)
	}
	return s
}

// secretConfigKeys are the config keys PostHog treats as secrets (PH
// BatchExportDestination.secret_fields), redacted by String methods.
var secretConfigKeys = map[string]bool{
	"aws_access_key_id": true, "aws_secret_access_key": true, "password": true,
	"private_key": true, "private_key_passphrase": true, "private_key_id": true,
	"token": true, "client_email": true, "token_uri": true, "user": true,
}

// redactedConfigString renders a config with secrets replaced, keys sorted.
func redactedConfigString(cfg map[string]any) string {
	return fieldsString("", slices.Sorted(maps.Keys(cfg)), func(k string) string {
		switch v := cfg[k].(type) {
		case map[string]any:
			return redactedConfigString(v)
		default:
			if secretConfigKeys[k] {
				return "[REDACTED]"
			}
			return fmt.Sprint(v)
		}
	})
}

// configString renders a typed config for String methods.
func configString(cfg any) string {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "{(unencodable)}"
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return "{}"
	}
	return redactedConfigString(m)
}

// S3Config is the config of the legacy S3 destination type, kept to decode
// existing exports (see BatchExportDestination.DecodeConfig). It is not a
// DestinationConfig, so a request carrying one does not compile: PostHog
// refuses every write of the 'S3' destination type (a destination whose
// Type is DestinationS3 is refused before sending).
//
// Deprecated: only for reading existing exports. Write AwsS3Config or
// S3CompatibleConfig with an integration.
type S3Config struct {
	BucketName string `json:"bucket_name,omitempty"`
	Region     string `json:"region,omitempty"`
	// Prefix is prepended to every file name; it may use placeholders such
	// as {year} and {table}.
	Prefix             string `json:"prefix,omitempty"`
	AWSAccessKeyID     string `json:"aws_access_key_id,omitempty"`     // secret
	AWSSecretAccessKey string `json:"aws_secret_access_key,omitempty"` // secret
	// Compression is a codec supported by FileFormat (gzip, brotli, zstd,
	// lz4, snappy ...).
	Compression string `json:"compression,omitempty"`
	// FileFormat is JSONLines (PostHog's default) or Parquet.
	FileFormat string `json:"file_format,omitempty"`
	// Encryption is the server-side encryption (AES256 or aws:kms).
	Encryption string `json:"encryption,omitempty"`
	KMSKeyID   string `json:"kms_key_id,omitempty"`
	// EndpointURL targets an S3-compatible service instead of AWS.
	EndpointURL               string   `json:"endpoint_url,omitempty"`
	MaxFileSizeMB             *int     `json:"max_file_size_mb,omitempty"`
	UseVirtualStyleAddressing *bool    `json:"use_virtual_style_addressing,omitempty"`
	ExcludeEvents             []string `json:"exclude_events,omitempty"`
	IncludeEvents             []string `json:"include_events,omitempty"`
}

// String describes the config with credentials redacted.
func (c S3Config) String() string { return configString(c) }

// GoString is String for %#v.
func (c S3Config) GoString() string { return "posthogapi.S3Config" + c.String() }

// AwsS3Config configures an AwsS3 destination. The AWS credentials live in
// the linked project integration of kind aws-s3
// (BatchExportDestinationRequest.IntegrationID, required); PostHog refuses
// credential fields in the config. Fields follow PostHog's
// AwsS3BatchExportInputs (products/batch_exports/backend/service.py).
type AwsS3Config struct {
	// BucketName, Region and Prefix are required on create and may not be
	// blank.
	BucketName string `json:"bucket_name,omitempty"`
	Region     string `json:"region,omitempty"`
	// Prefix is prepended to every file name; it may use placeholders such
	// as {year} and {table}.
	Prefix string `json:"prefix,omitempty"`
	// Compression is a codec supported by FileFormat (JSONLines: gzip,
	// brotli; Parquet: zstd, lz4, snappy, gzip, brotli).
	Compression string `json:"compression,omitempty"`
	// FileFormat is JSONLines (PostHog's default) or Parquet.
	FileFormat    string `json:"file_format,omitempty"`
	MaxFileSizeMB *int   `json:"max_file_size_mb,omitempty"`
	// Encryption is the server-side encryption (AES256 or aws:kms), and
	// KMSKeyID the key for aws:kms.
	Encryption string `json:"encryption,omitempty"`
	KMSKeyID   string `json:"kms_key_id,omitempty"`
	// LegacyParquetExtension keeps the codec in Parquet file names
	// (".parquet.zst"); PostHog's default is true.
	LegacyParquetExtension *bool    `json:"legacy_parquet_extension,omitempty"`
	ExcludeEvents          []string `json:"exclude_events,omitempty"`
	IncludeEvents          []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationAwsS3.
func (AwsS3Config) DestinationType() DestinationType { return DestinationAwsS3 }

// S3CompatibleConfig configures an S3Compatible destination (Cloudflare R2,
// DigitalOcean Spaces, MinIO ...). The credentials and the endpoint URL live
// in the linked project integration of kind s3-compatible
// (BatchExportDestinationRequest.IntegrationID, required). Fields follow
// PostHog's S3CompatibleBatchExportInputs.
type S3CompatibleConfig struct {
	// BucketName, Region and Prefix are required on create and may not be
	// blank.
	BucketName             string `json:"bucket_name,omitempty"`
	Region                 string `json:"region,omitempty"`
	Prefix                 string `json:"prefix,omitempty"`
	Compression            string `json:"compression,omitempty"`
	FileFormat             string `json:"file_format,omitempty"`
	MaxFileSizeMB          *int   `json:"max_file_size_mb,omitempty"`
	LegacyParquetExtension *bool  `json:"legacy_parquet_extension,omitempty"`
	// UseVirtualStyleAddressing uses virtual-hosted-style URLs instead of
	// path-style ones (PostHog's default: false).
	UseVirtualStyleAddressing *bool    `json:"use_virtual_style_addressing,omitempty"`
	ExcludeEvents             []string `json:"exclude_events,omitempty"`
	IncludeEvents             []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationS3Compatible.
func (S3CompatibleConfig) DestinationType() DestinationType { return DestinationS3Compatible }

// Snowflake authentication types.
const (
	SnowflakeAuthPassword = "password"
	SnowflakeAuthKeyPair  = "keypair"
)

// SnowflakeConfig configures a Snowflake destination. The account, user and
// credentials live in the linked project integration of kind snowflake
// (BatchExportDestinationRequest.IntegrationID, required on create); PostHog
// refuses them in the config. Fields follow PostHog's
// SnowflakeBatchExportInputs.
type SnowflakeConfig struct {
	// Account is decoded from exports made before integrations.
	//
	// Deprecated: PostHog refuses it in requests; it lives in the
	// integration. Requests carrying it are refused before sending.
	Account string `json:"account,omitempty"`
	// User is decoded if a server sends it.
	//
	// Deprecated: PostHog refuses it in requests; it lives in the
	// integration. Requests carrying it are refused before sending.
	User      string `json:"user,omitempty"` // secret
	Database  string `json:"database,omitempty"`
	Warehouse string `json:"warehouse,omitempty"`
	Schema    string `json:"schema,omitempty"`
	// TableName defaults to "events".
	TableName string `json:"table_name,omitempty"`
	Role      string `json:"role,omitempty"`
	// AuthenticationType is SnowflakeAuthPassword or SnowflakeAuthKeyPair.
	//
	// Deprecated: PostHog refuses it in requests; it lives in the
	// integration. Requests carrying it are refused before sending.
	AuthenticationType string `json:"authentication_type,omitempty"`
	// Deprecated: PostHog refuses credentials in requests; they live in
	// the integration. Requests carrying them are refused before sending.
	Password string `json:"password,omitempty"` // secret
	// Deprecated: as Password.
	PrivateKey string `json:"private_key,omitempty"` // secret
	// Deprecated: as Password.
	PrivateKeyPassphrase string   `json:"private_key_passphrase,omitempty"` // secret
	ExcludeEvents        []string `json:"exclude_events,omitempty"`
	IncludeEvents        []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationSnowflake.
func (SnowflakeConfig) DestinationType() DestinationType { return DestinationSnowflake }

// String describes the config with credentials redacted.
func (c SnowflakeConfig) String() string { return configString(c) }

// GoString is String for %#v.
func (c SnowflakeConfig) GoString() string { return "posthogapi.SnowflakeConfig" + c.String() }

// PostgresConfig configures a PostgreSQL destination.
type PostgresConfig struct {
	Host     string `json:"host,omitempty"`
	Port     *int   `json:"port,omitempty"`     // PostHog's default: 5432
	User     string `json:"user,omitempty"`     // secret
	Password string `json:"password,omitempty"` // secret
	Database string `json:"database,omitempty"`
	// Schema defaults to "public", TableName to "events".
	Schema            string   `json:"schema,omitempty"`
	TableName         string   `json:"table_name,omitempty"`
	HasSelfSignedCert *bool    `json:"has_self_signed_cert,omitempty"`
	ExcludeEvents     []string `json:"exclude_events,omitempty"`
	IncludeEvents     []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationPostgres.
func (PostgresConfig) DestinationType() DestinationType { return DestinationPostgres }

// String describes the config with credentials redacted.
func (c PostgresConfig) String() string { return configString(c) }

// GoString is String for %#v.
func (c PostgresConfig) GoString() string { return "posthogapi.PostgresConfig" + c.String() }

// Redshift modes.
const (
	RedshiftModeInsert = "INSERT"
	RedshiftModeCopy   = "COPY"
)

// RedshiftConfig configures a Redshift destination.
type RedshiftConfig struct {
	Host     string `json:"host,omitempty"`
	Port     *int   `json:"port,omitempty"`     // PostHog's default: 5439
	User     string `json:"user,omitempty"`     // secret
	Password string `json:"password,omitempty"` // secret
	Database string `json:"database,omitempty"`
	// Schema defaults to "public", TableName to "events".
	Schema    string `json:"schema,omitempty"`
	TableName string `json:"table_name,omitempty"`
	// PropertiesDataType is "varchar" (default) or "super".
	PropertiesDataType string `json:"properties_data_type,omitempty"`
	// Mode is RedshiftModeInsert (default) or RedshiftModeCopy; COPY needs
	// CopyInputs.
	Mode          string              `json:"mode,omitempty"`
	CopyInputs    *RedshiftCopyInputs `json:"copy_inputs,omitempty"`
	ExcludeEvents []string            `json:"exclude_events,omitempty"`
	IncludeEvents []string            `json:"include_events,omitempty"`
}

// DestinationType returns DestinationRedshift.
func (RedshiftConfig) DestinationType() DestinationType { return DestinationRedshift }

// String describes the config with credentials redacted.
func (c RedshiftConfig) String() string { return configString(c) }

// GoString is String for %#v.
func (c RedshiftConfig) GoString() string { return "posthogapi.RedshiftConfig" + c.String() }

// RedshiftCopyInputs is the S3 staging area of a Redshift export in COPY
// mode.
type RedshiftCopyInputs struct {
	S3Bucket    string `json:"s3_bucket,omitempty"`
	RegionName  string `json:"region_name,omitempty"`
	S3KeyPrefix string `json:"s3_key_prefix,omitempty"`
	// Authorization lets Redshift read the staged files: an IAM role ARN,
	// AWS credentials or an aws-s3 integration ID.
	Authorization *RedshiftCredentials `json:"authorization,omitempty"`
	// BucketCredentials let PostHog write the staged files: AWS credentials
	// or an aws-s3 integration ID.
	BucketCredentials *RedshiftCredentials `json:"bucket_credentials,omitempty"`
}

// RedshiftCredentials is one of: an IAM role ARN, AWS credentials, or the ID
// of an aws-s3 integration. Set exactly one field.
type RedshiftCredentials struct {
	IAMRoleARN    string
	AWS           *AWSCredentials
	IntegrationID ProjectIntegrationID
}

// AWSCredentials is an AWS access key pair.
type AWSCredentials struct {
	AccessKeyID     string `json:"aws_access_key_id"`     // secret
	SecretAccessKey string `json:"aws_secret_access_key"` // secret
}

// String describes the credentials with the key pair redacted.
func (c AWSCredentials) String() string {
	return "{aws_access_key_id:[REDACTED] aws_secret_access_key:[REDACTED]}"
}

// GoString is String for %#v.
func (c AWSCredentials) GoString() string { return "posthogapi.AWSCredentials" + c.String() }

// MarshalJSON encodes the one set field: a string, an object or a number.
func (c RedshiftCredentials) MarshalJSON() ([]byte, error) {
	switch {
	case c.AWS != nil:
		return json.Marshal(c.AWS)
	case c.IntegrationID != 0:
		return json.Marshal(c.IntegrationID)
	default:
		return json.Marshal(c.IAMRoleARN)
	}
}

// UnmarshalJSON decodes a string (a role ARN, or an integration ID in
// digits, as PostHog stores them), a number or an object.
func (c *RedshiftCredentials) UnmarshalJSON(b []byte) error {
	*c = RedshiftCredentials{}
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '{':
		c.AWS = new(AWSCredentials)
		return json.Unmarshal(b, c.AWS)
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && s[0] != '+' {
			c.IntegrationID = ProjectIntegrationID(n)
			return nil
		}
		c.IAMRoleARN = s
		return nil
	default:
		return json.Unmarshal(b, &c.IntegrationID)
	}
}

// BigQueryConfig configures a BigQuery destination with a service account
// key (newer PostHog versions take the key from the linked integration).
type BigQueryConfig struct {
	ProjectID string `json:"project_id,omitempty"`
	DatasetID string `json:"dataset_id,omitempty"`
	// TableID defaults to "events".
	TableID      string `json:"table_id,omitempty"`
	PrivateKey   string `json:"private_key,omitempty"`    // secret
	PrivateKeyID string `json:"private_key_id,omitempty"` // secret
	TokenURI     string `json:"token_uri,omitempty"`      // secret
	ClientEmail  string `json:"client_email,omitempty"`   // secret
	// UseJSONType exports properties as JSON instead of STRING; it cannot
	// change after creation.
	UseJSONType   *bool    `json:"use_json_type,omitempty"`
	ExcludeEvents []string `json:"exclude_events,omitempty"`
	IncludeEvents []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationBigQuery.
func (BigQueryConfig) DestinationType() DestinationType { return DestinationBigQuery }

// String describes the config with credentials redacted.
func (c BigQueryConfig) String() string { return configString(c) }

// GoString is String for %#v.
func (c BigQueryConfig) GoString() string { return "posthogapi.BigQueryConfig" + c.String() }

// DatabricksConfig configures a Databricks destination. The credentials
// live in the linked integration (BatchExportDestinationRequest.IntegrationID).
type DatabricksConfig struct {
	HTTPPath  string `json:"http_path,omitempty"`
	Catalog   string `json:"catalog,omitempty"`
	Schema    string `json:"schema,omitempty"`
	TableName string `json:"table_name,omitempty"`
	// UseVariantType and UseAutomaticSchemaEvolution default to true.
	UseVariantType              *bool    `json:"use_variant_type,omitempty"`
	UseAutomaticSchemaEvolution *bool    `json:"use_automatic_schema_evolution,omitempty"`
	ExcludeEvents               []string `json:"exclude_events,omitempty"`
	IncludeEvents               []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationDatabricks.
func (DatabricksConfig) DestinationType() DestinationType { return DestinationDatabricks }

// AzureBlobConfig configures an Azure Blob Storage destination. The
// credentials live in the linked integration.
type AzureBlobConfig struct {
	ContainerName string `json:"container_name,omitempty"`
	Prefix        string `json:"prefix,omitempty"`
	Compression   string `json:"compression,omitempty"`
	// FileFormat is JSONLines (default) or Parquet.
	FileFormat    string   `json:"file_format,omitempty"`
	MaxFileSizeMB *int     `json:"max_file_size_mb,omitempty"`
	ExcludeEvents []string `json:"exclude_events,omitempty"`
	IncludeEvents []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationAzureBlob.
func (AzureBlobConfig) DestinationType() DestinationType { return DestinationAzureBlob }

// HTTPConfig configures an HTTP destination (PostHog's own /batch/
// endpoint, to copy events into another project).
type HTTPConfig struct {
	URL           string   `json:"url,omitempty"`
	Token         string   `json:"token,omitempty"` // secret
	ExcludeEvents []string `json:"exclude_events,omitempty"`
	IncludeEvents []string `json:"include_events,omitempty"`
}

// DestinationType returns DestinationHTTP.
func (HTTPConfig) DestinationType() DestinationType { return DestinationHTTP }

// String describes the config with the token redacted.
func (c HTTPConfig) String() string { return configString(c) }

// GoString is String for %#v.
func (c HTTPConfig) GoString() string { return "posthogapi.HTTPConfig" + c.String() }

// WorkflowsConfig configures a Workflows destination (feeds a PostHog
// Workflows hog function).
type WorkflowsConfig struct {
	HogFunctionID string `json:"hog_function_id,omitempty"`
}

// DestinationType returns DestinationWorkflows.
func (WorkflowsConfig) DestinationType() DestinationType { return DestinationWorkflows }

// NoOpConfig configures PostHog's test destination, which exports nothing.
type NoOpConfig struct {
	Arg string `json:"arg,omitempty"`
}

// DestinationType returns DestinationNoOp.
func (NoOpConfig) DestinationType() DestinationType { return DestinationNoOp }

// BatchExportReplace is the body of BatchExports.Replace: PostHog's PUT
// reads the fields of a create (name, destination and interval required),
// so it is BatchExportCreate.
type BatchExportReplace = BatchExportCreate

// BatchExportCreate is the body of BatchExports.Create,
// ProjectBatchExports.Create and, as BatchExportReplace, of
// BatchExports.Replace. Name, Destination and Interval are required.
type BatchExportCreate struct {
	Name        string                        `json:"name"`
	Model       *BatchExportModel             `json:"model,omitempty"`
	Destination BatchExportDestinationRequest `json:"destination"`
	Interval    BatchExportInterval           `json:"interval"`
	Paused      *bool                         `json:"paused,omitempty"`
	// LastPausedAt is writable, though PostHog sets it itself on pause.
	LastPausedAt *time.Time `json:"last_paused_at,omitempty"`
	StartAt      *time.Time `json:"start_at,omitempty"`
	EndAt        *time.Time `json:"end_at,omitempty"`
	// HogQLQuery is a SELECT over events defining the exported fields.
	HogQLQuery *string          `json:"hogql_query,omitempty"`
	Filters    []map[string]any `json:"filters,omitempty"`
	// Timezone is an IANA name for day and week boundaries (PostHog's
	// default: UTC).
	Timezone *string `json:"timezone,omitempty"`
	// OffsetDay (0 Sunday .. 6 Saturday) is for weekly exports only.
	OffsetDay *int `json:"offset_day,omitempty"`
	// OffsetHour (0..23) is for daily and weekly exports only.
	OffsetHour *int `json:"offset_hour,omitempty"`
}

// BatchExportUpdate is the body of BatchExports.Update (PATCH): only set
// fields are sent, and Null clears a nullable one. A Destination must carry
// its type (PostHog refuses to change it); its config is merged into the
// stored one.
type BatchExportUpdate struct {
	Name         *string                        `json:"name,omitempty"`
	Model        Nullable[BatchExportModel]     `json:"model,omitzero"`
	Destination  *BatchExportDestinationRequest `json:"destination,omitempty"`
	Interval     *BatchExportInterval           `json:"interval,omitempty"`
	Paused       *bool                          `json:"paused,omitempty"`
	LastPausedAt Nullable[time.Time]            `json:"last_paused_at,omitzero"`
	StartAt      Nullable[time.Time]            `json:"start_at,omitzero"`
	EndAt        Nullable[time.Time]            `json:"end_at,omitzero"`
	HogQLQuery   *string                        `json:"hogql_query,omitempty"`
	Filters      Nullable[[]map[string]any]     `json:"filters,omitzero"`
	// Timezone set to Null goes back to UTC.
	Timezone   Nullable[string] `json:"timezone,omitzero"`
	OffsetDay  Nullable[int]    `json:"offset_day,omitzero"`
	OffsetHour Nullable[int]    `json:"offset_hour,omitzero"`
}

// validate checks a create (create true) or a full body for an existing
// export (PUT, run_test_step: create false).
func (c *BatchExportCreate) validate(create bool) error {
	if c == nil {
		return fmt.Errorf("%w: nil batch export", ErrInvalidArgument)
	}
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("%w: batch export name is empty", ErrInvalidArgument)
	}
	if c.Model != nil && *c.Model != "" && !c.Model.Valid() {
		return fmt.Errorf("%w: unknown batch export model %q", ErrInvalidArgument, *c.Model)
	}
	if err := c.Destination.validate(create); err != nil {
		return err
	}
	if !c.Interval.Valid() {
		return fmt.Errorf("%w: unknown batch export interval %q", ErrInvalidArgument, c.Interval)
	}
	return checkOffsets(c.OffsetDay, c.OffsetHour)
}

func (u *BatchExportUpdate) validate() error {
	if u == nil {
		return fmt.Errorf("%w: nil update", ErrInvalidArgument)
	}
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return fmt.Errorf("%w: batch export name is empty", ErrInvalidArgument)
	}
	if m, ok := u.Model.Get(); ok && m != "" && !m.Valid() {
		return fmt.Errorf("%w: unknown batch export model %q", ErrInvalidArgument, m)
	}
	if u.Destination != nil {
		if err := u.Destination.validate(false); err != nil {
			return err
		}
	}
	if u.Interval != nil && !u.Interval.Valid() {
		return fmt.Errorf("%w: unknown batch export interval %q", ErrInvalidArgument, *u.Interval)
	}
	var day, hour *int
	if v, ok := u.OffsetDay.Get(); ok {
		day = &v
	}
	if v, ok := u.OffsetHour.Get(); ok {
		hour = &v
	}
	return checkOffsets(day, hour)
}

func checkOffsets(day, hour *int) error {
	if day != nil && (*day < 0 || *day > 6) {
		return fmt.Errorf("%w: offset_day must be 0 (Sunday) to 6 (Saturday)", ErrInvalidArgument)
	}
	if hour != nil && (*hour < 0 || *hour > 23) {
		return fmt.Errorf("%w: offset_hour must be 0 to 23", ErrInvalidArgument)
	}
	return nil
}

// BatchExportPauseState is the answer of Pause and Unpause.
type BatchExportPauseState struct {
	Paused bool `json:"paused"`
}

// BatchExportBackfillRequest is the body of the deprecated Backfill: the
// data interval to export again. A nil StartAt means from the beginning of
// the data, a nil EndAt until now (HTTP destinations only).
type BatchExportBackfillRequest struct {
	StartAt *time.Time `json:"start_at,omitempty"`
	EndAt   *time.Time `json:"end_at,omitempty"`
}

// BatchExportBackfillResult is the answer of Backfill.
type BatchExportBackfillResult struct {
	// BackfillID identifies the backfill (a workflow ID on older servers, a
	// UUID on newer ones).
	BackfillID string `json:"backfill_id"`
}

// BatchExportLogLevel is the level of a batch export log entry.
type BatchExportLogLevel string

// Log levels, as PostHog spells them.
const (
	LogLevelDebug   BatchExportLogLevel = "DEBUG"
	LogLevelLog     BatchExportLogLevel = "LOG"
	LogLevelInfo    BatchExportLogLevel = "INFO"
	LogLevelWarning BatchExportLogLevel = "WARNING"
	LogLevelError   BatchExportLogLevel = "ERROR"
)

// BatchExportLogsOptions filters and pages the log lists
// (BatchExports.ListLogs and AllLogs, ProjectBatchExports.ListLogs and
// AllLogs). Limit (at most
// 500; PostHog's default is 50) also caps how many entries PostHog reads.
type BatchExportLogsOptions struct {
	ListOptions
	// After and Before bound the entries' timestamps (exclusive).
	After  *time.Time `url:"after,omitempty"`
	Before *time.Time `url:"before,omitempty"`
	// Level keeps only entries at these levels. They are sent as one
	// comma-separated parameter: PostHog reads a single level value and
	// splits it on commas (posthog/api/log_entries.py), so a repeated
	// parameter would keep only the last level.
	Level []BatchExportLogLevel `url:"level,comma,omitempty"`
	// Search matches messages (case-insensitive substring).
	Search string `url:"search,omitempty"`
	// InstanceID keeps only entries of one run.
	InstanceID string `url:"instance_id,omitempty"`
}

func (o *BatchExportLogsOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.Limit < 0 || o.Limit > 500 {
		return fmt.Errorf("%w: logs limit must be 1 to 500", ErrInvalidArgument)
	}
	for _, l := range o.Level {
		switch l {
		case LogLevelDebug, LogLevelLog, LogLevelInfo, LogLevelWarning, LogLevelError:
		default:
			return fmt.Errorf("%w: unknown log level %q", ErrInvalidArgument, l)
		}
	}
	return nil
}

// BatchExportLogEntry is one log line of a batch export.
type BatchExportLogEntry struct {
	// LogSourceID is the batch export's ID.
	LogSourceID uuid.UUID `json:"log_source_id"`
	// InstanceID is the run's ID, when the entry belongs to one.
	InstanceID string              `json:"instance_id"`
	Timestamp  time.Time           `json:"timestamp"`
	Level      BatchExportLogLevel `json:"level"`
	Message    string              `json:"message"`
}

// BatchExportTestStepRequest is the body of RunTestStep and RunTestStepNew:
// the export to test (validated as a create body) and the index of the test
// step to run (see Test for the steps).
type BatchExportTestStepRequest struct {
	Step int `json:"step"`
	BatchExportCreate
}

// BatchExportTestStatus is the outcome of a destination test step.
type BatchExportTestStatus string

// Destination test step outcomes.
const (
	TestStatusPassed  BatchExportTestStatus = "Passed"
	TestStatusFailed  BatchExportTestStatus = "Failed"
	TestStatusSkipped BatchExportTestStatus = "Skipped"
)

// BatchExportDestinationTest lists the steps PostHog runs to check a
// destination.
type BatchExportDestinationTest struct {
	Steps []BatchExportTestStep `json:"steps"`
}

// BatchExportTestStep is one step of a destination test. Result is nil
// until the step ran.
type BatchExportTestStep struct {
	Name        string                     `json:"name"`
	Description string                     `json:"description"`
	Result      *BatchExportTestStepResult `json:"result"`
}

// BatchExportTestStepResult is the outcome of a test step; Message explains
// a failure.
type BatchExportTestStepResult struct {
	Status  BatchExportTestStatus `json:"status"`
	Message *string               `json:"message"`
}

type batchExportTestQuery struct {
	Destination DestinationType `url:"destination"`
}

type batchExportUnpauseBody struct {
	Backfill bool `json:"backfill"`
}

// List returns one page of the organization's batch exports, newest first.
//
// API: GET /api/organizations/{organization_id}/batch_exports/ (scope batch_export:read)
func (s *BatchExportsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[BatchExport], error) {
	return list[BatchExport](ctx, s.client, at("organizations", org, "batch_exports"), opts)
}

// All iterates over every batch export of the organization, fetching pages
// as needed.
//
// API: GET /api/organizations/{organization_id}/batch_exports/ (scope batch_export:read)
func (s *BatchExportsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*BatchExport, error] {
	return iterate[BatchExport](ctx, s.client, at("organizations", org, "batch_exports"), opts)
}

// Get returns one batch export, with its latest runs.
//
// API: GET /api/organizations/{organization_id}/batch_exports/{id}/ (scope batch_export:read)
func (s *BatchExportsService) Get(ctx context.Context, org OrganizationID, id BatchExportID) (*BatchExport, error) {
	return get[BatchExport](ctx, s.client, at("organizations", org, "batch_exports", id), nil)
}

// Create creates a batch export in the key owner's current project. PostHog
// needs the Data Pipelines add-on, and feature flags for intervals under an
// hour and for the sessions model (403 otherwise). The destination must
// link an integration where PostHog requires one (see
// BatchExportDestinationRequest.IntegrationID), of the project the export
// goes to.
//
// API: POST /api/organizations/{organization_id}/batch_exports/ (scope batch_export:write)
func (s *BatchExportsService) Create(ctx context.Context, org OrganizationID, be *BatchExportCreate) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports").check(be.validate(true)), be)
}

// Update changes the fields set in upd (PATCH). A destination config is
// merged into the stored one, so secrets need not be sent again.
//
// API: PATCH /api/organizations/{organization_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *BatchExportsService) Update(ctx context.Context, org OrganizationID, id BatchExportID, upd *BatchExportUpdate) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPatch, at("organizations", org, "batch_exports", id).check(upd.validate()), upd)
}

// Replace sends all of the export's settings (PUT): name, destination and
// interval are required, the destination config must hold its required
// keys (PostHog still merges it into the stored one), and leaving out the
// offsets clears them. Other fields left unset keep their values.
//
// API: PUT /api/organizations/{organization_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *BatchExportsService) Replace(ctx context.Context, org OrganizationID, id BatchExportID, be *BatchExportReplace) (*BatchExport, error) {
	return send[BatchExport](ctx, s.client, http.MethodPut, at("organizations", org, "batch_exports", id).check(be.validate(false)), be)
}

// Delete deletes the batch export: PostHog stops its schedule and cancels
// its running backfills and runs.
//
// API: DELETE /api/organizations/{organization_id}/batch_exports/{id}/ (scope batch_export:write)
func (s *BatchExportsService) Delete(ctx context.Context, org OrganizationID, id BatchExportID) error {
	return del(ctx, s.client, at("organizations", org, "batch_exports", id))
}

// Pause stops scheduling runs of the export. Pausing a paused export is not
// an error.
//
// API: POST /api/organizations/{organization_id}/batch_exports/{id}/pause/ (scope batch_export:write)
func (s *BatchExportsService) Pause(ctx context.Context, org OrganizationID, id BatchExportID) (*BatchExportPauseState, error) {
	return send[BatchExportPauseState](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports", id, "pause"), nil)
}

// Unpause resumes scheduling runs; opts may be nil. With opts.Backfill,
// PostHog also exports the data of the time the export was paused.
//
// API: POST /api/organizations/{organization_id}/batch_exports/{id}/unpause/ (scope batch_export:write)
func (s *BatchExportsService) Unpause(ctx context.Context, org OrganizationID, id BatchExportID, opts *BatchExportUnpauseOptions) (*BatchExportPauseState, error) {
	return send[BatchExportPauseState](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports", id, "unpause"), opts.body())
}

// Backfill exports a past data interval again.
//
// Deprecated: PostHog replaced this endpoint with
// /api/projects/{project_id}/batch_exports/{id}/backfills/
// (ProjectBatchExports.CreateBackfill). The newest BatchExportViewSet
// (products/batch_exports/backend/api/batch_export.py) has no backfill
// action: a current PostHog answers 404 (ErrNotFound). Only older
// self-hosted servers serve it.
//
// API: POST /api/organizations/{organization_id}/batch_exports/{id}/backfill/ (scope batch_export:write)
func (s *BatchExportsService) Backfill(ctx context.Context, org OrganizationID, id BatchExportID, req *BatchExportBackfillRequest) (*BatchExportBackfillResult, error) {
	if req == nil {
		req = &BatchExportBackfillRequest{}
	}
	return send[BatchExportBackfillResult](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports", id, "backfill").check(req.validate()), req)
}

func (req *BatchExportBackfillRequest) validate() error {
	if req.StartAt != nil && req.EndAt != nil && !req.StartAt.Before(*req.EndAt) {
		return fmt.Errorf("%w: backfill start_at must be before end_at", ErrInvalidArgument)
	}
	return nil
}

// ListLogs returns one page of the export's log entries, newest first.
// PostHog requires no scope for this action, which means personal API keys
// are rejected: with one, the call returns ErrPersonalAPIKeyNotSupported.
//
// API: GET /api/organizations/{organization_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *BatchExportsService) ListLogs(ctx context.Context, org OrganizationID, id BatchExportID, opts *BatchExportLogsOptions) (*Page[BatchExportLogEntry], error) {
	return list[BatchExportLogEntry](ctx, s.client, at("organizations", org, "batch_exports", id, "logs").check(opts.validate()), opts)
}

// AllLogs iterates over the export's log entries matching opts, newest
// first (personal API keys are rejected, as for ListLogs).
//
// API: GET /api/organizations/{organization_id}/batch_exports/{id}/logs/ (scope none; personal API keys rejected)
func (s *BatchExportsService) AllLogs(ctx context.Context, org OrganizationID, id BatchExportID, opts *BatchExportLogsOptions) iter.Seq2[*BatchExportLogEntry, error] {
	return iterate[BatchExportLogEntry](ctx, s.client, at("organizations", org, "batch_exports", id, "logs").check(opts.validate()), opts)
}

// Test lists the steps PostHog runs to check a destination of type dest
// (destinations without a test answer 404). It needs batch_export:read;
// older PostHog versions required the INTERNAL scope, which only a key with
// the "*" scope carries.
//
// API: GET /api/organizations/{organization_id}/batch_exports/test/ (scope batch_export:read; older servers INTERNAL)
func (s *BatchExportsService) Test(ctx context.Context, org OrganizationID, dest DestinationType) (*BatchExportDestinationTest, error) {
	return get[BatchExportDestinationTest](ctx, s.client, at("organizations", org, "batch_exports", "test").check(dest.validate()), batchExportTestQuery{Destination: dest})
}

func (dest DestinationType) validate() error {
	if !dest.Valid() {
		return fmt.Errorf("%w: unknown batch export destination type %q", ErrInvalidArgument, dest)
	}
	return nil
}

// RunTestStep runs one destination test step for an existing export, with
// req's destination config merged over the stored one (so stored secrets
// are used). req is checked as a full body for an existing export. It needs
// batch_export:write; older PostHog versions required the INTERNAL scope.
//
// API: POST /api/organizations/{organization_id}/batch_exports/{id}/run_test_step/ (scope batch_export:write; older servers INTERNAL)
func (s *BatchExportsService) RunTestStep(ctx context.Context, org OrganizationID, id BatchExportID, req *BatchExportTestStepRequest) (*BatchExportTestStep, error) {
	return send[BatchExportTestStep](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports", id, "run_test_step").check(req.validate(false)), req)
}

// RunTestStepNew runs one destination test step for an export that is not
// created yet; req is checked as a create. It needs batch_export:write;
// older PostHog versions required the INTERNAL scope.
//
// API: POST /api/organizations/{organization_id}/batch_exports/run_test_step_new/ (scope batch_export:write; older servers INTERNAL)
func (s *BatchExportsService) RunTestStepNew(ctx context.Context, org OrganizationID, req *BatchExportTestStepRequest) (*BatchExportTestStep, error) {
	return send[BatchExportTestStep](ctx, s.client, http.MethodPost, at("organizations", org, "batch_exports", "run_test_step_new").check(req.validate(true)), req)
}

// validate checks req as a new export (create) or as the full body of a
// stored one.
func (req *BatchExportTestStepRequest) validate(create bool) error {
	if req == nil {
		return fmt.Errorf("%w: nil test step request", ErrInvalidArgument)
	}
	if req.Step < 0 {
		return fmt.Errorf("%w: negative test step", ErrInvalidArgument)
	}
	return req.BatchExportCreate.validate(create)
}
