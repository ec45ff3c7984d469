package demo

import (
	"math"
	"strconv"
	"time"
)

// usDate is the MM/DD/YYYY format CMMS exports use.
const usDate = "01/02/2006"

// isoProviders are the service providers a non-OEM device may be under.
var isoProviders = []string{
	"In-House Clinical Engineering", "In-House Clinical Engineering", "In-House Clinical Engineering",
	"Keystone Biomedical Services", "Meridian HTM Partners",
}

// manufacturerSpelling picks how the CMMS names the maker: the canonical
// name a bit under half the time, otherwise one of its aliases, so imports
// must resolve aliases.
func (g *generator) manufacturerSpelling(d *device) string {
	if chance(g.r, 0.45) {
		return d.mfr.Canonical
	}
	return pick(g.r, d.mfr.Aliases)
}

// writeCMMS writes the device's CMMS equipment row, if it was ever entered.
func (g *generator) writeCMMS(d *device) {
	if !d.inCMMS {
		g.sum.NotInCMMS++
		return
	}
	r := g.r
	g.cmmsSeq[d.fac.index]++
	d.equipID = d.fac.Code + "-" + pad(g.cmmsSeq[d.fac.index], 6)

	serial := d.serial
	switch {
	case chance(r, CMMSSerialMissingRate):
		serial = ""
	case chance(r, CMMSSerialTypoRate):
		serial = mistypeSerial(r, serial)
	}
	model := d.model.Name
	if len(d.model.NameVariants) > 0 && chance(r, 0.4) {
		model = pick(r, d.model.NameVariants)
	}
	modelNo := d.model.ModelNumber
	if chance(r, 0.25) {
		modelNo = ""
	}
	devType := d.mod.DeviceTypes[0]
	if chance(r, 0.5) {
		devType = pick(r, d.mod.DeviceTypes)
	}
	room := d.dept.RoomPrefix + pad(1+r.IntN(40), 2)

	x := d.mod.extra
	cost := x.costLo + (x.costHi-x.costLo)*r.Float64()
	cost = math.Round(cost*100) / 100
	warranty := d.acq.AddDate(1+r.IntN(3), 0, 0)

	em := d.mod.EM() + r.IntN(3) - 1 // per-asset incident history varies
	if em < 4 {
		em = 4
	}
	pmInterval, lastPM := "", ""
	if d.mod.PMIntervalMonths > 0 {
		pmInterval = strconv.Itoa(d.mod.PMIntervalMonths)
		if d.status != "Retired" || chance(r, 0.5) {
			// Mostly within the interval; about 8% overdue.
			frac := r.Float64()
			if chance(r, 0.08) {
				frac = 1 + r.Float64()
			}
			days := int(frac * float64(d.mod.PMIntervalMonths) * 30.4)
			pm := g.now.AddDate(0, 0, -days)
			if pm.Before(d.acq) {
				pm = d.acq.AddDate(0, 0, 14)
			}
			lastPM = pm.Format(usDate)
		}
	}
	provider := pick(r, isoProviders)
	if x.oemService || chance(r, 0.1) {
		provider = d.mfr.Canonical + " Service"
	}

	var mac, ip, host string
	if d.networked && chance(r, CMMSNetworkTabRate) {
		mac = formatMAC(d.mac, cmmsMACNotation(r))
		if chance(r, 0.8) {
			ip = d.cmdbIP // entered at install; may be stale
		}
		if d.host != "" && chance(r, 0.7) {
			host = hostnameVariant(r, d.host, d.fac.Domain, 0.2, 0.5)
		}
	}
	sw := ""
	if d.firmware != "" && chance(r, 0.45) {
		sw = d.firmware
		if d.fwIdx > 0 && chance(r, 0.25) {
			sw = d.model.FirmwareVersions[r.IntN(d.fwIdx)] // not updated after a patch
		}
	}

	g.rec = append(g.rec[:0],
		d.equipID, serial, g.manufacturerSpelling(d), model, modelNo, devType,
		d.fac.Name, d.dept.Name, room, d.status, d.acq.Format(usDate),
		strconv.FormatFloat(cost, 'f', 2, 64), warranty.Format(usDate),
		strconv.Itoa(em), pmInterval, lastPM, provider, mac, ip, host, sw)
	g.cmms.Write(g.rec)
	g.sum.CMMSRows++
	g.writeGT("cmms", d.equipID, d.id)
}

// daysAgo returns now minus a random duration of lo..hi days, to the second.
func (g *generator) daysAgo(lo, hi float64) time.Time {
	d := lo + (hi-lo)*g.r.Float64()
	return g.now.Add(-time.Duration(d * 24 * float64(time.Hour))).Truncate(time.Second)
}
