package store

import (
	"context"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// A large first scoring drops and rebuilds the score indexes, writes full
// batches through the prepared statement and the rest singly, and a
// history row only for the scores marked; a second run upserts.
func TestSaveScoreRun_BulkFirstLoad(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		old := bulkScores
		bulkScores = 100
		defer func() { bulkScores = old }()
		const n = 2*scoreBatch + 37
		scores := make([]AssetScore, n)
		for i := range scores {
			// Out of order on purpose: SaveScoreRun sorts by asset.
			scores[i] = AssetScore{AssetID: int64(n - i), ModelVersion: "m1", Risk: float64(i % 100), RiskTier: i % 4, Clinical: 50, History: true}
			scores[i].InputsHash = ScoreHash(uint64(i), &scores[i])
		}
		run := &ScoreRun{ModelVersion: "m1", Full: true, StartedAt: s.now(), Assets: n, Changed: n}
		if err := s.SaveScoreRun(ctx, medsec.System, run, scores, &ActionSet{}, nil); err != nil {
			t.Fatal(err)
		}
		if run.History != n {
			t.Errorf("history rows %d, want %d", run.History, n)
		}
		count := func(q string) int {
			var c int
			if err := s.db.QueryRowContext(ctx, q).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if c := count(`SELECT count(*) FROM asset_scores`); c != n {
			t.Errorf("asset_scores %d", c)
		}
		idx := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('asset_scores_heat', 'asset_scores_risk', 'risk_history_asset')`
		if s.dialect != SQLite {
			idx = `SELECT count(*) FROM pg_indexes WHERE indexname IN ('asset_scores_heat', 'asset_scores_risk', 'risk_history_asset')`
		}
		if c := count(idx); c != 3 {
			t.Errorf("%d of the 3 secondary indexes rebuilt", c)
		}
		// Second run: one changed score, one with a history row.
		scores = []AssetScore{{AssetID: 5, ModelVersion: "m1", Risk: 99, RiskTier: 3, History: true}, {AssetID: 6, ModelVersion: "m1", Risk: 1}}
		run = &ScoreRun{ModelVersion: "m1", StartedAt: s.now(), Scope: "asset 5"}
		if err := s.SaveScoreRun(ctx, medsec.System, run, scores, &ActionSet{Partial: true, Modalities: []int64{0}, Advisories: []string{"X"}}, nil); err != nil {
			t.Fatal(err)
		}
		if c := count(`SELECT count(*) FROM risk_history`); c != n+1 {
			t.Errorf("risk_history %d, want %d", c, n+1)
		}
		if sc, err := s.AssetScoreOf(ctx, 5); err != nil || sc.Risk != 99 || sc.RunID != run.ID {
			t.Errorf("upserted score %+v %v", sc, err)
		}
		if run.Tiers[0]+run.Tiers[1]+run.Tiers[2]+run.Tiers[3] != n {
			t.Errorf("partial run tiers %v", run.Tiers)
		}
		prev, err := s.StoredScores(ctx, nil)
		if err != nil || len(prev) != n || prev[0].AssetID != 1 || prev[4].Risk != 99 {
			t.Fatalf("stored scores %d %v", len(prev), err)
		}
	})
}
