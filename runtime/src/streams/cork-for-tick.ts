import type { Writable } from "node:stream";

/** Streams corked until the end of the current tick. */
const corked = new WeakSet<object>();

/**
 * Holds a stream's writes until the end of the current tick, so what one tick produces (a transaction's
 * pipelined statements, a batch's chat frames) leaves in one socket write instead of one each: on these
 * machines a write that wakes its reader costs more CPU than building what it carries. Nested corks are
 * counted by Node, so a writer that corks per write of its own (pg, ws) still flushes with this one.
 */
export function corkForTick(stream: Partial<Pick<Writable, "cork" | "uncork">> | undefined): void {
  if (!stream?.cork || !stream.uncork || corked.has(stream)) return;
  stream.cork();
  corked.add(stream);
  process.nextTick(() => {
    corked.delete(stream);
    stream.uncork!();
  });
}
