package match

import (
	"strings"
	"sync"
	"unicode"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// Confidence of each kind of product-name match. A name the advisory and the
// inventory spell the same is as good as it gets; a catalogue variant is a
// curated equivalence; a model number is specific but short numbers recur;
// word containment is the weakest and is only tried with enough words that a
// coincidence is unlikely.
const (
	confExact          = 1.0
	confCatalog        = 0.95
	confHelperNumber   = 0.95
	confNumberInName   = 0.85
	confDeviceInProd   = 0.75
	confProdInDevice   = 0.7
	confSameWords      = 0.6
	minSingleWordChars = 4
)

// nameForm is one spelling of a device's model with its lookup key and words.
type nameForm struct {
	text      string
	key       string
	toks      []string
	set       map[string]bool
	sig       []string        // toks without generic and manufacturer words
	coreNoNum map[string]bool // toks without filler, manufacturer and number words
	kind      string          // "model" (the inventory's own spelling), "catalog name", "catalog variant"
}

// modelProfile is everything the name matcher needs about one make/model
// spelling, computed once and shared by every device group with that
// spelling (an inventory has far fewer distinct models than groups), so the
// per-advisory work is one name match per distinct model.
type modelProfile struct {
	model   string // the inventory's spelling, for evidence
	devices []*deviceProfile
	forms   []nameForm
	numbers []string        // normalised model numbers: the device's and its catalogue model's
	digits  map[string]bool // number words (3+ digits) of every form and model number
	catalog string          // catalogue model name, "" when not resolved
}

// productProfile is an advisory product leaf prepared for matching.
type productProfile struct {
	name    string
	key     string
	coarse  map[string]bool // words split at punctuation only ("mx400")
	fine    []string        // words also split at letter/digit changes ("mx", "400")
	fineSet map[string]bool
	numbers map[string]bool // product_identification_helper model numbers
	digits  map[string]bool // number words (3+ digits) of the name: "8000", "360"
}

// catalogByVendor indexes the catalogue models by manufacturer key. The
// catalogue is constant, so this is computed once.
var catalogByVendor = sync.OnceValue(func() map[string][]catalogModel {
	m := map[string][]catalogModel{}
	for _, cm := range catalog.Models() {
		k := normalize.Key(cm.Manufacturer)
		c := catalogModel{Model: cm, keys: map[string]bool{normalize.Key(cm.Name): true}, numKey: normalize.Key(cm.ModelNumber)}
		for _, v := range cm.NameVariants {
			c.keys[normalize.Key(v)] = true
		}
		m[k] = append(m[k], c)
	}
	return m
})

// catalogModel is a catalogue model with its name keys precomputed.
type catalogModel struct {
	catalog.Model
	keys   map[string]bool // name and variants
	numKey string
}

// deviceProfile is one device group and the model profile it shares.
type deviceProfile struct {
	Device
	idx int
	*modelProfile
}

// profileDevice resolves the device to a catalogue model (by name, variant or
// model number, within its manufacturer) so that an advisory spelling known to
// the catalogue matches whatever spelling the inventory uses.
func profileModel(d Device, vendorKey string, vendorToks map[string]bool) *modelProfile {
	dp := &modelProfile{model: d.Model}
	addForm := func(text, kind string) {
		k := normalize.Key(text)
		if k == "" {
			return
		}
		for _, f := range dp.forms {
			if f.key == k {
				return
			}
		}
		toks := fineWords(text)
		dp.forms = append(dp.forms, nameForm{text: text, key: k, toks: toks, set: toSet(toks),
			sig: significant(toks, vendorToks), coreNoNum: toSet(withoutNumbers(coreWords(toks, vendorToks))), kind: kind})
	}
	addNumber := func(n string) {
		k := normalize.Key(n)
		if k == "" {
			return
		}
		for _, x := range dp.numbers {
			if x == k {
				return
			}
		}
		dp.numbers = append(dp.numbers, k)
	}
	addForm(d.Model, "model")
	addNumber(d.ModelNumber)

	mk := normalize.Key(d.Model)
	nk := normalize.Key(d.ModelNumber)
	var hit *catalogModel
	models := catalogByVendor()[vendorKey]
	for i := range models {
		if mk != "" && models[i].keys[mk] {
			hit = &models[i]
			break
		}
	}
	if hit == nil && nk != "" {
		for i := range models {
			if models[i].numKey == nk {
				hit = &models[i]
				break
			}
		}
	}
	defer func() {
		dp.digits = map[string]bool{}
		for _, f := range dp.forms {
			addDigits(dp.digits, f.toks)
		}
		for _, n := range dp.numbers {
			addDigits(dp.digits, fineWords(n))
		}
	}()
	if hit != nil {
		dp.catalog = hit.Name
		addForm(hit.Name, "catalog name")
		for _, v := range hit.NameVariants {
			addForm(v, "catalog variant")
		}
		addNumber(hit.ModelNumber)
	}
	return dp
}

func profileProduct(name string, helperNumbers []string) *productProfile {
	pp := &productProfile{name: name, key: normalize.Key(name),
		coarse: map[string]bool{}, fineSet: map[string]bool{}, numbers: map[string]bool{}}
	for _, w := range coarseWords(name) {
		pp.coarse[w] = true
	}
	pp.fine = fineWords(name)
	for _, w := range pp.fine {
		pp.fineSet[w] = true
	}
	pp.digits = map[string]bool{}
	addDigits(pp.digits, pp.fine)
	for _, n := range helperNumbers {
		if k := normalize.Key(n); k != "" {
			pp.numbers[k] = true
		}
	}
	return pp
}

// nameMatch is the best way a product name was found to designate a device.
type nameMatch struct {
	conf     float64
	evidence string
}

// matchName returns the strongest match between an advisory product and a
// device, or ok=false. prod is the product's significant words: without the
// manufacturer's name, which says nothing about the model ("BD Alaris ...",
// "Siemens PET/CT ...").
//
// prodCatalog is the catalogue model the product name itself designates
// within the vendor ("" if none): a product that is exactly another catalogue
// model ("Alaris 8000 PC unit") is not matched by words to this one.
func matchName(pp *productProfile, prod, prodCore []string, prodCatalog string, dp *modelProfile) (nameMatch, bool) {
	if pp.key == "" {
		return nameMatch{}, false
	}
	best := nameMatch{}
	consider := func(c float64, ev string) {
		if c > best.conf {
			best = nameMatch{c, ev}
		}
	}
	for _, f := range dp.forms {
		if f.key != pp.key {
			continue
		}
		if f.kind == "model" {
			consider(confExact, "product '"+pp.name+"' = model '"+f.text+"' (same name)")
		} else {
			consider(confCatalog, "product '"+pp.name+"' ~ model '"+dp.model+"' ("+f.kind+" '"+f.text+"')")
		}
	}
	if best.conf >= confCatalog {
		return best, true
	}
	for _, n := range dp.numbers {
		if pp.numbers[n] {
			consider(confHelperNumber, "product '"+pp.name+"' lists model number '"+n+"' of model '"+dp.model+"'")
		} else if isDistinctiveNumber(n) && pp.coarse[n] {
			consider(confNumberInName, "product '"+pp.name+"' ~ model '"+dp.model+"' (model number '"+n+"' in the product name)")
		}
	}
	// Word matches are refused when both sides carry model-like numbers and
	// share none: "Alaris 8000 PC unit" is not the "Alaris PC Unit" (8015)
	// even though every word of the latter is in the former.
	if len(pp.digits) > 0 && len(dp.digits) > 0 && !intersects(pp.digits, dp.digits) {
		return best, best.conf > 0
	}
	// A product that is itself another catalogue model designates that model.
	if prodCatalog != "" && dp.catalog != "" && prodCatalog != dp.catalog {
		return best, best.conf > 0
	}
	pcn := withoutNumbers(prodCore)
	for _, f := range dp.forms {
		dev := f.sig
		switch {
		case len(dev) >= 2 && containsAll(pp.fineSet, dev):
			consider(confDeviceInProd, "product '"+pp.name+"' ~ model '"+dp.model+"' (every word of "+f.kind+" '"+f.text+"' is in the product name)")
		case len(prod) >= 2 && containsAll(f.set, prod):
			consider(confProdInDevice, "product '"+pp.name+"' ~ model '"+dp.model+"' (every word of the product name is in "+f.kind+" '"+f.text+"')")
		case len(pcn) >= 1 && sameWords(pcn, f.coreNoNum) && (len(pcn) > 1 || distinctiveWord(pcn[0])):
			consider(confSameWords, "product '"+pp.name+"' ~ model '"+dp.model+"' (same words as "+f.kind+" '"+f.text+"' apart from numbers: "+strings.Join(pcn, " ")+")")
		}
	}
	return best, best.conf > 0
}

// coarseWords splits at anything that is not a letter or digit and folds each
// word with normalize.Key, keeping "MX400" whole so model numbers match.
func coarseWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if k := normalize.Key(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// fineWords also splits where letters meet digits, so "PLUM360" and
// "Plum 360" give the same words.
func fineWords(s string) []string {
	var out []string
	for _, w := range coarseWords(s) {
		start := 0
		for i := 1; i < len(w); i++ {
			if isDigit(w[i]) != isDigit(w[i-1]) {
				out = append(out, w[start:i])
				start = i
			}
		}
		out = append(out, w[start:])
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// fillerWords carry no meaning at all; they are dropped before comparing
// word sets for equality.
var fillerWords = toSet(strings.Fields(`an the and or of for with by in on to model models series version versions all based`))

func coreWords(toks []string, vendor map[string]bool) []string {
	var out []string
	for _, t := range toks {
		if !fillerWords[t] && !vendor[t] {
			out = append(out, t)
		}
	}
	return out
}

// catalogModelFor is the catalogue model of the vendor whose name or variant
// is exactly the product name, or "".
func catalogModelFor(vendorKey, key string) string {
	for _, m := range catalogByVendor()[vendorKey] {
		if m.keys[key] {
			return m.Name
		}
	}
	return ""
}

// genericWords say what kind of thing a product is, not which one; they are
// ignored when counting words in common.
var genericWords = toSet(strings.Fields(`an the and or of for with by in on to model models series
	version versions all system systems unit units software server station workstation module modules
	device devices monitor monitors pump pumps infusion patient medical controller remote application
	app client gateway manager viewer platform web portal sensor reader health care based windows`))

func significant(toks []string, vendor map[string]bool) []string {
	var out []string
	for _, t := range toks {
		if !genericWords[t] && !vendor[t] {
			out = append(out, t)
		}
	}
	return out
}

// distinctiveWord is a single word worth a weak match: long enough and not a
// bare number (a lone "360" or "8000" could be anything).
func distinctiveWord(w string) bool {
	if len(w) < minSingleWordChars {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) {
			return true
		}
	}
	return false
}

// isDistinctiveNumber: a model number found as a word of a product name must
// have at least three characters including a digit ("8015", "mx400").
func isDistinctiveNumber(n string) bool {
	if len(n) < 3 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if isDigit(n[i]) {
			return true
		}
	}
	return false
}

func containsAll(set map[string]bool, toks []string) bool {
	for _, t := range toks {
		if !set[t] {
			return false
		}
	}
	return true
}

func toSet(toks []string) map[string]bool {
	m := make(map[string]bool, len(toks))
	for _, t := range toks {
		m[t] = true
	}
	return m
}

// sameWords: every word of a is in b and b has no other word (a may repeat).
func sameWords(a []string, b map[string]bool) bool {
	if len(b) == 0 || !containsAll(b, a) {
		return false
	}
	n := 0
	for k := range b {
		for _, w := range a {
			if w == k {
				n++
				break
			}
		}
	}
	return n == len(b)
}

// withoutNumbers drops number words, so "24950 MyCareLink Monitor" and
// "MyCareLink Monitor", or "GE Aespire" and "Aespire 7900", compare equal.
// Conflicting numbers were refused before (see matchName).
func withoutNumbers(toks []string) []string {
	var out []string
	for _, t := range toks {
		if !isDigit(t[0]) {
			out = append(out, t)
		}
	}
	return out
}

func addDigits(m map[string]bool, toks []string) {
	for _, t := range toks {
		if len(t) >= 3 && isDigit(t[0]) {
			m[t] = true
		}
	}
}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}
