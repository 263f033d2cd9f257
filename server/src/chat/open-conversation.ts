import { isApiError } from "../kit/api-error";
import { runChannelOf, targetOf, type ChatPrincipal } from "./chat-principal";
import type { ChatServices } from "./chat-services";
import type { ServerFrame } from "./chat-frames";

/**
 * A chat that opened (the `open` frame): the flow's greeting, as the conversation's first reply, before the
 * customer writes (issue 16: "the greeting is sent once, when the chat opens, before anything else"). A greeting
 * that cannot be made (no published version, a template that fails) is no reason to refuse the chat: the
 * conversation goes on without one, and staff find why in the log.
 */
export async function greetingFrame(
  services: ChatServices,
  principal: ChatPrincipal,
  conversationId: string,
): Promise<ServerFrame | undefined> {
  if (!services.runs) return undefined;
  try {
    const greeting = await services.runs.greet({
      tenantId: principal.tenantId,
      target: targetOf(principal),
      conversationId,
      channel: runChannelOf(principal),
    });
    if (!greeting) return undefined;
    const { id, text, at } = greeting;
    return { type: "reply", conversationId, id, author: "bot", text, at };
  } catch (error) {
    services.log.warn("chat opened without its greeting", {
      tenant: principal.tenantId,
      ...(isApiError(error) ? { code: error.code } : {}),
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
