package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// bulkThreshold: an import into an assets table smaller than this is an
// initial load, and its secondary indexes are rebuilt after the rows are in.
// Building an index from sorted data is an order of magnitude cheaper than
// a million random inserts into twelve B-trees; for a small table the
// rebuild costs well under a second.
const bulkThreshold = 50000

// savedDDL is a dropped index or constraint and the statement that
// creates it again.
type savedDDL struct{ name, ddl string }

// dropSecondaryIndexes drops a table's indexes that back no constraint,
// inside the transaction, and returns what it takes to recreate them.
func (s *Store) dropSecondaryIndexes(ctx context.Context, tx *sql.Tx, table string) ([]savedDDL, error) {
	var q string
	if s.dialect == SQLite {
		q = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`
	} else {
		q = `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ? AND i.schemaname = current_schema()
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname`
	}
	rows, err := s.query(ctx, tx, q, table)
	if err != nil {
		return nil, err
	}
	var saved []savedDDL
	for rows.Next() {
		var ix savedDDL
		if err := rows.Scan(&ix.name, &ix.ddl); err != nil {
			rows.Close()
			return nil, err
		}
		saved = append(saved, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, ix := range saved {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(ix.name)); err != nil {
			return nil, err
		}
	}
	return saved, nil
}

// dropForeignKeys drops the foreign keys of PostgreSQL tables inside the
// transaction and returns the statements that add them back. PostgreSQL
// checks each key of each row as it is written; adding a key back checks
// the whole table in one join (its guide to populating a database says
// as much). On SQLite it does nothing: imports there leave the checks off
// (withImportTx) and correlation runs keep them.
func (s *Store) dropForeignKeys(ctx context.Context, tx *sql.Tx, tables ...string) ([]savedDDL, error) {
	if s.dialect != Postgres {
		return nil, nil
	}
	var saved []savedDDL
	for _, table := range tables {
		rows, err := s.query(ctx, tx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname`, table)
		if err != nil {
			return nil, err
		}
		var fks []savedDDL
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nil, err
			}
			fks = append(fks, savedDDL{name, `ALTER TABLE ` + quoteIdent(table) + ` ADD CONSTRAINT ` + quoteIdent(name) + ` ` + def})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, fk := range fks {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(table)+` DROP CONSTRAINT `+quoteIdent(fk.name)); err != nil {
				return nil, err
			}
		}
		saved = append(saved, fks...)
	}
	return saved, nil
}

