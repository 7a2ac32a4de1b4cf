package posthogapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func dpa() *posthogapi.LegalDocumentCreate {
	return &posthogapi.LegalDocumentCreate{
		DocumentType: posthogapi.LegalDocumentDPA, CompanyName: "Hedgehogs Ltd",
		CompanyAddress: "1 Spiny Way, London", RepresentativeName: "Hattie Hog",
		RepresentativeTitle: "CEO", RepresentativeEmail: "hattie@example.com", DPAMode: posthogapi.DPAModePretty,
	}
}

func TestLegalDocumentsE2E(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "legal_document:write")
	org := srv.DefaultOrganization().ID

	d, err := c.LegalDocuments.Create(ctx, org, dpa())
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == posthogapi.LegalDocumentID(uuid.Nil) || d.DocumentType != posthogapi.LegalDocumentDPA || d.Status != posthogapi.LegalDocumentSubmittedForSignature ||
		d.CompanyAddress != "1 Spiny Way, London" || d.DPAMode != posthogapi.DPAModePretty || d.CreatedAt.IsZero() {
		t.Fatalf("created = %+v", d)
	}
	if d.CreatedBy == nil || d.CreatedBy.Email != "owner@example.com" {
		t.Errorf("created_by = %+v", d.CreatedBy)
	}

	// One DPA per organization.
	_, err = c.LegalDocuments.Create(ctx, org, dpa())
	var ae *posthogapi.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Attr != "document_type" || !strings.Contains(ae.Detail, "already has a DPA") {
		t.Fatalf("second DPA: %v", err)
	}
	// A BAA needs the add-on.
	baa := &posthogapi.LegalDocumentCreate{DocumentType: posthogapi.LegalDocumentBAA, CompanyName: "Hedgehogs Ltd",
		CompanyAddress: "1 Spiny Way", RepresentativeEmail: "hattie@example.com"}
	if _, err := c.LegalDocuments.Create(ctx, org, baa); !errors.Is(err, posthogapi.ErrPermissionDenied) || !strings.Contains(err.Error(), "add-on") {
		t.Fatalf("BAA without add-on: %v", err)
	}
	srv.GrantBAAAddon(org)
	b, err := c.LegalDocuments.Create(ctx, org, baa)
	if err != nil || b.DocumentType != posthogapi.LegalDocumentBAA {
		t.Fatalf("BAA: %+v %v", b, err)
	}
	if _, err := c.LegalDocuments.Create(ctx, org, baa); !errors.As(err, &ae) || ae.Attr != "document_type" {
		t.Fatalf("second BAA: %v", err)
	}

	// Read back and list (newest first).
	got, err := c.LegalDocuments.Get(ctx, org, d.ID)
	if err != nil || got.ID != d.ID || got.RepresentativeEmail != "hattie@example.com" {
		t.Fatalf("get: %+v %v", got, err)
	}
	p, err := c.LegalDocuments.List(ctx, org, nil)
	if err != nil || p.Count != 2 || p.Results[0].ID != b.ID || p.Results[1].ID != d.ID {
		t.Fatalf("list: %+v %v", p, err)
	}
	n := 0
	for doc, err := range c.LegalDocuments.All(ctx, org, &posthogapi.ListOptions{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if doc.ID != b.ID && doc.ID != d.ID {
			t.Errorf("unexpected %s", doc.ID)
		}
		n++
	}
	if n != 2 {
		t.Errorf("All yielded %d", n)
	}

	// Delete an unsigned document; its type is free again.
	if err := c.LegalDocuments.Delete(ctx, org, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LegalDocuments.Get(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := c.LegalDocuments.Delete(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.LegalDocuments.Create(ctx, org, dpa()); err != nil {
		t.Fatalf("DPA after deleting the first: %v", err)
	}

	// A signed document cannot be deleted.
	srv.SignLegalDocument(org, b.ID)
	if got, _ := c.LegalDocuments.Get(ctx, org, b.ID); got.Status != posthogapi.LegalDocumentSigned {
		t.Errorf("status after signing = %q", got.Status)
	}
	if err := c.LegalDocuments.Delete(ctx, org, b.ID); !errors.Is(err, posthogapi.ErrPermissionDenied) || !strings.Contains(err.Error(), "Signed documents") {
		t.Errorf("delete signed: %v", err)
	}
}

func TestLegalDocumentsE2EServerValidation(t *testing.T) {
	srv := e2eStart(t)
	org := srv.DefaultOrganization().ID
	key := srv.NewAPIKey("legal_document:write")
	post := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/organizations/"+org.String()+"/legal_documents/", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct{ body, attr string }{
		{`{"document_type": "NDA", "company_name": "C", "representative_email": "a@b.co"}`, `"attr":"document_type"`},
		{`{"document_type": "DPA", "company_name": "C", "representative_email": "a@b.co"}`, `"attr":"company_address"`},
		{`{"document_type": "DPA", "company_name": "C", "company_address": "A", "representative_email": "a@b.co", "dpa_mode": "tswift"}`, `"attr":"dpa_mode"`},
		{`{"document_type": "DPA", "company_name": "C", "company_address": "A", "representative_email": "nope"}`, `"attr":"representative_email"`},
		{`{"document_type": "DPA", "company_address": "A", "representative_email": "a@b.co"}`, `"attr":"company_name"`},
	} {
		if status, body := post(tc.body); status != 400 || !strings.Contains(body, tc.attr) {
			t.Errorf("%s: %d %s", tc.body, status, body)
		}
	}
}

func TestLegalDocumentsE2EPermissions(t *testing.T) {
	ctx := context.Background()
	srv, c := newServerClient(t, "legal_document:write")
	org := srv.DefaultOrganization().ID
	d, err := c.LegalDocuments.Create(ctx, org, dpa())
	if err != nil {
		t.Fatal(err)
	}
	ro, _ := srv.Client(srv.NewAPIKey("legal_document:read"))
	if _, err := ro.LegalDocuments.Get(ctx, org, d.ID); err != nil {
		t.Fatal(err)
	}
	var se *posthogapi.ScopeError
	if err := ro.LegalDocuments.Delete(ctx, org, d.ID); !errors.As(err, &se) || se.Scope != "legal_document:write" {
		t.Errorf("read-only delete: %v", err)
	}
	other, _ := srv.Client(srv.NewAPIKey("organization:read"))
	if _, err := other.LegalDocuments.List(ctx, org, nil); !errors.As(err, &se) || se.Scope != "legal_document:read" {
		t.Errorf("list without scope: %v", err)
	}
	// Admins only, reads included.
	mo := srv.AddUser(posthogtest.UserSeed{Email: "mo@example.com"})
	srv.AddMember(org, mo.UUID, posthogtest.LevelMember)
	member, _ := srv.Client(srv.NewAPIKeyFor(mo.UUID, "legal_document:write"))
	if _, err := member.LegalDocuments.List(ctx, org, nil); !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.Is(err, posthogapi.ErrMissingScope) {
		t.Errorf("member list: %v", err)
	}
}

type recordingStorage struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
	status  int
	body    []byte
}

func newRecordingStorage(t *testing.T, body []byte) *recordingStorage {
	rs := &recordingStorage{status: 200, body: body}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		rs.headers = append(rs.headers, r.Header.Clone())
		status := rs.status
		rs.mu.Unlock()
		if r.URL.Query().Get("X-Amz-Signature") == "" {
			status = 403
		}
		if status != 200 {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Signature>"+r.URL.Query().Get("X-Amz-Signature")+"</X-Amz-Signature></Error>")
			return
		}
		_, _ = w.Write(rs.body)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *recordingStorage) seen() []http.Header {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]http.Header(nil), rs.headers...)
}

