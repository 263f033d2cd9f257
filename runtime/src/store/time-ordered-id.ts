import { v7 } from "uuid";

/**
 * A new run id, or the id of a conversation a run starts without one: an RFC 9562 UUIDv7, whose first 48 bits
 * are the creation time in milliseconds. Runs are keyed and indexed by these ids (`runs` primary key,
 * `runs_by_conversation`); a random UUIDv4 lands each insert on a random leaf page of those indexes, a
 * time-ordered one on the rightmost page, which PostgreSQL keeps hot and fills densely (bench/CONTEXT.md:
 * 5–14 % less PostgreSQL CPU per stored webhook run). Not for ids a customer holds as a secret (a chat's
 * conversation id): the creation time is readable from it and ids made in the same millisecond are sequential
 * in part.
 */
export function timeOrderedId(): string {
  return v7();
}
