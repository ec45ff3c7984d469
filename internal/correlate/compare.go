package correlate

// tally accumulates one pair's comparison.
type tally struct {
	w        float64
	det      bool   // a deterministic rule holds (exact MAC, serial, asset tag)
	conflict string // the hard conflict, "" if none
	ev       *[]Evidence
}

func (t *tally) add(field, a, b string, agree bool, w float64, note string) {
	t.w += w
	if t.ev != nil {
		*t.ev = append(*t.ev, Evidence{Field: field, A: a, B: b, Agree: agree, Weight: w, Note: note})
	}
}

// Evidence notes shared by several fields.
const (
	noteCommon = "value shared by too many records (oversize block): not identifying, not counted"
	noteNIC    = "NIC/OUI vendor, not the device maker: not counted"
)

// score compares two records field by field. With ev non-nil it also
// explains every field both records carry (the slow path, used only for
// links and candidates that reach the result).
func (e *engine) score(a, b *rec, ev *[]Evidence) tally {
	t := tally{ev: ev}
	e.cmpSerial(&t, a, b)
	e.cmpMAC(&t, a, b)
	e.cmpTag(&t, a, b)
	e.cmpHost(&t, a, b)
	e.cmpIP(&t, a, b)
	cmpMaker(&t, a, b)
	cmpModel(&t, a, b)
	if t.conflict != "" {
		t.det = false
	}
	return t
}

func (e *engine) cmpSerial(t *tally, a, b *rec) {
	if a.serial == "" || b.serial == "" {
		return
	}
	switch {
	case a.serial == b.serial && e.common[blockHash(keySerial, a.serial, -1)]:
		t.add("serial", a.serial, b.serial, true, 0, noteCommon)
	case a.serial == b.serial && compatibleMakers(a, b):
		t.det = true
		t.add("serial", a.serial, b.serial, true, wSerialExact, "same serial, compatible manufacturer: deterministic")
	case a.serial == b.serial:
		t.add("serial", a.serial, b.serial, true, wSerialExact, "same serial but different manufacturers")
	case editDistance1(a.serial, b.serial):
		t.add("serial", a.serial, b.serial, true, wSerialApprox, "one character dropped: a likely typo")
	case compatibleMakers(a, b):
		t.conflict = "different valid serials of the same manufacturer: never linked"
		t.add("serial", a.serial, b.serial, false, wSerialDisagree, t.conflict)
	default:
		t.add("serial", a.serial, b.serial, false, wSerialDisagree, "different serials")
	}
}

func (e *engine) cmpMAC(t *tally, a, b *rec) {
	switch {
	case a.mac == "" || b.mac == "":
	case a.mac != b.mac:
		t.conflict = "different MACs: a device has one NIC in these exports; never linked"
		t.add("mac", a.mac, b.mac, false, 0, t.conflict)
	case e.common[blockHash(keyMAC, a.mac, -1)]:
		t.add("mac", a.mac, b.mac, true, 0, noteCommon)
	default:
		t.det = true
		t.add("mac", a.mac, b.mac, true, wMAC, "same MAC: deterministic")
	}
}

func (e *engine) cmpTag(t *tally, a, b *rec) {
	switch {
	case a.tag == "" || b.tag == "":
	case a.tag != b.tag:
		t.add("asset_tag", a.tag, b.tag, false, wTagDisagree, "different asset tags")
	case e.common[blockHash(keyTag, a.tag, -1)]:
		t.add("asset_tag", a.tag, b.tag, true, 0, noteCommon)
	default:
		t.det = true
		t.add("asset_tag", a.tag, b.tag, true, wTag, "CMMS equipment ID = asset tag: deterministic")
	}
}

func (e *engine) cmpHost(t *tally, a, b *rec) {
	switch {
	case a.host == "" || b.host == "":
	case a.host != b.host:
		t.add("hostname", a.host, b.host, false, wHostDisagree, "different hostnames")
	case e.common[blockHash(keyHost, a.host, -1)]:
		t.add("hostname", a.host, b.host, true, 0, noteCommon)
	default:
		t.add("hostname", a.host, b.host, true, wHost, "same short hostname (FQDN domain ignored)")
	}
}

