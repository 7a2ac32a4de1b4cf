package pyjson

import "testing"

func TestListLen(t *testing.T) {
	for _, tc := range []struct {
		items []string
		want  string // what Python's json.dumps(items) writes
	}{
		{nil, `[]`},
		{[]string{""}, `[""]`},
		{[]string{"a", "b\n", "😀"}, `["a", "b\n", "\ud83d\ude00"]`},
		{[]string{"a\"", "😀", "\x01"}, `["a\"", "\ud83d\ude00", "\u0001"]`},
		{[]string{"é\\\t"}, `["\u00e9\\\t"]`},
	} {
		if got := ListLen(tc.items); got != len(tc.want) {
			t.Errorf("ListLen(%q) = %d, want %d (%s)", tc.items, got, len(tc.want), tc.want)
		}
	}
}
