import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import type { Database, PreparedSql } from "../../runtime/src/store/database";
import { jsonArray } from "../../runtime/src/store/run-batch-sql";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";
import { runServerMigrations } from "../../server/src/store/server-migrations";
import { databaseWalBytes } from "./run-storage-meter";

/**
 * What the storage-shape benches (`journal-placement-bench.ts`, `outbox-shape-bench.ts`) share: scratch
 * databases with production's schema, one per shape, and what a piece of work costs in one of them (WAL of its
 * database by pg_walinspect, CPU of its PostgreSQL backend, table + index bytes), measured in interleaved rounds
 * and printed as ratios against the first shape.
 */

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

/** One measured step of a round: each shape's readings are appended under `key(kind)`. */
export interface RoundStep<S, K, P> {
  readonly readings: Map<K, Reading[]>;
  readonly key: (kind: S) => K;
  /** Not measured: what a shape needs before its measured work (runs to resume, earlier commits). */
  readonly prepare?: (kind: S) => Promise<P>;
  readonly work: (kind: S, prepared: P) => Promise<void>;
}

/**
 * Interleaved rounds over `kinds`: each step measures every shape in turn, `kinds` as listed in even rounds and
 * reversed in odd ones, so neither shape always goes first. `meter` as for `measure`.
 */
export function interleaved<S extends string>(
  meter: pg.Client,
  shapes: ReadonlyMap<S, Shape>,
  kinds: readonly S[],
): <K, P = undefined>(round: number, step: RoundStep<S, K, P>) => Promise<void> {
  return async (round, step) => {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const prepared = step.prepare ? await step.prepare(kind) : (undefined as never);
      const reading = await measure(meter, shapes.get(kind)!, () => step.work(kind, prepared));
      const key = step.key(kind);
      step.readings.set(key, [...(step.readings.get(key) ?? []), reading]);
    }
  };
}

export interface StoreBatches {
  /** INSERT_RUNS- or CREATE_RUNS-shaped: the tenant and a JSON array of items, a row back per run stored. */
  readonly statement: PreparedSql;
  readonly count: number;
  readonly batch: number;
  /** A run's item for `statement`, given its fresh id. */
  readonly item: (id: string) => string;
  /** For the error: "`label`: n of batch runs `verb`". */
  readonly label: string;
  readonly verb: string;
  /** A new run id; random UUIDv4 unless given. */
  readonly id?: () => string;
}

/** Stores `count` new runs, `batch` per statement, each with a fresh id; returns the ids. */
export async function storeBatches(shape: Shape, o: StoreBatches): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < o.count; offset += o.batch) {
    const items: string[] = [];
    for (let i = 0; i < o.batch; i += 1) {
      const id = o.id ? o.id() : randomUUID();
      ids.push(id);
      items.push(o.item(id));
    }
    const { rows } = await shape.db.statement(o.statement, [shape.tenantId, jsonArray(items)], {
      tenantId: shape.tenantId,
    });
    if (rows.length !== o.batch) throw new Error(`${o.label}: ${rows.length} of ${o.batch} runs ${o.verb}`);
  }
  return ids;
}

export interface CommitBatches {
  /** COMMIT_RUNS-shaped: the tenant, a JSON array of commit items and the run ids. */
  readonly statement: PreparedSql;
  readonly batch: number;
  readonly item: (runId: string) => string;
  /** The state version every run must reach; else an error saying `refused`. */
  readonly version: number;
  readonly refused: string;
}

/** Commits to each of `ids`, `batch` per statement. */
export async function commitBatches(shape: Shape, ids: readonly string[], o: CommitBatches): Promise<void> {
  for (let offset = 0; offset < ids.length; offset += o.batch) {
    const slice = ids.slice(offset, offset + o.batch);
    const items = slice.map((runId) => o.item(runId));
    const { rows } = await shape.db.statement<{ state_version: number | null }>(
      o.statement,
      [shape.tenantId, jsonArray(items), slice],
      { tenantId: shape.tenantId },
    );
    if (rows.some((row) => row.state_version !== o.version)) throw new Error(o.refused);
  }
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

/** Each shape's table + index bytes of `tables` (after VACUUM ANALYZE) per row of `runs`. */
export async function sizesPerRun<S extends string>(
  shapes: ReadonlyMap<S, Shape>,
  kinds: readonly S[],
  tables: readonly string[],
): Promise<Map<S, number>> {
  const sizes = new Map<S, number>();
  for (const kind of kinds) {
    const shape = shapes.get(kind)!;
    const bytes = await tableBytes(shape, tables);
    const { rows } = await shape.owner.query<{ n: string }>("SELECT count(*)::text AS n FROM runs");
    sizes.set(kind, bytes / Number(rows[0]!.n));
  }
  return sizes;
}

/** "table + index (…) after VACUUM" of the first two shapes, the second's ratio to the first. */
export function sizeLine<S extends string>(
  tables: readonly string[],
  kinds: readonly S[],
  sizes: ReadonlyMap<S, number>,
): string {
  const [a, b] = [kinds[0]!, kinds[1]!];
  return (
    `table + index (${tables.join(", ")}) after VACUUM: ${a} ${sizes.get(a)!.toFixed(0)} B/run, ` +
    `${b} ${sizes.get(b)!.toFixed(0)} B/run (${(sizes.get(b)! / sizes.get(a)!).toFixed(2)}×)`
  );
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

/** "median (min–max)" of per-run values. */
export function spread(values: readonly number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (value: number) =>
    value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(median(sorted))} (${f(sorted[0]!)}–${f(sorted[sorted.length - 1]!)})`;
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

/** A costLine per shape after its `label`, each against the first shape's readings. */
export function costLines<S>(
  kinds: readonly S[],
  readingsOf: (kind: S) => readonly Reading[],
  runs: number,
  label: (kind: S) => string,
): string[] {
  const base = readingsOf(kinds[0]!);
  return kinds.map((kind) => `${label(kind)} ${costLine(readingsOf(kind), base, runs)}`);
}

/** Replaces `from` in `text`, failing loudly if the production statement no longer contains it. */
export function rewrite(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`statement rewrite found nothing for ${String(from)}`);
  return next;
}
