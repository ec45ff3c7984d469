package nvd

import (
	"fmt"
	"strings"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// nvdVendors maps NVD CPE vendor spellings the manufacturer catalogue does
// not know (NVD squeezes names: "gehealthcare", "icumedical") to the
// catalogue's canonical names. Everything else goes through
// catalog.CanonicalManufacturer after underscores become spaces.
var nvdVendors = map[string]string{
	"bd":                              "BD",
	"becton_dickinson":                "BD",
	"becton_dickinson_and_company":    "BD",
	"becton\\,_dickinson_and_company": "BD",
	"carefusion":                      "BD",
	"ge":                              "GE Healthcare",
	"gehealthcare":                    "GE Healthcare",
	"ge_healthcare":                   "GE Healthcare",
	"gehc":                            "GE Healthcare",
	"ge_medical_systems":              "GE Healthcare",
	"hillrom":                         "Baxter",
	"hill-rom":                        "Baxter",
	"welchallyn":                      "Baxter",
	"welch_allyn":                     "Baxter",
	"welch-allyn":                     "Baxter",
	"icumedical":                      "ICU Medical",
	"icu_medical":                     "ICU Medical",
	"hospira":                         "ICU Medical",
	"smiths-medical":                  "Smiths Medical",
	"smithsmedical":                   "Smiths Medical",
	"smiths_medical":                  "Smiths Medical",
	"bbraun":                          "B. Braun",
	"b_braun":                         "B. Braun",
	"b.braun":                         "B. Braun",
	"b-braun":                         "B. Braun",
	"draeger":                         "Dräger",
	"drager":                          "Dräger",
	"philips_healthcare":              "Philips",
	"siemens-healthineers":            "Siemens Healthineers",
	"siemens_healthineers":            "Siemens Healthineers",
	"siemens_healthcare":              "Siemens Healthineers",
	"nihonkohden":                     "Nihon Kohden",
	"nihon_kohden":                    "Nihon Kohden",
	"fresenius_kabi":                  "Fresenius Kabi",
	"freseniuskabi":                   "Fresenius Kabi",
	"fresenius_medical_care":          "Fresenius Medical Care",
	"canon_medical":                   "Canon Medical",
	"canonmedical":                    "Canon Medical",
	"toshiba_medical":                 "Canon Medical",
	"stjude":                          "Abbott",
	"st_jude_medical":                 "Abbott",
	"stjudemedical":                   "Abbott",
	"zoll":                            "ZOLL",
	"zollmedical":                     "ZOLL",
}

// vendorRes is how an NVD vendor string was resolved.
type vendorRes struct {
	key    string  // matching key: normalize.Key of the canonical name
	canon  string  // canonical name, or the NVD spelling made readable
	factor float64 // confidence factor of the resolution
	how    string  // evidence
}

// resolveVendor maps an NVD CPE vendor ("bd", "gehealthcare", "offis") to the
// manufacturer it designates. A vendor neither the table nor the catalogue
// knows keeps its own name, compared by key with the devices' makers at a
// slightly lower confidence.
func resolveVendor(v string) vendorRes {
	lv := strings.ToLower(strings.TrimSpace(v))
	if c, ok := nvdVendors[lv]; ok {
		return vendorRes{key: normalize.Key(c), canon: c, factor: 1, how: fmt.Sprintf("NVD vendor %q is %s (NVD vendor table)", v, c)}
	}
	spaced := strings.NewReplacer("_", " ", "\\", "").Replace(lv)
	if c, ok := catalog.CanonicalManufacturer(spaced); ok {
		return vendorRes{key: normalize.Key(c), canon: c, factor: 1, how: fmt.Sprintf("NVD vendor %q is %s (manufacturer catalogue)", v, c)}
	}
	return vendorRes{key: normalize.Key(spaced), canon: spaced, factor: 0.9,
		how: fmt.Sprintf("NVD vendor %q equals the device maker by name (not in the manufacturer catalogue)", v)}
}

// deviceVendor is the matching key and canonical name of a device's
// manufacturer as the inventory spells it.
func deviceVendor(m string) (key, canon string) {
	c, _ := catalog.CanonicalManufacturer(m)
	return normalize.Key(c), c
}
