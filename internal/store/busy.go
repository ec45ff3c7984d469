package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"
	"time"

	"github.com/medsec/medsec"
	"modernc.org/sqlite"
)

// BusyTimeout is how long a SQLite write waits for another transaction's
// write lock before it gives up. An import of a large export holds the
// lock for as long as it runs (a minute at a million devices), so that
// it lands whole or not at all; changes made meanwhile wait this long and
// then fail with the busy message (EUNAVAILABLE, see Friendly). (A
// variable so tests need not wait.)
var BusyTimeout = 10 * time.Second

// busyMessage is what a user sees when a change could not wait.
const busyMessage = "The database is busy with a long write (an import or a correlation run) and this change could not wait for it. Nothing was changed; try again in a minute."

// IsBusy reports whether err is SQLite's "database is locked": another
// connection held the write lock for longer than BusyTimeout.
func IsBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code()&0xff == 5 || e.Code()&0xff == 6) // SQLITE_BUSY, SQLITE_LOCKED
}

// Friendly turns a busy database into an error a user can act on
// (EUNAVAILABLE) and leaves any other error as it is.
func Friendly(err error) error {
	if err != nil && IsBusy(err) && medsec.ErrorCode(err) == medsec.EINTERNAL {
		return medsec.Errorf(medsec.EUNAVAILABLE, busyMessage)
	}
	return err
}

// tryExec runs a write that is worth doing but not worth waiting for (the
// sliding expiry of a session, the last use of an API token): on SQLite,
// when another transaction holds the write lock it returns a busy error at
// once instead of after BusyTimeout, and the caller carries on. A request
// that only reads must not stall behind a long import for its bookkeeping.
func (s *Store) tryExec(ctx context.Context, query string, args ...any) error {
	if s.dialect != SQLite {
		_, err := s.exec(ctx, s.db, query, args...)
		return err
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return err
	}
	defer func() {
		if _, err := c.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = `+busyMillis()); err != nil {
			c.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool without its timeout
		}
	}()
	_, err = c.ExecContext(ctx, query, args...)
	return err
}

func busyMillis() string { return strconv.FormatInt(BusyTimeout.Milliseconds(), 10) }
