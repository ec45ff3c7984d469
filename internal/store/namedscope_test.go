package store_test

import (
	"context"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// TestNamedDeviceScope: a device the agreement names individually is in the
// provider's scope for service compliance as well as for the asset list.
func TestNamedDeviceScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		actor := medsec.Actor{Name: "tester"}
		b := &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Equipment ID"}
		if err := st.Import(ctx, actor, b, feed(
			rec(2, "BM-001", "SN-0001", "General Hospital", "ICU 4 West", "h1"),
			rec(3, "BM-002", "SN-0002", "General Hospital", "ICU 4 West", "h2"),
		), nil); err != nil {
			t.Fatal(err)
		}
		p, err := st.EnsureParty(ctx, actor, "Acme Biomed", medsec.PartyProvider)
		if err != nil {
			t.Fatal(err)
		}
		items, _, _ := st.FindAssets(ctx, medsec.AssetFilter{Q: "BM-002"})
		named := items[0].ID
		if _, err := st.DB().ExecContext(ctx, rebind(st, `INSERT INTO party_scope_assets (party_id, asset_id) VALUES (?, ?)`), p.ID, named); err != nil {
			t.Fatal(err)
		}
		_, n, err := st.FindAssets(ctx, medsec.AssetFilter{ScopePartyID: p.ID})
		if err != nil || n != 1 {
			t.Fatalf("provider sees %d assets (%v), want the named one", n, err)
		}
		rules, err := st.ProviderScopes(ctx)
		if err != nil || len(rules) != 1 || rules[0].AssetID != named {
			t.Fatalf("rules %+v %v", rules, err)
		}
		if !rules[0].Covers(store.ServiceAsset{ID: named}) || rules[0].Covers(store.ServiceAsset{ID: named + 1}) {
			t.Errorf("named rule covers the wrong assets")
		}
	})
}

func rebind(st *store.Store, q string) string {
	if st.Dialect() == store.SQLite {
		return q
	}
	return "INSERT INTO party_scope_assets (party_id, asset_id) VALUES ($1, $2)"
}

// TestModelSupportFromEndOfSupport: a model whose end-of-support date has
// passed counts as end-of-support for risk and the review pack, unless a
// support status was set for it; a future date changes nothing yet.
func TestModelSupportFromEndOfSupport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := mustOpen(t, dsn)
		actor := medsec.Actor{Name: "tester"}
		b := &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Equipment ID"}
		if err := st.Import(ctx, actor, b, feed(
			rec(2, "BM-001", "SN-0001", "General Hospital", "ICU 4 West", "h1"),
			rec(3, "BM-002", "SN-0002", "General Hospital", "ICU 4 West", "h2"),
		), nil); err != nil {
			t.Fatal(err)
		}
		items, _, _ := st.FindAssets(ctx, medsec.AssetFilter{})
		model := items[0].ModelID
		if err := st.SetEndOfSupport(ctx, actor, model, "2020-01-31"); err != nil {
			t.Fatal(err)
		}
		sup, err := st.ModelSupport(ctx)
		if err != nil || sup[model].Status != "end-of-support" || sup[model].Reason != "end of support on 2020-01-31 (service schedules)" {
			t.Fatalf("support %+v %v", sup, err)
		}
		legacy, err := st.LegacyCounts(ctx)
		if err != nil || len(legacy) != 1 || legacy[0].Label != "end-of-support" || legacy[0].Count != 2 {
			t.Errorf("legacy counts %+v %v", legacy, err)
		}
		if err := st.SetModelSupport(ctx, actor, model, "legacy", "no patches since 2019"); err != nil {
			t.Fatal(err)
		}
		if sup, _ = st.ModelSupport(ctx); sup[model].Status != "legacy" {
			t.Errorf("an explicit status should win: %+v", sup[model])
		}
		if err := st.SetEndOfSupport(ctx, actor, model, "2999-12-31"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetModelSupport(ctx, actor, model, "", "cleared"); err != nil {
			t.Fatal(err)
		}
		if sup, _ = st.ModelSupport(ctx); sup[model].Status != "" {
			t.Errorf("a future end of support should not count yet: %+v", sup[model])
		}
	})
}
