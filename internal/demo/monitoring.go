package demo

import (
	"strconv"
	"time"
)

// isoTime is the ISO-8601 timestamp format of passive-monitoring exports.
const isoTime = "2006-01-02T15:04:05Z"

// monitoringID returns a tool-internal device ID shaped like a UUIDv4.
func (g *generator) monitoringID() string {
	var b [36]byte
	a, c := g.r.Uint64(), g.r.Uint64()
	a = a&^(0xF<<12) | 0x4<<12 // version nibble
	n := 0
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b[n] = '-'
			n++
		}
		var nib uint64
		if i < 16 {
			nib = (a >> (60 - 4*i)) & 15
		} else {
			nib = (c >> (60 - 4*(i-16))) & 15
		}
		b[n] = hexLower[nib]
		n++
	}
	return string(b[:])
}

// writeMonitoring writes the device's passive-monitoring row if the tool
// has seen it. What the tool knows comes from traffic: MAC and IP always,
// the hostname from DHCP/DNS, maker/model/firmware from protocol decoding,
// and the serial only sometimes.
func (g *generator) writeMonitoring(d *device) {
	if !d.networked {
		return
	}
	if !d.inMon {
		g.sum.NeverSeen++
		return
	}
	r := g.r
	id := g.monitoringID()
	mac := formatMAC(d.mac, macColonLower)
	if chance(r, 0.1) {
		mac = formatMAC(d.mac, macColonUpper)
	}
	host := ""
	if d.host != "" && chance(r, MonHostnameRate) {
		host = hostnameVariant(r, d.host, d.fac.Domain, 0.35, 0.1)
	}
	manuf, model, devType, fw := "", "", d.mod.Name, ""
	switch x := r.Float64(); {
	case x < MonUnclassifiedRate:
		manuf, devType = d.ouiVendor, "Unknown"
	case x < MonUnclassifiedRate+MonOUIVendorRate:
		manuf = d.ouiVendor
	default:
		manuf = d.mfr.Canonical
		if chance(r, 0.2) {
			manuf = pick(r, d.mfr.Aliases)
		}
		model = d.model.Name
		if len(d.model.NameVariants) > 0 && chance(r, 0.25) {
			model = pick(r, d.model.NameVariants)
		}
		if chance(r, 0.65) {
			fw = d.firmware
		}
	}
	serial := ""
	if devType != "Unknown" && chance(r, MonSerialPresentRate) {
		serial = d.serial
		if chance(r, MonSerialTypoRate) {
			serial = mistypeSerial(r, serial)
		}
	}
	vlan := strconv.Itoa(d.mod.extra.vlan)
	first := g.daysAgo(30, 720)
	if first.Before(d.acq) {
		first = d.acq.Add(time.Duration(r.IntN(7*24*3600)) * time.Second)
	}
	last := g.now.Add(-time.Duration(r.IntN(3*24*3600)) * time.Second)
	if d.status == "Retired" || d.status == "Missing" && chance(r, 0.5) {
		last = g.daysAgo(45, 400)
	}
	if last.Before(first) {
		first, last = last, first
	}

	g.rec = append(g.rec[:0], id, mac, d.ip, host, manuf, model, devType, fw, serial,
		d.fac.Name, vlan, first.Format(isoTime), last.Format(isoTime))
	g.mon.Write(g.rec)
	g.sum.MonitoringRows++
	g.writeGT("monitoring", id, d.id)
}
