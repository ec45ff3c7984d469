// Command medsec runs medsec: serve, demo, import, migrate, user, token.
package main

import (
	"context"
	"os"

	"github.com/medsec/medsec/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
