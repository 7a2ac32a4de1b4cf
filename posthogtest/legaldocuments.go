package posthogtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func registerLegalDocuments(s *Server) {
	const base = "/api/organizations/{organization_id}/legal_documents/"
	s.routeViewSet(base, viewSet{scopeObject: "legal_document",
		list: handleLegalDocumentList, create: handleLegalDocumentCreate,
		retrieve: handleLegalDocumentGet, destroy: handleLegalDocumentDelete})
	s.route("GET "+base+"{id}/download/{$}", noScope, handleLegalDocumentDownload)
	// The built-in object storage that download redirects to when no
	// storage URL is configured. It takes no credentials, only the URL's
	// signature, like a presigned S3 URL.
	// serveHTTP appends the trailing slash PostHog routes take as optional.
	s.mux.HandleFunc("GET "+builtinStoragePrefix+"legal-documents/{org}/{file}/{$}", handleBuiltinStorage)
}

// builtinStoragePrefix is the path of the server's own object storage.
const builtinStoragePrefix = "/_storage/"

// presignedExpiry is how long a download URL stays valid (PostHog: ~60 s).
const presignedExpiry = 60 * time.Second

type legalState struct {
	docs       map[uuid.UUID][]*legalDoc // by organization, oldest first
	baaAddon   map[uuid.UUID]bool
	storageURL string
	secret     []byte
}

type legalDoc struct {
	id                          uuid.UUID
	docType                     string
	companyName, companyAddress string
	repName, repTitle, repEmail string
	dpaMode                     string
	status                      string
	createdBy                   *user
	createdAt, updatedAt        time.Time
}

func (st *legalState) orgDocs(o uuid.UUID) []*legalDoc {
	if st.docs == nil {
		st.docs = map[uuid.UUID][]*legalDoc{}
	}
	return st.docs[o]
}

// WithLegalDocumentStorage makes legal document downloads redirect to
// presigned URLs under baseURL (such as an httptest server standing in for
// S3) instead of the server's own storage.
func WithLegalDocumentStorage(baseURL string) Option {
	return func(s *Server) { s.areas.legal.storageURL = strings.TrimSuffix(baseURL, "/") }
}

// SetLegalDocumentStorage sets the storage base URL downloads redirect to,
// as WithLegalDocumentStorage does; "" restores the server's own storage.
func (s *Server) SetLegalDocumentStorage(baseURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.areas.legal.storageURL = strings.TrimSuffix(baseURL, "/")
}

// GrantBAAAddon gives the organization the add-on PostHog requires before
// it accepts a BAA (without it, creating a BAA is a 403).
func (s *Server) GrantBAAAddon(orgID posthogapi.OrganizationID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.areas.legal
	if st.baaAddon == nil {
		st.baaAddon = map[uuid.UUID]bool{}
	}
	st.baaAddon[uuid.UUID(orgID)] = true
}

// SignLegalDocument marks a legal document signed, as the signing
// service's webhook does; from then on it can be downloaded and no longer
// deleted. It panics if there is no such document (a mistake in the test).
func (s *Server) SignLegalDocument(orgID posthogapi.OrganizationID, id posthogapi.LegalDocumentID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.areas.legal.orgDocs(uuid.UUID(orgID)) {
		if posthogapi.LegalDocumentID(d.id) == id {
			d.status = "signed"
			d.updatedAt = s.now()
			return
		}
	}
	panic(fmt.Sprintf("posthogtest: no legal document %s in organization %s", id, orgID))
}

// LegalDocumentPDF returns the bytes the server's own storage serves for a
// signed document.
func LegalDocumentPDF(orgID posthogapi.OrganizationID, id posthogapi.LegalDocumentID) []byte {
	return []byte(fmt.Sprintf("%%PDF-1.4\n%% posthogtest legal document %s of organization %s\n%%%%EOF\n", id, orgID))
}

// LegalDocumentObjectPath is the path, below the storage base URL, of a
// document's PDF in object storage.
func LegalDocumentObjectPath(orgID posthogapi.OrganizationID, id posthogapi.LegalDocumentID) string {
	return "/legal-documents/" + orgID.String() + "/" + id.String() + ".pdf"
}

