package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/medsec/medsec"
)

// KEVRow is one CISA Known Exploited Vulnerabilities entry.
type KEVRow struct {
	CVE            string `json:"cve"`
	VendorProject  string `json:"vendor_project"`
	Product        string `json:"product"`
	Name           string `json:"name"`
	DateAdded      string `json:"date_added"`
	DueDate        string `json:"due_date"`
	Ransomware     string `json:"known_ransomware"`
	RequiredAction string `json:"required_action"`
}

// ReplaceKEV replaces the KEV catalog with a new version in one
// transaction: the catalog is published whole, so the newest one is the truth.
func (s *Store) ReplaceKEV(ctx context.Context, actor medsec.Actor, version string, rows []KEVRow) (before int, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM kev`).Scan(&before); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM kev`); err != nil {
			return err
		}
		for len(rows) > 0 {
			n := min(len(rows), 100)
			args := make([]any, 0, n*9)
			for _, r := range rows[:n] {
				args = append(args, strings.ToUpper(r.CVE), r.VendorProject, r.Product, r.Name, r.DateAdded, r.DueDate, r.Ransomware, r.RequiredAction, version)
			}
			q := `INSERT INTO kev (cve, vendor_project, product, name, date_added, due_date, ransomware, required_action, catalog_version) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",") + ` ON CONFLICT (cve) DO NOTHING`
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
		var after int
		if err := s.queryRow(ctx, tx, `SELECT count(*) FROM kev`).Scan(&after); err != nil {
			return err
		}
		return s.auditKey(ctx, tx, actor, "import", "kev", version, map[string]int{"entries": before}, map[string]any{"entries": after, "catalog_version": version})
	})
	return before, err
}

// KEV lists the catalog entries (for matching and display).
func (s *Store) KEV(ctx context.Context) ([]KEVRow, error) {
	rows, err := s.query(ctx, s.db, `SELECT cve, vendor_project, product, name, date_added, due_date, ransomware, required_action FROM kev ORDER BY cve`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KEVRow
	for rows.Next() {
		var r KEVRow
		if err := rows.Scan(&r.CVE, &r.VendorProject, &r.Product, &r.Name, &r.DateAdded, &r.DueDate, &r.Ransomware, &r.RequiredAction); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// EPSSRow is one FIRST EPSS score.
type EPSSRow struct {
	CVE        string
	Score      float64
	Percentile float64
}

// SaveEPSS streams scores into the store: each calls add for every score
// it reads and returns the file's score date and model. Scores of older
// dates for the same CVE are replaced; the whole file lands or none of it.
func (s *Store) SaveEPSS(ctx context.Context, actor medsec.Actor, each func(add func(EPSSRow) error) (scoreDate, model string, err error)) (n int, err error) {
	err = s.withBulkTx(ctx, func(tx *sql.Tx) error {
		var buf []EPSSRow
		flush := func() error {
			if len(buf) == 0 {
				return nil
			}
			args := make([]any, 0, len(buf)*5)
			for _, r := range buf {
				args = append(args, strings.ToUpper(r.CVE), r.Score, r.Percentile, "", "")
			}
			q := `INSERT INTO epss (cve, score, percentile, score_date, model) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?),", len(buf)), ",") +
				` ON CONFLICT (cve) DO UPDATE SET score = excluded.score, percentile = excluded.percentile, score_date = excluded.score_date, model = excluded.model`
			_, err := s.exec(ctx, tx, q, args...)
			buf = buf[:0]
			return err
		}
		date, model, err := each(func(r EPSSRow) error {
			buf = append(buf, r)
			n++
			if len(buf) == 150 {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `UPDATE epss SET score_date = ?, model = ? WHERE score_date = ''`, date, model); err != nil {
			return err
		}
		return s.auditKey(ctx, tx, actor, "import", "epss", date, nil, map[string]any{"scores": n, "score_date": date, "model": model})
	})
	return n, err
}

// NVDRow is one NVD CVE record as stored.
type NVDRow struct {
	CVE, Published, LastModified, Vector, Description string
	Score                                             float64
	Raw                                               []byte
}

// SaveNVD upserts NVD records in batches inside one transaction; each calls
// add per record so large feeds stream.
func (s *Store) SaveNVD(ctx context.Context, actor medsec.Actor, source string, each func(add func(NVDRow) error) error) (n int, err error) {
	err = s.withBulkTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var buf []NVDRow
		flush := func() error {
			if len(buf) == 0 {
				return nil
			}
			args := make([]any, 0, len(buf)*8)
			for _, r := range buf {
				args = append(args, r.CVE, r.Published, r.LastModified, r.Vector, r.Score, r.Description, string(r.Raw), now)
			}
			q := `INSERT INTO nvd_cves (cve, published, last_modified, cvss_vector, cvss_score, description, raw, imported_at) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?),", len(buf)), ",") +
				` ON CONFLICT (cve) DO UPDATE SET published = excluded.published, last_modified = excluded.last_modified, cvss_vector = excluded.cvss_vector,
				cvss_score = excluded.cvss_score, description = excluded.description, raw = excluded.raw, imported_at = excluded.imported_at`
			_, err := s.exec(ctx, tx, q, args...)
			buf = buf[:0]
			return err
		}
		if err := each(func(r NVDRow) error {
			buf = append(buf, r)
			n++
			if len(buf) == 100 {
				return flush()
			}
			return nil
		}); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		return s.auditKey(ctx, tx, actor, "import", "nvd", source, nil, map[string]any{"records": n, "file": source})
	})
	return n, err
}

// EachNVD streams the stored NVD records' raw JSON.
func (s *Store) EachNVD(ctx context.Context, fn func(cve string, raw []byte) error) error {
	rows, err := s.query(ctx, s.db, `SELECT cve, raw FROM nvd_cves ORDER BY cve`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		if err := fn(id, []byte(raw)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// IntelCounts says how much intelligence is loaded, for the UI.
type IntelCounts struct {
	Advisories int    `json:"advisories"`
	NVD        int    `json:"nvd_cves"`
	KEV        int    `json:"kev_entries"`
	EPSS       int    `json:"epss_scores"`
	EPSSDate   string `json:"epss_score_date"`
	SBOMs      int    `json:"sboms"`
	MDS2       int    `json:"mds2_forms"`
}

// Intel counts the loaded intelligence.
func (s *Store) Intel(ctx context.Context) (IntelCounts, error) {
	var c IntelCounts
	err := s.queryRow(ctx, s.db, `SELECT (SELECT count(*) FROM advisories), (SELECT count(*) FROM nvd_cves), (SELECT count(*) FROM kev),
		(SELECT count(*) FROM epss), (SELECT COALESCE(max(score_date), '') FROM epss), (SELECT count(*) FROM sboms), (SELECT count(*) FROM mds2_forms)`).
		Scan(&c.Advisories, &c.NVD, &c.KEV, &c.EPSS, &c.EPSSDate, &c.SBOMs, &c.MDS2)
	return c, err
}
