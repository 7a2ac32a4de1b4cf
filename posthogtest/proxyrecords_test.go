package posthogtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func proxyCall(t *testing.T, s *Server, h handler, org, id uuid.UUID, action string) (int, map[string]any) {
	t.Helper()
	target := "/api/organizations/" + org.String() + "/proxy_records/" + id.String() + "/" + action
	return sessionCall(t, s, h, "POST", target, "", "organization_id", org.String(), "id", id.String())
}

func TestProxyRetry(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	r := s.AddProxyRecord(org, "e.example.com")

	for _, status := range []string{ProxyWaiting, ProxyIssuing, ProxyValid, ProxyWarning, ProxyDeleting} {
		s.SetProxyRecordStatus(org, r.ID, posthogapi.ProxyRecordStatus(status))
		code, body := proxyCall(t, s, handleProxyRetry, uuid.UUID(org), uuid.UUID(r.ID), "retry/")
		if code != http.StatusBadRequest || len(body) != 1 || body["detail"] != "Cannot retry proxy in "+status+" state." {
			t.Errorf("retry in %s: %d %v", status, code, body)
		}
	}
	for _, status := range []string{ProxyErroring, ProxyTimedOut} {
		s.SetProxyRecordStatus(org, r.ID, posthogapi.ProxyRecordStatus(status))
		s.SetProxyRecordMessage(org, r.ID, "DNS lookup failed")
		code, body := proxyCall(t, s, handleProxyRetry, uuid.UUID(org), uuid.UUID(r.ID), "retry/")
		if code != http.StatusOK || body["status"] != ProxyWaiting || body["message"] != nil {
			t.Errorf("retry in %s: %d %v", status, code, body)
		}
		if got := s.ProxyRecords(org)[0]; got.Status != ProxyWaiting || got.Message != "" {
			t.Errorf("stored after retry = %+v", got)
		}
	}
	if code, _ := proxyCall(t, s, handleProxyRetry, uuid.UUID(org), uuid.New(), "retry/"); code != http.StatusNotFound {
		t.Errorf("unknown record: %d", code)
	}
}

func TestProxyDiagnoseCooldown(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)
	s := newTestServer(t, WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	org := s.DefaultOrganization().ID
	r := s.AddProxyRecord(org, "e.example.com")

	code, body := proxyCall(t, s, handleProxyDiagnose, uuid.UUID(org), uuid.UUID(r.ID), "diagnose/")
	if code != http.StatusOK {
		t.Fatalf("diagnose: %d %v", code, body)
	}
	summary := body["summary"].(map[string]any)
	checks := body["checks"].([]any)
	cname := checks[0].(map[string]any)
	rem, _ := cname["remediation"].(map[string]any)
	if summary["status"] != "fail" || summary["primary_issue"] != "cname" || cname["status"] != "failed" || rem["type"] != "dns" {
		t.Errorf("waiting record report = %v", body)
	}
	if recs, _ := rem["records"].([]any); len(recs) != 1 || recs[0].(map[string]any)["value"] != r.TargetCNAME {
		t.Errorf("remediation records = %v", rem["records"])
	}
	if body["ran_at"] != "2025-04-02T12:00:00Z" {
		t.Errorf("ran_at = %v", body["ran_at"])
	}

	advance(29 * time.Second)
	code, body = proxyCall(t, s, handleProxyDiagnose, uuid.UUID(org), uuid.UUID(r.ID), "diagnose/")
	if code != http.StatusTooManyRequests || len(body) != 1 || !strings.HasPrefix(body["detail"].(string), "A diagnostic was just run") {
		t.Errorf("inside the cooldown: %d %v", code, body)
	}
	// The cooldown is per record.
	other := s.AddProxyRecord(org, "f.example.com")
	if code, _ := proxyCall(t, s, handleProxyDiagnose, uuid.UUID(org), uuid.UUID(other.ID), "diagnose/"); code != http.StatusOK {
		t.Errorf("other record inside the first's cooldown: %d", code)
	}

	advance(time.Second)
	s.SetProxyRecordStatus(org, r.ID, ProxyValid)
	code, body = proxyCall(t, s, handleProxyDiagnose, uuid.UUID(org), uuid.UUID(r.ID), "diagnose/")
	if code != http.StatusOK || body["summary"].(map[string]any)["status"] != "healthy" {
		t.Errorf("after the cooldown, valid record: %d %v", code, body)
	}
}

func TestProxyActionsNeedAdmin(t *testing.T) {
	s := newTestServer(t)
	org := s.DefaultOrganization().ID
	r := s.AddProxyRecord(org, "e.example.com")
	s.SetProxyRecordStatus(org, r.ID, ProxyErroring)
	s.mu.Lock()
	s.defOrg.membership(s.defUser).level = LevelMember
	s.mu.Unlock()
	for name, h := range map[string]handler{"retry/": handleProxyRetry, "diagnose/": handleProxyDiagnose} {
		code, body := proxyCall(t, s, h, uuid.UUID(org), uuid.UUID(r.ID), name)
		if code != http.StatusForbidden || body["detail"] != "Your organization access level is insufficient." {
			t.Errorf("%s as member: %d %v", name, code, body)
		}
	}
	if got := s.ProxyRecords(org)[0]; got.Status != ProxyErroring {
		t.Errorf("status changed to %s", got.Status)
	}
}

func TestProxyTargetCNAME(t *testing.T) {
	org := uuid.MustParse("0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33")
	a, b := targetCNAME(org, "e.example.com"), targetCNAME(org, "f.example.com")
	if a == b || len(strings.Split(a, ".")[0]) != 20 || targetCNAME(org, "e.example.com") != a {
		t.Errorf("cnames %q %q", a, b)
	}
}

func TestFidelityDec12_ProxyDomainDatabaseLimits(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.SetMaxProxyRecords(s.DefaultOrganization().ID, 10)
	key := s.NewAPIKey("organization:write")
	path := "/api/organizations/" + s.DefaultOrganization().ID.String() + "/proxy_records/"
	// 65 characters: no serializer limit, the database's varchar(64) fails.
	code, body := areaDCall(t, s, key, "POST", path, `{"domain": "`+strings.Repeat("a", 61)+`.com"}`)
	wantError(t, code, body, http.StatusInternalServerError, "error", "")
	// CharField trims: the same domain with spaces is the same row.
	if code, body = areaDCall(t, s, key, "POST", path, `{"domain": " e.example.com "}`); code != http.StatusCreated || body["domain"] != "e.example.com" {
		t.Fatalf("trimmed create: %d %v", code, body)
	}
	code, body = areaDCall(t, s, key, "POST", path, `{"domain": "e.example.com"}`)
	wantError(t, code, body, http.StatusInternalServerError, "error", "")
	code, body = areaDCall(t, s, key, "POST", path, `{"domain": "  "}`)
	wantError(t, code, body, http.StatusBadRequest, "blank", "domain")
	if n := len(s.ProxyRecords(s.DefaultOrganization().ID)); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}
