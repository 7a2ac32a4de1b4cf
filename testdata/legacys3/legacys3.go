// Package legacys3 is compiled by TestLegacyS3DestinationDoesNotCompile,
// never by "go build ./...": each line marked ERROR writes a legacy S3
// destination, which PostHog refuses, and must be a compile error; the
// unmarked lines read existing S3 exports and write today's S3
// destinations, and must compile.
package legacys3

import (
	"context"

	"github.com/hogkit/posthogapi"
)

func export(ctx context.Context, c *posthogapi.Client, org posthogapi.OrganizationID, existing *posthogapi.BatchExport, integ posthogapi.ProjectIntegrationID) error {
	// Reading an existing legacy export still works.
	var old posthogapi.S3Config
	if err := existing.Destination.DecodeConfig(&old); err != nil {
		return err
	}
	_ = old.String()

	// Today's destinations compile.
	d := posthogapi.NewBatchExportDestination(posthogapi.AwsS3Config{BucketName: old.BucketName, Region: old.Region, Prefix: old.Prefix})
	d.IntegrationID = posthogapi.NewNullable(integ)
	_, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{Name: "s3", Interval: posthogapi.IntervalHour, Destination: d})

	// Writing the legacy destination does not.
	_ = posthogapi.NewBatchExportDestination(old)                                              // ERROR a legacy S3Config as a destination
	_ = posthogapi.NewBatchExportDestination(&old)                                             // ERROR a pointer to one
	_ = posthogapi.BatchExportDestinationRequest{Config: old}                                  // ERROR a legacy S3Config as the config
	_ = posthogapi.BatchExportDestinationRequest{Type: posthogapi.DestinationS3, Config: &old} // ERROR with its type
	var _ posthogapi.DestinationConfig = posthogapi.S3Config{}                                 // ERROR S3Config is no DestinationConfig
	return err
}
