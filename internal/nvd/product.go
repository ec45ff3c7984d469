package nvd

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// Confidence of each kind of product-name match, before the vendor factor.
const (
	confExact        = 1.0  // same words as the model (or its model number)
	confCatalogExact = 0.95 // same words as a catalogue spelling of the model
	confNumber       = 0.9  // a model number is a word of the CPE product
	confFormInProd   = 0.8  // every word of a model spelling is in the CPE product
	confProdInForm   = 0.75 // every word of the CPE product is in a model spelling
)

// productSuffixes are dropped from CPE products: NVD names a device's
// firmware "<hardware>_firmware", and the device is the same.
var productSuffixes = []string{"_firmware", "_software", "_fw"}

// genericWords carry no identity and are left out of word comparisons.
var genericWords = map[string]bool{
	"firmware": true, "software": true, "system": true, "systems": true, "device": true,
	"devices": true, "model": true, "series": true, "the": true, "and": true, "for": true,
	"of": true, "with": true, "medical": true, "version": true, "inc": true,
}

// product is one distinct (vendor, CPE product) of an Index.
type product struct {
	vendor  vendorRes
	nvdVend string // NVD vendor as written
	name    string // CPE product as written (unescaped)
	key     string // its words joined: "alaris8015pcu"
	toks    []string
	nums    []string // words with a digit, 3+ characters: model-number-like
	cves    []int32  // CVEs (Index.cves) that name it, ascending
}

// words splits a name into lower-case words at anything that is not a
// letter or digit ("alaris_8015_pcu" -> alaris, 8015, pcu). Letters and
// digits stay together ("mx450", "523k"), so a model "523" never matches a
// product "523k".
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// significant drops generic words and the vendor's own words.
func significant(ws []string, vendor map[string]bool) []string {
	out := ws[:0:0]
	for _, w := range ws {
		if !genericWords[w] && !vendor[w] {
			out = append(out, w)
		}
	}
	if len(out) == 0 { // a name made only of such words keeps them
		return ws
	}
	return out
}

func numberWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len(w) >= 3 && strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			out = append(out, w)
		}
	}
	return out
}

func vendorWords(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		for _, w := range words(n) {
			m[w] = true
		}
	}
	return m
}

// normProduct is the comparable form of a CPE product: without the
// firmware suffix, its significant words.
func normProduct(name string, vendor map[string]bool) (toks []string, key string) {
	n := strings.ToLower(name)
	for _, s := range productSuffixes {
		if strings.HasSuffix(n, s) && len(n) > len(s) {
			n = n[:len(n)-len(s)]
			break
		}
	}
	toks = significant(words(n), vendor)
	return toks, strings.Join(toks, "")
}

// form is one spelling of a device's model: its model name, its model
// number, or a catalogue name or variant.
type form struct {
	text string
	kind string // "model", "model number", "catalogue name", "catalogue variant", "catalogue model number"
	toks []string
	key  string
}

func (f form) catalogue() bool { return strings.HasPrefix(f.kind, "catalogue") }

// modelID is everything the product matcher knows about one make/model.
type modelID struct {
	vendorKey string
	forms     []form
	nums      map[string]bool // number words of every form
	catalog   string          // catalogue model name, "" if not found
}

// catalogIndex maps a manufacturer key and a name key (model name, variant
// or number) to catalogue models.
var catalogIndex = sync.OnceValue(func() map[string][]catalog.Model {
	m := map[string][]catalog.Model{}
	for _, cm := range catalog.Models() {
		vk := normalize.Key(cm.Manufacturer)
		add := func(s string) {
			if k := normalize.Key(s); k != "" {
				m[vk+"\x00"+k] = append(m[vk+"\x00"+k], cm)
			}
		}
		add(cm.Name)
		add(cm.ModelNumber)
		for _, v := range cm.NameVariants {
			add(v)
		}
	}
	return m
})

// newModelID prepares a device model for product matching: its own
// spellings plus, when the catalogue knows the model (by name, variant or
// model number), the catalogue's name, number and variants.
func newModelID(vendorKey, vendorCanon string, names []string, numbers []string) *modelID {
	vw := vendorWords(vendorCanon)
	id := &modelID{vendorKey: vendorKey, nums: map[string]bool{}}
	seen := map[string]bool{}
	add := func(text, kind string) {
		toks := significant(words(text), vw)
		key := strings.Join(toks, "")
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		id.forms = append(id.forms, form{text: text, kind: kind, toks: toks, key: key})
		for _, n := range numberWords(toks) {
			id.nums[n] = true
		}
	}
	for _, n := range names {
		add(n, "model")
	}
	for _, n := range numbers {
		add(n, "model number")
	}
	var cm *catalog.Model
	for _, n := range append(append([]string{}, names...), numbers...) {
		if ms := catalogIndex()[vendorKey+"\x00"+normalize.Key(n)]; len(ms) == 1 {
			cm = &ms[0]
			break
		}
	}
	if cm != nil {
		id.catalog = cm.Name
		add(cm.Name, "catalogue name")
		add(cm.ModelNumber, "catalogue model number")
		for _, v := range cm.NameVariants {
			add(v, "catalogue variant")
		}
	}
	return id
}

// nameMatch is a product designating a model, with its confidence and why.
type nameMatch struct {
	conf float64
	why  string
}

// match decides whether CPE product p designates the model. Rules, best
// first: the same words; a model number among the product's words; all the
// words of a model spelling (two or more) in the product; all the product's
// words (two or more) in a model spelling. When both sides carry
// model-number words they must share one, so "sigma_spectrum_35700bax" does
// not designate a Sigma Spectrum 35700BAX2.
func (id *modelID) match(p *product) (nameMatch, bool) {
	if len(id.nums) > 0 && len(p.nums) > 0 {
		shared := false
		for _, n := range p.nums {
			if id.nums[n] {
				shared = true
				break
			}
		}
		if !shared {
			return nameMatch{}, false
		}
	}
	best := nameMatch{}
	try := func(conf float64, why string) {
		if conf > best.conf {
			best = nameMatch{conf, why}
		}
	}
	for _, f := range id.forms {
		scale := 1.0
		if f.catalogue() {
			scale = confCatalogExact
		}
		switch {
		case f.key == p.key:
			try(confExact*scale, fmt.Sprintf("CPE product %q is the %s %q", p.name, f.kind, f.text))
		case len(f.toks) == 1 && len(numberWords(f.toks)) == 1 && contains(p.toks, f.toks[0]):
			try(confNumber*scale, fmt.Sprintf("CPE product %q contains the %s %q", p.name, f.kind, f.text))
		case len(f.toks) >= 2 && containsAll(p.toks, f.toks):
			try(confFormInProd*scale, fmt.Sprintf("CPE product %q contains every word of the %s %q", p.name, f.kind, f.text))
		case len(p.toks) >= 2 && containsAll(f.toks, p.toks):
			try(confProdInForm*scale, fmt.Sprintf("every word of CPE product %q is in the %s %q", p.name, f.kind, f.text))
		}
	}
	return best, best.conf > 0
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

func containsAll(set, ws []string) bool {
	for _, w := range ws {
		if !contains(set, w) {
			return false
		}
	}
	return true
}
