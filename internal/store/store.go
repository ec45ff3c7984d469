// Package store keeps medsec's data in SQLite (the embedded default) or
// PostgreSQL (for multi-user, multi-instance deployments). One
// implementation serves both: queries are written with ? placeholders and
// rebound for PostgreSQL; the few statements that differ live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/medsec/medsec"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
)

// Store is the one way into the database.
type Store struct {
	db      *sql.DB
	dialect Dialect
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Open connects to the database named by dsn, checks that it is reachable
// and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// poolCache is the page cache of each pooled SQLite connection (PRAGMA
// cache_size: negative means KiB), 128 MiB.
const poolCache = "-131072"

// sqlitePageSize is the page size of a new SQLite database. Pages of
// 16 KiB rather than SQLite's 4 KiB: a bulk load or correlation run moves
// a quarter of the pages through the B-trees, the cache and the WAL, and a
// table's rows of ~100-250 bytes fill them as well. The 1M-device bench
// (import + correlate) used 8% less CPU (user+sys of the whole bench
// 323/337 s vs 370/356 s in two pairs), its correlation write 42/47 s of
// CPU vs 54/60 s, and peaked at 3.86 GB vs 4.04 GB. 8 KiB gained less,
// 32 and 64 KiB no more CPU than 4 KiB (imports slower).
const sqlitePageSize = 16384

// createSQLite creates a new database file with its page size. The size is
// fixed by the first write, and the driver's connection pragmas, applied in
// alphabetical order, would switch to WAL (a write) before setting it.
// An existing database keeps its page size.
func createSQLite(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "Cannot create database %s: %v.", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `PRAGMA page_size = `+strconv.Itoa(sqlitePageSize)+`; PRAGMA journal_mode = WAL`); err != nil {
		if dir := filepath.Dir(path); !isDir(dir) {
			return medsec.Errorf(medsec.EINVALID, "Cannot create database %s: the folder %s does not exist.", path, dir)
		}
		return medsec.Errorf(medsec.EINVALID, "Cannot create database %s: %v.", path, err)
	}
	return nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// Connect opens the database without migrating it.
func Connect(ctx context.Context, dsn string) (*Store, error) {
	dialect, target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	switch dialect {
	case SQLite:
		fresh, ferr := checkSQLiteFile(target)
		if ferr != nil {
			return nil, ferr
		}
		if fresh {
			if ferr := createSQLite(ctx, target); ferr != nil {
				return nil, ferr
			}
		}
		pragmas := "?_pragma=busy_timeout(" + busyMillis() + ")&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(" + poolCache + ")&_pragma=temp_store(MEMORY)&_txlock=immediate"
		db, err = sql.Open("sqlite", "file:"+target+pragmas)
		if err == nil {
			db.SetMaxOpenConns(8)
		}
	case Postgres:
		db, err = sql.Open("pgx", target)
		if err == nil {
			db.SetMaxOpenConns(16)
			db.SetConnMaxIdleTime(5 * time.Minute)
		}
	}
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "Cannot open database %s: %v.", Redact(dsn), err)
	}
	s := &Store{db: db, dialect: dialect, Now: func() time.Time { return time.Now().UTC() }}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Ping checks that the database answers, with a message a user can act on.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	if err == nil && s.dialect == SQLite {
		// Reading the schema fails on a file that is not a database.
		var n int
		err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
	}
	if err == nil {
		return nil
	}
	return s.describeConnError(err)
}

func (s *Store) describeConnError(err error) error {
	msg := err.Error()
	var ne net.Error
	switch {
	case s.dialect == SQLite && strings.Contains(msg, "not a database"):
		return medsec.Errorf(medsec.EINVALID, "The database file is not a SQLite database.")
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "connection refused"):
		return medsec.Errorf(medsec.EUNAVAILABLE, "Cannot reach the PostgreSQL server: connection refused (is it running?).")
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return medsec.Errorf(medsec.EUNAVAILABLE, "The database did not answer within 5 seconds.")
	case strings.Contains(msg, "password authentication failed"):
		return medsec.Errorf(medsec.EUNAVAILABLE, "PostgreSQL refused the login: password authentication failed.")
	case strings.Contains(msg, "does not exist"):
		return medsec.Errorf(medsec.EUNAVAILABLE, "PostgreSQL: %s.", lastClause(msg))
	}
	return medsec.Errorf(medsec.EUNAVAILABLE, "Database unreachable: %s.", lastClause(msg))
}

func lastClause(msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return strings.TrimSuffix(msg[i+2:], ".")
	}
	return msg
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Dialect tells which backend this store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the pool for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// rebind turns ? placeholders into $n for PostgreSQL. Queries in this
// package never contain a literal '?', so no quoting rules are needed.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, s.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, s.rebind(query), args...)
}

// column runs a query of one column and returns its values.
func column[T any](ctx context.Context, s *Store, q querier, query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, s.rebind(query), args...)
}

// insertID runs an INSERT ... RETURNING id.
func (s *Store) insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := s.queryRow(ctx, q, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// withTx runs fn in a transaction, committing if it returns nil.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Friendly(fmt.Errorf("begin: %w", err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// TimeFormat is how timestamps are stored: fixed width, so they sort as text.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeFormat)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

func (s *Store) now() string { return fmtTime(s.Now()) }

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}
