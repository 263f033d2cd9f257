import { randomUUID } from "node:crypto";
import { INSERT_RUNS, insertItem } from "../../runtime/src/store/run-insert-sql";
import type { RunCommit } from "../../runtime/src/store/run-store";
import { timeOrderedId } from "../../runtime/src/store/time-ordered-id";
import { captureWebhookRun, freshRun } from "./capture-webhook-run";
import {
  closeShape,
  costLines,
  interleaved,
  openShape,
  reserveWal,
  sizesPerRun,
  storeBatches,
  type Reading,
  type Shape,
} from "./shape-meter";

/**
 * Where PostgreSQL's CPU goes when it stores a `trace: errors` webhook run (issue 20: "the run row's index
 * entries and the statement's jsonb work, not yet measured apart"). One production insert (INSERT_RUNS, one
 * run row, no journal) against the same insert with one part taken away, each in a scratch database with
 * production's schema (RLS on, tenant transactions as flowdeck_app, prepared): run ids as random UUIDv4
 * instead of UUIDv7; no secondary indexes on runs (primary key and claim key kept: they are what the insert
 * means); row-level security off; the run's state stored empty (what its ~1 KB of jsonb costs); and for scale,
 * the `trace: all` insert (the run and its journal row). Interleaved rounds, 16 runs per statement (what group
 * commit batches under the webhook bench's load). Not in `pnpm bench`'s verdict: it says where the cost is.
 */

const ROUNDS = 9;
const RUNS_PER_ROUND = 4_096;
const BATCH = 16;
const TABLES = ["runs", "run_journal"];

type Part = "production" | "v4 ids" | "no 2nd indexes" | "no RLS" | "empty state" | "trace all";
const PARTS: readonly Part[] = [
  "production",
  "v4 ids",
  "no 2nd indexes",
  "no RLS",
  "empty state",
  "trace all",
];
const DDL: Record<Part, readonly string[]> = {
  production: ["CREATE EXTENSION IF NOT EXISTS pg_walinspect"],
  "v4 ids": [],
  "no 2nd indexes": [
    "DROP INDEX runs_by_conversation, runs_by_workflow, runs_by_created, runs_unfinished, runs_start_pending",
  ],
  "no RLS": ["ALTER TABLE runs DISABLE ROW LEVEL SECURITY"],
  "empty state": [],
  "trace all": [],
};

export async function runRunInsertPartsBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const sample = await captureWebhookRun();
  const shapes = new Map<Part, Shape>();
  try {
    for (const part of PARTS) shapes.set(part, await openShape(part, DDL[part]));
    const meter = shapes.get("production")!.owner;
    await reserveWal(meter);
    const step = interleaved(meter, shapes, PARTS);
    const withDefinition = new Map<Part, boolean>(PARTS.map((part) => [part, true]));

    const store = (part: Part) => {
      const shape = shapes.get(part)!;
      return storeBatches(shape, {
        statement: INSERT_RUNS,
        count: RUNS_PER_ROUND,
        batch: BATCH,
        id: part === "v4 ids" ? randomUUID : timeOrderedId,
        item: (id) => {
          const run = freshRun(sample, shape.tenantId, id);
          const commit: RunCommit = {
            ...sample.commit,
            runId: id,
            tenantId: shape.tenantId,
            ...(part === "trace all" ? {} : { trace: "errors" }),
            ...(part === "empty state" ? { state: {} as RunCommit["state"] } : {}),
          };
          // The store sends a definition's text once per process, with the first run that uses it.
          const item = insertItem(run, commit, withDefinition.get(part)!);
          withDefinition.set(part, false);
          return item;
        },
        label: part,
        verb: "stored",
      });
    };

    for (const part of PARTS) await store(part);
    const readings = new Map<Part, Reading[]>();
    for (let round = 0; round < ROUNDS; round += 1)
      await step(round, { readings, key: (part) => part, work: async (part) => void (await store(part)) });
    const sizes = await sizesPerRun(shapes, PARTS, TABLES);

    const stateBytes = JSON.stringify(sample.commit.state).length;
    log(
      `run insert parts: a trace: errors echo-router webhook run (state ${stateBytes} B of JSON), ${ROUNDS} ` +
        `interleaved rounds of ${RUNS_PER_ROUND} runs, ${BATCH} per statement; per run, median (min–max) over rounds, ` +
        `ratio to production`,
    );
    const lines = costLines(
      PARTS,
      (part) => readings.get(part)!,
      RUNS_PER_ROUND,
      (part) => `  ${part.padEnd(15)}`,
    );
    for (const line of lines) log(line);
    log(
      `  table + index (${TABLES.join(", ")}) after VACUUM, B/run: ` +
        PARTS.map((part) => `${part} ${sizes.get(part)!.toFixed(0)}`).join(", "),
    );
    return { ok: true };
  } finally {
    for (const shape of shapes.values()) await closeShape(shape);
  }
}
