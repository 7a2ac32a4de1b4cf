package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestModes(t *testing.T) {
	for _, s := range []string{"auto", "always", "never"} {
		if _, err := ParseMode(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ParseMode("yes"); err == nil {
		t.Error("yes accepted")
	}
	var b bytes.Buffer
	for _, tc := range []struct {
		mode Mode
		tty  bool
		on   bool
	}{{Auto, true, true}, {Auto, false, false}, {Always, false, true}, {Never, true, false}} {
		if got := New(&b, tc.mode, tc.tty, 10, "x") != nil; got != tc.on {
			t.Errorf("New(%s, tty %v): bar %v, want %v", tc.mode, tc.tty, got, tc.on)
		}
	}
}

func TestBar(t *testing.T) {
	var nilBar *Bar // no bar: every method is a no-op
	nilBar.Add(1)
	nilBar.AddTotal(1)
	nilBar.Done()

	var b bytes.Buffer
	bar := New(&b, Always, false, 4, "reading")
	bar.Add(2)
	bar.AddTotal(2)
	bar.Add(4)
	bar.Done()
	if !strings.Contains(b.String(), "reading") {
		t.Fatalf("bar drew %q", b.String())
	}
}
