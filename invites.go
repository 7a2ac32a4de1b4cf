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

	"github.com/google/uuid"
)

// InvitesService manages invitations: /api/organizations/{organization_id}/invites/.
//
// PostHog keeps at most one pending invite per email address and
// organization: creating an invite deletes the earlier ones for the same
// address. An invite expires after three days (OrganizationInvite.IsExpired)
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
	ID    int64              `json:"id"`
	Level ProjectAccessLevel `json:"level"`
}

// OrganizationInvite is an invitation to join an organization, as PostHog
// sends it. The request-only fields send_email and combine_pending_invites
// are in InviteCreate.
type OrganizationInvite struct {
	ID          uuid.UUID `json:"id"`
	TargetEmail string    `json:"target_email"`
	FirstName   string    `json:"first_name"`
	// EmailingAttemptMade reports whether PostHog tried to email the
	// invite (false when email is off on the instance or SendEmail was
	// false).
	EmailingAttemptMade bool            `json:"emailing_attempt_made"`
	Level               MembershipLevel `json:"level"`
	// IsExpired reports whether the invite is older than PostHog's
	// validity period (three days).
	IsExpired bool `json:"is_expired"`
	// CreatedBy is the inviting user. The schema marks it required, but
	// PostHog sets it to null when that user is deleted.
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

func invitesPath(org uuid.UUID, action ...string) (string, error) {
	if err := checkID("organization id", org); err != nil {
		return "", err
	}
	return escapePath(append([]string{org.String(), "invites"}, action...)...), nil
}

// List returns one page of the organization's invites, newest first,
// expired ones included.
//
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
func (s *InvitesService) List(ctx context.Context, org uuid.UUID, opts *ListOptions) (*Page[OrganizationInvite], error) {
	p, err := invitesPath(org)
	if err != nil {
		return nil, err
	}
	return listPage[OrganizationInvite](ctx, s.client, p, opts)
}

// All iterates over every invite of the organization, fetching pages as
// needed.
//
// API: GET /api/organizations/{organization_id}/invites/ (scope organization_member:read)
func (s *InvitesService) All(ctx context.Context, org uuid.UUID, opts *ListOptions) iter.Seq2[*OrganizationInvite, error] {
	p, err := invitesPath(org)
	if err != nil {
		return func(yield func(*OrganizationInvite, error) bool) { yield(nil, err) }
	}
	return all[OrganizationInvite](ctx, s.client, p, opts)
}

// Create invites one person, replacing any earlier invite for the same
// address. PostHog answers 400 when the address already belongs to a
// member, and 403 when the level is above the inviter's or when the
// organization lets only admins invite.
//
// The newest schema and API reference require organization_member:write;
// PostHog versions up to late 2025 checked no scope for this call.
//
// API: POST /api/organizations/{organization_id}/invites/ (scope organization_member:write)
func (s *InvitesService) Create(ctx context.Context, org uuid.UUID, inv *InviteCreate) (*OrganizationInvite, error) {
	p, err := invitesPath(org)
	if err != nil {
		return nil, err
	}
	if err := inv.validate(); err != nil {
		return nil, err
	}
	out := new(OrganizationInvite)
	if _, err := s.client.do(ctx, &request{method: http.MethodPost, path: p, body: inv, out: out}); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete deletes an invite. Any member of the organization can.
//
// API: DELETE /api/organizations/{organization_id}/invites/{id}/ (scope organization_member:write)
func (s *InvitesService) Delete(ctx context.Context, org, id uuid.UUID) error {
	if err := checkID("invite id", id); err != nil {
		return err
	}
	p, err := invitesPath(org, id.String())
	if err != nil {
		return err
	}
	_, err = s.client.do(ctx, &request{method: http.MethodDelete, path: p})
	return err
}

// Bulk creates up to MaxBulkInvites invites in one call; more is an error
// wrapping ErrInvalidArgument and nothing is sent (see BulkChunked for any
// number). PostHog validates the whole batch first and creates none of it
// when one invite is invalid.
//
// It returns the created invites in the order sent. PostHog answers 201
// with the list (posthog/api/organization_invite.py, bulk); the schema and
// the API reference say 200 with no body, so an empty answer is accepted
// too and gives an empty list.
//
// API: POST /api/organizations/{organization_id}/invites/bulk/ (scope organization_member:write)
func (s *InvitesService) Bulk(ctx context.Context, org uuid.UUID, invites []InviteCreate) ([]OrganizationInvite, error) {
	p, err := invitesPath(org, "bulk")
	if err != nil {
		return nil, err
	}
	switch {
	case len(invites) == 0:
		return nil, fmt.Errorf("%w: no invites", ErrInvalidArgument)
	case len(invites) > MaxBulkInvites:
		return nil, fmt.Errorf("%w: %d invites; PostHog takes at most %d per bulk call (use BulkChunked)", ErrInvalidArgument, len(invites), MaxBulkInvites)
	}
	if err := validateBatch(invites, 0); err != nil {
		return nil, err
	}
	return s.bulk(ctx, p, invites)
}

func (s *InvitesService) bulk(ctx context.Context, p string, invites []InviteCreate) ([]OrganizationInvite, error) {
	var raw json.RawMessage
	status, err := s.client.do(ctx, &request{method: http.MethodPost, path: p, body: invites, out: &raw})
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
		return nil, &DecodeError{StatusCode: status, Method: http.MethodPost, Path: s.client.apiPrefix + p, Err: err}
	}
	return created, nil
}

// InviteChunk is the outcome of one Bulk call made by BulkChunked.
type InviteChunk struct {
	// Start and End delimit the chunk in the caller's slice:
	// invites[Start:End].
	Start, End int
	// Sent reports whether the chunk was sent; false when the context ended
	// before its turn.
	Sent bool
	// Created are the invites PostHog created for this chunk (empty when
	// Err is set, or when PostHog answered without a body).
	Created []OrganizationInvite
	// Err is the chunk's error; nil when it succeeded.
	Err error
	// OutcomeUnknown reports that PostHog may have created some or all of
	// the chunk although Err is set: its answer was lost
	// (errors.Is(Err, ErrOutcomeUnknown)) or was a server error. Check with
	// List before sending these invites again.
	OutcomeUnknown bool
}

// BulkInviteReport is what BulkChunked did, chunk by chunk.
type BulkInviteReport struct {
	Chunks []InviteChunk
}

// Created returns every invite PostHog created, in the order sent.
func (r *BulkInviteReport) Created() []OrganizationInvite {
	var out []OrganizationInvite
	for _, c := range r.Chunks {
		out = append(out, c.Created...)
	}
	return out
}

// Failed returns the chunks that were not created: errors and chunks left
// unsent.
func (r *BulkInviteReport) Failed() []InviteChunk {
	var out []InviteChunk
	for _, c := range r.Chunks {
		if c.Err != nil {
			out = append(out, c)
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

// BulkChunked creates any number of invites with one Bulk call per
// MaxBulkInvites of them, in order. A chunk that fails is recorded and the
// next chunk is still sent; only the end of ctx stops it, and the chunks
// left are reported unsent with ctx's error. No chunk is ever sent twice,
// in particular not one whose outcome is unknown (InviteChunk.OutcomeUnknown).
//
// Every invite is validated before anything is sent; an invalid invite, or
// an address given twice (the second invite would silently replace the
// first), is an error wrapping ErrInvalidArgument, with a nil report.
// Otherwise the report is always returned, and the error is report.Err().
//
// API: POST /api/organizations/{organization_id}/invites/bulk/ (scope organization_member:write)
func (s *InvitesService) BulkChunked(ctx context.Context, org uuid.UUID, invites []InviteCreate) (*BulkInviteReport, error) {
	p, err := invitesPath(org, "bulk")
	if err != nil {
		return nil, err
	}
	if len(invites) == 0 {
		return nil, fmt.Errorf("%w: no invites", ErrInvalidArgument)
	}
	if err := validateBatch(invites, 0); err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(invites))
	for i := range invites {
		key := strings.ToLower(strings.TrimSpace(invites[i].TargetEmail))
		if j, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: invites %d and %d are both for %s", ErrInvalidArgument, j, i, invites[i].TargetEmail)
		}
		seen[key] = i
	}
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	r := &BulkInviteReport{}
	for start := 0; start < len(invites); start += MaxBulkInvites {
		end := min(start+MaxBulkInvites, len(invites))
		c := InviteChunk{Start: start, End: end}
		if err := ctx.Err(); err != nil {
			c.Err = err
			r.Chunks = append(r.Chunks, c)
			continue
		}
		c.Sent = true
		c.Created, c.Err = s.bulk(ctx, p, invites[start:end])
		if c.Err != nil {
			c.Created = nil
			c.OutcomeUnknown = errors.Is(c.Err, ErrOutcomeUnknown) || errors.Is(c.Err, ErrServer)
		}
		r.Chunks = append(r.Chunks, c)
	}
	return r, r.Err()
}

// Delegate creates an onboarding delegation invite: an admin-level invite
// flagged as a setup delegation, emailed with a dedicated message, with the
// inviter recorded as having delegated setup. PostHog's API reference says
// it answers 200 with the invite (some frontend versions expect 201; any
// 2xx with the invite is accepted). This endpoint is newer than both
// OpenAPI schemas; it is in PostHog's API reference.
//
// API: POST /api/organizations/{organization_id}/invites/delegate/ (scope organization_member:write)
func (s *InvitesService) Delegate(ctx context.Context, org uuid.UUID, d *InviteDelegate) (*OrganizationInvite, error) {
	p, err := invitesPath(org, "delegate")
	if err != nil {
		return nil, err
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	out := new(OrganizationInvite)
	if _, err := s.client.do(ctx, &request{method: http.MethodPost, path: p, body: d, out: out}); err != nil {
		return nil, err
	}
	return out, nil
}
