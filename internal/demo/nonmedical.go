package demo

import (
	"strconv"
	"strings"
	"time"
)

// itMaker is an IT vendor as the CMDB and an OUI look-up name it.
type itMaker struct {
	manufacturer string // CMDB manufacturer
	ouiVendor    string // monitoring vendor attribution
	oui          string
	models       []string
	serial       string // pattern: A letter, 9 digit, X alphanumeric, else literal
}

// itKind is a class of non-medical network device.
type itKind struct {
	share   float64
	class   string // sys_class_name
	monType string // monitoring device type
	vlan    int
	tag     string // hostname prefix
	source  string // CMDB discovery source
	makers  []itMaker
}

// itKinds are the non-medical CIs that share the hospital network; they make
// up roughly half the CMDB, as in real hospitals.
var itKinds = []itKind{
	{0.42, "cmdb_ci_computer", "Workstation", 10, "ws", "SCCM", []itMaker{
		{"Dell Inc.", "Dell Inc.", "F8:BC:12", []string{"OptiPlex 7090", "OptiPlex 7000", "Latitude 5420", "Precision 3660"}, "XXXXXXX"},
		{"HP Inc.", "HP Inc.", "3C:D9:2B", []string{"HP EliteDesk 800 G6", "HP ProDesk 600 G5", "HP EliteBook 840 G8"}, "AAA9999XXX"},
		{"Lenovo", "LCFC(HeFei) Electronics Technology", "E8:6A:64", []string{"ThinkCentre M720q", "ThinkPad T14 Gen 2"}, "AA0XXXXX"},
	}},
	{0.08, "cmdb_ci_computer", "Thin Client", 10, "tc", "SCCM", []itMaker{
		{"Dell Inc.", "Wyse Technology", "00:80:64", []string{"Wyse 5070", "Wyse 3040"}, "XXXXXXX"},
		{"HP Inc.", "HP Inc.", "94:57:A5", []string{"HP t640 Thin Client"}, "AAA9999XXX"},
	}},
	{0.12, "cmdb_ci_printer", "Printer", 30, "prn", "ServiceNow", []itMaker{
		{"HP Inc.", "HP Inc.", "94:57:A5", []string{"HP LaserJet Enterprise M507", "HP LaserJet Pro M404dn"}, "AAAA999999"},
		{"Zebra Technologies", "Zebra Technologies Inc.", "00:07:4D", []string{"Zebra ZD620", "Zebra ZT410"}, "99A999999999"},
		{"Lexmark", "Lexmark International, Inc.", "00:21:B7", []string{"Lexmark MS621", "Lexmark CX725"}, "9999XXXXXXX"},
	}},
	{0.20, "cmdb_ci_ip_phone", "VoIP Phone", 20, "sep", "ServiceNow", []itMaker{
		{"Cisco", "Cisco Systems, Inc", "00:1B:54", []string{"Cisco IP Phone 8845", "Cisco IP Phone 7841"}, "FCH9999X9XX"},
		{"Poly", "Polycom", "00:04:F2", []string{"Polycom VVX 450", "Poly CCX 500"}, "64167F9XXXXX"},
		{"Vocera", "Vocera Communications", "00:09:EF", []string{"Vocera B3000n Badge", "Vocera Smartbadge"}, "B3N999999"},
	}},
	{0.04, "cmdb_ci_ip_switch", "Switch", 99, "sw", "ServiceNow", []itMaker{
		{"Cisco", "Cisco Systems, Inc", "00:1E:BD", []string{"Catalyst 9300-48P", "Catalyst 2960-X"}, "FOC9999X9XX"},
		{"Aruba", "Hewlett Packard Enterprise", "94:18:82", []string{"Aruba 2930F-48G", "Aruba CX 6300M"}, "SG99XXX999"},
	}},
	{0.07, "cmdb_ci_wap_network", "Access Point", 99, "ap", "ServiceNow", []itMaker{
		{"Aruba", "Aruba, a Hewlett Packard Enterprise Company", "24:DE:C6", []string{"AP-515", "AP-535"}, "CNXXXXXXXX"},
		{"Cisco", "Cisco Systems, Inc", "00:1B:54", []string{"Aironet 2802i", "Catalyst 9120AX"}, "FJC9999X9XX"},
	}},
	{0.03, "cmdb_ci_server", "Server", 50, "srv", "ServiceNow", []itMaker{
		{"Dell Inc.", "Dell Inc.", "B8:AC:6F", []string{"PowerEdge R740", "PowerEdge R650"}, "XXXXXXX"},
		{"HPE", "Hewlett Packard Enterprise", "94:18:82", []string{"ProLiant DL380 Gen10", "ProLiant DL360 Gen10"}, "MXQ9999XXX"},
	}},
	{0.04, "cmdb_ci_hardware", "IP Camera", 40, "cam", "ServiceNow", []itMaker{
		{"Axis Communications", "Axis Communications AB", "00:40:8C", []string{"AXIS P3245-V", "AXIS M3106-L"}, "ACCC8EXXXXXX"},
	}},
}

