package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/store"
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
	return writeExport(ctx, st, what, *forSys, *format, bw)
}

// writeExport streams an export as CSV or XLSX.
func writeExport(ctx context.Context, st *store.Store, what, forSys, format string, w io.Writer) error {
	var rw export.RowWriter
	var finish func() error
	if format == "xlsx" {
		x, err := export.NewXLSX(what)
		if err != nil {
			return err
		}
		rw, finish = x, func() error { _, err := x.WriteTo(w); return err }
	} else {
		c := export.NewCSV(w)
		rw, finish = c, c.Flush
	}
	var err error
	switch what {
	case "links":
		// Raw keys, exactly as in the files: this file is compared to
		// ground truth, so it is written without spreadsheet escaping.
		c := export.NewRawCSV(w)
		c.Write([]string{"asset_id", "source", "key"})
		err = st.EachLink(ctx, func(l store.LinkRow) error {
			id := ""
			if l.AssetID != 0 {
				id = strconv.FormatInt(l.AssetID, 10)
			}
			src := l.System
			if src == "zeek" {
				src = "monitoring"
			}
			return c.Write([]string{id, src, l.Key})
		})
		if err == nil {
			err = c.Flush()
		}
		return err
	case "assets":
		rw.Write([]string{"asset_id", "equipment_id", "serial", "manufacturer", "model", "model_number", "modality", "facility", "department", "care_area", "room", "status", "origin", "hostname", "ip", "mac", "firmware"})
		err = st.EachAsset(ctx, medsec.AssetFilter{}, func(a *medsec.Asset) error {
			return rw.Write([]string{strconv.FormatInt(a.ID, 10), a.AssetTag, a.Serial, a.Manufacturer, a.Model, a.ModelNumber, a.Modality, a.Facility, a.Location, a.CareArea.Label(), a.Room, a.Status, a.Origin, a.Hostname, a.IP, a.MAC, a.Firmware})
		})
	case "crossref":
		if forSys == "cmdb" {
			rw.Write([]string{"sys_id", "u_cmms_equipment_id", "u_cmms_serial_number"})
		} else {
			rw.Write([]string{"Equipment ID", "CMDB sys_id", "Hostname", "IP Address", "MAC Address"})
		}
		err = st.EachCrossRef(ctx, func(x store.CrossRef) error {
			if forSys == "cmdb" {
				return rw.Write([]string{x.SysID, x.EquipmentID, x.Serial})
			}
			return rw.Write([]string{x.EquipmentID, x.SysID, x.Hostname, x.IP, x.MAC})
		})
	}
	if err != nil {
		return err
	}
	return finish()
}