func TestLegalDocumentsE2EDownload(t *testing.T) {
	ctx := context.Background()
	srv := e2eStart(t, posthogtest.LegacyUnscopedKeys())
	org := srv.DefaultOrganization().ID
	writer, _ := srv.Client(srv.NewAPIKey("legal_document:write"))
	d, err := writer.LegalDocuments.Create(ctx, org, dpa())
	if err != nil {
		t.Fatal(err)
	}

	// A scoped personal key is refused: the action has no scope.
	if _, err := writer.LegalDocuments.Download(ctx, org, d.ID, io.Discard); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Fatalf("scoped key: %v", err)
	}

	// A legacy key without scopes is let through, as PostHog does.
	legacyKey := srv.NewAPIKey()
	logs := &bytes.Buffer{}
	var logMu sync.Mutex
	handler := slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug})
	legacy, _ := srv.Client(legacyKey, posthogapi.WithLogger(slog.New(handler)))

	// 404 while out for signature.
	if _, err := legacy.LegalDocuments.DownloadURL(ctx, org, d.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Fatalf("unsigned: %v", err)
	}
	srv.SignLegalDocument(org, d.ID)

	// The server's own storage.
	var got bytes.Buffer
	if _, err := legacy.LegalDocuments.Download(ctx, org, d.ID, &got); err != nil {
		t.Fatal(err)
	}
	if want := posthogtest.LegalDocumentPDF(org, d.ID); !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("content = %q, want %q", got.Bytes(), want)
	}
	u, err := legacy.LegalDocuments.DownloadURL(ctx, org, d.ID)
	if err != nil || u.Query().Get("X-Amz-Signature") == "" {
		t.Fatalf("url: %v %v", u, err)
	}
	// The presigned URL itself works without credentials; tampering does not.
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	q := u.Query()
	q.Set("X-Amz-Signature", strings.Repeat("0", 64))
	u.RawQuery = q.Encode()
	resp, err = http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("tampered URL: %d", resp.StatusCode)
	}

	// An external storage host (localhost, while the API is on 127.0.0.1).
	content := bytes.Repeat([]byte("%PDF-1.7 signed DPA "), 50_000)
	storage := newRecordingStorage(t, content)
	srv.SetLegalDocumentStorage(strings.Replace(storage.URL, "127.0.0.1", "localhost", 1))
	srv.ResetRequests()
	got.Reset()
	n, err := legacy.LegalDocuments.Download(ctx, org, d.ID, &got)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(content)) || !bytes.Equal(got.Bytes(), content) {
		t.Fatalf("got %d bytes, want %d intact", n, len(content))
	}
	seen := storage.seen()
	if len(seen) != 1 {
		t.Fatalf("storage saw %d requests", len(seen))
	}
	for k, v := range seen[0] {
		switch k {
		case "User-Agent":
			if strings.Contains(v[0], "posthogapi") {
				t.Errorf("User-Agent %q reached storage", v[0])
			}
		case "Accept-Encoding":
		default:
			t.Errorf("header %s: %v reached storage", k, v)
		}
	}
	// The API saw the download call (with the key); storage did not.
	reqs := srv.Requests()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/download/") || reqs[0].APIKey != legacyKey || reqs[0].Status != 302 {
		t.Errorf("API requests = %+v", reqs)
	}

	// Storage refusing: an error naming neither the URL nor the signature.
	storage.mu.Lock()
	storage.status = 403
	storage.mu.Unlock()
	u, _ = legacy.LegalDocuments.DownloadURL(ctx, org, d.ID)
	sig := u.Query().Get("X-Amz-Signature")
	_, err = legacy.LegalDocuments.Download(ctx, org, d.ID, io.Discard)
	var se *posthogapi.StorageError
	if !errors.As(err, &se) || se.StatusCode != 403 || se.Code != "AccessDenied" {
		t.Fatalf("storage 403: %v", err)
	}
	logMu.Lock()
	out := logs.String()
	logMu.Unlock()
	for what, s := range map[string]string{"error": err.Error(), "logs": out} {
		for _, secret := range []string{sig, legacyKey, "X-Amz-Signature=", "X-Amz-Credential=", "localhost"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s contains %q: %s", what, secret, s)
			}
		}
	}
	if !strings.Contains(out, "presigned URL") {
		t.Errorf("storage fetches not logged: %s", out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