var itKindCum = func() []float64 {
	var acc float64
	var cum []float64
	for _, k := range itKinds {
		acc += k.share
		cum = append(cum, acc)
	}
	return cum
}()

const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

// fillPattern expands a serial pattern: A letter, 9 digit, X alphanumeric.
func (g *generator) fillPattern(p string) string {
	b := []byte(p)
	for i, c := range b {
		switch c {
		case 'A':
			b[i] = alnum[g.r.IntN(24)]
		case '9':
			b[i] = byte('0' + g.r.IntN(10))
		case 'X':
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
	}
	return string(b)
}

// emitNonMedical writes non-medical CI j: always in the CMDB, usually seen
// by monitoring, never in the CMMS.
func (g *generator) emitNonMedical(j int) {
	g.seed(uint64(j), streamNonMedical)
	r := g.r
	g.sum.NonMedical++
	devID := entityID('N', j)
	f := &g.facs[searchCum(g.facCum, r.Float64())]
	k := &itKinds[searchCum(itKindCum, r.Float64())]
	mk := &k.makers[r.IntN(len(k.makers))]
	model := pick(r, mk.models)
	mac := makeMAC(mk.oui, uint64(g.cfg.Assets+j), g.cfg.Seed)
	hostNum := g.hostSeq[f.index]
	ip, prev := g.lease(f)
	host := strings.ToLower(f.Code) + "-" + k.tag + "-" + pad(hostNum, 5)
	if k.tag == "sep" && mk.manufacturer == "Cisco" {
		host = "SEP" + formatMAC(mac, macBareUpper) // Cisco phones name themselves SEP<MAC>
	} else if k.tag == "ws" || k.tag == "tc" {
		host = strings.ToUpper(host)
	}
	serial := g.fillPattern(mk.serial)

	// CMDB row.
	id := g.sysID()
	cmdbIP := ip
	if prev != "" && chance(r, DHCPChurnRate) {
		cmdbIP = prev
	}
	name := host
	if k.tag == "srv" || chance(r, 0.2) {
		name = strings.ToLower(host) + "." + f.Domain
	}
	assetTag := ""
	if chance(r, 0.7) {
		assetTag = "IT-" + pad(100000+j, 7)
	}
	cSerial := serial
	if chance(r, 0.05) {
		cSerial = ""
	}
	install, oper := "1", "1"
	if chance(r, 0.03) {
		install, oper = "7", "6"
	}
	first := g.daysAgo(30, 2000)
	last := g.daysAgo(0, 3)
	g.rec = append(g.rec[:0], id, name, assetTag, cSerial, mk.manufacturer, model, "",
		formatMAC(mac, macColonLower), cmdbIP, f.Name, k.class, install, oper, k.source,
		first.Format(snDate), last.Format(snDate))
	g.cmdb.Write(g.rec)
	g.sum.CMDBRows++
	g.writeGT("cmdb", id, devID)

	if !chance(r, NonMedicalSeenRate) {
		return
	}
	mid := g.monitoringID()
	mHost := ""
	if chance(r, 0.8) {
		mHost = name
	}
	mModel := ""
	if chance(r, 0.6) {
		mModel = model
	}
	fw := ""
	if k.class == "cmdb_ci_computer" && chance(r, 0.7) {
		fw = pick(r, windowsVersions)
	}
	mSerial := ""
	if chance(r, 0.1) {
		mSerial = serial
	}
	mFirst := g.daysAgo(7, 720)
	mLast := g.now.Add(-time.Duration(r.IntN(2*24*3600)) * time.Second)
	g.rec = append(g.rec[:0], mid, formatMAC(mac, macColonLower), ip, mHost, mk.ouiVendor, mModel,
		k.monType, fw, mSerial, f.Name, strconv.Itoa(k.vlan), mFirst.Format(isoTime), mLast.Format(isoTime))
	g.mon.Write(g.rec)
	g.sum.MonitoringRows++
	g.writeGT("monitoring", mid, devID)
}

var windowsVersions = []string{"Windows 10 Enterprise 21H2", "Windows 10 Enterprise 22H2", "Windows 11 Enterprise 23H2", "Windows 10 IoT Enterprise LTSC 2019"}

// rogueKind is a device nobody registered: personal phones, hobby boards,
// smart TVs, consultants' laptops. Only passive monitoring sees them.
type rogueKind struct {
	monType   string
	vendor    string
	ouis      []string
	hosts     []string // "" entries mean no hostname learned
	vlanGuest float64
}

var rogueKinds = []rogueKind{
	{"Smartphone", "Apple, Inc.", []string{"F0:18:98", "3C:07:54"}, []string{"iPhone", "Johns-iPhone", ""}, 0.8},
	{"Smartphone", "Samsung Electronics Co.,Ltd", []string{"8C:F5:A3"}, []string{"Galaxy-S23", "android-3f2a9c1b", ""}, 0.8},
	{"IoT Device", "Espressif Inc.", []string{"24:0A:C4", "30:AE:A4"}, []string{"ESP_3A1B2C", ""}, 0.3},
	{"IoT Device", "Raspberry Pi Foundation", []string{"B8:27:EB", "DC:A6:32"}, []string{"raspberrypi", ""}, 0.2},
	{"Smart TV", "Roku, Inc.", []string{"B0:A7:37"}, []string{"Roku-Ultra", ""}, 0.5},
	{"Laptop", "Intel Corporate", []string{"3C:A9:F4"}, []string{"DESKTOP-7H2KQ9L", "LAPTOP-M3R8V2TX", ""}, 0.4},
	{"Unknown", "", []string{"DA:A1:19", "6E:3B:0F", "AE:54:22"}, []string{""}, 0.6}, // randomised private MACs
}

// emitRogue writes rogue device k: monitoring only.
func (g *generator) emitRogue(k int) {
	g.seed(uint64(k), streamRogue)
	r := g.r
	g.sum.Rogue++
	devID := entityID('R', k)
	f := &g.facs[searchCum(g.facCum, r.Float64())]
	rk := &rogueKinds[r.IntN(len(rogueKinds))]
	mac := makeMAC(pick(r, rk.ouis), uint64(g.cfg.Assets+g.maxNonMed+k), g.cfg.Seed)
	ip, _ := g.lease(f)
	vlan := "200"
	if !chance(r, rk.vlanGuest) {
		vlan = pick(r, []string{"10", "110", "120"}) // on a clinical VLAN: the worrying case
	}
	mid := g.monitoringID()
	first := g.daysAgo(0.5, 45)
	last := g.now.Add(-time.Duration(r.IntN(5*24*3600)) * time.Second)
	if last.Before(first) {
		first, last = last, first
	}
	g.rec = append(g.rec[:0], mid, formatMAC(mac, macColonLower), ip, pick(r, rk.hosts), rk.vendor, "",
		rk.monType, "", "", f.Name, vlan, first.Format(isoTime), last.Format(isoTime))
	g.mon.Write(g.rec)
	g.sum.MonitoringRows++
	g.writeGT("monitoring", mid, devID)
}
