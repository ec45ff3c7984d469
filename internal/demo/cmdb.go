package demo

import "time"

// snDate is ServiceNow's export date-time format.
const snDate = "2006-01-02 15:04:05"

// dupSources are the discovery sources that create a second CI for a device
// already discovered by ServiceNow Discovery.
var dupSources = []string{"Manual Entry", "SG-Claroty", "ImportSet"}

// sysID returns 32 lower-case hex characters, like a ServiceNow sys_id.
func (g *generator) sysID() string {
	var b [32]byte
	a, c := g.r.Uint64(), g.r.Uint64()
	for i := 0; i < 16; i++ {
		b[i] = hexLower[(a>>(60-4*i))&15]
		b[16+i] = hexLower[(c>>(60-4*i))&15]
	}
	return string(b[:])
}

// writeCMDB writes the device's CMDB CI row(s). Medical devices reach the
// CMDB through network discovery, so only networked devices appear; the
// serial is usually missing and the manufacturer is often the NIC's OUI
// vendor.
func (g *generator) writeCMDB(d *device) {
	if !d.inCMDB {
		return
	}
	if d.churn {
		g.sum.DHCPChurn++
	}
	g.writeCMDBRow(d, false)
	if d.dupCMDB {
		g.sum.CMDBDuplicates++
		g.writeCMDBRow(d, true)
	}
}

func (g *generator) writeCMDBRow(d *device, dup bool) {
	r := g.r
	id := g.sysID()

	name := d.cmdbIP // discovery names a CI by IP when DNS has nothing
	if d.host != "" {
		name = hostnameVariant(r, d.host, d.fac.Domain, 0.45, 0.15)
	}
	assetTag := ""
	if d.inCMMS && chance(r, 0.2) {
		assetTag = d.equipID
	}
	serial := ""
	if !dup && !chance(r, CMDBSerialMissingRate) {
		serial = d.serial
		if chance(r, CMDBSerialTypoRate) {
			serial = mistypeSerial(r, serial)
		}
	}
	manuf := ""
	switch x := r.Float64(); {
	case x < CMDBOUIVendorRate:
		manuf = d.ouiVendor
	case x < 1-CMDBManufBlankRate:
		manuf = g.manufacturerSpelling(d)
	}
	modelID, modelNo := "", ""
	switch x := r.Float64(); {
	case x < 0.35:
		modelID = d.model.Name
		if len(d.model.NameVariants) > 0 && chance(r, 0.3) {
			modelID = pick(r, d.model.NameVariants)
		}
		if chance(r, 0.5) {
			modelNo = d.model.ModelNumber
		}
	case x < 0.55:
		modelID = "Unknown"
	}
	mac := formatMAC(d.mac, macColonLower)
	if chance(r, 0.08) {
		mac = formatMAC(d.mac, macColonUpper)
	}
	ip := d.cmdbIP
	if dup && chance(r, 0.5) {
		ip = d.ip // the second CI was created after the new lease
	}
	location := d.fac.Name
	if chance(r, 0.3) {
		location = d.fac.Name + " / " + d.dept.Name
	}
	class := "cmdb_ci_hardware"
	if chance(r, 0.55) {
		class = "cmdb_ci_medical_device"
	} else if d.mod.extra.vlan == 130 && chance(r, 0.5) {
		class = "cmdb_ci_computer" // imaging consoles discovered as Windows hosts
	}
	install, oper := "1", "1"
	switch d.status {
	case "Retired":
		if !chance(r, RetiredInstalledCI) {
			install, oper = "7", "6"
		}
	case "Out for Repair":
		if chance(r, 0.3) {
			install, oper = "3", "2"
		}
	}
	source := "ServiceNow"
	switch x := r.Float64(); {
	case dup:
		source = pick(r, dupSources)
	case x < 0.25:
		source = "SG-Claroty"
	case x < 0.35:
		source = "Manual Entry"
	}
	first := d.acq.Add(time.Duration(r.IntN(90*24*3600)) * time.Second)
	if earliest := g.now.AddDate(-5, 0, 0); first.Before(earliest) {
		first = earliest.Add(time.Duration(r.IntN(365*24*3600)) * time.Second)
	}
	last := g.daysAgo(0, 10)
	if d.status == "Retired" {
		last = g.daysAgo(60, 500)
	}
	if dup {
		first = g.daysAgo(20, 400)
		if last.Before(first) {
			last = first
		}
	}
	if last.Before(first) {
		first, last = last, first
	}

	g.rec = append(g.rec[:0], id, name, assetTag, serial, manuf, modelID, modelNo, mac, ip,
		location, class, install, oper, source, first.Format(snDate), last.Format(snDate))
	g.cmdb.Write(g.rec)
	g.sum.CMDBRows++
	g.writeGT("cmdb", id, d.id)
}
