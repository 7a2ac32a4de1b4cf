package exampleenv

import (
	"bytes"
	"strings"
	"testing"
)

func TestFlagsAndParse(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		maxArgs int
		code    int
		ok      bool
		usage   bool // the usage message was printed
	}{
		{nil, 0, 0, true, false},
		{[]string{"-v", "a"}, 1, 0, true, false},
		{[]string{"a", "b", "c"}, -1, 0, true, false},
		{[]string{"a", "b"}, 1, 2, false, true},
		{[]string{"a"}, 0, 2, false, true},
		{[]string{"-h"}, 0, 0, false, true},
		{[]string{"-nope"}, 0, 2, false, true},
	} {
		var stderr bytes.Buffer
		fs := Flags("demo", &stderr, "usage: demo [-v] [ARG]", "Demonstrates.")
		v := fs.Bool("v", false, "be verbose")
		code, ok := Parse(fs, tc.args, tc.maxArgs)
		if code != tc.code || ok != tc.ok {
			t.Errorf("Parse(%q, %d) = %d, %v; want %d, %v", tc.args, tc.maxArgs, code, ok, tc.code, tc.ok)
		}
		printed := strings.Contains(stderr.String(), "usage: demo [-v] [ARG]\nDemonstrates.\n  -v\tbe verbose")
		if printed != tc.usage {
			t.Errorf("Parse(%q, %d) printed %q; want the usage message: %v", tc.args, tc.maxArgs, stderr.String(), tc.usage)
		}
		if ok && *v != (len(tc.args) > 0 && tc.args[0] == "-v") {
			t.Errorf("Parse(%q): -v = %v", tc.args, *v)
		}
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	fs := Flags("demo", &stderr, "usage: demo")
	if code := Usage(fs); code != 2 || stderr.String() != "usage: demo\n" {
		t.Errorf("Usage = %d, printed %q; want 2, %q", code, stderr.String(), "usage: demo\n")
	}
}
