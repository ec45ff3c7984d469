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
// a million-device correlation grow to twice its live heap. 2.875 GiB
// leaves room under 4 GB for SQLite's page cache (512 MiB in a bulk
// write) and the rest of the process: with 3 GiB the 1M bench peaked at
// 3.82-4.01 GB over six runs, with 2.875 GiB at 3.75-3.80 GB (two).
const defaultMemoryLimit = 2944 << 20

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
