// Package linker runs the correlation engine over the stored source records
// and writes its result back: which records make up which asset, why, what
// needs a person to decide, and how much of the inventory is correlated.
// The engine itself (internal/correlate) is pure; this package is the I/O
// around it.
package linker

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/correlate"
	"github.com/medsec/medsec/internal/store"
)

// Options control a run.
type Options struct {
	// Full re-correlates everything; otherwise only the records touched by
	// imports and decisions since the last run, and whatever shares a
	// blocking key with them, are re-run.
	Full   bool
	Config correlate.Config
	Now    func() time.Time
}

// Summary reports a run.
type Summary struct {
	Run      store.CorrelationRun `json:"run"`
	Records  int                  `json:"records"`
	Covered  int                  `json:"covered"`
	Assets   int                  `json:"assets_with_network_records"`
	Duration time.Duration        `json:"duration_ns"`
	// Phases times the parts of the run: load, scope, engine, write, coverage.
	Phases []Phase `json:"phases"`
}

// Phase is one timed part of a run.
type Phase struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
	CPU      time.Duration `json:"cpu_ns"` // process CPU time (all threads); 0 where not measured
}

// beforeWrite, when a test sets it, runs between a run's reading and its
// writing: where another user's import or decision can land.
var beforeWrite func()

// Run correlates and stores the result.
func Run(ctx context.Context, st *store.Store, actor medsec.Actor, opt Options) (*Summary, error) {
	start := time.Now()
	// The run is stamped with the time before it reads anything: the next
	// delta run looks at what was imported or decided from then on, which
	// includes whatever landed while this run was working, after its read.
	began := st.Now().UTC().Format(store.TimeFormat)
	var phases []Phase
	mark, cpu := time.Now(), procCPU()
	phase := func(name string) {
		c := procCPU()
		phases = append(phases, Phase{name, time.Since(mark), c - cpu})
		mark, cpu = time.Now(), c
	}
	if opt.Config == (correlate.Config{}) {
		opt.Config = correlate.DefaultConfig()
	}
	last, err := st.LastRun(ctx)
	if err != nil {
		return nil, err
	}
	snap, err := st.OpenRecordSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	decisions, err := snap.Decisions(ctx)
	if err != nil {
		snap.Close()
		return nil, err
	}
	closed := false
	closeSnap := func() {
		if !closed {
			snap.Close()
			closed = true
		}
	}
	defer closeSnap()
	// A full run (or the first) loads every record whole. A delta run
	// loads every record's identifiers only, picks from them the records
	// to re-run (scope), then loads those whole: at a million devices the
	// whole records are most of a run's reading, and a small delta
	// re-runs a small part of them.
	var all []store.IdentRecord // the records the engine runs on, in id order
	var blocks []store.BlockRecord
	var scope *store.Scope        // what a delta run re-runs; nil for a full run
	var covAssets *coverageAssets // the assets coverage counts, read on the side
	var current map[int64]string  // the tags of the run's records' discovered assets
	if opt.Full || last == nil {
		if all, err = snap.Identities(ctx); err != nil {
			return nil, err
		}
		closeSnap()
		if current, err = st.DiscoveredTags(ctx); err != nil {
			return nil, err
		}
	} else {
		keys := correlate.NewKeyIndexBuilder(snap.Parts())
		if blocks, err = snap.Blocking(ctx, keys.Reserve, func(part int, k *store.BlockKeys) {
			keys.Add(part, &correlate.Keys{ID: k.ID, Serial: k.Serial, MAC: k.MAC, IP: k.IP, Hostname: k.Hostname, AssetTag: k.AssetTag})
		}); err != nil {
			return nil, err
		}
		discovered, err := st.DiscoveredIDs(ctx)
		if err != nil {
			return nil, err
		}
		phase("load")
		// The rest of a delta run is short and mostly on one core: the
		// assets coverage counts are read meanwhile (the run changes none
		// of them: it moves records, and adds and removes discovered
		// assets).
		covAssets = readCoverageAssets(ctx, st)
		defer covAssets.wait()
		batches, err := st.BatchesSince(ctx, last.StartedAt)
		if err != nil {
			return nil, err
		}
		left, err := st.AssetsOfGone(ctx, batches)
		if err != nil {
			return nil, err
		}
		var decided []int64
		for _, d := range decisions {
			if d.At >= last.StartedAt {
				decided = append(decided, d.A, d.B)
			}
		}
		scope = deltaScope(blocks, keys.Index(), batches, left, decided, discovered)
		phase("scope")
		if all, err = snap.IdentitiesOf(ctx, scope.Records); err != nil {
			return nil, err
		}
		closeSnap()
		var assets []int64
		for i := range all {
			if a := all[i].AssetID; a != 0 {
				assets = append(assets, a)
			}
		}
		slices.Sort(assets)
		if current, err = st.DiscoveredTagsOf(ctx, slices.Compact(assets)); err != nil {
			return nil, err
		}
	}
	subset := make([]correlate.Record, len(all))
	for i := range all {
		subset[i] = toRecord(&all[i])
	}
	byID := newIdentities(all)
	if scope == nil {
		phase("load")
	} else {
		phase("load scope")
	}
	res := correlate.Run(subset, toDecisions(decisions), opt.Config)
	nSubset := len(subset)
	subset = nil // the engine's input is no longer needed: let the write phase have the memory
	phase("engine")
	// The discovered assets are known from the clusters alone; each
	// record's explanation takes longer to build. It is built on another
	// core while the discovered assets are written.
	owners := clusterOwners(res, byID)
	discovered := discoveredAssets(res, owners, byID)
	// From here on a record is its id, system, asset and explanation's
	// hash: the identities (a gigabyte at a million devices, thirteen
	// strings a record) are dropped before the write, where the garbage
	// collector, marking them again and again near the memory limit, took
	// its assists from the goroutine that writes.
	var placed *placement
	nAll := len(all)
	if scope == nil {
		placed = newPlacement(byID)
	} else {
		placed, nAll = placementOf(blocks, all), len(blocks)
		blocks = nil
	}
	nClusters := len(res.Clusters)
	clusters := res.Clusters
	res.Clusters, all, byID = nil, nil, nil // held by the builder below until it is done
	assigned := make(chan []store.Assignment, 1)
	var links []assetLinks // which systems each asset is linked to, for coverage
	go func() {
		a := assignments(clusters, owners, placed, current)
		links = linkedSystems(placed.recs, a)
		placed = nil
		assigned <- a
	}()
	review := make([]store.ReviewItem, 0, len(res.Review))
	for _, c := range res.Review {
		ev, _ := json.Marshal(c.Evidence)
		review = append(review, store.ReviewItem{A: c.A, B: c.B, Weight: c.Weight, Confidence: c.Confidence, Evidence: string(ev)})
	}
	run := &store.CorrelationRun{StartedAt: began, Mode: "delta", Records: nSubset, Clusters: nClusters}
	if scope == nil {
		run.Mode = "full"
	}
	var assign []store.Assignment
	wait := func() []store.Assignment {
		if assigned != nil {
			assign, assigned = <-assigned, nil
		}
		return assign
	}
	if beforeWrite != nil {
		beforeWrite()
	}
	err = st.ApplyCorrelation(ctx, actor, run, discovered, wait, review, scope)
	wait() // on an early error, the builder must finish before Run returns
	if err != nil {
		return nil, err
	}
	phase("write")
	if covAssets == nil {
		covAssets = readCoverageAssets(ctx, st) // after a full run's write, which needs the memory
	}
	cov := newCoverageCount(links, networkable())
	assets, err := covAssets.wait()
	if err != nil {
		return nil, err
	}
	for i := range assets {
		cov.add(&assets[i])
	}
	if err := st.SaveCoverage(ctx, run.ID, cov.result()); err != nil {
		return nil, err
	}
	phase("coverage")
	return &Summary{Run: *run, Records: nAll, Covered: nSubset, Duration: time.Since(start), Phases: phases}, nil
}

