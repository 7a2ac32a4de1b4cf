package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/cli"
	"github.com/hogkit/posthogapi/posthogtest"
)

// BenchmarkAudit runs `posthog-org audit --progress always` (in this
// process, the bar drawn to a discarded stderr taken for a terminal) over
// 20 organizations of 1,000 members each (100 with -short) at +50 ms per
// request, and reports its time over the fewest round trips: 2 (the
// organization list, then every member page and role list at once; the
// organization list gives each member count, so no page waits for another).
// It also reports the time over the physical bound on this machine: those
// round trips plus the least time to decode the answers (decodeFloor), and
// over a plain net/http twin (auditTwin).
func BenchmarkAudit(b *testing.B) {
	const orgsN, latency = 20, 50 * time.Millisecond
	perOrg := 1000
	if testing.Short() {
		perOrg = 100
	}
	srv := posthogtest.NewServer(posthogtest.WithLatency(latency))
	defer srv.Close()
	owner := srv.DefaultUser().UUID
	orgs := []posthogapi.OrganizationID{srv.DefaultOrganization().ID}
	for i := 1; i < orgsN; i++ {
		orgs = append(orgs, srv.AddOrganization(fmt.Sprintf("Org %d", i), owner).ID)
	}
	for i, o := range orgs {
		var some []posthogapi.UserUUID
		for j := range perOrg - 1 { // plus the owner
			u := srv.AddUser(posthogtest.UserSeed{Email: fmt.Sprintf("u%d-%d@example.com", i, j), Is2FAEnabled: j%3 == 0})
			srv.AddMember(o, u.UUID, posthogapi.MembershipLevelMember)
			if j%10 == 0 {
				some = append(some, u.UUID)
			}
		}
		srv.AddRole(o, "Engineering", some...)
		srv.AddRole(o, "Support", some[:len(some)/2]...)
	}
	env := map[string]string{"POSTHOG_HOST": srv.URL(), "POSTHOG_PERSONAL_API_KEY": srv.NewAPIKey("*")}
	var out, progress bytes.Buffer
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		out.Reset()
		progress.Reset()
		srv.ResetRequests()
		code := cli.Main(context.Background(), []string{"audit", "-o", "csv", "--progress", "always"}, cli.Streams{
			In: strings.NewReader(""), Out: &out, Err: &progress, ErrTTY: true,
			Getenv: func(k string) string { return env[k] },
		})
		if code != 0 {
			b.Fatalf("exit %d: %s", code, progress.String())
		}
	}
	elapsed := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	requests := len(srv.Requests()) // of the last run
	twin := auditTwin(b, srv.URL(), env["POSTHOG_PERSONAL_API_KEY"], orgsN*perOrg)
	if rows := strings.Count(out.String(), "@example.com"); rows != orgsN*perOrg {
		b.Fatalf("audited %d rows, want %d", rows, orgsN*perOrg)
	}
	if !strings.Contains(progress.String(), "auditing") {
		b.Fatal("no progress drawn")
	}
	pages := (perOrg + 99) / 100
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(float64(1+orgsN*(pages+1)), "fewest-requests")
	b.ReportMetric(elapsed.Seconds(), "s-audit")
	b.ReportMetric((2 * latency).Seconds(), "s-round-trips")
	b.ReportMetric(elapsed.Seconds()/(2*latency).Seconds(), "x-round-trips")
	b.ReportMetric(twin.Seconds(), "s-twin")
	b.ReportMetric(elapsed.Seconds()/twin.Seconds(), "x-twin")
	decode := decodeFloor(b, srv.URL(), env["POSTHOG_PERSONAL_API_KEY"], orgs, perOrg)
	b.ReportMetric(decode.Seconds(), "s-decode")
	b.ReportMetric(elapsed.Seconds()/(2*latency+decode).Seconds(), "x-round-trips+decode")
}

