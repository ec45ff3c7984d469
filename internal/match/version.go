package match

import (
	"strings"

	"github.com/medsec/medsec/internal/vers"
)

// needsReview ends every evidence line that leaves the version undecided, so
// the UI and reports can show one recognisable phrase.
const needsReview = "version unknown — needs review"

// versionSpec is what an advisory product says about versions: its
// product_version_range if present, else its product_version (exact or
// vers-like), parsed once per product.
type versionSpec struct {
	label string // "version range" or "version"
	raw   string
	cons  vers.Constraint
}

func specOf(version, versionRange string) versionSpec {
	if strings.TrimSpace(versionRange) != "" {
		return versionSpec{"version range", versionRange, vers.ParseConstraint(versionRange)}
	}
	if strings.TrimSpace(version) != "" {
		return versionSpec{"version", version, vers.ParseConstraint(version)}
	}
	return versionSpec{label: "version"}
}

// verdict is the version half of a match.
type verdict struct {
	include bool // a finding is made (Yes or Unknown)
	certain bool // the answer was Yes, not Unknown
	yes     bool // firmware certainly inside the range (used for fixed products)
	ev      string
}

// judge decides a device firmware against the product's versions. Unknown is
// never folded into No: an uninterpretable range, a product without any
// version, or a device whose firmware is not recorded all give a finding with
// certain=false and the reason, so a person looks at it. The one exception
// is a range that certainly covers every version ("vers:all/*"), which holds
// whatever the firmware is, known or not.
func (s versionSpec) judge(firmware string) verdict {
	firmware = strings.TrimSpace(firmware)
	q := s.label + " '" + s.raw + "'"
	switch {
	case s.raw == "":
		return verdict{include: true, ev: "advisory gives no version for this product: " + needsReview}
	case !s.cons.Certain:
		why := s.cons.Reason
		if why == "" {
			why = "not interpretable"
		}
		return verdict{include: true, ev: q + " cannot be interpreted (" + why + "): " + needsReview}
	case s.cons.AllVersions():
		fw := firmware
		if fw == "" {
			fw = "unknown"
		}
		return verdict{include: true, certain: true, yes: true, ev: q + " covers all versions (firmware " + fw + "): yes"}
	case firmware == "":
		return verdict{include: true, ev: "device firmware unknown, cannot check " + q + ": " + needsReview}
	}
	r, why := s.cons.Match(firmware)
	ev := q + " matched firmware " + firmware + ": " + strings.ToLower(r.String())
	if why != "" {
		ev += " (" + why + ")"
	}
	switch r {
	case vers.Yes:
		return verdict{include: true, certain: true, yes: true, ev: ev}
	case vers.No:
		return verdict{ev: ev}
	default:
		return verdict{include: true, ev: ev + ": " + needsReview}
	}
}
