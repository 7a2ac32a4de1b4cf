package posthogapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	legalOrg = uuid.MustParse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
	legalID  = uuid.MustParse("0190a1b2-0000-7000-8000-0000000e0001")
)

// legalDocOld is the answer shape of servers with the full DTO (created_by
// is a user ID).
const legalDocOld = `{
	"id": "0190a1b2-0000-7000-8000-0000000e0001",
	"document_type": "DPA",
	"company_name": "Hedgehogs Ltd",
	"company_address": "1 Spiny Way, London",
	"representative_name": "Hattie Hog",
	"representative_title": "CEO",
	"representative_email": "hattie@example.com",
	"dpa_mode": "lawyer",
	"status": "submitted_for_signature",
	"signed_document_url": "",
	"created_by": 42,
	"created_at": "2025-06-01T10:00:00Z",
	"updated_at": "2025-06-02T10:00:00Z"
}`

// legalDocNew is the answer shape of newer servers (created_by is an
// object; fewer fields).
const legalDocNew = `{
	"id": "0190a1b2-0000-7000-8000-0000000e0002",
	"document_type": "BAA",
	"company_name": "Hedgehogs Ltd",
	"representative_name": "Hattie Hog",
	"representative_email": "hattie@example.com",
	"status": "signed",
	"signed_document_url": "",
	"created_by": {"first_name": "Olive", "email": "owner@example.com"},
	"created_at": "2025-06-03T10:00:00Z"
}`

func legalURL(rest string) string { return api(legalOrg.String() + "/legal_documents/" + rest) }

func checkLegalDocOld(t *testing.T, d *LegalDocument) {
	t.Helper()
	if d.ID != LegalDocumentID(legalID) || d.DocumentType != LegalDocumentDPA || d.CompanyName != "Hedgehogs Ltd" ||
		d.CompanyAddress != "1 Spiny Way, London" || d.RepresentativeName != "Hattie Hog" ||
		d.RepresentativeTitle != "CEO" || d.RepresentativeEmail != "hattie@example.com" ||
		d.DPAMode != DPAModeLawyer || d.Status != LegalDocumentSubmittedForSignature {
		t.Errorf("document = %+v", d)
	}
	if d.CreatedBy == nil || d.CreatedBy.ID == nil || *d.CreatedBy.ID != 42 || d.CreatedBy.Email != "" {
		t.Errorf("created_by = %+v", d.CreatedBy)
	}
	if !d.CreatedAt.Equal(time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)) || !d.UpdatedAt.Equal(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("times = %v %v", d.CreatedAt, d.UpdatedAt)
	}
}

