import type { Turn } from "../chat/await-turn";
import { framesForEvents } from "../chat/chat-frames";
import type { ChannelRecord } from "../channels/channel-types";
import type { OutboundDelivery, OutboundTarget } from "./outbound-delivery";

/** The outbound target of a webhook channel, or undefined when it has no URL (a chat flow's replies then go nowhere; set one). */
export function outboundTarget(channel: ChannelRecord, secret: string): OutboundTarget | undefined {
  return channel.outboundUrl
    ? { tenantId: channel.tenantId, url: channel.outboundUrl, secret, channelId: channel.id }
    : undefined;
}

/**
 * Delivers what one turn of a webhook conversation said (bot replies, a handoff notice), one at a time and in
 * order, to the channel's URL.
 */
export async function relayTurn(
  delivery: OutboundDelivery,
  target: OutboundTarget,
  conversationId: string,
  turn: Promise<Turn>,
  /** What the customer reads for a failed run (ChatOptions.customerFallbackText). */
  fallbackText?: string,
): Promise<void> {
  const { batches } = await turn;
  for (const batch of batches) {
    const { runId, events } = batch;
    for (const frame of framesForEvents(conversationId, runId, events, false, undefined, fallbackText)) {
      if (frame.type === "reply") {
        await delivery.deliver(target, {
          type: "reply",
          id: frame.id,
          conversationId,
          text: frame.text,
          author: frame.author,
          at: frame.at,
        });
      } else if (frame.type === "handoff") {
        await delivery.deliver(target, {
          type: "handoff",
          id: `${frame.runId}|handoff|${frame.at}`,
          conversationId,
          text: frame.reason,
          at: frame.at,
        });
      }
    }
  }
}
