import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler } from "express";
import type { Logger } from "../kit/logger";
import { precompressedAssets } from "./precompressed-assets";
import type { RouteTable } from "../kit/route-table";

/**
 * Serves the built editor (`editor/dist`, made by `pnpm --filter @flowdeck/editor build`) from the same origin as
 * the API. Files only: the server never imports editor code. Mounted after the route table, so an API route
 * always wins; for any other GET that wants HTML and is not under an API prefix, the SPA's index.html answers
 * and the editor's router takes over. API-looking paths fall through to the JSON 404.
 */
export interface EditorStaticOptions {
  /** Folder with index.html and assets/. Default: FLOWDECK_EDITOR_DIST, else editor/dist in this checkout. */
  readonly distDir?: string;
  readonly routeTable: RouteTable;
  readonly log: Logger;
}

/** Vite puts a content hash in every asset name under assets/, so those never change and can be cached for good. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

export function defaultEditorDistDir(): string {
  const fromEnv = process.env.FLOWDECK_EDITOR_DIST;
  if (fromEnv) return resolve(fromEnv);
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "editor", "dist");
}

/** The first path segment of every API route (`/auth`, `/workflows`, `/healthz` …). */
export function apiPrefixes(table: RouteTable): Set<string> {
  return new Set(table.map((route) => `/${route.path.split("/")[1] ?? ""}`));
}

/**
 * First segments whose answers are for machines even in a browser tab (probes, Prometheus, the OpenAPI JSON,
 * the widget script, signed webhooks): a navigation there keeps the API's answer.
 */
const MACHINE_PREFIXES = new Set(["/healthz", "/readyz", "/metrics", "/docs", "/widget.js", "/webhooks"]);

/**
 * A person who types an address (`/runs`, `/analytics`) gets the editor, not the API's JSON: mounted before the
 * route table, it answers index.html to a browser *navigation* — `Sec-Fetch-Mode: navigate`, which every current
 * browser sends for a typed URL, a link or a reload, and which fetch/XHR can never send — to any path but the
 * machine ones above. API clients (no such header, or `cors`/`same-origin`) reach the route table as before.
 */
export function editorNavigations({
  distDir = defaultEditorDistDir(),
}: Pick<EditorStaticOptions, "distDir">): RequestHandler | undefined {
  const indexHtml = join(distDir, "index.html");
  if (!existsSync(indexHtml)) return undefined;
  return (req, res, next) => {
    const navigation = req.headers["sec-fetch-mode"] === "navigate";
    const dest = req.headers["sec-fetch-dest"];
    const isPage =
      (req.method === "GET" || req.method === "HEAD") && (dest === undefined || dest === "document");
    const wantsHtml = req.headers.accept?.includes("text/html") ?? false;
    const prefix = `/${req.path.split("/")[1] ?? ""}`;
    if (!navigation || !isPage || !wantsHtml || MACHINE_PREFIXES.has(prefix) || prefix === "/assets")
      return next();
    res.setHeader("Cache-Control", "no-cache");
    // Answers differ by this header on one URL: caches must keep them apart.
    res.setHeader("Vary", "Sec-Fetch-Mode");
    res.sendFile(indexHtml, (error) => (error ? next() : undefined));
  };
}

/** The middleware, or undefined (logged) when the editor has not been built. */
export function editorStatic({
  distDir = defaultEditorDistDir(),
  routeTable,
  log,
}: EditorStaticOptions): RequestHandler | undefined {
  const indexHtml = join(distDir, "index.html");
  if (!existsSync(indexHtml)) {
    log.info("editor not built: serving the API only", {
      distDir,
      hint: "Run `pnpm --filter @flowdeck/editor build` (npm start does it for you).",
    });
    return undefined;
  }
  const prefixes = apiPrefixes(routeTable);
  const isApiPath = (path: string) => prefixes.has(`/${path.split("/")[1] ?? ""}`);
  const router = express.Router({ strict: true, caseSensitive: true });
  // A missing asset falls through to the JSON 404 (scripts do not ask for HTML), never to index.html.
  router.use("/assets", precompressedAssets(join(distDir, "assets"), ASSET_MAX_AGE_MS));
  router.use(
    "/assets",
    express.static(join(distDir, "assets"), { index: false, immutable: true, maxAge: ASSET_MAX_AGE_MS }),
  );
  const files = express.static(distDir, { index: false, maxAge: 0 });
  router.use((req, res, next) => (isApiPath(req.path) ? next() : files(req, res, next)));
  router.use((req, res, next) => {
    // Only what a browser navigation asks for: API clients and tools without `Accept: text/html` keep the JSON 404.
    const wantsHtml = req.headers.accept?.includes("text/html") ?? false;
    const isPage = (req.method === "GET" || req.method === "HEAD") && !req.path.startsWith("/assets/");
    if (!isPage || isApiPath(req.path) || !wantsHtml) return next();
    // index.html names the hashed assets of this build; it must be re-checked on every load.
    res.setHeader("Cache-Control", "no-cache");
    // If the build vanished under us (a rebuild in progress), answer the plain 404 rather than a 500.
    res.sendFile(indexHtml, (error) => (error ? next() : undefined));
  });
  return router;
}
