package catalog

import (
	"strings"
	"unicode"
)

// Manufacturer is one device maker under its canonical name, with the other
// names the same company appears under in CMMS, CMDB and monitoring exports:
// acquired brands, legal entities, and the NIC vendors that OUI look-ups report.
type Manufacturer struct {
	// Canonical is the name medsec shows and groups by, e.g. "BD".
	Canonical string
	// Aliases are spellings seen in real exports for the same company,
	// including acquired brands ("CareFusion", "Alaris" for BD).
	Aliases []string
	// OUIVendors are the names an OUI/MAC look-up reports for this maker's
	// devices: the maker's own IEEE registration and, often, the maker of the
	// embedded network module (Lantronix, Digi International, Silex Technology).
	// OUIVendors[i] is the registrant of OUIPrefixes[i]; a module maker's
	// prefix is shared by every manufacturer that embeds its modules, which
	// is exactly why an OUI vendor name says little about the device maker.
	OUIVendors []string
	// OUIPrefixes are MAC prefixes ("00:09:FB") used for this maker's devices,
	// parallel to OUIVendors. Module makers' prefixes (Lantronix 00:80:A3, Digi
	// 00:40:9D, Silex 00:80:92), Philips 00:09:FB and Dräger 00:30:E6 follow the
	// IEEE registry as we know it; the rest are plausible placeholders, so this
	// is not an authoritative OUI table.
	OUIPrefixes []string
}

