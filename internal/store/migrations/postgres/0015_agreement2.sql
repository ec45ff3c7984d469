-- The agreement, second part (issue 7): devices named individually in the
-- agreement's scope widen the provider's visibility beyond its
-- facility/modality rules (party_scope), and each finding is routed once
-- per reason (new, kev, immediate, out_of_cycle) however often routing runs.
CREATE TABLE party_scope_assets (
	party_id BIGINT NOT NULL REFERENCES parties(id),
	asset_id BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
	PRIMARY KEY (party_id, asset_id)
);

CREATE TABLE finding_routes (
	finding_id BIGINT NOT NULL,
	reason     TEXT NOT NULL,
	routed_at  TEXT NOT NULL,
	PRIMARY KEY (finding_id, reason)
);
