//go:build unix

package access_test

import "syscall"

// cpuSeconds is the CPU time (user and system) this process has used, as
// the kernel counts it: the client's and the in-process server's work.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
