// Writes `<file>.br` and `<file>.gz` beside every compressible asset once Vite has written the bundle, so the
// server sends the editor's JavaScript and CSS compressed without compressing per request (issue 21: 1.2 MB of
// builder code used to go out as is). Brotli at its highest quality: done once per build, read on every load.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(?:js|mjs|css|svg|json|html|map|txt|wasm)$/;
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "flowdeck-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle(error?: Error) {
      // A failed build wrote no assets: let its own error be the one the user reads.
      const assets = join(outDir, "assets");
      if (error || !existsSync(assets)) return;
      for (const path of files(assets)) {
        if (!COMPRESSIBLE.test(path)) continue;
        const body = readFileSync(path);
        // Scripts always: the bundler splits tiny shared chunks (jsx-runtime, 0.4 kB, once several lazy routes
        // share it) that the first load fetches, and a plain one among brotli ones fails first-load.test.ts.
        if (body.byteLength < MIN_BYTES && !path.endsWith(".js")) continue;
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
            },
          }),
        );
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}
