-- Which run captured a lead (tool.lead_capture), and that run's channel. Staff trying a flow in the editor
-- (channel `test`) capture leads too, usually with their own email; lead analytics leave those out as run
-- analytics leave test runs out. The channel is copied rather than read through the run, because retention
-- deletes runs after the plan's history days while a lead, and the year of conversion analytics over it, stays.
-- Both NULL for leads entered by staff or through the API (and for every lead captured before this column).
-- run_id has no foreign key for the same reason: the run may be gone while the lead is not.
ALTER TABLE leads ADD COLUMN run_id uuid;
ALTER TABLE leads ADD COLUMN channel text;
