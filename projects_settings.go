package posthogapi

import (
	"context"
)

// Project settings actions of the newest organization router (PostHog's
// posthog/api/project.py ProjectViewSet). Only the one a personal API key
// may call has a method; README.md lists the others and why.

// EventIngestionRestriction is one ingestion restriction on a project's
// events, as PostHog's EventIngestionRestrictionSerializer sends it. Empty
// filter lists mean the restriction is not filtered by that dimension;
// filters combine with AND, values within one with OR. Older servers send
// only RestrictionType and DistinctIDs.
type EventIngestionRestriction struct {
	// RestrictionType is what PostHog does with matching events, such as
	// "drop_event_from_ingestion" or "skip_person_processing".
	RestrictionType string   `json:"restriction_type"`
	DistinctIDs     []string `json:"distinct_ids"`
	SessionIDs      []string `json:"session_ids"`
	EventNames      []string `json:"event_names"`
	EventUUIDs      []string `json:"event_uuids"`
	// Pipelines are the ingestion pipelines the restriction applies to.
	Pipelines []string `json:"pipelines"`
}

// ListEventIngestionRestrictions returns the project's event ingestion
// restrictions. PostHog does not page this list, so it is a slice and there
// is no All twin.
//
// API: GET /api/organizations/{organization_id}/projects/{id}/event_ingestion_restrictions/ (scope project:read)
func (s *ProjectsService) ListEventIngestionRestrictions(ctx context.Context, org OrganizationID, projectID ProjectID) ([]EventIngestionRestriction, error) {
	out, err := get[[]EventIngestionRestriction](ctx, s.client, at("organizations", org, "projects", projectID, "event_ingestion_restrictions"), nil)
	if err != nil {
		return nil, err
	}
	return *out, nil
}
