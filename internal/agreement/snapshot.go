package agreement

import (
	"context"
	"log/slog"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

// Snapshot metrics.
const (
	MetricAssets       = "assets"            // medical devices in service
	MetricCoverageCMDB = "coverage_cmdb_pct" // last correlation run
	MetricCoverageMon  = "coverage_monitoring_pct"
	MetricOpenFindings = "open_findings" // by SSVC decision
	MetricRiskTier     = "risk_tier"     // devices per risk tier
	MetricLegacy       = "legacy"        // devices per manufacturer support status
)

// TakeSnapshot records today's figures (replacing any taken earlier
// today), so the review pack can draw trends.
func TakeSnapshot(ctx context.Context, st *store.Store, now time.Time) error {
	var vals []store.SnapshotValue
	add := func(metric, dim string, v float64) {
		vals = append(vals, store.SnapshotValue{Metric: metric, Dimension: dim, Value: v})
	}
	n, err := st.MedicalAssetCount(ctx)
	if err != nil {
		return err
	}
	add(MetricAssets, "", float64(n))
	if cov, err := st.Coverage(ctx, ""); err != nil {
		return err
	} else if len(cov) == 1 {
		add(MetricCoverageCMDB, "", cov[0].PctCMDB)
		add(MetricCoverageMon, "", cov[0].PctMon)
	}
	open, err := st.OpenFindingAges(ctx)
	if err != nil {
		return err
	}
	byDec := map[string]int{}
	for _, f := range open {
		d := f.Decision
		if d == "" {
			d = "Not decided"
		}
		byDec[d]++
	}
	for d, k := range byDec {
		add(MetricOpenFindings, d, float64(k))
	}
	tiers, err := st.RiskTierCounts(ctx)
	if err != nil {
		return err
	}
	for _, c := range tiers {
		add(MetricRiskTier, c.Label, float64(c.Count))
	}
	legacy, err := st.LegacyCounts(ctx)
	if err != nil {
		return err
	}
	for _, c := range legacy {
		add(MetricLegacy, c.Label, float64(c.Count))
	}
	return st.PutSnapshot(ctx, medsec.System, now.UTC().Format("2006-01-02"), vals)
}

// RunSnapshots takes a snapshot now and then every interval until ctx
// ends: medsec serve runs it daily.
func RunSnapshots(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	take := func() {
		if err := TakeSnapshot(ctx, st, st.Now()); err != nil && ctx.Err() == nil && log != nil {
			log.Error("snapshot", "err", err)
		}
	}
	take()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			take()
		}
	}
}
