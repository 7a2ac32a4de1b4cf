package posthogtest

import (
	"net/http"

	"github.com/hogkit/posthogapi"
)

// Project settings actions of the newest organization router (PH
// posthog/api/project.py ProjectViewSet). Only event_ingestion_restrictions
// is modelled: the others (logs_config, default_release_conditions, ...)
// have no required scope for API keys, the SDK does not cover them (see
// README.md, "Not covered"), and posthogtest answers 404 for them.

func registerProjectSettings(s *Server) {
	const base = "/api/organizations/{organization_id}/projects/{id}/"
	// PostHog: ProjectViewSet.event_ingestion_restrictions,
	// required_scopes=["project:read"].
	s.route("GET "+base+"event_ingestion_restrictions/{$}", "project:read", handleEventIngestionRestrictions)
}

type ingestionRestrictionState struct {
	byProject map[int64][]EventIngestionRestriction
}

// EventIngestionRestriction is an ingestion restriction on a project's
// events, for AddEventIngestionRestriction.
type EventIngestionRestriction struct {
	// RestrictionType such as "drop_event_from_ingestion".
	RestrictionType                                            string
	DistinctIDs, SessionIDs, EventNames, EventUUIDs, Pipelines []string
}

// AddEventIngestionRestriction adds an ingestion restriction to one of the
// organization's projects. It panics if there is no such project (a
// mistake in the test).
func (s *Server) AddEventIngestionRestriction(orgID posthogapi.OrganizationID, projectID posthogapi.ProjectID, r EventIngestionRestriction) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustProject(orgID, projectID)
	st := &s.areas.ingestionRestriction
	if st.byProject == nil {
		st.byProject = map[int64][]EventIngestionRestriction{}
	}
	st.byProject[int64(projectID)] = append(st.byProject[int64(projectID)], r)
}

func orEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func handleEventIngestionRestrictions(rc *reqCtx) {
	_, _, p := rc.projectFromPath()
	if p == nil {
		return
	}
	// PostHog: posthog/api/team.py team_event_ingestion_restrictions_view,
	// an unpaginated list, empty filters as [].
	out := []map[string]any{}
	for _, r := range rc.s.areas.ingestionRestriction.byProject[p.id] {
		out = append(out, map[string]any{
			"restriction_type": r.RestrictionType, "distinct_ids": orEmpty(r.DistinctIDs),
			"session_ids": orEmpty(r.SessionIDs), "event_names": orEmpty(r.EventNames),
			"event_uuids": orEmpty(r.EventUUIDs), "pipelines": orEmpty(r.Pipelines),
		})
	}
	rc.json(http.StatusOK, out)
}
