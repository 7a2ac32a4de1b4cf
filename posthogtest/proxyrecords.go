package posthogtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// proxyFeatures shows SetMaxProxyRecords as the managed_reverse_proxy
// feature with its limit; without it PostHog allows DefaultMaxProxyRecords.
// PostHog: posthog/api/proxy_record.py ProxyRecordViewset.max_proxy_records.
func proxyFeatures(s *Server, o *org) []map[string]any {
	n, ok := s.areas.proxy.maxRecords[o.id]
	if !ok {
		return nil
	}
	return []map[string]any{productFeature("managed_reverse_proxy", "Managed reverse proxy", n)}
}

func registerProxyRecords(s *Server) {
	s.orgFeatureSources = append(s.orgFeatureSources, proxyFeatures)
	const base = "/api/organizations/{organization_id}/proxy_records/"
	// The Nov-2025 schema has PUT and PATCH; the newest viewset allows only
	// GET, POST and DELETE, so after authentication and permissions PostHog
	// answers 405.
	s.routeViewSet(base, viewSet{scopeObject: "organization",
		list: handleProxyList, create: handleProxyCreate, retrieve: handleProxyGet,
		partialUpdate: handleProxyMethodNotAllowed, update: handleProxyMethodNotAllowed, destroy: handleProxyDelete})
	s.route("POST "+base+"{id}/retry/{$}", noScope, handleProxyRetry)
	s.route("POST "+base+"{id}/diagnose/{$}", noScope, handleProxyDiagnose)
}

// Proxy record states, as PostHog names them.
const (
	ProxyWaiting  = "waiting"
	ProxyIssuing  = "issuing"
	ProxyValid    = "valid"
	ProxyWarning  = "warning"
	ProxyErroring = "erroring"
	ProxyDeleting = "deleting"
	ProxyTimedOut = "timed_out"
)

// DefaultMaxProxyRecords is PostHog's per-organization limit when the plan
// sets none.
const DefaultMaxProxyRecords = 2

// diagnoseCooldown is PostHog's per-user, per-record wait between two
// diagnose runs.
const diagnoseCooldown = 30 * time.Second

// proxyBaseCNAME stands in for PostHog's PROXY_BASE_CNAME setting.
const proxyBaseCNAME = "proxy.posthog.example"

type proxyState struct {
	records []*proxyRecord
	// maxRecords overrides DefaultMaxProxyRecords per organization.
	maxRecords map[uuid.UUID]int
	// lastDiagnose is when each user (by ID) last diagnosed each record.
	lastDiagnose map[proxyDiagnoseKey]time.Time
}

type proxyDiagnoseKey struct {
	record uuid.UUID
	user   int64
}

type proxyRecord struct {
	id                   uuid.UUID
	orgID                uuid.UUID
	domain, targetCNAME  string
	status               string
	message              *string
	createdAt, updatedAt time.Time
	createdBy            *int64
}

func (st *proxyState) limit(orgID uuid.UUID) int {
	if n, ok := st.maxRecords[orgID]; ok {
		return n
	}
	return DefaultMaxProxyRecords
}

func (st *proxyState) inOrg(orgID uuid.UUID) []*proxyRecord {
	return ofOrg(st.records, orgID)
}

// targetCNAME is PostHog's generate_target_cname: the first 20 hex digits
// of sha256(organization ID + domain), under the proxy base CNAME.
func targetCNAME(orgID uuid.UUID, domain string) string {
	sum := sha256.Sum256([]byte(orgID.String() + domain))
	return hex.EncodeToString(sum[:])[:20] + "." + proxyBaseCNAME
}

func proxyRecordJSON(r *proxyRecord) map[string]any {
	return map[string]any{
		"id": r.id, "domain": r.domain, "target_cname": r.targetCNAME, "status": r.status,
		"message": r.message, "created_at": r.createdAt, "updated_at": r.updatedAt,
		"created_by": r.createdBy,
	}
}

// ----- seeding ---------------------------------------------------------------

