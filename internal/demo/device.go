package demo

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec/internal/catalog"
)

// modalityExtra holds demo-only attributes of a modality that do not belong
// in the reference catalogue: hostname tag, price range and VLAN.
type modalityExtra struct {
	tag            string
	costLo, costHi float64
	vlan           int
	oemService     bool // serviced under the manufacturer's plan
}

var extras = map[string]modalityExtra{
	"infusion_pump":         {"pump", 3000, 5000, 110, false},
	"syringe_pump":          {"syr", 2500, 4500, 110, false},
	"pca_pump":              {"pca", 3500, 6000, 110, false},
	"enteral_pump":          {"ent", 1200, 2500, 110, false},
	"physiologic_monitor":   {"mon", 12000, 35000, 120, false},
	"telemetry_transmitter": {"tele", 2500, 4500, 121, false},
	"central_station":       {"cs", 40000, 120000, 120, false},
	"vital_signs_monitor":   {"vsm", 2500, 5000, 122, false},
	"pulse_oximeter":        {"spo2", 1500, 4500, 122, false},
	"ventilator":            {"vent", 25000, 50000, 125, false},
	"anesthesia_machine":    {"anes", 40000, 90000, 125, true},
	"defibrillator":         {"defib", 12000, 35000, 126, false},
	"ecg_cart":              {"ecg", 8000, 18000, 126, false},
	"fetal_monitor":         {"fm", 15000, 30000, 120, false},
	"ct_scanner":            {"ct", 800000, 2500000, 130, true},
	"mr_scanner":            {"mr", 1200000, 3000000, 130, true},
	"xray_fixed":            {"xr", 150000, 700000, 130, true},
	"xray_portable":         {"dxr", 90000, 200000, 130, true},
	"c_arm":                 {"carm", 120000, 250000, 130, true},
	"ultrasound":            {"us", 30000, 150000, 131, false},
	"lab_analyzer":          {"lab", 60000, 400000, 140, true},
	"blood_gas_analyzer":    {"abg", 20000, 50000, 140, false},
	"poc_analyzer":          {"poc", 800, 2500, 141, false},
	"hospital_bed":          {"bed", 6000, 35000, 150, false},
	"medication_cabinet":    {"adc", 20000, 60000, 160, false},
	"dialysis":              {"dial", 18000, 40000, 127, false},
	"patient_warming":       {"warm", 1500, 6000, 150, false},
	"neonatal_incubator":    {"iso", 15000, 45000, 150, false},
	"esu":                   {"esu", 12000, 30000, 128, false},
	"compression_device":    {"scd", 1500, 3500, 150, false},
	"thermometer":           {"temp", 200, 500, 150, false},
	"suction_regulator":     {"suct", 200, 600, 150, false},
}

// serialFormat is how a maker's serial numbers look: a prefix, a run of
// digits (made unique per device) and a suffix.
type serialFormat struct {
	prefixes []string
	digits   int
	suffix   string
}

var serialFormats = map[string]serialFormat{
	"BD":                     {[]string{""}, 8, ""},
	"ICU Medical":            {[]string{"", "1"}, 7, ""},
	"Baxter":                 {[]string{"WA", "100", "S"}, 7, ""},
	"Medtronic":              {[]string{"35B", "PB", "T"}, 7, ""},
	"GE Healthcare":          {[]string{"SD", "SH", "GE"}, 8, "WA"},
	"Philips":                {[]string{"US", "DE", "CN"}, 8, ""},
	"Dräger":                 {[]string{"ASFD-", "ARZM-", "SAZF-"}, 4, ""},
	"Siemens Healthineers":   {[]string{""}, 5, ""},
	"Canon Medical":          {[]string{"B", "C"}, 7, ""},
	"Fresenius Kabi":         {[]string{"2", "3"}, 7, ""},
	"B. Braun":               {[]string{""}, 6, ""},
	"Smiths Medical":         {[]string{"M", "G"}, 7, ""},
	"Mindray":                {[]string{"FK-", "EN-", "GX-"}, 8, ""},
	"Nihon Kohden":           {[]string{""}, 5, ""},
	"Stryker":                {[]string{"4", "15", "1"}, 7, ""},
	"ZOLL":                   {[]string{"AF", "AR", "X"}, 7, ""},
	"Masimo":                 {[]string{""}, 7, ""},
	"Spacelabs":              {[]string{"1390-", "1393-"}, 6, ""},
	"Omnicell":               {[]string{"OC"}, 7, ""},
	"Hamilton Medical":       {[]string{""}, 5, ""},
	"Getinge":                {[]string{""}, 5, ""},
	"Fresenius Medical Care": {[]string{"5KCA", "8TCS"}, 6, ""},
}

var defaultSerialFormat = serialFormat{[]string{"SN", ""}, 8, ""}

// device is one physical medical device and how each system sees it.
type device struct {
	id        string
	index     int
	mod       *modInfo
	model     *catalog.Model
	mfr       *catalog.Manufacturer
	fac       *Facility
	dept      *Department
	serial    string
	status    string
	acq       time.Time
	firmware  string
	fwIdx     int
	networked bool
	mac       [6]byte
	ouiVendor string
	host      string // short hostname, "" when none
	hostNum   int
	ip        string // current lease (what monitoring sees)
	cmdbIP    string // what the CMDB holds (stale with DHCP churn)
	churn     bool
	inCMMS    bool
	inCMDB    bool
	inMon     bool
	dupCMDB   bool
	equipID   string
}