var manufacturers = []Manufacturer{
	{"BD",
		[]string{"Becton, Dickinson and Company", "Becton Dickinson", "Becton Dickinson & Co", "Becton, Dickinson and Company (BD)", "BD", "BD Medical", "BD Biosciences", "BD Diagnostics", "CareFusion", "CareFusion 303", "CareFusion 303, Inc.", "CAREFUSION", "Cardinal Health 303", "Alaris", "Alaris Medical Systems", "ALARIS MEDICAL", "Pyxis"},
		[]string{"Becton Dickinson & Co", "CareFusion", "Lantronix"},
		[]string{"00:1A:FB", "00:21:9B", "00:80:A3"}},
	{"ICU Medical",
		[]string{"ICU Medical", "ICU Medical, Inc.", "ICU MEDICAL INC", "Hospira", "Hospira, Inc.", "HOSPIRA INC", "Hospira Worldwide", "Abbott Hospital Products"},
		[]string{"Hospira Inc", "ICU Medical Inc", "Digi International"},
		[]string{"00:07:45", "00:04:F3", "00:40:9D"}},
	{"Baxter",
		[]string{"Baxter", "Baxter Healthcare", "Baxter Healthcare Corporation", "Baxter International Inc.", "BAXTER HEALTHCARE CORP", "Hill-Rom", "Hillrom", "Hill Rom", "HILL-ROM COMPANY", "Hill-Rom Services, Inc.", "Welch Allyn", "Welch Allyn, Inc.", "WELCH ALLYN INC", "WelchAllyn", "Mortara", "Mortara Instrument", "Sigma International", "Gambro"},
		[]string{"Welch Allyn", "Hill-Rom", "Baxter Healthcare"},
		[]string{"00:13:B6", "00:0A:F7", "00:1E:C0"}},
	{"Medtronic",
		[]string{"Medtronic", "Medtronic, Inc.", "Medtronic plc", "MEDTRONIC INC", "Covidien", "Covidien LP", "COVIDIEN", "Puritan Bennett", "Puritan-Bennett", "Nellcor", "Nellcor Puritan Bennett", "Valleylab", "Tyco Healthcare"},
		[]string{"Medtronic", "Covidien", "Silex Technology"},
		[]string{"00:0D:6F", "00:16:1C", "00:80:92"}},
	{"GE Healthcare",
		[]string{"GE Healthcare", "GE HealthCare", "GEHC", "GE HealthCare Technologies", "GE Medical Systems", "GE Medical Systems Information Technologies", "GE MEDICAL SYSTEMS INFO TECH", "General Electric", "General Electric (GE)", "General Electric Healthcare", "GE", "Datex-Ohmeda", "Datex Ohmeda", "Marquette", "Critikon", "OEC Medical Systems"},
		[]string{"GE Medical Systems Information Technologies", "GE Healthcare", "Silex Technology"},
		[]string{"00:00:9B", "00:1B:A5", "84:25:3F"}},
	{"Philips",
		[]string{"Philips", "Philips Healthcare", "Philips Medical Systems", "PHILIPS MEDICAL SYSTEMS", "Philips Medizin Systeme Böblingen GmbH", "Philips Medizin Systeme Boeblingen", "Philips Medizin Systeme", "Koninklijke Philips N.V.", "Koninklijke Philips", "Royal Philips", "Phillips", "Philips Respironics", "Respironics", "Philips Ultrasound"},
		[]string{"Philips Medical Systems", "Philips Medizin Systeme Boeblingen", "Koninklijke Philips"},
		[]string{"00:09:FB", "00:1A:4D", "00:60:8B"}},
	{"Dräger",
		[]string{"Dräger", "Draeger", "Drager", "DRAEGER", "Drägerwerk", "Draegerwerk AG & Co. KGaA", "Drägerwerk AG", "Draeger Medical", "DRAEGER MEDICAL", "Draeger Medical Systems, Inc.", "Dräger Medical GmbH", "Draeger Inc"},
		[]string{"Draeger Medical Systems, Inc.", "Draegerwerk AG"},
		[]string{"00:30:E6", "00:1F:96"}},
	{"Siemens Healthineers",
		[]string{"Siemens Healthineers", "Siemens Healthineers AG", "Siemens Healthcare", "Siemens Healthcare GmbH", "Siemens Medical Solutions", "Siemens Medical Solutions USA, Inc.", "SIEMENS MEDICAL SOLUTIONS USA INC", "Siemens Healthcare Diagnostics", "Siemens Healthcare Diagnostics Inc.", "Siemens", "Siemens AG", "SIEMENS"},
		[]string{"Siemens AG", "Siemens AG", "Siemens Healthcare GmbH"},
		[]string{"00:0E:8C", "00:1B:1B", "00:01:E3"}},
	{"Canon Medical",
		[]string{"Canon Medical", "Canon Medical Systems", "Canon Medical Systems Corporation", "Canon Medical Systems USA, Inc.", "CANON MEDICAL SYSTEMS", "Toshiba Medical", "Toshiba Medical Systems", "Toshiba Medical Systems Corporation", "TOSHIBA MEDICAL SYSTEMS", "Toshiba America Medical Systems", "Vital Images"},
		[]string{"Toshiba Corporation", "Canon Medical Systems"},
		[]string{"00:00:39", "00:1E:8F"}},
	{"Fresenius Kabi",
		[]string{"Fresenius Kabi", "Fresenius Kabi AG", "Fresenius Kabi USA, LLC", "FRESENIUS KABI", "Fresenius Vial", "Ivenix"},
		[]string{"Fresenius Kabi", "Murata Manufacturing"},
		[]string{"00:1C:C8", "00:26:E8"}},
	{"Fresenius Medical Care",
		[]string{"Fresenius Medical Care", "Fresenius Medical Care North America", "FRESENIUS MEDICAL CARE", "Fresenius Medical Care AG & Co. KGaA", "FMC", "NxStage", "NxStage Medical"},
		[]string{"Fresenius Medical Care", "Digi International"},
		[]string{"00:1D:0F", "00:40:9D"}},
	{"B. Braun",
		[]string{"B. Braun", "B. Braun Medical", "B. Braun Medical Inc.", "B. Braun Melsungen AG", "B Braun", "BBraun", "B.BRAUN", "Braun", "B. Braun Medical Inc"},
		[]string{"B. Braun Melsungen AG", "Silex Technology"},
		[]string{"00:1E:EC", "00:80:92"}},
	{"Smiths Medical",
		[]string{"Smiths Medical", "Smiths Medical ASD, Inc.", "Smiths Medical ASD", "SMITHS MEDICAL", "Smiths Group", "Medfusion", "Deltec", "Smiths Medical (ICU Medical)"},
		[]string{"Smiths Medical", "Texas Instruments"},
		[]string{"00:1B:C4", "00:17:E4"}},
	{"Mindray",
		[]string{"Mindray", "Mindray DS USA", "Mindray DS USA, Inc.", "Mindray North America", "Shenzhen Mindray Bio-Medical Electronics Co., Ltd.", "SHENZHEN MINDRAY BIO-MEDICAL ELECTRONICS", "Mindray Medical International", "Datascope"},
		[]string{"Shenzhen Mindray Bio-Medical Electronics", "Mindray"},
		[]string{"00:24:58", "34:49:5B"}},
	{"Nihon Kohden",
		[]string{"Nihon Kohden", "Nihon Kohden Corporation", "NIHON KOHDEN CORP", "Nihon Kohden America", "Nihon Kohden America, Inc.", "NIHON KOHDEN AMERICA"},
		[]string{"Nihon Kohden Corporation", "Nihon Kohden Corporation"},
		[]string{"00:00:A4", "00:0B:74"}},
	{"Stryker",
		[]string{"Stryker", "Stryker Medical", "Stryker Corporation", "STRYKER MEDICAL", "Physio-Control", "Physio Control", "Physio-Control, Inc.", "Sage Products"},
		[]string{"Stryker", "Physio-Control", "Lantronix"},
		[]string{"00:0B:AB", "00:1C:93", "00:80:A3"}},
	{"ZOLL",
		[]string{"ZOLL", "Zoll", "ZOLL Medical", "ZOLL Medical Corporation", "Zoll Medical Corp"},
		[]string{"ZOLL Medical Corporation", "Silex Technology"},
		[]string{"00:12:5A", "00:80:92"}},
	{"Abbott",
		[]string{"Abbott", "Abbott Laboratories", "ABBOTT LABORATORIES", "Abbott Diagnostics", "Abbott Point of Care", "i-STAT", "St. Jude Medical", "St Jude Medical", "Alere"},
		[]string{"Abbott Laboratories", "Abbott Point of Care"},
		[]string{"00:0A:C5", "00:21:4E"}},
	{"Roche",
		[]string{"Roche", "Roche Diagnostics", "Roche Diagnostics Corporation", "Roche Diagnostics GmbH", "F. Hoffmann-La Roche", "F. Hoffmann-La Roche Ltd", "Hoffmann-La Roche", "ROCHE DIAGNOSTICS"},
		[]string{"Roche Diagnostics GmbH", "Roche Diagnostics"},
		[]string{"00:04:0B", "00:24:C6"}},
	{"Beckman Coulter",
		[]string{"Beckman Coulter", "Beckman Coulter, Inc.", "BECKMAN COULTER INC", "Beckman", "Coulter"},
		[]string{"Beckman Coulter", "Dell Inc."},
		[]string{"00:0C:9E", "00:14:22"}},
	{"Fujifilm",
		[]string{"Fujifilm", "FUJIFILM", "FUJIFILM Healthcare", "FUJIFILM Medical Systems U.S.A., Inc.", "Fujifilm Medical Systems", "FUJIFILM Corporation", "Fuji Photo Film", "FUJIFILM SonoSite", "FUJIFILM SonoSite, Inc.", "SonoSite", "Hitachi Medical Systems"},
		[]string{"FUJIFILM Corporation", "SonoSite"},
		[]string{"00:1E:0F", "00:08:C5"}},
	{"Carestream",
		[]string{"Carestream", "Carestream Health", "Carestream Health, Inc.", "CARESTREAM HEALTH INC", "Kodak Health Group", "Eastman Kodak"},
		[]string{"Carestream Health", "Dell Inc."},
		[]string{"00:1E:4C", "00:14:22"}},
	{"Masimo",
		[]string{"Masimo", "Masimo Corporation", "MASIMO CORP", "Masimo Corp."},
		[]string{"Masimo Corporation"},
		[]string{"00:1E:35"}},
	{"Spacelabs",
		[]string{"Spacelabs", "Spacelabs Healthcare", "Spacelabs Healthcare, Inc.", "Spacelabs Medical", "SPACELABS MEDICAL INC", "OSI Systems"},
		[]string{"Spacelabs Healthcare", "Spacelabs Medical"},
		[]string{"00:03:B1", "00:90:62"}},
	{"Omnicell",
		[]string{"Omnicell", "Omnicell, Inc.", "OMNICELL INC", "Aesynt", "McKesson Automation"},
		[]string{"Omnicell", "Dell Inc."},
		[]string{"00:1C:E6", "00:14:22"}},
	{"Hamilton Medical",
		[]string{"Hamilton Medical", "Hamilton Medical AG", "HAMILTON MEDICAL", "Hamilton Medical, Inc."},
		[]string{"Hamilton Medical AG", "Digi International"},
		[]string{"00:1C:35", "00:40:9D"}},
	{"Getinge",
		[]string{"Getinge", "Getinge AB", "Maquet", "MAQUET", "Maquet Critical Care", "Maquet Critical Care AB", "Maquet Medical Systems"},
		[]string{"Maquet Critical Care AB", "Getinge"},
		[]string{"00:1A:6B", "00:10:BE"}},
	{"Vyaire",
		[]string{"Vyaire", "Vyaire Medical", "Vyaire Medical, Inc.", "VYAIRE MEDICAL", "Bird Products", "Viasys Healthcare", "SensorMedics"},
		[]string{"Vyaire Medical", "Digi International"},
		[]string{"00:15:DC", "00:40:9D"}},
	{"Radiometer",
		[]string{"Radiometer", "Radiometer Medical", "Radiometer Medical ApS", "RADIOMETER", "Radiometer America"},
		[]string{"Radiometer Medical ApS"},
		[]string{"00:1A:A3"}},
	{"Werfen",
		[]string{"Werfen", "Instrumentation Laboratory", "Instrumentation Laboratory Co.", "IL", "INSTRUMENTATION LABORATORY"},
		[]string{"Instrumentation Laboratory"},
		[]string{"00:13:F0"}},
	{"Sysmex",
		[]string{"Sysmex", "Sysmex Corporation", "Sysmex America", "Sysmex America, Inc.", "SYSMEX"},
		[]string{"Sysmex Corporation"},
		[]string{"00:02:B1"}},
	{"Nova Biomedical",
		[]string{"Nova Biomedical", "Nova Biomedical Corporation", "NOVA BIOMEDICAL"},
		[]string{"Nova Biomedical", "Texas Instruments"},
		[]string{"00:1D:6C", "00:17:E4"}},
	{"Cardinal Health",
		[]string{"Cardinal Health", "Cardinal Health, Inc.", "CARDINAL HEALTH", "Kendall", "Kangaroo"},
		[]string{"Cardinal Health"},
		[]string{"00:1E:5A"}},
	{"Moog",
		[]string{"Moog", "Moog Medical", "Moog Inc.", "Curlin Medical", "Zevex"},
		[]string{"Moog Inc."},
		[]string{"00:19:A7"}},
	{"Solventum",
		[]string{"Solventum", "3M", "3M Health Care", "3M Company", "Arizant Healthcare", "Arizant"},
		[]string{"3M Company"},
		[]string{"00:05:B1"}},
	{"Gentherm",
		[]string{"Gentherm", "Gentherm Medical", "Cincinnati Sub-Zero", "Cincinnati Sub-Zero Products", "CSZ"},
		[]string{"Gentherm"},
		[]string{"00:1F:C7"}},
	{"Erbe",
		[]string{"Erbe", "ERBE", "Erbe Elektromedizin GmbH", "Erbe USA", "ERBE USA INC"},
		[]string{"Erbe Elektromedizin GmbH"},
		[]string{"00:1B:2E"}},
	{"CONMED",
		[]string{"CONMED", "ConMed", "CONMED Corporation", "Conmed Corp", "Linvatec"},
		[]string{"CONMED Corporation"},
		[]string{"00:1D:44"}},
	{"Nonin",
		[]string{"Nonin", "Nonin Medical", "Nonin Medical, Inc.", "NONIN MEDICAL INC"},
		[]string{"Nonin Medical"},
		[]string{"00:1C:2A"}},
	{"Exergen",
		[]string{"Exergen", "Exergen Corporation", "EXERGEN CORP"},
		[]string{"Exergen"},
		[]string{"00:1F:3A"}},
	{"Ohio Medical",
		[]string{"Ohio Medical", "Ohio Medical Corporation", "Ohio Medical, LLC", "OHIO MEDICAL CORP", "Amvex"},
		[]string{"Ohio Medical"},
		[]string{"00:1A:2D"}},
}

