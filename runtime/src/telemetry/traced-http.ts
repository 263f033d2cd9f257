import { SpanKind } from "@opentelemetry/api";
import type { SafeHttpClient } from "@flowdeck/node-library/runtime";
import { inSpan } from "./runtime-tracer";

/**
 * A span per outbound HTTP request of a tool (HTTP client semantic conventions): method, host, port and
 * status. Not the URL: its path and query string may carry ids, emails or keys a flow put there.
 */
export function traceHttp(client: SafeHttpClient): SafeHttpClient {
  return {
    request(request) {
      const target = safeTarget(request.url);
      return inSpan(
        request.method,
        {
          kind: SpanKind.CLIENT,
          attributes: { "http.request.method": request.method, ...target },
        },
        async (span) => {
          const response = await client.request(request);
          span.setAttribute("http.response.status_code", response.status);
          return response;
        },
      );
    },
  };
}

function safeTarget(url: string): Record<string, string | number> {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
    return {
      "server.address": parsed.hostname,
      "server.port": port,
      "url.scheme": parsed.protocol.slice(0, -1),
    };
  } catch {
    return {};
  }
}
