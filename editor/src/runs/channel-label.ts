// How a run's channel reads to a person: the channel's name and kind rather than `web:<uuid>`, and words for the
// channels that are not configured ones (the API, the CLI, the editor's test runs, replays).

/** `runs.channel` of an editor test run: the builder's test panel, a staff chat, `POST /runs` with `draft`. */
export const TEST_CHANNEL = "test";

const KINDS: Record<string, string> = { web: "web chat", webhook: "webhook" };

const FIXED: Record<string, string> = {
  [TEST_CHANNEL]: "Editor test run",
  api: "API",
  cli: "Command line",
  replay: "Replay",
};

export interface ChannelLabel {
  /** What the person reads. */
  readonly text: string;
  /** The kind, when the channel is a configured one ("web chat", "webhook"). */
  readonly kind?: string;
}

export function channelLabel(channel: string, name: string | null | undefined): ChannelLabel {
  const fixed = FIXED[channel];
  if (fixed) return { text: fixed };
  if (channel.startsWith("replay:")) return { text: "Replay" };
  const [prefix = "", id = ""] = channel.split(":", 2);
  const kind = KINDS[prefix];
  if (!kind) return { text: channel };
  // A channel this member cannot look up (or one that no longer exists) still says what kind it was.
  return { text: name ?? `Unnamed channel ${id.slice(0, 8)}`, kind };
}

/** One line: "Support site (web chat)". */
export function channelText(channel: string, name: string | null | undefined): string {
  const label = channelLabel(channel, name);
  return label.kind ? `${label.text} (${label.kind})` : label.text;
}
