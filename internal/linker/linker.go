// Package linker runs the correlation engine over the stored source records
// and writes its result back: which records make up which asset, why, what
// needs a person to decide, and how much of the inventory is correlated.
// The engine itself (internal/correlate) is pure; this package is the I/O
// around it.
package linker

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
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
}

// Run correlates and stores the result.
func Run(ctx context.Context, st *store.Store, actor medsec.Actor, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Config == (correlate.Config{}) {
		opt.Config = correlate.DefaultConfig()
	}
	all, err := st.IdentRecords(ctx)
	if err != nil {
		return nil, err
	}
	decisions, err := st.LinkDecisions(ctx)
	if err != nil {
		return nil, err
	}
	recs := make([]correlate.Record, len(all))
	byID := make(map[int64]*store.IdentRecord, len(all))
	for i := range all {
		recs[i] = toRecord(&all[i])
		byID[all[i].ID] = &all[i]
	}
	subset, covered, err := scope(ctx, st, all, recs, decisions, opt.Full)
	if err != nil {
		return nil, err
	}
	res := correlate.Run(subset, toDecisions(decisions), opt.Config)
	discovered, assign := assignments(res, byID)
	review := make([]store.ReviewItem, 0, len(res.Review))
	for _, c := range res.Review {
		ev, _ := json.Marshal(c.Evidence)
		review = append(review, store.ReviewItem{A: c.A, B: c.B, Weight: c.Weight, Confidence: c.Confidence, Evidence: string(ev)})
	}
	run := &store.CorrelationRun{Mode: "delta", Records: len(subset), Clusters: len(res.Clusters)}
	if covered == nil {
		run.Mode = "full"
	}
	if err := st.ApplyCorrelation(ctx, actor, run, discovered, assign, review, covered); err != nil {
		return nil, err
	}
	if err := st.SnapshotCoverage(ctx, run.ID, networkable()); err != nil {
		return nil, err
	}
	return &Summary{Run: *run, Records: len(all), Covered: len(subset), Duration: time.Since(start)}, nil
}

// scope picks what to re-run. A full run, or the first, covers everything;
// a delta run covers records imported or decided since the last run, plus
// every record that shares a blocking key with them and every record
// already in the same asset, so that clusters are never half re-run.
func scope(ctx context.Context, st *store.Store, all []store.IdentRecord, recs []correlate.Record, decisions []store.LinkDecision, full bool) ([]correlate.Record, []int64, error) {
	last, err := st.LastRun(ctx)
	if err != nil {
		return nil, nil, err
	}
	if full || last == nil {
		return recs, nil, nil
	}
	batches, err := st.BatchesSince(ctx, last.StartedAt)
	if err != nil {
		return nil, nil, err
	}
	fresh := map[int64]bool{}
	for _, b := range batches {
		fresh[b] = true
	}
	var seeds []int64
	for _, r := range all {
		if fresh[r.BatchID] || (r.AssetID == 0 && r.System != "cmms") {
			seeds = append(seeds, r.ID)
		}
	}
	for _, d := range decisions {
		if d.At >= last.StartedAt {
			seeds = append(seeds, d.A, d.B)
		}
	}
	if len(seeds) == 0 {
		return nil, []int64{}, nil
	}
	ids := correlate.Closure(recs, seeds)
	// Close over current assets too: a record leaving a cluster must take
	// the rest of that cluster with it into the run.
	inSet := map[int64]bool{}
	assets := map[int64]bool{}
	for _, id := range ids {
		inSet[id] = true
	}
	for _, r := range all {
		if inSet[r.ID] && r.AssetID != 0 {
			assets[r.AssetID] = true
		}
	}
	for _, r := range all {
		if !inSet[r.ID] && assets[r.AssetID] {
			ids = append(ids, correlate.Closure(recs, []int64{r.ID})...)
			for _, id := range ids {
				inSet[id] = true
			}
		}
	}
	subset := make([]correlate.Record, 0, len(inSet))
	covered := make([]int64, 0, len(inSet))
	for i, r := range all {
		if inSet[r.ID] {
			subset = append(subset, recs[i])
			covered = append(covered, r.ID)
		}
	}
	return subset, covered, nil
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

// assignments turns clusters into asset memberships. A cluster with a CMMS
// record belongs to that record's asset; one without becomes (or stays) a
// discovered asset named after its oldest record, so its id is stable.
func assignments(res correlate.Result, byID map[int64]*store.IdentRecord) ([]store.DiscoveredAsset, []store.Assignment) {
	var discovered []store.DiscoveredAsset
	var assign []store.Assignment
	for _, c := range res.Clusters {
		var assetID int64
		for _, id := range c.Records {
			if r := byID[id]; r.System == "cmms" && r.AssetID != 0 && (assetID == 0 || r.AssetID < assetID) {
				assetID = r.AssetID
			}
		}
		tag := ""
		if assetID == 0 {
			tag = "NET-" + strconv.FormatInt(c.Records[0], 10)
			discovered = append(discovered, discoveredAsset(tag, c, byID, res.NonMedical))
		}
		evidence := evidenceByRecord(c)
		for _, id := range c.Records {
			r := byID[id]
			if r.System == "cmms" && r.AssetID != 0 {
				continue // the system of record keeps its own asset
			}
			assign = append(assign, store.Assignment{RecordID: id, AssetID: assetID, NewAsset: tag, Confidence: c.Confidence, Evidence: evidence[id]})
		}
	}
	return discovered, assign
}

// evidenceByRecord keeps, for each record, the links that joined it.
func evidenceByRecord(c correlate.Cluster) map[int64]string {
	per := map[int64][]correlate.Link{}
	for _, l := range c.Links {
		per[l.A] = append(per[l.A], l)
		per[l.B] = append(per[l.B], l)
	}
	out := make(map[int64]string, len(c.Records))
	for _, id := range c.Records {
		ls := per[id]
		if ls == nil {
			out[id] = "[]"
			continue
		}
		b, _ := json.Marshal(ls)
		out[id] = string(b)
	}
	return out
}

func discoveredAsset(tag string, c correlate.Cluster, byID map[int64]*store.IdentRecord, nonMedical map[int64]string) store.DiscoveredAsset {
	d := store.DiscoveredAsset{Tag: tag, Kind: "medical"}
	// Prefer what monitoring saw (it decodes the device), then the CMDB.
	ids := append([]int64(nil), c.Records...)
	sort.Slice(ids, func(i, j int) bool { return rank(byID[ids[i]].System) < rank(byID[ids[j]].System) })
	f := &d.Fields
	for _, id := range ids {
		r := byID[id]
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
	f.Status = "Not in CMMS"
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
	return fmt.Sprintf("correlated %d of %d records (%s run %d): %d clusters, %d records relinked, %d pairs for review, in %.1fs",
		s.Covered, s.Records, s.Run.Mode, s.Run.ID, s.Run.Clusters, s.Run.Changed, s.Run.Review, s.Duration.Seconds())
}
