package output

import (
	"bytes"
	"testing"
)

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		tty  bool
		want Format
	}{
		{"", true, Table}, {"", false, JSON}, {"CSV", true, CSV}, {" table ", false, Table}, {"json", true, JSON},
	} {
		if got, err := ParseFormat(tc.in, tc.tty); err != nil || got != tc.want {
			t.Errorf("ParseFormat(%q, %v) = %q, %v; want %q", tc.in, tc.tty, got, err, tc.want)
		}
	}
	if _, err := ParseFormat("yaml", true); err == nil {
		t.Error("yaml accepted")
	}
}

type item struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

var cols = []Column[item]{
	{Header: "name", Value: func(i item) string { return i.Name }},
	{Header: "note", Value: func(i item) string { return i.Note }},
}

func TestPrint(t *testing.T) {
	items := []item{{Name: "a,b", Note: "line\nbreak"}, {Name: "c"}}
	for f, want := range map[Format]string{
		CSV:   "name,note\n\"a,b\",\"line\nbreak\"\nc,\n",
		Table: "NAME  NOTE\na,b   line break\nc     -\n",
		JSON:  "[\n  {\n    \"name\": \"a,b\",\n    \"note\": \"line\\nbreak\"\n  },\n  {\n    \"name\": \"c\"\n  }\n]\n",
	} {
		var b bytes.Buffer
		if err := Print(&b, f, items, cols); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s:\n%q\nwant\n%q", f, b.String(), want)
		}
	}
	var b bytes.Buffer
	if err := Print(&b, JSON, []item{}, cols); err != nil || b.String() != "[]\n" {
		t.Errorf("empty JSON: %q, %v", b.String(), err)
	}
}
