-- The asset list always filters on kind (medical devices unless asked
-- otherwise), so kind leads every list index: the default list reads its
-- page and its count from an index, as it did before kind existed.
DROP INDEX assets_kind;
DROP INDEX assets_facility;
DROP INDEX assets_modality;
DROP INDEX assets_manufacturer;
DROP INDEX assets_status;
CREATE INDEX assets_kind_tag ON assets(kind, tag_norm);
CREATE INDEX assets_facility ON assets(kind, facility_id, modality_id, tag_norm);
CREATE INDEX assets_modality ON assets(kind, modality_id, tag_norm);
CREATE INDEX assets_manufacturer ON assets(kind, manufacturer_id, tag_norm);
CREATE INDEX assets_status ON assets(kind, status, tag_norm);
