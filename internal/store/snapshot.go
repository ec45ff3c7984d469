package store

import (
	"context"
	"database/sql"

	"github.com/medsec/medsec"
)

// SnapshotValue is one daily figure: a metric, split by a dimension (a
// risk tier, an SSVC decision; "" for the total).
type SnapshotValue struct {
	On        string  `json:"on"` // YYYY-MM-DD
	Metric    string  `json:"metric"`
	Dimension string  `json:"dimension"`
	Value     float64 `json:"value"`
}

// PutSnapshot writes the day's figures, replacing any taken earlier that
// day, so a ticker and a manual run never double count.
func (s *Store) PutSnapshot(ctx context.Context, actor medsec.Actor, on string, vals []SnapshotValue) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for _, v := range vals {
			if _, err := s.exec(ctx, tx, `INSERT INTO snapshots (taken_on, metric, dimension, value) VALUES (?, ?, ?, ?)
				ON CONFLICT (taken_on, metric, dimension) DO UPDATE SET value = excluded.value`, on, v.Metric, v.Dimension, v.Value); err != nil {
				return err
			}
		}
		return s.auditKey(ctx, tx, actor, "create", "snapshot", on, nil, map[string]int{"values": len(vals)})
	})
}

// Snapshots returns a metric's values from one date to another
// (inclusive), by date then dimension.
func (s *Store) Snapshots(ctx context.Context, metric, from, to string) ([]SnapshotValue, error) {
	rows, err := s.query(ctx, s.db, `SELECT taken_on, metric, dimension, value FROM snapshots WHERE metric = ? AND taken_on >= ? AND taken_on <= ? ORDER BY taken_on, dimension`, metric, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SnapshotValue
	for rows.Next() {
		var v SnapshotValue
		if err := rows.Scan(&v.On, &v.Metric, &v.Dimension, &v.Value); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