func (e *engine) cmpIP(t *tally, a, b *rec) {
	switch {
	case a.ip == "" || b.ip == "":
	case a.ip != b.ip:
		t.add("ip", a.ip, b.ip, false, wIPDisagree, "different IPs (leases move)")
	case a.mac != "" && b.mac != "" && a.mac != b.mac:
		t.add("ip", a.ip, b.ip, true, 0, "same IP but different MACs: DHCP reuse, not counted")
	case e.common[blockHash(keyIP, a.ip, -1)]:
		t.add("ip", a.ip, b.ip, true, 0, noteCommon)
	case a.seen != 0 && b.seen != 0 && abs64(a.seen-b.seen) <= recentIPSeconds:
		t.add("ip", a.ip, b.ip, true, wIPRecent, "same IP, both seen within 14 days")
	default:
		t.add("ip", a.ip, b.ip, true, wIPStale, "same IP, but one side undated or stale: the lease may have moved")
	}
}

func cmpMaker(t *tally, a, b *rec) {
	an, bn := makerText(a), makerText(b)
	switch {
	case a.nic || b.nic:
		if an != "" || bn != "" || a.nic && b.nic {
			t.add("manufacturer", an, bn, false, 0, noteNIC)
		}
	case a.mfr >= 0 && b.mfr >= 0 && a.mfr == b.mfr:
		t.add("manufacturer", an, bn, true, wMfr, "same manufacturer (aliases folded)")
	case a.mfr >= 0 && b.mfr >= 0:
		t.add("manufacturer", an, bn, false, wMfrDisagree, "different manufacturers")
	case a.mfr == mfrText && b.mfr == mfrText && a.mfrText == b.mfrText:
		t.add("manufacturer", an, bn, true, wMfrText, "same manufacturer text (not in catalog)")
	}
}

func makerText(r *rec) string {
	switch {
	case r.mfr >= 0 && r.mfrFromModel:
		return makerName(r.mfr) + " (from model)"
	case r.mfr >= 0:
		return makerName(r.mfr)
	case r.nic:
		return "(NIC vendor)"
	}
	return r.mfrText
}

func cmpModel(t *tally, a, b *rec) {
	switch {
	case a.model >= 0 && b.model >= 0 && a.model == b.model:
		n := catModels[a.model].name
		t.add("model", n, n, true, wModel, "same catalog model (names and numbers folded)")
	case a.model >= 0 && b.model >= 0:
		t.add("model", catModels[a.model].name, catModels[b.model].name, false, wModelDisagree, "different catalog models")
	case a.model < 0 && b.model < 0 && a.modelText != "" && a.modelText == b.modelText:
		t.add("model", a.modelText, b.modelText, true, wModelText, "same model text (not in catalog)")
	}
}

// editDistance1 reports whether a and b differ by exactly one dropped (or
// added) character, the longer being at least minApproxSerial long: the
// typo left after normalisation has folded case, punctuation, O/0 and I/1.
// A substituted character is deliberately not a typo: serials of one
// purchase batch are consecutive and differ in one digit, so a substitution
// is far more often another device than a mistake.
func editDistance1(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) < minApproxSerial || len(a)-len(b) != 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	return a[i+1:] == b[i:]
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// scorePairs scores every blocked pair on the fast path (no evidence) and
// keeps those that are deterministic or reach ReviewThreshold without a
// pair conflict or a reviewer's reject.
func (e *engine) scorePairs() {
	parts := make([][]scored, chunks(len(e.pairs)))
	parallel(len(e.pairs), func(p, lo, hi int) {
		var out []scored
		for _, k := range e.pairs[lo:hi] {
			if e.rejects[k] {
				continue
			}
			a, b := unpair(k)
			t := e.score(&e.recs[a], &e.recs[b], nil)
			if t.conflict == "" && (t.det || t.w >= e.cfg.ReviewThreshold) {
				out = append(out, scored{a: a, b: b, w: t.w, det: t.det})
			}
		}
		parts[p] = out
	})
	for _, p := range parts {
		e.scored = append(e.scored, p...)
	}
	e.pairs = nil
}
