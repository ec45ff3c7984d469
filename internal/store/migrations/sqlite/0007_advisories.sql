-- Vulnerability intelligence: advisories as loaded (verbatim), their
-- products and vulnerabilities, and the findings matched to assets.
CREATE TABLE advisories (
	id          INTEGER PRIMARY KEY,
	advisory_id TEXT NOT NULL UNIQUE,
	title       TEXT NOT NULL DEFAULT '',
	publisher   TEXT NOT NULL DEFAULT '',
	tlp         TEXT NOT NULL DEFAULT '',
	initial_release TEXT NOT NULL DEFAULT '',
	current_release TEXT NOT NULL DEFAULT '',
	revision    TEXT NOT NULL DEFAULT '',
	source_file TEXT NOT NULL DEFAULT '',
	raw         TEXT NOT NULL,
	imported_at TEXT NOT NULL
);

CREATE TABLE findings (
	id               INTEGER PRIMARY KEY,
	asset_id         INTEGER NOT NULL REFERENCES assets(id),
	advisory_id      TEXT NOT NULL,
	cve              TEXT NOT NULL DEFAULT '',
	product_id       TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL DEFAULT 'open',
	match_confidence DOUBLE PRECISION NOT NULL,
	version_certain  INTEGER NOT NULL,
	evidence         TEXT NOT NULL,
	first_seen       TEXT NOT NULL,
	last_seen        TEXT NOT NULL,
	UNIQUE (asset_id, advisory_id, cve, product_id)
);
CREATE INDEX findings_cve ON findings(cve);
CREATE INDEX findings_advisory ON findings(advisory_id);
