/** Starts `worker-main.ts` as a real child process, the way `flowdeck worker` runs, for the kill tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves at the first job this process starts (or after `timeoutMs`, with false). */
  firstJob(timeoutMs: number): Promise<boolean>;
  /** Resolves when the worker is connected and waiting for jobs (or after `timeoutMs`, with false). */
  ready(timeoutMs: number): Promise<boolean>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  terminate(): Promise<number | null>;
  readonly output: () => string;
}

const RUNTIME = join(import.meta.dirname, "../..");

export function spawnWorker(env: {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  concurrency?: number;
  extra?: Record<string, string>;
}): WorkerProcess {
  // Node itself with the tsx loader (not the tsx wrapper), so the process we kill is the worker.
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker/worker-main.ts"], {
    cwd: RUNTIME,
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      FLOWDECK_QUEUE_PREFIX: env.prefix,
      FLOWDECK_WORKER_CONCURRENCY: String(env.concurrency ?? 4),
      FLOWDECK_LOCK_DURATION_MS: "1000",
      FLOWDECK_STALLED_INTERVAL_MS: "500",
      FLOWDECK_WORKER_TRACE: "1",
      ...env.extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let started: (() => void) | undefined;
  let connected: (() => void) | undefined;
  const firstJob = new Promise<void>((resolve) => (started = resolve));
  const isReady = new Promise<void>((resolve) => (connected = resolve));
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('"event":"active"')) started?.();
    if (output.includes('"event":"ready"')) connected?.();
  });
  async function within(promise: Promise<void>, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([promise.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    firstJob: (timeoutMs) => within(firstJob, timeoutMs),
    ready: (timeoutMs) => within(isReady, timeoutMs),
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async terminate() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
