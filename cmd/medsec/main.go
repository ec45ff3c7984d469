// Command medsec runs medsec: serve, demo, import, correlate, export, ...
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/medsec/medsec/internal/cli"
)

// defaultMemoryLimit is the soft heap limit unless GOMEMLIMIT says
// otherwise: the garbage collector works harder near it instead of letting
// a million-device correlation grow to twice its live heap.
const defaultMemoryLimit = 3 << 30

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	// MEDSEC_CPUPROFILE=FILE writes a CPU profile of the command, for
	// looking into a slow benchmark with 'go tool pprof'.
	if p := os.Getenv("MEDSEC_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "medsec: "+err.Error())
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		code := run()
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(run())
}

func run() int {
	return cli.Run(context.Background(), os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
}