// ProxyRecord is a managed reverse proxy record of the server.
type ProxyRecord struct {
	ID             posthogapi.ProxyRecordID
	OrganizationID posthogapi.OrganizationID
	Domain         string
	TargetCNAME    string
	Status         posthogapi.ProxyRecordStatus
	// Message is "" when the record has none.
	Message string
	// CreatedBy is the creating user's ID (0 when seeded).
	CreatedBy int64
}

func (r *proxyRecord) public() ProxyRecord {
	out := ProxyRecord{ID: posthogapi.ProxyRecordID(r.id), OrganizationID: posthogapi.OrganizationID(r.orgID), Domain: r.domain, TargetCNAME: r.targetCNAME, Status: posthogapi.ProxyRecordStatus(r.status)}
	if r.message != nil {
		out.Message = *r.message
	}
	if r.createdBy != nil {
		out.CreatedBy = *r.createdBy
	}
	return out
}

// AddProxyRecord adds a waiting proxy record for domain (trimmed, as the API
// stores it) to the organization, ignoring the plan's limit. It panics if there is no such organization, or
// if PostHog's database could not hold the record: a domain that any
// organization's record already has, or one longer than 64 characters.
func (s *Server) AddProxyRecord(orgID posthogapi.OrganizationID, domain string) ProxyRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustOrg(uuid.UUID(orgID))
	domain = strings.TrimSpace(domain) // as the API stores it
	if !s.areas.proxy.domainFits(domain) {
		panic(fmt.Sprintf("posthogtest: proxy record domain %q is taken or longer than 64 characters", domain))
	}
	return s.addProxyRecord(uuid.UUID(orgID), domain, nil).public()
}

// domainFits reports whether the database would store a record for domain:
// ProxyRecord.domain is a CharField(max_length=64, unique=True), unique
// across every organization.
// PostHog: posthog/models/proxy_record.py ProxyRecord.
func (st *proxyState) domainFits(domain string) bool {
	if utf8.RuneCountInString(domain) > 64 {
		return false
	}
	for _, r := range st.records {
		if r.domain == domain {
			return false
		}
	}
	return true
}

func (s *Server) addProxyRecord(orgID uuid.UUID, domain string, createdBy *int64) *proxyRecord {
	now := s.now()
	r := &proxyRecord{
		id: s.newID(), orgID: orgID, domain: domain, targetCNAME: targetCNAME(orgID, domain),
		status: ProxyWaiting, createdAt: now, updatedAt: now, createdBy: createdBy,
	}
	st := &s.areas.proxy
	st.records = append(st.records, r)
	return r
}

// ProxyRecords returns the organization's proxy records, oldest first.
func (s *Server) ProxyRecords(orgID posthogapi.OrganizationID) []ProxyRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ProxyRecord
	for _, r := range s.areas.proxy.inOrg(uuid.UUID(orgID)) {
		out = append(out, r.public())
	}
	return out
}

