import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, withoutChromium } from "./chromium";
import { serveWidgetShop } from "./widget-shop";
import { within } from "./within";

/**
 * The page's WebSocket, replaced by one the test steps by hand. A real socket's CLOSING state lasts from the
 * server's close frame to Chromium's close event, a task or two, so the order this test needs (the customer
 * sends in between, the close event comes before the next socket opens) happens only now and then on a loaded
 * machine (it froze CI's page once). widget-backoff.test.ts drives real sockets.
 */
const SCRIPTED_SOCKETS = `
  window.__sockets = [];
  class ScriptedSocket {
    constructor(url, protocols) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      window.__sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error("InvalidStateError: the socket is not open");
      this.sent.push(JSON.parse(data));
    }
    close() {}
  }
  ScriptedSocket.CONNECTING = 0;
  ScriptedSocket.OPEN = 1;
  ScriptedSocket.CLOSING = 2;
  ScriptedSocket.CLOSED = 3;
  window.WebSocket = ScriptedSocket;
`;

async function startShop(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(serveWidgetShop);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Frame = { type: string; text?: string; id?: string; conversationId?: string };
/** What the page sent on each socket it made, in order of creation. */
const sockets = (page: Page) =>
  within(
    page.evaluate(() =>
      (window as unknown as { __sockets: Array<{ sent: Frame[] }> }).__sockets.map(({ sent }) => ({ sent })),
    ),
    "the page",
  );

/** Moves socket `index` to `state` and fires the event a browser fires there (open, or close with 1013). */
const step = (page: Page, index: number, state: "open" | "closing" | "closed") =>
  within(
    page.evaluate(
      ([index, state]) => {
        type Scripted = { readyState: number; onopen?: () => void; onclose?: (event: unknown) => void };
        const socket = (window as unknown as { __sockets: Scripted[] }).__sockets[index as number];
        if (!socket) throw new Error(`the widget opened no socket ${index}`);
        if (state === "open") {
          socket.readyState = 1;
          socket.onopen?.();
        } else if (state === "closing") {
          socket.readyState = 2;
        } else {
          socket.readyState = 3;
          socket.onclose?.({ code: 1013, reason: "FD386 try again later", wasClean: true });
        }
      },
      [index, state] as const,
    ),
    `socket ${index} going ${state}`,
  );

/** Socket `index` receives `frame` from the server. */
const deliver = (page: Page, index: number, frame: Frame) =>
  within(
    page.evaluate(
      ([index, data]) => {
        type Scripted = { onmessage?: (event: { data: string }) => void };
        const socket = (window as unknown as { __sockets: Scripted[] }).__sockets[index as number];
        if (!socket) throw new Error(`the widget opened no socket ${index}`);
        socket.onmessage?.({ data: data as string });
      },
      [index, JSON.stringify(frame)] as const,
    ),
    `socket ${index} receiving ${frame.type}`,
  );

describe.skipIf(withoutChromium)("the widget while its socket closes", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  it("holds a message sent while the socket closes, opens no second socket beside it, and sends the message once on the next", async () => {
    const shop = await startShop();
    const page = await browser.newPage();
    try {
      await page.addInitScript(SCRIPTED_SOCKETS);
      await page.clock.install();
      await page.goto(shop.url);
      await page.clock.pauseAt(Date.now() + 1_000);
      expect(await sockets(page)).toHaveLength(1);
      await step(page, 0, "open");
      // The panel opened by itself (data-open) and asked for the greeting on the open socket.
      expect((await sockets(page))[0]?.sent.map((frame) => frame.type)).toEqual(["open"]);

      // The server's close frame has arrived; the close event has not.
      await step(page, 0, "closing");
      const input = page.getByLabel("Your message");
      await input.fill("where is my order?");
      await input.press("Enter");
      expect(await within(page.getByText("where is my order?").count(), "the page")).toBe(1);
      expect(await sockets(page)).toHaveLength(1);

      await step(page, 0, "closed");
      expect(await sockets(page)).toHaveLength(1);
      // The first retry waits 0.5–1 s.
      await within(page.clock.runFor(1_000), "the page's clock");
      expect(await sockets(page)).toHaveLength(2);

      await step(page, 1, "open");
      const [, second] = await sockets(page);
      expect(second?.sent.filter((frame) => frame.text === "where is my order?")).toHaveLength(1);
      await within(page.clock.runFor(60_000), "the page's clock");
      expect(await sockets(page)).toHaveLength(2);
    } finally {
      await page.close();
      await shop.close();
    }
  }, 60_000);

  it("sends a message again on each new socket, and after a reload, until the server says it was received", async () => {
    const shop = await startShop();
    const page = await browser.newPage();
    const conversationId = "conv-0000-1111";
    const openAndRetry = async (index: number) => {
      await within(page.clock.runFor(1_000), "the page's clock");
      expect(await sockets(page)).toHaveLength(index + 1);
      await step(page, index, "open");
      return (await sockets(page))[index]!.sent;
    };
    try {
      await page.addInitScript(SCRIPTED_SOCKETS);
      await page.clock.install();
      await page.goto(shop.url);
      await page.clock.pauseAt(Date.now() + 1_000);
      await step(page, 0, "open");
      await deliver(page, 0, { type: "ready", conversationId });
      const input = page.getByLabel("Your message");
      await input.fill("where is my order?");
      await input.press("Enter");
      const [sent] = (await sockets(page))[0]!.sent.filter((frame) => frame.type === "message");
      expect(sent).toMatchObject({
        text: "where is my order?",
        conversationId,
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
      });

      // The socket drops before the server read the message: the next one resumes and sends it again, same id.
      await step(page, 0, "closed");
      expect(await openAndRetry(1)).toEqual([
        { type: "resume", conversationId },
        { type: "message", id: sent!.id, text: "where is my order?", conversationId },
      ]);

      // Not received on that one either; a reload keeps it (sessionStorage) and its next socket sends it.
      await page.reload();
      await step(page, 0, "open");
      expect((await sockets(page))[0]!.sent).toEqual([
        { type: "resume", conversationId },
        { type: "message", id: sent!.id, text: "where is my order?", conversationId },
      ]);
      expect(await within(page.getByText("where is my order?").count(), "the page")).toBe(1);

      // Received: the next socket only resumes.
      await deliver(page, 0, { type: "received", id: sent!.id, conversationId });
      await step(page, 0, "closed");
      expect(await openAndRetry(1)).toEqual([{ type: "resume", conversationId }]);
    } finally {
      await page.close();
      await shop.close();
    }
  }, 60_000);
});
