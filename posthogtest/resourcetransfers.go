package posthogtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func registerResourceTransfers(s *Server) {
	const base = "/api/organizations/{organization_id}/resource_transfers/"
	// PostHog's ResourceTransferViewSet has scope_object "INTERNAL".
	s.route("POST "+base+"preview/{$}", noScope, handleResourceTransferPreview)
	s.route("POST "+base+"transfer/{$}", noScope, handleResourceTransfer)
	s.route("POST "+base+"search/{$}", noScope, handleResourceSearch)
}

// transferKinds are the resource kinds PostHog's transfer visitors know;
// true marks the immutable ones, which are never copied.
var transferKinds = map[string]bool{
	"Dashboard": false, "Insight": false, "Action": false, "Cohort": false,
	"Team": true, "Project": true, "User": true,
}

// ResourceKey names a transferable resource.
type ResourceKey struct{ Kind, ID string }

// TransferableResource is a resource of a team that resource transfers can
// copy to another team of the organization.
type TransferableResource struct {
	// TeamID is the environment (team) the resource lives in. A team with
	// a seeded resource counts as a team of the organization, alongside
	// the projects area's teams.
	TeamID int64
	// Kind is "Dashboard", "Insight", "Action" or "Cohort".
	Kind string
	// ID is generated when empty.
	ID   string
	Name string
	// DependsOn are resources this one uses (an insight's cohorts and
	// actions, a dashboard's insights); a transfer copies them first.
	DependsOn []ResourceKey
}

type transferState struct {
	resources map[uuid.UUID][]*TransferableResource // by organization
	// copies maps a source resource to the copies transfers made of it.
	copies map[uuid.UUID]map[ResourceKey][]*TransferableResource
	nextID int64
}

func (st *transferState) init() {
	if st.resources == nil {
		st.resources = map[uuid.UUID][]*TransferableResource{}
		st.copies = map[uuid.UUID]map[ResourceKey][]*TransferableResource{}
	}
}

// add stores r with an ID. Callers hold s.mu.
func (st *transferState) add(orgID uuid.UUID, r *TransferableResource) {
	st.init()
	if r.ID == "" {
		st.nextID++
		r.ID = strconv.FormatInt(1000+st.nextID, 10)
	}
	st.resources[orgID] = append(st.resources[orgID], r)
}

// AddTransferableResource adds a resource to a team of the organization
// and returns its ID.
func (s *Server) AddTransferableResource(orgID posthogapi.OrganizationID, r TransferableResource) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := r
	c.DependsOn = append([]ResourceKey(nil), r.DependsOn...)
	s.areas.transfer.add(uuid.UUID(orgID), &c)
	return c.ID
}

// TransferableResources returns the resources of a team of the
// organization, seeded and transferred, oldest first.
func (s *Server) TransferableResources(orgID posthogapi.OrganizationID, teamID int64) []TransferableResource {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TransferableResource
	for _, r := range s.areas.transfer.resources[uuid.UUID(orgID)] {
		if r.TeamID == teamID {
			c := *r
			c.DependsOn = append([]ResourceKey(nil), r.DependsOn...)
			out = append(out, c)
		}
	}
	return out
}

func (st *transferState) find(orgID uuid.UUID, team int64, k ResourceKey) *TransferableResource {
	for _, r := range st.resources[orgID] {
		if r.TeamID == team && r.Kind == k.Kind && r.ID == k.ID {
			return r
		}
	}
	return nil
}

// teamInOrg answers PostHog's 400 unless team is one of the organization's.
// PostHog: posthog/api/resource_transfer.py ResourceTransferViewSet.
func (rc *reqCtx) teamInOrg(o *org, team int64) bool {
	for _, t := range rc.s.orgTeams(o) {
		if id, ok := jsonInt(t["id"]); ok && id == team {
			return true
		}
	}
	for _, r := range rc.s.areas.transfer.resources[o.id] {
		if r.TeamID == team {
			return true
		}
	}
	rc.invalid("invalid", fmt.Sprintf("Team %d not found in this organization", team), "")
	return false
}

