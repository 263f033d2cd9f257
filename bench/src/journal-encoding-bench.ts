import { randomUUID } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import pg from "pg";
import { stepEventData } from "../../runtime/src/engine/step-events";
import type { RunEvent } from "../../runtime/src/engine/run-types";
import { cpuMsBetween, postgresCpuMs } from "./process-cpu";

/**
 * How to encode a journal row's events (issue 20, item 1): the `jsonb` array the store writes, against the same
 * events as compact bytes (`bytea` of the JSON text, and of the JSON deflated). Each encoding writes the same
 * journal rows — one echo-router webhook run's events each — into a table of its own with the journal's key, in
 * group-committed statements of 64 rows as the store sends them, interleaved in rounds. Printed per row: WAL
 * bytes, PostgreSQL CPU, the client's encoding CPU, and table + index bytes. Not in `pnpm bench`'s verdict:
 * it informs a choice (runtime/CONTEXT.md), it has no target.
 */

const ROWS_PER_ROUND = 6_400;
const ROUNDS = 3;
const BATCH = 64;

type Encoding = "jsonb" | "bytes" | "deflated";
const ENCODINGS: readonly Encoding[] = ["jsonb", "bytes", "deflated"];

/** One echo-router run's journal, as the engine writes it: run.created, five steps' events, run.completed. */
function echoRunEvents(message: string): RunEvent[] {
  const at = new Date().toISOString();
  const events: RunEvent[] = [
    { type: "run.created", data: { workflow: "echo_router", version: 1, channel: "webhook" }, at },
    { type: "run.started", data: {}, at },
  ];
  const steps: Array<[string, string, unknown, string]> = [
    ["start", "start", { message }, "out"],
    ["remember", "set", { values: { text: message } }, "out"],
    ["is_order", "condition", { result: true }, "then"],
    ["order_reply", "end", { route: "order", echo: message }, "out"],
  ];
  for (const [name, type, output, port] of steps) {
    const stepId = `main/${name}#1`;
    events.push({ type: "step.started", data: { stepId, node: name, type }, at });
    events.push({
      type: "step.completed",
      data: stepEventData(
        {
          stepId,
          nodeName: name,
          nodeType: type,
          attempt: 1,
          status: "completed",
          port,
          output,
          startedAt: at,
        },
        { waiting: false, ...(type === "set" ? { vars: { text: message } } : {}) },
      ),
      at,
    });
  }
  events.push({ type: "run.completed", data: { output: { route: "order", echo: message } }, at });
  return events;
}

function tableFor(encoding: Encoding): string {
  return `journal_${encoding}`;
}

export async function runJournalEncodingBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const admin = new pg.Client({
    connectionString: process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  await admin.connect();
  const name = `flowdeck_enc_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(
    process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    for (const encoding of ENCODINGS) {
      await db.query(`CREATE TABLE ${tableFor(encoding)} (tenant_id uuid NOT NULL, run_id uuid NOT NULL,
        first_seq integer NOT NULL, last_seq integer NOT NULL, events ${encoding === "jsonb" ? "jsonb" : "bytea"} NOT NULL,
        PRIMARY KEY (tenant_id, run_id, first_seq))`);
    }
    const tenant = randomUUID();
    const totals = new Map(ENCODINGS.map((e) => [e, { walBytes: 0, postgresMs: 0, encodeMs: 0, rows: 0 }]));
    const lsn = async () =>
      (await db.query<{ l: string }>("SELECT pg_current_wal_lsn()::text AS l")).rows[0]!.l;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const encoding of ENCODINGS) {
        const total = totals.get(encoding)!;
        const walBefore = await lsn();
        const cpuBefore = postgresCpuMs();
        for (let offset = 0; offset < ROWS_PER_ROUND; offset += BATCH) {
          const runs: string[] = [];
          const bodies: Array<string | Buffer> = [];
          for (let i = 0; i < BATCH; i += 1) {
            const events = echoRunEvents(`where is my order ${round}-${offset + i}`);
            const started = performance.now();
            const json = JSON.stringify(events);
            bodies.push(
              encoding === "jsonb"
                ? json
                : encoding === "bytes"
                  ? Buffer.from(json)
                  : deflateRawSync(json, { level: 1 }),
            );
            total.encodeMs += performance.now() - started;
            runs.push(randomUUID());
          }
          const [cast, body] = encoding === "jsonb" ? ["text[]", "e::jsonb"] : ["bytea[]", "e"];
          await db.query(
            `INSERT INTO ${tableFor(encoding)} (tenant_id, run_id, first_seq, last_seq, events)
             SELECT $1, r, 1, 11, ${body} FROM unnest($2::uuid[], $3::${cast}) AS x(r, e)`,
            [tenant, runs, bodies],
          );
        }
        total.postgresMs += cpuMsBetween(cpuBefore, postgresCpuMs());
        total.walBytes += Number(
          (
            await db.query<{ b: string }>("SELECT pg_wal_lsn_diff($1, $2)::text AS b", [
              await lsn(),
              walBefore,
            ])
          ).rows[0]!.b,
        );
        total.rows += ROWS_PER_ROUND;
      }
    }
    await db.query("VACUUM ANALYZE");
    log(
      `journal encoding: ${ROUNDS} interleaved rounds of ${ROWS_PER_ROUND} rows (one echo-router run each), ${BATCH} per statement`,
    );
    const jsonb = totals.get("jsonb")!;
    for (const encoding of ENCODINGS) {
      const t = totals.get(encoding)!;
      const size = await db.query<{ b: string }>("SELECT pg_total_relation_size($1)::text AS b", [
        tableFor(encoding),
      ]);
      const per = (value: number) => value / t.rows;
      log(
        `  ${encoding.padEnd(8)} WAL ${per(t.walBytes).toFixed(0)} B/row (${(t.walBytes / jsonb.walBytes).toFixed(2)}×)  ` +
          `PostgreSQL CPU ${(per(t.postgresMs) * 1000).toFixed(1)} µs/row (${(t.postgresMs / jsonb.postgresMs).toFixed(2)}×)  ` +
          `client encoding ${(per(t.encodeMs) * 1000).toFixed(1)} µs/row  ` +
          `table + index ${(Number(size.rows[0]!.b) / t.rows).toFixed(0)} B/row`,
      );
    }
    return { ok: true };
  } finally {
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runJournalEncodingBench((line) => process.stdout.write(`${line}\n`));
}
