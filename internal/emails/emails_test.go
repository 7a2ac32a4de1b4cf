package emails

import "testing"

func TestInviteAddress(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"  Ann@Example.COM \n":  "Ann@example.com",
		"ann@example.com":       "ann@example.com",
		"A@b@Example.Org":       "A@b@example.org",
		" NoAt ":                "NoAt",
		"Ann.Lee+X@SUB.Example": "Ann.Lee+X@sub.example",
	} {
		if got := InviteAddress(in); got != want {
			t.Errorf("InviteAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