// decodeFloor is the least time this machine takes to decode the audit's
// answers, whoever asks: it fetches the 221 answers once, then decodes them
// from memory with encoding/json into the library's types on every core at
// once, and returns the best of three. No client can finish before its
// last answer arrives (the round trips) and is decoded (this floor), so
// round trips plus this floor is the least time an audit can take here.
func decodeFloor(b *testing.B, base, key string, orgs []posthogapi.OrganizationID, perOrg int) time.Duration {
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	fetch := func(path string) []byte {
		resp, err := authGet(hc, base+path, key)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return body
	}
	type answer struct {
		body []byte
		into func() any // a fresh value to decode body into
	}
	answers := []answer{{fetch("/api/organizations/"), func() any { return new(posthogapi.Page[posthogapi.Organization]) }}}
	for _, o := range orgs {
		answers = append(answers, answer{fetch("/api/organizations/" + o.String() + "/roles/"), func() any { return new(posthogapi.Page[posthogapi.Role]) }})
		for off := 0; off < perOrg; off += 100 {
			page := fetch(fmt.Sprintf("/api/organizations/%s/members/?limit=100&offset=%d", o, off))
			answers = append(answers, answer{page, func() any { return new(posthogapi.Page[posthogapi.OrganizationMember]) }})
		}
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		work := make(chan answer, len(answers))
		for _, a := range answers {
			work <- a
		}
		close(work)
		start := time.Now()
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for a := range work {
					if err := json.Unmarshal(a.body, a.into()); err != nil {
						b.Error(err)
					}
				}
			})
		}
		wg.Wait()
		best = min(best, time.Since(start))
	}
	return best
}

// authGet sends a GET of url with key as a plain program would.
func authGet(hc *http.Client, url, key string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	return hc.Do(req)
}

