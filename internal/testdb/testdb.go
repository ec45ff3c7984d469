// Package testdb gives tests a fresh database on every backend: a SQLite
// file in a temporary directory, and a new database on the real PostgreSQL
// server named by MEDSEC_TEST_POSTGRES (set by scripts/test.sh).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// EnvPostgres names the admin DSN of the PostgreSQL server used by tests.
const EnvPostgres = "MEDSEC_TEST_POSTGRES"

// Backend is one database to run a test against.
type Backend struct {
	Name string // "sqlite" or "postgres"
	DSN  string
}

// Each runs fn once per backend, as subtests named after the backend.
func Each(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// LockSQLite takes the write lock of the SQLite database at dsn (one that
// SQLite returned) on a connection of its own, as a long import does,
// until the returned release is called (or the test ends).
func LockSQLite(tb testing.TB, dsn string) (release func()) {
	tb.Helper()
	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		tb.Fatal(err)
	}
	c, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		tb.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			c.ExecContext(context.Background(), `ROLLBACK`)
			c.Close()
			db.Close()
		}
	}
	tb.Cleanup(release)
	return release
}

// SQLite returns the DSN of a new SQLite file removed when the test ends.
func SQLite(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "medsec.db")
}

// Postgres creates a new, empty database on the test server and drops it
// when the test ends. Without a server the test is skipped locally but
// fails under CI, so that CI can never pass by skipping the backend.
func Postgres(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s is not set: run scripts/test.sh, which starts PostgreSQL", EnvPostgres)
		}
		tb.Skipf("%s not set; scripts/test.sh runs this against a real PostgreSQL", EnvPostgres)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("open %s: %v", EnvPostgres, err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "medsec_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}
