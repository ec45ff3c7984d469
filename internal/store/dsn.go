package store

import (
	"net/url"
	"os"
	"strings"

	"github.com/medsec/medsec"
)

// Dialect names a backend.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ParseDSN tells the backend from a DSN: a file path or sqlite:PATH is
// SQLite, postgres:// or postgresql:// is PostgreSQL. It returns the string
// to hand to the driver.
func ParseDSN(dsn string) (Dialect, string, error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case dsn == "":
		return "", "", medsec.Errorf(medsec.EINVALID, "Database DSN is empty; give a file path, sqlite:PATH or postgres://user@host/db.")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", medsec.Errorf(medsec.EINVALID, "Malformed PostgreSQL DSN: %v.", redactURLError(err))
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return "", "", medsec.Errorf(medsec.EINVALID, "Malformed PostgreSQL DSN: no host in %q.", Redact(dsn))
		}
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return "", "", medsec.Errorf(medsec.EINVALID, "Malformed SQLite DSN %q: no file path.", dsn)
		}
		return SQLite, path, nil
	case strings.Contains(dsn, "://"):
		scheme := dsn[:strings.Index(dsn, "://")]
		return "", "", medsec.Errorf(medsec.EINVALID, "Unsupported database %q: use a file path, sqlite:PATH or postgres://.", scheme)
	default:
		return SQLite, dsn, nil
	}
}

// Redact hides the password in a DSN, for logs and error messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func redactURLError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// checkSQLiteFile reports whether the file is new (missing or empty), and
// refuses an existing file without the SQLite header, so that a wrong --db
// path gets a clear message instead of a cryptic driver error or, worse,
// an overwritten file.
func checkSQLiteFile(path string) (fresh bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return true, nil
	} else if err != nil {
		return false, medsec.Errorf(medsec.EINVALID, "Cannot open database file %s: %v.", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return true, nil // an empty file becomes a new database
	}
	if string(head[:n]) != "SQLite format 3\x00" {
		return false, medsec.Errorf(medsec.EINVALID, "%s is not a SQLite database.", path)
	}
	return false, nil
}
