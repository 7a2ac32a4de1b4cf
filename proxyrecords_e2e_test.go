package posthogapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestProxyRecordsE2ELifecycle(t *testing.T) {
	srv, c := newServerClient(t, "organization:write")
	ctx := context.Background()
	org := srv.DefaultOrganization().ID

	first, err := c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "e.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if first.Domain != "e.example.com" || first.Status != posthogapi.ProxyRecordWaiting || first.Message != nil ||
		first.CreatedBy == nil || *first.CreatedBy != srv.DefaultUser().ID || !strings.HasSuffix(first.TargetCNAME, "."+"proxy.posthog.example") {
		t.Fatalf("created = %+v", first)
	}
	got, err := c.ProxyRecords.Get(ctx, org, first.ID)
	if err != nil || got.ID != first.ID || got.TargetCNAME != first.TargetCNAME {
		t.Fatalf("read back = %+v, %v", got, err)
	}
	second, err := c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "t.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.ProxyRecords.List(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxProxyRecords != posthogtest.DefaultMaxProxyRecords || len(l.Results) != 2 ||
		l.Results[0].ID != second.ID || l.Results[1].ID != first.ID {
		t.Errorf("list = %+v (want newest first)", l)
	}

	// The plan allows two records: PostHog answers a bare {"detail"}.
	_, err = c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "third.example.com"})
	var ae *posthogapi.APIError
	if !errors.Is(err, posthogapi.ErrValidation) || !errors.As(err, &ae) || ae.Detail != "Maximum of 2 proxy records per organization." || ae.Type != "" {
		t.Errorf("over the limit: %v", err)
	}
	srv.SetMaxProxyRecords(org, 3)
	if _, err := c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "third.example.com"}); err != nil {
		t.Errorf("after raising the limit: %v", err)
	}
	if l, err := c.ProxyRecords.List(ctx, org); err != nil || l.MaxProxyRecords != 3 || len(l.Results) != 3 {
		t.Errorf("list after raise = %+v, %v", l, err)
	}

	// The newest server allows no PUT or PATCH on proxy records.
	for name, call := range map[string]func() error{
		"Update": func() error {
			_, err := c.ProxyRecords.Update(ctx, org, first.ID, &posthogapi.ProxyRecordUpdate{Domain: posthogapi.Ptr("x.example.com")})
			return err
		},
		"Replace": func() error {
			_, err := c.ProxyRecords.Replace(ctx, org, first.ID, &posthogapi.ProxyRecordCreate{Domain: "x.example.com"})
			return err
		},
	} {
		err := call()
		if !errors.As(err, &ae) || ae.StatusCode != 405 || ae.Code != "method_not_allowed" {
			t.Errorf("%s: %v, want 405 method_not_allowed", name, err)
		}
	}

	// A waiting record goes at once.
	if err := c.ProxyRecords.Delete(ctx, org, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProxyRecords.Get(ctx, org, first.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after delete: %v, want ErrNotFound", err)
	}
	// A live record is torn down first.
	srv.SetProxyRecordStatus(org, second.ID, posthogtest.ProxyValid)
	if err := c.ProxyRecords.Delete(ctx, org, second.ID); err != nil {
		t.Fatal(err)
	}
	got, err = c.ProxyRecords.Get(ctx, org, second.ID)
	if err != nil || got.Status != posthogapi.ProxyRecordDeleting {
		t.Errorf("live record after delete = %+v, %v (want deleting)", got, err)
	}
	srv.RemoveProxyRecord(org, second.ID)
	if _, err := c.ProxyRecords.Get(ctx, org, second.ID); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("get after removal: %v, want ErrNotFound", err)
	}
	for _, r := range srv.Requests() {
		if r.Method == "DELETE" && r.Status != 200 {
			t.Errorf("DELETE answered %d, want PostHog's 200", r.Status)
		}
	}
}

