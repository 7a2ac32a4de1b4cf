package posthogtest

import (
	"encoding/base64"
	"strconv"
	"testing"
	"time"
)

// TestProjectBackfillRules drives PostHog's create_backfill and
// validate_date_input (products/batch_exports/backend/api/batch_export.py)
// through raw requests: an unknown export, from the beginning of time,
// naive and malformed datetimes, dates for daily and weekly exports, the
// weekly export's weekday, start before end, an end in the future, and a
// cursor that does not decode.
func TestProjectBackfillRules(t *testing.T) {
	srv := newTestServer(t)
	org := srv.DefaultOrganization().ID
	p := srv.AddProject(org, "P")
	key := srv.NewAPIKey("batch_export:write")
	base := "/api/projects/" + strconv.FormatInt(int64(p.ID), 10) + "/batch_exports/"
	export := func(interval string) string {
		st, _, got := call(t, srv, key, "POST", base, `{"name":"`+interval+`","interval":"`+interval+`","destination":{"type":"NoOp","config":{}}}`)
		if st != 201 {
			t.Fatalf("create %s export: %d %v", interval, st, got)
		}
		return got["id"].(string)
	}
	hourly, daily, weekly := export("hour"), export("day"), export("week")
	now := time.Now().UTC().Truncate(time.Hour)
	ts := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	sunday := now.AddDate(0, 0, -int(now.Weekday())-7).Format(time.DateOnly)
	monday := now.AddDate(0, 0, -int(now.Weekday())-6).Format(time.DateOnly)
	for _, tc := range []struct {
		export, body string
		status       int
		detail       string
	}{
		{"00000000-0000-0000-0000-000000000001", `{"start_at":"` + ts(-2*time.Hour) + `","end_at":"` + ts(-time.Hour) + `"}`, 404, "BatchExport not found."},
		{hourly, `{"end_at":"` + ts(-time.Hour) + `"}`, 400, "Backfilling from the beginning of time is not enabled for this team."},
		{hourly, `{"start_at":"2026-01-01T00:00:00","end_at":"` + ts(-time.Hour) + `"}`, 400, "Input 2026-01-01T00:00:00 is naive."},
		{hourly, `{"start_at":"soon","end_at":"` + ts(-time.Hour) + `"}`, 400, "Input soon is not a valid ISO formatted datetime."},
		{hourly, `{"start_at":"` + ts(-time.Hour) + `","end_at":"` + ts(-time.Hour) + `"}`, 400, "The initial backfill datetime 'start_at' must be before 'end_at'"},
		{hourly, `{"start_at":"` + ts(-time.Hour) + `","end_at":"` + ts(3*time.Hour) + `"}`, 400, "The provided 'end_at' (" + now.Add(3*time.Hour).Format("2006-01-02T15:04:05-07:00") + ") is in the future"},
		{daily, `{"start_at":"` + ts(-48*time.Hour) + `","end_at":"` + now.Format(time.DateOnly) + `"}`, 400,
			"Input '" + ts(-48*time.Hour) + "' is not a valid ISO formatted date. Daily or weekly batch export backfills expect only the date component, but a time was included."},
		{daily, `{"start_at":"yesterday","end_at":"` + now.Format(time.DateOnly) + `"}`, 400, "Input 'yesterday' is not a valid ISO formatted date."},
		{weekly, `{"start_at":"` + monday + `","end_at":"` + sunday + `"}`, 400,
			"Input " + monday + " is not on the correct day of the week for this batch export. " + monday + " is a Monday but this batch export is configured to run weekly on Sunday."},
		{daily, `{"start_at":"` + now.AddDate(0, 0, -3).Format(time.DateOnly) + `","end_at":"` + now.AddDate(0, 0, -1).Format(time.DateOnly) + `"}`, 201, ""},
	} {
		st, _, got := call(t, srv, key, "POST", base+tc.export+"/backfills/", tc.body)
		if st != tc.status || (tc.detail != "" && got["detail"] != tc.detail) {
			t.Errorf("%s: %d %v, want %d %q", tc.body, st, got, tc.status, tc.detail)
		}
	}
	bad := base64.URLEncoding.EncodeToString([]byte("o=-1"))
	if st, _, got := call(t, srv, key, "GET", base+hourly+"/backfills/?cursor="+bad, ""); st != 404 || got["detail"] != "Invalid cursor" {
		t.Errorf("bad cursor: %d %v", st, got)
	}
}
