import { performance } from "node:perf_hooks";
import { celProgram, CONDITION_ROOTS, TEMPLATE_ROOTS } from "@flowdeck/schemas";
import { createHarness, type Harness } from "../../runtime/test/support/harness";
import { ms } from "./stats";
import { runWaitingConversationsBench } from "./waiting-conversations-bench";

const TARGET_STEP_MS = 0.02;
const TARGET_COMMITS = 2;
// A step's cost is a few µs: `ms` rounds to hundredths, which would print 0.00 or 0.01.
const stepMs = (value: number) => `${value.toFixed(4)} ms`;
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
  return middle(samples);
}

function middle(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** One run's wall time, this process's CPU time and the time its commits took (the run's store work). */
interface RunCost {
  readonly wall: number;
  readonly cpu: number;
  readonly commit: number;
}

/**
 * Medians of `runs` runs, with the store's `commit` timed around the engine: a run's events are written by its
 * final commit, so a pure step's share of that statement (its events' JSON, PostgreSQL's work) is part of the
 * overhead per step, and these lines say how much.
 */
async function medianCosts(h: Harness, runs: number, fn: () => Promise<void>): Promise<RunCost> {
  const store = h.store as { commit: Harness["store"]["commit"] };
  const commit = store.commit;
  let commitMs = 0;
  store.commit = async (item) => {
    const start = performance.now();
    try {
      return await commit(item);
    } finally {
      commitMs += performance.now() - start;
    }
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  const commits: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      commitMs = 0;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await fn();
      wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      commits.push(commitMs);
    }
  } finally {
    store.commit = commit;
  }
  return { wall: middle(wall), cpu: middle(cpu), commit: middle(commits) };
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
    // A server runs steps all day: measure the engine once V8 has optimized it. After 3 warm-up runs (1,200
    // steps) its optimizing compiler was still at work (this process's CPU came out above the wall time: the
    // compiler's threads), and the overhead per step read ~2× the steady one; 20 runs take ~0.5 s.
    for (let i = 0; i < 20; i += 1) await start(`loop_${LOOP_STEPS}`);
    const long = await medianCosts(h, 7, async () => {
      const run = await start(`loop_${LOOP_STEPS}`);
      if (run.status !== "completed")
        throw new Error(`the loop run ended ${run.status}: ${run.error?.message ?? ""}`);
    });
    const short = await medianCosts(h, 7, async () => void (await start("loop_1")));
    const perStep = (long.wall - short.wall) / (LOOP_STEPS - 1);
    const commitPerStep = (long.commit - short.commit) / (LOOP_STEPS - 1);
    const cpuPerStep = (long.cpu - short.cpu) / (LOOP_STEPS - 1);

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
    log(`  engine overhead per pure step            ${stepMs(perStep)}  (target <= ${TARGET_STEP_MS} ms)`);
    log(`    of it the final commit (events, pg)    ${stepMs(commitPerStep)}`);
    log(`    this process's CPU per step            ${stepMs(cpuPerStep)}`);
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

/**
 * The pure-step and commit measurements, then 10,000 conversations waiting in `ask` (issue 20). `waiting:
 * false` runs the first part only (~10 s instead of minutes), for measuring engine changes.
 */
export async function runEngineBench(
  log: (line: string) => void,
  options: { readonly waiting?: boolean } = {},
): Promise<{ ok: boolean }> {
  const pure = await pureStepsAndCommits(log);
  if (options.waiting === false) return pure;
  const waiting = await runWaitingConversationsBench(log);
  return { ok: pure.ok && waiting.ok };
}
