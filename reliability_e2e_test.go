package posthogapi_test

// Reliability case 4 at scale, end to end on posthogtest: 1000 POSTs and
// 1000 PATCHes whose answers are lost after PostHog ran them; and writes
// PostHog did are never reported as not done, under every fault
// posthogtest can inject (issue 9, deliverable 2). See RELIABILITY.md,
// "Writes under faults".

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

func TestReliability04_LostResponse1000Writes(t *testing.T) {
	const n = 1000
	srv := e2eStart(t)
	key := srv.NewAPIKey("*") // legacy key: every scope
	c := retryingClient(t, srv, key, fastRetries...)
	ctx := context.Background()
	org, err := c.Organizations.GetCurrent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()

	for i := range n {
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, DropConnection: true})
		_, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: fmt.Sprintf("lost %d", i)})
		if !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
			t.Fatalf("POST %d: err = %v, want ErrOutcomeUnknown", i, err)
		}
		if strings.Contains(fmt.Sprintf("%v %+v", err, err), key) {
			t.Fatalf("key in error: %v", err)
		}
	}
	for i := range n {
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPatch, DropConnection: true})
		name := fmt.Sprintf("renamed %d", i)
		_, err := c.Organizations.Update(ctx, org.ID, &posthogapi.OrganizationUpdate{Name: &name})
		if !errors.Is(err, posthogapi.ErrOutcomeUnknown) {
			t.Fatalf("PATCH %d: err = %v, want ErrOutcomeUnknown", i, err)
		}
	}

	// Server side: every call ran exactly once.
	posts, patches := map[string]int{}, map[string]int{}
	for _, r := range srv.Requests() {
		switch r.Method {
		case http.MethodPost:
			if r.Status == http.StatusCreated {
				posts[r.Body]++
			}
		case http.MethodPatch:
			if r.Status == http.StatusOK {
				patches[r.Body]++
			}
		}
	}
	dup, lost := 0, 0
	for _, m := range []map[string]int{posts, patches} {
		for _, k := range m {
			dup += k - 1
		}
		lost += n - len(m)
	}
	// And the state agrees: each organization was created once.
	names := map[string]int{}
	for o, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names[o.Name]++
	}
	for i := range n {
		if k := names[fmt.Sprintf("lost %d", i)]; k != 1 {
			t.Errorf("organization %d exists %d times", i, k)
		}
	}
	t.Logf("%d lost-response POSTs and %d PATCHes: %d server commits, %d duplicated, %d lost", n, n, len(posts)+len(patches), dup, lost)
	if dup != 0 || lost != 0 {
		t.Errorf("%d duplicated and %d lost writes", dup, lost)
	}
	posthogapi.ReliabilityFigure("writes: lost-response writes (calls)", 2*n)
	posthogapi.ReliabilityFigure("writes: duplicated writes", int64(dup))
	posthogapi.ReliabilityFigure("writes: lost writes", int64(lost))
	posthogapi.ReliabilityFigure("faults: injected (total)", 2*n)
}

// TestReliability04_BaselineDefaultRetryablehttp measures the contrast:
// go-retryablehttp's default policy re-sends a POST whose answer was lost,
// so PostHog runs it once per attempt.
func TestReliability04_BaselineDefaultRetryablehttp(t *testing.T) {
	const n = 20
	srv := e2eStart(t)
	key := srv.NewAPIKey("*")
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryWaitMin, rc.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	defer rc.HTTPClient.CloseIdleConnections()
	commits := 0
	for i := range n {
		srv.ResetRequests()
		srv.InjectFault(posthogtest.Fault{Method: http.MethodPost, DropConnection: true, Times: 100})
		req, _ := retryablehttp.NewRequest(http.MethodPost, srv.URL()+"/api/organizations/", bytes.NewReader([]byte(fmt.Sprintf(`{"name":"baseline %d"}`, i))))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := rc.Do(req); err == nil {
			_ = resp.Body.Close()
		}
		for _, r := range srv.Requests() {
			if r.Status == http.StatusCreated {
				commits++
			}
		}
		srv.ClearFaults()
	}
	t.Logf("default go-retryablehttp: %d lost-response POSTs -> %d server commits (%.1f per call)", n, commits, float64(commits)/n)
	if commits <= n {
		t.Errorf("baseline did not duplicate (%d commits): the fault is not exercising retries", commits)
	}
	posthogapi.ReliabilityFigure("baseline: default go-retryablehttp, server commits for 20 lost-response POSTs", int64(commits))
}

