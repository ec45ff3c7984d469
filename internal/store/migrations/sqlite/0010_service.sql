-- Service: maintenance schedule templates, CMMS work orders, SLA pauses,
-- risk exceptions, end-of-support dates per model and service settings
-- (SLA policy and credit terms as JSON).
CREATE TABLE schedule_templates (
	id           INTEGER PRIMARY KEY,
	tkey         TEXT NOT NULL UNIQUE,
	scope        TEXT NOT NULL,
	modality     TEXT NOT NULL,
	manufacturer TEXT NOT NULL DEFAULT '',
	model        TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL,
	updated_by   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE work_orders (
	id         INTEGER PRIMARY KEY,
	wo_key     TEXT NOT NULL UNIQUE,
	asset_id   INTEGER NOT NULL REFERENCES assets(id),
	asset_key  TEXT NOT NULL,
	wo_type    TEXT NOT NULL DEFAULT '',
	priority   TEXT NOT NULL DEFAULT '',
	opened     TEXT NOT NULL,
	responded  TEXT NOT NULL DEFAULT '',
	on_site    TEXT NOT NULL DEFAULT '',
	completed  TEXT NOT NULL DEFAULT '',
	result     TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	row_num    INTEGER NOT NULL DEFAULT 0,
	raw        TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX work_orders_asset ON work_orders(asset_id, opened);
CREATE INDEX work_orders_opened ON work_orders(opened);

-- One row per pause of an SLA event: a work order key, or F<finding id>-triage or -patch.
CREATE TABLE sla_pauses (
	id         INTEGER PRIMARY KEY,
	event_id   TEXT NOT NULL,
	reason     TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	from_at    TEXT NOT NULL,
	to_at      TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX sla_pauses_event ON sla_pauses(event_id);

CREATE TABLE risk_exceptions (
	id           INTEGER PRIMARY KEY,
	asset_id     INTEGER REFERENCES assets(id),
	model_id     INTEGER REFERENCES models(id),
	decision     TEXT NOT NULL,
	reason       TEXT NOT NULL,
	controls     TEXT NOT NULL,
	requester    TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	approver     TEXT NOT NULL DEFAULT '',
	approved_at  TEXT NOT NULL DEFAULT '',
	expiry       TEXT NOT NULL,
	revoked_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_exceptions_asset ON risk_exceptions(asset_id);
CREATE INDEX risk_exceptions_model ON risk_exceptions(model_id);

CREATE TABLE model_end_of_support (
	model_id       INTEGER PRIMARY KEY REFERENCES models(id),
	end_of_support TEXT NOT NULL,
	set_by         TEXT NOT NULL,
	set_at         TEXT NOT NULL
);

CREATE TABLE service_settings (
	name       TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
