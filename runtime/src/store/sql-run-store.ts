import { timeOrderedId } from "./time-ordered-id";
import { prepared, type Database } from "./database";
import { createGroupCommit, type ItemOutcome } from "./group-commit";
import {
  COMMIT_RUN,
  COMMIT_RUNS,
  CREATE_RUNS,
  commitItem,
  createItem,
  jsonArray,
  type CommittedRow,
  type CreatedRow,
  type CreateItem,
} from "./run-batch-sql";
import { INSERT_RUNS, insertItem } from "./run-insert-sql";
import type { ActivationRead, NewRun, RunCommit, RunStore, StartedRun, StoredEvent } from "./run-store";
import type { RunRecord } from "../engine/run-types";
import { expandJournal, runColumns, toRunRecord, type JournalRow, type RunRow } from "./run-rows";
import { definitionSnapshot, StoredSnapshots } from "./definition-snapshots";
import { stepsFromEvents } from "../engine/step-events";
import { pendingResumes, recordResume, type ResumeRequest } from "./run-requests";
import {
  BEGIN_ACTIVATION,
  BEGIN_ACTIVATIONS,
  READ_FOR_ACTIVATION,
  RELEASE_ACTIVATIONS,
  type ActivationRow,
} from "./run-activations";
import { isUuid, isoTimestamp } from "./sql-values";
import { isUniqueViolation, StoreError } from "./store-errors";

