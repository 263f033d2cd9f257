import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Request, Response, NextFunction } from "express";

export const WIDGET_PATH = "/widget.js";
const WIDGET_FILE = fileURLToPath(new URL("../../widget/widget.js", import.meta.url));

/**
 * `GET /widget.js`: the embeddable chat widget (server/widget/widget.js), served by the server itself so no
 * page depends on a CDN. A static asset rather than a route-table row (the table's paths are API paths, no
 * dots). Other sites embed it, so it is explicitly cross-origin loadable (helmet defaults to same-origin).
 */
export function widgetAsset() {
  let body: Buffer | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== WIDGET_PATH || (req.method !== "GET" && req.method !== "HEAD")) return next();
    body ??= readFileSync(WIDGET_FILE);
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setHeader("Content-Length", String(body.byteLength));
    res.status(200).end(req.method === "HEAD" ? undefined : body);
  };
}
