package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// maxSnapshotReaders leaves the SQLite pool (eight connections) room for
// the lead transaction of sameSnapshot and for other work.
const maxSnapshotReaders = 4

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
// The caller calls release when done with the transactions. k is at most
// maxSnapshotReaders.
//
// A SQLite reader reads on a connection of its own with a small page
// cache for the duration: it reads each page once, and the pool's usual
// 128 MiB cache, filled by a scan of a large table, would stay resident
// on every connection that did the reading.
func (s *Store) sameSnapshot(ctx context.Context, setup func(tx *sql.Tx) (int, error)) (txs []*sql.Tx, release func(), err error) {
	var lead *sql.Tx
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
		return nil, nil, Friendly(fmt.Errorf("begin snapshot: %w", err))
	}
	defer lead.Rollback()
	k, err := setup(lead)
	if err != nil {
		return nil, nil, err
	}
	if k < 1 || k > maxSnapshotReaders {
		return nil, nil, fmt.Errorf("begin snapshot: %d readers asked for, 1 to %d possible", k, maxSnapshotReaders)
	}
	var conns []*sql.Conn
	release = func() {
		for _, tx := range txs {
			tx.Rollback()
		}
		for _, c := range conns {
			if _, err := c.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+poolCache); err != nil {
				c.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool with a small cache
			}
			c.Close()
		}
	}
	for range k {
		var tx *sql.Tx
		if s.dialect == SQLite {
			var c *sql.Conn
			if c, err = s.db.Conn(ctx); err == nil {
				conns = append(conns, c)
				if _, err = c.ExecContext(ctx, `PRAGMA cache_size = -8192`); err == nil {
					tx, err = c.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a deferred BEGIN
				}
			}
		} else {
			tx, err = s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		}
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("begin snapshot reader: %w", err)
		}
		txs = append(txs, tx)
		if s.dialect == SQLite {
			var n int
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM import_batches LIMIT 1)`).Scan(&n)
		} else {
			_, err = tx.ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`)
		}
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("begin snapshot reader: %w", err)
		}
	}
	return txs, release, nil
}
