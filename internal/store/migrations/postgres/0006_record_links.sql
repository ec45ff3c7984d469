-- Why each record is linked to its asset lives beside the record, not in
-- it: a first correlation run writes millions of explanations, and growing
-- every wide source row to hold one rewrote the whole table.
CREATE TABLE record_links (
	record_id  BIGINT PRIMARY KEY REFERENCES source_records(id),
	confidence DOUBLE PRECISION,
	evidence   TEXT NOT NULL DEFAULT '',
	link_hash  TEXT NOT NULL DEFAULT ''
);
INSERT INTO record_links (record_id, confidence, evidence, link_hash)
	SELECT id, link_confidence, link_evidence, link_hash FROM source_records WHERE link_hash <> '';
ALTER TABLE source_records DROP COLUMN link_confidence;
ALTER TABLE source_records DROP COLUMN link_evidence;
ALTER TABLE source_records DROP COLUMN link_hash;
