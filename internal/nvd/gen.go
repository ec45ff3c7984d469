package nvd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"time"
)

// genVendor is a synthetic vendor: its NVD spelling, the spellings an
// inventory uses for it, and the word families of its product names.
type genVendor struct {
	nvd      string
	makers   []string
	families []string
}

// genMedical are medical-device makers under the vendor spellings NVD uses.
var genMedical = []genVendor{
	{"bd", []string{"BD", "CareFusion", "Becton, Dickinson and Company"}, []string{"alaris_pc", "alaris_syringe", "pyxis_medstation", "bodyguard"}},
	{"baxter", []string{"Baxter", "Baxter Healthcare"}, []string{"sigma_spectrum", "spectrum_iq", "prismax", "flo_gard"}},
	{"welchallyn", []string{"Welch Allyn", "Baxter"}, []string{"connex_spot", "connex_vsm", "spot_vital_signs"}},
	{"medtronic", []string{"Medtronic", "Covidien"}, []string{"minimed_paradigm", "puritan_bennett", "nellcor_oximax", "carelink"}},
	{"gehealthcare", []string{"GE Healthcare", "GE Medical Systems", "GEHC"}, []string{"carescape_monitor", "apexpro_telemetry", "vivid_ultrasound", "revolution_ct"}},
	{"philips", []string{"Philips", "Philips Medical Systems"}, []string{"intellivue_mx", "efficia_cm", "ingenia_mr", "brilliance_ct"}},
	{"draeger", []string{"Dräger", "Draeger Medical"}, []string{"infinity_delta", "evita_v", "perseus_a", "babylog_vn"}},
	{"siemens_healthineers", []string{"Siemens Healthineers", "Siemens Medical Solutions"}, []string{"somatom", "magnetom", "acuson", "syngo_via"}},
	{"icumedical", []string{"ICU Medical", "Hospira"}, []string{"plum", "lifecare_pca", "symbiq", "medfusion"}},
	{"b_braun", []string{"B. Braun", "B Braun Medical"}, []string{"infusomat_space", "perfusor_space", "spacecom", "outlook"}},
	{"mindray", []string{"Mindray", "Mindray DS USA"}, []string{"beneview_t", "benefusion_vp", "epm_monitor"}},
	{"nihon_kohden", []string{"Nihon Kohden"}, []string{"life_scope", "cns_central", "prefense"}},
	{"fresenius_kabi", []string{"Fresenius Kabi"}, []string{"agilia_vp", "agilia_sp", "vigilant_master"}},
	{"stryker", []string{"Stryker", "Physio-Control"}, []string{"lifepak", "lucas_cpr", "vocera_badge"}},
	{"zoll", []string{"ZOLL", "ZOLL Medical Corporation"}, []string{"r_series", "x_series", "propaq_md"}},
	{"smiths_medical", []string{"Smiths Medical"}, []string{"medfusion", "cadd_solis", "pharmguard"}},
}

// genIT are vendors of ordinary IT products: they give the feed its bulk and
// never designate a medical device.
var genIT = []string{"microsoft", "apple", "google", "oracle", "ibm", "cisco", "adobe", "redhat",
	"debian", "canonical", "linux", "apache", "mozilla", "vmware", "fortinet", "paloaltonetworks",
	"juniper", "hp", "dell", "lenovo", "intel", "amd", "nvidia", "qualcomm", "samsung", "huawei",
	"zyxel", "netgear", "tp-link", "d-link", "wordpress", "drupal", "joomla", "php", "python",
	"nodejs", "jenkins", "gitlab", "atlassian", "sap", "citrix", "sonicwall", "ivanti", "f5",
	"openssl", "wolfssl", "curl", "libexpat_project", "sqlite", "postgresql", "mariadb", "mongodb",
	"elastic", "grafana", "hashicorp", "kubernetes", "docker", "moxa", "schneider-electric", "rockwellautomation"}

const (
	genProductsPerMedical = 240 // products per medical vendor
	genProductsPerIT      = 600
	genMedicalShare       = 0.2 // share of CVEs about medical vendors
)