// Reads of one tenant's runs batch like writes (a worker reads each run it picks up).
const GET_RUNS = prepared(
  "flowdeck_get_runs",
  `SELECT ${runColumns("runs")} FROM runs WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
);

// A run's journal from a seq on: the rows that hold any event after it, in order (the primary key's order).
export const READ_JOURNAL = prepared(
  "flowdeck_read_journal",
  `SELECT first_seq, events FROM run_journal WHERE tenant_id = $1 AND run_id = $2 AND last_seq > $3
    ORDER BY first_seq`,
);

// Whether a customer message's id is claimed (migration 0016); read only when a request recorded nothing.
const MESSAGE_CLAIMED = "SELECT 1 FROM message_claims WHERE claim_key = $1";

// Enough to share the round trip and the transaction, small enough that one slow batch holds few runs back.
const MAX_BATCH_ITEMS = 64;

export interface SqlRunStore extends RunStore {
  /** The database the store writes to (tests and benchmarks read its statement counter). */
  readonly db: Database;
}

export interface RunStoreOptions {
  /** The clock snapshot trust is timed by (definition-snapshots.ts); tests move it. Default Date.now. */
  readonly clockMs?: () => number;
}

/**
 * The RunStore over a Database (pg or PGlite, the same SQL). Every method is one tenant-scoped transaction.
 * Creates and commits are group-committed per tenant: those that arrive while an earlier one is out go
 * together, as one statement (run rows, steps, events, outbox) in one transaction, whatever the batch size.
 */
export function createRunStore(db: Database, options: RunStoreOptions = {}): SqlRunStore {
  let commitCount = 0;
  const snapshots = new StoredSnapshots(db, options.clockMs);

  /** After a batch committed: the definitions its elements carried are stored and marked used. */
  function learnSnapshots(
    tenantId: string,
    items: readonly { run: NewRun; storesDefinition: boolean }[],
  ): void {
    for (const { run, storesDefinition } of items)
      if (storesDefinition)
        snapshots.learnStored(tenantId, definitionSnapshot(run.definition).hash, run.definition);
  }

  /** Run records of rows, their definitions resolved by hash (one read for those this process lacks). */
  async function records<Row extends RunRow>(tenantId: string, rows: readonly Row[]) {
    const definitions = await snapshots.definitions(
      tenantId,
      rows.map((row) => row.definition_hash),
    );
    return new Map(
      rows.map((row) => {
        const definition = definitions.get(row.definition_hash);
        if (!definition)
          throw new StoreError(
            "FD267",
            `Run ${row.id} points at definition ${row.definition_hash}, not stored.`,
          );
        return [row.id, { row, run: toRunRecord(row, definition) }];
      }),
    );
  }

  function needsSnapshot(run: NewRun): boolean {
    return !snapshots.has(run.tenantId, definitionSnapshot(run.definition).hash);
  }

  const creates = createGroupCommit<CreateItem, RunRecord>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, items) {
      const { rows } = await db.transaction(
        (sql) => sql.commitWith<CreatedRow>(CREATE_RUNS, [tenantId, jsonArray(items.map((i) => i.json))]),
        { tenantId },
      );
      learnSnapshots(tenantId, items);
      const created = new Map(rows.map((row) => [row.id, row]));
      return items.map((item): ItemOutcome<RunRecord> => {
        const row = created.get(item.id);
        if (!row) return { ok: false, error: (item.run.messageClaim ?? item.run.claim)!.duplicate() };
        commitCount += 1;
        return { ok: true, value: newRunRecord(item, row) };
      });
    },
  });

  const inserts = createGroupCommit<{ run: StartedRun; json: string; storesDefinition: boolean }, number>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, items) {
      const { rows } = await db.transaction(
        (sql) => sql.commitWith<{ id: string }>(INSERT_RUNS, [tenantId, jsonArray(items.map((i) => i.json))]),
        { tenantId },
      );
      learnSnapshots(tenantId, items);
      const stored = new Set(rows.map((row) => row.id));
      return items.map((item): ItemOutcome<number> => {
        if (!stored.has(item.run.id)) return { ok: false, error: item.run.claim!.duplicate() };
        commitCount += 1;
        return { ok: true, value: 1 };
      });
    },
  });

  const reads = createGroupCommit<string, RunRecord | undefined>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, ids) {
      const { rows } = await db.statement<RunRow>(GET_RUNS, [tenantId, ids], { tenantId });
      const found = await records(tenantId, rows);
      return ids.map((id) => ({ ok: true, value: found.get(id)?.run }));
    },
  });

  const claimingReads = createGroupCommit<string, ActivationRead | undefined>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, ids) {
      const { rows } = await db.statement<RunRow & { claimed: boolean }>(
        READ_FOR_ACTIVATION,
        [tenantId, ids],
        { tenantId },
      );
      const found = await records(tenantId, rows);
      const claimedOnce = new Set<string>();
      return ids.map((id) => {
        const read = found.get(id);
        if (!read) return { ok: true, value: undefined };
        // The same run twice in a batch was counted once: only its first reader holds that claim.
        const claimed = read.row.claimed && !claimedOnce.has(id);
        if (claimed) claimedOnce.add(id);
        return { ok: true, value: { run: read.run, claimed } };
      });
    },
  });

  // Claims batch like commits: a worker begins an activation for every run it picks up.
  const activations = createGroupCommit<string, number>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, ids) {
      const { rows } =
        ids.length === 1
          ? await db.statement<ActivationRow>(BEGIN_ACTIVATION, [tenantId, ids[0]], {
              tenantId,
              byKeyOnly: true,
            })
          : await db.statement<ActivationRow>(BEGIN_ACTIVATIONS, [tenantId, ids], { tenantId });
      const found = new Map(rows.map((row) => [row.id, { ...row, taken: 0 }]));
      return ids.map((id): ItemOutcome<number> => {
        const row = found.get(id);
        if (!row)
          return { ok: false, error: new StoreError("FD261", `Run ${id} does not exist for this tenant.`) };
        // Several activations of one run in this batch: each sees those before it as begun, not finished.
        const earlier = row.unfinished - row.n + row.taken;
        row.taken += 1;
        return { ok: true, value: earlier };
      });
    },
  });

  const commits = createGroupCommit<RunCommit & { readonly json: string }, number>({
    maxBatchItems: MAX_BATCH_ITEMS,
    async write(tenantId, items) {
      // One commit, the usual batch, takes COMMIT_RUN and its kept generic plan (run-batch-sql.ts).
      const { rows } =
        items.length === 1
          ? await db.transaction(
              (sql) => sql.commitWith<CommittedRow>(COMMIT_RUN, [tenantId, items[0]!.json, items[0]!.runId]),
              { tenantId, byKeyOnly: true },
            )
          : await db.transaction(
              (sql) =>
                sql.commitWith<CommittedRow>(COMMIT_RUNS, [
                  tenantId,
                  jsonArray(items.map((i) => i.json)),
                  items.map((i) => i.runId),
                ]),
              { tenantId },
            );
      return items.map((item, index) => {
        const row = rows[index];
        if (row?.state_version == null)
          return { ok: false, error: refusal(item, row?.found_version ?? null) };
        commitCount += 1;
        return { ok: true, value: row.state_version };
      });
    },
  });

  /**
   * A commit alone in its transaction, with the requests recorded after `afterSeq` read behind it in the same
   * write. That read follows the UPDATE's row lock, so it sees every request recorded before the commit; one
   * recorded later comes with its own job.
   */
  async function commitReadingPending(
    commit: RunCommit,
    afterSeq: number,
  ): Promise<{ version: number; pending: ResumeRequest[] }> {
    if (!isUuid(commit.runId)) throw new StoreError("FD261", `Run ${commit.runId} does not exist.`);
    const { tenantId, runId } = commit;
    const { row, pending } = await db.transaction(
      async (sql) => {
        const updated = sql.query<CommittedRow>(COMMIT_RUN, [tenantId, commitItem(commit), runId]);
        const requests = pendingResumes(sql, tenantId, runId, afterSeq, { commit: true });
        const [update, read] = await Promise.allSettled([updated, requests]);
        if (update.status === "rejected") throw update.reason;
        if (read.status === "rejected") throw read.reason;
        return { row: update.value.rows[0], pending: read.value };
      },
      { tenantId, byKeyOnly: true },
    );
    if (row?.state_version == null) throw refusal(commit, row?.found_version ?? null);
    commitCount += 1;
    return { version: row.state_version, pending };
  }

  return {
    db,
    get commitCount() {
      return commitCount;
    },

    async createRun(run: NewRun): Promise<RunRecord> {
      const id = run.id ?? timeOrderedId();
      if (!isUuid(id)) throw new StoreError("FD261", `Run id ${JSON.stringify(id)} is not a UUID.`);
      // Lower case, as PostgreSQL prints a uuid: the batch matches stored rows to items by that text.
      return creates.submit(run.tenantId, createItem(run, id.toLowerCase(), needsSnapshot(run)));
    },

    async insertRun(run, commit) {
      if (!isUuid(run.id)) throw new StoreError("FD261", `Run id ${JSON.stringify(run.id)} is not a UUID.`);
      // Lower case, as PostgreSQL prints a uuid: the batch matches stored rows to items by that text.
      const id = run.id.toLowerCase();
      const stored = { ...run, id };
      const storesDefinition = needsSnapshot(run);
      return inserts.submit(run.tenantId, {
        run: stored,
        json: insertItem(stored, commit, storesDefinition),
        storesDefinition,
      });
    },

    async getRun(tenantId, runId) {
      if (!isUuid(runId)) return undefined;
      return reads.submit(tenantId, runId.toLowerCase());
    },

    async commit(commit: RunCommit): Promise<number> {
      if (!isUuid(commit.runId)) throw new StoreError("FD261", `Run ${commit.runId} does not exist.`);
      return commits.submit(commit.tenantId, { ...commit, json: commitItem(commit) });
    },

    commitReadingPending,

    async readForActivation(tenantId, runId) {
      if (!isUuid(runId)) return undefined;
      return claimingReads.submit(tenantId, runId.toLowerCase());
    },

    async beginActivation(tenantId, runId) {
      if (!isUuid(runId)) throw new StoreError("FD261", `Run ${runId} does not exist.`);
      return activations.submit(tenantId, runId.toLowerCase());
    },

    async releaseActivation(tenantId, runId) {
      if (!isUuid(runId)) return;
      await db.statement(RELEASE_ACTIVATIONS, [tenantId, [runId]], { tenantId });
    },

    async listSteps(tenantId, runId) {
      if (!isUuid(runId)) return [];
      return stepsFromEvents(await readJournal(tenantId, runId, 0));
    },

    async requestResume(tenantId, runId, resume, statuses, claim, countActivation = false) {
      if (!isUuid(runId)) return undefined;
      let recorded;
      try {
        recorded = await db.transaction(
          (sql) => recordResume(sql, tenantId, runId, resume, statuses, claim?.key ?? null, countActivation),
          { tenantId, byKeyOnly: true },
        );
      } catch (error) {
        // A copy recorded by another statement at the same moment (REQUEST_RESUME says how the key refuses it).
        if (claim && isUniqueViolation(error, "message_claims_pkey")) throw claim.duplicate();
        throw error;
      }
      // Not recorded: either the run is not in `statuses`, or the id was claimed before (by any statement).
      if (!recorded && claim && (await messageClaimed(tenantId, claim.key))) throw claim.duplicate();
      if (!recorded) return undefined;
      const { row, ...request } = recorded;
      // Read as before the count this statement added, as a claiming read is (READ_FOR_ACTIVATION).
      const counted = request.activationCounted ? { ...row, activations_unfinished: 0 } : row;
      return { ...request, run: (await records(tenantId, [counted])).get(row.id)!.run };
    },

    async pendingResumes(tenantId, runId, afterSeq) {
      if (!isUuid(runId)) return [];
      return db.transaction((sql) => pendingResumes(sql, tenantId, runId, afterSeq, { commit: true }), {
        tenantId,
        byKeyOnly: true,
      });
    },

    async listEvents(tenantId, runId, afterSeq = 0): Promise<StoredEvent[]> {
      if (!isUuid(runId)) return [];
      return readJournal(tenantId, runId, afterSeq);
    },
  };

  async function messageClaimed(tenantId: string, key: string): Promise<boolean> {
    const { rows } = await db.statement(MESSAGE_CLAIMED, [key], { tenantId });
    return rows.length > 0;
  }

  async function readJournal(tenantId: string, runId: string, afterSeq: number): Promise<StoredEvent[]> {
    const { rows } = await db.statement<JournalRow>(READ_JOURNAL, [tenantId, runId, afterSeq], {
      tenantId,
      byKeyOnly: true,
    });
    return expandJournal(rows, afterSeq);
  }
}

/** The record of a run just created, read back from the JSON it was stored as (what a read would return). */
function newRunRecord(item: CreateItem, row: CreatedRow): RunRecord {
  const { run } = item;
  return {
    tenantId: run.tenantId,
    id: item.id,
    workflowName: run.workflowName,
    workflowVersion: run.workflowVersion,
    definition: run.definition,
    status: "queued",
    state: JSON.parse(item.state) as RunRecord["state"],
    stateVersion: 0,
    input: JSON.parse(item.input) as RunRecord["input"],
    output: null,
    error: null,
    conversationId: run.conversationId,
    channel: run.channel,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
  };
}

/** Why the UPDATE matched nothing: the run is gone (FD261) or another writer moved it on (FD260). */
function refusal(commit: RunCommit, foundVersion: number | null): StoreError {
  if (foundVersion === null)
    return new StoreError("FD261", `Run ${commit.runId} does not exist for this tenant.`);
  return new StoreError(
    "FD260",
    `Run ${commit.runId} moved on: expected state version ${commit.expectedVersion}, found ${foundVersion}.`,
  );
}