// dropIndexes drops the named indexes inside the transaction and returns
// what it takes to recreate them; names it does not find are skipped.
func (s *Store) dropIndexes(ctx context.Context, tx *sql.Tx, names ...string) ([]savedDDL, error) {
	q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL`
	if s.dialect == Postgres {
		q = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
	}
	var saved []savedDDL
	for _, name := range names {
		var ddl string
		err := s.queryRow(ctx, tx, q, name).Scan(&ddl)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(name)); err != nil {
			return nil, err
		}
		saved = append(saved, savedDDL{name, ddl})
	}
	return saved, nil
}

// recreate runs the saved statements in order (indexes before the keys
// that use them).
func (s *Store) recreate(ctx context.Context, tx *sql.Tx, saved []savedDDL) error {
	for _, ix := range saved {
		if _, err := tx.ExecContext(ctx, ix.ddl); err != nil {
			return err
		}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// isInitialLoad reports whether the assets table is small enough that an
// import into it should rebuild its indexes afterwards.
func (s *Store) isInitialLoad(ctx context.Context, tx *sql.Tx) (bool, error) {
	var n int
	err := s.queryRow(ctx, tx, `SELECT count(*) FROM (SELECT 1 FROM assets LIMIT ?) t`, bulkThreshold).Scan(&n)
	return n < bulkThreshold, err
}

// withBulkTx runs a large write transaction. On SQLite it gets its own
// connection with a 512 MiB page cache for the duration, so that the batch's
// pages are not spilled to the WAL and read back through the WAL index
// (which grows with the transaction); the connection's usual cache is
// restored before it goes back to the pool.
func (s *Store) withBulkTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.bulkTx(ctx, bulkOptions{}, fn)
}

// withImportTx is withBulkTx for an import, which on SQLite also leaves
// foreign keys unchecked for the transaction. An import writes only ids it
// has read or created inside that same transaction (the dimension ids it
// loaded, asset and record ids from LastInsertId, its own batch id) and
// deletes nothing, so the check cannot fail; it cost seven parent lookups
// per CMMS row, 6.5 s of a 1M-row import. PostgreSQL keeps checking, and
// tests run SQLite's foreign_key_check after imports and correlation runs.
func (s *Store) withImportTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.bulkTx(ctx, bulkOptions{noFK: true, tempFile: true}, fn)
}

// withCorrelationTx is withBulkTx for a correlation run's write, which on
// SQLite leaves foreign keys unchecked too. The run writes asset ids it
// created in the transaction or read there (discovered assets), or those
// of CMMS assets, which nothing deletes; it deletes only discovered assets
// that no row names, checked in the DELETE itself against source records
// and every table that references assets (assetReferences, which a test
// holds to the schema), so no check or cascade could fire. With the checks
// on, each multi-row UPDATE of records' assets also copied its pages into
// a statement journal first: records and links took 6.4/7.2 s vs 8.9/10.0 s
// at 1M devices (paired runs).
func (s *Store) withCorrelationTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.bulkTx(ctx, bulkOptions{noFK: true}, fn)
}

// bulkOptions set up a bulk transaction's SQLite connection.
type bulkOptions struct {
	noFK     bool // foreign_keys = OFF
	tempFile bool // temp_store = FILE (see bulkTx)
}

func (s *Store) bulkTx(ctx context.Context, opt bulkOptions, fn func(tx *sql.Tx) error) error {
	if s.dialect != SQLite {
		return s.withTx(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	setup, restore := `PRAGMA cache_size = -524288`, `PRAGMA cache_size = `+poolCache
	if opt.noFK {
		setup, restore = setup+`; PRAGMA foreign_keys = OFF`, restore+`; PRAGMA foreign_keys = ON`
	}
	if opt.tempFile {
		// An import builds indexes (a first load rebuilds the asset
		// indexes); CREATE INDEX's sorter packs its keys into one buffer
		// with temp_store = FILE, where with MEMORY it allocates each on
		// its own. The eleven indexes of 1M CMMS assets took 13.6/16.0/
		// 13.8 s vs 16.6/17.0/18.4 s (isolated, paired runs). A correlation
		// run keeps MEMORY: with FILE its four index rebuilds gained ~1.6 s
		// but writing records and links lost 1-5 s (four paired runs), and
		// with its foreign keys unchecked FILE gained nothing clear (two).
		setup, restore = setup+`; PRAGMA temp_store = FILE`, restore+`; PRAGMA temp_store = MEMORY`
	}
	if _, err := conn.ExecContext(ctx, setup); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), restore); err != nil {
			// Never hand a connection without its foreign keys back to the pool.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return Friendly(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Analyze refreshes the planner's statistics after a large change, so that
// the asset list keeps choosing its indexes well (without them SQLite
// cannot tell that nearly every asset is medical). A sampled analysis
// (analysis_limit) got exactly that wrong, so the assets table is analysed
// in full; the other tables are small or read by key.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect == SQLite {
		_, err := s.db.ExecContext(ctx, `ANALYZE assets; ANALYZE models; ANALYZE manufacturers; ANALYZE modalities`)
		return err
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE assets; ANALYZE source_records; ANALYZE models; ANALYZE manufacturers`)
	return err
}

// analyzeRecords refreshes statistics after an import that added source
// records but no assets (the CMDB, monitoring). SQLite reads source
// records only by key, id or asset and keeps no statistics on them, so
// there it does nothing: re-analysing a million unchanged assets after
// every network import cost seconds.
func (s *Store) analyzeRecords(ctx context.Context) error {
	if s.dialect == SQLite {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE source_records`)
	return err
}

// ForeignKeyProblems lists the references that do not hold, as
// "table row N -> parent". Imports write without SQLite's per-row checks;
// tests call this after imports and correlation runs. PostgreSQL always
// checks, so there the list is empty.
func (s *Store) ForeignKeyProblems(ctx context.Context) ([]string, error) {
	if s.dialect != SQLite {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s row %d -> %s", table, rowid.Int64, parent))
	}
	return out, rows.Err()
}
