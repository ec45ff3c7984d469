-- The agreement (issue 7): versions of the whole agreement as JSON, in-app
-- notifications routed through its RACI, and the daily metric snapshots
-- that give the review pack its trends.
CREATE TABLE agreement_versions (
	id         INTEGER PRIMARY KEY,
	version    INTEGER NOT NULL UNIQUE,
	body       TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- One notification per piece of work (kind, ref) per party and reason
-- (accountable: it is in the party's queue; informed: told of it).
-- role is the user role that sees it in the app; scope_party_id limits a
-- provider-role notification to that provider party's users.
CREATE TABLE notifications (
	id             INTEGER PRIMARY KEY,
	at             TEXT NOT NULL,
	kind           TEXT NOT NULL,
	ref            TEXT NOT NULL,
	party          TEXT NOT NULL,
	reason         TEXT NOT NULL,
	role           TEXT NOT NULL DEFAULT '',
	scope_party_id INTEGER,
	title          TEXT NOT NULL,
	body           TEXT NOT NULL DEFAULT '',
	link           TEXT NOT NULL DEFAULT '',
	email_to       TEXT NOT NULL DEFAULT '',
	emailed_at     TEXT NOT NULL DEFAULT '',
	email_error    TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, ref, party, reason)
);
CREATE INDEX notifications_role ON notifications(role, at);

CREATE TABLE notification_reads (
	notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	user_id         INTEGER NOT NULL,
	read_at         TEXT NOT NULL,
	PRIMARY KEY (notification_id, user_id)
);

-- Daily snapshots of review-pack metrics: one value per date, metric and
-- dimension (a tier, an SSVC decision, a facility; '' for the total).
CREATE TABLE snapshots (
	taken_on  TEXT NOT NULL,
	metric    TEXT NOT NULL,
	dimension TEXT NOT NULL DEFAULT '',
	value     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (taken_on, metric, dimension)
);