func TestLegalDocumentsListAllGet(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	page := `{"count": 2, "next": null, "previous": null, "results": [` + legalDocOld + `,` + legalDocNew + `]}`
	mt.RegisterResponder(http.MethodGet, legalURL(""), respond(t, 200, page, "limit=5", ""))
	mt.RegisterResponder(http.MethodGet, legalURL(legalID.String()+"/"), respond(t, 200, legalDocOld, "", ""))

	p, err := c.LegalDocuments.List(ctx, OrganizationID(legalOrg), &ListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 2 || len(p.Results) != 2 {
		t.Fatalf("page = %+v", p)
	}
	checkLegalDocOld(t, &p.Results[0])
	n := p.Results[1]
	if n.DocumentType != LegalDocumentBAA || n.Status != LegalDocumentSigned || n.CompanyAddress != "" || !n.UpdatedAt.IsZero() {
		t.Errorf("new-shape document = %+v", n)
	}
	if n.CreatedBy == nil || n.CreatedBy.ID != nil || n.CreatedBy.FirstName != "Olive" || n.CreatedBy.Email != "owner@example.com" {
		t.Errorf("new-shape created_by = %+v", n.CreatedBy)
	}
	count := 0
	for d, err := range c.LegalDocuments.All(ctx, OrganizationID(legalOrg), &ListOptions{Limit: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		if count == 0 {
			checkLegalDocOld(t, d)
		}
		count++
	}
	if count != 2 {
		t.Errorf("All yielded %d", count)
	}
	d, err := c.LegalDocuments.Get(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID))
	if err != nil {
		t.Fatal(err)
	}
	checkLegalDocOld(t, d)
}

func TestLegalDocumentCreatedByNull(t *testing.T) {
	var d LegalDocument
	if err := decodeJSON(strings.NewReader(`{"created_by": null}`), &d); err != nil || d.CreatedBy != nil {
		t.Fatalf("%+v %v", d.CreatedBy, err)
	}
	if err := decodeJSON(strings.NewReader(`{"created_by": "x"}`), &d); err == nil {
		t.Fatal("a string created_by decoded")
	}
}

func TestLegalDocumentCreateDelete(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, legalURL(""), respond(t, 201, legalDocOld, "",
		`{"document_type": "DPA", "company_name": "Hedgehogs Ltd", "company_address": "1 Spiny Way, London",
		  "representative_name": "Hattie Hog", "representative_title": "CEO",
		  "representative_email": "hattie@example.com", "dpa_mode": "lawyer"}`))
	d, err := c.LegalDocuments.Create(ctx, OrganizationID(legalOrg), &LegalDocumentCreate{
		DocumentType: LegalDocumentDPA, CompanyName: "Hedgehogs Ltd", CompanyAddress: "1 Spiny Way, London",
		RepresentativeName: "Hattie Hog", RepresentativeTitle: "CEO",
		RepresentativeEmail: "hattie@example.com", DPAMode: DPAModeLawyer,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkLegalDocOld(t, d)

	// Optional fields left empty are not sent.
	mt.RegisterResponder(http.MethodPost, legalURL(""), respond(t, 201, legalDocNew, "",
		`{"document_type": "BAA", "company_name": "Hedgehogs Ltd", "representative_email": "hattie@example.com"}`))
	if _, err := c.LegalDocuments.Create(ctx, OrganizationID(legalOrg), &LegalDocumentCreate{
		DocumentType: LegalDocumentBAA, CompanyName: "Hedgehogs Ltd", RepresentativeEmail: "hattie@example.com",
	}); err != nil {
		t.Fatal(err)
	}

	deletes := 0
	status, body := 204, ""
	mt.RegisterResponder(http.MethodDelete, legalURL(legalID.String()+"/"), func(req *http.Request) (*http.Response, error) {
		deletes++
		return respond(t, status, body, "", "")(req)
	})
	if err := c.LegalDocuments.Delete(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID)); err != nil {
		t.Fatal(err)
	}
	status, body = 403, `{"type": "authentication_error", "code": "permission_denied", "detail": "Signed documents can't be deleted from the UI. Contact PostHog support if you need to remove a signed record.", "attr": null}`
	if err := c.LegalDocuments.Delete(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID)); !errors.Is(err, ErrPermissionDenied) || errors.Is(err, ErrMissingScope) {
		t.Fatalf("signed delete: %v", err)
	}
	if deletes != 2 {
		t.Errorf("DELETE sent %d times", deletes)
	}
}

