import { readdirSync, readFileSync } from "node:fs";

// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux we run on.
const MS_PER_TICK = 10;

/** CPU time (user + system) a process has used so far, in ms; 0 where /proc cannot tell (not Linux, gone). */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/**
 * CPU time used so far by each PostgreSQL process of the machine (backends, WAL writer, checkpointer,
 * autovacuum), in ms by pid: what durability costs, measured while the benchmark is the only client.
 */
export function postgresCpuMs(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
        used.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // Ended meanwhile.
    }
  }
  return used;
}

/** CPU used between two `postgresCpuMs` readings: processes that ended meanwhile take their time with them. */
export function cpuMsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}
