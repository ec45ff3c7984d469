// Package advisorydata embeds the CISA ICSMA advisories medsec ships, so
// that the demo has real findings on an offline machine. See README.md for
// their source and licence.
package advisorydata

import "embed"

// ICSMA holds the advisories under icsma/*.json.
//
//go:embed icsma/*.json
var ICSMA embed.FS