func TestProxyRecordsE2EStatusAndMessage(t *testing.T) {
	srv, c := newServerClient(t, "organization:read")
	org := srv.DefaultOrganization().ID
	r := srv.AddProxyRecord(org, "e.example.com")
	srv.SetProxyRecordStatus(org, r.ID, posthogtest.ProxyErroring)
	srv.SetProxyRecordMessage(org, r.ID, "CAA record blocks issuance")
	got, err := c.ProxyRecords.Get(context.Background(), org, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != posthogapi.ProxyRecordErroring || got.Message == nil || *got.Message != "CAA record blocks issuance" || got.CreatedBy != nil {
		t.Errorf("record = %+v", got)
	}
}

func TestProxyRecordsE2EScopesAndKeys(t *testing.T) {
	srv := e2eStart(t)
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	r := srv.AddProxyRecord(org, "e.example.com")
	srv.SetProxyRecordStatus(org, r.ID, posthogtest.ProxyErroring)

	reader := retryingClient(t, srv, srv.NewAPIKey("organization:read"))
	var se *posthogapi.ScopeError
	if _, err := reader.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "x.example.com"}); !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Errorf("create with organization:read: %v", err)
	}
	if err := reader.ProxyRecords.Delete(ctx, org, r.ID); !errors.As(err, &se) || se.Scope != "organization:write" {
		t.Errorf("delete with organization:read: %v", err)
	}
	projects := retryingClient(t, srv, srv.NewAPIKey("project:write"))
	if _, err := projects.ProxyRecords.List(ctx, org); !errors.As(err, &se) || se.Scope != "organization:read" {
		t.Errorf("list with project:write: %v", err)
	}

	admin := retryingClient(t, srv, srv.NewAPIKey("*"))
	if _, err := admin.ProxyRecords.Retry(ctx, org, r.ID); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("retry: %v, want ErrPersonalAPIKeyNotSupported", err)
	}
	if _, err := admin.ProxyRecords.Diagnose(ctx, org, r.ID); !errors.Is(err, posthogapi.ErrPersonalAPIKeyNotSupported) {
		t.Errorf("diagnose: %v, want ErrPersonalAPIKeyNotSupported", err)
	}
	if got := srv.ProxyRecords(org); len(got) != 1 || got[0].Status != posthogtest.ProxyErroring {
		t.Errorf("rejected calls changed records: %+v", got)
	}
	if _, err := admin.ProxyRecords.Get(ctx, org, posthogapi.ProxyRecordID(uuid.New())); !errors.Is(err, posthogapi.ErrNotFound) {
		t.Errorf("unknown record: %v, want ErrNotFound", err)
	}

	m := srv.AddUser(posthogtest.UserSeed{Email: "member@example.com"})
	srv.AddMember(org, m.UUID, posthogtest.LevelMember)
	member := retryingClient(t, srv, srv.NewAPIKeyFor(m.UUID, "organization:write"))
	if l, err := member.ProxyRecords.List(ctx, org); err != nil || len(l.Results) != 1 {
		t.Errorf("member list = %+v, %v", l, err)
	}
	_, err := member.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "x.example.com"})
	if !errors.Is(err, posthogapi.ErrPermissionDenied) || errors.As(err, &se) {
		t.Errorf("member create: %v, want a 403 that is not a scope error", err)
	}
}

func TestFidelityDec12_ProxyDomainUniqueAcrossOrganizations(t *testing.T) {
	srv := posthogtest.NewServer()
	defer srv.Close()
	c, err := srv.Client(srv.NewAPIKey("organization:write"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org := srv.DefaultOrganization().ID
	other := srv.AddOrganization("Someone else", posthogapi.UserUUID(srv.AddUser(posthogtest.UserSeed{}).UUID))
	srv.AddProxyRecord(other.ID, "e.example.com")
	_, err = c.ProxyRecords.Create(ctx, org, &posthogapi.ProxyRecordCreate{Domain: "e.example.com"})
	var ae *posthogapi.APIError
	if !errors.Is(err, posthogapi.ErrOutcomeUnknown) || !errors.As(err, &ae) || ae.StatusCode != 500 {
		t.Fatalf("taken domain: %v, want a 500 reported as ErrOutcomeUnknown", err)
	}
	if got := srv.ProxyRecords(org); len(got) != 0 {
		t.Errorf("records created: %+v", got)
	}
	// Sent once: a POST answered 500 is never retried.
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d POSTs sent, want 1", n)
	}
	// The seeding helper refuses what the database would refuse.
	defer func() {
		if recover() == nil {
			t.Error("AddProxyRecord accepted a taken domain")
		}
	}()
	srv.AddProxyRecord(org, "e.example.com")
}
