package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
)

// AdvisoryDoc is an advisory as loaded: identity and the document verbatim.
type AdvisoryDoc struct {
	AdvisoryID, Title, Publisher, TLP string
	Initial, Current                  time.Time
	Revision, File                    string
	Raw                               []byte
}

// SaveAdvisories stores advisories by id, replacing older revisions, in
// one transaction. It returns how many were new and how many changed.
func (s *Store) SaveAdvisories(ctx context.Context, actor medsec.Actor, docs []AdvisoryDoc) (added, changed int, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		for _, d := range docs {
			var raw string
			err := s.queryRow(ctx, tx, `SELECT raw FROM advisories WHERE advisory_id = ?`, d.AdvisoryID).Scan(&raw)
			switch {
			case err == sql.ErrNoRows:
				added++
			case err != nil:
				return err
			case raw == string(d.Raw):
				continue
			default:
				changed++
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO advisories (advisory_id, title, publisher, tlp, initial_release, current_release, revision, source_file, raw, imported_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (advisory_id) DO UPDATE SET title = excluded.title, publisher = excluded.publisher, tlp = excluded.tlp,
				initial_release = excluded.initial_release, current_release = excluded.current_release, revision = excluded.revision,
				source_file = excluded.source_file, raw = excluded.raw, imported_at = excluded.imported_at`,
				d.AdvisoryID, d.Title, d.Publisher, d.TLP, fmtTime(d.Initial), fmtTime(d.Current), d.Revision, d.File, string(d.Raw), s.now()); err != nil {
				return err
			}
		}
		return s.auditKey(ctx, tx, actor, "import", "advisories", "", nil, map[string]int{"documents": len(docs), "new": added, "changed": changed})
	})
	return added, changed, err
}

// EachAdvisory streams the stored advisories' documents.
func (s *Store) EachAdvisory(ctx context.Context, fn func(file string, raw []byte) error) error {
	rows, err := s.query(ctx, s.db, `SELECT source_file, raw FROM advisories ORDER BY advisory_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f, raw string
		if err := rows.Scan(&f, &raw); err != nil {
			return err
		}
		if err := fn(f, []byte(raw)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeviceGroup is one distinct make / model / firmware in the medical
// inventory, with its assets: advisories match groups, not a million rows.
type DeviceGroup struct {
	Key                              string
	Manufacturer, Model, ModelNumber string
	Firmware                         string
	Assets                           []int64
}

// DeviceGroups groups the medical assets by manufacturer, model and
// firmware. It reads only ids and firmware from the assets (no sort, no
// join) and names the groups from the small dimension tables, so that it
// stays a single scan at a million assets.
func (s *Store) DeviceGroups(ctx context.Context) ([]DeviceGroup, error) {
	mfr := map[int64]string{}
	type mdl struct{ name, number string }
	models := map[int64]mdl{}
	rows, err := s.query(ctx, s.db, `SELECT id, name FROM manufacturers`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		mfr[id] = n
	}
	rows.Close()
	if rows, err = s.query(ctx, s.db, `SELECT id, name, model_number FROM models`); err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var m mdl
		if err := rows.Scan(&id, &m.name, &m.number); err != nil {
			rows.Close()
			return nil, err
		}
		models[id] = m
	}
	rows.Close()
	type gk struct {
		mfr, model int64
		fw         string
	}
	idx := map[gk]int{}
	var out []DeviceGroup
	if rows, err = s.query(ctx, s.db, `SELECT COALESCE(manufacturer_id, 0), COALESCE(model_id, 0), firmware, id FROM assets WHERE kind = 'medical'`); err != nil {
		return nil, err
	}
	defer rows.Close()
	fws := map[string]string{}
	for rows.Next() {
		var k gk
		var id int64
		if err := rows.Scan(&k.mfr, &k.model, &k.fw, &id); err != nil {
			return nil, err
		}
		if f, ok := fws[k.fw]; ok {
			k.fw = f
		} else {
			fws[k.fw] = k.fw
		}
		i, ok := idx[k]
		if !ok {
			m := models[k.model]
			g := DeviceGroup{Manufacturer: mfr[k.mfr], Model: m.name, ModelNumber: m.number, Firmware: k.fw}
			g.Key = g.Manufacturer + "|" + g.Model + "|" + g.ModelNumber + "|" + g.Firmware
			i = len(out)
			idx[k] = i
			out = append(out, g)
		}
		out[i].Assets = append(out[i].Assets, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// AdvisorySummary is one stored advisory with what its findings add up to.
type AdvisorySummary struct {
	AdvisoryID string `json:"advisory_id"`
	Title      string `json:"title"`
	Publisher  string `json:"publisher"`
	Initial    string `json:"initial_release"`
	Current    string `json:"current_release"`
	Revision   string `json:"revision"`
	File       string `json:"source_file"`
	Findings   int    `json:"findings"`
	Assets     int    `json:"assets"`
	Uncertain  int    `json:"version_unknown"`
}

// Advisories lists stored advisories, newest release first, with counts of
// current findings and affected assets within the caller's scope. q filters
// by id or title (substring, any case).
func (s *Store) Advisories(ctx context.Context, scope int64, q string) ([]AdvisorySummary, error) {
	where, args, err := s.findingWhere(ctx, FindingFilter{Scope: scope})
	if err != nil {
		return nil, err
	}
	counts := map[string][3]int{}
	rows, err := s.query(ctx, s.db, `SELECT x.advisory_id, count(*), count(DISTINCT x.asset_id), sum(CASE WHEN x.version_certain = 0 THEN 1 ELSE 0 END)`+findingFrom+where+` GROUP BY x.advisory_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var c [3]int
		if err := rows.Scan(&id, &c[0], &c[1], &c[2]); err != nil {
			rows.Close()
			return nil, err
		}
		counts[id] = c
	}
	rows.Close()
	cond, cargs := "", []any{}
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		cond, cargs = ` WHERE lower(advisory_id) LIKE ? ESCAPE '\' OR lower(title) LIKE ? ESCAPE '\'`, []any{"%" + escapeLike(q) + "%", "%" + escapeLike(q) + "%"}
	}
	rows, err = s.query(ctx, s.db, `SELECT advisory_id, title, publisher, initial_release, current_release, revision, source_file FROM advisories`+cond+` ORDER BY current_release DESC, advisory_id`, cargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdvisorySummary
	for rows.Next() {
		var a AdvisorySummary
		if err := rows.Scan(&a.AdvisoryID, &a.Title, &a.Publisher, &a.Initial, &a.Current, &a.Revision, &a.File); err != nil {
			return nil, err
		}
		c := counts[a.AdvisoryID]
		a.Findings, a.Assets, a.Uncertain = c[0], c[1], c[2]
		out = append(out, a)
	}
	return out, rows.Err()
}

// AdvisoryRaw returns one stored advisory document verbatim.
func (s *Store) AdvisoryRaw(ctx context.Context, id string) (file string, raw []byte, err error) {
	var r string
	err = s.queryRow(ctx, s.db, `SELECT source_file, raw FROM advisories WHERE advisory_id = ?`, id).Scan(&file, &r)
	if err == sql.ErrNoRows {
		return "", nil, medsec.Errorf(medsec.ENOTFOUND, "Advisory %q not found.", id)
	}
	return file, []byte(r), err
}