// genMedicalProduct is product i of medical vendor v: a family word and a
// model number ("alaris_pc_k108"), the same for every seed.
func genMedicalProduct(v genVendor, i int) (name, number string) {
	fam := v.families[i%len(v.families)]
	number = fmt.Sprintf("%c%d", 'a'+byte((i*7+len(v.nvd))%26), 100+i)
	return fam + "_" + number, number
}

// genVersion is a plausible firmware version of product generation g.
func genVersion(r *rand.Rand) string {
	switch r.Intn(10) {
	case 0:
		return fmt.Sprintf("%d.%d", 1+r.Intn(12), r.Intn(20))
	case 1:
		return fmt.Sprintf("%d.%02d.%02d", 1+r.Intn(12), r.Intn(20), r.Intn(30))
	default:
		return fmt.Sprintf("%d.%d.%d", 1+r.Intn(12), r.Intn(20), r.Intn(10))
	}
}

// genDeviceVersions are the firmware versions GenerateDevices uses: chosen so
// that some fall inside and some outside the generated ranges.
var genDeviceVersions = []string{"1.2.0", "2.0.1", "3.5.2", "4.1", "5.0.0", "6.02.09", "7.3.1", "8.1.0", "9.33", "10.0.2", "11.4.1", "12.1.3"}

// Generate writes n synthetic CVEs as one NVD API 2.0 response page to w,
// deterministically from seed. The records have the real shape: English and
// Spanish descriptions, CVSS v3.1 (sometimes v2 and v4.0, primary and
// secondary), CWE weaknesses, references, and configurations of the kinds
// NVD writes: firmware-on-hardware (an AND of a vulnerable firmware node
// and a non-vulnerable hardware node), application ranges
// (versionStart/End Including/Excluding), exact versions, several
// configurations per CVE, and no configuration at all. A fifth of the CVEs
// name the medical vendors and products that GenerateDevices draws from.
func Generate(w io.Writer, n int, seed int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewSource(seed))
	fmt.Fprintf(bw, `{"resultsPerPage":%d,"startIndex":0,"totalResults":%d,"format":"NVD_CVE","version":"2.0","timestamp":"2025-11-03T20:15:53.857","vulnerabilities":[`, n, n)
	base := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		c := genCVE(r, i, base)
		buf, err := json.Marshal(struct {
			CVE *CVE `json:"cve"`
		}{c})
		if err != nil {
			return err
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

var genWords = strings.Fields("allows remote attackers to execute arbitrary code via crafted packets a buffer overflow in the network " +
	"stack improper authentication hardcoded credentials missing encryption of sensitive data cross-site scripting " +
	"in the web interface denial of service through malformed requests path traversal permits reading files")

var genCWEs = []string{"CWE-20", "CWE-79", "CWE-119", "CWE-120", "CWE-200", "CWE-287", "CWE-306", "CWE-311", "CWE-319", "CWE-352", "CWE-400", "CWE-787", "CWE-798", "NVD-CWE-noinfo"}

func genText(r *rand.Rand, words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(genWords[r.Intn(len(genWords))])
	}
	return b.String()
}

