import { randomUUID } from "node:crypto";
import { COMMIT_RUNS, CREATE_RUNS, commitItem, createItem } from "../../runtime/src/store/run-batch-sql";
import type { NewRun, RunCommit } from "../../runtime/src/store/run-store";
import { PENDING_STARTS, STARTS_ENQUEUED } from "../../runtime/src/queue/outbox-dispatcher";
import { recordResume } from "../../runtime/src/store/run-requests";
import { runColumns } from "../../runtime/src/store/run-rows";
import { toJson } from "../../runtime/src/store/sql-values";
import { createHarness } from "../../runtime/test/support/harness";
import { ECHO_ROUTER_FLOW } from "./echo-router-flow";
import {
  closeShape,
  commitBatches,
  costLines,
  interleaved,
  openShape,
  reserveWal,
  rewrite,
  sizeLine,
  sizesPerRun,
  storeBatches,
  type Reading,
  type Shape,
} from "./shape-meter";

/**
 * Whether a queued run's "still to enqueue" is cheaper as state on the run row than as a `run_outbox` row
 * (issue 20): the storage statements of one queued echo-router run (5 nodes) in both shapes, at SQL level. The
 * measurement chose the flag, and migration 0012 made it production's shape; the outbox shape is kept here,
 * rebuilt from production's statements, so the choice can be measured again.
 *
 * - outbox (before 0012): CREATE_RUNS writing an outbox row `run.start` instead of setting the flag, the
 *   dispatcher's pass as it was (SELECT … FOR UPDATE SKIP LOCKED, UPDATE … SET dispatched_at, COMMIT, in one
 *   owner transaction; the enqueue itself is Redis and not measured), COMMIT_RUNS stamping the outbox row when
 *   the commit consumed the start.
 * - flag (production): `runs.start_pending` with the partial index `(created_at) WHERE start_pending`, set by
 *   CREATE_RUNS, cleared by the dispatcher's pass (outbox-dispatcher.ts's PENDING_STARTS and STARTS_ENQUEUED)
 *   or by COMMIT_RUNS when the commit consumed the start.
 *
 * Two paths: `direct`, production's usual one (the host enqueues right after createRun and the dispatcher,
 * `minAgeMs` 5 s, never sees the run: the commit clears it), and `dispatcher` (a run left behind, or a host
 * that does not enqueue: the dispatcher claims it, the commit finds nothing to clear). Then a resume: a chat
 * message to a waiting run (REQUEST_RESUME and the pending read, one transaction, then the commit that applies
 * it); production keeps requests as outbox rows, and the flag shape's resume is the variant that was measured
 * and rejected (the request's run UPDATE setting the flag). Production schema (runtime + server migrations), RLS
 * on, tenant transactions as flowdeck_app, the dispatcher as owner. Printed per run: WAL bytes (pg_walinspect),
 * CPU of the shape's PostgreSQL backend, table + index bytes; median (min–max) over interleaved rounds. Not in
 * `pnpm bench`'s verdict: it informs a choice (runtime/CONTEXT.md, "Journal placement and the outbox").
 */

const ROUNDS = 7;
const RUNS_PER_ROUND = 1_024;
const BATCHES = [64, 1] as const;
const DISPATCH_BATCH = 500;
const RESUMES_PER_ROUND = 512;
const TABLES = ["runs", "run_outbox"];

type ShapeKind = "outbox" | "flag";
const SHAPES: readonly ShapeKind[] = ["outbox", "flag"];
type Path = "direct" | "dispatcher";
const PATHS: readonly Path[] = ["direct", "dispatcher"];

