import type { Database } from "@flowdeck/runtime";
import { secretAad } from "../channels/channel-routes";
import { getChannel } from "../channels/channel-store";
import type { ChannelRecord } from "../channels/channel-types";
import type { SecretBox } from "../channels/secret-box";

/** Where a webhook channel's replies go, and the secret they are signed with. */
export interface OutboundTarget {
  readonly tenantId: string;
  readonly url: string;
  readonly secret: string;
  readonly channelId: string;
}

/** The outbound target of a webhook channel, or undefined when it has no URL (a chat flow's replies then go nowhere; set one). */
export function outboundTarget(channel: ChannelRecord, secret: string): OutboundTarget | undefined {
  return channel.outboundUrl
    ? { tenantId: channel.tenantId, url: channel.outboundUrl, secret, channelId: channel.id }
    : undefined;
}

/**
 * The channel's target as it is now, read for work picked up later (a retry, a relay taken over): a rotated
 * secret or a new URL applies; a deleted channel, or one without a URL, has none.
 */
export async function currentOutboundTarget(
  db: Database,
  secretBox: SecretBox,
  tenantId: string,
  channelId: string,
): Promise<OutboundTarget | undefined> {
  const channel = await db.transaction((sql) => getChannel(sql, channelId), { tenantId });
  if (!channel?.secretBox) return undefined;
  return outboundTarget(channel, secretBox.open(channel.secretBox, secretAad(channel.tenantId, channel.id)));
}
