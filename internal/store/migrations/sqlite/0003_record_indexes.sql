-- Fewer, better indexes on source_records: every lookup is by asset (with
-- the system), so one composite index serves them; the batch and system
-- indexes were never used and cost every import.
DROP INDEX source_records_asset;
DROP INDEX source_records_batch;
DROP INDEX source_records_system;
CREATE INDEX source_records_asset_system ON source_records(asset_id, system);
DROP INDEX assets_location;