// writeFault is one way posthogtest can spoil a write.
type writeFault struct {
	name string
	f    posthogtest.Fault
}

// writeFaults is every fault posthogtest can inject into one write, with
// no timing involved (Delay is left out: it needs a timeout to matter).
var writeFaults = []writeFault{
	{"none", posthogtest.Fault{}},
	{"lost answer (connection dropped after processing)", posthogtest.Fault{DropConnection: true}},
	{"body cut after the 2xx status", posthogtest.Fault{TruncateBody: true}},
	{"500 after commit", posthogtest.Fault{AfterCommit: true, Status: 500}},
	{"502 after commit", posthogtest.Fault{AfterCommit: true, Status: 502}},
	{"503 after commit", posthogtest.Fault{AfterCommit: true, Status: 503, RetryAfter: "1"}},
	{"504 after commit", posthogtest.Fault{AfterCommit: true, Status: 504}},
	{"2xx malformed JSON after commit", posthogtest.Fault{AfterCommit: true, Status: 200, Body: `{"id": "`}},
	{"2xx wrong JSON type after commit", posthogtest.Fault{AfterCommit: true, Status: 201, Body: `[1, 2, 3]`}},
	{"2xx not JSON after commit", posthogtest.Fault{AfterCommit: true, Status: 200, Body: `<html>ok</html>`, ContentType: "text/html"}},
	{"500 before commit", posthogtest.Fault{Status: 500}},
	{"503 before commit", posthogtest.Fault{Status: 503}},
	{"429 before commit", posthogtest.Fault{Status: 429, RetryAfter: "0", Body: `{"type":"throttled_error","code":"throttled","detail":"Request was throttled.","attr":null}`}},
	{"400 before commit", posthogtest.Fault{Status: 400}},
}

// writeOp is one kind of write. setup (may be nil) prepares one instance
// without faults; run performs it. Commits are counted from the request
// log: requests of method whose own status was 2xx (posthogtest records
// the handler's status also when a fault spoils the answer).
type writeOp struct {
	name   string
	method string
	setup  func(t *testing.T, i int) any
	run    func(ctx context.Context, i int, prep any) error
}

type writeFigures struct {
	writes, calls, faulted, outcomeUnknown, decodeErrors, requests int
}

func TestWritesAnswered2xxAreNeverReportedNotDone(t *testing.T) {
	var fig writeFigures
	for _, nonAtomic := range []bool{false, true} {
		var opts []posthogtest.Option
		if !nonAtomic {
			opts = append(opts, posthogtest.WithAtomicBulkInvites())
		}
		srv := posthogtest.NewServer(opts...)
		c := retryingClient(t, srv, srv.NewAPIKey("*"), fastRetries...)
		org := srv.DefaultOrganization().ID
		ops := writeOps(t, srv, c, org)
		i := 0
		for _, op := range ops {
			for _, wf := range writeFaults {
				for rep := range 3 { // each (write, fault) three times
					i++
					checkWriteUnderFault(t, srv, op, wf, i, rep, &fig)
				}
			}
		}
		checkStateMatchesCommits(t, srv, c, posthogapi.OrganizationID(uuid.UUID(org)))
		fig.requests += len(srv.Requests())
		srv.Close()
	}
	t.Logf("WRITE FIGURES: %d logical writes (%d write kinds x %d faults x 3 x 2 server modes), %d calls, %d faults injected, %d calls ended ErrOutcomeUnknown (%d of them a *DecodeError of a 2xx), %d HTTP requests; duplicated writes 0, writes done but reported not done 0",
		fig.writes, len(writeOps(t, nil, nil, posthogapi.OrganizationID(uuid.Nil))), len(writeFaults), fig.calls, fig.faulted, fig.outcomeUnknown, fig.decodeErrors, fig.requests)
}

