// What a browser test file needs: a server with a fresh database, one Chromium, and a new page per test at a
// desktop size. `describeBrowser` skips the whole file (with the reason) when Chromium is missing outside CI.
import { afterAll, beforeAll, describe, inject } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumAvailability, launchChromium } from "./chromium";
import { startFlowdeckServer, type FlowdeckTestServer } from "./flowdeck-server";
import type { NodeTypes } from "../../../../server/src/node-packages/node-types";

const availability = chromiumAvailability();
if (!availability.available) console.warn(availability.reason);

export const VIEWPORT = { width: 1440, height: 900 };

/** `describe`, or a skipped describe when Chromium is absent (never in CI: that throws above). */
export const describeBrowser = describe.skipIf(!availability.available);

export interface BrowserSuite {
  readonly server: FlowdeckTestServer;
  readonly browser: Browser;
  /** A fresh context (no cookies, no storage) and page, pointed at the server. */
  newPage(): Promise<Page>;
}

/** Call inside `describeBrowser`: starts the server and Chromium before the tests, stops both after. */
export function useBrowserSuite(options: { nodeTypes?: () => Promise<NodeTypes> } = {}): BrowserSuite {
  let server: FlowdeckTestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      (async () => startFlowdeckServer("pg", inject("editorDistDir"), await options.nodeTypes?.()))(),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error("FD691 the browser suite has not started; use it inside a test.");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("FD691 the browser suite has not started; use it inside a test.");
      return browser;
    },
    async newPage() {
      if (!browser || !server)
        throw new Error("FD691 the browser suite has not started; use it inside a test.");
      const context = await browser.newContext({
        viewport: VIEWPORT,
        baseURL: server.url,
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
  };
}