// SetProxyRecordStatus moves a proxy record to status (one of the Proxy*
// constants), as PostHog's provisioning workflow would. It panics on an
// unknown record or status.
func (s *Server) SetProxyRecordStatus(orgID posthogapi.OrganizationID, id posthogapi.ProxyRecordID, status posthogapi.ProxyRecordStatus) {
	switch status {
	case ProxyWaiting, ProxyIssuing, ProxyValid, ProxyWarning, ProxyErroring, ProxyDeleting, ProxyTimedOut:
	default:
		panic(fmt.Sprintf("posthogtest: unknown proxy record status %q", status))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustProxyRecord(uuid.UUID(orgID), uuid.UUID(id))
	r.status = string(status)
	r.updatedAt = s.now()
}

// SetProxyRecordMessage sets a proxy record's message ("" clears it). It
// panics on an unknown record.
func (s *Server) SetProxyRecordMessage(orgID posthogapi.OrganizationID, id posthogapi.ProxyRecordID, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustProxyRecord(uuid.UUID(orgID), uuid.UUID(id))
	r.message = nil
	if message != "" {
		r.message = &message
	}
	r.updatedAt = s.now()
}

// RemoveProxyRecord removes a proxy record, as PostHog's deletion workflow
// does once a deleting record is torn down. It panics on an unknown record.
func (s *Server) RemoveProxyRecord(orgID posthogapi.OrganizationID, id posthogapi.ProxyRecordID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	removeItem(&s.areas.proxy.records, s.mustProxyRecord(uuid.UUID(orgID), uuid.UUID(id)))
}

// SetMaxProxyRecords sets the organization's plan limit on proxy records
// (DefaultMaxProxyRecords until set).
func (s *Server) SetMaxProxyRecords(orgID posthogapi.OrganizationID, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.proxy
	if st.maxRecords == nil {
		st.maxRecords = map[uuid.UUID]int{}
	}
	st.maxRecords[uuid.UUID(orgID)] = n
}

func (s *Server) mustProxyRecord(orgID, id uuid.UUID) *proxyRecord {
	return must(findOrgItem(s.areas.proxy.records, orgID, id), "no proxy record %s in organization %s", id, orgID)
}

// ----- handlers --------------------------------------------------------------

// proxyRecordIn resolves the {id} path value to a record of o; an unknown
// or malformed ID is a 404.
// PostHog: posthog/api/proxy_record.py ProxyRecordViewset (records of the
// organization in the path).
func (rc *reqCtx) proxyRecordIn(o *org) *proxyRecord {
	return orgItemFromPath(rc, o, rc.s.areas.proxy.records)
}

// adminProxyRecord resolves the organization and the record for a write:
// PostHog checks the admin level before it looks the record up.
func (rc *reqCtx) adminProxyRecord() *proxyRecord {
	_, r := adminOrgItem(rc, (*reqCtx).proxyRecordIn)
	return r
}

func handleProxyList(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	st := &rc.s.areas.proxy
	// Newest first (records are kept in creation order).
	records := st.inOrg(o.id)
	results := []map[string]any{}
	for i := len(records) - 1; i >= 0; i-- {
		results = append(results, proxyRecordJSON(records[i]))
	}
	rc.json(http.StatusOK, map[string]any{"results": results, "max_proxy_records": st.limit(o.id)})
}

// PostHog: posthog/api/proxy_record.py ProxyRecordViewset.create (admins,
// the plan's max_proxy_records). ProxyRecordSerializer declares its own
// domain field, a plain CharField: trimmed, not blank, with neither a
// length limit nor a uniqueness validator, so a domain that any
// organization's record already has, or one over the database's 64
// characters, fails in the database: 500, nothing created.
func handleProxyCreate(rc *reqCtx) {
	o, f := rc.adminOrgFields()
	if f == nil {
		return
	}
	domain, ok := rc.stringField(f, "domain", true, 0)
	if !ok {
		return
	}
	domain = strings.TrimSpace(domain)
	st := &rc.s.areas.proxy
	if n := st.limit(o.id); len(st.inOrg(o.id)) >= n {
		rc.detailOnly(http.StatusBadRequest, fmt.Sprintf("Maximum of %d proxy records per organization.", n))
		return
	}
	if !st.domainFits(domain) {
		// PostHog: posthog/models/proxy_record.py ProxyRecord.domain
		// (IntegrityError or DataError, unhandled).
		rc.error(http.StatusInternalServerError, "server_error", "error", "A server error occurred.", "")
		return
	}
	uid := rc.user.id
	r := rc.s.addProxyRecord(o.id, domain, &uid)
	rc.json(http.StatusCreated, proxyRecordJSON(r))
}

func handleProxyGet(rc *reqCtx) {
	o, _ := rc.orgFromPath()
	if o == nil {
		return
	}
	r := rc.proxyRecordIn(o)
	if r == nil {
		return
	}
	rc.json(http.StatusOK, proxyRecordJSON(r))
}

// PostHog: posthog/api/proxy_record.py ProxyRecordViewset (GET, POST and
// DELETE only: 405 after authentication and permissions).
func handleProxyMethodNotAllowed(rc *reqCtx) {
	o, m := rc.orgFromPath()
	if o == nil || !rc.requireLevel(m, LevelAdmin) {
		return
	}
	rc.error(http.StatusMethodNotAllowed, "invalid_request", "method_not_allowed", fmt.Sprintf("Method %q not allowed.", rc.r.Method), "")
}

// handleProxyDelete removes a record that never went live at once; any
// other record moves to deleting. PostHog answers 200 {"success": true}.
func handleProxyDelete(rc *reqCtx) {
	r := rc.adminProxyRecord()
	if r == nil {
		return
	}
	switch r.status {
	case ProxyWaiting, ProxyErroring, ProxyTimedOut:
		removeItem(&rc.s.areas.proxy.records, r)
	default:
		r.status = ProxyDeleting
		r.updatedAt = rc.s.now()
	}
	rc.json(http.StatusOK, map[string]bool{"success": true})
}

// PostHog: posthog/api/proxy_record.py ProxyRecordViewset.retry.
func handleProxyRetry(rc *reqCtx) {
	r := rc.adminProxyRecord()
	if r == nil {
		return
	}
	if r.status != ProxyErroring && r.status != ProxyTimedOut {
		rc.detailOnly(http.StatusBadRequest, fmt.Sprintf("Cannot retry proxy in %s state.", r.status))
		return
	}
	r.status = ProxyWaiting
	r.message = nil
	r.updatedAt = rc.s.now()
	rc.json(http.StatusOK, proxyRecordJSON(r))
}

// handleProxyDiagnose answers a diagnostic report derived from the record's
// state (posthogtest makes no network calls), behind PostHog's 30-second
// per-user, per-record cooldown.
// PostHog: posthog/api/proxy_record.py ProxyRecordViewset.diagnose.
func handleProxyDiagnose(rc *reqCtx) {
	r := rc.adminProxyRecord()
	if r == nil {
		return
	}
	st := &rc.s.areas.proxy
	if st.lastDiagnose == nil {
		st.lastDiagnose = map[proxyDiagnoseKey]time.Time{}
	}
	key := proxyDiagnoseKey{record: r.id, user: rc.user.id}
	now := rc.s.now()
	if last, ok := st.lastDiagnose[key]; ok && now.Sub(last) < diagnoseCooldown {
		rc.detailOnly(http.StatusTooManyRequests, "A diagnostic was just run for this proxy. Please wait a few seconds before trying again.")
		return
	}
	st.lastDiagnose[key] = now
	rc.json(http.StatusOK, diagnosticReport(r, now))
}

func diagnosticReport(r *proxyRecord, now time.Time) map[string]any {
	check := func(id, name, status, detail string, remediation any) map[string]any {
		return map[string]any{"id": id, "name": name, "status": status, "detail": detail, "remediation": remediation}
	}
	cnameOK := r.status != ProxyWaiting && r.status != ProxyTimedOut
	live := r.status == ProxyValid || r.status == ProxyWarning
	var checks []map[string]any
	if cnameOK {
		checks = append(checks, check("cname", "CNAME record", "passed", r.domain+" points to "+r.targetCNAME+".", nil))
	} else {
		checks = append(checks, check("cname", "CNAME record", "failed", r.domain+" does not point to "+r.targetCNAME+".",
			map[string]any{
				"type": "dns", "summary": "Add a CNAME record for " + r.domain + ".",
				"records": []map[string]any{{"name": r.domain, "type": "CNAME", "value": r.targetCNAME}},
			}))
	}
	if live {
		checks = append(checks, check("live_event", "Live event", "passed", "Events reach PostHog through the proxy.", nil))
	} else {
		checks = append(checks, check("live_event", "Live event", "skipped", "The proxy is not live yet.", nil))
	}
	summary := map[string]any{"status": "healthy", "primary_issue": nil, "next_action": nil}
	switch {
	case !cnameOK:
		summary = map[string]any{"status": "fail", "primary_issue": "cname", "next_action": "Add the CNAME record, then wait for verification."}
	case r.status == ProxyErroring:
		summary = map[string]any{"status": "fail", "primary_issue": nil, "next_action": "Retry provisioning."}
	case r.status == ProxyWarning:
		summary = map[string]any{"status": "warn", "primary_issue": nil, "next_action": "Check the proxy's message."}
	case !live:
		summary = map[string]any{"status": "warn", "primary_issue": nil, "next_action": "Wait for provisioning to finish."}
	}
	return map[string]any{"ran_at": now, "summary": summary, "checks": checks}
}
