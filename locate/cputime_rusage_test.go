//go:build linux || darwin

package locate

import "syscall"

// cpuTime returns the process's user and system CPU time in seconds, or
// 0 where it cannot be read. Benchmarks report it beside the wall time
// because on a shared machine the wall time measures the neighbours too.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
