// Package risk is the adapter between the store and the assess engines: it
// gathers each asset's assessment layers, findings (KEV, EPSS, CVSS from
// the advisory), observed communications, manufacturer support and
// compensating controls, runs the engines, and records scores, history,
// SSVC decisions and mitigation actions. Rescoring is incremental: an
// asset whose inputs hash has not changed since the last run is not
// rewritten.
package risk

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/cvss"
	"github.com/medsec/medsec/internal/ssvc"
	"github.com/medsec/medsec/internal/store"
)

// vulnInfo is what an advisory says about one CVE.
type vulnInfo struct {
	Vector         string
	Exploitability float64
	Automatable    bool
	Exploitation   ssvc.Exploitation
	NoFix          bool
}

// Engine holds the inputs gathered from the store.
type Engine struct {
	Model      assess.ScoringModel
	modalities map[int64]string
	models     map[int64]store.ModelName
	layers     map[layerKey]*assess.Layer
	careAreas  map[int64]string
	facilities map[int64]string
	// resolved caches the resolution of the assets without an asset-level
	// layer: it depends only on modality, model and care area.
	resolved    map[resolveKey]*assess.Resolved
	support     map[int64]assess.SupportStatus
	controls    map[int64]store.ControlsRow
	mds2        map[string]assess.MDS2Caps // lower(manufacturer)|lower(model)
	mds2ByModel map[int64]assess.MDS2Caps
	vulns       map[string]vulnInfo // advisory|cve, and "|cve" from NVD
	comms       map[string]*commsAcc
	nonMedical  map[string]bool
}

type layerKey struct {
	level byte // 'd' modality, 'm' model, 'a' asset
	id    int64
}

func levelKey(level string, id int64) layerKey {
	switch level {
	case store.LevelModality:
		return layerKey{'d', id}
	case store.LevelModel:
		return layerKey{'m', id}
	}
	return layerKey{'a', id}
}

type resolveKey struct {
	modality, model int64
	careArea        string
}

type commsAcc struct {
	flows    int
	subnets  map[[3]byte]struct{}
	nonClin  map[string]struct{}
	internet map[string]struct{}
	remote   map[string]struct{}
}

func (c *commsAcc) observed() assess.ObservedComms {
	return assess.ObservedComms{Flows: c.flows, DistinctSubnets: len(c.subnets), NonClinicalPeers: len(c.nonClin), InternetPeers: len(c.internet), RemoteAccessPeers: len(c.remote)}
}

// remotePorts are vendor remote-access services: RDP, VNC, TeamViewer,
// OpenVPN, IPsec NAT-T.
var remotePorts = map[int]bool{3389: true, 5900: true, 5938: true, 1194: true, 4500: true}

func subnet24(a netip.Addr) [3]byte {
	b := a.As4()
	return [3]byte{b[0], b[1], b[2]}
}

// addFlow adds one flow to the summary of endpoint ip (the other end is peer).
func (e *Engine) addFlow(ip, peer string, port int) {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return
	}
	p, err := netip.ParseAddr(peer)
	if err != nil || !p.Is4() {
		return
	}
	c := e.comms[ip]
	if c == nil {
		c = &commsAcc{subnets: map[[3]byte]struct{}{subnet24(a): {}}, nonClin: map[string]struct{}{}, internet: map[string]struct{}{}, remote: map[string]struct{}{}}
		e.comms[ip] = c
	}
	c.flows++
	switch {
	case !(p.IsPrivate() || p.IsLoopback() || p.IsLinkLocalUnicast()):
		c.internet[peer] = struct{}{}
	default:
		c.subnets[subnet24(p)] = struct{}{}
		if e.nonMedical[peer] {
			c.nonClin[peer] = struct{}{}
		}
	}
	if remotePorts[port] {
		c.remote[peer] = struct{}{}
	}
}

func newEngine() *Engine {
	return &Engine{modalities: map[int64]string{}, models: map[int64]store.ModelName{}, layers: map[layerKey]*assess.Layer{},
		facilities: map[int64]string{}, resolved: map[resolveKey]*assess.Resolved{}, mds2ByModel: map[int64]assess.MDS2Caps{},
		careAreas: map[int64]string{}, support: map[int64]assess.SupportStatus{}, controls: map[int64]store.ControlsRow{},
		mds2: map[string]assess.MDS2Caps{}, vulns: map[string]vulnInfo{}, comms: map[string]*commsAcc{}, nonMedical: map[string]bool{}}
}

// Load gathers every input from the store.
func Load(ctx context.Context, st *store.Store) (*Engine, error) {
	e := newEngine()
	if err := e.loadCommon(ctx, st); err != nil {
		return nil, err
	}
	ctl, err := st.AllControls(ctx)
	if err != nil {
		return nil, err
	}
	e.controls = ctl
	if err := st.EachAdvisory(ctx, func(_ string, raw []byte) error { e.addAdvisory(raw); return nil }); err != nil {
		return nil, err
	}
	nm, err := st.NonMedicalIPs(ctx)
	if err != nil {
		return nil, err
	}
	e.nonMedical = nm
	err = st.EachFlow(ctx, func(f *store.Flow) error {
		e.addFlow(f.Src, f.Dst, f.DstPort)
		e.addFlow(f.Dst, f.Src, f.DstPort)
		return nil
	})
	return e, err
}

