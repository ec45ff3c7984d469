//go:build unix

package linker

import (
	"syscall"
	"time"
)

// procCPU is the CPU time the process has used (user + system, all
// threads): phase timings report it beside wall time, because on a shared
// machine wall time says more about the neighbours than about medsec.
func procCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
