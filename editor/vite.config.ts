// Vite builds the editor into editor/dist, which the server serves in production (server/src/app/editor-static.ts).
// In development Vite serves the editor and forwards `/api/*` to a running Flowdeck server, stripping the prefix:
// the server's routes sit at the root (`/auth/login`, `/workflows/:id`), and some share their path with editor
// pages, so the prefix keeps the two apart. The API client uses the same prefix in dev (src/api/api-base-url.ts).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./precompress-plugin.ts";

/** Where `pnpm --filter @flowdeck/editor dev` sends API calls; override with FLOWDECK_API_URL. */
const API_TARGET = process.env.FLOWDECK_API_URL ?? "http://127.0.0.1:8080";
const DEV_PORT = 5173;

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: DEV_PORT,
    strictPort: true,
    proxy: {
      "/api": {
        target: API_TARGET,
        changeOrigin: true,
        ws: true,
        rewrite: (path) => path.replace(/^\/api/, ""),
      },
    },
  },
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Monaco's lazy chunk is large by nature (it is loaded only when the YAML view opens); the initial bundle
    // is watched by bench/editor-bundle-bench.ts instead of this warning.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    // dist/.vite/manifest.json: the chunk graph, read by bench/src/editor-bundle-bench.ts (express.static never
    // serves dot-folders).
    manifest: true,
  },
});
