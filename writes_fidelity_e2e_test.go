package posthogapi_test

// Writes PostHog did are never reported as not done (issue 9, deliverable
// 2), and bulk invites that fail midway are reconciled (deliverable 3,
// server-fidelity item 13). See RELIABILITY.md, "Writes under faults".

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

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
		c, err := srv.Client(srv.NewAPIKey("*"), posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetryWait(10*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
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

// bulkScenario: 45 invites in three chunks; index 30 (second chunk) is a
// member's address; user25 and user35 already have pending invites.
func bulkScenario(t *testing.T, nonAtomic bool) (*posthogtest.Server, *posthogapi.Client, uuid.UUID, []posthogapi.InviteCreate, map[string]uuid.UUID) {
	t.Helper()
	var opts []posthogtest.Option
	if !nonAtomic {
		opts = append(opts, posthogtest.WithAtomicBulkInvites())
	}
	srv := posthogtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(srv.NewAPIKey("organization_member:write"), posthogapi.WithRetryWaitMin(time.Millisecond), posthogapi.WithMaxRetryWait(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	org := srv.DefaultOrganization().ID
	invites := make([]posthogapi.InviteCreate, 45)
	for i := range invites {
		invites[i] = posthogapi.InviteCreate{TargetEmail: fmt.Sprintf("user%02d@example.com", i)}
	}
	invites[30].TargetEmail = "owner@example.com"
	earlier := map[string]uuid.UUID{}
	for _, e := range []string{"user25@example.com", "user35@example.com"} {
		earlier[e] = uuid.UUID(srv.AddInvite(org, posthogtest.InviteSeed{Email: e}).ID)
	}
	return srv, c, uuid.UUID(org), invites, earlier
}

// Item 13: PostHog refuses a member's address only while creating a bulk's
// invites one by one. Whether the invites before it are kept depends on a
// transaction nobody has verified, so both are modelled and BulkChunked
// reports the truth in both.
func TestFidelity13_BulkPartialCreationReconciled(t *testing.T) {
	for _, nonAtomic := range []bool{false, true} {
		t.Run(fmt.Sprintf("nonAtomic=%v", nonAtomic), func(t *testing.T) {
			srv, c, org, invites, earlier := bulkScenario(t, nonAtomic)
			r, err := c.Invites.BulkChunked(context.Background(), posthogapi.OrganizationID(org), invites)
			if !errors.Is(err, posthogapi.ErrValidation) {
				t.Fatalf("err = %v, want the second chunk's 400", err)
			}
			mid := r.Chunks[1]
			if mid.Err == nil || mid.ReconcileErr != nil || len(mid.Results) != 20 {
				t.Fatalf("second chunk = %+v", mid)
			}
			// Server truth, from its own count of created invites.
			for _, res := range r.Results() {
				want := posthogapi.InviteNotCreated
				if srv.InvitesCreated(posthogapi.OrganizationID(org), res.TargetEmail) == 1 {
					want = posthogapi.InviteCreated
				}
				if res.Status != want {
					t.Errorf("%s: %v, server says %v", res.TargetEmail, res.Status, want)
				}
				if res.Status == posthogapi.InviteCreated && (res.Invite == nil || res.Invite.ID == posthogapi.InviteID(earlier[res.TargetEmail])) {
					t.Errorf("%s: created, but invite %+v", res.TargetEmail, res.Invite)
				}
			}
			created := 0
			for _, res := range mid.Results {
				if res.Status == posthogapi.InviteCreated {
					created++
				}
			}
			if nonAtomic {
				// user20..user29 were created before owner@ failed; user25's
				// earlier invite was replaced, user35's was not.
				if created != 10 || mid.Results[5].Status != posthogapi.InviteCreated || mid.Results[15].Status != posthogapi.InviteNotCreated {
					t.Errorf("non-atomic: %d created in the failed chunk, results %+v", created, mid.Results)
				}
				if !mid.OutcomeUnknown || !errors.Is(mid.Err, posthogapi.ErrOutcomeUnknown) || !errors.Is(mid.Err, posthogapi.ErrValidation) || len(mid.Created) != 10 {
					t.Errorf("non-atomic chunk: unknown %v, err %v, created %d", mid.OutcomeUnknown, mid.Err, len(mid.Created))
				}
			} else {
				if created != 0 || mid.OutcomeUnknown || errors.Is(mid.Err, posthogapi.ErrOutcomeUnknown) {
					t.Errorf("transactional: %d created, chunk %+v", created, mid)
				}
			}
			if len(r.Unknown()) != 0 {
				t.Errorf("unknown: %+v", r.Unknown())
			}
			// Re-sending exactly NotCreated, without the member's address
			// the 400 named, creates every other address once.
			var again []posthogapi.InviteCreate
			for _, res := range r.NotCreated() {
				if res.TargetEmail != "owner@example.com" {
					again = append(again, invites[res.Index])
				}
			}
			if _, err := c.Invites.BulkChunked(context.Background(), posthogapi.OrganizationID(org), again); err != nil {
				t.Fatalf("re-send: %v", err)
			}
			for i, inv := range invites {
				if n := srv.InvitesCreated(posthogapi.OrganizationID(org), inv.TargetEmail); i != 30 && n != 1 {
					t.Errorf("%s created %d times", inv.TargetEmail, n)
				}
			}
		})
	}
}

// Item 13, Invites.Bulk alone: in the non-atomic mode a refused bulk has
// created the invites before the member's address, as its doc warns.
func TestFidelity13_BulkPartialCreationBulkDoc(t *testing.T) {
	for _, nonAtomic := range []bool{false, true} {
		srv, c, org, _, _ := bulkScenario(t, nonAtomic)
		_, err := c.Invites.Bulk(context.Background(), posthogapi.OrganizationID(org), []posthogapi.InviteCreate{
			{TargetEmail: "a@example.com"}, {TargetEmail: "owner@example.com"}, {TargetEmail: "b@example.com"},
		})
		var ae *posthogapi.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Detail != "A user with this email address already belongs to the organization." {
			t.Fatalf("nonAtomic=%v: err = %v", nonAtomic, err)
		}
		a, b := srv.InvitesCreated(posthogapi.OrganizationID(org), "a@example.com"), srv.InvitesCreated(posthogapi.OrganizationID(org), "b@example.com")
		if nonAtomic && (a != 1 || b != 0) || !nonAtomic && (a != 0 || b != 0) {
			t.Errorf("nonAtomic=%v: a created %d, b created %d", nonAtomic, a, b)
		}
	}
}

// The property for BulkChunked under every fault, on every chunk, in both
// server modes: a caller that re-sends the failed chunks that are not
// OutcomeUnknown, or (the other policy) exactly the NotCreated invites,
// never creates an invite twice, and every address reported created or
// not created is so on the server.
func TestFidelity13_BulkPartialCreationUnderFaults(t *testing.T) {
	runs, resent := 0, 0
	for _, nonAtomic := range []bool{false, true} {
		for _, wf := range writeFaults {
			for chunk := range 3 {
				for _, policy := range []string{"chunks", "addresses"} {
					runs++
					resent += bulkUnderFault(t, nonAtomic, wf, chunk, policy)
				}
			}
		}
	}
	t.Logf("BULK FIGURES: %d BulkChunked runs of 45 invites (%d faults x 3 chunks x 2 policies x 2 server modes), %d invites re-sent, 0 created twice", runs, len(writeFaults), resent)
}

func bulkUnderFault(t *testing.T, nonAtomic bool, wf writeFault, chunk int, policy string) int {
	t.Helper()
	name := fmt.Sprintf("nonAtomic=%v %s chunk %d policy %s", nonAtomic, wf.name, chunk, policy)
	srv, c, org, invites, _ := bulkScenario(t, nonAtomic)
	ctx := context.Background()
	if wf.f != (posthogtest.Fault{}) {
		f := wf.f
		f.Method, f.Path, f.Skip = http.MethodPost, "/api/organizations/"+org.String()+"/invites/bulk/", chunk
		srv.InjectFault(f)
	}
	r, _ := c.Invites.BulkChunked(ctx, posthogapi.OrganizationID(org), invites)
	if r == nil {
		t.Fatalf("%s: no report", name)
	}
	// Every definite status agrees with the server.
	for _, res := range r.Results() {
		n := srv.InvitesCreated(posthogapi.OrganizationID(org), res.TargetEmail)
		switch {
		case res.Status == posthogapi.InviteCreated && n != 1, res.Status == posthogapi.InviteNotCreated && n != 0:
			t.Errorf("%s: %s reported %v, created %d times", name, res.TargetEmail, res.Status, n)
		}
	}
	for _, ch := range r.Chunks {
		if ch.OutcomeUnknown != errors.Is(ch.Err, posthogapi.ErrOutcomeUnknown) {
			t.Errorf("%s: chunk %d OutcomeUnknown %v disagrees with its error %v", name, ch.Start, ch.OutcomeUnknown, ch.Err)
		}
	}
	var again []posthogapi.InviteCreate
	switch policy {
	case "chunks":
		for _, ch := range r.Failed() {
			if !errors.Is(ch.Err, posthogapi.ErrOutcomeUnknown) {
				again = append(again, invites[ch.Start:ch.End]...)
			}
		}
	default:
		for _, res := range r.NotCreated() {
			again = append(again, invites[res.Index])
		}
	}
	if len(again) > 0 {
		if _, err := c.Invites.BulkChunked(ctx, posthogapi.OrganizationID(org), again); err != nil && !errors.Is(err, posthogapi.ErrValidation) {
			t.Errorf("%s: re-send: %v", name, err)
		}
	}
	for _, inv := range invites {
		if n := srv.InvitesCreated(posthogapi.OrganizationID(org), inv.TargetEmail); n > 1 {
			t.Errorf("%s: %s created %d times", name, inv.TargetEmail, n)
		}
	}
	return len(again)
}
