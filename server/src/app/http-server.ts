import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Express } from "express";

/** Serves the request and returns true, or returns false and leaves it to Express untouched. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const FAST_PATHS_KEY = "flowdeckFastPaths";

/** createApp keeps the routes it also serves without Express (webhook-fast-path.ts) in app.locals. */
export function storeFastPaths(locals: Record<string, unknown>, paths: readonly FastPath[]): void {
  locals[FAST_PATHS_KEY] = paths;
}

/** The fast paths createApp stored (none for an app built otherwise). */
export function fastPathsOf(app: Express): readonly FastPath[] {
  const paths = app.locals[FAST_PATHS_KEY];
  return Array.isArray(paths) ? (paths as FastPath[]) : [];
}

/**
 * The app's HTTP server: each request is offered to the app's fast paths first (today only signed webhooks),
 * and whatever none of them takes goes to Express. Use this rather than `app.listen`, which has no fast paths.
 */
export function createHttpServer(app: Express): Server {
  const fastPaths = fastPathsOf(app);
  return createServer((req, res) => {
    for (const fast of fastPaths) if (fast(req, res)) return;
    void app(req, res);
  });
}

/** createHttpServer, listening; resolves once it accepts connections. */
export function listenApp(app: Express, port: number, host: string): Promise<Server> {
  const server = createHttpServer(app);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
