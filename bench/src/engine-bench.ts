import { performance } from "node:perf_hooks";
import { celProgram, CONDITION_ROOTS, TEMPLATE_ROOTS } from "@flowdeck/schemas";
import { createHarness, type Harness } from "../../runtime/test/support/harness";
import { ms } from "./stats";
import { runWaitingConversationsBench } from "./waiting-conversations-bench";

const TARGET_STEP_MS = 0.2;
const TARGET_COMMITS = 2;
// Below the engine's 500-steps-per-activation guard against loops that never wait.
const LOOP_STEPS = 400;

// A counter loop: one `set` step per round, its edge condition read each time. Nothing leaves the engine, so
// the whole run is two commits (create, finish) however many steps it takes.
const LOOP = (rounds: number) => `name: loop_${rounds}
vars: { n: 0 }
nodes:
  - { name: start, type: start }
  - { name: bump, type: set, config: { expressions: { n: "vars.n + 1" } } }
  - { name: done, type: end }
edges:
  - { from: start, to: bump }
  - { from: bump, to: bump, condition: "vars.n < ${rounds}" }
  - { from: bump, to: done }
`;

// Six nodes, no tool or model calls: start → set → condition → reply → set → end.
const SIX = `name: six_pure
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { topic: "{{ input.message | downcase }}" } } }
  - { name: is_order, type: condition, config: { expression: "vars.topic.contains('order')" } }
  - { name: answer, type: reply, config: { text: "You asked about {{ vars.topic }}" } }
  - { name: count, type: set, config: { expressions: { replies: "1" } } }
  - { name: done, type: end, config: { outcome: resolved } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: answer, port: then }
  - { from: is_order, to: answer, port: else }
  - { from: answer, to: count }
  - { from: count, to: done }
`;

async function median(runs: number, fn: () => Promise<void>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * Engine overhead per pure step: (a 400-step run − a 1-step run) / 399, beside the bare cost of the CEL
 * work each step does (the assignment and the edge condition, evaluated directly). And commits per run for a
 * six-node flow without effects, beside what one commit per step would cost on the same connection.
 */
async function pureStepsAndCommits(log: (line: string) => void): Promise<{ ok: boolean }> {
  const h: Harness = await createHarness({ kind: "pg", workflows: [LOOP(LOOP_STEPS), LOOP(1), SIX] });
  try {
    const start = (name: string, input: Record<string, unknown> = {}) =>
      h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow(name), input });
    for (let i = 0; i < 3; i += 1) await start(`loop_${LOOP_STEPS}`);
    const long = await median(7, async () => {
      const run = await start(`loop_${LOOP_STEPS}`);
      if (run.status !== "completed")
        throw new Error(`the loop run ended ${run.status}: ${run.error?.message ?? ""}`);
    });
    const short = await median(7, async () => void (await start("loop_1")));
    const perStep = (long - short) / (LOOP_STEPS - 1);

    const assign = celProgram("vars.n + 1", [...TEMPLATE_ROOTS, "answer"]);
    const condition = celProgram(`vars.n < ${LOOP_STEPS}`, CONDITION_ROOTS);
    const bare = await median(7, async () => {
      let n = 0n;
      for (let i = 0; i < LOOP_STEPS; i += 1) {
        n = assign({ vars: { n } }) as bigint;
        condition({ vars: { n }, output: null });
      }
    });
    const barePerStep = bare / LOOP_STEPS;
    log(`engine: pure steps (pg, ${LOOP_STEPS}-step counter loop, run must complete)`);
    log(`  engine overhead per pure step            ${ms(perStep)}  (target <= ${TARGET_STEP_MS} ms)`);
    log(
      `  bare CEL work per step (same loop)       ${(barePerStep * 1000).toFixed(2)} µs  ratio ${(perStep / barePerStep).toFixed(1)}x`,
    );

    const before = h.store.commitCount;
    const RUNS = 50;
    const sixMs = await median(
      RUNS,
      async () => void (await start("six_pure", { message: "Where is my ORDER?" })),
    );
    const commitsPerRun = (h.store.commitCount - before) / RUNS;
    const naive = await median(RUNS, async () => {
      for (let i = 0; i < 6; i += 1) {
        await h.database.db.transaction(
          (sql) =>
            sql.query(
              "INSERT INTO idempotency_keys (tenant_id, key, kind) VALUES ($1, gen_random_uuid()::text, 'bench')",
              [h.tenantId],
            ),
          { tenantId: h.tenantId },
        );
      }
    });
    log("engine: six-node flow without external effects (pg)");
    log(
      `  commits per run (store)                  ${commitsPerRun.toFixed(2)}  (target <= ${TARGET_COMMITS})`,
    );
    log(`  run p50                                  ${ms(sixMs)}`);
    log(
      `  6 single-row INSERT commits p50          ${ms(naive)}  ratio run / naive ${(sixMs / naive).toFixed(2)}x`,
    );
    return { ok: perStep <= TARGET_STEP_MS && commitsPerRun <= TARGET_COMMITS };
  } finally {
    await h.close();
  }
}

/** The pure-step and commit measurements, then 10,000 conversations waiting in `ask` (issue 20). */
export async function runEngineBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const pure = await pureStepsAndCommits(log);
  const waiting = await runWaitingConversationsBench(log);
  return { ok: pure.ok && waiting.ok };
}