func TestLegalDocumentCreateValidation(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	good := func() *LegalDocumentCreate {
		return &LegalDocumentCreate{DocumentType: LegalDocumentDPA, CompanyName: "Co", CompanyAddress: "Street 1",
			RepresentativeEmail: "rep@example.com", DPAMode: DPAModePretty}
	}
	if err := good().validate(); err != nil {
		t.Fatalf("valid document rejected: %v", err)
	}
	cases := map[string]func(d *LegalDocumentCreate){
		"bad type":          func(d *LegalDocumentCreate) { d.DocumentType = "NDA" },
		"lower-case type":   func(d *LegalDocumentCreate) { d.DocumentType = "dpa" },
		"empty company":     func(d *LegalDocumentCreate) { d.CompanyName = "" },
		"long company":      func(d *LegalDocumentCreate) { d.CompanyName = strings.Repeat("x", 256) },
		"DPA no address":    func(d *LegalDocumentCreate) { d.CompanyAddress = " " },
		"long address":      func(d *LegalDocumentCreate) { d.CompanyAddress = strings.Repeat("x", 513) },
		"long rep name":     func(d *LegalDocumentCreate) { d.RepresentativeName = strings.Repeat("x", 256) },
		"long rep title":    func(d *LegalDocumentCreate) { d.RepresentativeTitle = strings.Repeat("x", 256) },
		"no email":          func(d *LegalDocumentCreate) { d.RepresentativeEmail = "" },
		"bad email":         func(d *LegalDocumentCreate) { d.RepresentativeEmail = "rep.example.com" },
		"preview-only mode": func(d *LegalDocumentCreate) { d.DPAMode = "tswift" },
		"unknown mode":      func(d *LegalDocumentCreate) { d.DPAMode = "fairytale" },
	}
	for name, mutate := range cases {
		d := good()
		mutate(d)
		if _, err := c.LegalDocuments.Create(ctx, OrganizationID(legalOrg), d); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// A BAA needs no address.
	baa := good()
	baa.DocumentType, baa.CompanyAddress, baa.DPAMode = LegalDocumentBAA, "", ""
	if err := baa.validate(); err != nil {
		t.Errorf("BAA without address rejected: %v", err)
	}
	others := map[string]error{
		"nil doc": func() error { _, err := c.LegalDocuments.Create(ctx, OrganizationID(legalOrg), nil); return err }(),
		"nil org": func() error { _, err := c.LegalDocuments.Create(ctx, OrganizationID(uuid.Nil), good()); return err }(),
		"get nil id": func() error {
			_, err := c.LegalDocuments.Get(ctx, OrganizationID(legalOrg), LegalDocumentID(uuid.Nil))
			return err
		}(),
		"delete nil": c.LegalDocuments.Delete(ctx, OrganizationID(legalOrg), LegalDocumentID(uuid.Nil)),
		"url nil id": func() error {
			_, err := c.LegalDocuments.DownloadURL(ctx, OrganizationID(legalOrg), LegalDocumentID(uuid.Nil))
			return err
		}(),
		"nil writer": func() error {
			_, err := c.LegalDocuments.Download(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID), nil)
			return err
		}(),
		"list nil org": func() error { _, err := c.LegalDocuments.List(ctx, OrganizationID(uuid.Nil), nil); return err }(),
		"all nil org": func() error {
			for _, err := range c.LegalDocuments.All(ctx, OrganizationID(uuid.Nil), nil) {
				return err
			}
			return nil
		}(),
	}
	for name, err := range others {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

const testSignature = "f00dfeedcafe0123456789abcdef0123456789abcdef0123456789abcdef0123"

// presigned returns a presigned-looking URL under base.
func presigned(base, path string) string {
	q := url.Values{
		"X-Amz-Algorithm":  {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential": {"AKIAEXAMPLE/20250601/us-east-1/s3/aws4_request"},
		"X-Amz-Date":       {"20250601T100000Z"},
		"X-Amz-Expires":    {"60"},
		"X-Amz-Signature":  {testSignature},
	}
	return base + path + "?" + q.Encode()
}

// storageHost is a loopback stand-in for object storage that records
// every request it gets.
type storageHost struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newStorageHost(t *testing.T, h http.HandlerFunc) *storageHost {
	t.Helper()
	sh := &storageHost{}
	sh.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sh.mu.Lock()
		sh.reqs = append(sh.reqs, r.Clone(context.Background()))
		sh.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(sh.Close)
	return sh
}

// base is the server's URL with "localhost" for the host, so that the
// storage host differs from any 127.0.0.1 API host by name, not only port.
func (sh *storageHost) base() string { return strings.Replace(sh.URL, "127.0.0.1", "localhost", 1) }

func (sh *storageHost) requests() []*http.Request {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]*http.Request(nil), sh.reqs...)
}

// assertCleanStorageRequest fails unless r carries only what a plain Go
// client sends: no credentials, cookies, Referer or headers of ours.
func assertCleanStorageRequest(t *testing.T, r *http.Request) {
	t.Helper()
	for k, v := range r.Header {
		switch k {
		case "User-Agent":
			if strings.Contains(strings.ToLower(v[0]), "posthogapi") {
				t.Errorf("storage got our User-Agent %q", v[0])
			}
		case "Accept-Encoding":
		default:
			t.Errorf("storage got header %s: %q", k, v)
		}
	}
	for _, h := range []string{"Authorization", "Cookie", "Referer", "Accept", "Content-Type"} {
		if r.Header.Get(h) != "" {
			t.Errorf("storage got %s", h)
		}
	}
	if strings.Contains(r.URL.RawQuery, "personal_api_key") || strings.Contains(r.URL.String(), testKey) {
		t.Errorf("key in storage URL %s", r.URL)
	}
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func assertNoPresignedSecret(t *testing.T, what, s string) {
	t.Helper()
	assertNoCanary(t, s)
	for _, secret := range []string{testSignature, "X-Amz-Signature=" + testSignature[:8], "AKIAEXAMPLE", "X-Amz-Credential=A"} {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks %q: %s", what, secret, s)
		}
	}
}

func TestLegalDocumentDownloadURLDoesNotFollow(t *testing.T) {
	c, mt := newMockClient(t)
	loc := presigned("https://storage.example.com", "/docs/x.pdf")
	mt.RegisterResponder(http.MethodGet, legalURL(legalID.String()+"/download/"), func(req *http.Request) (*http.Response, error) {
		if req.Header.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("Authorization = %q", req.Header.Get("Authorization"))
		}
		resp := &http.Response{StatusCode: 302, Header: http.Header{"Location": {loc}}, Body: io.NopCloser(strings.NewReader("")), Request: req}
		return resp, nil
	})
	u, err := c.LegalDocuments.DownloadURL(context.Background(), OrganizationID(legalOrg), LegalDocumentID(legalID))
	if err != nil {
		t.Fatal(err)
	}
	if u.String() != loc {
		t.Errorf("url = %s", u)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests (the redirect must not be followed)", n)
	}
}

