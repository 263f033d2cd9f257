import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import type { Database } from "../../runtime/src/store/database";
import { COMMIT_RUNS, commitItem, jsonArray } from "../../runtime/src/store/run-batch-sql";
import { INSERT_RUNS, insertItem } from "../../runtime/src/store/run-insert-sql";
import type { RunCommit, StartedRun } from "../../runtime/src/store/run-store";
import { createHarness } from "../../runtime/test/support/harness";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { runServerMigrations } from "../../server/src/store/server-migrations";
import { databaseWalBytes } from "./run-storage-meter";

/**
 * Where a deferred pure webhook run's first journal batch goes (issue 20): beside the run, as INSERT_RUNS
 * writes it today (the run row and a `run_journal` row from one statement), or inline, in a `journal jsonb`
 * column of the run row (one row). Each shape is a scratch database with production's schema (runtime and
 * server migrations, RLS on, statements sent as `flowdeck_app` in tenant transactions through the store's own
 * `Database`, prepared); the inline one adds the column and runs INSERT_RUNS with the journal CTE folded into
 * the run insert. The run is a real one: the echo-router flow through the engine (`deferStore`, as the webhook
 * channel starts it), its `insertRun` call captured and replayed with fresh ids and claim keys. Then each
 * stored run gets a later commit of 4 events (COMMIT_RUNS: a journal row beside, or the inline array appended
 * by the run's UPDATE) to show what inline costs afterwards, and the 64-per-statement runs go on to a 10th
 * (a long conversation: inline, every append rewrites the whole array). Shapes alternate within each round,
 * rounds alternate which goes first. Printed per run: WAL bytes of the shape's database (pg_walinspect:
 * records on its relations and its transactions' commit records, with and without full-page images; a
 * temporary replication slot keeps the segments until read), CPU of its PostgreSQL backend (/proc schedstat),
 * table + index bytes after VACUUM. Needs a superuser and contrib's pg_walinspect. Not in `pnpm bench`'s
 * verdict: it informs a choice (runtime/CONTEXT.md, "Journal placement and the outbox").
 */

const ROUNDS = 7;
const RUNS_PER_ROUND = 1_024;
/** Group commit's ceiling (a busy tenant) and a lone request. */
const BATCHES = [64, 1] as const;
const LATER_EVENTS = 4;
const LATER_COMMITS = 10;

export const ECHO_ROUTER_FLOW = `name: echo_router
trigger: { type: webhook }
nodes:
  - name: start
    type: start
    config:
      inputs:
        - { name: message, type: string, required: true }
  - name: remember
    type: set
    config: { values: { text: "{{ input.message }}" } }
  - name: is_order
    type: condition
    config: { expression: "vars.text.contains('order')" }
  - name: order_reply
    type: end
    config: { output: { route: order, echo: "{{ vars.text }}" } }
  - name: other_reply
    type: end
    config: { output: { route: other, echo: "{{ vars.text }}" } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: order_reply, port: then }
  - { from: is_order, to: other_reply, port: else }
`;

/** One scratch database with production's schema, one pooled connection (so one backend to read CPU from). */
export interface Shape {
  readonly label: string;
  readonly test: TestDatabase;
  readonly db: Database;
  readonly owner: pg.Client;
  readonly oid: number;
  readonly tenantId: string;
}

export async function openShape(label: string, ddl: readonly string[]): Promise<Shape> {
  const test = await createTestDatabase("pg", { maxConnections: 1 });
  try {
    await runServerMigrations(test.db);
    const tenantId = await test.createTenant("Bench");
    const url = new URL(
      process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    );
    url.pathname = `/${test.name}`;
    const owner = new pg.Client({ connectionString: url.toString() });
    await owner.connect();
    for (const statement of ddl) await owner.query(statement);
    const { rows } = await owner.query<{ oid: number }>(
      "SELECT oid::int AS oid FROM pg_database WHERE datname = current_database()",
    );
    return { label, test, db: test.db, owner, oid: rows[0]!.oid, tenantId };
  } catch (error) {
    await test.close();
    throw error;
  }
}

export async function closeShape(shape: Shape | undefined): Promise<void> {
  if (!shape) return;
  await shape.owner.end().catch(() => undefined);
  await shape.test.close();
}

/**
 * Keeps the WAL that measurements read: other databases' DROP DATABASE forces checkpoints, which recycle
 * segments pg_walinspect still has to read. A temporary physical slot on `meter` (dropped with its session),
 * advanced after each measurement.
 */
export async function reserveWal(meter: pg.Client): Promise<void> {
  await meter.query("SELECT pg_create_physical_replication_slot($1, true, true)", [slotName(meter)]);
}

function slotName(meter: pg.Client): string {
  return `flowdeck_bench_${(meter as unknown as { processID: number }).processID}`;
}

