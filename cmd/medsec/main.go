// Command medsec runs medsec: serve, demo, import, correlate, export, ...
package main

import (
	"context"
	"os"
	"runtime/debug"

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
	os.Exit(cli.Run(context.Background(), os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
