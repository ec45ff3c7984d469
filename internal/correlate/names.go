package correlate

import (
	"sort"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// catModel is a catalog model reduced to what matching needs.
type catModel struct {
	name string
	mfr  int32 // index into catMakers
}

// Catalog tables, built once: they are constant reference data.
var (
	catMakers   []string       // canonical names, sorted
	catMakerIdx map[string]int // canonical name → index
	catModels   []catModel
	// modelKeys maps a folded model name, variant or number to a model
	// index; keys claimed by two models ("PC Unit" could be anyone's) are
	// left out, so an ambiguous spelling is "unknown", not a disagreement.
	modelKeys map[string]int32
	// nicVendors are folded OUI vendor names that do not resolve to the one
	// maker they are registered for: module makers (Lantronix, Digi, Silex)
	// shared by many device makers, and registrations under a name the
	// alias table does not know. Seeing one says nothing about the maker.
	nicVendors map[string]bool
)

func init() {
	mfrs := catalog.Manufacturers()
	for _, m := range mfrs {
		catMakers = append(catMakers, m.Canonical)
	}
	sort.Strings(catMakers)
	catMakerIdx = make(map[string]int, len(catMakers))
	for i, n := range catMakers {
		catMakerIdx[n] = i
	}
	nicVendors = map[string]bool{}
	for _, m := range mfrs {
		for _, v := range m.OUIVendors {
			if c, ok := catalog.CanonicalManufacturer(v); !ok || c != m.Canonical {
				nicVendors[normalize.Key(v)] = true
			}
		}
	}
	buildModelKeys()
}

func buildModelKeys() {
	modelKeys = map[string]int32{}
	ambiguous := map[string]bool{}
	for _, m := range catalog.Models() {
		i := int32(len(catModels))
		catModels = append(catModels, catModel{name: m.Name, mfr: int32(catMakerIdx[m.Manufacturer])})
		for _, n := range append([]string{m.Name, m.ModelNumber}, m.NameVariants...) {
			k := normalize.Key(n)
			if k == "" || placeholderName[k] {
				continue
			}
			if j, ok := modelKeys[k]; ok && j != i {
				ambiguous[k] = true
			}
			modelKeys[k] = i
		}
	}
	for k := range ambiguous {
		delete(modelKeys, k)
	}
}

// placeholderName holds folded names that mean "not known".
var placeholderName = map[string]bool{
	"unknown": true, "unk": true, "na": true, "none": true, "null": true,
	"other": true, "generic": true, "tbd": true, "notavailable": true,
}

type mfrInfo struct {
	idx  int32
	text string
	nic  bool
}

type modelInfo struct {
	idx  int32
	text string
}

// lookups caches name resolution per distinct spelling: exports repeat a
// few hundred spellings over millions of rows.
type lookups struct {
	mfrs    map[string]mfrInfo
	models  map[string]modelInfo
	classes map[string]classInfo
}

func newLookups() *lookups {
	return &lookups{mfrs: map[string]mfrInfo{}, models: map[string]modelInfo{}, classes: map[string]classInfo{}}
}

// manufacturer resolves a name: catalog maker, NIC vendor (no evidence),
// placeholder (no evidence) or free text.
func (l *lookups) manufacturer(s string) mfrInfo {
	if v, ok := l.mfrs[s]; ok {
		return v
	}
	v := mfrInfo{idx: mfrNone}
	k := normalize.Key(s)
	switch {
	case k == "" || placeholderName[k]:
	case nicVendors[k]:
		v.nic = true
	default:
		if c, ok := catalog.CanonicalManufacturer(s); ok {
			v.idx = int32(catMakerIdx[c])
		} else {
			v.idx, v.text = mfrText, k
		}
	}
	l.mfrs[s] = v
	return v
}

// model resolves a model name, variant or number to a catalog model.
func (l *lookups) model(s string) modelInfo {
	if v, ok := l.models[s]; ok {
		return v
	}
	v := modelInfo{idx: -1}
	k := normalize.Key(s)
	if k != "" && !placeholderName[k] {
		if i, ok := modelKeys[k]; ok {
			v.idx = i
		} else {
			v.text = k
		}
	}
	l.models[s] = v
	return v
}

// makerName is a maker index as text, for evidence.
func makerName(i int32) string {
	if i >= 0 && int(i) < len(catMakers) {
		return catMakers[i]
	}
	return ""
}

// compatibleMakers reports whether a and b may be the same maker: true
// unless both resolved to different catalog makers.
func compatibleMakers(a, b *rec) bool {
	return a.mfr < 0 || b.mfr < 0 || a.mfr == b.mfr
}
