// Package advisorydata embeds the CISA ICSMA advisories medsec ships, so
// that the demo has real findings on an offline machine. See README.md for
// their source and licence.
package advisorydata

import "embed"

// ICSMA holds the advisories under icsma/*.json.
//
//go:embed icsma/*.json
var ICSMA embed.FS

// Intel holds the KEV catalog (intel/kev.json) and a page of NVD records
// for medical devices (intel/nvd-medical.json).
//
//go:embed intel/*.json
var Intel embed.FS