func legalDocJSON(d *legalDoc) map[string]any {
	var createdBy any
	if d.createdBy != nil {
		createdBy = map[string]any{"first_name": d.createdBy.firstName, "email": d.createdBy.email}
	}
	return map[string]any{
		"id": d.id, "document_type": d.docType, "company_name": d.companyName,
		"company_address": d.companyAddress, "representative_name": d.repName,
		"representative_title": d.repTitle, "representative_email": d.repEmail,
		"dpa_mode": d.dpaMode, "status": d.status, "signed_document_url": "",
		"created_by": createdBy, "created_at": d.createdAt, "updated_at": d.updatedAt,
	}
}

// legalOrg resolves the organization and checks the caller is an admin or
// owner, which PostHog requires for every legal document action.
func (rc *reqCtx) legalOrg() *org {
	o, me := rc.orgFromPath()
	if o == nil || !rc.requireLevel(me, LevelAdmin) {
		return nil
	}
	return o
}

// PostHog: products/legal_documents/backend/presentation/views.py
// (documents of the organization; a non-UUID id is a 404).
func (rc *reqCtx) legalDocFromPath(o *org) *legalDoc {
	return fromPath(rc, "id", func(id uuid.UUID) *legalDoc {
		for _, d := range rc.s.areas.legal.orgDocs(o.id) {
			if d.id == id {
				return d
			}
		}
		return nil
	})
}

func handleLegalDocumentList(rc *reqCtx) {
	o := rc.legalOrg()
	if o == nil {
		return
	}
	docs := rc.s.areas.legal.orgDocs(o.id)
	out := []map[string]any{}
	for i := len(docs) - 1; i >= 0; i-- { // newest first
		out = append(out, legalDocJSON(docs[i]))
	}
	page(rc, out)
}

// PostHog: products/legal_documents/backend/presentation/views.py create
// and its serializers.py (document types, DPA fields, the BAA add-on, one
// document per type).
func handleLegalDocumentCreate(rc *reqCtx) {
	o := rc.legalOrg()
	if o == nil {
		return
	}
	f := rc.fields()
	if f == nil {
		return
	}
	d := &legalDoc{status: "submitted_for_signature", createdBy: rc.user}
	var ok bool
	if d.docType, ok = rc.stringField(f, "document_type", true, 0); !ok {
		return
	}
	if d.docType != "BAA" && d.docType != "DPA" {
		rc.invalid("invalid_choice", `"`+d.docType+`" is not a valid choice.`, "document_type")
		return
	}
	if d.companyName, ok = rc.stringField(f, "company_name", true, 255); !ok {
		return
	}
	if !rc.optString(f, "company_address", 512, &d.companyAddress) ||
		!rc.optString(f, "representative_name", 255, &d.repName) ||
		!rc.optString(f, "representative_title", 255, &d.repTitle) {
		return
	}
	if d.repEmail, ok = rc.stringField(f, "representative_email", true, 254); !ok {
		return
	}
	if a, err := mail.ParseAddress(d.repEmail); err != nil || a.Address != d.repEmail || a.Name != "" {
		rc.invalid("invalid", "Enter a valid email address.", "representative_email")
		return
	}
	if !rc.optString(f, "dpa_mode", 16, &d.dpaMode) {
		return
	}
	st := &rc.s.areas.legal
	switch d.docType {
	case "BAA":
		if !st.baaAddon[o.id] {
			rc.forbidden("A Boost, Scale, or Enterprise add-on is required to generate a BAA.")
			return
		}
		d.dpaMode = ""
	case "DPA":
		if strings.TrimSpace(d.companyAddress) == "" {
			rc.invalid("invalid", "Company address is required for a DPA.", "company_address")
			return
		}
		if d.dpaMode != "" && d.dpaMode != "pretty" && d.dpaMode != "lawyer" {
			rc.invalid("invalid", "Pick 'pretty' or 'lawyer' to submit. 'fairytale' and 'tswift' are preview-only.", "dpa_mode")
			return
		}
	}
	docs := st.orgDocs(o.id)
	for _, x := range docs {
		if x.docType == d.docType {
			rc.invalid("invalid", "Your organization already has a "+d.docType+". Contact support if you need a new one.", "document_type")
			return
		}
	}
	d.id = rc.s.newID()
	d.createdAt = rc.s.now()
	d.updatedAt = d.createdAt
	st.docs[o.id] = append(docs, d)
	rc.json(http.StatusCreated, legalDocJSON(d))
}