func (e *Engine) loadCommon(ctx context.Context, st *store.Store) error {
	m, err := st.ActiveModel(ctx)
	if err != nil {
		return err
	}
	e.Model = m
	mods, err := st.Modalities(ctx)
	if err != nil {
		return err
	}
	for _, m := range mods {
		e.modalities[m.ID] = m.Name
	}
	facs, err := st.Facilities(ctx)
	if err != nil {
		return err
	}
	for _, f := range facs {
		e.facilities[f.ID] = f.Name
	}
	names, err := st.ModelNames(ctx)
	if err != nil {
		return err
	}
	for _, m := range names {
		e.models[m.ID] = m
	}
	rows, err := st.Assessments(ctx, "", 0)
	if err != nil {
		return err
	}
	if err := e.addLayers(rows); err != nil {
		return err
	}
	if e.careAreas, err = st.LocationCareAreas(ctx); err != nil {
		return err
	}
	sup, err := st.ModelSupport(ctx)
	if err != nil {
		return err
	}
	for id, r := range sup {
		s, _ := assess.ParseSupportStatus(r.Status)
		e.support[id] = s
	}
	forms, err := st.MDS2Forms(ctx, "", "")
	if err != nil {
		return err
	}
	for _, f := range forms {
		k := strings.ToLower(f.Manufacturer) + "|" + strings.ToLower(f.Model)
		if _, ok := e.mds2[k]; !ok { // newest first
			e.mds2[k] = mds2Caps(f.Capabilities)
		}
	}
	nvd, err := st.NVDVectors(ctx)
	if err != nil {
		return err
	}
	for cve, v := range nvd {
		if vi, ok := parseVector(v); ok {
			e.vulns["|"+cve] = vi
		}
	}
	return nil
}

func (e *Engine) addLayers(rows []store.AssessmentRow) error {
	group := map[layerKey][]store.AssessmentRow{}
	for _, r := range rows {
		k := levelKey(r.Level, r.ScopeID)
		group[k] = append(group[k], r)
	}
	for k, rs := range group {
		lvl := map[string]assess.Level{store.LevelModality: assess.LevelModality, store.LevelModel: assess.LevelModel, store.LevelAsset: assess.LevelAsset}[rs[0].Level]
		l, err := store.LayerOf(lvl, e.scopeName(rs[0].Level, rs[0].ScopeID), rs)
		if err != nil {
			return err
		}
		e.layers[k] = &l
	}
	return nil
}

func (e *Engine) scopeName(level string, id int64) string {
	switch level {
	case store.LevelModality:
		if n, ok := e.modalities[id]; ok {
			return n
		}
	case store.LevelModel:
		if m, ok := e.models[id]; ok {
			return m.Manufacturer + " " + m.Name
		}
	}
	return fmt.Sprintf("%s %d", level, id)
}

// mds2Caps maps the MDS2 capabilities derived from a form onto the
// credited controls.
func mds2Caps(raw json.RawMessage) assess.MDS2Caps {
	var c map[string]struct{ State string }
	json.Unmarshal(raw, &c)
	var out assess.MDS2Caps
	yes := func(k string) bool { return c[k].State == "yes" }
	if yes("AntiMalware") {
		out |= assess.MDS2Malware
	}
	if yes("Authentication") {
		out |= assess.MDS2PersonAuth
	}
	if yes("EncryptionAtRest") || yes("EncryptionInTransit") {
		out |= assess.MDS2Encryption
	}
	if yes("AuditLogging") {
		out |= assess.MDS2Audit
	}
	return out
}

func parseVector(v string) (vulnInfo, bool) {
	r, err := cvss.Parse(v)
	if err != nil {
		return vulnInfo{}, false
	}
	vi := vulnInfo{Vector: r.Vector, Automatable: r.Automatable()}
	if r.Exploitability != nil {
		vi.Exploitability = math.Min(*r.Exploitability, 3.9)
	}
	switch r.Metric("E") {
	case "H", "A":
		vi.Exploitation = ssvc.ExploitationActive
	case "F", "P":
		vi.Exploitation = ssvc.ExploitationPublicPoC
	}
	return vi, true
}

