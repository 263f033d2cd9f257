import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

/** The security headers every answer carries (helmet's defaults: CSP, HSTS, nosniff, frame and referrer policy…). */
export function securityHeaders() {
  return helmet();
}

/**
 * The same headers as a list, for an answer written without Express (webhooks/webhook-listener.ts). helmet's
 * defaults depend on nothing in the request, so they are read once, by running its middleware on a response
 * that only records what is set.
 */
export function securityHeaderList(): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name, String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  let done = false;
  securityHeaders()({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    done = true;
  });
  // helmet's defaults answer synchronously; an asynchronous one would leave the list incomplete.
  if (!done) throw new Error("helmet did not finish synchronously");
  return [...headers];
}
