package store

import (
	"context"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/testdb"
)

// While an import holds the database, a session's sliding expiry is not
// worth waiting for: ExtendSession says busy at once (well inside the
// ten-second wait a change gets) and leaves the session as it was; the
// next request extends it. A change that must be made fails with a
// message the user can act on.
func TestBusy_BookkeepingDoesNotWaitAndChangesSaySo(t *testing.T) {
	dsn := testdb.SQLite(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := &medsec.User{Name: "reviewer", Role: medsec.RoleHTM}
	if err := s.CreateUser(ctx, medsec.System, u, "x"); err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
	if err := s.CreateSession(ctx, "h1", u.ID, "csrf", before); err != nil {
		t.Fatal(err)
	}
	release := testdb.LockSQLite(t, dsn)
	done := make(chan error, 1)
	go func() { done <- s.ExtendSession(ctx, "h1", before.Add(time.Hour)) }()
	select {
	case err := <-done:
		if !IsBusy(err) {
			t.Errorf("ExtendSession under a held lock: %v, want busy", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ExtendSession waited for the write lock")
	}
	if sess, err := s.SessionByHash(ctx, "h1"); err != nil || !sess.ExpiresAt.Equal(before) {
		t.Errorf("session after a skipped extension: %+v %v, want it to expire at %s", sess, err, before)
	}
	release()
	if err := s.ExtendSession(ctx, "h1", before.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if sess, _ := s.SessionByHash(ctx, "h1"); !sess.ExpiresAt.Equal(before.Add(time.Hour)) {
		t.Errorf("session after the lock went: expires %s, want %s", sess.ExpiresAt, before.Add(time.Hour))
	}

	// A change waits BusyTimeout, then says why it failed.
	defer func(d time.Duration) { BusyTimeout = d }(BusyTimeout)
	BusyTimeout = 200 * time.Millisecond
	s2, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	release = testdb.LockSQLite(t, dsn)
	defer release()
	err = s2.CreateUser(ctx, medsec.System, &medsec.User{Name: "late", Role: medsec.RoleHTM}, "x")
	if medsec.ErrorCode(err) != medsec.EUNAVAILABLE || medsec.ErrorMessage(err) != busyMessage {
		t.Errorf("a change under a held lock: %q (%s), want EUNAVAILABLE: %q", medsec.ErrorMessage(err), medsec.ErrorCode(err), busyMessage)
	}
}
