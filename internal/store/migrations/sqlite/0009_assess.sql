-- Clinical impact assessments, the versioned scoring model, asset scores
-- and their history, and the SSVC decision per finding.
--
-- One row per assessed data point per level (modality, model, asset):
-- value is the point's canonical text (EM as "function,physical,maintenance,incidents").
CREATE TABLE assessments (
	level    TEXT NOT NULL CHECK (level IN ('modality','model','asset')),
	scope_id INTEGER NOT NULL,
	point    TEXT NOT NULL,
	value    TEXT NOT NULL,
	set_by   TEXT NOT NULL,
	set_at   TEXT NOT NULL,
	reason   TEXT NOT NULL,
	PRIMARY KEY (level, scope_id, point)
);

-- Manufacturer support per make/model: supported, end-of-support, legacy.
CREATE TABLE model_support (
	model_id INTEGER PRIMARY KEY REFERENCES models(id),
	status   TEXT NOT NULL,
	set_by   TEXT NOT NULL,
	set_at   TEXT NOT NULL,
	reason   TEXT NOT NULL
);

-- Compensating controls in place per asset.
CREATE TABLE asset_controls (
	asset_id          INTEGER PRIMARY KEY REFERENCES assets(id),
	segmentation      INTEGER NOT NULL DEFAULT 0,
	nac               INTEGER NOT NULL DEFAULT 0,
	disabled_services INTEGER NOT NULL DEFAULT 0,
	set_by            TEXT NOT NULL,
	set_at            TEXT NOT NULL,
	reason            TEXT NOT NULL
);

-- Scoring model versions (JSON of assess.ScoringModel); one is active.
CREATE TABLE scoring_models (
	id         INTEGER PRIMARY KEY,
	version    TEXT NOT NULL UNIQUE,
	model      TEXT NOT NULL,
	active     INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	reason     TEXT NOT NULL DEFAULT ''
);

-- One row per rescoring run, with its tier counts.
CREATE TABLE score_runs (
	id            INTEGER PRIMARY KEY,
	model_version TEXT NOT NULL,
	full_run      INTEGER NOT NULL,
	actor         TEXT NOT NULL,
	started_at    TEXT NOT NULL,
	finished_at   TEXT NOT NULL DEFAULT '',
	assets        INTEGER NOT NULL DEFAULT 0,
	changed       INTEGER NOT NULL DEFAULT 0,
	risk_low      INTEGER NOT NULL DEFAULT 0,
	risk_medium   INTEGER NOT NULL DEFAULT 0,
	risk_high     INTEGER NOT NULL DEFAULT 0,
	risk_critical INTEGER NOT NULL DEFAULT 0
);

-- The current scores of each asset and what the lists and heat maps need.
CREATE TABLE asset_scores (
	asset_id        INTEGER PRIMARY KEY,
	model_version   TEXT NOT NULL,
	inputs_hash     TEXT NOT NULL,
	clinical        DOUBLE PRECISION NOT NULL,
	clinical_tier   INTEGER NOT NULL,
	risk            DOUBLE PRECISION NOT NULL,
	risk_tier       INTEGER NOT NULL,
	likelihood      DOUBLE PRECISION NOT NULL,
	likelihood_band INTEGER NOT NULL,
	acuity          INTEGER NOT NULL,
	care_delivery   INTEGER NOT NULL,
	support         INTEGER NOT NULL,
	observed_lateral INTEGER NOT NULL,
	lateral_disagree INTEGER NOT NULL,
	internet_peers  INTEGER NOT NULL,
	open_findings   INTEGER NOT NULL,
	kev_findings    INTEGER NOT NULL,
	nofix_findings  INTEGER NOT NULL,
	run_id          INTEGER NOT NULL,
	scored_at       TEXT NOT NULL
);
CREATE INDEX asset_scores_heat ON asset_scores(clinical_tier, likelihood_band);
CREATE INDEX asset_scores_risk ON asset_scores(risk_tier, risk);

-- Risk history: one row per asset whenever its scores, tier or model change.
CREATE TABLE risk_history (
	id            INTEGER PRIMARY KEY,
	run_id        INTEGER NOT NULL,
	asset_id      INTEGER NOT NULL,
	at            TEXT NOT NULL,
	model_version TEXT NOT NULL,
	clinical      DOUBLE PRECISION NOT NULL,
	risk          DOUBLE PRECISION NOT NULL,
	risk_tier     INTEGER NOT NULL
);
CREATE INDEX risk_history_asset ON risk_history(asset_id, at);

-- Risk-mitigation actions of the last run, with their effect.
CREATE TABLE risk_actions (
	action_id      TEXT PRIMARY KEY,
	kind           TEXT NOT NULL,
	title          TEXT NOT NULL,
	facility_id    INTEGER,
	modality_id    INTEGER,
	assets_touched INTEGER NOT NULL,
	risk_removed   DOUBLE PRECISION NOT NULL,
	per_asset      DOUBLE PRECISION NOT NULL,
	run_id         INTEGER NOT NULL
);

ALTER TABLE findings ADD COLUMN ssvc_decision TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN ssvc_explanation TEXT NOT NULL DEFAULT '';

CREATE INDEX flows_dst ON flows(dst);
