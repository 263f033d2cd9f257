/**
 * A run is `live` (customers, webhooks, the API, test runs) or a `replay` (issue 16: a past conversation run
 * again against a draft or a version, or a regression case). A replay never performs real effects (see
 * replay-executor.ts) and stays out of the inbox, analytics and live metrics.
 *
 * The mode is carried by the run's channel, which every run already stores and every event batch and query
 * can see: `replay` or `replay:<original run id>`. The `runs.mode` column (migration 0009) is generated from
 * it, so SQL filters on `mode` and no writer can set a channel and a mode that disagree.
 */
export type RunMode = "live" | "replay";

export const REPLAY_CHANNEL = "replay";
/** Replay conversations get their own ids, so listeners that only see a conversation id can tell them apart. */
export const REPLAY_CONVERSATION_PREFIX = "replay-";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The channel of a replay; with the original run's id its recorded tool results answer the replay's calls. */
export function replayChannel(originalRunId?: string): string {
  return originalRunId === undefined ? REPLAY_CHANNEL : `${REPLAY_CHANNEL}:${originalRunId}`;
}

export function runModeOf(channel: string): RunMode {
  return channel === REPLAY_CHANNEL || channel.startsWith(`${REPLAY_CHANNEL}:`) ? "replay" : "live";
}

/** The run a replay repeats, when its channel names one (a regression case has none). */
export function replayedRunId(channel: string): string | undefined {
  if (!channel.startsWith(`${REPLAY_CHANNEL}:`)) return undefined;
  const id = channel.slice(REPLAY_CHANNEL.length + 1);
  return UUID.test(id) ? id : undefined;
}
