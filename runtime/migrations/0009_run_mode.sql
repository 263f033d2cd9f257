-- Run mode (issue 16): `live` or `replay`. A replay (a past conversation run again against a draft or a version,
-- or a regression case) never performs real effects and is kept out of the inbox, analytics and live metrics,
-- so those queries filter on this column. It is generated from the channel the engine already stores
-- (`replay` or `replay:<original run id>`, runtime's run-mode.ts): no writer can store a channel and a mode
-- that disagree, and the run store's insert SQL needs no change. A column of `runs`, so the table's RLS
-- policy and grants already cover it; the app cannot write a generated column.
ALTER TABLE runs ADD COLUMN mode text NOT NULL
  GENERATED ALWAYS AS (CASE WHEN channel = 'replay' OR channel LIKE 'replay:%' THEN 'replay' ELSE 'live' END) STORED;
