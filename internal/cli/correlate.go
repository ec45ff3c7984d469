package cli

import (
	"context"
	"fmt"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/linker"
)

func runCorrelate(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "correlate", "correlate [--full] [--db DSN]")
	full := fs.Bool("full", false, "re-correlate every record (default: only what changed since the last run)")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := linker.Run(ctx, st, medsec.System, linker.Options{Full: *full})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, sum)
	cov, err := st.Coverage(ctx, "")
	if err == nil && len(cov) == 1 {
		c := cov[0]
		fmt.Fprintf(env.Stdout, "coverage: %d in-scope CMMS assets, %.1f%% correlated to the CMDB, %.1f%% to monitoring\n", c.InScope, c.PctCMDB, c.PctMon)
	}
	return nil
}
