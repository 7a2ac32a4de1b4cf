package posthogapi

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	proxyOrg = uuid.MustParse("0191b7a5-2c1e-7c3a-9f00-aa11bb22cc33")
	proxyID  = uuid.MustParse("0195c0de-1111-7222-8333-444455556666")
)

const proxyFixture = `{
  "id": "0195c0de-1111-7222-8333-444455556666", "domain": "e.example.com",
  "target_cname": "3f2a9c0d1e5b7a8c6d4e.proxy-prod.posthog.com", "status": "erroring",
  "message": "CAA record blocks certificate issuance", "created_at": "2025-04-01T08:00:00Z",
  "updated_at": "2025-04-01T08:05:00Z", "created_by": 17}`

func checkProxyFixture(t *testing.T, r *ProxyRecord) {
	t.Helper()
	msg := "CAA record blocks certificate issuance"
	by := int64(17)
	want := &ProxyRecord{
		ID: ProxyRecordID(proxyID), Domain: "e.example.com", TargetCNAME: "3f2a9c0d1e5b7a8c6d4e.proxy-prod.posthog.com",
		Status: ProxyRecordErroring, Message: &msg,
		CreatedAt: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 4, 1, 8, 5, 0, 0, time.UTC),
		CreatedBy: &by,
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("record = %+v\nwant     %+v", r, want)
	}
}

func TestProxyRecordTypeCoversSchema(t *testing.T) {
	have := jsonTags(reflect.TypeFor[ProxyRecord]())
	for _, f := range strings.Fields("id domain target_cname status message created_at updated_at created_by") {
		if !have[f] {
			t.Errorf("ProxyRecord has no field for %q", f)
		}
	}
	req := jsonTags(reflect.TypeFor[ProxyRecordCreate]())
	if len(req) != 1 || !req["domain"] {
		t.Errorf("ProxyRecordCreate fields = %v, want only the writable domain", req)
	}
	for _, s := range []ProxyRecordStatus{"waiting", "issuing", "valid", "warning", "erroring", "deleting", "timed_out"} {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	if ProxyRecordStatus("live").Valid() {
		t.Error(`"live" valid`)
	}
}

func TestProxyRecordsList(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(proxyOrg.String()+"/proxy_records/"),
		respond(t, 200, `{"results": [`+proxyFixture+`, {"id": "0195c0de-1111-7222-8333-777788889999", "domain": "t.example.org",
		"target_cname": "aa.proxy", "status": "valid", "message": null, "created_at": "2025-03-01T08:00:00Z",
		"updated_at": "2025-03-01T08:00:00Z", "created_by": null}], "max_proxy_records": 5}`, "", ""))
	l, err := c.ProxyRecords.List(context.Background(), OrganizationID(proxyOrg))
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxProxyRecords != 5 || len(l.Results) != 2 {
		t.Fatalf("list = %+v", l)
	}
	checkProxyFixture(t, &l.Results[0])
	if r := l.Results[1]; r.Status != ProxyRecordValid || r.Message != nil || r.CreatedBy != nil {
		t.Errorf("second = %+v", r)
	}
}

func TestProxyRecordsListBareArray(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(proxyOrg.String()+"/proxy_records/"), respond(t, 200, `[`+proxyFixture+`]`, "", ""))
	l, err := c.ProxyRecords.List(context.Background(), OrganizationID(proxyOrg))
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxProxyRecords != 0 || len(l.Results) != 1 {
		t.Fatalf("list = %+v", l)
	}
	checkProxyFixture(t, &l.Results[0])
}

func TestProxyRecordsListBadShape(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", api(proxyOrg.String()+"/proxy_records/"), respond(t, 200, `{"results": {"id": 1}}`, "", ""))
	_, err := c.ProxyRecords.List(context.Background(), OrganizationID(proxyOrg))
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *DecodeError", err)
	}
}

