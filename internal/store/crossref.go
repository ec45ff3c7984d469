package store

import "context"

// CrossRef is one correlated asset as both systems know it.
type CrossRef struct {
	AssetID      int64
	EquipmentID  string // CMMS key
	Serial       string // CMMS serial as written
	SysID        string // CMDB key
	Hostname, IP string
	MAC          string
}

// EachCrossRef streams every CMMS asset correlated to at least one CMDB
// record, with the CMDB record's identity (the oldest, if several), and the
// network identity from monitoring where the CMDB lacks it.
func (s *Store) EachCrossRef(ctx context.Context, fn func(CrossRef) error) error {
	rows, err := s.query(ctx, s.db, `SELECT a.id, c.record_key, a.serial, d.record_key,
		COALESCE(NULLIF(d.hostname_norm, ''), NULLIF(a.hostname_norm, ''), ''), COALESCE(NULLIF(d.ip, ''), NULLIF(m.ip, ''), a.ip),
		COALESCE(NULLIF(d.mac, ''), NULLIF(m.mac, ''), a.mac)
		FROM assets a
		JOIN source_records c ON c.asset_id = a.id AND c.system = 'cmms' AND c.gone_batch_id IS NULL
		JOIN source_records d ON d.id = (SELECT min(x.id) FROM source_records x WHERE x.asset_id = a.id AND x.system = 'cmdb' AND x.gone_batch_id IS NULL)
		LEFT JOIN source_records m ON m.id = (SELECT min(y.id) FROM source_records y WHERE y.asset_id = a.id AND y.system IN ('monitoring', 'zeek') AND y.gone_batch_id IS NULL)
		WHERE a.origin = 'cmms'
		ORDER BY c.record_key`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x CrossRef
		if err := rows.Scan(&x.AssetID, &x.EquipmentID, &x.Serial, &x.SysID, &x.Hostname, &x.IP, &x.MAC); err != nil {
			return err
		}
		if err := fn(x); err != nil {
			return err
		}
	}
	return rows.Err()
}
