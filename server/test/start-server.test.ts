import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentServerLogger } from "../src/kit/logger";
import { startServer } from "../src/app/start-server";
import { createTestDatabase, type TestDatabase } from "../../runtime/test/support/test-database";

// Two cold starts each (migrations, bcrypt at production cost): slow on a loaded machine, hence 60 s.
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
  }, 60_000);
});

describe("startServer on PostgreSQL (DATABASE_URL)", () => {
  let dataDir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "flowdeck-start-pg-"));
    // A fresh database of its own; startServer runs the migrations again (already applied: a no-op).
    database = await createTestDatabase("pg");
  });
  afterAll(async () => {
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("migrates, serves, keeps accounts across a restart, and guards /metrics with FLOWDECK_METRICS_TOKEN", async () => {
    const url = new URL(
      process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    );
    url.pathname = `/${database.name}`;
    const env = {
      FLOWDECK_DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      FLOWDECK_METRICS_TOKEN: "metrics-token-for-the-test",
    };
    const body = {
      tenantName: "Persisted",
      email: "keep-pg@example.com",
      password: "a long enough password",
    };
    const first = await startServer({ env, log: silentServerLogger, port: 0 });
    try {
      expect(first.db.driver).toBe("pg");
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      const registered = await fetch(`${first.url}/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(registered.status).toBe(201);
      // A token is set, so even a loopback caller needs it.
      expect((await fetch(`${first.url}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${first.url}/metrics`, {
        headers: { authorization: `Bearer ${env.FLOWDECK_METRICS_TOKEN}` },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/flowdeck_http_requests_total\{[^}]*route="\/auth\/register"/);
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
    } finally {
      await second.close();
    }
  }, 60_000);
});