func TestLegalDocumentDownloadURLErrors(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	dl := legalURL(legalID.String() + "/download/")
	mt.RegisterResponder(http.MethodGet, dl, respond(t, 403,
		`{"type": "authentication_error", "code": "permission_denied", "detail": "This action does not support Personal API Key access", "attr": null}`, "", ""))
	if _, err := c.LegalDocuments.DownloadURL(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID)); !errors.Is(err, ErrPersonalAPIKeyNotSupported) {
		t.Errorf("PAK: %v", err)
	}
	mt.RegisterResponder(http.MethodGet, dl, respond(t, 404, `{"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": null}`, "", ""))
	if _, err := c.LegalDocuments.Download(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID), io.Discard); !errors.Is(err, ErrNotFound) {
		t.Errorf("unsigned: %v", err)
	}
	mt.RegisterResponder(http.MethodGet, dl, respond(t, 200, `{}`, "", ""))
	var de *DecodeError
	if _, err := c.LegalDocuments.DownloadURL(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID)); !errors.As(err, &de) {
		t.Errorf("200 instead of a redirect: %v", err)
	}
	// A redirect without a usable Location is an error that does not quote it.
	mt.RegisterResponder(http.MethodGet, dl, func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 302, Header: http.Header{"Location": {"https://x/%zz?X-Amz-Signature=" + testSignature}},
			Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
	})
	before := mt.GetTotalCallCount()
	_, err := c.LegalDocuments.DownloadURL(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID))
	if !errors.As(err, &de) {
		t.Fatalf("bad Location: %v", err)
	}
	assertNoPresignedSecret(t, "bad Location error", err.Error())
	if n := mt.GetTotalCallCount() - before; n != 1 {
		t.Errorf("bad Location: %d attempts, want 1", n)
	}
}

