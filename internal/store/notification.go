package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/medsec/medsec"
)

// Notification is one piece of routed work shown to a party: in its queue
// (reason "accountable") or for its information ("informed").
type Notification struct {
	ID           int64  `json:"id"`
	At           string `json:"at"`
	Kind         string `json:"kind"`
	Ref          string `json:"ref"`
	Party        string `json:"party"`
	Reason       string `json:"reason"`
	Role         string `json:"role,omitempty"`
	ScopePartyID int64  `json:"scope_party_id,omitempty"`
	Title        string `json:"title"`
	Body         string `json:"body,omitempty"`
	Link         string `json:"link,omitempty"`
	EmailTo      string `json:"email_to,omitempty"`
	EmailedAt    string `json:"emailed_at,omitempty"`
	EmailError   string `json:"email_error,omitempty"`
	Read         bool   `json:"read"`
}

// AddNotification stores n unless the same work (kind, ref) was already
// notified to the same party for the same reason. It reports whether it
// was new, and sets n.ID and n.At when it was.
func (s *Store) AddNotification(ctx context.Context, actor medsec.Actor, n *Notification) (bool, error) {
	created := false
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		n.At = s.now()
		var scope any
		if n.ScopePartyID != 0 {
			scope = n.ScopePartyID
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO notifications (at, kind, ref, party, reason, role, scope_party_id, title, body, link, email_to)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref, party, reason) DO NOTHING`,
			n.At, n.Kind, n.Ref, n.Party, n.Reason, n.Role, scope, n.Title, n.Body, n.Link, n.EmailTo)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		n.ID, created = id, true
		return s.audit(ctx, tx, actor, "create", "notification", id, nil, n)
	})
	return created, err
}

// SetNotificationEmail records the outcome of mailing a notification.
func (s *Store) SetNotificationEmail(ctx context.Context, id int64, sendErr error) error {
	msg, at := "", s.now()
	if sendErr != nil {
		msg, at = sendErr.Error(), ""
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE notifications SET emailed_at = ?, email_error = ? WHERE id = ?`, at, msg, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, medsec.System, "update", "notification", id, nil, map[string]string{"emailed_at": at, "email_error": msg})
	})
}

// notificationFilter limits notifications to what a user may see: admins
// see all; others those addressed to their role, and providers only those
// of their own provider party.
func notificationFilter(u medsec.Actor) (string, []any) {
	if u.Role == medsec.RoleAdmin {
		return "1=1", nil
	}
	if u.Role.Scoped() {
		return "n.role = ? AND n.scope_party_id = ?", []any{string(u.Role), u.PartyID}
	}
	return "n.role = ?", []any{string(u.Role)}
}

// Notifications lists the newest notifications the user may see, with
// whether that user has read each; unreadOnly keeps only unread ones.
func (s *Store) Notifications(ctx context.Context, u medsec.Actor, unreadOnly bool, limit int) ([]Notification, error) {
	where, args := notificationFilter(u)
	if unreadOnly {
		where += " AND r.user_id IS NULL"
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	q := `SELECT n.id, n.at, n.kind, n.ref, n.party, n.reason, n.role, COALESCE(n.scope_party_id, 0), n.title, n.body, n.link, n.email_to, n.emailed_at, n.email_error,
		CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END
		FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ?
		WHERE ` + where + ` ORDER BY n.id DESC LIMIT ?`
	rows, err := s.query(ctx, s.db, q, append(append([]any{u.UserID}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var read int
		if err := rows.Scan(&n.ID, &n.At, &n.Kind, &n.Ref, &n.Party, &n.Reason, &n.Role, &n.ScopePartyID, &n.Title, &n.Body, &n.Link, &n.EmailTo, &n.EmailedAt, &n.EmailError, &read); err != nil {
			return nil, err
		}
		n.Read = read == 1
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts the user's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, u medsec.Actor) (int, error) {
	where, args := notificationFilter(u)
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM notifications n WHERE `+where+`
		AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ?)`, append(args, u.UserID)...).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks the given notifications (all the user may
// see, when ids is empty) as read by the user.
func (s *Store) MarkNotificationsRead(ctx context.Context, u medsec.Actor, ids []int64) (int, error) {
	where, args := notificationFilter(u)
	if len(ids) > 0 {
		where += " AND n.id IN (" + placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	marked := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO notification_reads (notification_id, user_id, read_at)
			SELECT n.id, ?, ? FROM notifications n WHERE `+where+`
			AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ?)`,
			append(append([]any{u.UserID, s.now()}, args...), u.UserID)...)
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		marked = int(k)
		if marked == 0 {
			return nil
		}
		idText := "all"
		if len(ids) > 0 {
			parts := make([]string, len(ids))
			for i, id := range ids {
				parts[i] = itoa(id)
			}
			idText = strings.Join(parts, ",")
		}
		return s.auditKey(ctx, tx, u, "update", "notification_reads", idText, nil, map[string]int{"marked_read": marked})
	})
	return marked, err
}