func TestProxyRecordsCRUD(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	item := api(proxyOrg.String() + "/proxy_records/" + proxyID.String() + "/")
	mt.RegisterResponder("POST", api(proxyOrg.String()+"/proxy_records/"), respond(t, 201, proxyFixture, "", `{"domain": "e.example.com"}`))
	mt.RegisterResponder("GET", item, respond(t, 200, proxyFixture, "", ""))
	mt.RegisterResponder("PATCH", item, respond(t, 200, proxyFixture, "", `{"domain": "f.example.com"}`))
	mt.RegisterResponder("PUT", item, respond(t, 200, proxyFixture, "", `{"domain": "g.example.com"}`))
	mt.RegisterResponder("DELETE", item, respond(t, 200, `{"success": true}`, "", ""))

	r, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), &ProxyRecordCreate{Domain: "e.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	checkProxyFixture(t, r)
	if r, err = c.ProxyRecords.Get(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID)); err != nil {
		t.Fatal(err)
	}
	checkProxyFixture(t, r)
	if r, err = c.ProxyRecords.Update(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID), &ProxyRecordUpdate{Domain: Ptr("f.example.com")}); err != nil {
		t.Fatal(err)
	}
	checkProxyFixture(t, r)
	if r, err = c.ProxyRecords.Replace(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID), &ProxyRecordCreate{Domain: "g.example.com"}); err != nil {
		t.Fatal(err)
	}
	checkProxyFixture(t, r)
	if err := c.ProxyRecords.Delete(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID)); err != nil {
		t.Fatal(err)
	}
	info := mt.GetCallCountInfo()
	for _, k := range []string{"POST " + api(proxyOrg.String()+"/proxy_records/"), "GET " + item, "PATCH " + item, "PUT " + item, "DELETE " + item} {
		if info[k] != 1 {
			t.Errorf("%s called %d times", k, info[k])
		}
	}
}

func TestProxyRecordsUpdateMethodNotAllowed(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PATCH", api(proxyOrg.String()+"/proxy_records/"+proxyID.String()+"/"), respond(t, 405,
		`{"type": "invalid_request", "code": "method_not_allowed", "detail": "Method \"PATCH\" not allowed.", "attr": null}`, "", ""))
	_, err := c.ProxyRecords.Update(context.Background(), OrganizationID(proxyOrg), ProxyRecordID(proxyID), &ProxyRecordUpdate{Domain: Ptr("x.example.com")})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 405 || ae.Code != "method_not_allowed" {
		t.Fatalf("err = %v", err)
	}
}

func TestProxyRecordsRetry(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(proxyOrg.String()+"/proxy_records/"+proxyID.String()+"/retry/"), wantNoBody(t, 200, proxyFixture))
	r, err := c.ProxyRecords.Retry(context.Background(), OrganizationID(proxyOrg), ProxyRecordID(proxyID))
	if err != nil {
		t.Fatal(err)
	}
	checkProxyFixture(t, r)
}

func TestProxyRecordsRetryBareDetail(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(proxyOrg.String()+"/proxy_records/"+proxyID.String()+"/retry/"),
		respond(t, 400, `{"detail": "Cannot retry proxy in valid state."}`, "", ""))
	_, err := c.ProxyRecords.Retry(context.Background(), OrganizationID(proxyOrg), ProxyRecordID(proxyID))
	var ae *APIError
	if !errors.Is(err, ErrValidation) || !errors.As(err, &ae) || ae.Detail != "Cannot retry proxy in valid state." {
		t.Fatalf("err = %v", err)
	}
}

