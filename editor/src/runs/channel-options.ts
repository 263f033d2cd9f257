// The channels the Runs list offers as a filter. Admins and owners read the workspace's channels (GET /channels
// is theirs); everyone also gets the channels named on the runs already listed, so editors and viewers, who may
// not read the channel list, can still filter by a channel they see.
import type { RunSummary } from "../api/runs-types";
import type { Channel } from "../api/workspace-types";
import { channelText } from "./channel-label";
import type { ChannelOption } from "./run-filters";

export function channelOptions(
  channels: readonly Pick<Channel, "id" | "kind" | "name">[],
  runs: readonly Pick<RunSummary, "channel" | "channelName">[],
): ChannelOption[] {
  const options = new Map<string, string>();
  for (const c of channels) options.set(`${c.kind}:${c.id}`, channelText(`${c.kind}:${c.id}`, c.name));
  for (const run of runs) {
    if (run.channelName && !options.has(run.channel)) {
      options.set(run.channel, channelText(run.channel, run.channelName));
    }
  }
  return [...options]
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