func TestLegalDocumentDownloadStreamsWithoutCredentials(t *testing.T) {
	pdf := make([]byte, 3<<20+17)
	if _, err := rand.Read(pdf); err != nil {
		t.Fatal(err)
	}
	copy(pdf, "%PDF-1.7\n")
	var storage *storageHost
	storage = newStorageHost(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/first" {
			// A hop within storage: the next request must carry neither
			// this cookie nor the presigned URL as Referer.
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "storage-cookie"})
			http.Redirect(w, r, storage.base()+"/docs/doc.pdf?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
			return
		}
		if r.URL.Query().Get("X-Amz-Signature") != testSignature {
			w.WriteHeader(403)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(pdf)
	})
	logs := &syncBuffer{}
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	dl := legalURL(legalID.String() + "/download/")
	mt.RegisterResponder(http.MethodGet, dl, func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 302, Header: http.Header{"Location": {presigned(storage.base(), "/first")}},
			Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
	})

	var got bytes.Buffer
	n, err := c.LegalDocuments.Download(context.Background(), OrganizationID(legalOrg), LegalDocumentID(legalID), &got)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(pdf)) || !bytes.Equal(got.Bytes(), pdf) {
		t.Fatalf("got %d bytes (n=%d), want %d intact", got.Len(), n, len(pdf))
	}
	reqs := storage.requests()
	if len(reqs) != 2 {
		t.Fatalf("storage saw %d requests", len(reqs))
	}
	for _, r := range reqs {
		assertCleanStorageRequest(t, r)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Errorf("API saw %d requests", mt.GetTotalCallCount())
	}
	out := logs.String()
	if !strings.Contains(out, "presigned URL") || !strings.Contains(out, "status=200") {
		t.Errorf("storage fetch not logged: %s", out)
	}
	if !strings.Contains(out, "status=302") {
		t.Errorf("API request not logged: %s", out)
	}
	assertNoPresignedSecret(t, "logs", out)
	if strings.Contains(out, "localhost") || strings.Contains(out, "/first") {
		t.Errorf("logs name the storage URL: %s", out)
	}
}

func TestLegalDocumentDownloadStorageErrorsHideURL(t *testing.T) {
	storage := newStorageHost(t, func(w http.ResponseWriter, r *http.Request) {
		// S3 echoes the signature in SignatureDoesNotMatch errors.
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(403)
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code>`+
			`<Message>The request signature we calculated does not match</Message><AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId>`+
			`<SignatureProvided>`+testSignature+`</SignatureProvided></Error>`)
	})
	closed := httptest.NewServer(http.NotFoundHandler())
	closedBase := closed.URL
	closed.Close()

	logs := &syncBuffer{}
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	dl := legalURL(legalID.String() + "/download/")
	target := ""
	mt.RegisterResponder(http.MethodGet, dl, func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 302, Header: http.Header{"Location": {target}},
			Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
	})
	ctx := context.Background()

	target = presigned(storage.base(), "/docs/doc.pdf")
	var w bytes.Buffer
	_, err := c.LegalDocuments.Download(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID), &w)
	var se *StorageError
	if !errors.As(err, &se) || se.StatusCode != 403 || se.Code != "SignatureDoesNotMatch" {
		t.Fatalf("storage 403: %v", err)
	}
	if w.Len() != 0 {
		t.Errorf("error body written to w: %q", w.String())
	}
	assertNoPresignedSecret(t, "storage 403 error", err.Error())
	assertCleanStorageRequest(t, storage.requests()[0])

	// Nothing listening: the transport error names no URL.
	target = presigned(closedBase, "/docs/doc.pdf")
	_, err = c.LegalDocuments.Download(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID), &w)
	if err == nil {
		t.Fatal("download from a closed server succeeded")
	}
	assertNoPresignedSecret(t, "connection error", err.Error())
	if strings.Contains(err.Error(), "/docs/doc.pdf") {
		t.Errorf("error names the object: %v", err)
	}

	// Plain http off loopback is refused before anything is sent.
	target = presigned("http://storage.example.com", "/docs/doc.pdf")
	if _, err = c.LegalDocuments.Download(ctx, OrganizationID(legalOrg), LegalDocumentID(legalID), &w); err == nil || !strings.Contains(err.Error(), "refusing scheme") {
		t.Fatalf("http storage: %v", err)
	}
	assertNoPresignedSecret(t, "scheme error", err.Error())

	// A canceled context is reported as such.
	cctx, cancel := context.WithCancel(ctx)
	slow := newStorageHost(t, func(w http.ResponseWriter, r *http.Request) { cancel(); <-r.Context().Done() })
	target = presigned(slow.base(), "/docs/doc.pdf")
	if _, err = c.LegalDocuments.Download(cctx, OrganizationID(legalOrg), LegalDocumentID(legalID), &w); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	assertNoPresignedSecret(t, "cancel error", err.Error())

	assertNoPresignedSecret(t, "logs", logs.String())
	if mt.GetTotalCallCount() != 4 {
		t.Errorf("API saw %d requests", mt.GetTotalCallCount())
	}
}
