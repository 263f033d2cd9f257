import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { RunEvent } from "../../runtime/src/engine/run-types";
import { stepsFromEvents } from "../../runtime/src/engine/step-events";
import { runMigrations } from "../../runtime/src/store/migrate";
import { createHarness, type Harness } from "../../runtime/test/support/harness";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";

const RUNS = 100_000;
// Real engine runs, each stored RUNS / SAMPLE times: ~10 ms a run here, so 100,000 through the engine would
// take a quarter of an hour, while copies of what it stored are the same bytes.
const SAMPLE = 100;
const COPIES = RUNS / SAMPLE;
const WORKFLOWS_DIR = new URL("../../workflows/", import.meta.url);
// Questions the FAQ subflow answers from the demo shop's help center: router → faq_handling (kb search,
// condition, offline agent) → end, 23 events in 3 commits.
const QUESTIONS = [
  "What is your return policy?",
  "Do you ship internationally?",
  "How long does shipping to Canada take?",
  "Which payment methods do you accept?",
  "How do I know which size to order?",
];
const OLD_SHAPE = "0010_conversation_memory";
const OLD_TABLES = ["runs", "run_steps", "run_events", "run_outbox"];
const NEW_TABLES = ["runs", "run_journal", "run_definitions", "run_outbox"];
// Indexes the server's migrations add on run tables (1002 as it stood before the journal, and as it stands).
const OLD_SERVER_INDEXES = [
  "CREATE INDEX IF NOT EXISTS runs_by_created ON runs (tenant_id, created_at DESC)",
  "CREATE INDEX IF NOT EXISTS run_steps_by_finished ON run_steps (tenant_id, finished_at)",
];
const NEW_SERVER_INDEXES = [
  "CREATE INDEX IF NOT EXISTS runs_by_created ON runs (tenant_id, created_at DESC)",
];

interface TableSize {
  readonly table: string;
  readonly rows: number;
  readonly heapBytes: number;
  readonly indexBytes: number;
}

/**
 * Table + index bytes per run of the run log's two shapes (issue 20), in the same run: the support flow
 * (customer_support_workflow, FAQ route) runs SAMPLE times through the real engine and store on a fully
 * migrated database (the journal shape), and those rows are copied to RUNS runs with fresh ids. The old shape
 * (a database migrated through 0010) gets, for the same runs, the rows the first store wrote: the run with its
 * definition, one run_steps row per step, one run_events row per event (the events' data as the engine wrote it
 * before step records moved into them), then the same copies. Sizes are read after VACUUM ANALYZE.
 */
export async function runRunStorageBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const texts = readdirSync(WORKFLOWS_DIR)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => readFileSync(new URL(file, WORKFLOWS_DIR), "utf8"));
  const h: Harness = await createHarness({ kind: "pg", workflows: texts, seed: true });
  let old: TestDatabase | undefined;
  const clients: pg.Client[] = [];
  try {
    const started = performance.now();
    for (let i = 0; i < SAMPLE; i += 1) {
      const run = await h.engine.startRun({
        tenantId: h.tenantId,
        workflow: h.workflow("customer_support_workflow"),
        input: { message: QUESTIONS[i % QUESTIONS.length]! },
      });
      if (run.status !== "completed")
        throw new Error(`a support run ended ${run.status}: ${run.error?.message ?? ""}`);
    }
    const engineMs = (performance.now() - started) / SAMPLE;

    old = await createTestDatabase("pg", { migrateThrough: OLD_SHAPE });
    const oldTenant = await old.createTenant("Acme Outfitters");
    const fresh = await connect(h.database.name);
    const stale = await connect(old.name);
    clients.push(fresh, stale);

    await writeOldShape(fresh, stale, h.tenantId, oldTenant);
    const faithful = await checkOldShape(fresh, h.tenantId);
    const copyStarted = performance.now();
    await copyRuns(fresh, ["runs", "run_journal", "run_outbox"]);
    await copyRuns(stale, ["runs", "run_steps", "run_events", "run_outbox"]);
    for (const statement of NEW_SERVER_INDEXES) await fresh.query(statement);
    for (const statement of OLD_SERVER_INDEXES) await stale.query(statement);
    await Promise.all([fresh.query("VACUUM ANALYZE"), stale.query("VACUUM ANALYZE")]);
    const copySeconds = (performance.now() - copyStarted) / 1000;

    const before = await sizes(stale, OLD_TABLES);
    const after = await sizes(fresh, NEW_TABLES);
    const runsOf = (tables: readonly TableSize[]) => tables.find((t) => t.table === "runs")!.rows;
    if (runsOf(before) !== RUNS || runsOf(after) !== RUNS)
      throw new Error(`expected ${RUNS} runs in each shape, got ${runsOf(before)} and ${runsOf(after)}`);

    log(
      `run storage: ${RUNS.toLocaleString("en")} runs of the support flow (FAQ route), ${SAMPLE} through the engine ` +
        `(${engineMs.toFixed(1)} ms a run) copied ${COPIES}× each (${copySeconds.toFixed(0)} s), after VACUUM ANALYZE`,
    );
    const oldTotals = report(log, "old shape (row per step and per event, definition per run)", before);
    const newTotals = report(log, "journal (row per commit, shared definition)", after);
    const ratio = newTotals.bytes / oldTotals.bytes;
    log(
      `  bytes per run (table + index)            old ${perRun(oldTotals.bytes)}  new ${perRun(newTotals.bytes)}  ` +
        `ratio new / old ${ratio.toFixed(2)}x  (target < 1)`,
    );
    log(
      `  rows per run                             old ${(oldTotals.rows / RUNS).toFixed(2)}  ` +
        `new ${(newTotals.rows / RUNS).toFixed(2)}`,
    );
    log(
      `  old rows checked: migration 0011 turns them back into the engine's journal for ${faithful} of ${SAMPLE} runs`,
    );
    return { ok: ratio < 1 && faithful === SAMPLE };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await old?.close();
    await h.close();
  }
}

