-- What a match says about a make / model / firmware group is stored once
-- per group (evidence, confidence), not copied onto every asset of the
-- group: at a million assets the copies were most of the findings table.
CREATE TABLE finding_defs (
	id               INTEGER PRIMARY KEY,
	source           TEXT NOT NULL,
	group_key        TEXT NOT NULL,
	advisory_id      TEXT NOT NULL,
	cve              TEXT NOT NULL DEFAULT '',
	product_id       TEXT NOT NULL DEFAULT '',
	match_confidence DOUBLE PRECISION NOT NULL,
	version_certain  INTEGER NOT NULL,
	evidence         TEXT NOT NULL,
	first_seen       TEXT NOT NULL,
	last_seen        TEXT NOT NULL,
	UNIQUE (source, group_key, advisory_id, cve, product_id)
);
ALTER TABLE findings ADD COLUMN def_id INTEGER REFERENCES finding_defs(id);
-- Statuses are few; a status filter always scans, so its index only cost
-- time on every bulk insert.
DROP INDEX findings_status;
