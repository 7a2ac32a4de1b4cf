package posthogtest

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks the package's tests for leaked goroutines (a fault that
// holds a request must end with it).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