// kindOK answers PostHog's 400 for unknown and immutable kinds.
// PostHog: posthog/api/resource_transfer.py ResourceTransferViewSet (the
// transfer visitors' kinds).
func (rc *reqCtx) kindOK(kind, verb string) bool {
	immutable, known := transferKinds[kind]
	switch {
	case !known:
		rc.invalid("invalid", "Unsupported resource kind: "+kind, "")
		return false
	case immutable:
		rc.invalid("invalid", "Cannot "+verb+" immutable resource kind: "+kind, "")
		return false
	}
	return true
}

type transferRequest struct {
	org           *org
	source, dest  int64
	root          *TransferableResource
	dag           []*TransferableResource // dependencies first
	substitutions map[ResourceKey]ResourceKey
	// mismatch is the first substitution whose kinds differ, as PostHog
	// reports it once the source resource and its dependencies are found.
	mismatch string
}

// transferBody validates a preview or transfer body as PostHog's
// serializers and view do, and builds the dependency order.
// PostHog: posthog/api/resource_transfer.py ResourceTransferViewSet
// (preview and transfer bodies).
func (rc *reqCtx) transferBody(withSubstitutions bool) *transferRequest {
	o, _ := rc.orgFromPath()
	if o == nil {
		return nil
	}
	f := rc.fields()
	if f == nil {
		return nil
	}
	var source, dest int
	var kind, id string
	ok := rc.intField(f, "source_team_id", true, &source) && rc.intField(f, "destination_team_id", true, &dest)
	if ok {
		kind, ok = rc.stringField(f, "resource_kind", true, 0)
	}
	if ok {
		id, ok = rc.idField(f, "resource_id")
	}
	if !ok {
		return nil
	}
	tr := &transferRequest{org: o, source: int64(source), dest: int64(dest), substitutions: map[ResourceKey]ResourceKey{}}
	if withSubstitutions {
		if raw, present := f["substitutions"]; present {
			var subs []map[string]json.RawMessage
			if json.Unmarshal(raw, &subs) != nil {
				rc.invalid("not_a_list", "Expected a list of items.", "substitutions")
				return nil
			}
			for _, sub := range subs {
				var k [4]string
				for i, name := range []string{"source_resource_kind", "source_resource_id", "destination_resource_kind", "destination_resource_id"} {
					if k[i], ok = rc.idField(sub, name); !ok {
						return nil
					}
				}
				tr.substitutions[ResourceKey{k[0], k[1]}] = ResourceKey{k[2], k[3]}
				if k[0] != k[2] && tr.mismatch == "" {
					tr.mismatch = "Substitution kind mismatch: cannot substitute " + k[0] + " with " + k[2]
				}
			}
		}
	}
	if !rc.teamInOrg(o, tr.source) || !rc.teamInOrg(o, tr.dest) {
		return nil
	}
	if tr.source == tr.dest {
		rc.invalid("invalid", "Source and destination teams must be different", "")
		return nil
	}
	if !rc.kindOK(kind, "transfer") {
		return nil
	}
	st := &rc.s.areas.transfer
	if tr.root = st.find(o.id, tr.source, ResourceKey{kind, id}); tr.root == nil {
		rc.error(http.StatusNotFound, "invalid_request", "not_found", kind+" with id "+id+" not found in source team", "")
		return nil
	}
	seen := map[*TransferableResource]bool{}
	var visit func(r *TransferableResource)
	visit = func(r *TransferableResource) {
		if seen[r] {
			return
		}
		seen[r] = true
		for _, d := range r.DependsOn {
			if dep := st.find(o.id, tr.source, d); dep != nil {
				visit(dep)
			}
		}
		tr.dag = append(tr.dag, r)
	}
	visit(tr.root)
	return tr
}

// idField reads a CharField that also takes numbers, as DRF's does.
func (rc *reqCtx) idField(f map[string]json.RawMessage, name string) (string, bool) {
	raw, present := f[name]
	if present && !isNull(raw) {
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String(), true
		}
	}
	return rc.stringField(f, name, true, 0)
}

