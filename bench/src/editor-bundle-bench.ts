import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildEditor, EDITOR_DIST_DIR } from "../../editor/test/browser/support/editor-build";

/** DESIGN/issue 6: initial JavaScript of the editor at most 400 kB gzip. */
const TARGET_INITIAL_GZIP_KB = 400;
/** String literals only Monaco's code contains (a module path, a built-in command id); minifiers keep them. */
const MONACO_MARKERS = ["vs/editor/common", "editor.action.formatDocument"];
const isMonaco = (chunk: Buffer) => MONACO_MARKERS.some((marker) => chunk.includes(marker));
/** The last measurement, to print beside this one. bench/results/ is gitignored. */
const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "results", "editor-bundle.json");

interface BundleSizes {
  readonly measuredAt: string;
  /** Entry script plus everything index.html modulepreloads: what the browser fetches before the first render. */
  readonly initialJsGzipKb: number;
  readonly initialJsRawKb: number;
  readonly initialCssGzipKb: number;
  /** Initial JS plus the builder route's chunks (static imports only; Monaco stays lazy): opening a workflow. */
  readonly builderRouteJsGzipKb: number;
  readonly allJsGzipKb: number;
  /** Chunks holding Monaco's core (0 when the build has no Monaco at all). */
  readonly monacoGzipKb: number;
  readonly monacoInInitial: boolean;
  readonly chunkCount: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
// Level 9 rather than zlib's default 6: closer to what a production server or CDN serves.
const gzipSize = (content: Buffer) => gzipSync(content, { level: 9 }).length;

/** Every asset URL the HTML makes the browser fetch up front: the module entry and its modulepreloads. */
function initialAssets(html: string, tag: "script" | "css"): string[] {
  const pattern =
    tag === "script"
      ? /<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+)"/g
      : /<link[^>]*rel="stylesheet"[^>]*\bhref="([^"]+)"/g;
  return [...html.matchAll(pattern)].map((m) => (m[1] ?? "").replace(/^\//, ""));
}

interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
}

/** Files of a manifest entry and everything it imports statically (what loads together with it). */
function staticClosure(
  manifest: Record<string, ManifestChunk>,
  key: string,
  seen = new Set<string>(),
): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, seen);
  return seen;
}

/** The route chunk that renders the builder (app.tsx loads it lazily). */
const BUILDER_ROUTE_MODULE = "src/app/builder-page.tsx";

export function measureEditorBundle(distDir = EDITOR_DIST_DIR): BundleSizes {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const read = (path: string) => readFileSync(join(distDir, path));
  const initialJsFiles = initialAssets(html, "script");
  const initialJs = initialJsFiles.map(read);
  const manifestPath = join(distDir, ".vite", "manifest.json");
  const manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, ManifestChunk>)
    : {};
  const builderRoute = staticClosure(manifest, BUILDER_ROUTE_MODULE, new Set(initialJsFiles));
  const initialCss = initialAssets(html, "css").map(read);
  const chunks = readdirSync(join(distDir, "assets"))
    .filter((file) => file.endsWith(".js"))
    .map((file) => read(join("assets", file)));
  const monaco = chunks.filter(isMonaco);
  return {
    measuredAt: new Date().toISOString(),
    initialJsGzipKb: kb(initialJs.reduce((sum, c) => sum + gzipSize(c), 0)),
    initialJsRawKb: kb(initialJs.reduce((sum, c) => sum + c.length, 0)),
    initialCssGzipKb: kb(initialCss.reduce((sum, c) => sum + gzipSize(c), 0)),
    builderRouteJsGzipKb: kb([...builderRoute].reduce((sum, file) => sum + gzipSize(read(file)), 0)),
    allJsGzipKb: kb(chunks.reduce((sum, c) => sum + gzipSize(c), 0)),
    monacoGzipKb: kb(monaco.reduce((sum, c) => sum + gzipSize(c), 0)),
    monacoInInitial: initialJs.some(isMonaco),
    chunkCount: chunks.length,
  };
}

function readPrevious(): BundleSizes | undefined {
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as BundleSizes;
  } catch {
    return undefined;
  }
}

/**
 * Builds the editor for production and reports what a first visit downloads: initial JavaScript (gzip) and the
 * JavaScript needed to open a workflow in the builder, both against the 400 kB target, with Monaco required to
 * sit in a lazy chunk (it loads when the YAML view opens). Each size
 * is printed beside the previous build's, kept in bench/results/editor-bundle.json.
 */
export async function runEditorBundleBench(log: (line: string) => void): Promise<{ ok: boolean }> {
  await buildEditor();
  const now = measureEditorBundle();
  const before = readPrevious();
  const row = (label: string, key: keyof BundleSizes, target = "") => {
    const value = now[key] as number;
    const previous = before?.[key] as number | undefined;
    const change =
      previous === undefined
        ? "(no previous build)"
        : `previous ${previous.toFixed(1)} kB, ${value >= previous ? "+" : ""}${(value - previous).toFixed(1)} kB, ratio ${(value / (previous || 1)).toFixed(3)}x`;
    log(`  ${label.padEnd(34)} ${value.toFixed(1).padStart(8)} kB  ${target}${change}`);
  };
  log(
    `editor bundle: production build, ${now.chunkCount} JS chunks${before ? `, previous ${before.measuredAt}` : ""}`,
  );
  row("initial JS (gzip)", "initialJsGzipKb", `(target <= ${TARGET_INITIAL_GZIP_KB} kB) `);
  row("initial JS (raw)", "initialJsRawKb");
  row("open a workflow: JS (gzip)", "builderRouteJsGzipKb", `(target <= ${TARGET_INITIAL_GZIP_KB} kB) `);
  row("initial CSS (gzip)", "initialCssGzipKb");
  row("Monaco, lazy chunks (gzip)", "monacoGzipKb");
  row("all JS chunks (gzip)", "allJsGzipKb");
  log(
    `  Monaco in the initial bundle: ${now.monacoInInitial ? "YES (must be lazy)" : "no"}${now.monacoGzipKb === 0 ? " (no Monaco chunk found at all)" : ""}`,
  );
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(now, null, 2)}\n`);
  // The builder route must also be reachable in the manifest (more than the initial JS), or the number means nothing.
  const ok =
    now.initialJsGzipKb <= TARGET_INITIAL_GZIP_KB &&
    now.builderRouteJsGzipKb <= TARGET_INITIAL_GZIP_KB &&
    now.builderRouteJsGzipKb > now.initialJsGzipKb &&
    !now.monacoInInitial;
  log(`  ${ok ? "ok" : "MISSED"}`);
  return { ok };
}
