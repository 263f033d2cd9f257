// Every story and docs page of the built Storybook, opened one by one in Debian's Chromium: a console error, a
// page error or a failed render (or play function) fails the test. The node-type stories must number the
// registered node types, since they are generated from the registry.
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { chromiumAvailability, launchChromium } from "../../editor/test/browser/support/chromium";

const STATIC_DIR = fileURLToPath(new URL("../storybook-static/", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const KEY_STORIES = [
  "builder-workflow-builder--canvas",
  "panels-builder-panels--inspector-form-of-a-reply",
  "builder-workflow-settings--keep-traces-of-errors-only",
  "chat-widget-web-chat--streams-an-answer",
  "node-types--router",
  "canvas-node-cards--running-in-a-test-run",
  "canvas-node-cards--done-in-a-trace",
  "panels-test-run--recorded-trace",
  "panels-test-run--regression-cases-run-all",
  "workspace-channels--embed-snippet-and-preview",
  "workspace-settings--model-plan-and-audit",
  "workspace-team--create-an-invitation",
  "workspace-insights--two-weeks-of-charts",
  "workspace-versions--diff-drawn-on-the-canvas",
  "builder-publish-dialog--changes-against-the-live-version",
  "workspace-run--completed-with-trace",
];
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
};

interface IndexEntry {
  readonly id: string;
  readonly title: string;
  readonly type: "story" | "docs";
}

/** storybook-static over HTTP on loopback (the iframe loads its chunks as modules, which file:// refuses). */
function serveStatic(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(
      /^\/+/,
      "",
    );
    const file = join(STATIC_DIR, path || "index.html");
    if (!file.startsWith(STATIC_DIR) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}` });
    }),
  );
}

// Storybook's preview tells its manager what happened to a story over its channel; this listens to the same.
const LISTEN = `(() => {
  window.__outcome = undefined;
  const attach = () => {
    const channel = window.__STORYBOOK_ADDONS_CHANNEL__;
    if (!channel) return setTimeout(attach, 10);
    channel.on("storyRendered", () => (window.__outcome ??= { ok: true }));
    channel.on("docsRendered", () => (window.__outcome ??= { ok: true }));
    for (const name of ["storyErrored", "storyThrewException", "playFunctionThrewException", "storyMissing"])
      channel.on(name, (detail) => (window.__outcome = { ok: false, event: name, detail: String(detail?.message ?? detail?.title ?? detail ?? "") }));
  };
  attach();
})();`;

const availability = chromiumAvailability();

describe.skipIf(!availability.available)("the built Storybook in Chromium", () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let entries: IndexEntry[];

  beforeAll(async () => {
    ({ server, url } = await serveStatic());
    const index = JSON.parse(readFileSync(join(STATIC_DIR, "index.json"), "utf8")) as {
      entries: Record<string, IndexEntry>;
    };
    entries = Object.values(index.entries);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(page: Page, entry: IndexEntry) {
    const problems: string[] = [];
    // The browser's own favicon request is not the story's.
    const ours = (url: string) => !url.endsWith("/favicon.ico");
    page.on("console", (message) => {
      if (message.type() === "error" && ours(message.location().url))
        problems.push(`console: ${message.text()} ${message.location().url}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400 && ours(response.url()))
        problems.push(`HTTP ${response.status()} ${response.url()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(LISTEN);
    const viewMode = entry.type === "docs" ? "docs" : "story";
    await page.goto(`${url}/iframe.html?id=${entry.id}&viewMode=${viewMode}`);
    const outcome = await page
      .waitForFunction(() => (window as unknown as { __outcome?: unknown }).__outcome, undefined, {
        timeout: 60_000,
      })
      .then((handle) => handle.jsonValue())
      .catch(() => ({ ok: false, event: "timeout", detail: "no render within 60 s" }));
    return { outcome, problems };
  }

  it("has one generated story per registered node type", () => {
    const nodeStories = entries.filter((entry) => entry.type === "story" && entry.title === "Node types");
    expect(nodeStories.length).toBe(createBuiltinRegistry().list().length);
    expect(nodeStories.length).toBeGreaterThan(10);
  });

  it("renders every story and docs page without an error, and their play functions pass", async () => {
    expect(entries.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const entry of entries) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      try {
        const { outcome, problems } = await open(page, entry);
        if (!(outcome as { ok: boolean }).ok || problems.length > 0)
          failures.push(
            `${entry.id}: ${JSON.stringify(outcome).slice(0, 300)} ${problems.join(" | ").slice(0, 300)}`,
          );
        if (KEY_STORIES.includes(entry.id))
          await page.screenshot({ path: join(SCREENSHOTS, `${entry.id}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
    expect(failures).toEqual([]);
  }, 1_800_000);
});
