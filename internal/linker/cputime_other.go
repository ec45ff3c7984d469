//go:build !unix

package linker

import "time"

// procCPU is not measured on this platform.
func procCPU() time.Duration { return 0 }