// addAdvisory reads a CSAF advisory's CVSS vectors, exploit status and
// remediations per CVE.
func (e *Engine) addAdvisory(raw []byte) {
	var doc struct {
		Document struct {
			Tracking struct {
				ID string `json:"id"`
			} `json:"tracking"`
		} `json:"document"`
		Vulnerabilities []struct {
			CVE    string `json:"cve"`
			Scores []struct {
				V3 struct {
					Vector string `json:"vectorString"`
				} `json:"cvss_v3"`
			} `json:"scores"`
			Remediations []struct {
				Category string `json:"category"`
			} `json:"remediations"`
			Threats []struct {
				Category string `json:"category"`
				Details  string `json:"details"`
			} `json:"threats"`
		} `json:"vulnerabilities"`
	}
	if json.Unmarshal(raw, &doc) != nil {
		return
	}
	for _, v := range doc.Vulnerabilities {
		var vi vulnInfo
		for _, s := range v.Scores {
			if x, ok := parseVector(s.V3.Vector); ok {
				vi = x
				break
			}
		}
		vi.NoFix = true
		for _, r := range v.Remediations {
			if r.Category == "vendor_fix" {
				vi.NoFix = false
			}
		}
		for _, t := range v.Threats {
			if t.Category != "exploit_status" {
				continue
			}
			d := strings.ToLower(t.Details)
			switch {
			case strings.Contains(d, "no known public exploit") || strings.Contains(d, "not exploited") || strings.Contains(d, "no known"):
			case strings.Contains(d, "exploited") || strings.Contains(d, "active"):
				vi.Exploitation = ssvc.ExploitationActive
			case strings.Contains(d, "poc") || strings.Contains(d, "proof of concept") || strings.Contains(d, "public"):
				if vi.Exploitation < ssvc.ExploitationPublicPoC {
					vi.Exploitation = ssvc.ExploitationPublicPoC
				}
			}
		}
		e.vulns[doc.Document.Tracking.ID+"|"+v.CVE] = vi
	}
}

func (e *Engine) vuln(advisory, cve string) (vulnInfo, bool) {
	if v, ok := e.vulns[advisory+"|"+cve]; ok && v.Vector != "" {
		return v, true
	}
	n, ok := e.vulns["|"+cve]
	if a, ok2 := e.vulns[advisory+"|"+cve]; ok2 {
		n.NoFix, n.Exploitation = a.NoFix, max(n.Exploitation, a.Exploitation)
		return n, true
	}
	return n, ok
}

// Inputs are one asset's gathered inputs and what the engines made of them.
type Inputs struct {
	Asset    store.ScoringAsset
	Resolved assess.Resolved
	Risk     assess.RiskInputs
	Findings []store.OpenFinding
	Vulns    []vulnInfo
	NoFix    int
	Lateral  assess.LateralAccess // observed if available, else assessed
}

// inputs gathers asset a's inputs with its open findings fs.
func (e *Engine) inputs(a *store.ScoringAsset, fs []store.OpenFinding, in *Inputs) error {
	in.Asset = *a
	in.Findings = fs
	al := e.layers[layerKey{'a', a.ID}]
	ca := e.careAreas[a.LocationID]
	rk := resolveKey{a.ModalityID, a.ModelID, ca}
	if r := e.resolved[rk]; r != nil && al == nil {
		in.Resolved = *r
	} else {
		r, err := e.resolve(a, al, ca)
		if err != nil {
			return err
		}
		in.Resolved = r
		if al == nil {
			e.resolved[rk] = &r
		}
	}
	r := &in.Resolved
	ri := assess.RiskInputs{AssessedLateral: r.Profile.Lateral, Support: e.support[a.ModelID]}
	if c, ok := e.controls[a.ID]; ok {
		ri.Controls = assess.Controls{Segmentation: c.Segmentation, NAC: c.NAC, DisabledServices: c.DisabledServices}
	}
	ri.Controls.MDS2 = e.mds2Of(a.ModelID)
	if a.IP != "" {
		if c := e.comms[a.IP]; c != nil {
			ri.Observed, ri.HasObserved = c.observed(), true
		}
	}
	in.Vulns = in.Vulns[:0]
	in.NoFix = 0
	ri.Findings = make([]assess.FindingFacts, 0, len(fs))
	for _, f := range fs {
		v, _ := e.vuln(f.AdvisoryID, f.CVE)
		in.Vulns = append(in.Vulns, v)
		if v.NoFix {
			in.NoFix++
		}
		epss := math.Min(math.Max(f.EPSS, 0), 1)
		ri.Findings = append(ri.Findings, assess.FindingFacts{CVE: f.CVE, KEV: f.KEV, EPSS: epss, CVSSExploitability: v.Exploitability, Exploitation: v.Exploitation, Status: f.Status})
	}
	in.Risk = ri
	in.Lateral = r.Profile.Lateral
	if ri.HasObserved {
		in.Lateral, _ = ri.Observed.Lateral()
	}
	return nil
}

// mds2Of returns the MDS2 capabilities of a model's newest form.
func (e *Engine) mds2Of(model int64) assess.MDS2Caps {
	if c, ok := e.mds2ByModel[model]; ok {
		return c
	}
	var c assess.MDS2Caps
	if m, ok := e.models[model]; ok {
		c = e.mds2[strings.ToLower(m.Manufacturer)+"|"+strings.ToLower(m.Name)]
	}
	e.mds2ByModel[model] = c
	return c
}

