import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Browser, Page } from "playwright-core";
import { WebSocketServer } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, withoutChromium } from "./chromium";
import { serveWidgetShop } from "./widget-shop";
import { within } from "./within";

type Answer = "refuse" | "accept-and-close";

/**
 * A stand-in for an API whose chat sockets are all over their caps: it serves the widget and answers every
 * upgrade with 429 FD386 (what a browser sees as a failed connection) or, the other case, accepts and closes
 * at once (1013), counting the attempts.
 */
async function startCappedServer(
  answer: Answer,
): Promise<{ url: string; attempts: () => number; close(): Promise<void> }> {
  let attempts = 0;
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => "flowdeck.v1" });
  const server: Server = createServer(serveWidgetShop);
  server.on("upgrade", (req, socket: Duplex, head) => {
    attempts += 1;
    if (answer === "refuse") {
      const body = JSON.stringify({
        error: { code: "FD386", message: "Too many open chat connections.", hint: "" },
      });
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(1013, "FD386 try again later"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    attempts: () => attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Two minutes on the page's clock, a second at a time, with real time for each connection attempt to fail. */
async function twoMinutes(page: Page, each?: () => Promise<void>): Promise<void> {
  for (let second = 0; second < 120; second += 1) {
    await within(page.clock.runFor(1000), `the page's clock at ${second} s`);
    await each?.();
    await page.waitForTimeout(20);
  }
}

// The shortest waits the widget may draw are 0.5, 1, 2, 4, 8 s, then 15 s each: at most 12 attempts in two
// minutes. Retrying every 500 ms would be 240; connecting on every typed message, a few more than 12.
const MAX_ATTEMPTS_IN_TWO_MINUTES = 12;

describe.skipIf(withoutChromium)("the widget against connection caps", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  it.each<Answer>(["refuse", "accept-and-close"])(
    "backs off when the server answers %s, also while the customer types",
    async (answer) => {
      const api = await startCappedServer(answer);
      const page = await browser.newPage();
      try {
        await page.clock.install();
        await page.goto(api.url);
        await expect.poll(() => api.attempts(), { timeout: 10_000 }).toBeGreaterThan(0);
        const input = page.getByLabel("Your message");
        let typed = 0;
        await twoMinutes(page, async () => {
          // A customer sending messages while the widget waits must not cut the wait short.
          if (typed < 20) {
            typed += 1;
            await input.fill(`hello ${typed}`);
            await input.press("Enter");
          }
        });
        expect(api.attempts()).toBeGreaterThanOrEqual(4);
        expect(api.attempts()).toBeLessThanOrEqual(MAX_ATTEMPTS_IN_TWO_MINUTES);
      } finally {
        await page.close();
        await api.close();
      }
    },
    90_000,
  );
});
