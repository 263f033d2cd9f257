-- A key a run is started under at most once per tenant (a webhook's message id). It lives on the run row, so
-- claiming it and creating the run are one insert, and runs created together in one statement can each be
-- refused alone (ON CONFLICT DO NOTHING) instead of one replay aborting the others' transaction.
ALTER TABLE runs ADD COLUMN claim_key text;
CREATE UNIQUE INDEX runs_by_claim_key ON runs (tenant_id, claim_key) WHERE claim_key IS NOT NULL;
