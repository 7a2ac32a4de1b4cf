package posthogapi

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks the whole suite (package posthogapi and posthogapi_test)
// for leaked goroutines, and prints the reliability figures in -v runs.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(figuresM{m})
}

// figuresM runs the tests, then prints the figures collected by the
// reliability tests (RELIABILITY.md shows the command).
type figuresM struct{ m *testing.M }

func (f figuresM) Run() int {
	code := f.m.Run()
	if testing.Verbose() {
		if s := figuresReport(); s != "" {
			fmt.Fprint(os.Stdout, s)
		}
	}
	return code
}
