-- Each record's row as the file gave it moves beside the record, into a
-- table written once per import and read only when a person opens the
-- record. source_records keeps the identity columns every correlation run
-- scans and the asset id each run rewrites: a row a third as wide, so a
-- first correlation dirties (and the WAL copies) a third of the pages.
CREATE TABLE source_raw (
	record_id INTEGER PRIMARY KEY REFERENCES source_records(id),
	raw       TEXT NOT NULL
);
INSERT INTO source_raw (record_id, raw) SELECT id, raw FROM source_records;
ALTER TABLE source_records DROP COLUMN raw;

-- Most CMMS assets carry no hostname, IP or MAC (the CMMS is not where
-- those live): index only the assets that have one. Every query that
-- looks these up says "<> ''", so the partial index serves it.
DROP INDEX assets_hostname_norm;
DROP INDEX assets_ip;
DROP INDEX assets_mac;
CREATE INDEX assets_hostname_norm ON assets(hostname_norm) WHERE hostname_norm <> '';
CREATE INDEX assets_ip ON assets(ip) WHERE ip <> '';
CREATE INDEX assets_mac ON assets(mac) WHERE mac <> '';

-- The list filters by facility, modality, maker and status are for medical
-- devices; non-medical CIs (workstations, printers: about as many as the
-- devices in a large CMDB) are listed by tag and searched by identifier,
-- so these four indexes leave them out. Every query that filters on them
-- says kind = 'medical' in so many words.
DROP INDEX assets_facility;
DROP INDEX assets_modality;
DROP INDEX assets_manufacturer;
DROP INDEX assets_status;
CREATE INDEX assets_facility ON assets(facility_id, modality_id, tag_norm) WHERE kind = 'medical';
CREATE INDEX assets_modality ON assets(modality_id, tag_norm) WHERE kind = 'medical';
CREATE INDEX assets_manufacturer ON assets(manufacturer_id, tag_norm) WHERE kind = 'medical';
CREATE INDEX assets_status ON assets(status, tag_norm) WHERE kind = 'medical';
