import { COMMIT_RUNS, commitItem } from "../../runtime/src/store/run-batch-sql";
import { INSERT_RUNS, insertItem } from "../../runtime/src/store/run-insert-sql";
import { captureWebhookRun, freshRun } from "./capture-webhook-run";
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
const TABLES = ["runs", "run_journal"];

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
    const step = interleaved(shapes.get("beside")!.owner, shapes, PLACEMENTS);
    type Key = `${Placement}/${number}`;
    const inserts = new Map<Key, Reading[]>();
    const commits = new Map<Key, Reading[]>();
    const stored = new Map<Key, string[][]>();
    const withDefinition = new Map<Placement, boolean>(PLACEMENTS.map((p) => [p, true]));

    const insertRound = (placement: Placement, batch: number): Promise<string[]> => {
      const shape = shapes.get(placement)!;
      return storeBatches(shape, {
        statement: placement === "beside" ? INSERT_RUNS : INSERT_RUNS_INLINE,
        count: RUNS_PER_ROUND,
        batch,
        item: (id) => {
          const run = freshRun(sample, shape.tenantId, id);
          // The store sends a definition's text once per process, with the first run that uses it.
          const item = insertItem(
            run,
            { ...sample.commit, runId: id, tenantId: shape.tenantId },
            withDefinition.get(placement)!,
          );
          withDefinition.set(placement, false);
          return item;
        },
        label: placement,
        verb: "stored",
      });
    };

    const commitRound = (placement: Placement, batch: number, ids: readonly string[], version = 1) => {
      const shape = shapes.get(placement)!;
      return commitBatches(shape, ids, {
        statement: placement === "beside" ? COMMIT_RUNS : COMMIT_RUNS_INLINE,
        batch,
        item: (runId) =>
          commitItem({
            tenantId: shape.tenantId,
            runId,
            expectedVersion: version,
            status: "completed",
            state: sample.commit.state,
            events: later,
          }),
        version: version + 1,
        refused: `${placement}: a later commit was refused`,
      });
    };

    // Warm-up: prepares the statements on both connections and stores the definition snapshot.
    for (const placement of PLACEMENTS) await insertRound(placement, 64);

    for (let round = 0; round < ROUNDS; round += 1) {
      for (const batch of BATCHES) {
        await step(round, {
          readings: inserts,
          key: (placement): Key => `${placement}/${batch}`,
          work: async (placement) => {
            const key: Key = `${placement}/${batch}`;
            stored.set(key, [...(stored.get(key) ?? []), await insertRound(placement, batch)]);
          },
        });
      }
    }
    const insertSizes = await sizesPerRun(shapes, PLACEMENTS, TABLES);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const batch of BATCHES) {
        await step(round, {
          readings: commits,
          key: (placement): Key => `${placement}/${batch}`,
          work: (placement) => commitRound(placement, batch, stored.get(`${placement}/${batch}`)![round]!),
        });
      }
    }
    const commitSizes = await sizesPerRun(shapes, PLACEMENTS, TABLES);

    // A long conversation: LATER_COMMITS - 2 more commits on the 64-per-statement runs (not measured), then the
    // last one measured. Inline, each append rewrites the run's whole array (TOAST compresses it in the row, or
    // stores it out of line once large); beside, a commit writes only its own events.
    const lastCommits = new Map<Key, Reading[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      await step(round, {
        readings: lastCommits,
        key: (placement): Key => `${placement}/64`,
        prepare: async (placement) => {
          const ids = stored.get(`${placement}/64`)![round]!;
          for (let version = 2; version < LATER_COMMITS; version += 1)
            await commitRound(placement, 64, ids, version);
          return ids;
        },
        work: (placement, ids) => commitRound(placement, 64, ids, LATER_COMMITS),
      });
    }
    const lastSizes = await sizesPerRun(shapes, PLACEMENTS, TABLES);

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
        const lines = costLines(
          PLACEMENTS,
          (placement) => readings.get(`${placement}/${batch}`)!,
          RUNS_PER_ROUND,
          (placement) => `    ${String(batch).padStart(2)}/stmt ${placement.padEnd(6)}`,
        );
        for (const line of lines) log(line);
      }
      log(`    ${sizeLine(TABLES, PLACEMENTS, sizes)}`);
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
