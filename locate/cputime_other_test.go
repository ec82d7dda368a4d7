//go:build !(linux || darwin)

package locate

// cpuTime is not measured on this system.
func cpuTime() float64 { return 0 }
