package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/medsec/medsec"
)

// Flow is communications between two endpoints on one port and protocol,
// aggregated: a later issue measures lateral network access from these.
type Flow struct {
	Src, Dst    string
	DstPort     int
	Proto       string
	Service     string
	Conns       int64
	Bytes       int64
	First, Last string
}

// Software is what passive monitoring saw a host run.
type Software struct {
	IP, Name, Version, Type string
}

func (s *Store) newBatch(ctx context.Context, tx *sql.Tx, actor medsec.Actor, b *medsec.ImportBatch) error {
	b.StartedAt, b.Actor = s.Now(), actor.Name
	id, err := s.insertID(ctx, tx, `INSERT INTO import_batches (system, system_name, file_name, format, encoding, key_column, actor, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		b.System, b.SystemName, b.FileName, b.Format, b.Encoding, b.KeyColumn, actor.Name, fmtTime(b.StartedAt))
	b.ID = id
	return err
}

func (s *Store) finishBatch(ctx context.Context, tx *sql.Tx, actor medsec.Actor, b *medsec.ImportBatch) error {
	b.FinishedAt = s.Now()
	if _, err := s.exec(ctx, tx, `UPDATE import_batches SET finished_at = ?, rows_total = ?, rows_new = ?, rows_changed = ?, rows_unchanged = ? WHERE id = ?`,
		fmtTime(b.FinishedAt), b.Rows, b.New, b.Changed, b.Unchanged, b.ID); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "import", "import_batch", b.ID, nil, b)
}

// ImportFlows adds a conn log's aggregated flows to the stored ones: each
// log file adds its connections, so import each rotated log once.
func (s *Store) ImportFlows(ctx context.Context, actor medsec.Actor, b *medsec.ImportBatch, flows []Flow) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.newBatch(ctx, tx, actor, b); err != nil {
			return err
		}
		for len(flows) > 0 {
			n := min(len(flows), 300)
			args := make([]any, 0, n*10)
			for _, f := range flows[:n] {
				args = append(args, f.Src, f.Dst, f.DstPort, f.Proto, f.Service, f.Conns, f.Bytes, f.First, f.Last, b.ID)
			}
			q := `INSERT INTO flows (src, dst, dst_port, proto, service, conns, bytes, first_seen, last_seen, batch_id) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",") +
				` ON CONFLICT (src, dst, dst_port, proto) DO UPDATE SET conns = flows.conns + excluded.conns, bytes = flows.bytes + excluded.bytes,
				service = CASE WHEN excluded.service <> '' THEN excluded.service ELSE flows.service END,
				first_seen = CASE WHEN flows.first_seen = '' OR (excluded.first_seen <> '' AND excluded.first_seen < flows.first_seen) THEN excluded.first_seen ELSE flows.first_seen END,
				last_seen = CASE WHEN excluded.last_seen > flows.last_seen THEN excluded.last_seen ELSE flows.last_seen END, batch_id = excluded.batch_id`
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			b.New += n
			flows = flows[n:]
		}
		return s.finishBatch(ctx, tx, actor, b)
	})
}

// ImportSoftware records what each host runs on the Zeek presence records
// of that address, where correlation and the asset page can see it.
func (s *Store) ImportSoftware(ctx context.Context, actor medsec.Actor, b *medsec.ImportBatch, sw []Software) error {
	byIP := map[string][]string{}
	for _, x := range sw {
		v := strings.TrimSpace(x.Name + " " + x.Version)
		if x.IP != "" && v != "" {
			byIP[x.IP] = append(byIP[x.IP], v)
		}
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.newBatch(ctx, tx, actor, b); err != nil {
			return err
		}
		for ip, vs := range byIP {
			res, err := s.exec(ctx, tx, `UPDATE source_records SET firmware = ? WHERE system = 'zeek' AND ip = ?`, strings.Join(vs, "; "), ip)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				b.Changed += int(n)
			} else {
				b.Unchanged++
			}
		}
		return s.finishBatch(ctx, tx, actor, b)
	})
}

// FlowCount counts stored flows.
func (s *Store) FlowCount(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, s.db, `SELECT count(*) FROM flows`).Scan(&n)
	return n, err
}
