import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveCommand } from "../src/cli/serve-command";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";

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
    const dataDir = mkdtempSync(join(tmpdir(), "flowdeck-serve-"));
    const login = async (url: string) => {
      const response = await fetch(`${url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "demo@flowdeck.local", password: "flowdeck-demo" }),
      });
      expect(response.status).toBe(200);
      const me = await fetch(`${url}/auth/me`, {
        headers: {
          authorization: `Bearer ${((await response.json()) as { accessToken: string }).accessToken}`,
        },
      });
      expect(me.status).toBe(200);
    };
    const first = await serve(dataDir, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await login(url);
    });
    expect(first).toContain(
      "Demo login: demo@flowdeck.local / flowdeck-demo (created with the demo shop's data)",
    );
    const second = await serve(dataDir, login);
    expect(second).toContain("Demo login: demo@flowdeck.local / flowdeck-demo");
  });
});
