//go:build !unix

package access_test

// cpuSeconds is not measured on this system; cpu-ms/op reads 0.
func cpuSeconds() float64 { return 0 }