// checkWriteUnderFault runs one logical write as a careful caller does:
// the first call meets the fault; a call that fails without matching
// ErrOutcomeUnknown is sent again (at most twice more). It checks that no
// call reported as failed-and-not-unknown had committed, and that the
// write was committed at most once.
func checkWriteUnderFault(t *testing.T, srv *posthogtest.Server, op writeOp, wf writeFault, i, rep int, fig *writeFigures) {
	t.Helper()
	ctx := context.Background()
	var prep any
	if op.setup != nil {
		prep = op.setup(t, i)
	}
	fig.writes++
	if wf.f != (posthogtest.Fault{}) {
		f := wf.f
		f.Method = op.method
		srv.InjectFault(f)
		fig.faulted++
	}
	total := 0
	for attempt := range 3 {
		before := len(srv.Requests())
		err := op.run(ctx, i, prep)
		fig.calls++
		commits := 0
		for _, r := range srv.Requests()[before:] {
			if r.Method == op.method && r.Status >= 200 && r.Status <= 299 {
				commits++
			}
		}
		total += commits
		var de *posthogapi.DecodeError
		if errors.As(err, &de) {
			fig.decodeErrors++
			if !de.WriteDone() || de.StatusCode < 200 || de.StatusCode > 299 || de.Method != op.method || !strings.Contains(de.Path, "/api/organizations/") {
				t.Errorf("%s / %s: DecodeError %+v lacks status, method or path", op.name, wf.name, de)
			}
		}
		unknown := errors.Is(err, posthogapi.ErrOutcomeUnknown)
		if unknown {
			fig.outcomeUnknown++
		}
		if err != nil && !unknown && commits > 0 && (op.method == http.MethodPost || op.method == http.MethodPatch) {
			// (A PUT or DELETE answered 5xx after committing is reported
			// as the 5xx: sending it again changes nothing.)
			t.Errorf("%s / %s (attempt %d): PostHog did the write (%d commits) but the call reported %v, not matching ErrOutcomeUnknown",
				op.name, wf.name, attempt, commits, err)
		}
		if err == nil || unknown {
			break
		}
	}
	if total > 1 && (op.method == http.MethodPost || op.method == http.MethodPatch) {
		t.Errorf("%s / %s (run %d): committed %d times", op.name, wf.name, rep, total)
	}
	srv.ClearFaults()
}

