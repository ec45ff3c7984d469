package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
)

// FindingDef is what one match run says about one make / model / firmware
// group and one vulnerability: the evidence once, and the assets it holds
// for.
type FindingDef struct {
	GroupKey        string
	AdvisoryID      string
	CVE             string
	ProductID       string
	MatchConfidence float64
	VersionCertain  bool
	Evidence        json.RawMessage
	Assets          []int64
}

// SyncResult says what a sync changed.
type SyncResult struct {
	New, Gone, Back, Kept int
}

type findingKey struct {
	asset              int64
	advisory, cve, pid string
}

type existingFinding struct {
	id    int64
	def   int64
	gone  bool
	valid bool
}

// bulkFindings is the number of new finding rows above which the findings
// table's secondary indexes are rebuilt after the insert rather than kept up
// to date row by row.
const bulkFindings = 100000

// SyncFindings makes the stored findings of one source what a match run
// produced, writing only the difference: new asset × vulnerability rows are
// inserted, rows the run no longer produced are marked gone (never deleted:
// a person's decision on them stays), rows that come back are un-gone, and
// the evidence is kept once per group in finding_defs. Rows already known
// keep their status. The whole sync is one transaction.
func (s *Store) SyncFindings(ctx context.Context, actor medsec.Actor, source string, defs []FindingDef) (res SyncResult, err error) {
	err = s.withBulkTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		defIDs, changed, err := s.syncDefs(ctx, tx, source, defs, now)
		if err != nil {
			return err
		}
		existing := map[findingKey]*existingFinding{}
		rows, err := s.query(ctx, tx, `SELECT id, asset_id, advisory_id, cve, product_id, COALESCE(def_id, 0), gone_at FROM findings WHERE source = ?`, source)
		if err != nil {
			return err
		}
		intern := map[string]string{}
		in := func(s string) string {
			if v, ok := intern[s]; ok {
				return v
			}
			intern[s] = s
			return s
		}
		for rows.Next() {
			var k findingKey
			var e existingFinding
			var gone string
			if err := rows.Scan(&e.id, &k.asset, &k.advisory, &k.cve, &k.pid, &e.def, &gone); err != nil {
				rows.Close()
				return err
			}
			k.advisory, k.cve, k.pid = in(k.advisory), in(k.cve), in(k.pid)
			e.gone = gone != ""
			existing[k] = &e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		type newRow struct {
			d     *FindingDef
			def   int64
			asset int64
		}
		var inserts []newRow
		var back, redef []int64
		var redefTo []int64
		for i := range defs {
			d := &defs[i]
			id := defIDs[i]
			for _, a := range d.Assets {
				k := findingKey{a, d.AdvisoryID, d.CVE, d.ProductID}
				e, ok := existing[k]
				switch {
				case !ok:
					inserts = append(inserts, newRow{d, id, a})
					existing[k] = &existingFinding{valid: true}
				case e.valid:
					// the same asset twice in one run (two groups): keep one
				default:
					e.valid = true
					if e.gone {
						back = append(back, e.id)
					}
					if e.def != id {
						redef, redefTo = append(redef, e.id), append(redefTo, id)
					}
				}
			}
		}
		var gone []int64
		for _, e := range existing {
			if !e.valid && !e.gone && e.id != 0 {
				gone = append(gone, e.id)
			}
		}
		// Rows go in in the order of the unique index, so that its B-tree
		// grows at the end instead of splitting pages all over.
		sort.Slice(inserts, func(i, j int) bool {
			a, b := inserts[i], inserts[j]
			if a.asset != b.asset {
				return a.asset < b.asset
			}
			if a.d.AdvisoryID != b.d.AdvisoryID {
				return a.d.AdvisoryID < b.d.AdvisoryID
			}
			if a.d.CVE != b.d.CVE {
				return a.d.CVE < b.d.CVE
			}
			return a.d.ProductID < b.d.ProductID
		})
		var saved []savedDDL
		if len(inserts) > bulkFindings {
			if saved, err = s.dropSecondaryIndexes(ctx, tx, "findings"); err != nil {
				return err
			}
		}
		// One prepared statement for the full batches: parsing a 400-row
		// INSERT each time cost more than executing it.
		const batch = 400
		insertSQL := func(n int) string {
			return `INSERT INTO findings (asset_id, advisory_id, cve, product_id, source, match_confidence, version_certain, def_id, first_seen, last_seen, evidence) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ''),", n), ",")
		}
		var full *sql.Stmt
		if len(inserts) >= batch {
			if full, err = tx.PrepareContext(ctx, s.rebind(insertSQL(batch))); err != nil {
				return err
			}
			defer full.Close()
		}
		args := make([]any, 0, batch*10)
		for len(inserts) > 0 {
			n := min(len(inserts), batch)
			args = args[:0]
			for _, r := range inserts[:n] {
				vc := 0
				if r.d.VersionCertain {
					vc = 1
				}
				args = append(args, r.asset, r.d.AdvisoryID, r.d.CVE, r.d.ProductID, source, r.d.MatchConfidence, vc, r.def, now, now)
			}
			if n == batch {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = s.exec(ctx, tx, insertSQL(n), args...)
			}
			if err != nil {
				return err
			}
			res.New += n
			inserts = inserts[n:]
		}
		if err := s.recreate(ctx, tx, saved); err != nil {
			return err
		}
		if err := s.updateIDs(ctx, tx, `UPDATE findings SET gone_at = ? WHERE id IN (%s)`, []any{now}, gone); err != nil {
			return err
		}
		if err := s.updateIDs(ctx, tx, `UPDATE findings SET gone_at = '' WHERE id IN (%s)`, nil, back); err != nil {
			return err
		}
		for i, id := range redef {
			if _, err := s.exec(ctx, tx, `UPDATE findings SET def_id = ? WHERE id = ?`, redefTo[i], id); err != nil {
				return err
			}
		}
		// A def's confidence and certainty are copied onto its rows (lists
		// filter and sort by them); refresh the rows of defs that changed.
		if len(changed) > 0 {
			byDef := map[int64][]int64{}
			for _, e := range existing {
				if e.id != 0 {
					byDef[e.def] = append(byDef[e.def], e.id)
				}
			}
			for _, d := range changed {
				if err := s.updateIDs(ctx, tx, `UPDATE findings SET match_confidence = ?, version_certain = ? WHERE id IN (%s)`, []any{d.conf, d.vc}, byDef[d.id]); err != nil {
					return err
				}
			}
		}
		res.Gone, res.Back = len(gone), len(back)
		res.Kept = len(existing) - res.New - res.Gone
		return s.auditKey(ctx, tx, actor, "match", "findings", source, nil, map[string]int{"new": res.New, "gone": res.Gone, "back": res.Back, "groups": len(defs)})
	})
	return res, err
}

// syncDefs upserts the run's group-level findings and returns their ids in
// the order of defs.
type defChange struct {
	id   int64
	conf float64
	vc   int
}

func (s *Store) syncDefs(ctx context.Context, tx *sql.Tx, source string, defs []FindingDef, now string) ([]int64, []defChange, error) {
	type row struct {
		id   int64
		conf float64
		vc   bool
		ev   string
	}
	var changed []defChange
	known := map[string]row{}
	rows, err := s.query(ctx, tx, `SELECT id, group_key, advisory_id, cve, product_id, match_confidence, version_certain, evidence FROM finding_defs WHERE source = ?`, source)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var r row
		var g, a, c, p string
		var vc int
		if err := rows.Scan(&r.id, &g, &a, &c, &p, &r.conf, &vc, &r.ev); err != nil {
			rows.Close()
			return nil, nil, err
		}
		r.vc = vc != 0
		known[g+"\x00"+a+"\x00"+c+"\x00"+p] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(defs))
	for i := range defs {
		d := &defs[i]
		vc := 0
		if d.VersionCertain {
			vc = 1
		}
		k := d.GroupKey + "\x00" + d.AdvisoryID + "\x00" + d.CVE + "\x00" + d.ProductID
		r, ok := known[k]
		switch {
		case !ok:
			id, err := s.insertID(ctx, tx, `INSERT INTO finding_defs (source, group_key, advisory_id, cve, product_id, match_confidence, version_certain, evidence, first_seen, last_seen)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, source, d.GroupKey, d.AdvisoryID, d.CVE, d.ProductID, d.MatchConfidence, vc, string(d.Evidence), now, now)
			if err != nil {
				return nil, nil, err
			}
			ids[i] = id
			known[k] = row{id: id, conf: d.MatchConfidence, vc: d.VersionCertain, ev: string(d.Evidence)}
		default:
			ids[i] = r.id
			if r.conf != d.MatchConfidence || r.vc != d.VersionCertain {
				changed = append(changed, defChange{r.id, d.MatchConfidence, vc})
			}
			if _, err := s.exec(ctx, tx, `UPDATE finding_defs SET match_confidence = ?, version_certain = ?, evidence = ?, last_seen = ? WHERE id = ?`,
				d.MatchConfidence, vc, string(d.Evidence), now, r.id); err != nil {
				return nil, nil, err
			}
		}
	}
	return ids, changed, nil
}

// updateIDs runs an UPDATE whose WHERE is "id IN (%s)" over ids in batches.
func (s *Store) updateIDs(ctx context.Context, tx *sql.Tx, q string, pre []any, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var b strings.Builder
		for i, id := range ids[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
		if _, err := s.exec(ctx, tx, strings.Replace(q, "%s", b.String(), 1), pre...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}
