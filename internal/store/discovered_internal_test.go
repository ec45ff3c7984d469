package store

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// A first correlation that brings many new devices rebuilds the asset
// indexes on serial, host name, IP and MAC instead of maintaining them row
// by row, on both backends. Afterwards the indexes must all be there, as
// the schema defines them, and a search by each identifier must find the
// new devices.
func TestManyDiscoveredAssetsRebuildIdentifierIndexes(t *testing.T) {
	defer func(n int) { rebuildMinNew = n }(rebuildMinNew)
	rebuildMinNew = 1
	defer func(n int) { bulkAssignments = n }(bulkAssignments)
	bulkAssignments = 1 // and the record index and keys of records and links
	testdb.Each(t, func(t *testing.T, dsn string) { manyDiscovered(t, dsn) })
}

func manyDiscovered(t *testing.T, dsn string) {
	ctx, s, actor := openDSN(t, dsn)
	indexes := func() map[string]string {
		q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'assets' AND sql IS NOT NULL`
		if s.dialect == Postgres {
			q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'assets'`
		}
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var name, ddl string
			if err := rows.Scan(&name, &ddl); err != nil {
				t.Fatal(err)
			}
			out[name] = ddl
		}
		return out
	}
	before, keysBefore := indexes(), foreignKeys(t, ctx, s)
	for _, name := range randomKeyAssetIndexes {
		if before[name] == "" {
			t.Fatalf("schema has no index %s", name)
		}
	}
	var recs []*ImportRecord
	for i := 1; i <= 4; i++ {
		key := fmt.Sprintf("ws-%d", i)
		recs = append(recs, &ImportRecord{RowNum: i + 1, Key: key, Raw: `{"Device ID":"` + key + `"}`, Hash: key,
			Ident: Ident{MAC: fmt.Sprintf("00:11:22:33:44:%02x", i), IP: fmt.Sprintf("10.0.0.%d", i), HostnameNorm: key}})
	}
	if err := s.Import(ctx, actor, &medsec.ImportBatch{System: "monitoring", FileName: "mon.csv", Format: "csv", KeyColumn: "Device ID"}, feedRecords(recs...), nil); err != nil {
		t.Fatal(err)
	}
	ids, err := column[int64](ctx, s, s.db, `SELECT id FROM source_records ORDER BY id`)
	if err != nil || len(ids) != 4 {
		t.Fatalf("records %v %v", ids, err)
	}
	var discovered []DiscoveredAsset
	var assign []Assignment
	for i, id := range ids {
		n := i + 1
		tag := fmt.Sprintf("NET-%d", id)
		discovered = append(discovered, DiscoveredAsset{Tag: tag, Kind: "non_medical", Fields: AssetFields{
			Serial: fmt.Sprintf("WS%04d", n), Hostname: fmt.Sprintf("ws-%d", n), IP: fmt.Sprintf("10.0.0.%d", n), MAC: fmt.Sprintf("00:11:22:33:44:%02x", n), Status: StatusDiscovered}})
		assign = append(assign, Assignment{RecordID: id, NewAsset: tag, Confidence: 1, Hash: tag})
	}
	run := &CorrelationRun{Mode: "full", Records: 4, Clusters: 4}
	if err := s.ApplyCorrelation(ctx, actor, run, discovered, func() []Assignment { return assign }, nil, nil); err != nil {
		t.Fatal(err)
	}
	if after := indexes(); !maps.Equal(before, after) {
		t.Errorf("asset indexes after the run differ:\nbefore %v\nafter  %v", before, after)
	}
	if after := foreignKeys(t, ctx, s); !maps.Equal(keysBefore, after) {
		t.Errorf("foreign keys after the run differ:\nbefore %v\nafter  %v", keysBefore, after)
	}
	for _, q := range []string{"WS0003", "ws-3", "10.0.0.3", "00-11-22-33-44-03"} {
		found, total, err := s.FindAssets(ctx, medsec.AssetFilter{Kind: "all", Q: q})
		if err != nil || total != 1 || found[0].Serial != "WS0003" {
			t.Errorf("search %q: %d found (%v)", q, total, err)
		}
	}
	if bad, err := s.ForeignKeyProblems(ctx); err != nil || len(bad) > 0 {
		t.Errorf("dangling references: %v %v", bad, err)
	}
}

