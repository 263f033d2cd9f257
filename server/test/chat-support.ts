/**
 * Helpers for the chat, channel and webhook tests: a published flow, a channel, WebSocket clients that collect
 * frames, and waits bounded by a timeout (never by wall-clock assertions).
 */
import WebSocket from "ws";
import { expect } from "vitest";
import { registerAccount, type JsonBody, type TestServer } from "./support/test-server";

export const SHOP_ORIGIN = "http://shop.test";

/** A chat flow that asks a name and greets it: one question per turn (chat socket, webhook and relay tests). */
export const GREETER = `name: hook_greeter
nodes:
  - { name: start, type: start }
  - name: ask_name
    type: ask
    config: { prompt: "What's your name?", variable: who }
  - name: done
    type: end
    config: { reply: "Nice to meet you, {{ vars.who }}." }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: done }
`;

/** The echo-router flow, webhook-triggered: a condition on the message, answered in the response. */
export const ECHO_ROUTER = `name: echo_router
trigger: { type: webhook }
nodes:
  - name: start
    type: start
    config:
      inputs:
        - { name: message, type: string, required: true }
  - name: remember
    type: set
    config: { values: { text: "{{ input.message }}" } }
  - name: is_order
    type: condition
    config: { expression: "vars.text.contains('order')" }
  - name: order_reply
    type: end
    config: { outcome: resolved, output: { route: order, echo: "{{ vars.text }}" } }
  - name: other_reply
    type: end
    config: { outcome: resolved, output: { route: other, echo: "{{ vars.text }}" } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: order_reply, port: then }
  - { from: is_order, to: other_reply, port: else }
`;

/** Creates and publishes a workflow; answers its id. */
export async function publishFlow(server: TestServer, token: string, yaml: string): Promise<string> {
  const created = await server.request("POST", "/workflows", { token, body: { yaml } });
  expect(created.status).toBe(201);
  const published = await server.request("POST", `/workflows/${created.body.id}/publish`, {
    token,
    body: {},
  });
  expect(published.status).toBe(201);
  return created.body.id as string;
}

export async function createChannel(
  server: TestServer,
  token: string,
  body: Record<string, unknown>,
): Promise<JsonBody> {
  const res = await server.request("POST", "/channels", { token, body });
  expect(res.status).toBe(201);
  return res.body;
}

/** A new tenant with `yaml` published behind a web chat channel for SHOP_ORIGIN: the channel's publishable key. */
export async function webChatFor(server: TestServer, tenantName: string, yaml: string): Promise<string> {
  const token = (await registerAccount(server, { tenantName })).body.accessToken as string;
  const workflow = await publishFlow(server, token, yaml);
  const channel = await createChannel(server, token, {
    kind: "web",
    workflow,
    allowedOrigins: [SHOP_ORIGIN],
  });
  return channel.publishableKey as string;
}

/** The `reply` frames a client has received so far, in order. */
export function replyFrames(client: ChatClient): JsonBody[] {
  return client.frames.filter((frame) => frame.type === "reply");
}

/** Sends a customer message and waits until the flow's turn is over (typing off). */
export async function sayAndWait(client: ChatClient, text: string, timeoutMs = 15_000): Promise<void> {
  client.send({ type: "message", text });
  await client.next((frame) => frame.type === "typing" && frame.on === false, timeoutMs);
}

export function socketUrl(server: TestServer, query: Record<string, string>): string {
  return `${server.url.replace("http:", "ws:")}/ws/chat?${new URLSearchParams(query).toString()}`;
}

/** A connected client that records every frame; `next` waits for a frame matching a predicate. */
export interface ChatClient {
  readonly ws: WebSocket;
  readonly frames: JsonBody[];
  send(frame: unknown): void;
  next(predicate: (frame: JsonBody) => boolean, timeoutMs?: number): Promise<JsonBody>;
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

export function openClient(url: string, headers: Record<string, string> = {}): Promise<ChatClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ["flowdeck.v1"], { headers });
    const frames: JsonBody[] = [];
    const waiters = new Set<() => void>();
    let closeInfo: { code: number; reason: string } | undefined;
    ws.on("message", (data) => {
      frames.push(JSON.parse(data.toString()));
      for (const wake of waiters) wake();
    });
    ws.on("close", (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      for (const wake of waiters) wake();
    });
    ws.on("unexpected-response", (_req, res) =>
      reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.on("error", (error) => reject(error));
    const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
      new Promise<T>((ok, fail) => {
        const found = check();
        if (found !== undefined) return ok(found);
        const timer = setTimeout(() => {
          waiters.delete(wake);
          fail(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames).slice(0, 2000)}`));
        }, timeoutMs);
        const wake = () => {
          const hit = check();
          if (hit === undefined) return;
          clearTimeout(timer);
          waiters.delete(wake);
          ok(hit);
        };
        waiters.add(wake);
      });
    const seen = new Set<JsonBody>();
    ws.on("open", () =>
      resolve({
        ws,
        frames,
        send: (frame) => ws.send(JSON.stringify(frame)),
        next: (predicate, timeoutMs = 10_000) =>
          waitFor(
            () => {
              const hit = frames.find((frame) => !seen.has(frame) && predicate(frame));
              if (hit) seen.add(hit);
              return hit;
            },
            timeoutMs,
            "a frame",
          ),
        closed: (timeoutMs = 10_000) => waitFor(() => closeInfo, timeoutMs, "close"),
      }),
    );
  });
}

/** The HTTP status a refused upgrade answered with (and its body), or 101 when it was accepted. */
export function upgradeStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ["flowdeck.v1"], { headers });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on("open", () => {
      ws.close();
      resolve({ status: 101, body: "" });
    });
    ws.on("error", () => undefined);
  });
}

/** Polls until `check` answers true (bounded). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
