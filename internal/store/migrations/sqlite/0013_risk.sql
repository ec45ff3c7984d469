-- A rescoring run may cover part of the inventory (the assets an
-- assessment, support status or control change touched): scope names it,
-- '' for every asset. history_rows counts the risk-history rows the run
-- wrote (only for assets whose scores, tier or model changed).
ALTER TABLE score_runs ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE score_runs ADD COLUMN history_rows INTEGER NOT NULL DEFAULT 0;