// Manufacturers returns the manufacturer table (a copy).
func Manufacturers() []Manufacturer {
	out := make([]Manufacturer, len(manufacturers))
	for i, m := range manufacturers {
		out[i] = Manufacturer{
			Canonical:   m.Canonical,
			Aliases:     append([]string(nil), m.Aliases...),
			OUIVendors:  append([]string(nil), m.OUIVendors...),
			OUIPrefixes: append([]string(nil), m.OUIPrefixes...),
		}
	}
	return out
}

// ManufacturerByName returns the manufacturer whose canonical name or alias
// matches name (using CanonicalManufacturer's normalisation).
func ManufacturerByName(name string) (Manufacturer, bool) {
	c, ok := CanonicalManufacturer(name)
	if !ok {
		return Manufacturer{}, false
	}
	for _, m := range Manufacturers() {
		if m.Canonical == c {
			return m, true
		}
	}
	return Manufacturer{}, false
}

var aliasIndex = buildAliasIndex()

func buildAliasIndex() map[string]string {
	idx := make(map[string]string)
	for _, m := range manufacturers {
		for _, n := range append([]string{m.Canonical}, m.Aliases...) {
			k := manufacturerKey(n)
			if k == "" {
				continue
			}
			// First writer wins; the catalogue test guarantees no alias
			// key is claimed by two manufacturers.
			if _, dup := idx[k]; !dup {
				idx[k] = m.Canonical
			}
		}
	}
	return idx
}

