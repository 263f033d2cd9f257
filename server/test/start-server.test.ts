import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentServerLogger } from "../src/app/logger";
import { startServer } from "../src/app/start-server";

describe("startServer on embedded PGlite", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "flowdeck-start-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("migrates, serves, and keeps accounts across a restart", async () => {
    const env = { FLOWDECK_DATA_DIR: dataDir };
    const first = await startServer({ env, log: silentServerLogger, port: 0 });
    const body = { tenantName: "Persisted", email: "keep@example.com", password: "a long enough password" };
    try {
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      const registered = await fetch(`${first.url}/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(registered.status).toBe(201);
    } finally {
      await first.close();
    }
    const second = await startServer({ env, log: silentServerLogger, port: 0 });
    try {
      const login = await fetch(`${second.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: body.email, password: body.password }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(`${second.url}/auth/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(me.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
