-- Service at scale: the schedule engine asks the database for each
-- asset's last completions of each scheduled-task type (PM, ESI…), and
-- the SLA clocks load scheduled-task orders by type.
CREATE INDEX work_orders_type ON work_orders(wo_type, asset_id, completed);
