package posthogapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// LegalDocumentsService manages legal documents (BAA, DPA): /api/organizations/{organization_id}/legal_documents/.
// PostHog offers them on PostHog Cloud only, to organization admins and
// owners (reads included). PostHog sends each document out for signature;
// once signed it can be downloaded.
type LegalDocumentsService service

// LegalDocumentType is the kind of a legal document.
type LegalDocumentType string

// Legal document types.
const (
	// LegalDocumentBAA is a Business Associate Agreement (HIPAA). PostHog
	// requires a Boost, Scale or Enterprise add-on for it (403 otherwise).
	LegalDocumentBAA LegalDocumentType = "BAA"
	// LegalDocumentDPA is a Data Processing Agreement.
	LegalDocumentDPA LegalDocumentType = "DPA"
)

// Valid reports whether t is BAA or DPA.
func (t LegalDocumentType) Valid() bool { return t == LegalDocumentBAA || t == LegalDocumentDPA }

// DPAMode is the style of a DPA.
type DPAMode string

// DPA modes the API accepts. PostHog's "fairytale" and "tswift" styles are
// preview-only on posthog.com and rejected by the API.
const (
	DPAModePretty DPAMode = "pretty"
	DPAModeLawyer DPAMode = "lawyer"
)

// LegalDocumentStatus is where a legal document is in its signing.
type LegalDocumentStatus string

// Legal document statuses.
const (
	// LegalDocumentSubmittedForSignature: sent out, not signed yet.
	LegalDocumentSubmittedForSignature LegalDocumentStatus = "submitted_for_signature"
	// LegalDocumentSigned: signed; the PDF can be downloaded.
	LegalDocumentSigned LegalDocumentStatus = "signed"
)

// LegalDocument is a BAA or DPA of an organization. PostHog has shipped two
// shapes of this answer; fields the server at hand does not send stay at
// their zero value (newer servers send neither company_address,
// representative_title, dpa_mode nor updated_at).
type LegalDocument struct {
	ID                  LegalDocumentID     `json:"id"`
	DocumentType        LegalDocumentType   `json:"document_type"`
	CompanyName         string              `json:"company_name"`
	CompanyAddress      string              `json:"company_address"`
	RepresentativeName  string              `json:"representative_name"`
	RepresentativeTitle string              `json:"representative_title"`
	RepresentativeEmail string              `json:"representative_email"`
	DPAMode             DPAMode             `json:"dpa_mode"`
	Status              LegalDocumentStatus `json:"status"`
	// SignedDocumentURL is the signing service's link to the document, when
	// the server sends one. Use LegalDocuments.Download for the signed PDF.
	SignedDocumentURL string `json:"signed_document_url"`
	// CreatedBy is who submitted the document; nil when unknown.
	CreatedBy *LegalDocumentCreator `json:"created_by"`
	CreatedAt time.Time             `json:"created_at"`
	UpdatedAt time.Time             `json:"updated_at"`
}

// LegalDocumentCreator is the user who submitted a legal document. Older
// servers send only the user's numeric ID (reference §2.10: created_by int
// or null); newer ones send {"first_name", "email"} (PostHog
// products/legal_documents facade contracts). Both decode into this type.
type LegalDocumentCreator struct {
	// ID is the user's numeric ID, when the server sends the ID form.
	ID *int64 `json:"id,omitempty"`
	// FirstName and Email are set when the server sends the object form.
	FirstName string `json:"first_name,omitempty"`
	Email     string `json:"email,omitempty"`
}

// UnmarshalJSON accepts a user ID (a number) or a {"first_name", "email"}
// object.
func (c *LegalDocumentCreator) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		var id int64
		if err := json.Unmarshal(b, &id); err != nil {
			return fmt.Errorf("legal document created_by: %w", err)
		}
		*c = LegalDocumentCreator{ID: &id}
		return nil
	}
	type plain LegalDocumentCreator
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = LegalDocumentCreator(p)
	return nil
}

// LegalDocumentCreate is the body of LegalDocuments.Create. PostHog sends
// the document out for signature to RepresentativeEmail.
type LegalDocumentCreate struct {
	// DocumentType is required: BAA or DPA.
	DocumentType LegalDocumentType `json:"document_type"`
	// CompanyName is the customer legal entity (required, at most 255
	// characters).
	CompanyName string `json:"company_name"`
	// CompanyAddress is the customer's address (at most 512 characters);
	// required for a DPA. Newer servers require it for a BAA too.
	CompanyAddress string `json:"company_address,omitempty"`
	// RepresentativeName and RepresentativeTitle name the signer (at most
	// 255 characters each). Older servers require them; newer ones ignore
	// them.
	RepresentativeName  string `json:"representative_name,omitempty"`
	RepresentativeTitle string `json:"representative_title,omitempty"`
	// RepresentativeEmail receives the document to sign (required).
	RepresentativeEmail string `json:"representative_email"`
	// DPAMode is the DPA's style; older servers require it for a DPA, newer
	// ones ignore it. Ignored for a BAA.
	DPAMode DPAMode `json:"dpa_mode,omitempty"`
}

