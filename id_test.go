package posthogapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
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