/** An owner connection to one test database (a superuser: RLS hides nothing, VACUUM runs outside a transaction). */
async function connect(database: string): Promise<pg.Client> {
  const url = new URL(
    process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

interface JournalRow {
  readonly run_id: string;
  readonly first_seq: number;
  readonly events: RunEvent[];
}

/**
 * The sample's rows as the first store wrote them (`git show ac9185a:runtime/src/store/run-batch-sql.ts`,
 * `run-insert-sql.ts` and `runtime/src/engine/run-journal.ts`): the run row carrying its definition, each event
 * its own row with the data the engine gave it then, and each step's last record a run_steps row. The inverse of
 * migration 0011's merge.
 */
async function writeOldShape(fresh: pg.Client, stale: pg.Client, tenantId: string, oldTenant: string) {
  const { rows: runs } = await fresh.query<{ run: Record<string, unknown> }>(
    `SELECT to_jsonb(r) - 'definition_hash' - 'mode'
              || jsonb_build_object('tenant_id', $2::uuid, 'definition', d.definition) AS run
       FROM runs r JOIN run_definitions d ON d.tenant_id = r.tenant_id AND d.hash = r.definition_hash
      WHERE r.tenant_id = $1`,
    [tenantId, oldTenant],
  );
  const { rows: journal } = await fresh.query<JournalRow>(
    "SELECT run_id::text, first_seq, events FROM run_journal WHERE tenant_id = $1 ORDER BY run_id, first_seq",
    [tenantId],
  );
  const { rows: outbox } = await fresh.query<{ row: Record<string, unknown> }>(
    "SELECT to_jsonb(o) || jsonb_build_object('tenant_id', $2::uuid) AS row FROM run_outbox o WHERE tenant_id = $1",
    [tenantId, oldTenant],
  );

  const events: unknown[] = [];
  const steps: unknown[] = [];
  const byRun = new Map<string, RunEvent[]>();
  for (const row of journal) {
    row.events.forEach((event, i) => {
      events.push({
        runId: row.run_id,
        seq: row.first_seq + i,
        type: event.type,
        data: oldEventData(event),
        at: event.at,
      });
    });
    byRun.set(row.run_id, [...(byRun.get(row.run_id) ?? []), ...row.events]);
  }
  for (const [runId, runEvents] of byRun) {
    for (const s of stepsFromEvents(runEvents)) steps.push({ runId, ...s });
  }

  await stale.query(
    `INSERT INTO runs (${await columns(stale, "runs")})
     SELECT ${await columns(stale, "runs")} FROM jsonb_populate_recordset(null::runs, $1::jsonb)`,
    [JSON.stringify(runs.map((r) => r.run))],
  );
  await stale.query(
    `INSERT INTO run_outbox SELECT * FROM jsonb_populate_recordset(null::run_outbox, $1::jsonb)`,
    [JSON.stringify(outbox.map((o) => o.row))],
  );
  // The first store's own expressions (INSERT_RUNS, COMMIT_RUNS): absent fields are SQL NULL, a null output is
  // the jsonb null.
  await stale.query(
    `INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
     SELECT $1, (e->>'runId')::uuid, (e->>'seq')::int, e->>'type', coalesce(e->'data', '{}'::jsonb),
            (e->>'at')::timestamptz
       FROM jsonb_array_elements($2::jsonb) AS event(e)`,
    [oldTenant, JSON.stringify(events)],
  );
  await stale.query(
    `INSERT INTO run_steps (tenant_id, run_id, step_id, node_name, node_type, attempt, status, port, output, error,
                            details, usage, started_at, finished_at)
     SELECT $1, (s->>'runId')::uuid, s->>'stepId', s->>'nodeName', s->>'nodeType', (s->>'attempt')::int,
            s->>'status', s->>'port', s->'output', s->'error', s->'details', s->'usage',
            (s->>'startedAt')::timestamptz, (s->>'finishedAt')::timestamptz
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS step(s, ord)
      ORDER BY ord`,
    [oldTenant, JSON.stringify(steps)],
  );
}

/**
 * How many sampled runs the old-shape rows stand for exactly: written to a third database of the old shape and
 * migrated by 0011, each run's journal must be the events the engine wrote, in order, as the same jsonb.
 */
async function checkOldShape(fresh: pg.Client, tenantId: string): Promise<number> {
  const check = await createTestDatabase("pg", { migrateThrough: OLD_SHAPE });
  const client = await connect(check.name);
  try {
    await writeOldShape(fresh, client, tenantId, await check.createTenant("Acme Outfitters"));
    await runMigrations(check.db);
    const journal = `SELECT run_id::text AS id, jsonb_agg(e ORDER BY first_seq, i)::text AS events
                       FROM run_journal, jsonb_array_elements(events) WITH ORDINALITY AS event(e, i)
                      GROUP BY run_id`;
    const { rows: engine } = await fresh.query<{ id: string; events: string }>(journal);
    const { rows: migrated } = await client.query<{ id: string; events: string }>(journal);
    const expected = new Map(engine.map((row) => [row.id, row.events]));
    return migrated.filter((row) => expected.get(row.id) === row.events).length;
  } finally {
    await client.end();
    await check.close();
  }
}

// What the step record added to an event's data (step-events.ts); before, those fields were the step row's.
const RECORD_FIELDS = new Set(["attempt", "status", "output", "error", "startedAt"]);

/** An event's data as the engine wrote it before the journal (run-journal.ts at ac9185a). */
function oldEventData(event: RunEvent): Record<string, unknown> {
  const data = event.data;
  if (event.type === "step.failed") {
    return { stepId: data.stepId, node: data.node, error: data.error, attempts: data.attempts };
  }
  if ((event.type === "step.completed" || event.type === "step.started") && typeof data.status === "string") {
    // A returning subflow said only which step it was.
    if (data.type === "subflow" && !("waiting" in data)) {
      return { stepId: data.stepId, node: data.node, type: "subflow" };
    }
    return Object.fromEntries(Object.entries(data).filter(([key]) => !RECORD_FIELDS.has(key)));
  }
  return data;
}

/** A table's insertable columns (not generated, not identity), in order, with their types. */
async function columnTypes(client: pg.Client, table: string): Promise<Array<{ name: string; type: string }>> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' AND is_identity = 'NO'
      ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

async function columns(client: pg.Client, table: string): Promise<string> {
  return (await columnTypes(client, table)).map((column) => column.name).join(", ");
}

/**
 * COPIES − 1 more of every sampled run, in one statement per table: the same bytes under fresh ids (run and
 * conversation ids derived from the original and the copy number, so a run's rows stay together; outbox ids
 * random) and with every timestamp moved by the copy number in seconds, so indexes on times or conversations
 * hold distinct keys as real runs would (identical keys would shrink them by B-tree deduplication).
 */
async function copyRuns(client: pg.Client, tables: readonly string[]): Promise<void> {
  const renamed: Record<string, string> = {
    id: "md5(id::text || ':' || copy_no)::uuid",
    run_id: "md5(run_id::text || ':' || copy_no)::uuid",
    conversation_id: "md5(conversation_id || ':' || copy_no)::uuid::text",
    claim_key: "claim_key || ':' || copy_no",
  };
  for (const table of tables) {
    const list = await columnTypes(client, table);
    const values = list.map(({ name, type }) => {
      if (table === "run_outbox" && name === "id") return "gen_random_uuid()";
      if (type === "timestamp with time zone") return `${name} + copy_no * interval '1 second'`;
      return renamed[name] ?? name;
    });
    await client.query(
      `INSERT INTO ${table} (${list.map((column) => column.name).join(", ")})
       SELECT ${values.join(", ")} FROM ${table}, generate_series(1, ${COPIES - 1}) AS copy_no ORDER BY copy_no`,
    );
  }
}

async function sizes(client: pg.Client, tables: readonly string[]): Promise<TableSize[]> {
  const result: TableSize[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ rows: string; heap: string; indexes: string }>(
      `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_table_size('${table}') AS heap,
              pg_indexes_size('${table}') AS indexes`,
    );
    const row = rows[0]!;
    result.push({
      table,
      rows: Number(row.rows),
      heapBytes: Number(row.heap),
      indexBytes: Number(row.indexes),
    });
  }
  return result;
}

function report(log: (line: string) => void, title: string, tables: readonly TableSize[]) {
  log(`  ${title}`);
  let bytes = 0;
  let rows = 0;
  for (const t of tables) {
    bytes += t.heapBytes + t.indexBytes;
    rows += t.rows;
    log(
      `    ${t.table.padEnd(16)} ${String(t.rows).padStart(9)} rows  table ${mb(t.heapBytes)}  ` +
        `indexes ${mb(t.indexBytes)}  per run ${perRun(t.heapBytes + t.indexBytes)}`,
    );
  }
  log(`    ${"total".padEnd(16)} ${String(rows).padStart(9)} rows  ${mb(bytes)}`);
  return { bytes, rows };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MB`;
const perRun = (bytes: number) => `${Math.round(bytes / RUNS).toLocaleString("en")} B`;
