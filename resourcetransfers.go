package posthogapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// ResourceTransfersService copies resources (dashboards, insights and what they depend on) between the organization's projects: /api/organizations/{organization_id}/resource_transfers/.
//
// PostHog marks these actions INTERNAL (no API key scope), which means
// every personal API key is rejected: every call sends nothing and returns
// an *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// Today's PostHog has no unscoped keys (migration 1052 gave every one the
// "*" scope); WithLegacyUnscopedKey sends them for a self-hosted PostHog
// older than that migration, where a legacy key without scopes gets
// through.
type ResourceTransfersService service

// ResourceKind names a kind of transferable resource, as PostHog's
// resource transfer visitors do. The list is open; the constants are the
// kinds PostHog copies.
type ResourceKind string

// Resource kinds.
const (
	ResourceKindDashboard ResourceKind = "Dashboard"
	ResourceKindInsight   ResourceKind = "Insight"
	ResourceKindAction    ResourceKind = "Action"
	ResourceKindCohort    ResourceKind = "Cohort"
)

// ResourceTransferRequest is the body of ResourceTransfers.Preview: the
// resource to copy and the two environments (teams) of the organization.
type ResourceTransferRequest struct {
	SourceTeamID      ProjectID    `json:"source_team_id"`
	DestinationTeamID ProjectID    `json:"destination_team_id"`
	ResourceKind      ResourceKind `json:"resource_kind"`
	// ResourceID is the resource's primary key, as a string.
	ResourceID string `json:"resource_id"`
}

// ResourceTransfer is the body of ResourceTransfers.Transfer.
type ResourceTransfer struct {
	SourceTeamID      ProjectID    `json:"source_team_id"`
	DestinationTeamID ProjectID    `json:"destination_team_id"`
	ResourceKind      ResourceKind `json:"resource_kind"`
	ResourceID        string       `json:"resource_id"`
	// Substitutions use existing destination resources instead of copying
	// the source ones they name (see the suggestions of Preview).
	Substitutions []ResourceSubstitution `json:"substitutions,omitempty"`
}

// ResourceSubstitution replaces a source resource by an existing resource
// of the destination.
type ResourceSubstitution struct {
	SourceResourceKind      ResourceKind `json:"source_resource_kind"`
	SourceResourceID        string       `json:"source_resource_id"`
	DestinationResourceKind ResourceKind `json:"destination_resource_kind"`
	DestinationResourceID   string       `json:"destination_resource_id"`
}

// ResourceSearch is the body of ResourceTransfers.Search.
type ResourceSearch struct {
	// TeamID is the environment (team) to search.
	TeamID       ProjectID    `json:"team_id"`
	ResourceKind ResourceKind `json:"resource_kind"`
	// Q matches names (and bodies) without case; "" lists the kind.
	Q string `json:"q,omitempty"`
}

// ResourceTransferPreview is the answer of ResourceTransfers.Preview: the
// resource and everything it depends on that a transfer would copy, in
// dependency order.
type ResourceTransferPreview struct {
	Resources []ResourceTransferPreviewItem `json:"resources"`
}

// ResourceTransferPreviewItem is one resource a transfer would copy.
type ResourceTransferPreviewItem struct {
	ResourceKind ResourceKind `json:"resource_kind"`
	ResourceID   string       `json:"resource_id"`
	DisplayName  string       `json:"display_name"`
	// FriendlyKind is the kind's name for people.
	FriendlyKind string `json:"friendly_kind"`
	// UserFacing is false for resources users do not manage themselves.
	UserFacing bool `json:"user_facing"`
	// SuggestedSubstitution is a destination resource an earlier transfer
	// created from this one; nil when there is none.
	SuggestedSubstitution *ResourceRef `json:"suggested_substitution,omitempty"`
}

// ResourceRef names a resource.
type ResourceRef struct {
	ResourceKind ResourceKind `json:"resource_kind"`
	ResourceID   string       `json:"resource_id"`
	DisplayName  string       `json:"display_name"`
}

// ResourceTransferResult is the answer of ResourceTransfers.Transfer.
type ResourceTransferResult struct {
	CreatedResources []TransferredResource `json:"created_resources"`
	// Count is len(CreatedResources).
	Count int `json:"count"`
}

