-- A tabular file's column names, once per import (a JSON array). Its
-- records' raw rows are then JSON arrays of cells in the same order
-- instead of objects that repeat every column name in every row: at a
-- million CMMS rows the names were half of the 1.3 GB the raw rows took.
-- Raw rows kept as objects (earlier imports, Zeek logs) stay as they are;
-- the store gives every raw row back as an object either way.
ALTER TABLE import_batches ADD COLUMN header TEXT NOT NULL DEFAULT '';
