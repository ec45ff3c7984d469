-- A short hash of each record's link evidence, so that a re-run writes
-- only the records whose asset or explanation actually changed.
ALTER TABLE source_records ADD COLUMN link_hash TEXT NOT NULL DEFAULT '';
