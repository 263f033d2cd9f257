import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createInlineQueue, type InlineRunQueue, type RunRecord } from "@flowdeck/runtime";
import { createHarness, type Harness } from "../../runtime/test/support/harness";

const TARGET_MB = 50;
const CONVERSATIONS = 10_000;
const WARM_UP = 500;
const CONCURRENCY = 64;
const RESUMED = 5;

// What a chat run looks like until the customer answers: start → set → ask (suspends, status `waiting`) → end.
const ASK = (name: string) => `name: ${name}
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { topic: "{{ input.message }}" } } }
  - { name: ask_order, type: ask, config: { prompt: "What is your order number?", variable: order_number } }
  - { name: done, type: end, config: { outcome: resolved, output: { order: "{{ vars.order_number }}" } } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: ask_order }
  - { from: ask_order, to: done }
`;

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** After two full collections (when `--expose-gc` gave us `gc`), so only what is still referenced counts. */
async function settledMemory(): Promise<Memory> {
  for (let i = 0; i < 2; i += 1) {
    // Let pending callbacks (pool idle timers, group-commit flushes) run before collecting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    globalThis.gc?.();
  }
  const { rss, heapUsed, heapTotal } = process.memoryUsage();
  return { rss, heapUsed, heapTotal };
}

/** Where the runs execute: the engine called directly (a worker's job), or the embedded process's inline queue. */
type Via = "engine" | "inline";

/**
 * `count` runs started with at most CONCURRENCY in flight, each of which must end up waiting; nothing of them is
 * kept here. The harness's test recorder (every published event, in an array) is emptied as it goes: a worker
 * publishes events and forgets them.
 */