// TransferredResource is a resource a transfer created in the destination.
type TransferredResource struct {
	// Kind is the created resource's model name (such as "Dashboard").
	Kind ResourceKind `json:"kind"`
	ID   string       `json:"id"`
	// TeamID is the destination environment (team).
	TeamID ProjectID `json:"team_id"`
}

// ResourceSearchResult is the answer of ResourceTransfers.Search: at most
// 25 matches.
type ResourceSearchResult struct {
	Results []ResourceRef `json:"results"`
}

func checkTransfer(source, dest ProjectID, kind ResourceKind, id string) error {
	switch {
	case strings.TrimSpace(string(kind)) == "":
		return fmt.Errorf("%w: resource kind is empty", ErrInvalidArgument)
	case strings.TrimSpace(id) == "":
		return fmt.Errorf("%w: resource id is empty", ErrInvalidArgument)
	case source <= 0 || dest <= 0:
		return fmt.Errorf("%w: source and destination team IDs must be positive", ErrInvalidArgument)
	case source == dest:
		return fmt.Errorf("%w: source and destination teams must be different", ErrInvalidArgument)
	}
	return nil
}

func (r *ResourceTransferRequest) validate() error {
	if r == nil {
		return fmt.Errorf("%w: nil resource transfer", ErrInvalidArgument)
	}
	return checkTransfer(r.SourceTeamID, r.DestinationTeamID, r.ResourceKind, r.ResourceID)
}

func (r *ResourceTransfer) validate() error {
	if r == nil {
		return fmt.Errorf("%w: nil resource transfer", ErrInvalidArgument)
	}
	if err := checkTransfer(r.SourceTeamID, r.DestinationTeamID, r.ResourceKind, r.ResourceID); err != nil {
		return err
	}
	for i, s := range r.Substitutions {
		if s.SourceResourceKind == "" || s.SourceResourceID == "" || s.DestinationResourceKind == "" || s.DestinationResourceID == "" {
			return fmt.Errorf("%w: substitution %d is incomplete", ErrInvalidArgument, i)
		}
	}
	return nil
}

func (r *ResourceSearch) validate() error {
	if r == nil {
		return fmt.Errorf("%w: nil resource search", ErrInvalidArgument)
	}
	if strings.TrimSpace(string(r.ResourceKind)) == "" {
		return fmt.Errorf("%w: resource kind is empty", ErrInvalidArgument)
	}
	return nil
}

// Preview lists what transferring the resource would copy, with
// suggestions from earlier transfers. Nothing is changed. Teams outside
// the organization, unknown or immutable kinds are a 400; a resource not
// in the source team is a 404; missing read access in the source or write
// access in the destination is a 403.
//
// API: POST /api/organizations/{organization_id}/resource_transfers/preview/ (scope none; personal API keys rejected)
func (s *ResourceTransfersService) Preview(ctx context.Context, org OrganizationID, req *ResourceTransferRequest) (*ResourceTransferPreview, error) {
	return send[ResourceTransferPreview](ctx, s.client, http.MethodPost, at("organizations", org, "resource_transfers", "preview").check(req.validate()), req)
}

// Transfer copies the resource and what it depends on into the destination
// team (PostHog answers 201), using the given substitutions instead of
// copying the resources they name. Like every POST, it is not retried after
// an answer was lost: on ErrOutcomeUnknown, check the destination before
// trying again.
//
// API: POST /api/organizations/{organization_id}/resource_transfers/transfer/ (scope none; personal API keys rejected)
func (s *ResourceTransfersService) Transfer(ctx context.Context, org OrganizationID, t *ResourceTransfer) (*ResourceTransferResult, error) {
	return send[ResourceTransferResult](ctx, s.client, http.MethodPost, at("organizations", org, "resource_transfers", "transfer").check(t.validate()), t)
}

// Search finds resources of a kind in a team, to pick as substitutions.
//
// API: POST /api/organizations/{organization_id}/resource_transfers/search/ (scope none; personal API keys rejected)
func (s *ResourceTransfersService) Search(ctx context.Context, org OrganizationID, q *ResourceSearch) (*ResourceSearchResult, error) {
	return send[ResourceSearchResult](ctx, s.client, http.MethodPost, at("organizations", org, "resource_transfers", "search").check(q.validate()), q)
}
