package posthogapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

func TestIDEncodesAsPostHogWritesUUIDs(t *testing.T) {
	const s = "0191e8a4-0000-7000-8000-000000000100"
	role := posthogapi.RoleID(uuid.MustParse(s))
	if role.String() != s || role.UUID().String() != s {
		t.Fatalf("String = %q, UUID = %q", role.String(), role.UUID())
	}
	if role.Kind() != "role ID" {
		t.Fatalf("Kind = %q", role.Kind())
	}
	b, err := json.Marshal(struct {
		Role posthogapi.RoleID   `json:"role"`
		Nil  posthogapi.UserUUID `json:"nil,omitzero"`
	}{Role: role})
	if err != nil || string(b) != `{"role":"`+s+`"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back struct {
		Role posthogapi.RoleID `json:"role"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Role != role {
		t.Fatalf("Unmarshal = %v, %v", back.Role, err)
	}
	if err := json.Unmarshal([]byte(`{"role":"not-a-uuid"}`), &back); err == nil {
		t.Fatal("a malformed UUID decoded")
	}
	v, err := query.Values(struct {
		Role posthogapi.RoleID `url:"role"`
	}{role})
	if err != nil || v.Get("role") != s {
		t.Fatalf("query = %v, %v", v, err)
	}
}

func TestParseID(t *testing.T) {
	id, err := posthogapi.ParseID[posthogapi.MembershipID]("0191E8A4-0000-7000-8000-000000000100")
	if err != nil || id.String() != "0191e8a4-0000-7000-8000-000000000100" {
		t.Fatalf("ParseID = %v, %v", id, err)
	}
	if _, err := posthogapi.ParseID[posthogapi.RoleID]("nope"); !errors.Is(err, posthogapi.ErrInvalidArgument) {
		t.Fatalf("ParseID(nope) = %v, want ErrInvalidArgument", err)
	}
	if !(posthogapi.OrganizationID{}).IsZero() {
		t.Fatal("zero ID is not IsZero")
	}
}

func TestIDGoString(t *testing.T) {
	m := posthogapi.MembershipID(uuid.MustParse("0191e8a4-0000-7000-8000-000000000100"))
	if got, want := fmt.Sprintf("%#v", m), `posthogapi.MembershipID(uuid.MustParse("0191e8a4-0000-7000-8000-000000000100"))`; got != want {
		t.Fatalf("%%#v = %s, want %s", got, want)
	}
	if got := fmt.Sprintf("%v", m); got != "0191e8a4-0000-7000-8000-000000000100" {
		t.Fatalf("%%v = %s", got)
	}
}

// TestWrongIDsDoNotCompile compiles testdata/wrongids, an offboarding flow
// that passes every wrong kind of ID (an organization membership ID where
// the user's UUID is meant, a role membership ID, a user's UUID where a role
// or an invite is meant, organization and role swapped, ...): each line
// marked ERROR must be a compile error, and no other line may be one. With
// plain uuid.UUID parameters all of them compiled, and PostHog's 404 read as
// "already gone" to idempotent clean-up code.
func TestWrongIDsDoNotCompile(t *testing.T) {
	checkCompileErrors(t, "wrongids", 15)
}

// TestLegacyS3DestinationDoesNotCompile compiles testdata/legacys3: writing
// a legacy S3Config destination (PostHog refuses the 'S3' type) is a
// compile error, while decoding an existing S3 export into an S3Config and
// writing an AwsS3Config compile (issue 15, deliverable 6).
func TestLegacyS3DestinationDoesNotCompile(t *testing.T) {
	checkCompileErrors(t, "legacys3", 5)
}

// checkCompileErrors builds testdata/<dir>/<dir>.go: each line marked
// "// ERROR " must be a compile error saying "cannot use", and no other
// line may be one; at least min lines are marked.
func checkCompileErrors(t *testing.T, dir string, min int) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to compile testdata/%s: %v", dir, err)
	}
	src, err := os.ReadFile("testdata/" + dir + "/" + dir + ".go")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	want := map[int]bool{}
	for i, line := range lines {
		if strings.Contains(line, "// ERROR ") {
			want[i+1] = true
		}
	}
	if len(want) < min {
		t.Fatalf("only %d ERROR lines in testdata/%s", len(want), dir)
	}
	out, err := exec.Command(goBin, "build", "-gcflags=-e", "-o", os.DevNull, "./testdata/"+dir+"/").CombinedOutput()
	if err == nil {
		t.Fatalf("testdata/%s compiled: some ERROR line is accepted", dir)
	}
	got := map[int]bool{}
	re := regexp.MustCompile(regexp.QuoteMeta(dir) + `\.go:(\d+):\d+: (.*)`)
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		if !strings.Contains(m[2], "cannot use") {
			t.Errorf("line %d: unexpected error %q", n, m[2])
		}
		got[n] = true
	}
	for n := range want {
		if !got[n] {
			t.Errorf("line %d compiles: %s", n, strings.TrimSpace(lines[n-1]))
		}
	}
	for n := range got {
		if !want[n] {
			t.Errorf("line %d does not compile but is not marked ERROR:\n%s", n, out)
		}
	}
}
