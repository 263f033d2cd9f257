import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { cpuMsBetween, postgresCpuMsFor, processCpuMs } from "./src/process-cpu";
import { openStorageMeter, storagePerRun, type StorageUse } from "./src/run-storage-meter";

const NODE_RED_VERSION = "~4.1.0";
const CONNECTIONS = 32;
const ROUNDS = 3;
const SLICE_SECONDS = 4;
// Issue 20: a durable run with its whole trace at 0.6× Node-RED (which stores nothing), one keeping only failed
// runs' traces at 1.0×.
const TARGET_RATIO = 0.6;
const TARGET_RATIO_UNTRACED = 1.0;
// Outside the workspace on purpose (DESIGN.md §8): Node-RED is a benchmark peer, never a dependency.
const NODE_RED_DIR = join(tmpdir(), "flowdeck-bench-node-red");

/** The echo-router flow in Node-RED: http in → change (msg.text) → switch (contains "order") → template → http response. */
const NODE_RED_FLOW = [
  { id: "tab", type: "tab", label: "bench" },
  { id: "in", type: "http in", z: "tab", url: "/echo", method: "post", wires: [["set"]] },
  {
    id: "set",
    type: "change",
    z: "tab",
    rules: [{ t: "set", p: "text", pt: "msg", to: "payload.message", tot: "msg" }],
    wires: [["branch"]],
  },
  {
    id: "branch",
    type: "switch",
    z: "tab",
    property: "text",
    propertyType: "msg",
    rules: [{ t: "cont", v: "order", vt: "str" }, { t: "else" }],
    checkall: "false",
    outputs: 2,
    wires: [["order"], ["other"]],
  },
  {
    id: "order",
    type: "template",
    z: "tab",
    field: "payload",
    fieldType: "msg",
    syntax: "mustache",
    output: "json",
    template: '{"route":"order","echo":"{{text}}"}',
    wires: [["out"]],
  },
  {
    id: "other",
    type: "template",
    z: "tab",
    field: "payload",
    fieldType: "msg",
    syntax: "mustache",
    output: "json",
    template: '{"route":"other","echo":"{{text}}"}',
    wires: [["out"]],
  },
  { id: "out", type: "http response", z: "tab", statusCode: "200", headers: {}, wires: [] },
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before ${pattern}`)));
  });
}

async function startNodeRed(): Promise<{ url: string; child: ChildProcess }> {
  const redJs = join(NODE_RED_DIR, "node_modules", "node-red", "red.js");
  if (!existsSync(redJs)) {
    await mkdir(NODE_RED_DIR, { recursive: true });
    await run(
      "npm",
      [
        "install",
        "--prefix",
        NODE_RED_DIR,
        `node-red@${NODE_RED_VERSION}`,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
      ],
      NODE_RED_DIR,
    );
  }
  const userDir = join(NODE_RED_DIR, `user-${process.pid}`);
  await mkdir(userDir, { recursive: true });
  const port = await freePort();
  await writeFile(join(userDir, "flows.json"), JSON.stringify(NODE_RED_FLOW));
  await writeFile(
    join(userDir, "settings.js"),
    `module.exports = { uiHost: "127.0.0.1", uiPort: ${port}, flowFile: "flows.json", userDir: ${JSON.stringify(userDir)},
      httpAdminRoot: false, disableEditor: true, credentialSecret: false, diagnostics: { enabled: false },
      telemetry: { enabled: false }, externalModules: { autoInstall: false }, logging: { console: { level: "info" } } };\n`,
  );
  const child = spawn(
    process.execPath,
    [redJs, "--settings", join(userDir, "settings.js"), "--userDir", userDir],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await waitForLine(child, /Started flows/, 60_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Starts one of this folder's server scripts and resolves with the JSON line it prints once it listens. */
async function startScript<T>(name: string): Promise<T & { child: ChildProcess }> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["ignore", "pipe", "inherit"],
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  });
  const line = await waitForLine(child, /^\{"url"/, 120_000);
  return { ...(JSON.parse(line) as T), child };
}

const startFlowdeck = () =>
  startScript<{
    url: string;
    channelId: string;
    secret: string;
    untracedChannelId: string;
    untracedSecret: string;
    database: string;
  }>("webhook-flowdeck-server.ts");

interface Slice {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  /** CPU used by the server's own process during the slices, ms. */
  serverCpuMs: number;
  /** CPU used by PostgreSQL's processes during the slices, ms. */
  postgresCpuMs: number;
}

const emptySlice = (): Slice => ({
  requests: 0,
  seconds: 0,
  non2xx: 0,
  errors: 0,
  serverCpuMs: 0,
  postgresCpuMs: 0,
});

/** Where a slice's PostgreSQL CPU is read: the database its server writes to, through a superuser's client. */
interface PostgresScope {
  readonly client: pg.Client;
  readonly database: string;
}

async function slice(
  options: autocannon.Options,
  serverPid: number,
  into: Slice,
  postgresOf: PostgresScope,
): Promise<void> {
  const server = processCpuMs(serverPid);
  const postgres = await postgresCpuMsFor(postgresOf.client, postgresOf.database);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: SLICE_SECONDS });
  into.serverCpuMs += processCpuMs(serverPid) - server;
  into.postgresCpuMs += cpuMsBetween(
    postgres,
    await postgresCpuMsFor(postgresOf.client, postgresOf.database),
  );
  into.requests += result.requests.total;
  into.seconds += SLICE_SECONDS;
  into.non2xx += result.non2xx;
  into.errors += result.errors + result.timeouts;
}

/** Where a request's CPU went: the server process, and PostgreSQL where the server stores anything. */
function cpuPerRequest(s: Slice): string {
  const per = (ms: number) => (ms / Math.max(1, s.requests)).toFixed(3);
  return `CPU per request: server process ${per(s.serverCpuMs)} ms, PostgreSQL ${per(s.postgresCpuMs)} ms`;
}

/**
 * The echo-router flow (set a variable → branch on "order" → template a JSON reply → respond) as a Flowdeck
 * webhook flow — signed calls, one message id each, every run stored in PostgreSQL — against the same flow in
 * Node-RED 4.1 (installed from npm into a temporary folder by this script). Each server runs in its own
 * process; autocannon -c 32 from this one, interleaved rounds; the ratio is Flowdeck's req/s over Node-RED's.
 * A third server, the floor (`webhook-floor-server.ts`), stores one row per request and nothing else: it shows
 * what durability itself costs here, so a gap is not blamed on storing runs. A fourth line is Flowdeck's own
 * Express stack answering GET /healthz in the same rounds: the most a route served by Express could reach on this
 * machine (signed webhooks take the fast path, server/src/app/webhook-fast-path.ts).
 * Each prints its CPU per request.
 */
export async function runWebhookNodeRedBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  const nodeRed = await startNodeRed();
  let flowdeck: Awaited<ReturnType<typeof startFlowdeck>> | undefined;
  let floor: { url: string; database: string; child: ChildProcess } | undefined;
  try {
    flowdeck = await startFlowdeck();
    floor = await startScript<{ url: string; database: string }>("webhook-floor-server.ts");
    const fd = flowdeck;
    let n = 0;
    const signedWebhook = (channelId: string, secret: string): autocannon.Options => ({
      url: `${fd.url}/webhooks/${channelId}`,
      requests: [
        {
          method: "POST",
          // A fresh message id and signature per request: replays would be refused (409), as they should be.
          setupRequest: (request) => {
            n += 1;
            const body = JSON.stringify({ message: n % 2 ? `where is my order ${n}` : `hello ${n}` });
            const t = Math.floor(Date.now() / 1000);
            const mac = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
            return {
              ...request,
              body,
              headers: {
                "content-type": "application/json",
                "flowdeck-signature": `t=${t},v1=${mac}`,
                "flowdeck-message-id": randomUUID(),
              },
            };
          },
        },
      ],
    });
    const flowdeckOptions = signedWebhook(fd.channelId, fd.secret);
    const untracedOptions = signedWebhook(fd.untracedChannelId, fd.untracedSecret);
    const echoAt = (url: string): autocannon.Options => ({
      url: `${url}/echo`,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            n += 1;
            return {
              ...request,
              body: JSON.stringify({ message: n % 2 ? `where is my order ${n}` : `hello ${n}` }),
              headers: { "content-type": "application/json" },
            };
          },
        },
      ],
    });
    const nodeRedOptions = echoAt(nodeRed.url);
    const floorOptions = echoAt(floor.url);
    // Flowdeck's own HTTP stack (security headers, request id and log, metrics, CORS, body parser, router)
    // answering its liveness probe: no flow, nothing stored. What any Flowdeck route costs at least.
    const stackOptions: autocannon.Options = { url: `${fd.url}/healthz` };
    // Warm-up, then interleaved rounds so a slow moment of the machine hits all three alike.
    const redPid = nodeRed.child.pid!;
    const oursPid = fd.child.pid!;
    const floorPid = floor.child.pid!;
    // PostgreSQL's CPU is read for the database each server writes to (Node-RED and /healthz write to none:
    // Flowdeck's, idle then), so other work on the same PostgreSQL server does not count.
    const admin = new pg.Client({
      connectionString:
        process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    });
    await admin.connect();
    const ourDb: PostgresScope = { client: admin, database: fd.database };
    const floorDb: PostgresScope = { client: admin, database: floor.database };
    await slice(nodeRedOptions, redPid, emptySlice(), ourDb);
    await slice(flowdeckOptions, oursPid, emptySlice(), ourDb);
    await slice(untracedOptions, oursPid, emptySlice(), ourDb);
    await slice(floorOptions, floorPid, emptySlice(), floorDb);
    await slice(stackOptions, oursPid, emptySlice(), ourDb);
    const red = emptySlice();
    const ours = emptySlice();
    const untraced = emptySlice();
    const bare = emptySlice();
    const stack = emptySlice();
    const meter = await openStorageMeter(fd.database);
    const stored: StorageUse = { walBytes: 0, rows: 0, runs: 0 };
    const storedUntraced: StorageUse = { walBytes: 0, rows: 0, runs: 0 };
    const metered = async (options: autocannon.Options, into: Slice, use: StorageUse) => {
      const before = await meter.read();
      await slice(options, oursPid, into, ourDb);
      await meter.add(use, before, await meter.read());
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      await slice(nodeRedOptions, redPid, red, ourDb);
      await metered(flowdeckOptions, ours, stored);
      await metered(untracedOptions, untraced, storedUntraced);
      await slice(floorOptions, floorPid, bare, floorDb);
      await slice(stackOptions, oursPid, stack, ourDb);
    }
    await meter.close();
    await admin.end();
    const rate = (s: Slice) => s.requests / s.seconds;
    const ratio = rate(ours) / rate(red);
    const untracedRatio = rate(untraced) / rate(red);
    log(
      `webhook echo-router: autocannon -c ${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SLICE_SECONDS} s, loopback`,
    );
    log(
      `  Node-RED 4.1 (http in → change → switch → template → http response)  ${rate(red).toFixed(0)} req/s  non-2xx ${red.non2xx}  errors ${red.errors}`,
    );
    log(
      `  Flowdeck webhook flow, trace: all (signed, deduplicated, stored)   ${rate(ours).toFixed(0)} req/s  non-2xx ${ours.non2xx}  errors ${ours.errors}`,
    );
    log(
      `  Flowdeck webhook flow, trace: errors (run row only)              ${rate(untraced).toFixed(0)} req/s  non-2xx ${untraced.non2xx}  errors ${untraced.errors}`,
    );
    log(
      `  floor: Express + one durable row per request, group-committed    ${rate(bare).toFixed(0)} req/s  (${(rate(bare) / rate(red)).toFixed(2)}× Node-RED: what storing costs, not a target)`,
    );
    log(
      `  Flowdeck's Express stack alone (GET /healthz)                     ${rate(stack).toFixed(0)} req/s  (${(rate(stack) / rate(red)).toFixed(2)}× Node-RED: the ceiling of a route served by Express; signed webhooks skip it)`,
    );
    log(`  Node-RED        ${cpuPerRequest(red)}`);
    log(`  Flowdeck all    ${cpuPerRequest(ours)}`);
    log(`  Flowdeck errors ${cpuPerRequest(untraced)}`);
    log(`  floor           ${cpuPerRequest(bare)}`);
    log(`  /healthz        ${cpuPerRequest(stack)}`);
    log(`  Flowdeck all    ${storagePerRun(stored)} (targets ≤ 2 rows, ≤ 4 KB)`);
    log(`  Flowdeck errors ${storagePerRun(storedUntraced)}`);
    const verdict = (value: number, target: number) =>
      `${value.toFixed(2)}× Node-RED's req/s (target ≥ ${target}×): ${value >= target ? "met" : "MISSED"}`;
    log(`  ratio, trace: all     ${verdict(ratio, TARGET_RATIO)}`);
    log(`  ratio, trace: errors  ${verdict(untracedRatio, TARGET_RATIO_UNTRACED)}`);
    const clean = (s: Slice) => s.non2xx === 0 && s.errors === 0;
    return {
      ok: ratio >= TARGET_RATIO && untracedRatio >= TARGET_RATIO_UNTRACED && clean(ours) && clean(untraced),
    };
  } finally {
    nodeRed.child.kill("SIGTERM");
    flowdeck?.child.kill("SIGTERM");
    floor?.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runWebhookNodeRedBench((line) => process.stdout.write(`${line}\n`));
  process.exitCode = result.ok ? 0 : 1;
}
