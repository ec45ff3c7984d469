package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/export"
)

func runExport(ctx context.Context, env *Env, args []string) error {
	usage := "export links|assets|crossref [--for cmdb|cmms] [--format csv|xlsx] [--out FILE] [--db DSN]"
	if len(args) == 0 || (args[0] != "links" && args[0] != "assets" && args[0] != "crossref") {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec "+usage)
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec %s", usage)
	}
	what := args[0]
	fs, db := newFlags(env, "export "+what, usage)
	format := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("out", "", "output file (default: standard output)")
	forSys := fs.String("for", "", "crossref: the system that will load the file, cmdb or cmms")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if *format != "csv" && *format != "xlsx" {
		return medsec.Errorf(medsec.EINVALID, "--format must be csv or xlsx")
	}
	if what == "links" && *format != "csv" {
		return medsec.Errorf(medsec.EINVALID, "export links is CSV only (it is the contract by which correlation accuracy is measured)")
	}
	if what == "crossref" && *forSys != "cmdb" && *forSys != "cmms" {
		return medsec.Errorf(medsec.EINVALID, "export crossref needs --for cmdb or --for cmms")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var w io.Writer = env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	defer bw.Flush()
	return export.Write(ctx, st, what, *forSys, *format, bw, 0)
}