func handleLegalDocumentGet(rc *reqCtx) {
	if _, d := adminOrgItem(rc, (*reqCtx).legalDocFromPath); d != nil {
		rc.json(http.StatusOK, legalDocJSON(d))
	}
}

// PostHog: products/legal_documents/backend/presentation/views.py destroy
// (signed documents are kept).
func handleLegalDocumentDelete(rc *reqCtx) {
	o, d := adminOrgItem(rc, (*reqCtx).legalDocFromPath)
	if d == nil {
		return
	}
	if d.status == "signed" {
		rc.forbidden("Signed documents can't be deleted from the UI. Contact PostHog support if you need to remove a signed record.")
		return
	}
	st := &rc.s.areas.legal
	docs := st.orgDocs(o.id)
	for i, x := range docs {
		if x == d {
			st.docs[o.id] = append(docs[:i:i], docs[i+1:]...)
			break
		}
	}
	rc.noContent()
}

// PostHog: products/legal_documents/backend/presentation/views.py download
// (a 302 to a presigned URL).
func handleLegalDocumentDownload(rc *reqCtx) {
	o, d := adminOrgItem(rc, (*reqCtx).legalDocFromPath)
	if d == nil {
		return
	}
	if d.status != "signed" {
		rc.notFound() // still out for signature
		return
	}
	st := &rc.s.areas.legal
	base := st.storageURL
	if base == "" {
		base = "http://" + rc.r.Host + strings.TrimSuffix(builtinStoragePrefix, "/")
	}
	obj := LegalDocumentObjectPath(posthogapi.OrganizationID(o.id), posthogapi.LegalDocumentID(d.id))
	date := rc.s.now().UTC().Format("20060102T150405Z")
	q := url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {"POSTHOGTEST/" + date[:8] + "/us-east-1/s3/aws4_request"},
		"X-Amz-Date":          {date},
		"X-Amz-Expires":       {fmt.Sprint(int(presignedExpiry.Seconds()))},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {rc.s.storageSignature(obj, date)},
	}
	rc.w.Header().Set("Location", base+obj+"?"+q.Encode())
	rc.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rc.w.WriteHeader(http.StatusFound)
}

// storageSignature signs an object path and date with the server's
// storage secret. Callers hold s.mu.
func (s *Server) storageSignature(obj, date string) string {
	st := &s.areas.legal
	if st.secret == nil {
		st.secret = []byte(s.newSecret("storage-"))
	}
	m := hmac.New(sha256.New, st.secret)
	m.Write([]byte(obj + "\n" + date))
	return hex.EncodeToString(m.Sum(nil))
}

func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, message)
}

// handleBuiltinStorage serves signed PDFs to presigned URLs, checking the
// signature and expiry as S3 does and ignoring any credentials.
func handleBuiltinStorage(w http.ResponseWriter, r *http.Request) {
	rc := r.Context().Value(reqCtxKey{}).(*reqCtx)
	s := rc.s
	orgID, err1 := uuid.Parse(r.PathValue("org"))
	id, err2 := uuid.Parse(strings.TrimSuffix(r.PathValue("file"), ".pdf"))
	if err1 != nil || err2 != nil || !strings.HasSuffix(r.PathValue("file"), ".pdf") {
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	obj := LegalDocumentObjectPath(posthogapi.OrganizationID(orgID), posthogapi.LegalDocumentID(id))
	q := r.URL.Query()
	date := q.Get("X-Amz-Date")
	want := s.storageSignature(obj, date)
	if !hmac.Equal([]byte(q.Get("X-Amz-Signature")), []byte(want)) {
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	signedAt, err := time.Parse("20060102T150405Z", date)
	if err != nil || s.now().After(signedAt.Add(presignedExpiry)) {
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}
	for _, d := range s.areas.legal.orgDocs(orgID) {
		if d.id == id && d.status == "signed" {
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write(LegalDocumentPDF(posthogapi.OrganizationID(orgID), posthogapi.LegalDocumentID(id)))
			return
		}
	}
	writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
}