func TestProxyRecordsDiagnose(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", api(proxyOrg.String()+"/proxy_records/"+proxyID.String()+"/diagnose/"), wantNoBody(t, 200, `{
		"ran_at": "2025-04-02T12:00:00Z",
		"summary": {"status": "fail", "primary_issue": "caa", "next_action": "Add a CAA record for letsencrypt.org."},
		"checks": [
		  {"id": "cname", "name": "CNAME", "status": "passed", "detail": "ok", "remediation": null},
		  {"id": "caa", "name": "CAA records", "status": "failed", "detail": "CAA blocks issuance",
		   "remediation": {"type": "dns", "summary": "Allow Let's Encrypt",
		     "records": [{"name": "example.com", "type": "CAA", "value": "0 issue \"letsencrypt.org\""}]}},
		  {"id": "live_event", "name": "Live event", "status": "skipped", "detail": "not live"}]}`))
	rep, err := c.ProxyRecords.Diagnose(context.Background(), OrganizationID(proxyOrg), ProxyRecordID(proxyID))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.RanAt.Equal(time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)) || rep.Summary.Status != ProxyDiagnosticFail ||
		rep.Summary.PrimaryIssue == nil || *rep.Summary.PrimaryIssue != "caa" || len(rep.Checks) != 3 {
		t.Fatalf("report = %+v", rep)
	}
	caa := rep.Checks[1]
	if caa.Status != ProxyCheckFailed || caa.Remediation == nil || caa.Remediation.Type != ProxyRemediationDNS ||
		len(caa.Remediation.Records) != 1 || caa.Remediation.Records[0].Type != "CAA" {
		t.Errorf("caa = %+v", caa)
	}
	if rep.Checks[0].Remediation != nil || rep.Checks[2].Status != ProxyCheckSkipped {
		t.Errorf("checks = %+v", rep.Checks)
	}
}

func TestProxyRecordsDiagnoseCooldown(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	mt.RegisterResponder("POST", api(proxyOrg.String()+"/proxy_records/"+proxyID.String()+"/diagnose/"), respond(t, 429,
		`{"detail": "A diagnostic was just run for this proxy. Please wait a few seconds before trying again."}`, "", ""))
	_, err := c.ProxyRecords.Diagnose(context.Background(), OrganizationID(proxyOrg), ProxyRecordID(proxyID))
	var rle *RateLimitError
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &rle) || !strings.Contains(rle.Detail, "diagnostic was just run") {
		t.Fatalf("err = %v", err)
	}
}

func TestProxyRecordsValidation(t *testing.T) {
	c, mt := newMockClient(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"nil org": func() error { _, err := c.ProxyRecords.List(ctx, OrganizationID(uuid.Nil)); return err },
		"nil id": func() error {
			_, err := c.ProxyRecords.Get(ctx, OrganizationID(proxyOrg), ProxyRecordID(uuid.Nil))
			return err
		},
		"nil create": func() error { _, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), nil); return err },
		"empty domain": func() error {
			_, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), &ProxyRecordCreate{})
			return err
		},
		"blank domain": func() error {
			_, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), &ProxyRecordCreate{Domain: " "})
			return err
		},
		"long domain": func() error {
			_, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), &ProxyRecordCreate{Domain: strings.Repeat("a", 62) + ".io"})
			return err
		},
		"url as domain": func() error {
			_, err := c.ProxyRecords.Create(ctx, OrganizationID(proxyOrg), &ProxyRecordCreate{Domain: "https://e.example.com"})
			return err
		},
		"nil update": func() error {
			_, err := c.ProxyRecords.Update(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID), nil)
			return err
		},
		"empty update": func() error {
			_, err := c.ProxyRecords.Update(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID), &ProxyRecordUpdate{Domain: Ptr("")})
			return err
		},
		"replace domain": func() error {
			_, err := c.ProxyRecords.Replace(ctx, OrganizationID(proxyOrg), ProxyRecordID(proxyID), &ProxyRecordCreate{})
			return err
		},
		"delete nil id": func() error { return c.ProxyRecords.Delete(ctx, OrganizationID(proxyOrg), ProxyRecordID(uuid.Nil)) },
		"retry nil org": func() error {
			_, err := c.ProxyRecords.Retry(ctx, OrganizationID(uuid.Nil), ProxyRecordID(proxyID))
			return err
		},
		"diagnose nil": func() error {
			_, err := c.ProxyRecords.Diagnose(ctx, OrganizationID(proxyOrg), ProxyRecordID(uuid.Nil))
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}