func (c *LegalDocumentCreate) validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil legal document", ErrInvalidArgument)
	}
	if !c.DocumentType.Valid() {
		return fmt.Errorf("%w: legal document type must be BAA or DPA, not %q", ErrInvalidArgument, c.DocumentType)
	}
	if err := checkText("company name", c.CompanyName, true, 255); err != nil {
		return err
	}
	if err := checkText("company address", c.CompanyAddress, c.DocumentType == LegalDocumentDPA, 512); err != nil {
		return err
	}
	if err := checkText("representative name", c.RepresentativeName, false, 255); err != nil {
		return err
	}
	if err := checkText("representative title", c.RepresentativeTitle, false, 255); err != nil {
		return err
	}
	if !looksLikeEmail(c.RepresentativeEmail) {
		return fmt.Errorf("%w: representative email %q is not an email address", ErrInvalidArgument, c.RepresentativeEmail)
	}
	if c.DPAMode != "" && c.DPAMode != DPAModePretty && c.DPAMode != DPAModeLawyer {
		return fmt.Errorf("%w: DPA mode must be pretty or lawyer, not %q", ErrInvalidArgument, c.DPAMode)
	}
	return nil
}

func checkText(name, v string, required bool, maxLen int) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return fmt.Errorf("%w: %s is required", ErrInvalidArgument, name)
	case len([]rune(v)) > maxLen:
		return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidArgument, name, maxLen)
	}
	return nil
}

func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.ContainsAny(s, " \t\r\n") && !strings.Contains(domain, "@")
}

// List returns one page of the organization's legal documents.
//
// API: GET /api/organizations/{organization_id}/legal_documents/ (scope legal_document:read)
func (s *LegalDocumentsService) List(ctx context.Context, org OrganizationID, opts *ListOptions) (*Page[LegalDocument], error) {
	return list[LegalDocument](ctx, s.client, at("organizations", org, "legal_documents"), opts)
}

// All iterates over every legal document of the organization, fetching
// pages as needed.
//
// API: GET /api/organizations/{organization_id}/legal_documents/ (scope legal_document:read)
func (s *LegalDocumentsService) All(ctx context.Context, org OrganizationID, opts *ListOptions) iter.Seq2[*LegalDocument, error] {
	return iterate[LegalDocument](ctx, s.client, at("organizations", org, "legal_documents"), opts)
}

// Get returns one legal document.
//
// API: GET /api/organizations/{organization_id}/legal_documents/{id}/ (scope legal_document:read)
func (s *LegalDocumentsService) Get(ctx context.Context, org OrganizationID, id LegalDocumentID) (*LegalDocument, error) {
	return get[LegalDocument](ctx, s.client, at("organizations", org, "legal_documents", id), nil)
}

// Create submits a legal document; PostHog sends it out for signature. An
// organization has at most one BAA and one DPA: a second one of a type is
// a 400 on attr "document_type". A BAA without a qualifying add-on is a
// 403.
//
// API: POST /api/organizations/{organization_id}/legal_documents/ (scope legal_document:write)
func (s *LegalDocumentsService) Create(ctx context.Context, org OrganizationID, doc *LegalDocumentCreate) (*LegalDocument, error) {
	return send[LegalDocument](ctx, s.client, http.MethodPost, at("organizations", org, "legal_documents").check(doc.validate()), doc)
}

// Delete deletes an unsigned legal document after voiding its signing
// envelope, which frees its type for a new document. A signed document
// cannot be deleted (403). When the envelope cannot be voided PostHog
// answers 503 (code legal_document_void_failed) and keeps the document; the
// call is safe to repeat.
//
// API: DELETE /api/organizations/{organization_id}/legal_documents/{id}/ (scope legal_document:write)
func (s *LegalDocumentsService) Delete(ctx context.Context, org OrganizationID, id LegalDocumentID) error {
	return del(ctx, s.client, at("organizations", org, "legal_documents", id))
}

// DownloadURL returns the short-lived presigned object-storage URL of the
// signed document's PDF. PostHog answers the download endpoint with a 302
// to it; the client reads the redirect without following it, so nothing is
// sent to the storage host. The URL carries a signature that grants access
// to the document for about 60 seconds: treat it as a secret and fetch it
// at once (or use Download), asking again each time. PostHog answers 404
// while the document is not signed yet.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// WithLegacyUnscopedKey sends it for a self-hosted PostHog older than
// migration 1052, where a legacy key without scopes gets through.
//
// API: GET /api/organizations/{organization_id}/legal_documents/{id}/download/ (scope none; personal API keys rejected)
func (s *LegalDocumentsService) DownloadURL(ctx context.Context, org OrganizationID, id LegalDocumentID) (*url.URL, error) {
	rt := at("organizations", org, "legal_documents", id, "download")
	if rt.err != nil {
		return nil, rt.err
	}
	r := &request{method: http.MethodGet, path: rt.path, noRedirect: true}
	status, err := s.client.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if r.location == nil {
		return nil, &DecodeError{StatusCode: status, Method: http.MethodGet, Path: s.client.apiPrefix + rt.path,
			Err: fmt.Errorf("expected a redirect to the document, got %d", status)}
	}
	return r.location, nil
}

