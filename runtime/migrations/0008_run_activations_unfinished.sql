-- Poison runs (issue 15): how many activations of the run began and did not end. The engine adds one, in a
-- statement committed before the activation executes any step; the commit that ends an activation (waiting,
-- handoff, completed, failed, cancelled) sets it back to 0, as does a hand-back on graceful shutdown or an
-- activation that stopped on an error while its process lived. So it only stays up when the process died
-- mid-activation (out of memory, kill -9, a crash), and a run at 2 is failed (FD219) on its next pickup
-- instead of executing a third time. Not indexed and not touching updated_at, so bumping it is a HOT update
-- of the run row. A column of `runs`, so the table's RLS policy and grants already cover it.
ALTER TABLE runs ADD COLUMN activations_unfinished integer NOT NULL DEFAULT 0
  CHECK (activations_unfinished >= 0);