/** CPU time of one process in µs: schedstat's nanoseconds where present, else stat's clock ticks. */
function cpuUs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1000;
  } catch {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  }
}

export interface Reading {
  /** WAL records on the shape's relations and its transactions' commit records. */
  walBytes: number;
  /** The same without full-page images (which depend on when the last checkpoint was). */
  walBytesNoFpi: number;
  /** The whole cluster's LSN difference (includes other databases' writes, page headers, padding). */
  clusterWalBytes: number;
  /** The shape's backend. */
  cpuUs: number;
}

/**
 * Runs `work` against a shape and reads what it cost. `meter` must be a connection to a database with
 * pg_walinspect. The backend's pid is read first: the pool may have replaced an idle connection.
 */
export async function measure(meter: pg.Client, shape: Shape, work: () => Promise<void>): Promise<Reading> {
  const pid = await shape.db.ownerTransaction(
    async (sql) => (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid,
  );
  const start = (await meter.query<{ l: string }>("SELECT pg_current_wal_insert_lsn()::text AS l")).rows[0]!
    .l;
  const cpuBefore = cpuUs(pid);
  await work();
  const cpuAfter = cpuUs(pid);
  const samePid = await shape.db.ownerTransaction(
    async (sql) => (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid,
  );
  if (samePid !== pid) throw new Error(`${shape.label}: the backend changed during a measurement`);
  const end = (await meter.query<{ l: string }>("SELECT pg_current_wal_flush_lsn()::text AS l")).rows[0]!.l;
  const wal = await databaseWalBytes(meter, start, end, shape.oid);
  const cluster = (
    await meter.query<{ b: string }>("SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS b", [
      end,
      start,
    ])
  ).rows[0]!.b;
  await meter.query("SELECT pg_replication_slot_advance($1, $2::pg_lsn)", [slotName(meter), end]);
  return {
    walBytes: wal.bytes,
    walBytesNoFpi: wal.bytesWithoutPageImages,
    clusterWalBytes: Number(cluster),
    cpuUs: cpuAfter - cpuBefore,
  };
}

/** Table + index bytes of `tables`, after VACUUM ANALYZE. */
export async function tableBytes(shape: Shape, tables: readonly string[]): Promise<number> {
  await shape.owner.query("VACUUM ANALYZE");
  const { rows } = await shape.owner.query<{ b: string }>(
    "SELECT sum(pg_total_relation_size(t::regclass))::text AS b FROM unnest($1::text[]) AS t",
    [tables],
  );
  return Number(rows[0]!.b);
}

/** "median (min–max)" of per-run values. */
export function spread(values: readonly number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted.length % 2 === 1
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const f = (value: number) =>
    value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(median)} (${f(sorted[0]!)}–${f(sorted[sorted.length - 1]!)})`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

/** One contender's readings against the baseline's, per run: WAL, WAL without page images, backend CPU. */
export function costLine(r: readonly Reading[], base: readonly Reading[], runs: number): string {
  const per = (pick: (x: Reading) => number) => r.map((x) => pick(x) / runs);
  const ratio = (pick: (x: Reading) => number) => (median(r.map(pick)) / median(base.map(pick))).toFixed(2);
  return (
    `WAL ${spread(per((x) => x.walBytes))} B (${ratio((x) => x.walBytes)}×), ` +
    `w/o page images ${spread(per((x) => x.walBytesNoFpi))} B (${ratio((x) => x.walBytesNoFpi)}×), ` +
    `PostgreSQL CPU ${spread(
      per((x) => x.cpuUs),
      1,
    )} µs (${ratio((x) => x.cpuUs)}×)`
  );
}

/** Replaces `from` in `text`, failing loudly if the production statement no longer contains it. */
export function rewrite(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`statement rewrite found nothing for ${String(from)}`);
  return next;
}

// INSERT_RUNS with the first batch inline: the run insert carries `b->'events'` in `journal` and there is no
// journal CTE. Everything else (snapshot CTE, claim conflict, columns) as production sends it.
const INSERT_RUNS_INLINE = {
  name: "bench_insert_runs_inline",
  text: rewrite(
    rewrite(
      rewrite(INSERT_RUNS.text, "activations_unfinished)", "activations_unfinished, journal)"),
      "CASE WHEN b ? 'activationEnded' THEN 0 ELSE 1 END",
      "CASE WHEN b ? 'activationEnded' THEN 0 ELSE 1 END,\n         " +
        "CASE WHEN jsonb_array_length(b->'events') > 0 THEN b->'events' END",
    ),
    /\), journal AS \([\s\S]*?\n\)\nSELECT/,
    ")\nSELECT",
  ),
};

// COMMIT_RUNS with the commit's events appended to the run row's array instead of a journal row of their own.
const COMMIT_RUNS_INLINE = {
  name: "bench_commit_runs_inline",
  text: rewrite(
    rewrite(
      COMMIT_RUNS.text,
      "updated_at = now()",
      "updated_at = now(),\n         journal = coalesce(r.journal, '[]'::jsonb) || (batch.b->'events')",
    ),
    /\), journal AS \([\s\S]*?\n\), outbox AS/,
    "), outbox AS",
  ),
};

interface Captured {
  readonly run: StartedRun;
  readonly commit: RunCommit;
}

/** One echo-router webhook run through the real engine, deferred as the webhook channel starts it. */
async function captureWebhookRun(): Promise<Captured> {
  const h = await createHarness({ kind: "pg", workflows: [ECHO_ROUTER_FLOW] });
  try {
    let captured: Captured | undefined;
    const insertRun = h.store.insertRun.bind(h.store);
    h.store.insertRun = async (run, commit) => {
      captured ??= { run, commit };
      return insertRun(run, commit);
    };
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("echo_router"),
      input: { message: "where is my order AO-10492" },
      channel: "webhook",
      claim: { key: `msg-${randomUUID()}`, duplicate: () => new Error("duplicate") },
      deferStore: true,
    });
    if (run.status !== "completed" || !captured) throw new Error(`echo-router run ended ${run.status}`);
    return captured;
  } finally {
    await h.close();
  }
}

type Placement = "beside" | "inline";
const PLACEMENTS: readonly Placement[] = ["beside", "inline"];

export async function runJournalPlacementBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const sample = await captureWebhookRun();
  const later = sample.commit.events.slice(2, 2 + LATER_EVENTS);
  const shapes = new Map<Placement, Shape>();
  try {
    shapes.set("beside", await openShape("beside", ["CREATE EXTENSION IF NOT EXISTS pg_walinspect"]));
    await reserveWal(shapes.get("beside")!.owner);
    shapes.set("inline", await openShape("inline", ["ALTER TABLE runs ADD COLUMN journal jsonb"]));
    const meter = shapes.get("beside")!.owner;
    type Key = `${Placement}/${number}`;
    const inserts = new Map<Key, Reading[]>();
    const commits = new Map<Key, Reading[]>();
    const stored = new Map<Key, string[][]>();
    const withDefinition = new Map<Placement, boolean>(PLACEMENTS.map((p) => [p, true]));

    const insertRound = async (placement: Placement, batch: number): Promise<string[]> => {
      const shape = shapes.get(placement)!;
      const ids: string[] = [];
      for (let offset = 0; offset < RUNS_PER_ROUND; offset += batch) {
        const items: string[] = [];
        for (let i = 0; i < batch; i += 1) {
          const id = randomUUID();
          ids.push(id);
          const run: StartedRun = {
            ...sample.run,
            tenantId: shape.tenantId,
            id,
            createdAt: new Date().toISOString(),
            claim: { key: `msg-${id}`, duplicate: () => new Error("duplicate") },
          };
          // The store sends a definition's text once per process, with the first run that uses it.
          items.push(
            insertItem(
              run,
              { ...sample.commit, runId: id, tenantId: shape.tenantId },
              withDefinition.get(placement)!,
            ),
          );
          withDefinition.set(placement, false);
        }
        const statement = placement === "beside" ? INSERT_RUNS : INSERT_RUNS_INLINE;
        const { rows } = await shape.db.statement(statement, [shape.tenantId, jsonArray(items)], {
          tenantId: shape.tenantId,
        });
        if (rows.length !== batch) throw new Error(`${placement}: ${rows.length} of ${batch} runs stored`);
      }
      return ids;
    };

    const commitRound = async (placement: Placement, batch: number, ids: readonly string[], version = 1) => {
      const shape = shapes.get(placement)!;
      for (let offset = 0; offset < ids.length; offset += batch) {
        const slice = ids.slice(offset, offset + batch);
        const items = slice.map((runId) =>
          commitItem({
            tenantId: shape.tenantId,
            runId,
            expectedVersion: version,
            status: "completed",
            state: sample.commit.state,
            events: later,
          }),
        );
        const statement = placement === "beside" ? COMMIT_RUNS : COMMIT_RUNS_INLINE;
        const { rows } = await shape.db.statement<{ state_version: number | null }>(
          statement,
          [shape.tenantId, jsonArray(items), slice],
          { tenantId: shape.tenantId },
        );
        if (rows.some((row) => row.state_version !== version + 1))
          throw new Error(`${placement}: a later commit was refused`);
      }
    };

    // Warm-up: prepares the statements on both connections and stores the definition snapshot.
    for (const placement of PLACEMENTS) await insertRound(placement, 64);

    for (let round = 0; round < ROUNDS; round += 1) {
      for (const batch of BATCHES) {
        const order = round % 2 === 0 ? PLACEMENTS : [...PLACEMENTS].reverse();
        for (const placement of order) {
          const key: Key = `${placement}/${batch}`;
          let ids: string[] = [];
          const reading = await measure(meter, shapes.get(placement)!, async () => {
            ids = await insertRound(placement, batch);
          });
          inserts.set(key, [...(inserts.get(key) ?? []), reading]);
          stored.set(key, [...(stored.get(key) ?? []), ids]);
        }
      }
    }
    const insertSizes = new Map<Placement, number>();
    const runCount = async (shape: Shape) =>
      Number((await shape.owner.query<{ n: string }>("SELECT count(*)::text AS n FROM runs")).rows[0]!.n);
    for (const placement of PLACEMENTS) {
      const shape = shapes.get(placement)!;
      insertSizes.set(
        placement,
        (await tableBytes(shape, ["runs", "run_journal"])) / (await runCount(shape)),
      );
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const batch of BATCHES) {
        const order = round % 2 === 0 ? PLACEMENTS : [...PLACEMENTS].reverse();
        for (const placement of order) {
          const key: Key = `${placement}/${batch}`;
          const ids = stored.get(key)![round]!;
          const reading = await measure(meter, shapes.get(placement)!, () =>
            commitRound(placement, batch, ids),
          );
          commits.set(key, [...(commits.get(key) ?? []), reading]);
        }
      }
    }
    const commitSizes = new Map<Placement, number>();
    for (const placement of PLACEMENTS) {
      const shape = shapes.get(placement)!;
      commitSizes.set(
        placement,
        (await tableBytes(shape, ["runs", "run_journal"])) / (await runCount(shape)),
      );
    }

    // A long conversation: LATER_COMMITS - 2 more commits on the 64-per-statement runs (not measured), then the
    // last one measured. Inline, each append rewrites the run's whole array (TOAST compresses it in the row, or
    // stores it out of line once large); beside, a commit writes only its own events.
    const lastCommits = new Map<Key, Reading[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? PLACEMENTS : [...PLACEMENTS].reverse();
      for (const placement of order) {
        const key: Key = `${placement}/64`;
        const ids = stored.get(key)![round]!;
        for (let version = 2; version < LATER_COMMITS; version += 1)
          await commitRound(placement, 64, ids, version);
        const reading = await measure(meter, shapes.get(placement)!, () =>
          commitRound(placement, 64, ids, LATER_COMMITS),
        );
        lastCommits.set(key, [...(lastCommits.get(key) ?? []), reading]);
      }
    }
    const lastSizes = new Map<Placement, number>();
    for (const placement of PLACEMENTS) {
      const shape = shapes.get(placement)!;
      lastSizes.set(placement, (await tableBytes(shape, ["runs", "run_journal"])) / (await runCount(shape)));
    }

    const eventsBytes = JSON.stringify(sample.commit.events).length;
    log(
      `journal placement: echo-router webhook run (${sample.commit.events.length + 1} events, ${eventsBytes} B of JSON), ` +
        `${ROUNDS} interleaved rounds of ${RUNS_PER_ROUND} runs per shape and batch size; production schema, RLS on, ` +
        `tenant transactions as flowdeck_app; per run, median (min–max) over rounds`,
    );
    const report = (
      title: string,
      readings: Map<Key, Reading[]>,
      sizes: Map<Placement, number>,
      batches: readonly number[] = BATCHES,
    ) => {
      log(`  ${title}`);
      for (const batch of batches) {
        const base = readings.get(`beside/${batch}`)!;
        for (const placement of PLACEMENTS) {
          const r = readings.get(`${placement}/${batch}`)!;
          log(
            `    ${String(batch).padStart(2)}/stmt ${placement.padEnd(6)} ${costLine(r, base, RUNS_PER_ROUND)}`,
          );
        }
      }
      log(
        `    table + index (runs, run_journal) after VACUUM: beside ${sizes.get("beside")!.toFixed(0)} B/run, ` +
          `inline ${sizes.get("inline")!.toFixed(0)} B/run (${(sizes.get("inline")! / sizes.get("beside")!).toFixed(2)}×)`,
      );
    };
    report("insert (INSERT_RUNS: run + first journal batch)", inserts, insertSizes);
    report(
      `a later commit of ${LATER_EVENTS} events (COMMIT_RUNS: journal row vs in-row append)`,
      commits,
      commitSizes,
    );
    report(
      `the ${LATER_COMMITS}th later commit of ${LATER_EVENTS} events, 64 per statement (sizes: all runs, the 64-per-statement half after ${LATER_COMMITS} commits)`,
      lastCommits,
      lastSizes,
      [64],
    );
    return { ok: true };
  } finally {
    for (const shape of shapes.values()) await closeShape(shape);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runJournalPlacementBench((line) => process.stdout.write(`${line}\n`));
}