// A run that brings 250 discovered assets gives each its own id, its own
// fields and the record assigned to it; a tag some asset already has
// fails the run, naming the tag on SQLite, and leaves nothing behind.
func TestManyDiscoveredAssetsEachHoldTheirRecord(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx, s, actor := openDSN(t, dsn)
		const n = 250
		var recs []*ImportRecord
		for i := 1; i <= n; i++ {
			key := fmt.Sprintf("dev-%d", i)
			recs = append(recs, &ImportRecord{RowNum: i + 1, Key: key, Raw: `{"Device ID":"` + key + `"}`, Hash: key,
				Ident: Ident{MAC: fmt.Sprintf("00:11:22:33:%02x:%02x", i/256, i%256), HostnameNorm: key}})
		}
		if err := s.Import(ctx, actor, &medsec.ImportBatch{System: "monitoring", FileName: "mon.csv", Format: "csv", KeyColumn: "Device ID"}, feedRecords(recs...), nil); err != nil {
			t.Fatal(err)
		}
		ids, err := column[int64](ctx, s, s.db, `SELECT id FROM source_records ORDER BY id`)
		if err != nil || len(ids) != n {
			t.Fatalf("records %d %v", len(ids), err)
		}
		plan := func(tags func(i int) string) ([]DiscoveredAsset, []Assignment) {
			var discovered []DiscoveredAsset
			var assign []Assignment
			for i, id := range ids {
				tag := tags(i)
				discovered = append(discovered, DiscoveredAsset{Tag: tag, Kind: "non_medical", Fields: AssetFields{
					Hostname: fmt.Sprintf("dev-%d", i+1), MAC: fmt.Sprintf("00:11:22:33:%02x:%02x", (i+1)/256, (i+1)%256), Status: StatusDiscovered}})
				assign = append(assign, Assignment{RecordID: id, NewAsset: tag, Confidence: 1, Hash: tag})
			}
			return discovered, assign
		}
		// A tag a CMMS asset already has (the 130th planned) fails the run
		// as a whole.
		discovered, assign := plan(func(i int) string { return fmt.Sprintf("NET-%d", ids[i]) })
		taken := &ImportRecord{RowNum: 2, Key: discovered[129].Tag, Raw: `{}`, Hash: "c", Asset: &AssetFields{Tag: discovered[129].Tag}}
		if err := s.Import(ctx, actor, &medsec.ImportBatch{System: "cmms", FileName: "cmms.csv", Format: "csv", KeyColumn: "Equipment ID"}, feedRecords(taken), &ImportOptions{Assets: true}); err != nil {
			t.Fatal(err)
		}
		run := &CorrelationRun{Mode: "full", Records: n, Clusters: n}
		err = s.ApplyCorrelation(ctx, actor, run, discovered, func() []Assignment { return assign }, nil, nil)
		if err == nil || (s.dialect == SQLite && !strings.Contains(err.Error(), discovered[129].Tag)) {
			t.Errorf("a tag already taken: %v; want the run refused (on SQLite naming the tag)", err)
		}
		if got, err := column[int64](ctx, s, s.db, `SELECT id FROM assets WHERE origin = 'discovered'`); err != nil || len(got) != 0 {
			t.Fatalf("the failed run left %d discovered assets (%v)", len(got), err)
		}
		discovered, assign = plan(func(i int) string { return fmt.Sprintf("NET-%d", ids[i]) + "-d" })
		run = &CorrelationRun{Mode: "full", Records: n, Clusters: n}
		if err := s.ApplyCorrelation(ctx, actor, run, discovered, func() []Assignment { return assign }, nil, nil); err != nil {
			t.Fatal(err)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT a.asset_tag, a.hostname, a.mac, r.record_key FROM assets a JOIN source_records r ON r.asset_id = a.id WHERE a.origin = 'discovered' ORDER BY a.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := 0
		for rows.Next() {
			var tag, host, mac, key string
			if err := rows.Scan(&tag, &host, &mac, &key); err != nil {
				t.Fatal(err)
			}
			i := seen
			if tag != fmt.Sprintf("NET-%d-d", ids[i]) || host != key || key != fmt.Sprintf("dev-%d", i+1) || mac != fmt.Sprintf("00:11:22:33:%02x:%02x", (i+1)/256, (i+1)%256) {
				t.Errorf("asset %d: tag %s host %s mac %s holds record %s", i, tag, host, mac, key)
			}
			seen++
		}
		if seen != n {
			t.Errorf("%d assets hold a record, want %d", seen, n)
		}
	})
}
