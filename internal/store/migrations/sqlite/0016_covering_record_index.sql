-- Coverage snapshots and the orphan lists ask, per asset, whether a live
-- record of some system exists: with gone_batch_id in the index those
-- probes never read the (large) source rows themselves.
DROP INDEX source_records_asset_system;
CREATE INDEX source_records_asset_system ON source_records(asset_id, system, gone_batch_id);