// auditTwin makes the audit's fewest requests with plain net/http and
// encoding/json, every page and role list at once after the organization
// list, decoding the answers and printing nothing: the least time the
// reads take against this server on this machine, from a cold start as
// the command's. It returns the best of three runs.
func auditTwin(b *testing.B, base, key string, wantMembers int) time.Duration {
	var hc *http.Client
	get := func(path string, out any) {
		resp, err := authGet(hc, base+path, key)
		if err != nil {
			b.Error(err)
			return
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			b.Error(err)
		}
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		// A fresh transport, so that the twin opens its connections as
		// the command (a new process) does.
		hc = &http.Client{Transport: &http.Transport{}}
		start := time.Now()
		var orgs posthogapi.Page[posthogapi.Organization]
		get("/api/organizations/", &orgs)
		var wg sync.WaitGroup
		var mu sync.Mutex
		members := 0
		for _, o := range orgs.Results {
			wg.Go(func() {
				var roles posthogapi.Page[posthogapi.Role]
				get("/api/organizations/"+o.ID.String()+"/roles/", &roles)
			})
			for off := 0; off < o.MemberCount; off += 100 {
				wg.Go(func() {
					var p posthogapi.Page[posthogapi.OrganizationMember]
					get(fmt.Sprintf("/api/organizations/%s/members/?limit=100&offset=%d", o.ID, off), &p)
					mu.Lock()
					members += len(p.Results)
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		if members != wantMembers {
			b.Fatalf("twin read %d members, want %d", members, wantMembers)
		}
		best = min(best, time.Since(start))
		hc.CloseIdleConnections()
	}
	return best
}

// BenchmarkAccessApplyShared runs 4 posthog-org processes (the built
// binary) at once on one key, each applying an access file of 125 changes
// to an organization of its own (500 in all; 10 each with -short), against
// posthogtest throttling as PostHog Cloud does (480 requests a minute,
// 4,800 an hour). With budget=redis the processes share the rate budget
// through Redis (--redis-url, --redis-processes 4): every change must be
// done, and it reports the 429s the server answered, the most requests in
// any minute, and the time over the rate-limit bound (when the last request
// the server admitted could have gone out at the earliest). With
// budget=per-process each process keeps to the whole budget on its own,
// as without --redis-url: the contrast, reporting the 429s and the changes
// done.
func BenchmarkAccessApplyShared(b *testing.B) {
	const procs = 4
	perProc := 125
	if testing.Short() {
		perProc = 10
	}
	bin := buildBinary(b)
	redisAddr := startRedis(b)
	b.Run("budget=redis", func(b *testing.B) {
		applyProcesses(b, bin, procs, perProc, true, "--redis-url", "redis://"+redisAddr+"/0", "--redis-processes", strconv.Itoa(procs))
	})
	b.Run("budget=per-process", func(b *testing.B) {
		applyProcesses(b, bin, procs, perProc, false)
	})
}

// applyProcesses runs procs `access apply` processes at once with extra
// flags; with all, every change must be done.
func applyProcesses(b *testing.B, bin string, procs, perProc int, all bool, extra ...string) {
	for range b.N {
		b.StopTimer()
		srv := posthogtest.NewServer(posthogtest.WithRateLimit(480, 4800))
		key := srv.NewAPIKey("*")
		dir := b.TempDir()
		var files []string
		for p := range procs {
			files = append(files, seedApplyOrg(b, srv, dir, p, perProc))
		}
		var wg sync.WaitGroup
		errs := make([]error, procs)
		outs := make([]bytes.Buffer, procs)
		b.StartTimer()
		start := time.Now()
		for p := range procs {
			wg.Go(func() {
				args := append([]string{"access", "apply", "-f", files[p], "--yes", "-o", "json", "--progress", "never"}, extra...)
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "POSTHOG_HOST="+srv.URL(), "POSTHOG_PERSONAL_API_KEY="+key)
				cmd.Stdout = &outs[p]
				cmd.Stderr = &outs[p]
				errs[p] = cmd.Run()
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		done := 0
		for p, err := range errs {
			n := strings.Count(outs[p].String(), `"status": "done"`)
			done += n
			if all && (err != nil || n != perProc) {
				b.Fatalf("process %d: %v, %d changes done, want %d\n%s", p, err, n, perProc, outs[p].String())
			}
		}
		admitted, throttled := srv.ThrottleLog(key)
		srv.Close()
		bound := posthogtest.EarliestSlot(len(admitted)-1, posthogtest.RateWindow{Requests: 480, Per: time.Minute}, posthogtest.RateWindow{Requests: 4800, Per: time.Hour})
		// A round trip for the last answer and the processes' start are
		// part of any run: measured as the run's time minus the span of
		// the admitted requests.
		span := admitted[len(admitted)-1].Sub(minTime(admitted))
		overhead := elapsed - span
		b.ReportMetric(float64(procs*perProc), "changes")
		b.ReportMetric(float64(done), "changes-done")
		b.ReportMetric(float64(len(admitted)), "requests")
		b.ReportMetric(float64(throttled), "429s")
		b.ReportMetric(float64(posthogtest.MostInWindow(admitted, time.Minute)), "max-in-1m")
		b.ReportMetric(elapsed.Seconds(), "s-completion")
		b.ReportMetric(bound.Seconds(), "s-rate-bound")
		b.ReportMetric(overhead.Seconds(), "s-start-and-last-answer")
		if bound > 0 { // with -short the run stays within the budget
			b.ReportMetric(span.Seconds()/bound.Seconds(), "x-rate-bound")
			b.ReportMetric(elapsed.Seconds()/(bound+overhead).Seconds(), "x-bound-with-start")
		}
	}
}

// seedApplyOrg makes organization p with perProc changes to apply: a
// third promotions, a third additions to a role, the rest invites, and
// writes its access file.
func seedApplyOrg(b *testing.B, srv *posthogtest.Server, dir string, p, perProc int) string {
	org := srv.AddOrganization(fmt.Sprintf("Apply %d", p), srv.DefaultUser().UUID)
	srv.AddRole(org.ID, "Engineering")
	promote, role := perProc/3, perProc/3
	invite := perProc - promote - role
	var sb strings.Builder
	fmt.Fprintf(&sb, "organizations:\n  - id: %s\n    people:\n      - email: owner@example.com\n        level: owner\n", org.ID)
	for j := range promote {
		e := fmt.Sprintf("p%d-promote%d@example.com", p, j)
		srv.AddMember(org.ID, srv.AddUser(posthogtest.UserSeed{Email: e}).UUID, posthogapi.MembershipLevelMember)
		fmt.Fprintf(&sb, "      - email: %s\n        level: admin\n", e)
	}
	for j := range role {
		e := fmt.Sprintf("p%d-role%d@example.com", p, j)
		srv.AddMember(org.ID, srv.AddUser(posthogtest.UserSeed{Email: e}).UUID, posthogapi.MembershipLevelMember)
		fmt.Fprintf(&sb, "      - email: %s\n        roles: [Engineering]\n", e)
	}
	for j := range invite {
		fmt.Fprintf(&sb, "      - email: p%d-invite%d@example.com\n", p, j)
	}
	f := filepath.Join(dir, fmt.Sprintf("org%d.yaml", p))
	if err := os.WriteFile(f, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return f
}

// buildBinary builds posthog-org once, as a user's go install would.
func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "posthog-org")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startRedis starts a private redis-server on a free loopback port,
// stopped at the benchmark's end. CI installs redis-server (.ci/run).
func startRedis(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		b.Fatalf("this benchmark needs redis-server on PATH (Debian: apt-get install redis-server; .ci/run installs it): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	dir := b.TempDir()
	cmd := exec.Command("redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			_, _ = io.WriteString(c, "PING\r\n")
			buf := make([]byte, 7)
			_, err := io.ReadFull(c, buf)
			_ = c.Close()
			if err == nil && string(buf) == "+PONG\r\n" {
				return addr
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("redis-server on %s did not answer", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func minTime(ts []time.Time) time.Time {
	m := ts[0]
	for _, t := range ts {
		if t.Before(m) {
			m = t
		}
	}
	return m
}
