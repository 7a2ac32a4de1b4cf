package posthogapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// InvitesService manages invitations: /api/organizations/{organization_id}/invites/.
//
// PostHog keeps at most one pending invite per email address and
// organization: creating an invite deletes the earlier ones for the same
// address (exactly the same: PostHog lower-cases an invite's domain, keeps
// its local part, and compares the whole address as stored). An invite expires after three days (OrganizationInvite.IsExpired)
// but stays listed until it is deleted or replaced.
type InvitesService service

// MaxBulkInvites is the most invites PostHog accepts in one Invites.Bulk
// call.
const MaxBulkInvites = 20

// ProjectAccessLevel is the access an invite grants to a private project.
type ProjectAccessLevel string

// Project access levels, as current PostHog servers name them.
const (
	ProjectAccessNone   ProjectAccessLevel = "none"
	ProjectAccessMember ProjectAccessLevel = "member"
	ProjectAccessAdmin  ProjectAccessLevel = "admin"
)

// Valid reports whether l is one of PostHog's project access levels.
func (l ProjectAccessLevel) Valid() bool {
	return l == ProjectAccessNone || l == ProjectAccessMember || l == ProjectAccessAdmin
}

// UnmarshalJSON accepts the level names and, for invites stored by older
// PostHog versions, the numbers 1 (member) and 8 (admin).
func (l *ProjectAccessLevel) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = ProjectAccessLevel(s)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("project access level %s is neither a name nor a number", b)
	}
	switch n {
	case 1:
		*l = ProjectAccessMember
	case 8:
		*l = ProjectAccessAdmin
	default:
		*l = ProjectAccessLevel(strconv.Itoa(n))
	}
	return nil
}

// ProjectAccess grants an invitee access to one private project.
//
// The reference describes Level as the number 1 or 8; current PostHog
// (posthog/models/organization_invite.py, validate_private_project_access)
// accepts only the names "none", "member" and "admin", so those are sent.
// Numbers stored by older versions are read back as names.
type ProjectAccess struct {
	// ID is the project's (team's) ID.
	ID    ProjectID          `json:"id"`
	Level ProjectAccessLevel `json:"level"`
}

