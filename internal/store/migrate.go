package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations
var migrationsFS embed.FS

// MigrationNames lists the migration files of a dialect, in order.
func MigrationNames(d Dialect) ([]string, error) {
	names, err := fs.Glob(migrationsFS, "migrations/"+string(d)+"/*.sql")
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = n[strings.LastIndex(n, "/")+1:]
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, so that a failed one leaves the database as it was.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return s.describeConnError(err)
	}
	names, err := MigrationNames(s.dialect)
	if err != nil {
		return err
	}
	applied := false
	for _, name := range names {
		did, err := s.migrateOne(ctx, name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		applied = applied || did
	}
	if applied {
		return s.Analyze(ctx) // new indexes need statistics before the planner trusts them
	}
	return nil
}

func (s *Store) migrateOne(ctx context.Context, name string) (bool, error) {
	applied := false
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return nil
		}
		applied = true
		body, err := migrationsFS.ReadFile("migrations/" + string(s.dialect) + "/" + name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, s.now())
		return err
	})
	return applied && err == nil, err
}