// writeOps lists the writes of the matrix. With srv nil it only gives
// their number.
func writeOps(t *testing.T, srv *posthogtest.Server, c *posthogapi.Client, org posthogapi.OrganizationID) []writeOp {
	member := func(t *testing.T, i int) any {
		u := srv.AddUser(posthogtest.UserSeed{Email: fmt.Sprintf("member%d@example.com", i), FirstName: "M"})
		srv.AddMember(org, u.UUID, posthogtest.LevelMember)
		return u.UUID
	}
	role := func(t *testing.T, i int) any {
		return srv.AddRole(org, fmt.Sprintf("setup role %d", i)).ID
	}
	return []writeOp{
		{name: "Invites.Create", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.Invites.Create(ctx, org, &posthogapi.InviteCreate{TargetEmail: fmt.Sprintf("one%d@example.com", i)})
			return err
		}},
		{name: "Invites.Bulk", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.Invites.Bulk(ctx, org, []posthogapi.InviteCreate{
				{TargetEmail: fmt.Sprintf("bulk%da@example.com", i)}, {TargetEmail: fmt.Sprintf("bulk%db@example.com", i)}, {TargetEmail: fmt.Sprintf("bulk%dc@example.com", i)},
			})
			return err
		}},
		{name: "Invites.Delete", method: http.MethodDelete, setup: func(t *testing.T, i int) any {
			return srv.AddInvite(org, posthogtest.InviteSeed{Email: fmt.Sprintf("gone%d@example.com", i)}).ID
		}, run: func(ctx context.Context, i int, prep any) error {
			return c.Invites.Delete(ctx, org, prep.(posthogapi.InviteID))
		}},
		{name: "Roles.Create", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.Roles.Create(ctx, org, &posthogapi.RoleCreate{Name: fmt.Sprintf("role %d", i)})
			return err
		}},
		{name: "Roles.Update", method: http.MethodPatch, setup: role, run: func(ctx context.Context, i int, prep any) error {
			_, err := c.Roles.Update(ctx, org, prep.(posthogapi.RoleID), &posthogapi.RoleUpdate{Name: posthogapi.Ptr(fmt.Sprintf("renamed role %d", i))})
			return err
		}},
		{name: "Roles.Replace", method: http.MethodPut, setup: role, run: func(ctx context.Context, i int, prep any) error {
			_, err := c.Roles.Replace(ctx, org, prep.(posthogapi.RoleID), &posthogapi.RoleCreate{Name: fmt.Sprintf("replaced role %d", i)})
			return err
		}},
		{name: "Roles.AddUser", method: http.MethodPost, setup: func(t *testing.T, i int) any {
			return [2]uuid.UUID{role(t, i).(posthogapi.RoleID).UUID(), member(t, i).(posthogapi.UserUUID).UUID()}
		}, run: func(ctx context.Context, i int, prep any) error {
			p := prep.([2]uuid.UUID)
			_, err := c.Roles.AddUser(ctx, org, posthogapi.RoleID(p[0]), posthogapi.UserUUID(p[1]))
			return err
		}},
		{name: "Projects.Create", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.Projects.Create(ctx, org, &posthogapi.ProjectCreate{Name: fmt.Sprintf("project %d", i)})
			return err
		}},
		{name: "Members.Update", method: http.MethodPatch, setup: member, run: func(ctx context.Context, i int, prep any) error {
			_, err := c.Members.Update(ctx, org, prep.(posthogapi.UserUUID), &posthogapi.MemberUpdate{Level: posthogapi.MembershipLevelAdmin})
			return err
		}},
		{name: "BatchExports.Create", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.BatchExports.Create(ctx, org, &posthogapi.BatchExportCreate{
				Name: fmt.Sprintf("export %d", i), Interval: posthogapi.IntervalHour,
				Destination: posthogapi.NewBatchExportDestination(posthogapi.HTTPConfig{URL: "https://us.i.posthog.com/batch/", Token: "phc_t"}),
			})
			return err
		}},
		{name: "Organizations.Create", method: http.MethodPost, run: func(ctx context.Context, i int, _ any) error {
			_, err := c.Organizations.Create(ctx, &posthogapi.OrganizationCreate{Name: fmt.Sprintf("org %d", i)})
			return err
		}},
	}
}

// checkStateMatchesCommits cross-checks the request log against the
// server's state: each object the matrix created exists once.
func checkStateMatchesCommits(t *testing.T, srv *posthogtest.Server, c *posthogapi.Client, org posthogapi.OrganizationID) {
	t.Helper()
	counts := map[string]int{}
	for _, r := range srv.Roles(org) {
		counts[r.Name]++
	}
	for _, p := range srv.Projects(org) {
		counts[p.Name]++
	}
	for _, b := range srv.BatchExports(org) {
		counts[b.Name]++
	}
	for o, err := range c.Organizations.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		counts[o.Name]++
	}
	for name, n := range counts {
		if n > 1 {
			t.Errorf("%q exists %d times", name, n)
		}
	}
	for _, inv := range srv.Invites(org) {
		if n := srv.InvitesCreated(org, inv.Email); n > 1 {
			t.Errorf("invite for %s created %d times", inv.Email, n)
		}
	}
}
