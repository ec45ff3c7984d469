-- Vulnerability intelligence beyond CSAF, and the life of a finding.
--
-- A finding keeps the decision a person made about it (status and its
-- fields) across re-imports and re-matches: matching only refreshes the
-- evidence and last_seen, and marks findings it no longer produces as gone.
ALTER TABLE findings ADD COLUMN source TEXT NOT NULL DEFAULT 'csaf';
ALTER TABLE findings ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN status_by TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN status_at TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN fix_validated_on TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN scheduled_for TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN control TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN accepted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN accepted_until TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN gone_at TEXT NOT NULL DEFAULT '';
CREATE INDEX findings_status ON findings(status);

-- Every transition of a finding, for its history panel (the audit log has
-- them too, with before and after).
CREATE TABLE finding_events (
	id         INTEGER PRIMARY KEY,
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status  TEXT NOT NULL,
	detail     TEXT NOT NULL
);
CREATE INDEX finding_events_finding ON finding_events(finding_id);

-- NVD CVE records (API 2.0 cve objects), verbatim plus what lists need.
CREATE TABLE nvd_cves (
	cve           TEXT PRIMARY KEY,
	published     TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	cvss_vector   TEXT NOT NULL DEFAULT '',
	cvss_score    DOUBLE PRECISION NOT NULL DEFAULT 0,
	description   TEXT NOT NULL DEFAULT '',
	raw           TEXT NOT NULL,
	imported_at   TEXT NOT NULL
);

-- CISA Known Exploited Vulnerabilities.
CREATE TABLE kev (
	cve             TEXT PRIMARY KEY,
	vendor_project  TEXT NOT NULL DEFAULT '',
	product         TEXT NOT NULL DEFAULT '',
	name            TEXT NOT NULL DEFAULT '',
	date_added      TEXT NOT NULL DEFAULT '',
	due_date        TEXT NOT NULL DEFAULT '',
	ransomware      TEXT NOT NULL DEFAULT '',
	required_action TEXT NOT NULL DEFAULT '',
	catalog_version TEXT NOT NULL DEFAULT ''
);

-- FIRST EPSS scores, one row per CVE, with the date they were scored.
CREATE TABLE epss (
	cve        TEXT PRIMARY KEY,
	score      DOUBLE PRECISION NOT NULL,
	percentile DOUBLE PRECISION NOT NULL,
	score_date TEXT NOT NULL,
	model      TEXT NOT NULL DEFAULT ''
);

-- SBOMs attached to a make / model / firmware, with their components.
CREATE TABLE sboms (
	id           INTEGER PRIMARY KEY,
	manufacturer TEXT NOT NULL,
	model        TEXT NOT NULL,
	firmware     TEXT NOT NULL DEFAULT '',
	format       TEXT NOT NULL,
	spec_version TEXT NOT NULL DEFAULT '',
	name         TEXT NOT NULL DEFAULT '',
	source_file  TEXT NOT NULL DEFAULT '',
	raw          TEXT NOT NULL,
	imported_at  TEXT NOT NULL,
	UNIQUE (manufacturer, model, firmware, name)
);
CREATE TABLE sbom_components (
	id       INTEGER PRIMARY KEY,
	sbom_id  INTEGER NOT NULL REFERENCES sboms(id) ON DELETE CASCADE,
	ref      TEXT NOT NULL DEFAULT '',
	name     TEXT NOT NULL,
	version  TEXT NOT NULL DEFAULT '',
	supplier TEXT NOT NULL DEFAULT '',
	purl     TEXT NOT NULL DEFAULT '',
	cpes     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sbom_components_sbom ON sbom_components(sbom_id);

-- MDS2 forms per model: every answer, and the capabilities derived.
CREATE TABLE mds2_forms (
	id           INTEGER PRIMARY KEY,
	manufacturer TEXT NOT NULL,
	model        TEXT NOT NULL,
	layout       TEXT NOT NULL,
	document_id  TEXT NOT NULL DEFAULT '',
	release_date TEXT NOT NULL DEFAULT '',
	source_file  TEXT NOT NULL DEFAULT '',
	answers      TEXT NOT NULL,
	capabilities TEXT NOT NULL,
	imported_at  TEXT NOT NULL,
	UNIQUE (manufacturer, model, document_id)
);
