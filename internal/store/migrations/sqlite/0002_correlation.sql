-- Correlation of CMMS, CMDB and monitoring records into one inventory.

-- The identity of each source record, normalised at import, so that the
-- correlation engine never re-parses raw rows.
ALTER TABLE source_records ADD COLUMN serial_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN mac TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN hostname_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN asset_tag TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN class TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN facility TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN firmware TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN first_seen TEXT NOT NULL DEFAULT '';
ALTER TABLE source_records ADD COLUMN last_seen TEXT NOT NULL DEFAULT '';
-- How the record was linked to its asset, and why.
ALTER TABLE source_records ADD COLUMN link_confidence REAL;
ALTER TABLE source_records ADD COLUMN link_evidence TEXT NOT NULL DEFAULT '';
CREATE INDEX source_records_system ON source_records(system, asset_id);

-- kind: medical, non_medical; origin: cmms (the system of record) or
-- discovered (seen only on the network or in the CMDB).
ALTER TABLE assets ADD COLUMN kind TEXT NOT NULL DEFAULT 'medical';
ALTER TABLE assets ADD COLUMN origin TEXT NOT NULL DEFAULT 'cmms';
CREATE INDEX assets_kind ON assets(kind, origin);

-- Rows refused by an import run with --skip-bad-rows, kept so nothing is lost.
CREATE TABLE rejected_rows (
	id       INTEGER PRIMARY KEY,
	batch_id INTEGER NOT NULL REFERENCES import_batches(id),
	row_num  INTEGER NOT NULL,
	col      TEXT NOT NULL DEFAULT '',
	problem  TEXT NOT NULL,
	raw      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rejected_rows_batch ON rejected_rows(batch_id);
ALTER TABLE import_batches ADD COLUMN rows_rejected INTEGER NOT NULL DEFAULT 0;

CREATE TABLE correlation_runs (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL,
	mode        TEXT NOT NULL,
	records     INTEGER NOT NULL DEFAULT 0,
	clusters    INTEGER NOT NULL DEFAULT 0,
	changed     INTEGER NOT NULL DEFAULT 0,
	review      INTEGER NOT NULL DEFAULT 0
);

-- A human's decision about two records; it outlives re-imports and re-runs
-- because source records keep their ids across imports of the same key.
CREATE TABLE link_decisions (
	id        INTEGER PRIMARY KEY,
	a_id      INTEGER NOT NULL REFERENCES source_records(id),
	b_id      INTEGER NOT NULL REFERENCES source_records(id),
	kind      TEXT NOT NULL CHECK (kind IN ('confirm','reject')),
	actor     TEXT NOT NULL,
	reason    TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL,
	UNIQUE (a_id, b_id)
);

CREATE TABLE review_queue (
	id         INTEGER PRIMARY KEY,
	run_id     INTEGER NOT NULL REFERENCES correlation_runs(id),
	a_id       INTEGER NOT NULL REFERENCES source_records(id),
	b_id       INTEGER NOT NULL REFERENCES source_records(id),
	weight     REAL NOT NULL,
	confidence REAL NOT NULL,
	evidence   TEXT NOT NULL,
	UNIQUE (a_id, b_id)
);

CREATE TABLE coverage_snapshots (
	id         INTEGER PRIMARY KEY,
	run_id     INTEGER NOT NULL REFERENCES correlation_runs(id),
	at         TEXT NOT NULL,
	facility   TEXT NOT NULL DEFAULT '',
	modality   TEXT NOT NULL DEFAULT '',
	in_scope   INTEGER NOT NULL,
	to_cmdb    INTEGER NOT NULL,
	to_monitoring INTEGER NOT NULL
);
CREATE INDEX coverage_snapshots_at ON coverage_snapshots(at);

CREATE TABLE coverage_targets (
	id          INTEGER PRIMARY KEY,
	due         TEXT NOT NULL UNIQUE,
	pct_cmdb    REAL NOT NULL,
	pct_monitoring REAL NOT NULL,
	note        TEXT NOT NULL DEFAULT ''
);

-- Communications seen by passive monitoring, aggregated per endpoint pair,
-- port and protocol; never one row per connection.
CREATE TABLE flows (
	src       TEXT NOT NULL,
	dst       TEXT NOT NULL,
	dst_port  INTEGER NOT NULL,
	proto     TEXT NOT NULL,
	service   TEXT NOT NULL DEFAULT '',
	conns     INTEGER NOT NULL,
	bytes     INTEGER NOT NULL,
	first_seen TEXT NOT NULL DEFAULT '',
	last_seen TEXT NOT NULL DEFAULT '',
	batch_id  INTEGER REFERENCES import_batches(id),
	PRIMARY KEY (src, dst, dst_port, proto)
);
ALTER TABLE import_batches ADD COLUMN system_name TEXT NOT NULL DEFAULT '';
