-- medsec schema, SQLite dialect. Timestamps are UTC text in a fixed-width
-- RFC 3339 form (2006-01-02T15:04:05.000000Z) so they sort as text on both backends.
CREATE TABLE parties (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind IN ('hospital','provider','manufacturer')),
	created_at TEXT NOT NULL
);

CREATE TABLE facilities (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
);

CREATE TABLE locations (
	id          INTEGER PRIMARY KEY,
	facility_id INTEGER NOT NULL REFERENCES facilities(id),
	name        TEXT NOT NULL,
	care_area   TEXT NOT NULL DEFAULT '',
	UNIQUE (facility_id, name)
);

CREATE TABLE modalities (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

-- modality_aliases maps the spellings of device types in CMMS exports.
CREATE TABLE modality_aliases (
	alias_norm  TEXT PRIMARY KEY,
	alias       TEXT NOT NULL,
	modality_id INTEGER NOT NULL REFERENCES modalities(id)
);

CREATE TABLE manufacturers (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	party_id   INTEGER REFERENCES parties(id)
);

CREATE TABLE manufacturer_aliases (
	alias_norm      TEXT PRIMARY KEY,
	alias           TEXT NOT NULL,
	manufacturer_id INTEGER NOT NULL REFERENCES manufacturers(id),
	origin          TEXT NOT NULL DEFAULT 'shipped'
);

CREATE TABLE models (
	id              INTEGER PRIMARY KEY,
	manufacturer_id INTEGER NOT NULL REFERENCES manufacturers(id),
	name            TEXT NOT NULL,
	model_number    TEXT NOT NULL DEFAULT '',
	modality_id     INTEGER REFERENCES modalities(id),
	name_norm       TEXT NOT NULL,
	UNIQUE (manufacturer_id, name, model_number)
);
CREATE INDEX models_name_norm ON models(name_norm);

CREATE TABLE assets (
	id              INTEGER PRIMARY KEY,
	asset_tag       TEXT NOT NULL UNIQUE,
	tag_norm        TEXT NOT NULL,
	serial          TEXT NOT NULL DEFAULT '',
	serial_norm     TEXT NOT NULL DEFAULT '',
	manufacturer_id INTEGER REFERENCES manufacturers(id),
	model_id        INTEGER REFERENCES models(id),
	modality_id     INTEGER REFERENCES modalities(id),
	facility_id     INTEGER REFERENCES facilities(id),
	location_id     INTEGER REFERENCES locations(id),
	room            TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL DEFAULT '',
	hostname        TEXT NOT NULL DEFAULT '',
	hostname_norm   TEXT NOT NULL DEFAULT '',
	ip              TEXT NOT NULL DEFAULT '',
	mac             TEXT NOT NULL DEFAULT '',
	firmware        TEXT NOT NULL DEFAULT '',
	em_number       INTEGER,
	acquired_on     TEXT NOT NULL DEFAULT '',
	src_hash        TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX assets_tag_norm ON assets(tag_norm);
CREATE INDEX assets_serial_norm ON assets(serial_norm);
CREATE INDEX assets_hostname_norm ON assets(hostname_norm);
CREATE INDEX assets_ip ON assets(ip);
CREATE INDEX assets_mac ON assets(mac);
CREATE INDEX assets_facility ON assets(facility_id, modality_id, tag_norm);
CREATE INDEX assets_modality ON assets(modality_id, tag_norm);
CREATE INDEX assets_manufacturer ON assets(manufacturer_id, tag_norm);
CREATE INDEX assets_model ON assets(model_id);
CREATE INDEX assets_status ON assets(status, tag_norm);
CREATE INDEX assets_location ON assets(location_id);

CREATE TABLE import_batches (
	id          INTEGER PRIMARY KEY,
	system      TEXT NOT NULL,
	file_name   TEXT NOT NULL,
	format      TEXT NOT NULL,
	encoding    TEXT NOT NULL DEFAULT '',
	key_column  TEXT NOT NULL,
	mapping     TEXT NOT NULL DEFAULT '{}',
	actor       TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL DEFAULT '',
	rows_total  INTEGER NOT NULL DEFAULT 0,
	rows_new    INTEGER NOT NULL DEFAULT 0,
	rows_changed INTEGER NOT NULL DEFAULT 0,
	rows_unchanged INTEGER NOT NULL DEFAULT 0,
	rows_gone   INTEGER NOT NULL DEFAULT 0
);

-- source_records keeps the current row of each record of each source system,
-- verbatim as JSON; the versions it replaced move to source_record_versions.
CREATE TABLE source_records (
	id         INTEGER PRIMARY KEY,
	system     TEXT NOT NULL,
	record_key TEXT NOT NULL,
	batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
	row_num    INTEGER NOT NULL,
	raw        TEXT NOT NULL,
	row_hash   TEXT NOT NULL,
	asset_id   INTEGER REFERENCES assets(id),
	gone_batch_id INTEGER REFERENCES import_batches(id),
	UNIQUE (system, record_key)
);
CREATE INDEX source_records_asset ON source_records(asset_id);
CREATE INDEX source_records_batch ON source_records(batch_id);

CREATE TABLE source_record_versions (
	id         INTEGER PRIMARY KEY,
	record_id  INTEGER NOT NULL REFERENCES source_records(id),
	batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
	row_num    INTEGER NOT NULL,
	raw        TEXT NOT NULL
);
CREATE INDEX source_record_versions_record ON source_record_versions(record_id);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL,
	party_id      INTEGER REFERENCES parties(id),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	last_used  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE login_attempts (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	ip   TEXT NOT NULL,
	at   TEXT NOT NULL,
	ok   INTEGER NOT NULL
);
CREATE INDEX login_attempts_name ON login_attempts(name, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

-- party_scope: until agreements exist, a provider's scope is the set of
-- facilities and/or modalities assigned to it. A NULL column matches any.
CREATE TABLE party_scope (
	id          INTEGER PRIMARY KEY,
	party_id    INTEGER NOT NULL REFERENCES parties(id),
	facility_id INTEGER REFERENCES facilities(id),
	modality_id INTEGER REFERENCES modalities(id)
);
CREATE INDEX party_scope_party ON party_scope(party_id);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user_id   INTEGER,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL DEFAULT '',
	before    TEXT,
	after     TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
