import { existsSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import type { RequestHandler } from "express";

/** Content types of what Vite writes to assets/ (express.static would guess them from the name too). */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/** The encodings the client accepts with a non-zero q, from an Accept-Encoding header (RFC 9110 §12.5.3). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  return accepted;
}

/**
 * Serves `<asset>.br` or `<asset>.gz`, written beside each asset at build time (editor/precompress-plugin.ts),
 * to a browser that accepts that encoding; anything else falls through to the plain file. Brotli first: the
 * builder's chunk is about a quarter of its size that way. Assets carry a content hash, so they are cached
 * for good; `Vary: Accept-Encoding` keeps shared caches from handing one encoding to a client of another.
 */
export function precompressedAssets(assetsDir: string, maxAgeMs: number): RequestHandler {
  const root = normalize(assetsDir + sep);
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const type = TYPES[extname(req.path)];
    if (!type) return next();
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(req.path)));
    } catch {
      return next(); // a malformed %-escape: the plain static handler answers it
    }
    if (!file.startsWith(root)) return next();
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    res.setHeader("Vary", "Accept-Encoding");
    for (const [encoding, suffix] of [
      ["br", ".br"],
      ["gzip", ".gz"],
    ] as const) {
      const compressed = file + suffix;
      if (!accepted.has(encoding) || !existsSync(compressed) || !statSync(compressed).isFile()) continue;
      res.setHeader("Content-Encoding", encoding);
      res.setHeader("Content-Type", type);
      res.sendFile(
        compressed,
        { maxAge: maxAgeMs, immutable: true, acceptRanges: false, headers: { "Content-Type": type } },
        (error) => (error ? next() : undefined),
      );
      return;
    }
    next();
  };
}