// Download writes the signed document's PDF to w and returns the number of
// bytes written. It gets the presigned URL as DownloadURL does, then fetches
// it with a separate plain HTTP client: no API key, no cookies, no
// User-Agent or other headers of this client, no Referer, and no custom
// transport (WithHTTPClient does not apply), so nothing but the URL's own
// signature reaches the storage host. Errors never contain the presigned
// URL. A *StorageError reports an answer from the storage host other than
// 200 (an expired URL is a 403): call Download again.
//
// PostHog requires no scope for this action, which means personal API keys
// are rejected: the call sends nothing and returns an
// *UnsupportedActionError (it matches ErrPersonalAPIKeyNotSupported).
// WithLegacyUnscopedKey sends it for a self-hosted PostHog older than
// migration 1052, where a legacy key without scopes gets through.
//
// API: GET /api/organizations/{organization_id}/legal_documents/{id}/download/ (scope none; personal API keys rejected)
func (s *LegalDocumentsService) Download(ctx context.Context, org OrganizationID, id LegalDocumentID, w io.Writer) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("%w: nil writer", ErrInvalidArgument)
	}
	u, err := s.DownloadURL(ctx, org, id)
	if err != nil {
		return 0, err
	}
	return s.client.fetchPresigned(ctx, u, w)
}

// StorageError is an answer other than 200 from the object storage holding
// a legal document. It never carries the presigned URL nor the answer's
// body (storage errors may echo the signature); Code is the storage
// service's error code when it sent one (such as "AccessDenied").
type StorageError struct {
	// StatusCode is the storage host's HTTP status.
	StatusCode int
	// Code is the storage service's error code, or "" when it gave none.
	Code string
}

// Error describes the failure without the URL.
func (e *StorageError) Error() string {
	s := fmt.Sprintf("posthogapi: GET presigned URL: storage answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	return s
}

// storageTransport carries presigned-URL downloads. It is shared by all
// clients and keeps no idle connections (MaxIdleConnsPerHost < 0 closes
// each connection after use without adding a Connection header; HTTP/2,
// which pools on its own, is off), so downloads leave nothing running
// behind them.
var storageTransport = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = -1
	t.ForceAttemptHTTP2 = false
	t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	return t
}()

var s3CodeRe = regexp.MustCompile(`<Code>([A-Za-z]{1,64})</Code>`)

// fetchPresigned streams u to w with a plain client that carries no
// credentials, and keeps u out of every error and log line.
func (c *Client) fetchPresigned(ctx context.Context, u *url.URL, w io.Writer) (int64, error) {
	const what = "posthogapi: GET presigned URL"
	// Plain http only to loopback (or with WithInsecureHTTP), as for the API.
	checkTarget := func(t *url.URL) error {
		if t.Scheme != "https" && !(t.Scheme == "http" && (c.cfg.allowInsecureHTTP || isLoopback(t.Hostname()))) {
			return fmt.Errorf("refusing scheme %q", t.Scheme)
		}
		if t.User != nil || t.Host == "" {
			return errors.New("not a plain absolute URL")
		}
		return nil
	}
	if err := checkTarget(u); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	hc := &http.Client{
		Transport: storageTransport,
		Timeout:   c.cfg.timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			// net/http would send the presigned URL, signature included,
			// as the Referer of the next hop.
			req.Header.Del("Referer")
			if len(via) >= 3 {
				return errors.New("stopped after 3 redirects")
			}
			if req.URL.Scheme != "https" && via[0].URL.Scheme == "https" {
				return errors.New("refusing a redirect from https to " + req.URL.Scheme)
			}
			return checkTarget(req.URL)
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, fmt.Errorf("%s: building the request failed", what)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if l := c.logger(); l != nil {
		attrs := []slog.Attr{slog.String("method", http.MethodGet), slog.String("target", "presigned URL"), slog.Duration("duration", time.Since(start))}
		if err != nil {
			attrs = append(attrs, slog.String("error", c.redact(storageErr(err).Error())))
		} else {
			attrs = append(attrs, slog.Int("status", resp.StatusCode))
		}
		l.LogAttrs(ctx, slog.LevelDebug, "posthogapi storage request", attrs...)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return 0, fmt.Errorf("%s: %w", what, ctxErr)
		}
		return 0, fmt.Errorf("%s: %w", what, storageErr(err))
	}
	defer closeBody(resp.Body)
	if resp.StatusCode != http.StatusOK {
		se := &StorageError{StatusCode: resp.StatusCode}
		if m := s3CodeRe.FindSubmatch(readCapped(resp.Body, 8<<10)); m != nil {
			se.Code = string(m[1])
		}
		return 0, se
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("%s: reading the document after %d bytes: %w", what, n, storageErr(err))
	}
	return n, nil
}

// storageErr strips the URL (and with it the signature) from a net/http
// error, keeping what went wrong.
func storageErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "(presigned URL)", Err: storageErr(ue.Err)}
	}
	return err
}