// OrganizationInvite is an invitation to join an organization, as PostHog
// sends it. The request-only fields send_email and combine_pending_invites
// are in InviteCreate.
type OrganizationInvite struct {
	ID          InviteID `json:"id"`
	TargetEmail string   `json:"target_email"`
	FirstName   string   `json:"first_name"`
	// EmailingAttemptMade reports whether PostHog tried to email the
	// invite (false when email is off on the instance or SendEmail was
	// false).
	EmailingAttemptMade bool            `json:"emailing_attempt_made"`
	Level               MembershipLevel `json:"level"`
	// IsExpired reports whether the invite is older than PostHog's
	// validity period (three days).
	IsExpired bool `json:"is_expired"`
	// CreatedBy is the inviting user; nil once that user is deleted
	// (PostHog keeps the invite with a null creator).
	CreatedBy *UserBasic `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Message   *string    `json:"message"`
	// PrivateProjectAccess lists the private projects the invitee will
	// get; nil when PostHog sends null.
	PrivateProjectAccess []ProjectAccess `json:"private_project_access"`
}

// InviteCreate is one invite for Invites.Create, Invites.Bulk and
// Invites.BulkChunked.
type InviteCreate struct {
	// TargetEmail is required.
	TargetEmail string `json:"target_email"`
	// FirstName is at most 30 characters.
	FirstName string `json:"first_name,omitempty"`
	// Level is the membership level the invitee gets (0: member). It cannot
	// be above the inviter's own level (PostHog answers 403).
	Level MembershipLevel `json:"level,omitempty"`
	// Message is included in the invite email.
	Message *string `json:"message,omitempty"`
	// PrivateProjectAccess grants access to private projects.
	PrivateProjectAccess []ProjectAccess `json:"private_project_access,omitempty"`
	// SendEmail set to false creates the invite without emailing it
	// (PostHog's default is true).
	SendEmail *bool `json:"send_email,omitempty"`
	// CombinePendingInvites merges the address's pending invites into this
	// one: the highest level and the union of project access.
	CombinePendingInvites bool `json:"combine_pending_invites,omitempty"`
}

// InviteDelegate is the body of Invites.Delegate.
type InviteDelegate struct {
	// TargetEmail is the teammate who should finish setting up PostHog
	// (required).
	TargetEmail string `json:"target_email"`
	// Message is a personal note for the delegation email, at most 1000
	// characters.
	Message string `json:"message,omitempty"`
	// StepAtDelegation is the onboarding step the inviter was on, at most
	// 64 characters (for PostHog's analytics only).
	StepAtDelegation string `json:"step_at_delegation,omitempty"`
}

// checkEmail is a shape check, looser than PostHog's: something@domain.tld
// without spaces or control characters, at most 254 bytes.
func checkEmail(field, email string) error {
	switch {
	case strings.TrimSpace(email) == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidArgument, field)
	case len(email) > 254:
		return fmt.Errorf("%w: %s is longer than 254 characters", ErrInvalidArgument, field)
	case !utf8.ValidString(email) || strings.IndexFunc(email, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("%w: %s %q contains spaces or control characters", ErrInvalidArgument, field, email)
	}
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return fmt.Errorf("%w: %s %q is not an email address", ErrInvalidArgument, field, email)
	}
	domain := email[at+1:]
	if strings.ContainsAny(domain, "@<>()[],;:\\\"") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return fmt.Errorf("%w: %s %q is not an email address", ErrInvalidArgument, field, email)
	}
	return nil
}

func (c *InviteCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil invite", ErrInvalidArgument)
	}
	if err := checkEmail("target_email", c.TargetEmail); err != nil {
		return err
	}
	if c.Level != 0 && !c.Level.Valid() {
		return fmt.Errorf("%w: invite level %d is not 1, 8 or 15", ErrInvalidArgument, int(c.Level))
	}
	if utf8.RuneCountInString(c.FirstName) > 30 {
		return fmt.Errorf("%w: first_name is longer than 30 characters", ErrInvalidArgument)
	}
	for _, pa := range c.PrivateProjectAccess {
		if pa.ID <= 0 {
			return fmt.Errorf("%w: private project access needs a project id", ErrInvalidArgument)
		}
		if !pa.Level.Valid() {
			return fmt.Errorf("%w: private project access level %q is not none, member or admin", ErrInvalidArgument, pa.Level)
		}
	}
	return nil
}

func (d *InviteDelegate) validate() error {
	if d == nil {
		return fmt.Errorf("%w: nil delegation", ErrInvalidArgument)
	}
	if err := checkEmail("target_email", d.TargetEmail); err != nil {
		return err
	}
	if utf8.RuneCountInString(d.Message) > 1000 {
		return fmt.Errorf("%w: delegation message is longer than 1000 characters", ErrInvalidArgument)
	}
	if utf8.RuneCountInString(d.StepAtDelegation) > 64 {
		return fmt.Errorf("%w: step_at_delegation is longer than 64 characters", ErrInvalidArgument)
	}
	return nil
}

// validateBatch checks one Bulk call's invites.
func validateBatch(invites []InviteCreate, offset int) error {
	for i := range invites {
		if err := invites[i].validate(); err != nil {
			return fmt.Errorf("invite %d: %w", offset+i, err)
		}
	}
	return nil
}

// List returns one page of the organization's invites, newest first,
// expired ones included.
//
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
func (s *InvitesService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[OrganizationInvite], error) {
	return list[OrganizationInvite](ctx, s.client, at("organizations", org, "invites"), opts)
}

// All iterates over every invite of the organization, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
func (s *InvitesService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*OrganizationInvite, error] {
	return iterate[OrganizationInvite](ctx, s.client, at("organizations", org, "invites"), opts)
}

// Create invites one person, replacing any earlier invite for the same
// address. PostHog answers 400 when the address already belongs to a
// member, and 403 when the level is above the inviter's or when the
// organization lets only admins invite. When the invitee joins, PostHog
// also gives them the organization's default role (DefaultRoleID), if it
// has one.
//
// It needs organization_member:write; PostHog versions up to late 2025
// checked no scope for this call.
//
// API: POST /api/organizations/{organization_id}/invites/ (scope organization_member:write)
func (s *InvitesService) Create(ctx context.Context, org OrganizationID, inv *InviteCreate) (*OrganizationInvite, error) {
	return send[OrganizationInvite](ctx, s.client, http.MethodPost, at("organizations", org, "invites").check(inv.validate()), inv)
}

// Delete deletes an invite. Any member of the organization can.
//
// API: DELETE /api/organizations/{organization_id}/invites/{id}/ (scope organization_member:write)
func (s *InvitesService) Delete(ctx context.Context, org OrganizationID, id InviteID) error {
	return del(ctx, s.client, at("organizations", org, "invites", id))
}

// Bulk creates up to MaxBulkInvites invites in one call; more is an error
// wrapping ErrInvalidArgument and nothing is sent (see BulkChunked for any
// number). PostHog validates the whole batch first and creates none of it
// when one invite is invalid (a 400 or 403). An address that already
// belongs to a member is refused (400) only while PostHog creates the
// invites one by one, with no transaction around them
// (posthog/api/organization_invite.py, bulk; its database settings open no
// transaction per request either), so the invites before it are kept, and
// their emails sent: after such an error, "creates none of it" does not
// hold. List the invites before sending any again, or use BulkChunked,
// which does. An address listed twice yields one invite (each create
// deletes the earlier invites for its address).
//
// It returns the created invites in the order sent. PostHog answers 201
// with the list (posthog/api/organization_invite.py, bulk); an answer
// without a body is accepted too and gives an empty list.
//
// API: POST /api/organizations/{organization_id}/invites/bulk/ (scope organization_member:write)
func (s *InvitesService) Bulk(ctx context.Context, org OrganizationID, invites []InviteCreate) ([]OrganizationInvite, error) {
	return s.bulk(ctx, at("organizations", org, "invites", "bulk").check(checkBulk(invites)), invites)
}

// checkBulk checks the invites of one Bulk call.
func checkBulk(invites []InviteCreate) error {
	switch {
	case len(invites) == 0:
		return fmt.Errorf("%w: no invites", ErrInvalidArgument)
	case len(invites) > MaxBulkInvites:
		return fmt.Errorf("%w: %d invites; PostHog takes at most %d per bulk call (use BulkChunked)", ErrInvalidArgument, len(invites), MaxBulkInvites)
	}
	return validateBatch(invites, 0)
}

func (s *InvitesService) bulk(ctx context.Context, r route, invites []InviteCreate) ([]OrganizationInvite, error) {
	if r.err != nil {
		return nil, r.err
	}
	var raw json.RawMessage
	status, err := s.client.do(ctx, &request{method: http.MethodPost, path: r.path, body: invites, out: &raw})
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) && errors.Is(de.Err, io.EOF) {
			return []OrganizationInvite{}, nil // 2xx without a body
		}
		return nil, err
	}
	created := []OrganizationInvite{}
	if len(raw) == 0 || string(raw) == "null" {
		return created, nil
	}
	if err := json.Unmarshal(raw, &created); err != nil {
		return nil, &DecodeError{StatusCode: status, Method: http.MethodPost, Path: s.client.apiPrefix + r.path, Err: err}
	}
	return created, nil
}

// InviteStatus is what became of one invite of a BulkChunked call.
type InviteStatus int

const (
	// InviteUnknown: whether PostHog created the invite could not be
	// established (its answer was lost and no invite shows it yet, or the
	// invites could not be listed). Check before sending it again.
	InviteUnknown InviteStatus = iota
	// InviteCreated: PostHog created the invite. Sending it again would
	// replace it and email the invitee again.
	InviteCreated
	// InviteNotCreated: PostHog did not create the invite (refused, never
	// sent, or absent once PostHog had answered); sending it again cannot
	// duplicate it.
	InviteNotCreated
)

// String returns "unknown", "created" or "not created".
func (s InviteStatus) String() string {
	switch s {
	case InviteCreated:
		return "created"
	case InviteNotCreated:
		return "not created"
	}
	return "unknown"
}

// InviteResult is the outcome of one invite of a BulkChunked call.
type InviteResult struct {
	// Index is the invite's position in the slice given to BulkChunked.
	Index       int
	TargetEmail string
	Status      InviteStatus
	// Invite is the created invite when PostHog's answer or the
	// reconciling list showed it (nil otherwise, also for some created
	// invites: an answer without a body, or an unreadable one that could
	// not be listed).
	Invite *OrganizationInvite
}

// InviteChunk is the outcome of one Bulk call made by BulkChunked.
type InviteChunk struct {
	// Start and End delimit the chunk in the caller's slice:
	// invites[Start:End].
	Start, End int
	// Sent reports whether the chunk was sent; false when the context ended
	// before its turn.
	Sent bool
	// Created are the invites PostHog created for this chunk: from its
	// answer, or, for a chunk that failed, those found by reconciling (see
	// Results). Empty when PostHog answered without a body.
	Created []OrganizationInvite
	// Err is the chunk's error; nil when it succeeded.
	Err error
	// OutcomeUnknown reports that the chunk must not be sent again as a
	// whole although Err is set: PostHog created some or all of it, or
	// whether it did could not be established, or its answer was one that
	// matches ErrOutcomeUnknown. errors.Is(Err, ErrOutcomeUnknown) agrees
	// with it. Results says, invite by invite, what may be sent again.
	OutcomeUnknown bool
	// Results has one entry per invite of the chunk, in order.
	Results []InviteResult
	// ReconcileErr is the error of listing the organization's invites to
	// reconcile a failed chunk; its invites without a definite answer are
	// then InviteUnknown.
	ReconcileErr error
}

// BulkInviteReport is what BulkChunked did, chunk by chunk.
type BulkInviteReport struct {
	Chunks []InviteChunk
	// ListErr is the error of listing the organization's invites before
	// sending; when set, a failed chunk's invites that are listed
	// afterwards cannot be told from earlier ones and are InviteUnknown.
	ListErr error
}

// Created returns every invite PostHog created, in the order sent.
func (r *BulkInviteReport) Created() []OrganizationInvite {
	var out []OrganizationInvite
	for _, c := range r.Chunks {
		out = append(out, c.Created...)
	}
	return out
}

// Failed returns the chunks with an error: refused, left unsent, or
// failed midway. A failed chunk may have created some of its invites (see
// OutcomeUnknown and Results; NotCreated lists what may be sent again).
func (r *BulkInviteReport) Failed() []InviteChunk {
	var out []InviteChunk
	for _, c := range r.Chunks {
		if c.Err != nil {
			out = append(out, c)
		}
	}
	return out
}

// Results returns the outcome of every invite, in the order given.
func (r *BulkInviteReport) Results() []InviteResult {
	var out []InviteResult
	for _, c := range r.Chunks {
		out = append(out, c.Results...)
	}
	return out
}

// NotCreated returns the invites PostHog did not create: sending them
// again cannot duplicate an invite.
func (r *BulkInviteReport) NotCreated() []InviteResult { return r.withStatus(InviteNotCreated) }

// Unknown returns the invites whose outcome could not be established:
// check the organization's invites before sending them again.
func (r *BulkInviteReport) Unknown() []InviteResult { return r.withStatus(InviteUnknown) }

func (r *BulkInviteReport) withStatus(st InviteStatus) []InviteResult {
	var out []InviteResult
	for _, c := range r.Chunks {
		for _, res := range c.Results {
			if res.Status == st {
				out = append(out, res)
			}
		}
	}
	return out
}

// Err joins the chunks' errors, each prefixed with its range; nil when
// every chunk succeeded.
func (r *BulkInviteReport) Err() error {
	var errs []error
	for _, c := range r.Chunks {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("invites %d-%d: %w", c.Start, c.End-1, c.Err))
		}
	}
	return errors.Join(errs...)
}

// partialBulkError marks a chunk whose error does not itself match
// ErrOutcomeUnknown (a 400, say) as one PostHog created some of, or may
// have: it matches ErrOutcomeUnknown and unwraps to the chunk's error.
type partialBulkError struct{ err error }

func (e *partialBulkError) Error() string {
	return e.err.Error() + " (some invites of the chunk were created, or may have been)"
}
func (e *partialBulkError) Unwrap() error        { return e.err }
func (e *partialBulkError) Is(target error) bool { return target == ErrOutcomeUnknown }

// BulkChunked creates any number of invites with one Bulk call per
// MaxBulkInvites of them, in order. A chunk that fails is recorded and the
// next chunk is still sent; only the end of ctx stops it, and the chunks
// left are reported unsent with ctx's error. No chunk is ever sent twice,
// in particular not one whose outcome is unknown (InviteChunk.OutcomeUnknown).
//
// PostHog may create part of a bulk before an item fails: it validates
// every item first, but refuses an address that already belongs to a
// member only while creating the invites one by one, and whether that runs
// in one transaction is not established (posthog/api/organization_invite.py,
// bulk). So a failed chunk is reconciled: BulkChunked lists the
// organization's invites once before sending anything (to know the pending
// invites of these addresses) and again after the chunk fails, and reports
// each of its invites (InviteChunk.Results) as
//
//   - InviteCreated: PostHog answered 2xx (even unreadably), or an invite
//     for the address appeared that was not there before;
//   - InviteNotCreated: the chunk was refused before PostHog ran it (401,
//     403, 404, 429, a failed connection, the context ended), or PostHog
//     answered (a 400, a 500 or 503) and no new invite for the address
//     exists;
//   - InviteUnknown: the answer was lost or came from a gateway (502, 504),
//     so the request may still be running, and no new invite shows yet; or
//     the invites could not be listed (ReconcileErr).
//
// An invite for the address created by someone else meanwhile is counted as
// created. Re-sending exactly the report's NotCreated invites never
// duplicates one; a chunk that is not OutcomeUnknown can be re-sent whole.
//
// Every invite is validated before anything is sent; an invalid invite, or
// an address given twice (the second invite would silently replace the
// first), is an error wrapping ErrInvalidArgument, with a nil report.
// Otherwise the report is always returned, and the error is report.Err().
//
// API: POST /api/organizations/{organization_id}/invites/bulk/ (scope organization_member:write)
func (s *InvitesService) BulkChunked(ctx context.Context, org OrganizationID, invites []InviteCreate) (*BulkInviteReport, error) {
	bulk := at("organizations", org, "invites", "bulk")
	seen, err := checkChunked(invites)
	if bulk = bulk.check(err); bulk.err != nil {
		return nil, bulk.err
	}
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	// The pending invites of these addresses before anything is sent; nil
	// when they cannot be listed (then a failed chunk's invites that are
	// listed afterwards cannot be told from older ones).
	before, listErr := s.invitesFor(ctx, org, seen)
	r := &BulkInviteReport{ListErr: listErr}
	for start := 0; start < len(invites); start += MaxBulkInvites {
		end := min(start+MaxBulkInvites, len(invites))
		c := InviteChunk{Start: start, End: end}
		if err := ctx.Err(); err != nil {
			c.Err = err
			c.Results = chunkResults(invites, start, end, InviteNotCreated)
			r.Chunks = append(r.Chunks, c)
			continue
		}
		c.Sent = true
		c.Created, c.Err = s.bulk(ctx, bulk, invites[start:end])
		if c.Err == nil {
			c.Results = chunkResults(invites, start, end, InviteCreated)
			attachCreated(c.Results, c.Created)
		} else {
			c.Created = nil
			s.reconcile(ctx, org, invites, before, &c)
		}
		r.Chunks = append(r.Chunks, c)
	}
	return r, r.Err()
}

// checkChunked checks the invites of a BulkChunked call: at least one, each
// valid, no address twice. It returns the index of each address (by
// inviteKey).
func checkChunked(invites []InviteCreate) (map[string]int, error) {
	if len(invites) == 0 {
		return nil, fmt.Errorf("%w: no invites", ErrInvalidArgument)
	}
	if err := validateBatch(invites, 0); err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(invites))
	for i := range invites {
		key := inviteKey(invites[i].TargetEmail)
		if j, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: invites %d and %d are both for %s", ErrInvalidArgument, j, i, invites[i].TargetEmail)
		}
		seen[key] = i
	}
	return seen, nil
}

// inviteKey is how BulkChunked compares addresses: trimmed, case folded.
func inviteKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// invitesFor lists the organization's invites whose address is in want,
// keyed by inviteKey.
func (s *InvitesService) invitesFor(ctx context.Context, org OrganizationID, want map[string]int) (map[string][]OrganizationInvite, error) {
	out := map[string][]OrganizationInvite{}
	for inv, err := range s.All(ctx, org, nil) {
		if err != nil {
			return nil, err
		}
		if k := inviteKey(inv.TargetEmail); hasKey(want, k) {
			out[k] = append(out[k], *inv)
		}
	}
	return out, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func chunkResults(invites []InviteCreate, start, end int, st InviteStatus) []InviteResult {
	out := make([]InviteResult, 0, end-start)
	for i := start; i < end; i++ {
		out = append(out, InviteResult{Index: i, TargetEmail: invites[i].TargetEmail, Status: st})
	}
	return out
}

// attachCreated points each result at the created invite for its address.
func attachCreated(results []InviteResult, created []OrganizationInvite) {
	byKey := make(map[string]*OrganizationInvite, len(created))
	for i := range created {
		byKey[inviteKey(created[i].TargetEmail)] = &created[i]
	}
	for i := range results {
		results[i].Invite = byKey[inviteKey(results[i].TargetEmail)]
	}
}

// reconcile decides the outcome of each invite of the failed chunk c (see
// BulkChunked) and sets c.Results, c.Created, c.OutcomeUnknown and, when
// PostHog created or may have created part of it, makes c.Err match
// ErrOutcomeUnknown.
func (s *InvitesService) reconcile(ctx context.Context, org OrganizationID, invites []InviteCreate, before map[string][]OrganizationInvite, c *InviteChunk) {
	var (
		de       *DecodeError
		te       *TransportError
		ae       *APIError
		absent   = InviteUnknown // the status of an address with no new invite
		ifListed = InviteUnknown // and of one with a new invite
	)
	switch {
	case errors.As(c.Err, &de) && de.WriteDone():
		// 2xx: PostHog created the whole chunk; list only to find them.
		absent, ifListed = InviteCreated, InviteCreated
	case errors.As(c.Err, &te) && !te.OutcomeUnknown,
		errors.Is(c.Err, ErrUnauthorized), errors.Is(c.Err, ErrPermissionDenied),
		errors.Is(c.Err, ErrNotFound), errors.Is(c.Err, ErrRateLimited):
		// Never sent, or refused before the view ran.
		c.Results = chunkResults(invites, c.Start, c.End, InviteNotCreated)
		c.OutcomeUnknown = errors.Is(c.Err, ErrOutcomeUnknown)
		return
	case errors.As(c.Err, &ae) && ae.StatusCode != http.StatusBadGateway && ae.StatusCode != http.StatusGatewayTimeout:
		// PostHog answered: what it created is in its list now.
		absent, ifListed = InviteNotCreated, InviteCreated
	default:
		// Lost answer or a gateway's: the request may still be running.
		absent, ifListed = InviteUnknown, InviteCreated
	}
	c.Results = chunkResults(invites, c.Start, c.End, absent)
	want := make(map[string]int, c.End-c.Start)
	for i := c.Start; i < c.End; i++ {
		want[inviteKey(invites[i].TargetEmail)] = i
	}
	after, err := s.invitesFor(ctx, org, want)
	if err != nil {
		c.ReconcileErr = err
		if absent != InviteCreated {
			for i := range c.Results {
				c.Results[i].Status = InviteUnknown
			}
		}
	} else {
		for i := range c.Results {
			res := &c.Results[i]
			k := inviteKey(res.TargetEmail)
			fresh, old := newInvite(after[k], before)
			switch {
			case fresh != nil:
				res.Status, res.Invite = ifListed, fresh
				c.Created = append(c.Created, *fresh)
			case old && before == nil && absent == InviteCreated:
				// Answered 2xx: PostHog's create deleted the address's
				// earlier invites, so the one listed is the new one.
				res.Invite = &after[k][0]
				c.Created = append(c.Created, *res.Invite)
			case old && before == nil:
				// Listed, but whether it was there before is unknown.
				res.Status = InviteUnknown
			}
		}
	}
	for _, res := range c.Results {
		if res.Status != InviteNotCreated {
			c.OutcomeUnknown = true
		}
	}
	if errors.Is(c.Err, ErrOutcomeUnknown) {
		c.OutcomeUnknown = true
	} else if c.OutcomeUnknown {
		c.Err = &partialBulkError{err: c.Err}
	}
}

// newInvite returns the first of listed that is not among the invites
// listed before (nil when before is nil), and whether any was listed.
func newInvite(listed []OrganizationInvite, before map[string][]OrganizationInvite) (*OrganizationInvite, bool) {
	if before == nil {
		return nil, len(listed) > 0
	}
	for i := range listed {
		known := false
		for _, b := range before[inviteKey(listed[i].TargetEmail)] {
			if b.ID == listed[i].ID {
				known = true
				break
			}
		}
		if !known {
			return &listed[i], true
		}
	}
	return nil, len(listed) > 0
}

// Delegate creates an onboarding delegation invite: an admin-level invite
// flagged as a setup delegation, emailed with a dedicated message, with the
// inviter recorded as having delegated setup. PostHog's API reference says
// it answers 200 with the invite (some frontend versions expect 201; any
// 2xx with the invite is accepted). Only newer servers have it.
//
// API: POST /api/organizations/{organization_id}/invites/delegate/ (scope organization_member:write)
func (s *InvitesService) Delegate(ctx context.Context, org OrganizationID, d *InviteDelegate) (*OrganizationInvite, error) {
	return send[OrganizationInvite](ctx, s.client, http.MethodPost, at("organizations", org, "invites", "delegate").check(d.validate()), d)
}
