import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorStatic } from "../src/app/editor-static";
import { acceptedEncodings } from "../src/app/precompressed-assets";

const SCRIPT = `export const answer = ${JSON.stringify("x".repeat(4000))};\n`;

/** Raw bytes and headers, without the decompression fetch would do. */
function fetchRaw(url: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(
      url,
      { headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    ).on("error", reject);
  });
}

describe("precompressed editor assets", () => {
  let dist: string;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), "flowdeck-precompressed-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Flowdeck</title>");
    writeFileSync(join(dist, "assets", "app-abc123.js"), SCRIPT);
    writeFileSync(join(dist, "assets", "app-abc123.js.br"), brotliCompressSync(SCRIPT));
    writeFileSync(join(dist, "assets", "app-abc123.js.gz"), gzipSync(SCRIPT));
    // Only a plain copy: small files are not precompressed.
    writeFileSync(join(dist, "assets", "tiny-abc123.css"), "a{}");
    const app = express();
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    app.use(editorStatic({ distDir: dist, routeTable: [], log })!);
    app.use((_req, res) => void res.status(404).json({ error: { code: "FD320" } }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
    rmSync(dist, { recursive: true, force: true });
  });

  it("sends brotli to a browser that takes it, gzip to one that takes only gzip, and the plain file otherwise", async () => {
    const br = await fetchRaw(`${url}/assets/app-abc123.js`, "gzip, deflate, br, zstd");
    expect(br.headers).toMatchObject({
      "content-encoding": "br",
      "content-type": "text/javascript; charset=utf-8",
      vary: "Accept-Encoding",
    });
    expect(br.headers["cache-control"]).toContain("immutable");
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.byteLength).toBeLessThan(SCRIPT.length / 10);

    const gzip = await fetchRaw(`${url}/assets/app-abc123.js`, "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const plain = await fetchRaw(`${url}/assets/app-abc123.js`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    // br;q=0 refuses brotli.
    const refused = await fetchRaw(`${url}/assets/app-abc123.js`, "br;q=0, gzip;q=0.5");
    expect(refused.headers["content-encoding"]).toBe("gzip");
  });

  it("falls back to the plain file where no compressed copy exists, and never leaves assets/", async () => {
    const tiny = await fetchRaw(`${url}/assets/tiny-abc123.css`, "br");
    expect(tiny.status).toBe(200);
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("a{}");
    for (const path of ["/assets/..%2findex.html.js", "/assets/%E0%A4%A.js", "/assets/missing.js"])
      expect((await fetchRaw(`${url}${path}`, "br")).status).toBe(404);
  });

  it("reads Accept-Encoding with its q-values", () => {
    expect([...acceptedEncodings("gzip, br;q=0.9, zstd;q=0")]).toEqual(["gzip", "br"]);
    expect(acceptedEncodings(undefined).size).toBe(0);
  });
});
