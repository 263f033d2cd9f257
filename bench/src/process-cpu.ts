import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux we run on.
const MS_PER_TICK = 10;

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc cannot tell. */
function readCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    // Not Linux, or the process ended meanwhile.
    return undefined;
  }
}

/** CPU time a process has used so far, in ms; 0 where /proc cannot tell (not Linux, gone). */
export function processCpuMs(pid: number): number {
  return readCpuMs(pid) ?? 0;
}

/** CPU time used so far by each of `pids` that /proc can read, in ms by pid. */
export function cpuMsOf(pids: Iterable<number>): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    const ms = readCpuMs(pid);
    if (ms !== undefined) used.set(pid, ms);
  }
  return used;
}

/**
 * CPU time used so far by each PostgreSQL process of the machine (backends, WAL writer, checkpointer,
 * autovacuum), in ms by pid: what durability costs, measured while the benchmark is the only client.
 */
export function postgresCpuMs(): Map<number, number> {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") pids.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return cpuMsOf(pids);
}

/** CPU used between two readings by pid: processes that ended meanwhile take their time with them. */
export function cpuMsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}

/**
 * CPU time used so far by the PostgreSQL processes that work for `database`: its client backends and the
 * cluster's own processes (WAL writer, checkpointer, autovacuum), not other databases' backends, so another
 * bench or a test suite on the same server does not count. `client` reads pg_stat_activity (a superuser's).
 */
export async function postgresCpuMsFor(client: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS DISTINCT FROM $1`,
    [database],
  );
  const used = postgresCpuMs();
  for (const { pid } of rows) used.delete(pid);
  return used;
}