// legalSuffixes are trailing tokens that name a legal form rather than a
// company, stripped before alias look-up ("CareFusion 303, Inc." → "carefusion 303").
var legalSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "lp": true, "llp": true,
	"gmbh": true, "ag": true, "kgaa": true, "kg": true, "co": true, "company": true,
	"corp": true, "corporation": true, "ltd": true, "limited": true, "plc": true,
	"sa": true, "nv": true, "bv": true, "aps": true, "ab": true, "oy": true,
	"spa": true, "srl": true, "pty": true, "usa": true, "us": true, "and": true,
}

// genericTails are trailing words tried as a fallback when the full name is
// not an alias ("Siemens Medical" → "siemens", "Hospira Worldwide Corp" →
// "hospira"). They are only stripped when the remainder is a known alias.
var genericTails = map[string]bool{
	"medical": true, "systems": true, "system": true, "healthcare": true,
	"health": true, "international": true, "technologies": true,
	"technology": true, "solutions": true, "group": true, "america": true,
	"north": true, "holdings": true, "diagnostics": true, "products": true,
	"devices": true, "worldwide": true, "global": true,
}

// CanonicalManufacturer resolves a manufacturer name as written in any export
// to medsec's canonical name. Matching ignores case, punctuation, diacritics
// ("Dräger" = "Draeger" = "DRAEGER MEDICAL") and legal-form suffixes (Inc,
// LLC, GmbH, AG, Co, Corp, Ltd). When the name is not recognised it returns
// the trimmed input and false, so callers can keep the original spelling.
func CanonicalManufacturer(name string) (canonical string, ok bool) {
	k := manufacturerKey(name)
	if k == "" {
		return strings.TrimSpace(name), false
	}
	if c, ok := aliasIndex[k]; ok {
		return c, true
	}
	toks := strings.Fields(k)
	for len(toks) > 1 && genericTails[toks[len(toks)-1]] {
		toks = stripLegal(toks[:len(toks)-1])
		if c, ok := aliasIndex[strings.Join(toks, " ")]; ok {
			return c, true
		}
	}
	return strings.TrimSpace(name), false
}

// manufacturerKey normalises a name for alias look-up: diacritics folded
// (ä→a, ß→ss), "&" read as "and", punctuation dropped, lower case, single
// spaces, and trailing legal-form tokens removed.
func manufacturerKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if f, ok := foldRune[r]; ok {
			b.WriteString(f)
			continue
		}
		switch {
		case r == '&':
			b.WriteString(" and ")
		case r == '.' || r == '\'' || r == '’':
			// "B. Braun" = "B Braun" = "BBraun" is handled by the alias list;
			// dropping dots keeps "Inc." and "Co." as plain suffix tokens.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	toks := strings.Fields(b.String())
	toks = stripLegal(toks)
	return strings.Join(toks, " ")
}

func stripLegal(toks []string) []string {
	for len(toks) > 1 && legalSuffixes[toks[len(toks)-1]] {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// foldRune maps the accented letters seen in device makers' names to ASCII.
var foldRune = map[rune]string{
	'ä': "a", 'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'å': "a",
	'ö': "o", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'ø': "o",
	'ü': "u", 'ú': "u", 'ù': "u", 'û': "u",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ç': "c", 'ß': "ss", 'ÿ': "y",
}
