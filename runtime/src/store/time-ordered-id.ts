import { randomUUID } from "node:crypto";

let lastMs = 0;
let counter = 0;

/**
 * A new run id, or the id of a conversation a run starts without one: an RFC 9562 UUIDv7, whose first 48 bits
 * are the creation time in milliseconds. Runs are keyed and indexed by these ids (`runs` primary key,
 * `runs_by_conversation`); a random UUIDv4 lands each insert on a random leaf page of those indexes, a
 * time-ordered one on the rightmost page, which PostgreSQL keeps hot and fills densely (bench/CONTEXT.md:
 * 5–14 % less PostgreSQL CPU per stored webhook run). Not for ids a customer holds as a secret (a chat's
 * conversation id): the creation time is readable from it and ids made in the same millisecond are sequential
 * in part.
 *
 * Built on `randomUUID`, whose random bits come from a buffer Node refills 128 ids at a time: the `uuid`
 * package's v7 asked `crypto.getRandomValues` for 16 bytes per id, 5 % of a webhook run's CPU (bench/CONTEXT.md).
 * `rand_a` (12 bits) is a counter within the millisecond (RFC 9562 §6.2, method 1), so ids of one process sort
 * in the order they were made; when it wraps, the time moves on a millisecond, as the RFC allows.
 */
export function timeOrderedId(): string {
  const nowMs = Date.now();
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const time = lastMs.toString(16).padStart(12, "0");
  // randomUUID's text from its fourth group on: the variant bits and 62 random bits (rand_b).
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, "0")}${randomUUID().slice(18)}`;
}