// The dispatcher's pass over start rows before 0012 (its SQL then), minAgeMs 0.
const DISPATCH_SELECT = `SELECT tenant_id::text, id::text, run_id::text, kind FROM run_outbox
            WHERE dispatched_at IS NULL AND created_at < now() - make_interval(secs => $2::float8 / 1000)
            ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;
const DISPATCH_MARK = `UPDATE run_outbox SET dispatched_at = now()
            WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`;

// Before 0012 the runs table had no flag index.
const OUTBOX_DDL = ["DROP INDEX runs_start_pending"];

// CREATE_RUNS as before 0012: an outbox row instead of the flag.
const CREATE_RUNS_OUTBOX = {
  name: "bench_create_runs_outbox",
  text: rewrite(
    rewrite(
      CREATE_RUNS.text,
      "b->>'claimKey', true\n    FROM batch",
      "b->>'claimKey', false\n    FROM batch",
    ),
    /\n\)\nSELECT id::text AS id/,
    "\n), outbox AS (\n  INSERT INTO run_outbox (tenant_id, run_id, kind) SELECT tenant_id, id, 'run.start' FROM run\n)" +
      "\nSELECT id::text AS id",
  ),
};

// COMMIT_RUNS as before 0012: the commit that consumed the start stamps its outbox row.
const COMMIT_RUNS_OUTBOX = {
  name: "bench_commit_runs_outbox",
  text: rewrite(
    COMMIT_RUNS.text,
    "AND o.id = (run.b->>'appliedOutboxId')::uuid",
    "AND ((coalesce((run.b->>'startConsumed')::boolean, false) AND o.kind = 'run.start')\n" +
      "          OR o.id = (run.b->>'appliedOutboxId')::uuid)",
  ),
};

// Production's COMMIT_RUNS, but for the rejected resume variant the applying commit clears the flag too (the
// real rule would need the seq of the newest request enqueued: a request recorded during the activation must
// stay pending), and there is no outbox row to stamp.
const COMMIT_RUNS_FLAG = {
  name: "bench_commit_runs_flag",
  text: rewrite(
    rewrite(
      COMMIT_RUNS.text,
      "start_pending = r.start_pending AND NOT (batch.b ? 'startConsumed'),",
      "start_pending = r.start_pending AND NOT (batch.b ? 'startConsumed' OR batch.b ? 'appliedOutboxId'),",
    ),
    /\), outbox AS \([\s\S]*?\n\)\nSELECT/,
    ")\nSELECT",
  ),
};

// A resume request in the flag shape: run-requests.ts's REQUEST_RESUME (copied: not exported) with the run's
// UPDATE setting the flag instead of an outbox row being written; the request keeps its id in the event (the
// job id). The pending read behind it (PENDING_OF_RUN, copied) is the same in both shapes.
const REQUEST_RESUME_FLAG = {
  name: "bench_request_resume_flag",
  text: `
