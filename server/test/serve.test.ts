import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveCommand } from "../src/cli/serve-command";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";
import type { JsonBody } from "./support/test-server";

/** Starts `flowdeck serve` (what `npm start` runs) on a free port and a fresh data folder; returns its lines. */
async function serve(dataDir: string, whileRunning: (url: string) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const stop = new AbortController();
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const io: CliIo = {
    out: (line) => {
      lines.push(line);
      const match = /^API server: (\S+)/.exec(line);
      if (match) resolveUrl(match[1]!);
    },
    write: () => undefined,
    err: (line) => lines.push(line),
    readText: readWorkflowFile,
    writeText: () => Promise.resolve(),
  };
  const running = serveCommand(io, {
    env: { FLOWDECK_DATA_DIR: dataDir, NODE_ENV: "test" },
    port: 0,
    signal: stop.signal,
  });
  try {
    await whileRunning(await url);
  } finally {
    stop.abort();
  }
  expect(await running).toBe(0);
  return lines;
}

describe("flowdeck serve (npm start)", { timeout: 60_000 }, () => {
  it("starts the API on the embedded database with a demo login that works, and keeps it across restarts", async () => {
    // A data folder whose parents do not exist yet is created.
    const dataDir = join(mkdtempSync(join(tmpdir(), "flowdeck-serve-")), "nested", "data");
    const login = async (url: string) => {
      const response = await fetch(`${url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "demo@flowdeck.local", password: "flowdeck-demo" }),
      });
      expect(response.status).toBe(200);
      const token = ((await response.json()) as { accessToken: string }).accessToken;
      const me = await fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      return token;
    };
    const api = async (url: string, token: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await response.json()) as JsonBody;
    };
    const first = await serve(dataDir, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const token = await login(url);
      // The seed workflows are published and a customer message runs through the demo shop's support flow into its order flow.
      const workflows = await api(url, token, "/workflows");
      expect(workflows.items).toHaveLength(7);
      expect(workflows.items.every((w: JsonBody) => w.latestVersion === 1)).toBe(true);
      const run = await api(url, token, "/runs", {
        workflow: "customer_support_workflow",
        input: { message: "Where is my order? It has not arrived." },
      });
      expect(run.status).toBe("queued");
      let detail: JsonBody;
      for (let i = 0; i < 200; i += 1) {
        detail = await api(url, token, `/runs/${run.id}`);
        if (!["queued", "running"].includes(detail.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const replies = detail.events.filter((e: JsonBody) => e.type === "message.sent");
      // The support flow greeted, routed to the order flow, and that flow now waits for the order number.
      expect(detail.status).toBe("waiting");
      expect(replies.at(-1).data.text).toContain("What's the order number?");
    });
    expect(first.some((line) => line.startsWith("Published demo workflows: complaint_handling,"))).toBe(true);
    expect(first).toContain(
      "Demo login: demo@flowdeck.local / flowdeck-demo (created with the demo shop's data)",
    );
    const second = await serve(dataDir, async (url) => {
      const workflows = await api(url, await login(url), "/workflows");
      expect(workflows.items.map((w: JsonBody) => w.latestVersion)).toEqual(Array(7).fill(1));
    });
    expect(second).toContain("Demo login: demo@flowdeck.local / flowdeck-demo");
    expect(second.some((line) => line.startsWith("Published demo workflows"))).toBe(false);
  });
});