// resolve layers asset a's modality, model and asset assessments (al,
// nil if none), with the acuity of care area ca.
func (e *Engine) resolve(a *store.ScoringAsset, al *assess.Layer, ca string) (assess.Resolved, error) {
	layers := make([]assess.Layer, 0, 3)
	if l := e.layers[layerKey{'d', a.ModalityID}]; l != nil && a.ModalityID != 0 {
		layers = append(layers, *l)
	}
	var ml *assess.Layer
	if l := e.layers[layerKey{'m', a.ModelID}]; l != nil && a.ModelID != 0 {
		ml = l
		layers = append(layers, *l)
	}
	asset := assess.Layer{Level: assess.LevelAsset, Scope: a.Tag}
	if al != nil {
		asset = *al
		asset.Scope = a.Tag
	}
	// The department's care area gives the acuity unless a model or
	// asset assessment sets it.
	if ca != "" && !asset.Values.IsSet(assess.PointAcuity) && (ml == nil || !ml.Values.IsSet(assess.PointAcuity)) {
		if ac, err := assess.ParseAcuity(ca); err == nil {
			asset.Values.Acuity = ac
			asset.Notes[assess.PointAcuity] = assess.Note{SetBy: "location", Reason: "care area " + medsec.CareArea(ca).Label() + " of the asset's department"}
		}
	}
	layers = append(layers, asset)
	return assess.Resolve(layers...)
}

// likelihood is 1 − Π(1 − lᵢ) over open findings.
func likelihood(fs []assess.FindingFacts) float64 {
	not := 1.0
	for i := range fs {
		if assess.IsOpen(fs[i].Status) {
			l, _ := fs[i].Likelihood()
			not *= 1 - l
		}
	}
	return 1 - not
}

// LikelihoodBand bands a likelihood: 0 none, 1 low (< 0.3), 2 moderate
// (< 0.7), 3 high.
func LikelihoodBand(l float64) int {
	switch {
	case l <= 0:
		return 0
	case l < 0.3:
		return 1
	case l < 0.7:
		return 2
	}
	return 3
}

// LikelihoodBands names the bands.
var LikelihoodBands = []string{"none", "low (< 0.3)", "moderate (< 0.7)", "high (≥ 0.7)"}

func (in *Inputs) hash(model string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(model))
	p := &in.Resolved.Profile
	b := []byte{byte(p.LifeSafety.Function), byte(p.LifeSafety.PhysicalRisk), byte(p.LifeSafety.Maintenance), byte(p.LifeSafety.IncidentHistory),
		byte(p.Acuity), byte(p.PHI), byte(p.LargePHI), byte(p.CareDelivery), byte(p.Lateral), byte(p.Financial), byte(p.Reputational),
		byte(in.Risk.Support), byte(in.Risk.Controls.MDS2), bb(in.Risk.Controls.Segmentation), bb(in.Risk.Controls.NAC), bb(in.Risk.Controls.DisabledServices), bb(in.Risk.HasObserved)}
	h.Write(b)
	o := in.Risk.Observed
	var n [8]byte
	for _, x := range []int{o.Flows, o.DistinctSubnets, o.NonClinicalPeers, o.InternetPeers, o.RemoteAccessPeers, in.NoFix} {
		binary.LittleEndian.PutUint64(n[:], uint64(x))
		h.Write(n[:])
	}
	for i, f := range in.Risk.Findings {
		binary.LittleEndian.PutUint64(n[:], uint64(in.Findings[i].ID))
		h.Write(n[:])
		h.Write([]byte(f.CVE + "|" + f.Status))
		binary.LittleEndian.PutUint64(n[:], math.Float64bits(f.EPSS))
		h.Write(n[:])
		binary.LittleEndian.PutUint64(n[:], math.Float64bits(f.CVSSExploitability))
		h.Write(n[:])
		h.Write([]byte{bb(f.KEV), byte(f.Exploitation), bb(in.Vulns[i].Automatable)})
	}
	return h.Sum64()
}