async function startWaiting(
  h: Harness,
  queue: InlineRunQueue | undefined,
  name: string,
  count: number,
  from: number,
): Promise<number> {
  const workflow = h.workflow(name);
  const { tenantId, engine } = h;
  let next = 0;
  let notWaiting = 0;
  const lane = async () => {
    while (next < count) {
      const i = from + next;
      next += 1;
      const request = {
        tenantId,
        workflow,
        input: { message: "Where is my order?" },
        conversationId: `bench-conversation-${i}`,
        channel: "chat",
      };
      let run: RunRecord;
      if (queue) {
        // As the embedded server does: stored, then executed in one of the queue's slots, which arms the ask's
        // timeout when the run waits.
        const created = await engine.createRun(request);
        run = await queue.runInSlot(tenantId, created.id, () => engine.continueRun(tenantId, created.id));
      } else run = await engine.startRun(request);
      if (run.status !== "waiting") notWaiting += 1;
      if (h.events.length > 1_000) h.events.length = 0;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  h.events.length = 0;
  return notWaiting;
}

async function countWaiting(h: Harness, name: string): Promise<number> {
  return h.database.db.transaction(
    async (sql) => {
      const rows = await sql.query<{ n: string }>(
        "SELECT count(*) AS n FROM runs WHERE workflow_name = $1 AND status = 'waiting'",
        [name],
      );
      return Number(rows.rows[0]!.n);
    },
    { tenantId: h.tenantId },
  );
}

/**
 * Memory per waiting conversation: RSS and live heap after a warm-up and a full GC, then after 10,000 runs
 * (distinct chat conversations) have each reached an `ask` and suspended, through the real engine and
 * PostgreSQL. DESIGN.md §4: a waiting run holds nothing in memory, so the difference must stay under 50 MB. A few
 * of the runs are then answered, to show they continue from what PostgreSQL holds. `inline`: the embedded
 * process, whose queue keeps one timer per waiting ask (its `timeout_minutes`, 1440 by default).
 */
export async function measureWaitingConversations(
  log: (line: string) => void,
  via: Via,
): Promise<{ ok: boolean }> {
  const h = await createHarness({ kind: "pg", workflows: [ASK("ask_warm_up"), ASK("ask_order")] });
  const queue =
    via === "inline" ? createInlineQueue({ engine: h.engine, concurrency: CONCURRENCY }) : undefined;
  try {
    const warmUpNotWaiting = await startWaiting(h, queue, "ask_warm_up", WARM_UP, 0);
    const before = await settledMemory();
    const started = performance.now();
    const notWaiting = await startWaiting(h, queue, "ask_order", CONVERSATIONS, WARM_UP);
    const seconds = (performance.now() - started) / 1000;
    const after = await settledMemory();
    const waiting = await countWaiting(h, "ask_order");

    // Answer a few: a fresh read from PostgreSQL, the ask takes the answer, the run completes.
    const { rows: ids } = await h.database.db.transaction(
      (sql) =>
        sql.query<{ id: string }>(
          "SELECT id FROM runs WHERE workflow_name = 'ask_order' AND status = 'waiting' ORDER BY random() LIMIT $1",
          [RESUMED],
        ),
      { tenantId: h.tenantId },
    );
    let completed = 0;
    for (const [i, { id }] of ids.entries()) {
      const answer = `AO-1049${i}`;
      const run = await h.engine.resumeRun(h.tenantId, id, { kind: "message", text: answer });
      const output = run.output as { output?: { order?: unknown } } | null;
      if (run.status === "completed" && output?.output?.order === answer) completed += 1;
    }

    const rss = after.rss - before.rss;
    const heap = after.heapUsed - before.heapUsed;
    const rssMet = rss <= TARGET_MB * MB;
    const allWaiting = notWaiting === 0 && warmUpNotWaiting === 0 && waiting === CONVERSATIONS;
    const where = queue ? "embedded process, inline queue" : "worker: engine and store";
    log(
      `engine: ${CONVERSATIONS.toLocaleString("en")} conversations waiting in ask (${where}; pg, ${CONCURRENCY} at a time, after ${WARM_UP} warm-up runs${globalThis.gc ? ", full GC before each reading" : ", NO forced GC: run node with --expose-gc"})`,
    );
    log(`  RSS before / after                       ${mb(before.rss)} / ${mb(after.rss)}`);
    log(
      `  heap used before / after                 ${mb(before.heapUsed)} / ${mb(after.heapUsed)}  (V8 heap reserved ${mb(before.heapTotal)} / ${mb(after.heapTotal)})`,
    );
    log(
      `  RSS growth                               ${mb(rss)}  (target <= ${TARGET_MB} MB): ${rssMet ? "met" : "MISSED"}`,
    );
    log(
      `  per waiting conversation                 ${(rss / CONVERSATIONS / 1024).toFixed(2)} KB RSS, ${(heap / CONVERSATIONS / 1024).toFixed(2)} KB heap`,
    );
    if (queue) log(`  ask timers held by the queue             ${queue.timers().toLocaleString("en")}`);
    log(
      `  started in                               ${seconds.toFixed(1)} s (${(CONVERSATIONS / seconds).toFixed(0)} runs/s)`,
    );
    log(
      `  waiting in PostgreSQL                    ${waiting.toLocaleString("en")} of ${CONVERSATIONS.toLocaleString("en")}${notWaiting ? ` (${notWaiting} ended otherwise)` : ""}`,
    );
    log(`  answered and completed from the store    ${completed} of ${ids.length}`);
    return { ok: rssMet && allWaiting && completed === RESUMED };
  } finally {
    await queue?.close();
    await h.close();
  }
}

/** One measurement in a process of its own; its lines are printed as they come. */
async function inChild(via: Via, log: (line: string) => void): Promise<boolean> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, "--child", via], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) log(line);
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (buffered) log(buffered);
  if (code !== 0) log(`  waiting conversations (${via}): the measuring process exited with ${code}`);
  return code === 0;
}

/**
 * Each measurement in a fresh process (`--expose-gc`, nothing else allocated before), so the RSS is that of a
 * worker or an embedded server, not what earlier benchmarks left in this one.
 */
export async function runWaitingConversationsBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const worker = await inChild("engine", log);
  const embedded = await inChild("inline", log);
  return { ok: worker && embedded };
}

const childAt = process.argv.indexOf("--child");
if (childAt > 0 && process.argv[1] === fileURLToPath(import.meta.url)) {
  const via: Via = process.argv[childAt + 1] === "inline" ? "inline" : "engine";
  const { ok } = await measureWaitingConversations((line) => process.stdout.write(`${line}\n`), via);
  process.exitCode = ok ? 0 : 1;
}