WITH run AS (
  UPDATE runs SET event_seq = event_seq + 1, start_pending = true
   WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[])
  RETURNING ${runColumns("runs")}, event_seq
), requested AS (
  INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
  SELECT tenant_id, id, event_seq, event_seq, jsonb_build_array(jsonb_build_object('type', 'resume.requested',
           'data', $4::jsonb || jsonb_build_object('outboxId', $5::text),
           'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM run
)
SELECT run.*, run.event_seq AS seq, $5::text AS outbox_id FROM run`,
};
const HOLDS_REQUEST = `events @> '[{"type": "resume.requested"}]'`;
const PENDING_OF_RUN = {
  name: "bench_pending_resumes_of_run",
  text: `SELECT j.first_seq, j.events, coalesce((r.state->>'resumedThrough')::int, 0) AS after_seq FROM runs r
     JOIN run_journal j ON j.tenant_id = r.tenant_id AND j.run_id = r.id
      AND j.last_seq > coalesce((r.state->>'resumedThrough')::int, 0) AND j.${HOLDS_REQUEST}
    WHERE r.tenant_id = $1 AND r.id = $2 ORDER BY j.first_seq`,
};

interface Captured {
  readonly run: NewRun;
  readonly commits: RunCommit[];
}

/** One queued echo-router run through the real engine: its createRun and its commits, as the store got them. */
async function captureQueuedRun(): Promise<Captured> {
  const h = await createHarness({ kind: "pg", workflows: [ECHO_ROUTER_FLOW] });
  try {
    let created: NewRun | undefined;
    const commits: RunCommit[] = [];
    const createRun = h.store.createRun.bind(h.store);
    const commit = h.store.commit.bind(h.store);
    h.store.createRun = async (run) => {
      created ??= run;
      return createRun(run);
    };
    h.store.commit = async (c) => {
      commits.push(c);
      return commit(c);
    };
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("echo_router"),
      input: { message: "where is my order AO-10492" },
      channel: "api",
    });
    if (run.status !== "completed" || !created || commits.length === 0)
      throw new Error(`echo-router run ended ${run.status} (${commits.length} commits captured)`);
    return { run: created, commits };
  } finally {
    await h.close();
  }
}

async function dispatchPass(shape: Shape, kind: ShapeKind): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await shape.db.ownerTransaction(async (sql) => {
      const [select, mark] =
        kind === "flag" ? [PENDING_STARTS, STARTS_ENQUEUED] : [DISPATCH_SELECT, DISPATCH_MARK];
      const { rows } = await sql.query<{ tenant_id: string; id: string }>(select, [DISPATCH_BATCH, 0]);
      if (rows.length === 0) return 0;
      await sql.query(mark, [rows.map((row) => row.tenant_id), rows.map((row) => row.id)]);
      return rows.length;
    });
    total += moved;
    if (moved < DISPATCH_BATCH) return total;
  }
}

export async function runOutboxShapeBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const sample = await captureQueuedRun();
  const resumeEvents = sample.commits[0]!.events.slice(2, 4);
  const shapes = new Map<ShapeKind, Shape>();
  try {
    shapes.set(
      "outbox",
      await openShape("outbox", ["CREATE EXTENSION IF NOT EXISTS pg_walinspect", ...OUTBOX_DDL]),
    );
    await reserveWal(shapes.get("outbox")!.owner);
    shapes.set("flag", await openShape("flag", []));
    const step = interleaved(shapes.get("outbox")!.owner, shapes, SHAPES);
    const withDefinition = new Map<ShapeKind, boolean>(SHAPES.map((s) => [s, true]));

    /** Creates, (dispatches,) and commits RUNS_PER_ROUND runs, `batch` per statement. */
    const life = async (kind: ShapeKind, path: Path, batch: number) => {
      const shape = shapes.get(kind)!;
      const ids = await storeBatches(shape, {
        statement: kind === "outbox" ? CREATE_RUNS_OUTBOX : CREATE_RUNS,
        count: RUNS_PER_ROUND,
        batch,
        item: (id) => {
          const item = createItem({ ...sample.run, tenantId: shape.tenantId }, id, withDefinition.get(kind)!);
          withDefinition.set(kind, false);
          return item.json;
        },
        label: kind,
        verb: "created",
      });
      if (path === "dispatcher") {
        const moved = await dispatchPass(shape, kind);
        if (moved !== RUNS_PER_ROUND) throw new Error(`${kind}: the dispatcher moved ${moved} runs`);
      }
      for (const commit of sample.commits) {
        await commitBatches(shape, ids, {
          statement: kind === "outbox" ? COMMIT_RUNS_OUTBOX : COMMIT_RUNS_FLAG,
          batch,
          item: (runId) => commitItem({ ...commit, tenantId: shape.tenantId, runId }),
          version: commit.expectedVersion + 1,
          refused: `${kind}: a commit was refused`,
        });
      }
    };

    /** RESUMES_PER_ROUND waiting runs (not measured): created and committed to `waiting`, 64 per statement. */
    const waitingRuns = async (kind: ShapeKind): Promise<string[]> => {
      const shape = shapes.get(kind)!;
      const ids: string[] = [];
      for (let offset = 0; offset < RESUMES_PER_ROUND; offset += 64) {
        const slice = await storeBatches(shape, {
          statement: kind === "outbox" ? CREATE_RUNS_OUTBOX : CREATE_RUNS,
          count: 64,
          batch: 64,
          item: (id) => createItem({ ...sample.run, tenantId: shape.tenantId }, id, false).json,
          label: kind,
          verb: "created",
        });
        await commitBatches(shape, slice, {
          statement: kind === "outbox" ? COMMIT_RUNS_OUTBOX : COMMIT_RUNS_FLAG,
          batch: 64,
          item: (runId) =>
            commitItem({
              ...sample.commits[0]!,
              tenantId: shape.tenantId,
              runId,
              expectedVersion: 0,
              status: "waiting",
              startConsumed: true,
            }),
          version: 1,
          refused: `${kind}: a run was refused its wait`,
        });
        ids.push(...slice);
      }
      return ids;
    };

    /** A chat message to each waiting run: the request (its own transaction, as recordResume), then the commit that applies it. */
    const resumeLife = async (kind: ShapeKind, ids: readonly string[]) => {
      const shape = shapes.get(kind)!;
      const scope = { tenantId: shape.tenantId };
      const resume = { kind: "message" as const, text: "and when will it arrive?" };
      for (const runId of ids) {
        const outboxId = await shape.db.transaction(async (sql) => {
          if (kind === "outbox") {
            const recorded = await recordResume(sql, shape.tenantId, runId, resume, ["waiting"]);
            return recorded?.outboxId;
          }
          const request = sql.query<{ outbox_id: string }>(REQUEST_RESUME_FLAG, [
            shape.tenantId,
            runId,
            ["waiting"],
            toJson(resume),
            randomUUID(),
          ]);
          const read = sql.commitWith(PENDING_OF_RUN, [shape.tenantId, runId]);
          const [row] = await Promise.all([request, read]);
          return row.rows[0]?.outbox_id;
        }, scope);
        if (!outboxId) throw new Error(`${kind}: a resume was refused`);
        // COMMIT_RUNS answers a row per run asked for: `version` checks this one's.
        await commitBatches(shape, [runId], {
          statement: kind === "outbox" ? COMMIT_RUNS_OUTBOX : COMMIT_RUNS_FLAG,
          batch: 1,
          item: () =>
            commitItem({
              ...sample.commits[0]!,
              tenantId: shape.tenantId,
              runId,
              expectedVersion: 1,
              status: "waiting",
              events: resumeEvents,
              appliedOutboxId: outboxId,
            }),
          version: 2,
          refused: `${kind}: a resume's commit was refused`,
        });
      }
    };

    const pending = async (kind: ShapeKind) => {
      const owner = shapes.get(kind)!.owner;
      const sql =
        kind === "outbox"
          ? "SELECT count(*)::int AS n FROM run_outbox WHERE dispatched_at IS NULL"
          : "SELECT count(*)::int AS n FROM runs WHERE start_pending";
      return (await owner.query<{ n: number }>(sql)).rows[0]!.n;
    };

    for (const kind of SHAPES) await life(kind, "direct", 64);

    type Key = `${ShapeKind}/${Path}/${number}`;
    const readings = new Map<Key, Reading[]>();
    const resumes = new Map<ShapeKind, Reading[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      await step(round, {
        readings: resumes,
        key: (kind) => kind,
        prepare: waitingRuns,
        work: resumeLife,
      });
      for (const path of PATHS) {
        for (const batch of BATCHES) {
          await step(round, {
            readings,
            key: (kind): Key => `${kind}/${path}/${batch}`,
            work: (kind) => life(kind, path, batch),
          });
        }
      }
    }
    for (const kind of SHAPES) {
      const left = await pending(kind);
      if (left !== 0) throw new Error(`${kind}: ${left} runs still to enqueue after their commits`);
    }
    const sizes = await sizesPerRun(shapes, SHAPES, TABLES);

    log(
      `outbox shape: one queued echo-router run (create, ${sample.commits.length} commit${sample.commits.length === 1 ? "" : "s"}` +
        `), ${ROUNDS} interleaved rounds of ${RUNS_PER_ROUND} runs per shape, path and batch size; production schema, ` +
        `RLS on; per run, median (min–max) over rounds`,
    );
    for (const path of PATHS) {
      for (const batch of BATCHES) {
        const label = (kind: ShapeKind) =>
          `  ${path.padEnd(10)} ${String(batch).padStart(2)}/stmt ${kind.padEnd(6)}`;
        const of = (kind: ShapeKind) => readings.get(`${kind}/${path}/${batch}`)!;
        for (const line of costLines(SHAPES, of, RUNS_PER_ROUND, label)) log(line);
      }
    }
    const resumeLabel = (kind: ShapeKind) => `  resume (request + applying commit) ${kind.padEnd(6)}`;
    for (const line of costLines(SHAPES, (kind) => resumes.get(kind)!, RESUMES_PER_ROUND, resumeLabel))
      log(line);
    log(`  ${sizeLine(TABLES, SHAPES, sizes)}`);
    return { ok: true };
  } finally {
    for (const shape of shapes.values()) await closeShape(shape);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runOutboxShapeBench((line) => process.stdout.write(`${line}\n`));
}