func handleResourceTransferPreview(rc *reqCtx) {
	tr := rc.transferBody(false)
	if tr == nil {
		return
	}
	st := &rc.s.areas.transfer
	resources := []map[string]any{}
	for _, r := range tr.dag {
		if transferKinds[r.Kind] {
			continue
		}
		e := map[string]any{
			"resource_kind": r.Kind, "resource_id": r.ID, "display_name": displayName(r),
			"friendly_kind": r.Kind, "user_facing": true,
		}
		copies := st.copies[tr.org.id][ResourceKey{r.Kind, r.ID}]
		for i := len(copies) - 1; i >= 0; i-- { // the latest copy in the destination
			if c := copies[i]; c.TeamID == tr.dest && st.find(tr.org.id, tr.dest, ResourceKey{c.Kind, c.ID}) != nil {
				e["suggested_substitution"] = map[string]any{"resource_kind": c.Kind, "resource_id": c.ID, "display_name": displayName(c)}
				break
			}
		}
		resources = append(resources, e)
	}
	rc.json(http.StatusOK, map[string]any{"resources": resources})
}

func displayName(r *TransferableResource) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Kind + " " + r.ID
}

func handleResourceTransfer(rc *reqCtx) {
	tr := rc.transferBody(true)
	if tr == nil {
		return
	}
	// PostHog: posthog/api/resource_transfer.py ResourceTransferViewSet.transfer
	// refuses a substitution of another kind.
	if tr.mismatch != "" {
		rc.invalid("invalid", tr.mismatch, "")
		return
	}
	st := &rc.s.areas.transfer
	mapped := map[ResourceKey]ResourceKey{}
	created := []map[string]any{}
	for _, r := range tr.dag {
		src := ResourceKey{r.Kind, r.ID}
		if to, ok := tr.substitutions[src]; ok {
			mapped[src] = to
			continue
		}
		c := &TransferableResource{TeamID: tr.dest, Kind: r.Kind, Name: r.Name}
		for _, d := range r.DependsOn {
			if to, ok := mapped[d]; ok {
				d = to
			}
			c.DependsOn = append(c.DependsOn, d)
		}
		st.add(tr.org.id, c)
		mapped[src] = ResourceKey{c.Kind, c.ID}
		if st.copies[tr.org.id] == nil {
			st.copies[tr.org.id] = map[ResourceKey][]*TransferableResource{}
		}
		st.copies[tr.org.id][src] = append(st.copies[tr.org.id][src], c)
		created = append(created, map[string]any{"kind": c.Kind, "id": c.ID, "team_id": c.TeamID})
	}
	rc.json(http.StatusCreated, map[string]any{"created_resources": created, "count": len(created)})
}

// PostHog: posthog/api/resource_transfer.py ResourceTransferViewSet
// (search).
func handleResourceSearch(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	var team int
	if !rc.intField(f, "team_id", true, &team) {
		return
	}
	kind, ok := rc.stringField(f, "resource_kind", true, 0)
	if !ok {
		return
	}
	var q string
	if raw, present := f["q"]; present && !isNull(raw) {
		if json.Unmarshal(raw, &q) != nil {
			rc.invalid("invalid", "Not a valid string.", "q")
			return
		}
	}
	if !rc.teamInOrg(o, int64(team)) || !rc.kindOK(kind, "search for") {
		return
	}
	q = strings.ToLower(strings.TrimSpace(q))
	results := []map[string]any{}
	for _, r := range rc.s.areas.transfer.resources[o.id] {
		if r.TeamID != int64(team) || r.Kind != kind || (q != "" && !strings.Contains(strings.ToLower(r.Name), q)) {
			continue
		}
		results = append(results, map[string]any{"resource_kind": r.Kind, "resource_id": r.ID, "display_name": displayName(r)})
		if len(results) == 25 {
			break
		}
	}
	rc.json(http.StatusOK, map[string]any{"results": results})
}
