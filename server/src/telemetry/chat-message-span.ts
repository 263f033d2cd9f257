import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = trace.getTracer("@flowdeck/server");

/**
 * `chat.message`: one client frame of a chat WebSocket, handled as the root of its own trace (a socket lives
 * for hours; one trace per message keeps traces readable), so the run the message resumes continues it in
 * the worker. The frame's type, tenant and conversation only: never its text.
 */
export async function inChatMessageSpan<T>(
  frame: { readonly type: string; readonly conversationId?: string | undefined },
  tenantId: string,
  work: () => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan("chat.message", {
    kind: SpanKind.SERVER,
    root: true,
    attributes: {
      "flowdeck.chat.frame": frame.type,
      "flowdeck.tenant.id": tenantId,
      ...(frame.conversationId ? { "flowdeck.conversation.id": frame.conversationId } : {}),
    },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    span.setAttribute("error.type", typeof code === "string" ? code : "Error");
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