func bb(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Summary is what a rescoring run did.
type Summary struct {
	Run      store.ScoreRun
	Duration time.Duration
	SSVC     int
}

func (s Summary) String() string {
	t := s.Run.Tiers
	scope := ""
	if s.Run.Scope != "" {
		scope = " (" + s.Run.Scope + ")"
	}
	return fmt.Sprintf("scored %d assets%s with model %s in %.1fs: %d changed, %d history rows; risk Critical %d, High %d, Medium %d, Low %d; %d SSVC decisions updated",
		s.Run.Assets, scope, s.Run.ModelVersion, s.Duration.Seconds(), s.Run.Changed, s.Run.History, t[3], t[2], t[1], t[0], s.SSVC)
}

// actionKey identifies a mitigation action: segment or NAC per facility
// and modality, patch per advisory and facility.
type actionKey struct {
	kind     byte // 's' segment, 'n' NAC, 'p' patch
	fac, mod int64
	adv      string
}

// actionAcc sums an action's effect. Each asset contributes at most once
// to an action (one segment and one NAC action per asset, one patch action
// per advisory), so the sum and count are the action's risk removed and
// assets touched.
type actionAcc struct {
	n       int
	removed float64
}

// scopeLimit bounds a partial rescoring run: beyond it, the whole
// inventory is rescored instead.
const scopeLimit = 20000

// Target names what changed: an assessment level and scope id (modality,
// model or asset), for a partial rescoring run.
type Target struct {
	Level string
	ID    int64
}

func (t Target) String() string { return fmt.Sprintf("%s %d", t.Level, t.ID) }

// Run rescores every medical asset under the active model. An asset whose
// inputs hash and model match its stored score is left alone unless full
// is set, which recomputes every asset; either way only scores that differ
// from the stored ones are written, and a risk-history row only where the
// model, the clinical impact, the risk score or its tier changed. Every
// run records its tier counts, the mitigation actions and one audit record.
func Run(ctx context.Context, st *store.Store, actor medsec.Actor, full bool) (Summary, error) {
	return run(ctx, st, actor, full, nil)
}

// Rescore rescores right away the assets a change to target may have
// touched, incrementally (only those whose inputs changed are written):
// every asset of the target's modalities, so that their segment and NAC
// actions can be recomputed, and every asset sharing an advisory with
// them, for the patch actions. A target touching more than scopeLimit
// assets rescores the whole inventory incrementally.
func Rescore(ctx context.Context, st *store.Store, actor medsec.Actor, target Target) (Summary, error) {
	mods, err := st.ModalitiesOf(ctx, target.Level, target.ID)
	if err != nil {
		return Summary{}, err
	}
	scope := &store.ScoreScope{Partial: true, Modalities: mods}
	advs, err := st.OpenFindingAdvisories(ctx, scope)
	if err != nil {
		return Summary{}, err
	}
	extra, err := st.AssetsWithOpenFindings(ctx, advs, scopeLimit)
	if err != nil {
		return Summary{}, err
	}
	if len(extra) > scopeLimit {
		return run(ctx, st, actor, false, nil)
	}
	scope.Assets = extra
	// The further assets may have findings of other advisories too: their
	// inputs need those, though their patch actions are left alone.
	load, err := st.OpenFindingAdvisories(ctx, scope)
	if err != nil {
		return Summary{}, err
	}
	return run(ctx, st, actor, false, &partial{target: target, scope: scope, advisories: advs, load: load})
}

type partial struct {
	target     Target
	scope      *store.ScoreScope
	advisories []string // whose patch actions the run recomputes
	load       []string // whose documents the run reads
}

// loadFor gathers the inputs of a partial run: the advisories of its
// findings and the flows of its assets' addresses.
func loadFor(ctx context.Context, st *store.Store, advisories []string, ips []string) (*Engine, error) {
	e := newEngine()
	if err := e.loadCommon(ctx, st); err != nil {
		return nil, err
	}
	ctl, err := st.AllControls(ctx)
	if err != nil {
		return nil, err
	}
	e.controls = ctl
	for _, a := range advisories {
		if _, raw, err := st.AdvisoryRaw(ctx, a); err == nil {
			e.addAdvisory(raw)
		}
	}
	slices.Sort(ips)
	ips = slices.Compact(ips)
	if len(ips) == 0 {
		return e, nil
	}
	if len(ips) > 200 {
		if e.nonMedical, err = st.NonMedicalIPs(ctx); err != nil {
			return nil, err
		}
		err = st.EachFlow(ctx, func(f *store.Flow) error {
			e.addFlow(f.Src, f.Dst, f.DstPort)
			e.addFlow(f.Dst, f.Src, f.DstPort)
			return nil
		})
		return e, err
	}
	return e, e.addFlowsOf(ctx, st, ips)
}

// addFlowsOf adds the flows to and from a few addresses, looking up only
// their peers' kinds.
func (e *Engine) addFlowsOf(ctx context.Context, st *store.Store, ips []string) error {
	type end struct {
		ip, peer string
		port     int
	}
	var ends []end
	var peers []string
	for _, ip := range ips {
		if err := st.EachFlowOf(ctx, ip, func(f *store.Flow) error {
			if f.Src == ip {
				ends = append(ends, end{f.Src, f.Dst, f.DstPort})
			} else {
				ends = append(ends, end{f.Dst, f.Src, f.DstPort})
			}
			peers = append(peers, ends[len(ends)-1].peer)
			return nil
		}); err != nil {
			return err
		}
	}
	if len(ends) == 0 {
		return nil
	}
	slices.Sort(peers)
	nm, err := st.NonMedicalIPsAmong(ctx, slices.Compact(peers))
	if err != nil {
		return err
	}
	e.nonMedical = nm
	for _, x := range ends {
		e.addFlow(x.ip, x.peer, x.port)
	}
	return nil
}

// assetChunks streams the assets in scope in chunks from a goroutine, so
// that reading the database and scoring overlap.
func assetChunks(ctx context.Context, st *store.Store, scope *store.ScoreScope) (<-chan []store.ScoringAsset, <-chan error) {
	ch := make(chan []store.ScoringAsset, 4)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		const n = 2048
		chunk := make([]store.ScoringAsset, 0, n)
		err := st.EachScoringAsset(ctx, scope, func(a *store.ScoringAsset) error {
			chunk = append(chunk, *a)
			if len(chunk) == n {
				select {
				case ch <- chunk:
				case <-ctx.Done():
					return ctx.Err()
				}
				chunk = make([]store.ScoringAsset, 0, n)
			}
			return nil
		})
		if err == nil && len(chunk) > 0 {
			select {
			case ch <- chunk:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		errc <- err
	}()
	return ch, errc
}

func run(ctx context.Context, st *store.Store, actor medsec.Actor, full bool, part *partial) (Summary, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var scope *store.ScoreScope
	if part != nil {
		scope = part.scope
	}
	// The stored scores load while the engine's inputs do.
	type prevResult struct {
		rows []store.StoredScore
		err  error
	}
	prevc := make(chan prevResult, 1)
	go func() {
		rows, err := st.StoredScores(ctx, scope)
		prevc <- prevResult{rows, err}
	}()
	// Open findings by asset, in memory: a few per vulnerable asset.
	byAsset := map[int64][]store.OpenFinding{}
	if err := st.EachOpenFinding(ctx, scope, func(f *store.OpenFinding) error {
		byAsset[f.AssetID] = append(byAsset[f.AssetID], *f)
		return nil
	}); err != nil {
		return Summary{}, err
	}
	var e *Engine
	var err error
	if part == nil {
		e, err = Load(ctx, st)
	} else {
		var ips []string
		err = st.EachScoringAsset(ctx, scope, func(a *store.ScoringAsset) error {
			if a.IP != "" {
				ips = append(ips, a.IP)
			}
			return nil
		})
		if err == nil {
			e, err = loadFor(ctx, st, part.load, ips)
		}
	}
	if err != nil {
		return Summary{}, err
	}
	pr := <-prevc
	if pr.err != nil {
		return Summary{}, pr.err
	}
	prev := pr.rows
	m := &e.Model
	run := store.ScoreRun{ModelVersion: m.Version, Full: full, StartedAt: time.Now().UTC().Format(store.TimeFormat)}
	var actSet *store.ActionSet
	var advIn map[string]bool
	var modIn map[int64]bool
	if part != nil {
		run.Scope = part.target.String()
		actSet = &store.ActionSet{Partial: true, Modalities: part.scope.Modalities, Advisories: part.advisories}
		advIn, modIn = map[string]bool{}, map[int64]bool{}
		for _, a := range part.advisories {
			advIn[a] = true
		}
		for _, m := range part.scope.Modalities {
			modIn[m] = true
		}
	} else {
		actSet = &store.ActionSet{}
	}
	var changed []store.AssetScore
	var ssvcUp []store.SSVCUpdate
	actions := map[actionKey]*actionAcc{}
	act := func(k actionKey, before, after float64) {
		if before-after < 0.005 {
			return
		}
		a := actions[k]
		if a == nil {
			a = &actionAcc{}
			actions[k] = a
		}
		a.n++
		a.removed += before - after
	}
	var in Inputs
	var advs []string
	pi := 0
	score := func(a *store.ScoringAsset) error {
		for pi < len(prev) && prev[pi].AssetID < a.ID {
			pi++
		}
		var old *store.StoredScore
		if pi < len(prev) && prev[pi].AssetID == a.ID {
			old = &prev[pi]
		}
		fs := byAsset[a.ID]
		if err := e.inputs(a, fs, &in); err != nil {
			return fmt.Errorf("asset %s: %w", a.Tag, err)
		}
		c := assess.ClinicalImpactValue(&in.Resolved.Profile, m)
		in.Risk.Clinical = c
		r := assess.RiskValue(&in.Risk, m)
		tier := m.RiskTiers.Tier(r)
		run.Assets++
		run.Tiers[tier]++
		// Mitigation candidates: segment, NAC, patch each advisory.
		if modIn == nil || modIn[a.ModalityID] {
			if !in.Risk.Controls.Segmentation {
				x := in.Risk
				x.Controls.Segmentation = true
				act(actionKey{kind: 's', fac: a.FacilityID, mod: a.ModalityID}, r, assess.RiskValue(&x, m))
			}
			if !in.Risk.Controls.NAC {
				x := in.Risk
				x.Controls.NAC = true
				act(actionKey{kind: 'n', fac: a.FacilityID, mod: a.ModalityID}, r, assess.RiskValue(&x, m))
			}
		}
		if len(fs) > 0 {
			advs = advs[:0]
			for _, f := range fs {
				if !slices.Contains(advs, f.AdvisoryID) && (advIn == nil || advIn[f.AdvisoryID]) {
					advs = append(advs, f.AdvisoryID)
				}
			}
			for _, adv := range advs {
				x := in.Risk
				x.Findings = make([]assess.FindingFacts, 0, len(fs))
				for i, f := range in.Risk.Findings {
					if fs[i].AdvisoryID != adv {
						x.Findings = append(x.Findings, f)
					}
				}
				act(actionKey{kind: 'p', fac: a.FacilityID, adv: adv}, r, assess.RiskValue(&x, m))
			}
		}
		h := in.hash(m.Version)
		if !full && old != nil && old.Inputs == h && old.ModelVersion == m.Version {
			return nil
		}
		lik := likelihood(in.Risk.Findings)
		kev := 0
		for _, f := range in.Risk.Findings {
			if f.KEV {
				kev++
			}
		}
		sc := store.AssetScore{AssetID: a.ID, ModelVersion: m.Version, Clinical: c, ClinicalTier: int(m.ClinicalTiers.Tier(c)),
			Risk: r, RiskTier: int(tier), Likelihood: math.Round(lik*1e4) / 1e4, LikelihoodBand: LikelihoodBand(lik),
			Acuity: int(in.Resolved.Profile.Acuity), CareDelivery: int(in.Resolved.Profile.CareDelivery), Support: int(in.Risk.Support),
			OpenFindings: len(fs), KEVFindings: kev, NoFixFindings: in.NoFix}
		if in.Risk.HasObserved {
			chk := assess.CompareLateral(in.Resolved.Profile.Lateral, in.Risk.Observed)
			sc.ObservedLateral, sc.LateralDisagree, sc.InternetPeers = int(chk.Observed), chk.Disagree, in.Risk.Observed.InternetPeers
		}
		for i := range fs {
			d, err := assess.DecideSSVC(&in.Resolved.Profile, in.Lateral, &in.Risk.Findings[i], in.Vulns[i].Automatable)
			if err != nil {
				return err
			}
			dec, why := d.Decision.String(), strings.Join(d.Why, "; ")
			if dec != fs[i].SSVC || why != fs[i].SSVCWhy {
				ssvcUp = append(ssvcUp, store.SSVCUpdate{FindingID: fs[i].ID, Decision: dec, Explanation: why})
			}
		}
		if old != nil && old.Same(&sc, h) {
			return nil
		}
		sc.InputsHash = store.ScoreHash(h, &sc)
		sc.History = old == nil || old.HistoryChanged(&sc)
		run.Changed++
		changed = append(changed, sc)
		return nil
	}
	chunks, errc := assetChunks(ctx, st, scope)
	for chunk := range chunks {
		if err != nil {
			continue // drain
		}
		for i := range chunk {
			if err = score(&chunk[i]); err != nil {
				cancel()
				break
			}
		}
	}
	if rerr := <-errc; err == nil {
		err = rerr
	}
	if err != nil {
		return Summary{}, err
	}
	actSet.Actions = e.rankActions(actions)
	if err := st.SaveScoreRun(ctx, actor, &run, changed, actSet, ssvcUp); err != nil {
		return Summary{}, err
	}
	return Summary{Run: run, Duration: time.Since(start), SSVC: len(ssvcUp)}, nil
}

// rankActions turns the accumulated effects into stored actions, titled
// with the facility they are done at, ranked by risk removed per asset
// touched, then total risk removed, then id.
func (e *Engine) rankActions(acc map[actionKey]*actionAcc) []store.RiskAction {
	out := make([]store.RiskAction, 0, len(acc))
	for k, a := range acc {
		fac := e.facilities[k.fac]
		if fac == "" {
			fac = "no facility"
		}
		mod := e.modalities[k.mod]
		if mod == "" {
			mod = "unclassified"
		}
		var x store.RiskAction
		switch k.kind {
		case 's':
			x = store.RiskAction{ID: fmt.Sprintf("segment/%d/%d", k.fac, k.mod), Kind: store.ActionSegment, Title: "Segment " + mod + " devices at " + fac, FacilityID: k.fac, ModalityID: k.mod}
		case 'n':
			x = store.RiskAction{ID: fmt.Sprintf("nac/%d/%d", k.fac, k.mod), Kind: store.ActionNAC, Title: "Enforce network access control for " + mod + " devices at " + fac, FacilityID: k.fac, ModalityID: k.mod}
		default:
			x = store.RiskAction{ID: fmt.Sprintf("%s%d", store.PatchActionPrefix(k.adv), k.fac), Kind: store.ActionPatch, Title: "Apply the fixes of " + k.adv + " at " + fac, FacilityID: k.fac}
		}
		x.AssetsTouched, x.RiskRemoved = a.n, round2(a.removed)
		if a.n > 0 {
			x.PerAsset = round2(a.removed / float64(a.n))
		}
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.PerAsset != b.PerAsset {
			return a.PerAsset > b.PerAsset
		}
		if a.RiskRemoved != b.RiskRemoved {
			return a.RiskRemoved > b.RiskRemoved
		}
		return a.ID < b.ID
	})
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// FindingDecision is one open finding's SSVC decision with its reasons.
type FindingDecision struct {
	FindingID   int64    `json:"finding_id"`
	CVE         string   `json:"cve"`
	AdvisoryID  string   `json:"advisory_id"`
	Vector      string   `json:"cvss_vector,omitempty"`
	Likelihood  float64  `json:"likelihood"`
	LikelyWhy   string   `json:"likelihood_why"`
	Decision    string   `json:"decision"`
	Explanation []string `json:"explanation"`
}

// PointRow is one data point's resolved value and its source.
type PointRow struct {
	Point  string        `json:"point"`
	Value  string        `json:"value"`
	Source assess.Source `json:"source"`
	Level  string        `json:"level"`
	Set    bool          `json:"set"`
}

// Explanation is an asset's scores with every factor and where each
// value comes from, computed on demand.
type Explanation struct {
	AssetID  int64           `json:"asset_id"`
	Model    string          `json:"model"`
	Points   []PointRow      `json:"points"`
	Clinical assess.Score    `json:"clinical"`
	Risk     assess.Score    `json:"risk"`
	Support  string          `json:"support"`
	Controls assess.Controls `json:"controls"`
	// SupportRecord and ControlsRecord say who set the model's support
	// status and the asset's controls, when and why (nil if never set).
	SupportRecord  *store.ModelSupportRow  `json:"support_record,omitempty"`
	ControlsRecord *store.ControlsRow      `json:"controls_record,omitempty"`
	Observed       *assess.ObservedComms   `json:"observed,omitempty"`
	Lateral        *assess.LateralCheck    `json:"lateral_check,omitempty"`
	Findings       []FindingDecision       `json:"findings"`
	Stored         *store.AssetScore       `json:"stored,omitempty"`
	History        []store.RiskHistoryRow  `json:"history"`
	Layers         map[string]assess.Level `json:"-"`
}

// Explain computes one asset's breakdowns with the current inputs.
func Explain(ctx context.Context, st *store.Store, assetID int64) (*Explanation, error) {
	a, err := st.ScoringAssetByID(ctx, assetID)
	if err != nil {
		return nil, err
	}
	e := newEngine()
	if err := e.loadCommon(ctx, st); err != nil {
		return nil, err
	}
	ctl, err := st.AssetControls(ctx, assetID)
	if err != nil {
		return nil, err
	}
	if ctl != nil {
		e.controls[assetID] = *ctl
	}
	fs, err := st.OpenFindingsOf(ctx, assetID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.AdvisoryID] {
			continue
		}
		seen[f.AdvisoryID] = true
		if _, raw, err := st.AdvisoryRaw(ctx, f.AdvisoryID); err == nil {
			e.addAdvisory(raw)
		}
	}
	if a.IP != "" {
		if err := e.addFlowsOf(ctx, st, []string{a.IP}); err != nil {
			return nil, err
		}
	}
	var in Inputs
	if err := e.inputs(a, fs, &in); err != nil {
		return nil, err
	}
	m := &e.Model
	x := &Explanation{AssetID: a.ID, Model: m.Version, Support: in.Risk.Support.String(), Controls: in.Risk.Controls, Findings: []FindingDecision{}, ControlsRecord: ctl}
	if sup, err := st.ModelSupport(ctx); err != nil {
		return nil, err
	} else if r, ok := sup[a.ModelID]; ok {
		x.SupportRecord = &r
	}
	for pt := assess.Point(0); pt < assess.NumPoints; pt++ {
		src := in.Resolved.Sources[pt]
		x.Points = append(x.Points, PointRow{Point: pt.String(), Value: in.Resolved.Profile.Describe(pt), Source: src, Level: src.Level.String(), Set: in.Resolved.Profile.IsSet(pt)})
	}
	x.Clinical = assess.ClinicalImpact(in.Resolved.Profile, m)
	in.Risk.Clinical = x.Clinical.Value
	x.Risk = assess.RiskScore(in.Risk, m)
	if in.Risk.HasObserved {
		o := in.Risk.Observed
		chk := assess.CompareLateral(in.Resolved.Profile.Lateral, o)
		x.Observed, x.Lateral = &o, &chk
	}
	for i, f := range fs {
		d, err := assess.DecideSSVC(&in.Resolved.Profile, in.Lateral, &in.Risk.Findings[i], in.Vulns[i].Automatable)
		if err != nil {
			return nil, err
		}
		l, why := in.Risk.Findings[i].Likelihood()
		x.Findings = append(x.Findings, FindingDecision{FindingID: f.ID, CVE: f.CVE, AdvisoryID: f.AdvisoryID, Vector: in.Vulns[i].Vector,
			Likelihood: math.Round(l*1000) / 1000, LikelyWhy: why, Decision: d.Decision.String(), Explanation: d.Why})
	}
	sort.SliceStable(x.Findings, func(i, j int) bool { return x.Findings[i].Likelihood > x.Findings[j].Likelihood })
	if sc, err := st.AssetScoreOf(ctx, assetID); err == nil {
		x.Stored = &sc
	}
	if x.History, err = st.RiskHistory(ctx, assetID); err != nil {
		return nil, err
	}
	return x, nil
}
