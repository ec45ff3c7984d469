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