func (g *generator) makeDevice(i int) device {
	g.seed(uint64(i), streamMedical)
	r := g.r
	d := device{index: i, id: entityID('D', i)}
	d.mod = &g.mods[searchCum(g.modCum, r.Float64())]
	d.model = &d.mod.models[searchCum(d.mod.modelCum, r.Float64())]
	d.mfr = g.mfrs[d.model.Manufacturer]
	p := g.places[searchCum(d.mod.placeCum, r.Float64())]
	d.fac, d.dept = p.fac, p.dept

	switch x := r.Float64(); {
	case x < RetiredRate:
		d.status = "Retired"
	case x < RetiredRate+MissingRate:
		d.status = "Missing"
	case x < RetiredRate+MissingRate+OutForRepairRate:
		d.status = "Out for Repair"
	default:
		d.status = "Active"
	}
	maxAge := 10.0
	if d.status == "Retired" {
		maxAge = 16
	}
	age := 0.2 + (maxAge-0.2)*math.Sqrt(r.Float64()) // more old than new kit
	d.acq = g.now.Add(-time.Duration(age * 365.25 * 24 * float64(time.Hour))).Truncate(24 * time.Hour)

	d.serial = makeSerial(r, d.mfr.Canonical, i, g.cfg.Seed)
	if fw := d.model.FirmwareVersions; len(fw) > 0 {
		// Skewed towards the newest versions, with a long tail of old ones.
		d.fwIdx = len(fw) - 1 - int(r.ExpFloat64()*0.9)
		if d.fwIdx < 0 {
			d.fwIdx = 0
		}
		d.firmware = fw[d.fwIdx]
	}

	d.networked = chance(r, d.mod.NetworkedFraction)
	d.inCMMS = true
	if !d.networked {
		return d
	}
	k := r.IntN(len(d.mfr.OUIPrefixes))
	d.mac = makeMAC(d.mfr.OUIPrefixes[k], uint64(i), g.cfg.Seed)
	d.ouiVendor = d.mfr.OUIVendors[k]
	d.hostNum = g.hostSeq[d.fac.index]
	d.ip, d.cmdbIP = g.lease(d.fac)
	d.churn = chance(r, DHCPChurnRate) && d.cmdbIP != ""
	if !d.churn {
		d.cmdbIP = d.ip
	}
	if chance(r, HostnameRate) {
		d.host = d.dept.HostTag + "-" + d.mod.extra.tag + "-" + pad(d.hostNum, 4)
	}
	d.inCMMS = !chance(r, NotInCMMSRate)
	d.inCMDB = !chance(r, NotInCMDBRate)
	if d.status == "Retired" {
		d.inMon = chance(r, RetiredSeenRate)
	} else {
		d.inMon = !chance(r, NeverSeenRate)
	}
	if !d.inCMMS && !d.inCMDB && !d.inMon {
		d.inMon = true // a device in no system at all would not be in the data
	}
	d.dupCMDB = d.inCMDB && chance(r, CMDBDuplicateRate)
	return d
}

// lease hands out the facility's next IP and returns it with the previous
// lease, which DHCP churn leaves stale in the CMDB of another device.
// Addresses are 10.<facility+1>.<n/250>.<n%250+2>: unique for up to 254
// facilities of up to 64,000 hosts each; beyond that they repeat, as
// overlapping RFC 1918 space at merged sites does.
func (g *generator) lease(f *Facility) (cur, prev string) {
	n := g.hostSeq[f.index]
	g.hostSeq[f.index]++
	b := make([]byte, 0, 15)
	b = append(b, "10."...)
	b = strconv.AppendInt(b, int64(f.index%254+1), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(n/250%256), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(n%250+2), 10)
	cur = string(b)
	prev = g.lastIP[f.index]
	g.lastIP[f.index] = cur
	return cur, prev
}

// entityID formats D0000123 / N0000123 / R0000123 (1-based).
func entityID(kind byte, i int) string {
	return string(kind) + pad(i+1, 7)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// makeSerial builds a serial in the maker's format. The digit run is an
// affine permutation of the device index, so no two devices share one.
func makeSerial(r interface{ IntN(int) int }, canonical string, i int, seed uint64) string {
	f, ok := serialFormats[canonical]
	if !ok {
		f = defaultSerialFormat
	}
	prefix := f.prefixes[r.IntN(len(f.prefixes))]
	digits := f.digits
	if digits < 7 {
		digits = 7 // keep the digit run unique up to 10 million devices
	}
	mod := uint64(math.Pow10(digits))
	// 7 654 321 is coprime to 10, so x ↦ 7654321x + c is a bijection mod 10^k.
	x := (uint64(i)*7654321 + splitmix64(seed)%mod) % mod
	return prefix + pad(int(x), digits) + f.suffix
}

// makeMAC combines an OUI prefix with a 24-bit suffix that is a bijection of
// the entity number, so MACs never collide within a run.
func makeMAC(prefix string, g uint64, seed uint64) [6]byte {
	var m [6]byte
	m[0], m[1], m[2] = hexByte(prefix[0:2]), hexByte(prefix[3:5]), hexByte(prefix[6:8])
	s := mix24(uint32(g + seed))
	m[3], m[4], m[5] = byte(s>>16), byte(s>>8), byte(s)
	return m
}

func mix24(x uint32) uint32 {
	const mask = 1<<24 - 1
	x &= mask
	x ^= x >> 12
	x = (x * 0x9E3B1) & mask
	x ^= x >> 11
	x = (x * 0x2C1B3) & mask
	x ^= x >> 13
	return x
}

func hexByte(s string) byte {
	v, _ := strconv.ParseUint(s, 16, 8)
	return byte(v)
}