// assetPos is a record's asset and position.
type assetPos struct {
	asset int64
	pos   int32
}

// radixByAsset sorts xs by asset, stably: a least-significant-digit radix
// sort, 16 bits a pass, as many passes as the largest asset id needs (two
// below 4 billion). Millions of records in position order come out
// grouped by asset, each group in position order, in linear time.
func radixByAsset(xs []assetPos) {
	if len(xs) < 2 {
		return
	}
	var top int64
	for _, x := range xs {
		top = max(top, x.asset)
	}
	tmp := make([]assetPos, len(xs))
	src, dst := xs, tmp
	for shift := uint(0); shift < 64 && top>>shift > 0; shift += 16 {
		var count [1 << 16]int
		for _, x := range src {
			count[(x.asset>>shift)&0xffff]++
		}
		sum := 0
		for i, c := range count {
			count[i], sum = sum, sum+c
		}
		for _, x := range src {
			d := (x.asset >> shift) & 0xffff
			dst[count[d]] = x
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &xs[0] {
		copy(xs, src)
	}
}

// coverageAssets reads the assets coverage counts on a goroutine of its
// own.
type coverageAssets struct {
	done   chan struct{}
	assets []store.CoverageAsset
	err    error
}

func readCoverageAssets(ctx context.Context, st *store.Store) *coverageAssets {
	c := &coverageAssets{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.err = st.EachCoverageAsset(ctx, func(a *store.CoverageAsset) { c.assets = append(c.assets, *a) })
	}()
	return c
}

// wait returns the assets once read.
func (c *coverageAssets) wait() ([]store.CoverageAsset, error) {
	<-c.done
	return c.assets, c.err
}

// deltaScope picks what a delta run re-runs, from every live record's
// place (recs, in id order) and blocking keys (idx, the same records);
// discovered lists the discovered assets' ids, sorted.
//
// The changed records: those imported by the batches since the last run,
// those a reviewer decided on since, those left on an asset that lost a
// record since (left: it may split, or keep an explanation through a
// record that has gone) or on a CMMS asset whose CMMS record has gone
// (what joined it must be re-placed), and records with no asset. Re-run
// with them: every record they could be compared with (one hop through
// shared blocking keys), and the whole current asset of each, so that no
// cluster is half re-run. A pair between a re-run record and one outside
// scores as it did (neither changed), and did not join them before;
// chains further out (a conflict that kept two clusters apart and has now
// gone) are left to the periodic full run. A test holds the result to a
// full run's over several kinds of delta.
func deltaScope(recs []store.BlockRecord, idx *correlate.KeyIndex, batches, left, decided, discovered []int64) *store.Scope {
	freshSet := map[int64]bool{}
	for _, b := range batches {
		freshSet[b] = true
	}
	fresh := func(b int64) bool { // a few batches, millions of records: no map lookups
		if len(batches) <= 8 {
			return slices.Contains(batches, b)
		}
		return freshSet[b]
	}
	// Positions, not maps: recs is in id order, so an id is found by
	// binary search, and an asset's records are a run of byAsset (sorted
	// by asset). At millions of records the maps were most of the scope.
	byAsset := make([]assetPos, 0, len(recs))
	for p := range recs {
		if a := recs[p].AssetID; a != 0 {
			byAsset = append(byAsset, assetPos{a, int32(p)})
		}
	}
	radixByAsset(byAsset)
	var seeds []int64
	for _, r := range recs {
		if fresh(r.BatchID) || (r.AssetID == 0 && r.System != "cmms") {
			seeds = append(seeds, r.ID)
		}
	}
	wasLeft := map[int64]bool{}
	for _, a := range left {
		wasLeft[a] = true
	}
	for lo := 0; lo < len(byAsset); {
		a, hi, cmms := byAsset[lo].asset, lo, false
		for ; hi < len(byAsset) && byAsset[hi].asset == a; hi++ {
			cmms = cmms || recs[byAsset[hi].pos].System == "cmms"
		}
		if _, disc := slices.BinarySearch(discovered, a); wasLeft[a] || !cmms && !disc {
			for _, x := range byAsset[lo:hi] {
				if !fresh(recs[x.pos].BatchID) {
					seeds = append(seeds, recs[x.pos].ID)
				}
			}
		}
		lo = hi
	}
	seeds = append(seeds, decided...)
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	if len(seeds) == 0 {
		return &store.Scope{}
	}
	in := make([]bool, len(recs))
	// withAssets marks ids and every record of their assets, and returns
	// what it marked, in id order.
	withAssets := func(ids []int64) []int64 {
		for _, id := range ids {
			p, ok := slices.BinarySearchFunc(recs, id, func(r store.BlockRecord, id int64) int { return cmp.Compare(r.ID, id) })
			if !ok {
				continue
			}
			in[p] = true
			if a := recs[p].AssetID; a != 0 {
				k, _ := slices.BinarySearchFunc(byAsset, a, func(x assetPos, a int64) int { return cmp.Compare(x.asset, a) })
				for ; k < len(byAsset) && byAsset[k].asset == a; k++ {
					in[byAsset[k].pos] = true
				}
			}
		}
		out := []int64{}
		for p, ok := range in {
			if ok {
				out = append(out, recs[p].ID)
			}
		}
		return out
	}
	return &store.Scope{Records: withAssets(idx.Neighbours(seeds, 1)), Changed: seeds}
}

func toRecord(r *store.IdentRecord) correlate.Record {
	var seen time.Time
	if r.Ident.LastSeen != "" {
		seen, _ = time.Parse(time.RFC3339, r.Ident.LastSeen)
	}
	src := correlate.Source(r.System)
	if r.System == "zeek" {
		src = "monitoring"
	}
	return correlate.Record{ID: r.ID, Source: src, Key: r.Key, Serial: r.Ident.SerialNorm, MAC: r.Ident.MAC, IP: r.Ident.IP,
		Hostname: r.Ident.HostnameNorm, Manufacturer: r.Ident.Manufacturer, Model: r.Ident.Model, AssetTag: r.Ident.AssetTag,
		Class: r.Ident.Class, LastSeen: seen}
}

func toDecisions(ds []store.LinkDecision) []correlate.Decision {
	out := make([]correlate.Decision, len(ds))
	for i, d := range ds {
		out[i] = correlate.Decision{A: d.A, B: d.B, Kind: correlate.DecisionKind(d.Kind), By: d.Actor, Reason: d.Reason}
	}
	return out
}

// clusterOwners gives each cluster its asset: a cluster with a CMMS record
// belongs to that record's asset (the lowest id if it holds several); one
// without becomes (or stays) a discovered asset named after its oldest
// record, so its id is stable. Owners are indexed like res.Clusters; an
// owner with a tag and no id is a discovered asset.
func clusterOwners(res correlate.Result, byID *identities) []owner {
	out := make([]owner, len(res.Clusters))
	for i, c := range res.Clusters {
		var assetID int64
		for _, id := range c.Records {
			if r := byID.get(id); r.System == "cmms" && r.AssetID != 0 && (assetID == 0 || r.AssetID < assetID) {
				assetID = r.AssetID
			}
		}
		out[i].assetID = assetID
		if assetID == 0 {
			out[i].tag = "NET-" + strconv.FormatInt(c.Records[0], 10)
		}
	}
	return out
}

type owner struct {
	assetID int64
	tag     string
}

func discoveredAssets(res correlate.Result, owners []owner, byID *identities) []store.DiscoveredAsset {
	var discovered []store.DiscoveredAsset
	for i, c := range res.Clusters {
		if owners[i].tag != "" {
			discovered = append(discovered, discoveredAsset(owners[i].tag, c, byID, res.NonMedical))
		}
	}
	return discovered
}

// placedRecord is what the write needs of a loaded record: where it is
// and the hash of its stored explanation. System is the load's shared
// string.
type placedRecord struct {
	ID, AssetID      int64
	System, LinkHash string
}

// identities finds loaded records by id through a dense table (ids are a
// database's row ids): no map of millions of pointers to build, or for the
// garbage collector to scan.
type identities struct {
	all []store.IdentRecord // in id order, as loaded
	pos []int32             // by id: index into all + 1; 0 where no record was loaded
}

func newIdentities(all []store.IdentRecord) *identities {
	x := &identities{all: all}
	if len(all) > 0 {
		x.pos = make([]int32, all[len(all)-1].ID+1)
	}
	for i := range all {
		x.pos[all[i].ID] = int32(i + 1)
	}
	return x
}

// get returns the record with this id; the engine only returns ids it was given.
func (x *identities) get(id int64) *store.IdentRecord { return &x.all[x.pos[id]-1] }

// placement holds every loaded record's placedRecord in the same order,
// found through the same table.
type placement struct {
	pos  []int32
	recs []placedRecord
}

func newPlacement(x *identities) *placement {
	p := &placement{pos: x.pos, recs: make([]placedRecord, len(x.all))}
	for i := range x.all {
		r := &x.all[i]
		p.recs[i] = placedRecord{ID: r.ID, AssetID: r.AssetID, System: r.System, LinkHash: r.LinkHash}
	}
	return p
}

// placementOf places every record a delta run loaded the identifiers of
// (recs, in id order), with the explanation hashes of those it loaded
// whole (loaded, in id order): coverage counts every record's asset; only
// re-run records can have a new one.
func placementOf(recs []store.BlockRecord, loaded []store.IdentRecord) *placement {
	p := &placement{recs: make([]placedRecord, len(recs))}
	if len(recs) > 0 {
		p.pos = make([]int32, recs[len(recs)-1].ID+1)
	}
	k := 0
	for i := range recs {
		r := &recs[i]
		p.recs[i] = placedRecord{ID: r.ID, AssetID: r.AssetID, System: r.System}
		p.pos[r.ID] = int32(i + 1)
		for k < len(loaded) && loaded[k].ID < r.ID {
			k++
		}
		if k < len(loaded) && loaded[k].ID == r.ID {
			p.recs[i].LinkHash = loaded[k].LinkHash
		}
	}
	return p
}

// get returns the record with this id; the engine only returns ids it was given.
func (p *placement) get(id int64) *placedRecord { return &p.recs[p.pos[id]-1] }

// assignments turns clusters into asset memberships, each with the link
// that explains it; records whose asset and explanation are unchanged are
// left out.
func assignments(clusters []correlate.Cluster, owners []owner, placed *placement, current map[int64]string) []store.Assignment {
	var assign []store.Assignment
	for i, c := range clusters {
		assetID, tag := owners[i].assetID, owners[i].tag
		evidence := evidenceByRecord(c, placed)
		for _, id := range c.Records {
			r := placed.get(id)
			if r.System == "cmms" && r.AssetID != 0 {
				continue // the system of record keeps its own asset
			}
			h := hash(evidence[id], c.Confidence)
			if h == r.LinkHash && r.AssetID != 0 && (assetID == 0 || r.AssetID == assetID) && (tag == "" || current[r.AssetID] == tag) {
				continue // unchanged: nothing to write
			}
			assign = append(assign, store.Assignment{RecordID: id, AssetID: assetID, NewAsset: tag, Confidence: c.Confidence, Evidence: evidence[id], Hash: h, OldAsset: r.AssetID})
		}
	}
	return assign
}

// evidenceByRecord keeps, for each record, the one link that attached it to
// its cluster, walking the cluster's links outward from its CMMS record
// (or its first record, which gets none). One link a record keeps the
// stored explanation small at millions of records while still answering
// "why is this record part of this asset".
func evidenceByRecord(c correlate.Cluster, where *placement) map[int64]string {
	out := make(map[int64]string, len(c.Records))
	root := c.Records[0]
	for _, id := range c.Records {
		if where.get(id).System == "cmms" {
			root = id
			break
		}
	}
	placed := map[int64]bool{root: true}
	for progress := true; progress; {
		progress = false
		for i := range c.Links {
			l := &c.Links[i]
			var next int64
			switch {
			case placed[l.A] && !placed[l.B]:
				next = l.B
			case placed[l.B] && !placed[l.A]:
				next = l.A
			default:
				continue
			}
			placed[next], progress = true, true
			out[next] = compactLink(l)
		}
	}
	return out
}

// compactLink is the stored form of a link: short keys, evidence as rows of
// [field, one side, other side, agrees, weight, note]. It writes exactly the
// bytes json.Marshal would write for that map (keys in order, HTML-safe
// escaping), without reflection or maps: at a million records the generic
// encoder and its garbage were a sixth of the write phase. A test checks
// the two agree.
func compactLink(l *correlate.Link) string {
	b := make([]byte, 0, 48+len(l.Evidence)*64)
	b = append(b, `{"a":`...)
	b = strconv.AppendInt(b, l.A, 10)
	b = append(b, `,"b":`...)
	b = strconv.AppendInt(b, l.B, 10)
	b = append(b, `,"c":`...)
	b = appendJSONFloat(b, round2(l.Confidence))
	b = append(b, `,"d":`...)
	b = strconv.AppendBool(b, l.Decided)
	b = append(b, `,"e":[`...)
	for i, e := range l.Evidence {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, e.Field)
		b = append(b, ',')
		b = appendJSONString(b, e.A)
		b = append(b, ',')
		b = appendJSONString(b, e.B)
		b = append(b, ',')
		b = strconv.AppendBool(b, e.Agree)
		b = append(b, ',')
		b = appendJSONFloat(b, round2(e.Weight))
		b = append(b, ',')
		b = appendJSONString(b, e.Note)
		b = append(b, ']')
	}
	b = append(b, `],"w":`...)
	b = appendJSONFloat(b, round2(l.Weight))
	b = append(b, '}')
	return string(b)
}

// appendJSONString quotes s as encoding/json does: plain printable ASCII
// is copied; anything else (quotes, backslashes, <, >, &, control
// characters, non-ASCII) goes through the standard encoder.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat formats f as encoding/json does for a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0') // json.Marshal would fail; weights are finite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func round2(f float64) float64 { return float64(int64(f*100+0.5*sign(f))) / 100 }

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func discoveredAsset(tag string, c correlate.Cluster, byID *identities, nonMedical map[int64]string) store.DiscoveredAsset {
	d := store.DiscoveredAsset{Tag: tag, Kind: "medical"}
	// Prefer what monitoring saw (it decodes the device), then the CMDB.
	ids := append([]int64(nil), c.Records...)
	sort.Slice(ids, func(i, j int) bool { return rank(byID.get(ids[i]).System) < rank(byID.get(ids[j]).System) })
	f := &d.Fields
	for _, id := range ids {
		r := byID.get(id)
		if _, ok := nonMedical[id]; ok {
			d.Kind = "non_medical"
		}
		set := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		set(&f.Manufacturer, r.Ident.Manufacturer)
		set(&f.Model, r.Ident.Model)
		set(&f.Serial, r.Ident.SerialNorm)
		set(&f.Hostname, r.Ident.HostnameNorm)
		set(&f.IP, r.Ident.IP)
		set(&f.MAC, r.Ident.MAC)
		set(&f.Facility, r.Ident.Facility)
		set(&f.Firmware, r.Ident.Firmware)
	}
	f.ManufacturerAlias = f.Manufacturer
	f.Status = store.StatusDiscovered
	// Monitoring tools classify devices ("Infusion Pump"); a known class gives the modality.
	for _, id := range ids {
		if code, name, ok := catalog.ModalityForDeviceType(byID.get(id).Ident.Class); ok {
			f.ModalityCode, f.ModalityName = code, name
			break
		}
	}
	return d
}

func rank(system string) int {
	switch system {
	case "monitoring", "zeek":
		return 0
	case "cmdb":
		return 1
	}
	return 2
}

// networkable lists the modalities whose devices are always networked;
// their CMMS assets are in scope for network correlation even when no
// system has seen them yet.
func networkable() []string {
	var out []string
	for _, m := range catalog.Modalities() {
		if m.NetworkedFraction >= 0.95 {
			out = append(out, m.Code)
		}
	}
	return out
}

// String formats a summary for the CLI.
func (s *Summary) String() string {
	var ph []string
	for _, p := range s.Phases {
		if p.CPU > 0 {
			ph = append(ph, fmt.Sprintf("%s %.2fs (cpu %.2fs)", p.Name, p.Duration.Seconds(), p.CPU.Seconds()))
		} else {
			ph = append(ph, fmt.Sprintf("%s %.2fs", p.Name, p.Duration.Seconds()))
		}
		if p.Name == "write" && len(s.Run.Steps) > 0 {
			var st []string
			for _, x := range s.Run.Steps {
				st = append(st, fmt.Sprintf("%s %.2fs", x.Name, x.Duration.Seconds()))
			}
			ph[len(ph)-1] += " [" + strings.Join(st, ", ") + "]"
		}
	}
	return fmt.Sprintf("correlated %d of %d records (%s run %d): %d clusters, %d records relinked, %d pairs for review, in %.1fs (%s)",
		s.Covered, s.Records, s.Run.Mode, s.Run.ID, s.Run.Clusters, s.Run.Changed, s.Run.Review, s.Duration.Seconds(), strings.Join(ph, ", "))
}

// hash fingerprints a record's link explanation and confidence.
func hash(evidence string, confidence float64) string {
	h := sha256.Sum256([]byte(evidence + "|" + strconv.FormatFloat(confidence, 'g', 6, 64)))
	return hex.EncodeToString(h[:8])
}
