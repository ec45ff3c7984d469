package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// CreateUser adds a local user with an already-hashed password.
func (s *Store) CreateUser(ctx context.Context, actor medsec.Actor, u *medsec.User, passwordHash string) error {
	if strings.TrimSpace(u.Name) == "" {
		return medsec.Errorf(medsec.EINVALID, "User name is required.")
	}
	if u.Role == medsec.RoleProvider && u.PartyID == 0 {
		return medsec.Errorf(medsec.EINVALID, "A provider user must belong to a provider party (--party).")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return medsec.Errorf(medsec.ECONFLICT, "User %q already exists.", u.Name)
		}
		u.CreatedAt = s.Now()
		id, err := s.insertID(ctx, tx, `INSERT INTO users (name, role, party_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Name, string(u.Role), nullInt(u.PartyID), passwordHash, fmtTime(u.CreatedAt))
		if err != nil {
			return err
		}
		u.ID = id
		return s.audit(ctx, tx, actor, "create", "user", id, nil, u)
	})
}

const userColumns = `u.id, u.name, u.role, COALESCE(u.party_id, 0), COALESCE(p.name, ''), u.created_at, u.disabled`

func scanUser(sc interface{ Scan(...any) error }) (*medsec.User, error) {
	var u medsec.User
	var role, created string
	var disabled int
	if err := sc.Scan(&u.ID, &u.Name, &role, &u.PartyID, &u.PartyName, &created, &disabled); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt, u.Disabled = medsec.Role(role), parseTime(created), disabled != 0
	return &u, nil
}

// UserByName returns a user and its password hash.
func (s *Store) UserByName(ctx context.Context, name string) (*medsec.User, string, error) {
	row := s.queryRow(ctx, s.db, `SELECT `+userColumns+`, u.password_hash FROM users u LEFT JOIN parties p ON p.id = u.party_id WHERE u.name = ?`, name)
	var u medsec.User
	var role, created, hash string
	var disabled int
	err := row.Scan(&u.ID, &u.Name, &role, &u.PartyID, &u.PartyName, &created, &disabled, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", medsec.Errorf(medsec.ENOTFOUND, "User %q not found.", name)
	} else if err != nil {
		return nil, "", err
	}
	u.Role, u.CreatedAt, u.Disabled = medsec.Role(role), parseTime(created), disabled != 0
	return &u, hash, nil
}

// Users lists every user.
func (s *Store) Users(ctx context.Context) ([]*medsec.User, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+userColumns+` FROM users u LEFT JOIN parties p ON p.id = u.party_id ORDER BY u.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*medsec.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, csrf string, expires time.Time) error {
	_, err := s.exec(ctx, s.db, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, csrf, s.now(), fmtTime(expires))
	return err
}

// Session is a logged-in browser.
type Session struct {
	User      *medsec.User
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionByHash returns a live session; an expired one gives EUNAUTHORIZED.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string) (*Session, error) {
	row := s.queryRow(ctx, s.db, `SELECT `+userColumns+`, se.csrf_token, se.created_at, se.expires_at
		FROM sessions se JOIN users u ON u.id = se.user_id LEFT JOIN parties p ON p.id = u.party_id WHERE se.token_hash = ?`, tokenHash)
	var u medsec.User
	var role, created, csrf, sc, se string
	var disabled int
	err := row.Scan(&u.ID, &u.Name, &role, &u.PartyID, &u.PartyName, &created, &disabled, &csrf, &sc, &se)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "Your session has ended; please log in again.")
	} else if err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt, u.Disabled = medsec.Role(role), parseTime(created), disabled != 0
	sess := &Session{User: &u, CSRF: csrf, CreatedAt: parseTime(sc), ExpiresAt: parseTime(se)}
	if !s.Now().Before(sess.ExpiresAt) || u.Disabled {
		s.DeleteSession(ctx, tokenHash)
		return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "Your session has expired; please log in again.")
	}
	return sess, nil
}

// ExtendSession moves a session's expiry (sliding idle timeout). It does
// not wait for the write lock: while an import holds it, it returns a busy
// error at once and the next request tries again.
func (s *Store) ExtendSession(ctx context.Context, tokenHash string, expires time.Time) error {
	return s.tryExec(ctx, `UPDATE sessions SET expires_at = ? WHERE token_hash = ?`, fmtTime(expires), tokenHash)
}

// DeleteSession logs a browser out.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, s.db, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// CreateToken stores an API token under its hash.
func (s *Store) CreateToken(ctx context.Context, actor medsec.Actor, userID int64, name, tokenHash string) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`, userID, name, tokenHash, s.now())
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "create", "api_token", id, nil, map[string]any{"user_id": userID, "name": name})
	})
	return id, err
}

// UserByToken resolves an API token.
func (s *Store) UserByToken(ctx context.Context, tokenHash string) (*medsec.User, error) {
	u, err := scanUser(s.queryRow(ctx, s.db, `SELECT `+userColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		LEFT JOIN parties p ON p.id = u.party_id WHERE t.token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "Invalid API token.")
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, medsec.Errorf(medsec.EUNAUTHORIZED, "The token's user is disabled.")
	}
	s.tryExec(ctx, `UPDATE api_tokens SET last_used = ? WHERE token_hash = ?`, s.now(), tokenHash) // best effort: skipped while an import holds the database
	return u, nil
}

// RecordLogin notes a login attempt, for throttling and the audit.
func (s *Store) RecordLogin(ctx context.Context, name, ip string, ok bool) error {
	okInt := 0
	if ok {
		okInt = 1
	}
	_, err := s.exec(ctx, s.db, `INSERT INTO login_attempts (name, ip, at, ok) VALUES (?, ?, ?, ?)`, name, ip, s.now(), okInt)
	return err
}

// FailedLogins counts failed attempts for a name and for an address since t.
// Kept in the database so that throttling holds across instances.
func (s *Store) FailedLogins(ctx context.Context, name, ip string, since time.Time) (byName, byIP int, err error) {
	st := fmtTime(since)
	if err = s.queryRow(ctx, s.db, `SELECT count(*) FROM login_attempts WHERE name = ? AND at >= ? AND ok = 0`, name, st).Scan(&byName); err != nil {
		return
	}
	err = s.queryRow(ctx, s.db, `SELECT count(*) FROM login_attempts WHERE ip = ? AND at >= ? AND ok = 0`, ip, st).Scan(&byIP)
	return
}

// SetPassword replaces a user's password hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, actor medsec.Actor, userID int64, passwordHash string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, userID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "update", "user", userID, nil, map[string]string{"password": "changed"})
	})
}

// DeleteUser removes a user with its sessions and API tokens.
func (s *Store) DeleteUser(ctx context.Context, actor medsec.Actor, userID int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(s.queryRow(ctx, tx, `SELECT `+userColumns+` FROM users u LEFT JOIN parties p ON p.id = u.party_id WHERE u.id = ?`, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return medsec.Errorf(medsec.ENOTFOUND, "User %d not found.", userID)
		} else if err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = ?`, `DELETE FROM api_tokens WHERE user_id = ?`, `DELETE FROM users WHERE id = ?`} {
			if _, err := s.exec(ctx, tx, q, userID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "delete", "user", userID, u, nil)
	})
}
