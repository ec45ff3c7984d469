package store

import (
	"context"
	"database/sql"
	"fmt"
)

// sameSnapshot begins k read-only transactions that all see one committed
// state of the database, so that goroutines can each read a part of a
// large table and the parts fit together. setup runs first, on a
// transaction of that same state, and says how many readers to begin (it
// sizes the parts).
//
// On SQLite a write transaction is held while the readers begin: no
// writer can commit until each reader has read once, which is when a
// WAL reader's snapshot is fixed. (A correlation run that starts during
// an import therefore waits for it, up to the busy timeout, instead of
// loading a state the import is about to change.) On PostgreSQL the
// readers import the first transaction's exported snapshot, as pg_dump's
// parallel workers do.
//
// The caller rolls back every returned transaction. k is at most
// maxSnapshotReaders, which leaves the SQLite pool (eight connections)
// room for the lead transaction and for other work.
const maxSnapshotReaders = 4

func (s *Store) sameSnapshot(ctx context.Context, setup func(tx *sql.Tx) (int, error)) ([]*sql.Tx, error) {
	var lead *sql.Tx
	var err error
	var snapshot string
	if s.dialect == SQLite {
		lead, err = s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (the DSN's _txlock)
	} else {
		lead, err = s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err == nil {
			err = lead.QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot)
		}
	}
	if err != nil {
		if lead != nil {
			lead.Rollback()
		}
		return nil, fmt.Errorf("begin snapshot: %w", err)
	}
	defer lead.Rollback()
	k, err := setup(lead)
	if err != nil {
		return nil, err
	}
	if k < 1 || k > maxSnapshotReaders {
		return nil, fmt.Errorf("begin snapshot: %d readers asked for, 1 to %d possible", k, maxSnapshotReaders)
	}
	txs := make([]*sql.Tx, 0, k)
	fail := func(err error) ([]*sql.Tx, error) {
		for _, tx := range txs {
			tx.Rollback()
		}
		return nil, fmt.Errorf("begin snapshot reader: %w", err)
	}
	for range k {
		var tx *sql.Tx
		if s.dialect == SQLite {
			tx, err = s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a deferred BEGIN
		} else {
			tx, err = s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		}
		if err != nil {
			return fail(err)
		}
		txs = append(txs, tx)
		if s.dialect == SQLite {
			var n int
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM import_batches LIMIT 1)`).Scan(&n)
		} else {
			_, err = tx.ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`)
		}
		if err != nil {
			return fail(err)
		}
	}
	return txs, nil
}
