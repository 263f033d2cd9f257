// A second origin for the browser test: the "shop" page that embeds the widget and the staff inbox page, each
// served from 127.0.0.1 on a port of its own, so the widget really runs cross-origin against the API.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface PageServer {
  readonly origin: string;
  /** Serves `html` at `path`. */
  page(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, { type: string; body: string }>();
  const server: Server = createServer((req, res) => {
    const found = pages.get((req.url ?? "/").split("?")[0]!);
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": found.type, "cache-control": "no-store" }).end(found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const bundle = await build({
    entryPoints: [
      fileURLToPath(new URL("../../../editor/test/browser/fixtures/inbox-page.tsx", import.meta.url)),
    ],
    bundle: true,
    write: false,
    format: "iife",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    nodePaths: [fileURLToPath(new URL("../../../editor/node_modules", import.meta.url))],
    logLevel: "silent",
  });
  pages.set("/inbox.js", { type: "text/javascript", body: bundle.outputFiles[0]!.text });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    page: (path, html) => void pages.set(path, { type: "text/html; charset=utf-8", body: html }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
