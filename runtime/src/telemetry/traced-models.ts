import { SpanKind } from "@opentelemetry/api";
import type { ModelGateway } from "@flowdeck/node-library/runtime";
import { inSpan } from "./runtime-tracer";

/**
 * A span per model call, after the GenAI semantic conventions (`chat <model>`, gen_ai.*): the model asked
 * and the one that answered, tokens, cost, and the service's HTTP status. Never the prompt, the messages, the
 * tools' arguments or the answer: those are the customer's words.
 */
export function traceModels(gateway: ModelGateway): ModelGateway {
  return {
    provider: gateway.provider,
    offline: gateway.offline,
    complete(request, options) {
      return inSpan(
        `chat ${request.model}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": gateway.provider,
            "gen_ai.request.model": request.model,
            ...(request.maxTokens !== undefined ? { "gen_ai.request.max_tokens": request.maxTokens } : {}),
            ...(request.tools?.length ? { "flowdeck.model.tools": request.tools.length } : {}),
          },
        },
        async (span) => {
          try {
            const response = await gateway.complete(request, options);
            span.setAttributes({
              "gen_ai.response.model": response.model,
              "gen_ai.usage.input_tokens": response.usage.promptTokens,
              "gen_ai.usage.output_tokens": response.usage.completionTokens,
              "flowdeck.cost_usd": response.usage.costUsd,
              "flowdeck.model.offline": response.offline,
              "flowdeck.model.tool_calls": response.toolCalls.length,
              // The SDK hides the status of a success; an answer that parsed came with 200.
              ...(response.offline ? {} : { "http.response.status_code": 200 }),
            });
            return response;
          } catch (error) {
            const status = (error as { status?: unknown } | null)?.status;
            if (typeof status === "number") span.setAttribute("http.response.status_code", status);
            throw error;
          }
        },
      );
    },
  };
}
