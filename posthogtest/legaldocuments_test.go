package posthogtest

import (
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func TestLegalDocumentAnswers(t *testing.T) {
	var clock atomic.Int64 // seconds since the start
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return start.Add(time.Duration(clock.Load()) * time.Second) }
	s := newTestServer(t, LegacyUnscopedKeys(), WithClock(now), WithLegalDocumentStorage("https://bucket.example.com/"))
	org := s.DefaultOrganization().ID
	docs := "/api/organizations/" + org.String() + "/legal_documents/"
	key := s.NewAPIKey("legal_document:write")
	legacy := s.NewAPIKey()

	s.GrantBAAAddon(org)
	st, b := areaDCall(t, s, key, "POST", docs, `{"document_type": "BAA", "company_name": "C", "company_address": "A",
		"representative_email": "rep@example.com", "dpa_mode": "lawyer"}`)
	if st != 201 || b["dpa_mode"] != "" || b["status"] != "submitted_for_signature" {
		t.Fatalf("BAA: %d %v", st, b)
	}
	id := b["id"].(string)
	if cb, _ := b["created_by"].(map[string]any); cb["email"] != "owner@example.com" {
		t.Errorf("created_by = %v", b["created_by"])
	}
	st, b = areaDCall(t, s, key, "GET", docs+id+"/download/", "")
	wantError(t, st, b, 403, "permission_denied", "")
	st, b = areaDCall(t, s, legacy, "GET", docs+id+"/download/", "")
	wantError(t, st, b, 404, "not_found", "")

	s.SignLegalDocument(org, posthogapi.LegalDocumentID(uuid.MustParse(id)))
	st, b = areaDCall(t, s, legacy, "GET", docs+id+"/download/", "")
	if st != 302 {
		t.Fatalf("download: %d %v", st, b)
	}
	loc, err := url.Parse(b["location"].(string))
	if err != nil || loc.Host != "bucket.example.com" || !strings.HasSuffix(loc.Path, "/"+id+".pdf") || loc.Query().Get("X-Amz-Signature") == "" || loc.Query().Get("X-Amz-Expires") != "60" {
		t.Errorf("location = %v", loc)
	}

	// The server's own storage checks signature and expiry.
	s.SetLegalDocumentStorage("")
	_, b = areaDCall(t, s, legacy, "GET", docs+id+"/download/", "")
	own, _ := url.Parse(b["location"].(string))
	if st, _ := areaDCall(t, s, "", "GET", own.RequestURI(), ""); st != 200 {
		t.Errorf("own storage: %d", st)
	}
	clock.Store(61)
	if st, _ := areaDCall(t, s, "", "GET", own.RequestURI(), ""); st != 403 {
		t.Errorf("expired URL: %d", st)
	}
}