func genCVE(r *rand.Rand, i int, base time.Time) *CVE {
	pub := base.Add(time.Duration(r.Int63n(int64(10 * 365 * 24 * time.Hour))))
	c := &CVE{
		ID:               fmt.Sprintf("CVE-%d-%d", 2015+i%11, 10000+i),
		SourceIdentifier: "cve@mitre.org",
		Published:        pub.Format("2006-01-02T15:04:05.000"),
		LastModified:     pub.Add(time.Duration(r.Int63n(int64(400 * 24 * time.Hour)))).Format("2006-01-02T15:04:05.000"),
		VulnStatus:       "Analyzed",
	}
	var vendor, pretty string
	var products []string // CPE products, firmware ones without suffix
	medical := r.Float64() < genMedicalShare
	if medical {
		v := genMedical[r.Intn(len(genMedical))]
		vendor = v.nvd
		pretty = v.makers[0]
		k := r.Intn(genProductsPerMedical)
		for j := 0; j < 1+r.Intn(3); j++ { // siblings in the same family
			p, _ := genMedicalProduct(v, (k+j*len(v.families))%genProductsPerMedical)
			products = append(products, p)
		}
	} else {
		vendor = genIT[r.Intn(len(genIT))]
		pretty = vendor
		k := r.Intn(genProductsPerIT)
		for j := 0; j < 1+r.Intn(3); j++ {
			products = append(products, fmt.Sprintf("product_%d", (k+j)%genProductsPerIT))
		}
	}
	c.Descriptions = []LangValue{
		{"en", fmt.Sprintf("A vulnerability in %s %s %s.", pretty, strings.ReplaceAll(products[0], "_", " "), genText(r, 25+r.Intn(25)))},
		{"es", "Una vulnerabilidad en " + pretty + " " + genText(r, 20)},
	}
	score := float64(20+r.Intn(81)) / 10
	c.Metrics.V31 = []Metric{{Source: "nvd@nist.gov", Type: "Primary", Data: CVSSData{Version: "3.1",
		VectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", BaseScore: score, BaseSeverity: severity(score)},
		ExploitabilityScore: 3.9, ImpactScore: 5.9}}
	if r.Intn(3) == 0 {
		c.Metrics.V31 = append(c.Metrics.V31, Metric{Source: "ics-cert@hq.dhs.gov", Type: "Secondary", Data: CVSSData{Version: "3.1",
			VectorString: "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", BaseScore: 7.5, BaseSeverity: "HIGH"}, ExploitabilityScore: 1.6, ImpactScore: 5.9})
	}
	if pub.Year() < 2019 {
		c.Metrics.V2 = []Metric{{Source: "nvd@nist.gov", Type: "Primary", Data: CVSSData{Version: "2.0", VectorString: "AV:N/AC:L/Au:N/C:P/I:P/A:P", BaseScore: 7.5},
			BaseSeverity: "HIGH", ExploitabilityScore: 10, ImpactScore: 6.4}}
	}
	if r.Intn(10) == 0 {
		c.Metrics.V40 = []Metric{{Source: "ics-cert@hq.dhs.gov", Type: "Secondary", Data: CVSSData{Version: "4.0",
			VectorString: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", BaseScore: 9.3, BaseSeverity: "CRITICAL"}}}
	}
	c.Weaknesses = []Weakness{{Source: "nvd@nist.gov", Type: "Primary", Description: []LangValue{{"en", genCWEs[r.Intn(len(genCWEs))]}}}}
	c.References = []Reference{
		{URL: fmt.Sprintf("https://www.cisa.gov/news-events/ics-medical-advisories/icsma-%02d-%03d-01", pub.Year()%100, r.Intn(365)), Source: "ics-cert@hq.dhs.gov", Tags: []string{"Third Party Advisory", "US Government Resource"}},
		{URL: fmt.Sprintf("https://%s.example.com/security/%s", vendor, c.ID), Source: "cve@mitre.org", Tags: []string{"Vendor Advisory"}},
	}
	switch k := r.Intn(20); {
	case k < 2: // not analysed yet
		c.VulnStatus = "Awaiting Analysis"
	case k < 11 || medical && k < 16: // firmware on hardware, one configuration per product
		for _, p := range products {
			c.Configurations = append(c.Configurations, Config{Operator: "AND", Nodes: []Node{
				{Operator: "OR", CPEMatch: genFirmwareMatches(r, vendor, p)},
				{Operator: "OR", CPEMatch: []CPEMatch{{Vulnerable: false, Criteria: cpe("h", vendor, p, "-"), MatchCriteriaID: genUUID(r)}}},
			}})
		}
	default: // application ranges in one OR node
		var ms []CPEMatch
		for _, p := range products {
			ms = append(ms, genRangeMatch(r, "a", vendor, p))
		}
		c.Configurations = []Config{{Nodes: []Node{{Operator: "OR", CPEMatch: ms}}}}
	}
	return c
}

func genFirmwareMatches(r *rand.Rand, vendor, p string) []CPEMatch {
	var ms []CPEMatch
	switch r.Intn(4) {
	case 0: // exact versions
		for j := 0; j < 1+r.Intn(3); j++ {
			ms = append(ms, CPEMatch{Vulnerable: true, Criteria: cpe("o", vendor, p+"_firmware", genDeviceVersions[r.Intn(len(genDeviceVersions))]), MatchCriteriaID: genUUID(r)})
		}
	case 1: // all versions
		ms = append(ms, CPEMatch{Vulnerable: true, Criteria: cpe("o", vendor, p+"_firmware", "*"), MatchCriteriaID: genUUID(r)})
	default:
		ms = append(ms, genRangeMatch(r, "o", vendor, p+"_firmware"))
	}
	return ms
}

func genRangeMatch(r *rand.Rand, part, vendor, p string) CPEMatch {
	m := CPEMatch{Vulnerable: true, Criteria: cpe(part, vendor, p, "*"), MatchCriteriaID: genUUID(r)}
	hi := genDeviceVersions[3+r.Intn(len(genDeviceVersions)-3)]
	switch r.Intn(4) {
	case 0:
		m.VersionEndExcluding = hi
	case 1:
		m.VersionEndIncluding = hi
	case 2:
		m.VersionStartIncluding = genDeviceVersions[r.Intn(3)]
		m.VersionEndExcluding = hi
	default:
		m.VersionStartExcluding = genDeviceVersions[r.Intn(3)]
		m.VersionEndIncluding = hi
	}
	return m
}

func cpe(part, vendor, product, version string) string {
	return "cpe:2.3:" + part + ":" + vendor + ":" + product + ":" + version + ":*:*:*:*:*:*:*"
}

func genUUID(r *rand.Rand) string {
	return fmt.Sprintf("%08X-%04X-%04X-%04X-%012X", r.Uint32(), r.Intn(1<<16), r.Intn(1<<16), r.Intn(1<<16), r.Int63n(1<<48))
}

func severity(s float64) string {
	switch {
	case s >= 9:
		return "CRITICAL"
	case s >= 7:
		return "HIGH"
	case s >= 4:
		return "MEDIUM"
	}
	return "LOW"
}

// GenerateDevices returns n distinct make/model/firmware groups drawn from
// the medical vendors and products that Generate's CVEs name: the model
// named as the CPE product spells it ("Alaris PC K108"), by a marketing name
// plus model number, or by model number only; manufacturers under their
// inventory aliases ("CareFusion"); one group in ten with unknown firmware.
// It is deterministic.
func GenerateDevices(n int) []Device {
	r := rand.New(rand.NewSource(1))
	out := make([]Device, 0, n)
	seen := map[string]bool{}
	for i := 0; len(out) < n; i++ {
		v := genMedical[i%len(genMedical)]
		p := (i / len(genMedical)) % genProductsPerMedical
		name, number := genMedicalProduct(v, p)
		fw := ""
		if r.Intn(10) != 0 {
			fw = genDeviceVersions[r.Intn(len(genDeviceVersions))]
		}
		d := Device{Manufacturer: v.makers[r.Intn(len(v.makers))]}
		fam := strings.TrimSuffix(name, "_"+number)
		switch r.Intn(3) {
		case 0:
			d.Model = title(fam) + " " + strings.ToUpper(number)
		case 1:
			d.Model = title(fam) + " Pump"
			d.ModelNumber = strings.ToUpper(number)
		default:
			d.Model = strings.ToUpper(number)
		}
		// n may exceed products × versions; vary the build then.
		if round := i / (len(genMedical) * genProductsPerMedical); round > 0 && fw != "" {
			fw = fmt.Sprintf("%s.%d", fw, round)
		}
		d.Firmware = fw
		k := d.Manufacturer + "|" + d.Model + "|" + d.ModelNumber + "|" + d.Firmware
		if seen[k] {
			continue
		}
		seen[k] = true
		d.Key = fmt.Sprintf("dev-%05d", len(out))
		out = append(out, d)
	}
	return out
}

func title(s string) string {
	ws := strings.Split(s, "_")
	for i, w := range ws {
		if len(w) <= 2 {
			ws[i] = strings.ToUpper(w)
		} else {
			ws[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(ws, " ")
}
